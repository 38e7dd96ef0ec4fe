//! Revenue, payouts, costs and margin — per mission, offer, sector, group and month: the
//! numbers a member of a cooperative asks for. Shown by `report missions` and `report
//! activity`.
//!
//! Revenue is what held sessions are worth ([`super::session_price`]), in the month the session
//! started; payouts are the lines of payout requests not rejected, in the month of their
//! session (the coordination line: when the mission closed); costs are the missions' `costs`,
//! on their `date` (else when the mission closed, else opened). Coordination lines and costs
//! belong to no offer. A group's part is each amount split by the `shares` that apply to it
//! (the mission's, else its session's offer's); amounts without shares go to `(unshared)`.

use super::{Period, Section, by_id, session_price};
use crate::model::{Config, Date, Kind, Money, PayoutState, SessionState, Shares};
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;

/// The kinds of file the margins read.
pub const KINDS: &[Kind] = &[Kind::Config, Kind::Mission, Kind::Session, Kind::Payout];

/// What no offer holds: coordination lines and costs.
pub const NO_OFFER: &str = "(mission-wide)";
/// Amounts no `shares` split.
pub const UNSHARED: &str = "(unshared)";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Margin {
    pub revenue: Money,
    pub payouts: Money,
    pub costs: Money,
    /// revenue − payouts − costs.
    pub margin: Money,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MarginRow {
    pub key: String,
    #[serde(flatten)]
    pub figures: Margin,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Margins {
    pub totals: Margin,
    pub by_mission: Vec<MarginRow>,
    pub by_offer: Vec<MarginRow>,
    pub by_sector: Vec<MarginRow>,
    pub by_group: Vec<MarginRow>,
    pub by_month: Vec<MarginRow>,
}

#[derive(Debug, Clone, Copy)]
enum Side {
    Revenue,
    Payout,
    Cost,
}

impl Margin {
    fn add(&mut self, side: Side, amount: Money) {
        match side {
            Side::Revenue => {
                self.revenue += amount;
                self.margin += amount;
            }
            Side::Payout => {
                self.payouts += amount;
                self.margin = self.margin - amount;
            }
            Side::Cost => {
                self.costs += amount;
                self.margin = self.margin - amount;
            }
        }
    }
}

/// One amount and where it belongs.
pub struct Item<'a> {
    side: Side,
    pub amount: Money,
    pub mission: &'a str,
    pub offer: Option<&'a str>,
    pub date: Date,
    pub shares: Option<&'a Shares>,
}

impl Item<'_> {
    /// `revenue`, `payout` or `cost`.
    pub fn side_name(&self) -> &'static str {
        match self.side {
            Side::Revenue => "revenue",
            Side::Payout => "payout",
            Side::Cost => "cost",
        }
    }
}

/// Every revenue, payout and cost amount of the workspace dated in `period`.
pub fn items<'a>(ws: &'a Workspace, config: &'a Config, period: Period) -> Vec<Item<'a>> {
    let missions = by_id(&ws.missions, |m| &m.id);
    let sessions = by_id(&ws.sessions, |s| &s.id);
    let offer_shares = |offer: &str| config.offer(offer).and_then(|o| o.shares.as_ref());
    let mut out = Vec::new();
    for s in &ws.sessions {
        if s.state != SessionState::Held {
            continue;
        }
        let mission = missions.get(s.mission.as_str()).copied();
        out.push(Item {
            side: Side::Revenue,
            amount: session_price(config, mission, s),
            mission: s.mission.as_str(),
            offer: Some(s.offer.as_str()),
            date: s.start.date(),
            shares: mission
                .and_then(|m| m.shares.as_ref())
                .or_else(|| offer_shares(&s.offer)),
        });
    }
    for p in &ws.payouts {
        if p.state == PayoutState::Rejected {
            continue;
        }
        let mission = missions.get(p.mission.as_str()).copied();
        for line in &p.lines {
            let session = line
                .session
                .as_deref()
                .and_then(|id| sessions.get(id).copied());
            let date = match session {
                Some(s) => s.start.date(),
                None => mission.and_then(|m| m.closed).unwrap_or(p.requested),
            };
            let offer = session.map(|s| s.offer.as_str());
            out.push(Item {
                side: Side::Payout,
                amount: line.amount,
                mission: p.mission.as_str(),
                offer,
                date,
                shares: mission
                    .and_then(|m| m.shares.as_ref())
                    .or_else(|| offer.and_then(offer_shares)),
            });
        }
    }
    for m in &ws.missions {
        for c in &m.costs {
            out.push(Item {
                side: Side::Cost,
                amount: c.amount,
                mission: m.id.as_str(),
                offer: None,
                date: c.date.or(m.closed).unwrap_or(m.opened),
                shares: m.shares.as_ref(),
            });
        }
    }
    out.retain(|i| period.contains(i.date));
    out
}

