//! `fresk report payouts`: what facilitators are owed — due (held, not yet requested), requested,
//! invoiced and paid — per person and per month of the work; and who cannot be self-billed.
//!
//! A session's lines count in the month the session started, the coordination line in the month
//! the mission closed (else the month it was requested). Requested, invoiced and paid amounts are
//! the payout lines as written (rejected payouts do not count); due amounts come from the rate
//! card. The period filters on that same month's day (the session's start, the closing date).

use super::{Period, Section};
use crate::model::Kind;
use crate::model::session::FacilitatorStatus;
use crate::model::{Config, Date, MissionState, Money, PayoutState, SessionState, YearMonth};
use crate::workspace::Workspace;
use crate::{HashMap, HashSet};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PayoutsReport {
    pub period: Period,
    pub person: Option<String>,
    pub totals: Amounts,
    /// Of the totals, the session lines (the rest is coordination).
    pub sessions: Amounts,
    pub by_person: Vec<Keyed>,
    pub by_month: Vec<Keyed>,
    pub not_self_billable: Vec<OwnInvoice>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema, PartialEq, Eq)]
pub struct Amounts {
    pub due: Money,
    pub requested: Money,
    pub invoiced: Money,
    pub paid: Money,
    pub total: Money,
}

impl Amounts {
    fn add(&mut self, state: Stage, amount: Money) {
        match state {
            Stage::Due => self.due += amount,
            Stage::Requested => self.requested += amount,
            Stage::Invoiced => self.invoiced += amount,
            Stage::Paid => self.paid += amount,
        }
        self.total += amount;
    }

    /// Owed but not paid yet.
    pub fn unpaid(&self) -> Money {
        self.due + self.requested + self.invoiced
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Keyed {
    pub key: String,
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// A facilitator who must send their own invoice, and what they are owed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OwnInvoice {
    pub person: String,
    pub name: Option<String>,
    pub why: String,
    pub owed: Money,
}

#[derive(Clone, Copy)]
enum Stage {
    Due,
    Requested,
    Invoiced,
    Paid,
}

/// The kinds of file this report reads: payouts; sessions (date of a line, what is due), missions (closing date, coordination due), people (who can self-bill, `--person`). A report loads only these
/// ([`crate::workspace::load_kinds`]); a kind missing here would silently count as none.
pub const KINDS: &[Kind] = &[
    Kind::Config,
    Kind::Person,
    Kind::Mission,
    Kind::Session,
    Kind::Payout,
];

/// The amounts being added up, within the period (and for the person asked about).
struct Tally<'w> {
    period: Period,
    person: Option<&'w str>,
    by_person: BTreeMap<&'w str, Amounts>,
    by_month: BTreeMap<YearMonth, Amounts>,
    totals: Amounts,
    sessions: Amounts,
}

impl<'w> Tally<'w> {
    /// Count `amount` owed to `who` at `stage` on `day` (a `session` line or a coordination).
    fn record(&mut self, who: &'w str, day: Date, stage: Stage, amount: Money, session: bool) {
        if !self.period.contains(day) || self.person.is_some_and(|p| p != who) {
            return;
        }
        self.by_person.entry(who).or_default().add(stage, amount);
        self.by_month
            .entry(day.month())
            .or_default()
            .add(stage, amount);
        self.totals.add(stage, amount);
        if session {
            self.sessions.add(stage, amount);
        }
    }
}

/// What payout lines already cover: (session, person) and missions whose coordination is in.
#[derive(Default)]
struct Covered<'w> {
    bookings: HashSet<(&'w str, &'w str)>,
    coordinations: HashSet<&'w str>,
}

pub fn compute<'w>(
    ws: &'w Workspace,
    config: &Config,
    period: Period,
    person: Option<&'w str>,
) -> PayoutsReport {
    debug_assert!(KINDS.iter().all(|k| ws.kinds.has(*k)), "{:?}", ws.kinds);
    let mut tally = Tally {
        period,
        person,
        by_person: BTreeMap::new(),
        by_month: BTreeMap::new(),
        totals: Amounts::default(),
        sessions: Amounts::default(),
    };
    let covered = requested(ws, &mut tally);
    due(ws, config, &covered, &mut tally);
    let not_self_billable = own_invoices(ws, &tally.by_person);
    PayoutsReport {
        period,
        person: person.map(str::to_string),
        totals: tally.totals,
        sessions: tally.sessions,
        by_person: tally
            .by_person
            .into_iter()
            .map(|(key, amounts)| Keyed {
                key: key.to_string(),
                amounts,
            })
            .collect(),
        by_month: tally
            .by_month
            .into_iter()
            .map(|(k, amounts)| Keyed {
                key: k.to_string(),
                amounts,
            })
            .collect(),
        not_self_billable,
    }
}

