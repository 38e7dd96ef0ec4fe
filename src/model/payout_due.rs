//! What a payout request for a mission would hold if made now — each paid facilitator of a held,
//! ended session not yet requested, and the coordination once the mission is closed — and what
//! it leaves out, and why. `fresk payout request` writes it; the rate card gives the amounts.

use super::config::Config;
use super::mission::{Mission, MissionState};
use super::money::Money;
use super::payout::{Payout, PayoutState};
use super::person::Person;
use super::session::{FacilitatorRole, FacilitatorStatus, Session, SessionState};
use chrono::{DateTime as Instant, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// A line the request will hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The session; `None` on the coordination line.
    pub session: Option<String>,
    pub person: String,
    pub role: Option<FacilitatorRole>,
    pub amount: Money,
    /// Held sessions, on the coordination line.
    pub sessions: Option<u32>,
}

impl Due {
    /// The line as a flow mapping of the payout file's `lines:`.
    pub fn yaml(&self) -> String {
        match &self.session {
            Some(session) => format!(
                "{{ session: {session}, person: {}, role: {}, amount: {} }}",
                self.person,
                self.role.map_or("lead", FacilitatorRole::as_str),
                self.amount.to_yaml()
            ),
            None => format!(
                "{{ coordination: true, person: {}, sessions: {}, amount: {} }}",
                self.person,
                self.sessions.unwrap_or(0),
                self.amount.to_yaml()
            ),
        }
    }
}

/// What the request leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The session, or `coordination`.
    pub what: String,
    /// The person (or, for a whole session, everyone booked on it).
    pub person: String,
    pub why: String,
}

/// What the request reads besides the mission: the workspace's people, the rate card, the time.
pub struct Context<'a> {
    /// A person of the workspace by id.
    pub person: &'a dyn Fn(&str) -> Option<&'a Person>,
    pub config: &'a Config,
    pub now: Instant<Utc>,
    pub tz: Tz,
}

impl Context<'_> {
    fn not_self_billable(&self, person: &str) -> Option<String> {
        not_self_billable(person, (self.person)(person))
    }
}

/// Why the association may not self-bill `id` (`person`, their file when it reads): they are
/// then left out of payout requests and their self-invoices refused.
pub fn not_self_billable(id: &str, person: Option<&Person>) -> Option<String> {
    match person {
        None => Some(format!(
            "no file people/{id}.yaml: add the person before requesting"
        )),
        Some(p) => p.not_self_billable().map(|why| why.to_string()),
    }
}

