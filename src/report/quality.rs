//! `fresk report quality`: the Qualiopi view of held sessions (indicators 30–32) — per offer,
//! facilitator, coordinator and month: sessions, attendees, survey responses and response rate,
//! the average of each survey question, the old single satisfaction score, the results of the
//! evaluation of what was learnt (`evaluation:`, counts per result); the sessions whose
//! evidence is late; and the survey's comments, without who wrote them.
//!
//! Held sessions count when they start within the period. A question's average over several
//! sessions weighs each session's average by its number of responses. Comments come from
//! `private/surveys/<session>.yaml`, so they appear only where those files are (never in CI).

use super::{Period, Section, mean, n};
use crate::model::config::Evidence;
use crate::model::evidence::overdue;
use crate::model::survey::Answers;
use crate::model::{Config, Date, Kind, Quantity, Session, SessionState};
use crate::workspace::{Loaded, Workspace};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The JSON output's shape version.
pub const VERSION: u32 = 1;

/// The kinds of file this report reads: sessions, their missions (coordinators) and fresk.yaml.
pub const KINDS: &[Kind] = &[Kind::Config, Kind::Mission, Kind::Session];

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct QualityReport {
    pub version: u32,
    pub period: Period,
    /// The survey's question ids, in the order of fresk.yaml.
    pub questions: Vec<String>,
    pub by_offer: Vec<Group>,
    pub by_facilitator: Vec<Group>,
    pub by_coordinator: Vec<Group>,
    pub by_month: Vec<Group>,
    pub total: Group,
    /// Held sessions whose evidence is late (see `evidence:` in fresk.yaml).
    pub missing_evidence: Vec<MissingEvidence>,
    /// The survey's comments, per session, without their authors.
    pub comments: Vec<Comment>,
}

/// The figures of a group of held sessions.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Group {
    /// The offer, person or month (`YYYY-MM`); `all` for the total.
    pub key: String,
    pub sessions: u32,
    pub attended: u32,
    /// Sessions whose survey answers were imported.
    pub surveyed: u32,
    pub responses: u32,
    /// Responses per attendee of the surveyed sessions, in percent.
    pub response_rate: Option<Quantity>,
    /// The average answer per question id.
    pub averages: BTreeMap<String, Quantity>,
    /// The mean of the sessions' single `satisfaction` scores, where recorded.
    pub satisfaction: Option<Quantity>,
    /// Sessions whose evaluation of what was learnt is recorded (`evaluation:`), and the
    /// participants per result.
    pub evaluated: u32,
    pub acquired: u32,
    pub partially: u32,
    pub not_acquired: u32,
    pub scored: u32,
    #[serde(skip)]
    sums: Sums,
}

