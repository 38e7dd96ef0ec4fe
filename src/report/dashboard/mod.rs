//! The coordinator's dashboard of one mission (`fresk mission show`): order progress, sessions
//! and their payouts, what a payout request would hold now, and whether the mission can close.
//! Computed here as a value (printed as JSON as it is), rendered as text in [`render`].

mod render;

pub use render::{SESSION_HEADERS, render, session_rows};

use crate::model::session::{Booking, FacilitatorRole, FacilitatorStatus};
use crate::model::{
    Config, Date, Mission, MissionState, Money, Payout, PayoutState, Sector, Session, SessionState,
};
use crate::workspace::{Loaded, Workspace};
use chrono::{DateTime as Instant, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// The coordinator's view of a mission: computed here, printed by `mission show`,
/// reused by payouts and tests.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Dashboard {
    pub mission: String,
    pub state: MissionState,
    pub request: String,
    pub organisation: String,
    /// The organisation's name, when its file is readable.
    pub organisation_name: Option<String>,
    pub sector: Sector,
    pub coordinator: String,
    pub opened: Date,
    pub closed: Option<Date>,
    /// The moment the dashboard describes (`YYYY-MM-DD HH:MM`, workspace time zone).
    pub as_of: String,
    /// Per order line: ordered, planned, held, cancelled.
    /// Who applied to the mission's request, in order (`fresk request apply`).
    pub applicants: Vec<crate::model::Application>,
    /// Why the coordinator was chosen without applying, when recorded.
    pub without_application: Option<String>,
    pub order: Vec<OrderRow>,
    /// Every session of the mission, by start.
    pub sessions: Vec<SessionRow>,
    /// Every payout request of the mission, by request date.
    pub payouts: Vec<PayoutRow>,
    /// What `fresk payout request --mission` would include now.
    pub requestable: Requestable,
    /// Whether `fresk mission close` would accept, and if not why.
    pub close: CloseCheck,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OrderRow {
    /// The catalogue offer; absent on free lines.
    pub offer: Option<String>,
    pub label: Option<String>,
    pub unit_price: Option<Money>,
    /// Units ordered (0 for an offer planned but not in the order).
    pub ordered: u32,
    /// Sessions of this offer still planned.
    pub planned: u32,
    pub held: u32,
    pub cancelled: u32,
    /// Sessions still to plan on an open mission: ordered − planned − held (negative when
    /// over-planned); absent for lines that are not sessions (free lines, flat fees) and on
    /// missions no longer open.
    pub to_plan: Option<i64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SessionRow {
    pub id: String,
    pub offer: String,
    pub state: SessionState,
    pub start: String,
    pub end: String,
    /// Has the end passed?
    pub ended: bool,
    pub expected: Option<u32>,
    pub attended: Option<u32>,
    pub facilitators: Vec<FacilitatorRow>,
    /// Seats still open to facilitators (`fresk session join`), on a session that takes
    /// sign-ups; `None` otherwise.
    pub open_seats: Option<u32>,
    /// The role of the open seats.
    pub open_role: Option<FacilitatorRole>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FacilitatorRow {
    pub person: String,
    pub role: FacilitatorRole,
    pub status: FacilitatorStatus,
    pub payout: PayoutStatus,
    /// The payout that covers this booking, when there is one.
    pub payout_id: Option<String>,
    /// Rejected payouts that had a line for this booking.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected_in: Vec<String>,
}

/// Where a booking stands with payouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PayoutStatus {
    NotRequested,
    Requested,
    Invoiced,
    Paid,
    /// Not paid through payouts (internal, volunteer, or a cancelled session).
    NotApplicable,
    /// Paid, but not self-billable (no mandate, or outside France): sends their own invoice.
    OwnInvoice,
}

impl PayoutStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutStatus::NotRequested => "not requested",
            PayoutStatus::Requested => "requested",
            PayoutStatus::Invoiced => "invoiced",
            PayoutStatus::Paid => "paid",
            PayoutStatus::NotApplicable => "n.a.",
            PayoutStatus::OwnInvoice => "own invoice",
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PayoutRow {
    pub id: String,
    pub state: PayoutState,
    pub requested: Date,
    pub lines: usize,
    pub total: Money,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Requestable {
    /// Lines due now: held, ended sessions' paid facilitators not in any payout (rejected ones do
    /// not count), and the coordination line once the mission is closed.
    pub lines: Vec<DueLine>,
    /// The sum of the lines whose amount the rate card gives.
    pub total: Money,
    /// Why no request can be made now even though lines are due (the monthly limit).
    pub blocked: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DueLine {
    pub session: Option<String>,
    pub person: String,
    pub role: Option<FacilitatorRole>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub coordination: bool,
    /// Held sessions counted on the coordination line.
    pub sessions: Option<u32>,
    /// From the rate card; absent when the rate card has no rate for it.
    pub amount: Option<Money>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CloseCheck {
    pub possible: bool,
    pub reasons: Vec<String>,
}

fn fmt_instant(t: Instant<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// Which payouts cover each (session, person) of a mission: non-rejected first, then rejected.
struct Coverage<'a> {
    lines: HashMap<(&'a str, &'a str), Vec<&'a Payout>>,
    coordination: Vec<&'a Payout>,
}

fn coverage<'a>(payouts: &[&'a Loaded<Payout>]) -> Coverage<'a> {
    let mut lines: HashMap<(&str, &str), Vec<&Payout>> = HashMap::new();
    let mut coordination = Vec::new();
    for p in payouts {
        for line in &p.lines {
            if line.coordination {
                coordination.push(&p.value);
            } else if let Some(s) = &line.session {
                lines
                    .entry((s.as_str(), line.person.as_str()))
                    .or_default()
                    .push(&p.value);
            }
        }
    }
    Coverage {
        lines,
        coordination,
    }
}

/// What the computation of one dashboard reads.
struct Inputs<'a> {
    ws: &'a Workspace,
    config: &'a Config,
    cover: Coverage<'a>,
    now: Instant<Utc>,
    tz: Tz,
}

/// What the bookings of held sessions leave unpaid: the lines due now (ended sessions), and
/// for every such booking why the mission cannot close yet.
#[derive(Default)]
struct Unpaid {
    due: Vec<DueLine>,
    reasons: Vec<String>,
}

/// Compute the dashboard of mission `m` at `now`.
pub fn compute(
    ws: &Workspace,
    config: &Config,
    m: &Loaded<Mission>,
    now: Instant<Utc>,
    tz: Tz,
) -> Dashboard {
    let mut sessions: Vec<&Loaded<Session>> =
        ws.sessions.iter().filter(|s| s.mission == m.id).collect();
    sessions.sort_by(|a, b| (a.start.instant(tz), &a.id).cmp(&(b.start.instant(tz), &b.id)));
    let mut payouts: Vec<&Loaded<Payout>> =
        ws.payouts.iter().filter(|p| p.mission == m.id).collect();
    payouts.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
    let inputs = Inputs {
        ws,
        config,
        cover: coverage(&payouts),
        now,
        tz,
    };

    let mut unpaid = Unpaid::default();
    let session_rows: Vec<SessionRow> = sessions
        .iter()
        .map(|s| session_row(&inputs, s, &mut unpaid))
        .collect();
    let Unpaid { mut due, reasons } = unpaid;
    due.extend(coordination_due(&inputs, m, &sessions));
    let total = due.iter().filter_map(|l| l.amount).sum();
    let (this_month, blocked) = monthly_limit(&inputs, m, &payouts, due.is_empty());
    let reasons = close_reasons(
        &inputs,
        m,
        &sessions,
        reasons,
        blocked.is_some(),
        &this_month,
    );

    Dashboard {
        mission: m.id.clone(),
        state: m.state,
        request: m.request.clone(),
        organisation: m.organisation.clone(),
        organisation_name: ws
            .organisations
            .iter()
            .find(|o| o.id == m.organisation)
            .map(|o| o.name.clone()),
        sector: m.sector,
        coordinator: m.coordinator.clone(),
        opened: m.opened,
        closed: m.closed,
        as_of: fmt_instant(now, tz),
        applicants: ws
            .requests
            .iter()
            .find(|r| r.id == m.request)
            .map(|r| r.applications.clone())
            .unwrap_or_default(),
        without_application: ws
            .requests
            .iter()
            .find(|r| r.id == m.request)
            .and_then(|r| r.without_application.clone()),
        order: order_progress(config, m, &sessions),
        sessions: session_rows,
        payouts: payouts
            .iter()
            .map(|p| PayoutRow {
                id: p.id.clone(),
                state: p.state,
                requested: p.requested,
                lines: p.lines.len(),
                total: p.total(),
            })
            .collect(),
        requestable: Requestable {
            lines: due,
            total,
            blocked,
        },
        close: CloseCheck {
            possible: reasons.is_empty(),
            reasons,
        },
    }
}

/// Order progress, one row per order line (sessions counted on the first line of their offer),
/// then a row per offer planned but not ordered.
fn order_progress(config: &Config, m: &Mission, sessions: &[&Loaded<Session>]) -> Vec<OrderRow> {
    let mut order: Vec<OrderRow> = m
        .order
        .iter()
        .map(|l| OrderRow {
            offer: l.offer.clone(),
            label: l.label.clone(),
            unit_price: Some(l.unit_price),
            ordered: l.quantity,
            planned: 0,
            held: 0,
            cancelled: 0,
            to_plan: None,
        })
        .collect();
    for s in sessions {
        let row = match order
            .iter()
            .position(|r| r.offer.as_deref() == Some(s.offer.as_str()))
        {
            Some(i) => &mut order[i],
            None => {
                order.push(OrderRow {
                    offer: Some(s.offer.clone()),
                    label: None,
                    unit_price: None,
                    ordered: 0,
                    planned: 0,
                    held: 0,
                    cancelled: 0,
                    to_plan: None,
                });
                let last = order.len() - 1;
                &mut order[last]
            }
        };
        match s.state {
            SessionState::Planned => row.planned += 1,
            SessionState::Held => row.held += 1,
            SessionState::Cancelled => row.cancelled += 1,
        }
    }
    for row in &mut order {
        let Some(offer) = row.offer.as_deref() else {
            continue;
        };
        let has_sessions = row.planned + row.held + row.cancelled > 0
            || config.offer(offer).is_some_and(|o| o.hours.is_some());
        if m.state != MissionState::Open || !has_sessions {
            continue;
        }
        // Several lines of one offer share its sessions: the total ordered counts.
        let ordered = i64::try_from(m.ordered(offer)).unwrap_or(i64::MAX);
        row.to_plan = Some(ordered - i64::from(row.planned) - i64::from(row.held));
    }
    order
}

/// One session with where each of its bookings stands with payouts.
fn session_row(inputs: &Inputs<'_>, s: &Loaded<Session>, unpaid: &mut Unpaid) -> SessionRow {
    let ended = s.end.instant(inputs.tz) <= inputs.now;
    let facilitators = s
        .facilitators
        .iter()
        .map(|b| booking_row(inputs, s, b, ended, unpaid))
        .collect();
    SessionRow {
        id: s.id.clone(),
        offer: s.offer.clone(),
        state: s.state,
        start: s.start.to_string(),
        end: s.end.to_string(),
        ended,
        expected: s.participants.expected,
        attended: s.participants.attended,
        facilitators,
        open_seats: (s.has_open_seats() && s.state == SessionState::Planned)
            .then(|| s.free_seats()),
        open_role: s.open_role,
    }
}

/// Where booking `b` of session `s` stands with payouts; a held session's booking in no payout
/// request is noted in `unpaid` (and due once the session has ended).
fn booking_row(
    inputs: &Inputs<'_>,
    s: &Session,
    b: &Booking,
    ended: bool,
    unpaid: &mut Unpaid,
) -> FacilitatorRow {
    let all = inputs
        .cover
        .lines
        .get(&(s.id.as_str(), b.person.as_str()))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let live = all.iter().find(|p| p.state != PayoutState::Rejected);
    let rejected_in: Vec<String> = all
        .iter()
        .filter(|p| p.state == PayoutState::Rejected)
        .map(|p| p.id.clone())
        .collect();
    let payout = match live.map(|p| p.state) {
        Some(PayoutState::Requested) => PayoutStatus::Requested,
        // A transfer ordered from the bank is not paid yet: still invoiced, for the dashboard.
        Some(PayoutState::Invoiced | PayoutState::Ordered) => PayoutStatus::Invoiced,
        Some(PayoutState::Paid) => PayoutStatus::Paid,
        Some(PayoutState::Rejected) | None => {
            if b.status != FacilitatorStatus::Paid || s.state == SessionState::Cancelled {
                PayoutStatus::NotApplicable
            } else if !inputs
                .ws
                .person(&b.person)
                .is_some_and(|p| p.self_billable())
            {
                PayoutStatus::OwnInvoice
            } else {
                PayoutStatus::NotRequested
            }
        }
    };
    if payout == PayoutStatus::NotRequested && s.state == SessionState::Held {
        unpaid.reasons.push(format!(
            "`{}` ({}) on held session {} is in no payout request{}",
            b.person,
            b.role,
            s.id,
            if rejected_in.is_empty() {
                String::new()
            } else {
                format!(" ({} was rejected)", rejected_in.join(", "))
            }
        ));
        if ended {
            unpaid.due.push(DueLine {
                session: Some(s.id.clone()),
                person: b.person.clone(),
                role: Some(b.role),
                coordination: false,
                sessions: None,
                amount: inputs.config.session_rate(&s.offer, b.role),
            });
        }
    }
    FacilitatorRow {
        person: b.person.clone(),
        role: b.role,
        status: b.status,
        payout,
        payout_id: live.map(|p| p.id.clone()),
        rejected_in,
    }
}

/// The coordination line, due once the mission is closed (or invoiced) and no payout that is
/// not rejected has it: the rate per held session.
fn coordination_due(
    inputs: &Inputs<'_>,
    m: &Mission,
    sessions: &[&Loaded<Session>],
) -> Option<DueLine> {
    let held = u32::try_from(
        sessions
            .iter()
            .filter(|s| s.state == SessionState::Held)
            .count(),
    )
    .unwrap_or(u32::MAX);
    let coordinated = inputs
        .cover
        .coordination
        .iter()
        .any(|p| p.state != PayoutState::Rejected);
    if !matches!(m.state, MissionState::Closed | MissionState::Invoiced) || coordinated {
        return None;
    }
    Some(DueLine {
        session: None,
        person: m.coordinator.clone(),
        role: None,
        coordination: true,
        sessions: Some(held),
        amount: inputs
            .config
            .rates
            .coordination_per_session
            .0
            .checked_mul(Decimal::from(held))
            .map(Money),
    })
}

/// This month's payout requests of the mission (rejected ones aside), and — when lines are due
/// but the monthly limit is reached — why no request can be made now.
fn monthly_limit<'a>(
    inputs: &Inputs<'_>,
    m: &Mission,
    payouts: &[&'a Loaded<Payout>],
    nothing_due: bool,
) -> (Vec<&'a str>, Option<String>) {
    let today = Date(inputs.now.with_timezone(&inputs.tz).date_naive());
    let month = today.month();
    let this_month: Vec<&str> = payouts
        .iter()
        .filter(|p| p.state != PayoutState::Rejected && p.requested.month() == month)
        .map(|p| p.id.as_str())
        .collect();
    let max =
        usize::try_from(inputs.config.payout_policy.max_requests_per_month).unwrap_or(usize::MAX);
    let blocked = (!nothing_due && this_month.len() >= max).then(|| {
        let next = month
            .first_day_after()
            .map_or_else(String::new, |d| d.to_string());
        format!(
            "mission {} already has {} payout request(s) in {month} ({}), the most payout_policy.max_requests_per_month allows; the next request can be made from {next}",
            m.id,
            this_month.len(),
            this_month.join(", ")
        )
    });
    (this_month, blocked)
}

/// Why `fresk mission close` would refuse: sessions still planned, bookings of held sessions in
/// no payout request (`unpaid`), or a mission that is not open.
fn close_reasons(
    inputs: &Inputs<'_>,
    m: &Mission,
    sessions: &[&Loaded<Session>],
    mut unpaid: Vec<String>,
    blocked: bool,
    this_month: &[&str],
) -> Vec<String> {
    let mut reasons = Vec::new();
    if m.state != MissionState::Open {
        reasons.push(format!(
            "the mission is `{}`{}; only an open mission can be closed",
            m.state,
            m.closed.map(|d| format!(" since {d}")).unwrap_or_default()
        ));
        return reasons;
    }
    for s in sessions.iter().filter(|s| s.state == SessionState::Planned) {
        let how = if s.end.instant(inputs.tz) <= inputs.now {
            format!(
                "record it as held (fresk session hold {} --attended N) or cancel it (fresk session cancel {})",
                s.id, s.id
            )
        } else {
            format!(
                "hold it once it has ended ({}) or cancel it (fresk session cancel {})",
                s.end, s.id
            )
        };
        reasons.push(format!(
            "session {} ({}) is still planned: {how}",
            s.id, s.start
        ));
    }
    if !unpaid.is_empty() {
        let when = if blocked {
            format!(
                "; include it in a payout with `fresk payout request --mission {}` (this month's request is already made: {})",
                m.id,
                this_month.join(", ")
            )
        } else {
            format!(
                "; include it in a payout with `fresk payout request --mission {}`",
                m.id
            )
        };
        for r in &mut unpaid {
            r.push_str(&when);
        }
        reasons.extend(unpaid);
    }
    reasons
}