/// What a request for `mission` made now would hold (`sessions` and `payouts` are the
/// workspace's; only the mission's count), and what it would leave out.
pub fn payout_due<'s>(
    cx: &Context<'_>,
    mission: &Mission,
    sessions: impl Iterator<Item = &'s Session>,
    payouts: impl Iterator<Item = &'s Payout>,
) -> (Vec<Due>, Vec<Skipped>) {
    // (session, person) and coordination lines already in a payout that is not rejected.
    let mut covered: HashMap<(&str, &str), &str> = HashMap::new();
    let mut coordination: Option<&str> = None;
    for p in payouts.filter(|p| p.mission == mission.id && p.state != PayoutState::Rejected) {
        for line in &p.lines {
            if line.coordination {
                coordination.get_or_insert(p.id.as_str());
            } else if let Some(s) = &line.session {
                covered
                    .entry((s.as_str(), line.person.as_str()))
                    .or_insert(p.id.as_str());
            }
        }
    }
    let mut sessions: Vec<&Session> = sessions.filter(|s| s.mission == mission.id).collect();
    sessions.sort_by(|a, b| a.id.cmp(&b.id));

    let mut due = Vec::new();
    let mut skipped = Vec::new();
    let mut held = 0u32;
    for s in &sessions {
        if s.state == SessionState::Held {
            held += 1;
        }
        if let Some(why) = not_payable(cx, s) {
            skipped.push(Skipped {
                what: s.id.clone(),
                person: s
                    .facilitators
                    .iter()
                    .map(|b| b.person.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                why,
            });
            continue;
        }
        bookings_due(cx, s, &covered, &mut due, &mut skipped);
    }
    match coordination_due(cx, mission, held, coordination) {
        Coordination::Due(line) => due.push(line),
        Coordination::LeftOut(why) => skipped.push(Skipped {
            what: "coordination".into(),
            person: mission.coordinator.clone(),
            why,
        }),
    }
    (due, skipped)
}

/// Why nobody is paid for session `s` now: it is cancelled, not held, or not ended.
fn not_payable(cx: &Context<'_>, s: &Session) -> Option<String> {
    let ended = s.end.instant(cx.tz) <= cx.now;
    match s.state {
        SessionState::Cancelled => Some("cancelled: nothing to pay".to_string()),
        SessionState::Planned if ended => Some(format!(
            "ended on {} but not recorded as held: run `fresk session hold {}` first",
            s.end.date(),
            s.id
        )),
        SessionState::Planned => Some(format!("not held yet (planned for {})", s.start)),
        SessionState::Held if !ended => Some(format!("not ended yet (ends {})", s.end)),
        SessionState::Held => None,
    }
}

/// The paid facilitators of held, ended session `s` not yet requested, at the rate card's rate.
fn bookings_due(
    cx: &Context<'_>,
    s: &Session,
    covered: &HashMap<(&str, &str), &str>,
    due: &mut Vec<Due>,
    skipped: &mut Vec<Skipped>,
) {
    for b in &s.facilitators {
        let skip = |why: String| Skipped {
            what: s.id.clone(),
            person: b.person.clone(),
            why,
        };
        if b.status != FacilitatorStatus::Paid {
            skipped.push(skip(format!(
                "status `{}`: not a paid facilitator, not paid through payouts",
                b.status
            )));
            continue;
        }
        if let Some(p) = covered.get(&(s.id.as_str(), b.person.as_str())) {
            skipped.push(skip(format!("already requested in {p}")));
            continue;
        }
        if let Some(why) = cx.not_self_billable(&b.person) {
            skipped.push(skip(why));
            continue;
        }
        match cx.config.rate(&s.offer, b.role) {
            Ok(amount) => due.push(Due {
                session: Some(s.id.clone()),
                person: b.person.clone(),
                role: Some(b.role),
                amount,
                sessions: None,
            }),
            Err(why) => skipped.push(skip(why.to_string())),
        }
    }
}

/// The coordination line, or why it is left out.
enum Coordination {
    Due(Due),
    LeftOut(String),
}

/// The coordination line (the rate per held session, once the mission is closed), or why not.
fn coordination_due(
    cx: &Context<'_>,
    mission: &Mission,
    held: u32,
    requested_in: Option<&str>,
) -> Coordination {
    match mission.state {
        MissionState::Open => Coordination::LeftOut(format!(
            "mission is open: coordination is requested once it is closed (fresk mission close {})",
            mission.id
        )),
        MissionState::Cancelled => {
            Coordination::LeftOut("mission is cancelled: no coordination is paid".to_string())
        }
        MissionState::Closed | MissionState::Invoiced => {
            if let Some(p) = requested_in {
                Coordination::LeftOut(format!("already requested in {p}"))
            } else if held == 0 {
                Coordination::LeftOut("no held session to coordinate".to_string())
            } else if let Some(why) = cx.not_self_billable(&mission.coordinator) {
                Coordination::LeftOut(why)
            } else {
                Coordination::Due(Due {
                    session: None,
                    person: mission.coordinator.clone(),
                    role: None,
                    amount: cx
                        .config
                        .rates
                        .coordination_per_session
                        .times(rust_decimal::Decimal::from(held)),
                    sessions: Some(held),
                })
            }
        }
    }
}
