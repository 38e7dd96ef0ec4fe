//! `fresk report missions`: per mission and offer, ordered / planned / held / cancelled, revenue
//! ordered and delivered, participants, satisfaction; and the coordinators' load.
//!
//! Sessions count when they start within the period; a mission appears when it was opened in
//! the period or has a session in it (its whole order is then shown as ordered). Revenue
//! delivered is the held sessions valued at the order's unit price ([`super::session_price`]);
//! flat lines without sessions (travel, fees) are ordered but never "delivered".

use super::{Period, Section, mean, n, session_price};
use crate::HashMap;
use crate::model::Kind;
use crate::model::{Config, Mission, MissionState, Money, Session, SessionState};
use crate::workspace::Workspace;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MissionsReport {
    pub period: Period,
    pub missions: Vec<MissionFigures>,
    pub totals: Totals,
    pub coordinators: Vec<CoordinatorLoad>,
    /// Revenue, payouts, costs and margin per mission.
    pub margins: super::margins::Margins,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MissionFigures {
    pub mission: String,
    pub state: MissionState,
    pub organisation: String,
    pub coordinator: String,
    pub lines: Vec<OfferFigures>,
    pub revenue_ordered: Money,
    pub revenue_delivered: Money,
    /// Expected and attended participants of the held sessions.
    pub expected: u32,
    pub attended: u32,
    /// Mean satisfaction of the held sessions that have one.
    pub satisfaction: Option<crate::model::Quantity>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OfferFigures {
    /// The offer, or the label of a free line.
    pub offer: String,
    pub ordered: u32,
    pub planned: u32,
    pub held: u32,
    pub cancelled: u32,
    pub revenue_ordered: Money,
    pub revenue_delivered: Money,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Totals {
    pub missions: u32,
    pub planned: u32,
    pub held: u32,
    pub cancelled: u32,
    pub revenue_ordered: Money,
    pub revenue_delivered: Money,
    pub expected: u32,
    pub attended: u32,
    pub satisfaction: Option<crate::model::Quantity>,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct CoordinatorLoad {
    pub coordinator: String,
    pub missions: u32,
    pub open_missions: u32,
    pub held: u32,
    pub planned: u32,
}

/// The kinds of file this report reads: missions and their sessions (prices and offers from fresk.yaml). A report loads only these
/// ([`crate::workspace::load_kinds`]); a kind missing here would silently count as none.
pub const KINDS: &[Kind] = &[Kind::Config, Kind::Mission, Kind::Session, Kind::Payout];

pub fn compute(ws: &Workspace, config: &Config, period: Period) -> MissionsReport {
    debug_assert!(KINDS.iter().all(|k| ws.kinds.has(*k)), "{:?}", ws.kinds);
    let mut sessions_of: HashMap<&str, Vec<&Session>> = HashMap::default();
    for s in &ws.sessions {
        if period.contains(s.start.date()) {
            sessions_of
                .entry(s.mission.as_str())
                .or_default()
                .push(&s.value);
        }
    }
    let mut missions: Vec<_> = ws
        .missions
        .iter()
        .filter(|m| period.contains(m.opened) || sessions_of.contains_key(m.id.as_str()))
        .collect();
    missions.sort_by(|a, b| a.id.cmp(&b.id));

    let mut totals = Totals::default();
    let (mut score_sum, mut scored) = (Decimal::ZERO, 0u32);
    let mut load: BTreeMap<&str, CoordinatorLoad> = BTreeMap::new();
    let mut out = Vec::with_capacity(missions.len());
    for m in missions {
        let c = load.entry(m.coordinator.as_str()).or_default();
        let sessions = sessions_of
            .get(m.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        let (figures, (m_sum, m_scored)) = mission_figures(config, m, sessions, c);
        totals.missions += 1;
        for l in &figures.lines {
            totals.planned += l.planned;
            totals.held += l.held;
            totals.cancelled += l.cancelled;
        }
        totals.revenue_ordered += figures.revenue_ordered;
        totals.revenue_delivered += figures.revenue_delivered;
        totals.expected += figures.expected;
        totals.attended += figures.attended;
        score_sum += m_sum;
        scored += m_scored;
        out.push(figures);
    }
    totals.satisfaction = mean(score_sum, scored);
    MissionsReport {
        margins: super::margins::compute(ws, config, period),
        period,
        missions: out,
        totals,
        coordinators: load
            .into_iter()
            .map(|(k, mut v)| {
                v.coordinator = k.to_string();
                v
            })
            .collect(),
    }
}

/// The figures of mission `m` from its `sessions` in the period, per order line (then per offer
/// delivered but not ordered), counted also in its coordinator's load `c`; with the sum and
/// count of its satisfaction scores.
fn mission_figures(
    config: &Config,
    m: &Mission,
    sessions: &[&Session],
    c: &mut CoordinatorLoad,
) -> (MissionFigures, (Decimal, u32)) {
    let mut lines: Vec<OfferFigures> = m
        .order
        .iter()
        .map(|l| OfferFigures {
            offer: l
                .offer
                .clone()
                .or_else(|| l.label.clone())
                .unwrap_or_default(),
            ordered: l.quantity,
            planned: 0,
            held: 0,
            cancelled: 0,
            revenue_ordered: l.unit_price.times(Decimal::from(l.quantity)),
            revenue_delivered: Money::ZERO,
        })
        .collect();
    let (mut expected, mut attended) = (0u32, 0u32);
    let (mut m_sum, mut m_scored) = (Decimal::ZERO, 0u32);
    c.missions += 1;
    if m.state == MissionState::Open {
        c.open_missions += 1;
    }
    for s in sessions {
        let i = match m
            .order
            .iter()
            .position(|l| l.offer.as_deref() == Some(s.offer.as_str()))
            .or_else(|| {
                lines
                    .iter()
                    .position(|l| l.ordered == 0 && l.offer == s.offer)
            }) {
            Some(i) => i,
            None => {
                lines.push(OfferFigures {
                    offer: s.offer.clone(),
                    ordered: 0,
                    planned: 0,
                    held: 0,
                    cancelled: 0,
                    revenue_ordered: Money::ZERO,
                    revenue_delivered: Money::ZERO,
                });
                lines.len() - 1
            }
        };
        let line = &mut lines[i];
        match s.state {
            SessionState::Planned => {
                line.planned += 1;
                c.planned += 1;
            }
            SessionState::Cancelled => line.cancelled += 1,
            SessionState::Held => {
                line.held += 1;
                c.held += 1;
                line.revenue_delivered += session_price(config, Some(m), s);
                expected += s.participants.expected.unwrap_or(0);
                attended += s.participants.attended.unwrap_or(0);
                if let Some(score) = s.satisfaction {
                    m_sum += score.0;
                    m_scored += 1;
                }
            }
        }
    }
    let revenue_ordered: Money = lines.iter().map(|l| l.revenue_ordered).sum();
    let revenue_delivered: Money = lines.iter().map(|l| l.revenue_delivered).sum();
    let figures = MissionFigures {
        mission: m.id.clone(),
        state: m.state,
        organisation: m.organisation.clone(),
        coordinator: m.coordinator.clone(),
        lines,
        revenue_ordered,
        revenue_delivered,
        expected,
        attended,
        satisfaction: mean(m_sum, m_scored),
    };
    (figures, (m_sum, m_scored))
}

impl MissionsReport {
    pub fn sections(&self) -> Vec<Section> {
        let mut offers = Section::new(
            "Missions, per offer",
            &[
                "mission",
                "state",
                "organisation",
                "offer",
                "ordered",
                "planned",
                "held",
                "cancelled",
                "revenue ordered",
                "revenue delivered",
            ],
            4,
        );
        let mut missions = Section::new(
            "Missions",
            &[
                "mission",
                "state",
                "organisation",
                "coordinator",
                "revenue ordered",
                "revenue delivered",
                "expected",
                "attended",
                "satisfaction",
            ],
            4,
        );
        for m in &self.missions {
            for (i, l) in m.lines.iter().enumerate() {
                let head = if i == 0 {
                    vec![
                        m.mission.clone(),
                        m.state.to_string(),
                        m.organisation.clone(),
                    ]
                } else {
                    vec![String::new(); 3]
                };
                let mut row = head;
                row.extend([
                    l.offer.clone(),
                    n(l.ordered),
                    n(l.planned),
                    n(l.held),
                    n(l.cancelled),
                    l.revenue_ordered.to_string(),
                    l.revenue_delivered.to_string(),
                ]);
                offers.rows.push(row);
            }
            missions.rows.push(vec![
                m.mission.clone(),
                m.state.to_string(),
                m.organisation.clone(),
                m.coordinator.clone(),
                m.revenue_ordered.to_string(),
                m.revenue_delivered.to_string(),
                n(m.expected),
                n(m.attended),
                m.satisfaction
                    .map(|s| format!("{:.2}", s.0))
                    .unwrap_or_default(),
            ]);
        }
        let t = &self.totals;
        missions.rows.push(vec![
            format!("total ({} missions)", t.missions),
            String::new(),
            String::new(),
            String::new(),
            t.revenue_ordered.to_string(),
            t.revenue_delivered.to_string(),
            n(t.expected),
            n(t.attended),
            t.satisfaction
                .map(|s| format!("{:.2}", s.0))
                .unwrap_or_default(),
        ]);
        let mut coordinators = Section::new(
            "Coordinators' load",
            &[
                "coordinator",
                "missions",
                "open",
                "sessions held",
                "sessions planned",
            ],
            1,
        );
        coordinators.rows = self
            .coordinators
            .iter()
            .map(|c| {
                vec![
                    c.coordinator.clone(),
                    n(c.missions),
                    n(c.open_missions),
                    n(c.held),
                    n(c.planned),
                ]
            })
            .collect();
        let mut out = vec![missions, offers, coordinators];
        out.extend(self.margins.sections(&["mission"]));
        out
    }
}