/// Running sums behind a group's figures.
#[derive(Debug, Clone, Default)]
struct Sums {
    surveyed_attended: u32,
    /// Per question: Σ(average × responses) and Σ responses.
    questions: BTreeMap<String, (Decimal, u32)>,
    satisfaction: (Decimal, u32),
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MissingEvidence {
    pub session: String,
    pub offer: String,
    pub ended: Date,
    /// What is late (`certificates`, `survey`), with the day it was due.
    pub missing: Vec<(String, Date)>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Comment {
    pub session: String,
    pub offer: String,
    pub text: String,
}

impl Group {
    fn new(key: impl Into<String>) -> Group {
        Group {
            key: key.into(),
            ..Group::default()
        }
    }

    fn add(&mut self, s: &Session) {
        self.sessions += 1;
        let attended = s.participants.attended.unwrap_or(0);
        self.attended += attended;
        if let Some(summary) = &s.survey {
            self.surveyed += 1;
            self.responses += summary.responses;
            self.sums.surveyed_attended += attended;
            for (q, avg) in &summary.averages {
                let e = self.sums.questions.entry(q.clone()).or_default();
                e.0 += avg.0 * Decimal::from(summary.responses);
                e.1 += summary.responses;
            }
        }
        if let Some(e) = &s.evaluation {
            self.evaluated += 1;
            self.acquired += e.acquired;
            self.partially += e.partially;
            self.not_acquired += e.not_acquired;
            self.scored += e.scored;
        }
        if let Some(q) = s.satisfaction {
            self.sums.satisfaction.0 += q.0;
            self.sums.satisfaction.1 += 1;
        }
    }

    fn finish(&mut self) {
        self.response_rate = mean(
            Decimal::from(self.responses) * Decimal::from(100),
            self.sums.surveyed_attended,
        );
        self.averages = self
            .sums
            .questions
            .iter()
            .filter_map(|(q, (sum, count))| mean(*sum, *count).map(|m| (q.clone(), m)))
            .collect();
        self.satisfaction = mean(self.sums.satisfaction.0, self.sums.satisfaction.1);
    }
}

/// The report on `ws` for `period`; late evidence as of `today`; comments read under `root`.
pub fn compute(
    ws: &Workspace,
    config: &Config,
    period: Period,
    today: Date,
    root: Option<&Path>,
) -> QualityReport {
    let coordinators: BTreeMap<&str, &str> = ws
        .missions
        .iter()
        .map(|m| (m.id.as_str(), m.coordinator.as_str()))
        .collect();
    let mut held: Vec<&Loaded<Session>> = ws
        .sessions
        .iter()
        .filter(|s| s.state == SessionState::Held && period.contains(s.start.date()))
        .collect();
    held.sort_by(|a, b| (a.start.local, &a.id).cmp(&(b.start.local, &b.id)));
    let mut groups: [BTreeMap<String, Group>; 4] = Default::default();
    let mut total = Group::new("all");
    let evidence = config.evidence.clone().unwrap_or_default();
    let mut missing_evidence = Vec::new();
    let mut comments = Vec::new();
    for s in &held {
        let mut keys: [Vec<String>; 4] = [
            vec![s.offer.clone()],
            s.facilitators.iter().map(|b| b.person.clone()).collect(),
            coordinators
                .get(s.mission.as_str())
                .map(|c| vec![c.to_string()])
                .unwrap_or_default(),
            vec![s.start.date().month().to_string()],
        ];
        for (map, keys) in groups.iter_mut().zip(keys.iter_mut()) {
            keys.sort();
            keys.dedup();
            for k in keys.iter() {
                map.entry(k.clone())
                    .or_insert_with(|| Group::new(k.clone()))
                    .add(s);
            }
        }
        total.add(s);
        missing_evidence.extend(late(s, &evidence, today));
        if let Some(root) = root {
            comments.extend(session_comments(root, s));
        }
    }
    let [by_offer, by_facilitator, by_coordinator, by_month] = groups.map(|m| {
        m.into_values()
            .map(|mut g| {
                g.finish();
                g
            })
            .collect::<Vec<_>>()
    });
    total.finish();
    QualityReport {
        version: VERSION,
        period,
        questions: config
            .survey
            .iter()
            .flat_map(|s| s.questions.iter().map(|q| q.id.clone()))
            .collect(),
        by_offer,
        by_facilitator,
        by_coordinator,
        by_month,
        total,
        missing_evidence,
        comments,
    }
}

fn late(s: &Session, evidence: &Evidence, today: Date) -> Option<MissingEvidence> {
    let mut missing: Vec<(String, Date)> = Vec::new();
    // A held session with attendees and no roster named in its file has no sign-in record
    // (`fresk session hold --present` or `--from-roster` names it).
    let ended = s.end.date();
    if s.participants.attended.is_some_and(|n| n > 0)
        && s.participants.roster.is_none()
        && evidence.since.is_none_or(|since| ended >= since)
    {
        missing.push(("sign-in-sheet".to_string(), ended));
    }
    missing.extend(
        overdue(s, evidence, today)
            .into_iter()
            .map(|(due, by)| (due.as_str().to_string(), by)),
    );
    (!missing.is_empty()).then(|| MissingEvidence {
        session: s.id.clone(),
        offer: s.offer.clone(),
        ended: s.end.date(),
        missing,
    })
}

/// The comments of `s`'s survey, from its private file when there is one that reads.
fn session_comments(root: &Path, s: &Session) -> Vec<Comment> {
    let rel = format!("private/surveys/{}.yaml", s.id);
    let Ok(path) = crate::store::resolve(root, &rel) else {
        return Vec::new();
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(answers) = crate::yaml::de::from_text::<Answers>(&text) else {
        return Vec::new();
    };
    if answers.session != s.id {
        return Vec::new();
    }
    answers
        .comments()
        .into_iter()
        .map(|c| Comment {
            session: s.id.clone(),
            offer: s.offer.clone(),
            text: c.to_string(),
        })
        .collect()
}

impl QualityReport {
    pub fn sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        for (title, groups, key) in [
            ("Quality per offer", &self.by_offer, "offer"),
            (
                "Quality per facilitator",
                &self.by_facilitator,
                "facilitator",
            ),
            (
                "Quality per coordinator",
                &self.by_coordinator,
                "coordinator",
            ),
            ("Quality per month", &self.by_month, "month"),
        ] {
            let mut section = self.group_section(title, key);
            for g in groups {
                section.rows.push(self.row(g));
            }
            out.push(section);
        }
        let mut total = self.group_section("Quality, all held sessions", "group");
        total.rows.push(self.row(&self.total));
        out.push(total);
        let mut missing = Section::new(
            "Sessions missing evidence",
            &["session", "offer", "ended", "missing", "due"],
            9,
        );
        for m in &self.missing_evidence {
            for (what, by) in &m.missing {
                missing.rows.push(vec![
                    m.session.clone(),
                    m.offer.clone(),
                    m.ended.to_string(),
                    what.clone(),
                    by.to_string(),
                ]);
            }
        }
        out.push(missing);
        let mut comments = Section::new("Comments", &["session", "offer", "comment"], 9);
        for c in &self.comments {
            comments
                .rows
                .push(vec![c.session.clone(), c.offer.clone(), c.text.clone()]);
        }
        out.push(comments);
        out
    }

    fn group_section(&self, title: &str, key: &'static str) -> Section {
        Section::new(
            title,
            &[
                key,
                "sessions",
                "attended",
                "surveyed",
                "responses",
                "response rate %",
                "averages",
                "satisfaction",
                "evaluated",
                "acquired",
                "partially",
                "not acquired",
                "scored",
            ],
            1,
        )
    }

    fn row(&self, g: &Group) -> Vec<String> {
        let opt = |q: Option<Quantity>| q.map(|q| q.to_string()).unwrap_or_default();
        let averages: Vec<String> = self
            .questions
            .iter()
            .chain(g.averages.keys().filter(|k| !self.questions.contains(k)))
            .filter_map(|q| g.averages.get(q).map(|a| format!("{q} {a}")))
            .collect();
        vec![
            g.key.clone(),
            n(g.sessions),
            n(g.attended),
            n(g.surveyed),
            n(g.responses),
            opt(g.response_rate),
            averages.join(", "),
            opt(g.satisfaction),
            n(g.evaluated),
            n(g.acquired),
            n(g.partially),
            n(g.not_acquired),
            n(g.scored),
        ]
    }
}
