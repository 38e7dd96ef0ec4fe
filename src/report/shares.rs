//! `fresk report shares`: what each internal group and the commons receive, with the
//! computation — per mission (or per offer, where the mission sets no `shares`), the basis
//! (`revenue`, or `margin` = revenue − payouts − costs, as `shares_of` says), and its split.
//!
//! A mission's `shares` split everything of the mission (its costs and coordination lines
//! included, for a margin). Without them, each offer's `shares` split what belongs to that
//! offer: the revenue of its held sessions and, for a margin, the payouts of those sessions
//! (costs and coordination belong to no offer, so nobody shares them). A negative margin is a
//! loss, and is split the same way.

use super::margins::{Item, items};
use super::{Period, Section};
use crate::model::mission::ShareBasis;
use crate::model::{Config, Kind, Money, Share, Shares};
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;

pub const KINDS: &[Kind] = super::margins::KINDS;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SharesReport {
    pub period: Period,
    /// One row per shared basis: a mission, or an offer within a mission.
    pub rows: Vec<ShareComputation>,
    /// What each group receives over the period.
    pub groups: Vec<GroupTotal>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ShareComputation {
    pub mission: String,
    /// The offer whose `shares` split it; none when the mission's own do.
    pub offer: Option<String>,
    pub basis: ShareBasis,
    pub revenue: Money,
    pub payouts: Money,
    pub costs: Money,
    /// The amount split: the revenue, or the margin.
    pub amount: Money,
    /// The rule, e.g. `kitchen 20 %, commons rest`.
    pub shares: String,
    /// Each group's part.
    pub parts: Vec<GroupTotal>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupTotal {
    pub group: String,
    pub amount: Money,
}

#[derive(Default)]
struct Basis {
    revenue: Money,
    payouts: Money,
    costs: Money,
}

fn describe(shares: &Shares) -> String {
    shares
        .iter()
        .map(|(g, s)| match s {
            Share::Percent(p) => format!("{g} {p} %"),
            Share::Rest => format!("{g} rest"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn compute(ws: &Workspace, config: &Config, period: Period) -> SharesReport {
    let missions = super::by_id(&ws.missions, |m| &m.id);
    // (mission, offer) → basis; the offer is None where the mission's own shares apply.
    let mut bases: BTreeMap<(String, Option<String>), Basis> = BTreeMap::new();
    for item in items(ws, config, period) {
        let mission = missions.get(item.mission).copied();
        let key = if mission.is_some_and(|m| m.shares.is_some()) {
            (item.mission.to_string(), None)
        } else {
            match item
                .offer
                .filter(|o| config.offer(o).is_some_and(|x| x.shares.is_some()))
            {
                Some(o) => (item.mission.to_string(), Some(o.to_string())),
                None => continue,
            }
        };
        let b = bases.entry(key).or_default();
        add(b, &item);
    }
    let mut rows = Vec::new();
    let mut groups: BTreeMap<String, Money> = BTreeMap::new();
    for ((mission_id, offer), b) in bases {
        let mission = missions.get(mission_id.as_str()).copied();
        let (shares, basis) = match &offer {
            None => (
                mission.and_then(|m| m.shares.as_ref()),
                mission.and_then(|m| m.shares_of),
            ),
            Some(o) => {
                let offer = config.offer(o);
                (
                    offer.and_then(|x| x.shares.as_ref()),
                    offer.and_then(|x| x.shares_of),
                )
            }
        };
        let Some(shares) = shares else { continue };
        let basis = basis.unwrap_or(ShareBasis::Revenue);
        let amount = match basis {
            ShareBasis::Revenue => b.revenue,
            ShareBasis::Margin => b.revenue - b.payouts - b.costs,
        };
        let parts: Vec<GroupTotal> = super::activity::split(amount, shares)
            .into_iter()
            .map(|(group, amount)| GroupTotal { group, amount })
            .collect();
        for p in &parts {
            *groups.entry(p.group.clone()).or_default() += p.amount;
        }
        rows.push(ShareComputation {
            mission: mission_id,
            offer,
            basis,
            revenue: b.revenue,
            payouts: b.payouts,
            costs: b.costs,
            amount,
            shares: describe(shares),
            parts,
        });
    }
    SharesReport {
        period,
        rows,
        groups: groups
            .into_iter()
            .map(|(group, amount)| GroupTotal { group, amount })
            .collect(),
    }
}

fn add(b: &mut Basis, item: &Item) {
    match item.side_name() {
        "revenue" => b.revenue += item.amount,
        "payout" => b.payouts += item.amount,
        _ => b.costs += item.amount,
    }
}

impl SharesReport {
    pub fn sections(&self) -> Vec<Section> {
        let mut computation = Section::new(
            "The computation: each basis and its split",
            &[
                "mission", "offer", "basis", "revenue", "payouts", "costs", "amount", "shares",
                "parts",
            ],
            3,
        );
        computation.numeric = vec![3, 4, 5, 6];
        computation.rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.mission.clone(),
                    r.offer.clone().unwrap_or_else(|| "(mission)".into()),
                    r.basis.to_string(),
                    r.revenue.to_string(),
                    r.payouts.to_string(),
                    r.costs.to_string(),
                    r.amount.to_string(),
                    r.shares.clone(),
                    r.parts
                        .iter()
                        .map(|p| format!("{} {}", p.group, p.amount))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect();
        let mut groups = Section::new("What each group receives", &["group", "amount"], 1);
        groups.rows = self
            .groups
            .iter()
            .map(|g| vec![g.group.clone(), g.amount.to_string()])
            .collect();
        let total: Money = self.groups.iter().map(|g| g.amount).sum();
        groups.rows.push(vec!["total".into(), total.to_string()]);
        vec![computation, groups]
    }
}
