//! `fresk report requests`: the pipeline — requests received per month, channel, origin, track
//! and sector, conversion, lost reasons, response and quote times, and what is overdue.

use super::{Period, Section, by_id, fmt_minutes, median, n};
use crate::model::Kind;
use crate::model::{Config, Date, Request, RequestState};
use crate::workspace::Workspace;
use chrono::{DateTime as Instant, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RequestsReport {
    pub period: Period,
    pub as_of: Date,
    pub totals: Funnel,
    pub by_month: Vec<Breakdown>,
    pub by_channel: Vec<Breakdown>,
    pub by_origin: Vec<Breakdown>,
    pub by_track: Vec<Breakdown>,
    pub by_sector: Vec<Breakdown>,
    pub lost: Vec<Closed>,
    /// Median minutes from reception to first response (answered requests).
    pub median_first_response_minutes: Option<i64>,
    /// Median hours from reception to the day the quote was sent (quoted requests).
    pub median_time_to_quote_hours: Option<i64>,
    pub response_sla_hours: u32,
    pub past_response_sla: Vec<Overdue>,
    pub quotes_past_validity: Vec<ExpiredQuote>,
    /// Requests opened to applications (published, or with applications): how many applied,
    /// and how long the choice took.
    pub applications: Vec<Applications>,
    /// Median days from publication to assignment (requests with both dates).
    pub median_days_publish_to_assignment: Option<i64>,
    /// Requests published or assigned that nobody applied to.
    pub no_applicant: Vec<String>,
}

/// One request opened to applications.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Applications {
    pub request: String,
    pub state: RequestState,
    pub published: Option<Date>,
    pub apply_until: Option<Date>,
    pub applications: usize,
    pub assigned: Option<Date>,
    /// Days from `published` to `assigned`.
    pub days_to_assignment: Option<i64>,
    /// The coordinator or facilitator chosen.
    pub assignee: Option<String>,
    /// Whether the assignee applied (or was the owner, with référent priority).
    pub assignee_applied: Option<bool>,
}

