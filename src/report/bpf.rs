//! `fresk report bpf --year Y`: the figures of the *bilan pédagogique et financier* for a year —
//! trainees, trainee-hours and revenue of the training actions, by who paid (the form's part C)
//! and by what the training aimed at (part F-3).
//!
//! Only training actions count: held sessions of `training` offers that started in the year.
//! Trainees are the sessions' attendees; a session's hours are its actual length (end − start),
//! so trainee-hours are attendees × hours; revenue is the session valued at its mission's order
//! price ([`super::session_price`], as `report activity` does). The funder is the mission's
//! `funder`, else the one its sector implies ([`Funder::of_sector`]); the objective is the
//! offer's `bpf_objective`, else `other`.

use super::{Period, Section, dec, n, session_price};
use crate::model::bpf::{Funder, Objective};
use crate::model::{Config, Date, Kind, Money, OfferKind, Quantity, SessionState};
use crate::workspace::Workspace;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The JSON output's shape version.
pub const VERSION: u32 = 1;

/// The kinds of file this report reads: sessions, their missions and fresk.yaml.
pub const KINDS: &[Kind] = &[Kind::Config, Kind::Mission, Kind::Session];

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BpfReport {
    pub version: u32,
    pub year: i32,
    pub period: Period,
    /// Part C: per funder.
    pub by_funder: Vec<Line>,
    /// Part F-3: per objective.
    pub by_objective: Vec<Line>,
    pub total: Line,
}

/// The figures of one group of training sessions.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Line {
    pub key: String,
    pub sessions: u32,
    pub trainees: u32,
    pub trainee_hours: Quantity,
    pub revenue: Money,
}

impl Line {
    fn new(key: &str) -> Line {
        Line {
            key: key.to_string(),
            ..Line::default()
        }
    }

    fn add(&mut self, trainees: u32, hours: Decimal, revenue: Money) {
        self.sessions += 1;
        self.trainees += trainees;
        self.trainee_hours = Quantity(self.trainee_hours.0 + Decimal::from(trainees) * hours);
        self.revenue += revenue;
    }
}

/// The year `year`'s figures.
pub fn compute(ws: &Workspace, config: &Config, year: i32) -> BpfReport {
    let period = Period {
        from: chrono::NaiveDate::from_ymd_opt(year, 1, 1).map(Date),
        to: chrono::NaiveDate::from_ymd_opt(year, 12, 31).map(Date),
    };
    let missions = super::by_id(&ws.missions, |m| &m.id);
    let mut by_funder: BTreeMap<Funder, Line> = BTreeMap::new();
    let mut by_objective: BTreeMap<Objective, Line> = BTreeMap::new();
    let mut total = Line::new("all");
    for s in &ws.sessions {
        let Some(offer) = config.offer(&s.offer) else {
            continue;
        };
        if s.state != SessionState::Held
            || offer.kind != OfferKind::Training
            || s.start.date().year() != year
        {
            continue;
        }
        let mission = missions.get(s.mission.as_str()).copied();
        let funder = mission
            .map(|m| m.funder.unwrap_or_else(|| Funder::of_sector(m.sector)))
            .unwrap_or(Funder::Other);
        let objective = offer.bpf_objective.unwrap_or(Objective::Other);
        let minutes = (s.end.local - s.start.local).num_minutes().max(0);
        let hours = Decimal::from(minutes) / Decimal::from(60);
        let trainees = s.participants.attended.unwrap_or(0);
        let revenue = session_price(config, mission, s);
        by_funder
            .entry(funder)
            .or_insert_with(|| Line::new(funder.as_str()))
            .add(trainees, hours, revenue);
        by_objective
            .entry(objective)
            .or_insert_with(|| Line::new(objective.as_str()))
            .add(trainees, hours, revenue);
        total.add(trainees, hours, revenue);
    }
    let round = |mut l: Line| {
        l.trainee_hours = Quantity(l.trainee_hours.0.round_dp(2).normalize());
        l
    };
    BpfReport {
        version: VERSION,
        year,
        period,
        by_funder: by_funder.into_values().map(round).collect(),
        by_objective: by_objective.into_values().map(round).collect(),
        total: round(total),
    }
}

impl BpfReport {
    pub fn sections(&self) -> Vec<Section> {
        let headers = |key| [key, "sessions", "trainees", "trainee-hours", "revenue"];
        let row = |l: &Line| {
            vec![
                l.key.clone(),
                n(l.sessions),
                n(l.trainees),
                dec(l.trainee_hours.0),
                l.revenue.to_string(),
            ]
        };
        let mut funders = Section::new(
            "Training actions by client or funder (part C)",
            &headers("funder"),
            1,
        );
        funders.rows = self.by_funder.iter().map(row).collect();
        let mut objectives = Section::new(
            "Trainees by training objective (part F-3)",
            &headers("objective"),
            1,
        );
        objectives.rows = self.by_objective.iter().map(row).collect();
        let mut total = Section::new("All training actions", &headers("group"), 1);
        total.rows.push(row(&self.total));
        vec![funders, objectives, total]
    }
}