/// The lines of payouts that are not rejected, at their payout's stage; what they cover.
fn requested<'w>(ws: &'w Workspace, tally: &mut Tally<'w>) -> Covered<'w> {
    let sessions: HashMap<&str, &crate::model::Session> = ws
        .sessions
        .iter()
        .map(|s| (s.id.as_str(), &s.value))
        .collect();
    let missions: HashMap<&str, &crate::model::Mission> = ws
        .missions
        .iter()
        .map(|m| (m.id.as_str(), &m.value))
        .collect();
    let mut covered = Covered::default();
    for p in &ws.payouts {
        let stage = match p.state {
            PayoutState::Rejected => continue,
            PayoutState::Requested => Stage::Requested,
            // Ordered from the bank, not yet recorded paid: still owed.
            PayoutState::Invoiced | PayoutState::Ordered => Stage::Invoiced,
            PayoutState::Paid => Stage::Paid,
        };
        for line in &p.lines {
            if line.coordination {
                covered.coordinations.insert(p.mission.as_str());
                let day = missions
                    .get(p.mission.as_str())
                    .and_then(|m| m.closed)
                    .unwrap_or(p.requested);
                tally.record(&line.person, day, stage, line.amount, false);
            } else if let Some(sid) = &line.session {
                covered
                    .bookings
                    .insert((sid.as_str(), line.person.as_str()));
                let day = sessions
                    .get(sid.as_str())
                    .map_or(p.requested, |s| s.start.date());
                tally.record(&line.person, day, stage, line.amount, true);
            }
        }
    }
    covered
}

/// Due: held sessions' paid facilitators in no payout yet, at the rate card; and the
/// coordination of closed missions not yet requested.
fn due<'w>(ws: &'w Workspace, config: &Config, covered: &Covered<'_>, tally: &mut Tally<'w>) {
    let mut held_of: HashMap<&str, usize> = HashMap::default();
    for s in &ws.sessions {
        if s.state != SessionState::Held {
            continue;
        }
        *held_of.entry(s.mission.as_str()).or_default() += 1;
        for b in &s.facilitators {
            if b.status != FacilitatorStatus::Paid
                || covered
                    .bookings
                    .contains(&(s.id.as_str(), b.person.as_str()))
            {
                continue;
            }
            let amount = config.session_rate(&s.offer, b.role).unwrap_or(Money::ZERO);
            tally.record(&b.person, s.start.date(), Stage::Due, amount, true);
        }
    }
    for m in &ws.missions {
        if !matches!(m.state, MissionState::Closed | MissionState::Invoiced)
            || covered.coordinations.contains(m.id.as_str())
        {
            continue;
        }
        let held = held_of.get(m.id.as_str()).copied().unwrap_or(0);
        let amount = config
            .rates
            .coordination_per_session
            .times(rust_decimal::Decimal::from(held));
        tally.record(
            &m.coordinator,
            m.closed.unwrap_or(m.opened),
            Stage::Due,
            amount,
            false,
        );
    }
}

/// The people owed something who cannot be self-billed, and why: they send their own invoice.
fn own_invoices(ws: &Workspace, by_person: &BTreeMap<&str, Amounts>) -> Vec<OwnInvoice> {
    let people = super::by_id(&ws.people, |p| &p.id);
    by_person
        .iter()
        .filter_map(|(id, a)| {
            let p = people.get(*id);
            if p.is_some_and(|p| p.self_billable()) || a.unpaid().is_zero() {
                return None;
            }
            let why = match p.and_then(|p| p.billing.as_ref()) {
                None if p.is_none() => "no file in people/".to_string(),
                None => "no billing details".to_string(),
                Some(b) if !b.country.eq_ignore_ascii_case("FR") => {
                    format!("based outside France ({})", b.country)
                }
                Some(_) => "no self-billing mandate".to_string(),
            };
            Some(OwnInvoice {
                person: id.to_string(),
                name: p.map(|p| p.name.clone()),
                why,
                owed: a.unpaid(),
            })
        })
        .collect()
}

const AMOUNTS: [&str; 5] = ["due", "requested", "invoiced", "paid", "total"];

fn row(key: &str, a: &Amounts) -> Vec<String> {
    vec![
        key.to_string(),
        a.due.to_string(),
        a.requested.to_string(),
        a.invoiced.to_string(),
        a.paid.to_string(),
        a.total.to_string(),
    ]
}

impl PayoutsReport {
    pub fn sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        for (title, first, rows) in [
            ("By person", "person", &self.by_person),
            ("By month of the work", "month", &self.by_month),
        ] {
            let mut headers = vec![first];
            headers.extend(AMOUNTS);
            let mut s = Section::new(title, &headers, 1);
            s.rows = rows.iter().map(|k| row(&k.key, &k.amounts)).collect();
            s.rows.push(row("total", &self.totals));
            out.push(s);
        }
        let mut s = Section::new(
            "Not self-billable: they send their own invoice",
            &["person", "name", "why", "owed"],
            3,
        );
        s.rows = self
            .not_self_billable
            .iter()
            .map(|o| {
                vec![
                    o.person.clone(),
                    o.name.clone().unwrap_or_default(),
                    o.why.clone(),
                    o.owed.to_string(),
                ]
            })
            .collect();
        out.push(s);
        out
    }
}