/// Received → quoted → won, and how the rest closed.
#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct Funnel {
    pub received: u32,
    /// A quote was sent.
    pub quoted: u32,
    /// Won, published or assigned.
    pub won: u32,
    pub lost: u32,
    pub expired: u32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Breakdown {
    pub key: String,
    #[serde(flatten)]
    pub funnel: Funnel,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Closed {
    pub request: String,
    pub state: RequestState,
    pub organisation: String,
    pub date: Option<Date>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Overdue {
    pub request: String,
    pub organisation: String,
    pub received: String,
    /// When it was answered, if it was (late).
    pub first_response: Option<String>,
    /// Hours from reception to the answer, or to now when unanswered.
    pub hours: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ExpiredQuote {
    pub request: String,
    pub organisation: String,
    pub quote: Option<String>,
    pub valid_until: Date,
}

impl Funnel {
    fn add(&mut self, r: &Request) {
        self.received += 1;
        if r.quote.as_ref().is_some_and(|q| q.sent.is_some()) {
            self.quoted += 1;
        }
        match r.state {
            RequestState::Won | RequestState::Published | RequestState::Assigned => self.won += 1,
            RequestState::Lost => self.lost += 1,
            RequestState::Expired => self.expired += 1,
            _ => {}
        }
    }
}

/// The kinds of file this report reads: requests, and the sector of their organisation. A report loads only these
/// ([`crate::workspace::load_kinds`]); a kind missing here would silently count as none.
pub const KINDS: &[Kind] = &[Kind::Config, Kind::Organisation, Kind::Request];

/// The origins of a request as the configured list spells them (canonical keys, each once);
/// a word the list does not know is kept as written (lint reports it).
pub fn origin_keys(config: &Config, r: &Request) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for word in r.origin_refs() {
        let key = crate::model::origin::resolve(&config.origins, word)
            .map_or_else(|| word.trim().to_string(), |o| o.key);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

pub fn compute(
    ws: &Workspace,
    config: &Config,
    period: Period,
    now: Instant<Utc>,
    tz: Tz,
) -> RequestsReport {
    debug_assert!(KINDS.iter().all(|k| ws.kinds.has(*k)), "{:?}", ws.kinds);
    let orgs = by_id(&ws.organisations, |o| &o.id);
    let today = Date(now.with_timezone(&tz).date_naive());
    let mut requests: Vec<&Request> = ws
        .requests
        .iter()
        .map(|r| &r.value)
        .filter(|r| period.contains(r.received.date()))
        .collect();
    requests.sort_by(|a, b| a.id.cmp(&b.id));

    let mut totals = Funnel::default();
    let mut maps: [BTreeMap<String, Funnel>; 5] = Default::default();
    let mut lost = Vec::new();
    let mut response = Vec::new();
    let mut to_quote = Vec::new();
    let mut past_sla = Vec::new();
    let mut expired = Vec::new();
    let sla_minutes = i64::from(config.response_sla_hours) * 60;
    for r in &requests {
        totals.add(r);
        let sector = orgs
            .get(r.organisation.as_str())
            .map_or("unknown", |o| o.sector.as_str());
        let keys = [
            r.received.date().month().to_string(),
            r.channel.to_string(),
            r.track.to_string(),
            sector.to_string(),
        ];
        for (map, key) in maps.iter_mut().zip(keys) {
            map.entry(key).or_default().add(r);
        }
        // A request with several origins counts once under each.
        for key in origin_keys(config, r) {
            maps[4].entry(key).or_default().add(r);
        }
        if matches!(r.state, RequestState::Lost | RequestState::Expired) {
            lost.push(Closed {
                request: r.id.clone(),
                state: r.state,
                organisation: r.organisation.clone(),
                date: r.decision.as_ref().map(|d| d.date),
                reason: r.decision.as_ref().and_then(|d| d.reason.clone()),
            });
        }
        let (minutes, overdue) = first_response(r, now, tz, sla_minutes);
        response.extend(minutes);
        past_sla.extend(overdue);
        if let Some(q) = &r.quote {
            if let Some(sent) = q.sent {
                to_quote.push((sent.0 - r.received.date().0).num_days() * 24);
            }
            if r.state == RequestState::Quoted
                && let Some(until) = q.valid_until
                && until < today
            {
                expired.push(ExpiredQuote {
                    request: r.id.clone(),
                    organisation: r.organisation.clone(),
                    quote: q.number.clone(),
                    valid_until: until,
                });
            }
        }
    }
    let (applications, mut to_assign, no_applicant) = applications(&requests);
    let [by_month, by_channel, by_track, by_sector, by_origin] = maps.map(|m| {
        m.into_iter()
            .map(|(key, funnel)| Breakdown { key, funnel })
            .collect()
    });
    RequestsReport {
        period,
        as_of: today,
        totals,
        by_month,
        by_channel,
        by_origin,
        by_track,
        by_sector,
        lost,
        median_first_response_minutes: median(&mut response),
        median_time_to_quote_hours: median(&mut to_quote),
        response_sla_hours: config.response_sla_hours,
        past_response_sla: past_sla,
        quotes_past_validity: expired,
        applications,
        median_days_publish_to_assignment: median(&mut to_assign),
        no_applicant,
    }
}

/// The requests opened to applications, the days each took from publication to assignment, and
/// those nobody applied to.
fn applications(requests: &[&Request]) -> (Vec<Applications>, Vec<i64>, Vec<String>) {
    let mut rows = Vec::new();
    let mut days = Vec::new();
    let mut none = Vec::new();
    for r in requests {
        let opened = r.published.is_some()
            || !r.applications.is_empty()
            || r.state == RequestState::Published;
        if !opened {
            continue;
        }
        let took = r
            .published
            .zip(r.assigned)
            .map(|(p, a)| (a.0 - p.0).num_days());
        days.extend(took);
        if r.applications.is_empty()
            && matches!(r.state, RequestState::Published | RequestState::Assigned)
        {
            none.push(r.id.clone());
        }
        let assignee = r.assignee().map(str::to_string);
        rows.push(Applications {
            request: r.id.clone(),
            state: r.state,
            published: r.published,
            apply_until: r.apply_until,
            applications: r.applications.len(),
            assigned: r.assigned,
            days_to_assignment: took,
            assignee_applied: assignee.as_deref().map(|a| r.may_take_without_reason(a)),
            assignee,
        });
    }
    (rows, days, none)
}

/// Minutes from reception to the first response (when there was one), and the request when it
/// was answered past the SLA or is still unanswered past it.
fn first_response(
    r: &Request,
    now: Instant<Utc>,
    tz: Tz,
    sla_minutes: i64,
) -> (Option<i64>, Option<Overdue>) {
    let received = r.received.instant(tz);
    let (minutes, answered) = match r.first_response {
        Some(answer) => ((answer.instant(tz) - received).num_minutes(), Some(answer)),
        None => ((now - received).num_minutes(), None),
    };
    let overdue =
        minutes > sla_minutes && (answered.is_some() || r.state == RequestState::Received);
    let overdue = overdue.then(|| Overdue {
        request: r.id.clone(),
        organisation: r.organisation.clone(),
        received: r.received.to_string(),
        first_response: answered.map(|a| a.to_string()),
        hours: minutes / 60,
    });
    (answered.map(|_| minutes), overdue)
}

fn funnel_row(key: &str, f: &Funnel) -> Vec<String> {
    let rate = |part: u32| {
        (part * 100)
            .checked_div(f.received)
            .map(|p| format!("{p}%"))
            .unwrap_or_default()
    };
    vec![
        key.to_string(),
        n(f.received),
        n(f.quoted),
        n(f.won),
        n(f.lost),
        n(f.expired),
        rate(f.won),
    ]
}

const FUNNEL: [&str; 6] = ["received", "quoted", "won", "lost", "expired", "won %"];

impl RequestsReport {
    pub fn sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        let mut summary = Section::new("Summary", &["figure", "value"], 1);
        summary.rows = vec![
            vec!["requests received".into(), n(self.totals.received)],
            vec!["quoted".into(), n(self.totals.quoted)],
            vec!["won".into(), n(self.totals.won)],
            vec!["lost".into(), n(self.totals.lost)],
            vec!["expired".into(), n(self.totals.expired)],
            vec![
                "median time to first response".into(),
                self.median_first_response_minutes
                    .map(fmt_minutes)
                    .unwrap_or_default(),
            ],
            vec![
                "median time to quote".into(),
                self.median_time_to_quote_hours
                    .map(|h| format!("{h} h"))
                    .unwrap_or_default(),
            ],
            vec![
                format!("past the {} h response SLA", self.response_sla_hours),
                n(self.past_response_sla.len()),
            ],
            vec![
                "quotes past validity".into(),
                n(self.quotes_past_validity.len()),
            ],
            vec![
                "median time from publication to assignment".into(),
                self.median_days_publish_to_assignment
                    .map(|d| format!("{d} d"))
                    .unwrap_or_default(),
            ],
            vec![
                "published with no applicant".into(),
                n(self.no_applicant.len()),
            ],
        ];
        out.push(summary);
        for (title, first, rows) in [
            ("By month received", "month", &self.by_month),
            ("By channel", "channel", &self.by_channel),
            ("By origin", "origin", &self.by_origin),
            ("By track", "track", &self.by_track),
            ("By sector", "sector", &self.by_sector),
        ] {
            let mut headers = vec![first];
            headers.extend(FUNNEL);
            let mut s = Section::new(title, &headers, 1);
            s.rows = rows.iter().map(|b| funnel_row(&b.key, &b.funnel)).collect();
            out.push(s);
        }
        let mut s = Section::new(
            "Lost and expired",
            &["request", "state", "organisation", "date", "reason"],
            5,
        );
        s.rows = self
            .lost
            .iter()
            .map(|l| {
                vec![
                    l.request.clone(),
                    l.state.to_string(),
                    l.organisation.clone(),
                    l.date.map(|d| d.to_string()).unwrap_or_default(),
                    l.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.push(s);
        let mut s = Section::new(
            format!("Past the {} h response SLA", self.response_sla_hours),
            &[
                "request",
                "organisation",
                "received",
                "first response",
                "hours",
            ],
            4,
        );
        s.rows = self
            .past_response_sla
            .iter()
            .map(|o| {
                vec![
                    o.request.clone(),
                    o.organisation.clone(),
                    o.received.clone(),
                    o.first_response
                        .clone()
                        .unwrap_or_else(|| "not answered".into()),
                    n(o.hours),
                ]
            })
            .collect();
        out.push(s);
        let mut s = Section::new(
            "Quotes past validity, still quoted",
            &["request", "organisation", "quote", "valid until"],
            4,
        );
        s.rows = self
            .quotes_past_validity
            .iter()
            .map(|q| {
                vec![
                    q.request.clone(),
                    q.organisation.clone(),
                    q.quote.clone().unwrap_or_default(),
                    q.valid_until.to_string(),
                ]
            })
            .collect();
        out.push(s);
        out.push(self.applications_section());
        out
    }

    fn applications_section(&self) -> Section {
        let mut s = Section::new(
            "Applications",
            &[
                "request",
                "state",
                "published",
                "apply until",
                "assigned",
                "assignee",
                "applied",
                "applications",
                "days to assign",
            ],
            7,
        );
        let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        s.rows = self
            .applications
            .iter()
            .map(|a| {
                vec![
                    a.request.clone(),
                    a.state.to_string(),
                    day(a.published),
                    day(a.apply_until),
                    day(a.assigned),
                    a.assignee.clone().unwrap_or_default(),
                    match a.assignee_applied {
                        Some(true) => "yes".into(),
                        Some(false) => "no".into(),
                        None => String::new(),
                    },
                    n(a.applications),
                    a.days_to_assignment.map(n).unwrap_or_default(),
                ]
            })
            .collect();
        s
    }
}