pub fn compute(ws: &Workspace, config: &Config, period: Period) -> Margins {
    let missions = by_id(&ws.missions, |m| &m.id);
    let mut totals = Margin::default();
    let mut tables: [BTreeMap<String, Margin>; 5] = Default::default();
    for item in items(ws, config, period) {
        let sector = missions
            .get(item.mission)
            .map_or("unknown", |m| m.sector.as_str());
        totals.add(item.side, item.amount);
        let [mission, offer, by_sector, group, month] = &mut tables;
        mission
            .entry(item.mission.to_string())
            .or_default()
            .add(item.side, item.amount);
        offer
            .entry(item.offer.unwrap_or(NO_OFFER).to_string())
            .or_default()
            .add(item.side, item.amount);
        by_sector
            .entry(sector.to_string())
            .or_default()
            .add(item.side, item.amount);
        month
            .entry(item.date.month().to_string())
            .or_default()
            .add(item.side, item.amount);
        match item.shares {
            Some(shares) => {
                for (g, part) in super::activity::split(item.amount, shares) {
                    group.entry(g).or_default().add(item.side, part);
                }
            }
            None => group
                .entry(UNSHARED.to_string())
                .or_default()
                .add(item.side, item.amount),
        }
    }
    let rows = |m: &BTreeMap<String, Margin>| -> Vec<MarginRow> {
        m.iter()
            .map(|(key, figures)| MarginRow {
                key: key.clone(),
                figures: *figures,
            })
            .collect()
    };
    let [mission, offer, sector, group, month] = &tables;
    Margins {
        totals,
        by_mission: rows(mission),
        by_offer: rows(offer),
        by_sector: rows(sector),
        by_group: rows(group),
        by_month: rows(month),
    }
}

const HEADERS: [&str; 4] = ["revenue", "payouts", "costs", "margin"];

fn row(key: &str, f: &Margin) -> Vec<String> {
    vec![
        key.to_string(),
        f.revenue.to_string(),
        f.payouts.to_string(),
        f.costs.to_string(),
        f.margin.to_string(),
    ]
}

impl Margins {
    /// The tables titled `Margin by …`, for the dimensions asked (`mission`, `offer`, `sector`,
    /// `group`, `month`).
    pub fn sections(&self, dimensions: &[&'static str]) -> Vec<Section> {
        let mut out = Vec::new();
        for dim in dimensions {
            let rows = match *dim {
                "mission" => &self.by_mission,
                "offer" => &self.by_offer,
                "sector" => &self.by_sector,
                "group" => &self.by_group,
                _ => &self.by_month,
            };
            let mut headers = vec![*dim];
            headers.extend(HEADERS);
            let mut s = Section::new(
                format!("Margin by {dim} (revenue − payouts − costs)"),
                &headers,
                1,
            );
            s.rows = rows.iter().map(|r| row(&r.key, &r.figures)).collect();
            s.rows.push(row("total", &self.totals));
            out.push(s);
        }
        out
    }
}
