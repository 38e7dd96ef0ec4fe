//! The coordinator's dashboard of one mission (`fresk mission show`): order progress, sessions
//! and their payouts, what a payout request would hold now, and whether the mission can close.

use std::collections::HashMap;
use crate::cli::ListFormat;
use crate::model::session::{FacilitatorRole, FacilitatorStatus};
use crate::model::{
    Config, Date, Mission, MissionState, Money, Payout, PayoutState, Sector, Session, SessionState,
};
use crate::report::table::format_rows;
use crate::workspace::{Loaded, Workspace};
use chrono::{DateTime as Instant, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write as _;


/// The coordinator's view of a mission (SPEC §5.5): computed here, printed by `mission show`,
/// reused by payouts and tests.
#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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
}

#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct PayoutRow {
    pub id: String,
    pub state: PayoutState,
    pub requested: Date,
    pub lines: usize,
    pub total: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct Requestable {
    /// Lines due now: held, ended sessions' paid facilitators not in any payout (rejected ones do
    /// not count), and the coordination line once the mission is closed.
    pub lines: Vec<DueLine>,
    /// The sum of the lines whose amount the rate card gives.
    pub total: Money,
    /// Why no request can be made now even though lines are due (the monthly limit).
    pub blocked: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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
    let cover = coverage(&payouts);

    // Order progress, one row per order line (sessions counted on the first line of their offer),
    // then a row per offer planned but not ordered.
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
    for s in &sessions {
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
        let ordered: i64 = m
            .order
            .iter()
            .filter(|l| l.offer.as_deref() == Some(offer))
            .map(|l| i64::from(l.quantity))
            .sum();
        row.to_plan = Some(ordered - i64::from(row.planned) - i64::from(row.held));
    }

    let mut due = Vec::new();
    let mut unpaid_reasons = Vec::new();
    let session_rows: Vec<SessionRow> = sessions
        .iter()
        .map(|s| {
            let ended = s.end.instant(tz) <= now;
            let facilitators = s
                .facilitators
                .iter()
                .map(|b| {
                    let all = cover
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
                        Some(PayoutState::Invoiced) => PayoutStatus::Invoiced,
                        Some(PayoutState::Paid) => PayoutStatus::Paid,
                        Some(PayoutState::Rejected) | None => {
                            if b.status != FacilitatorStatus::Paid
                                || s.state == SessionState::Cancelled
                            {
                                PayoutStatus::NotApplicable
                            } else if !ws.person(&b.person).is_some_and(|p| p.self_billable()) {
                                PayoutStatus::OwnInvoice
                            } else {
                                PayoutStatus::NotRequested
                            }
                        }
                    };
                    if payout == PayoutStatus::NotRequested && s.state == SessionState::Held {
                        unpaid_reasons.push(format!(
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
                            due.push(DueLine {
                                session: Some(s.id.clone()),
                                person: b.person.clone(),
                                role: Some(b.role),
                                coordination: false,
                                sessions: None,
                                amount: config.session_rate(&s.offer, b.role),
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
                })
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
            }
        })
        .collect();

    let held = u32::try_from(
        sessions
            .iter()
            .filter(|s| s.state == SessionState::Held)
            .count(),
    )
    .unwrap_or(u32::MAX);
    let coordinated = cover
        .coordination
        .iter()
        .any(|p| p.state != PayoutState::Rejected);
    if matches!(m.state, MissionState::Closed | MissionState::Invoiced) && !coordinated {
        due.push(DueLine {
            session: None,
            person: m.coordinator.clone(),
            role: None,
            coordination: true,
            sessions: Some(held),
            amount: config
                .rates
                .coordination_per_session
                .0
                .checked_mul(Decimal::from(held))
                .map(Money),
        });
    }
    let total = due.iter().filter_map(|l| l.amount).sum();

    // The monthly limit on requests.
    let today = Date(now.with_timezone(&tz).date_naive());
    let month = today.month();
    let this_month: Vec<&str> = payouts
        .iter()
        .filter(|p| p.state != PayoutState::Rejected && p.requested.month() == month)
        .map(|p| p.id.as_str())
        .collect();
    let max = usize::try_from(config.payout_policy.max_requests_per_month).unwrap_or(usize::MAX);
    let blocked = (!due.is_empty() && this_month.len() >= max).then(|| {
        let next = chrono::NaiveDate::from_ymd_opt(
            if month.month == 12 {
                month.year + 1
            } else {
                month.year
            },
            if month.month == 12 { 1 } else { month.month + 1 },
            1,
        )
        .map_or_else(String::new, |d| Date(d).to_string());
        format!(
            "mission {} already has {} payout request(s) in {month} ({}), the most payout_policy.max_requests_per_month allows; the next request can be made from {next}",
            m.id,
            this_month.len(),
            this_month.join(", ")
        )
    });

    let mut reasons = Vec::new();
    if m.state == MissionState::Open {
        for s in sessions.iter().filter(|s| s.state == SessionState::Planned) {
            let how = if s.end.instant(tz) <= now {
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
        if !unpaid_reasons.is_empty() {
            let when = match &blocked {
                Some(_) => format!(
                    "; include it in a payout with `fresk payout request --mission {}` (this month's request is already made: {})",
                    m.id,
                    this_month.join(", ")
                ),
                None => format!(
                    "; include it in a payout with `fresk payout request --mission {}`",
                    m.id
                ),
            };
            for r in &mut unpaid_reasons {
                r.push_str(&when);
            }
            reasons.extend(unpaid_reasons);
        }
    } else {
        reasons.push(format!(
            "the mission is `{}`{}; only an open mission can be closed",
            m.state,
            m.closed.map(|d| format!(" since {d}")).unwrap_or_default()
        ));
    }

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
        order,
        sessions: session_rows,
        payouts: payouts
            .iter()
            .map(|p| PayoutRow {
                id: p.id.clone(),
                state: p.state,
                requested: p.requested,
                lines: p.lines.len(),
                total: p.lines.iter().map(|l| l.amount).sum(),
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

/// The dashboard as text: tables (boxed on a terminal) and what to do next.
pub fn render(d: &Dashboard, terminal: bool) -> String {
    let mut out = String::new();
    let org = match &d.organisation_name {
        Some(name) => format!("{name} ({}, {})", d.organisation, d.sector.as_str()),
        None => format!("{} ({})", d.organisation, d.sector.as_str()),
    };
    let _ = writeln!(out, "Mission {} — {} — {org}", d.mission, d.state);
    let closed = d
        .closed
        .map(|c| format!(", closed {c}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Request {} · coordinator {} · opened {}{closed} · as of {}",
        d.request, d.coordinator, d.opened, d.as_of
    );

    out.push_str("\nOrder\n");
    let rows: Vec<Vec<String>> = d
        .order
        .iter()
        .map(|r| {
            let what = match (&r.offer, &r.label) {
                (Some(o), _) if r.ordered == 0 => format!("{o} (not ordered)"),
                (Some(o), _) => o.clone(),
                (None, Some(l)) => l.clone(),
                (None, None) => "?".into(),
            };
            let sessions = r.to_plan.is_some() || r.planned + r.held + r.cancelled > 0;
            let n = |v: u32| {
                if sessions {
                    v.to_string()
                } else {
                    String::new()
                }
            };
            vec![
                what,
                r.unit_price.map(|p| p.to_string()).unwrap_or_default(),
                r.ordered.to_string(),
                n(r.planned),
                n(r.held),
                n(r.cancelled),
                match r.to_plan {
                    Some(t) if t < 0 => format!("{t} (over-planned)"),
                    Some(t) => t.to_string(),
                    None => String::new(),
                },
            ]
        })
        .collect();
    out.push_str(&format_rows(
        &[
            "offer",
            "unit price",
            "ordered",
            "planned",
            "held",
            "cancelled",
            "to plan",
        ],
        &rows,
        ListFormat::Table,
        terminal,
    ));

    out.push_str("\nSessions\n");
    if d.sessions.is_empty() {
        let _ = writeln!(
            out,
            "  none yet; plan one with `fresk session new --mission {}`",
            d.mission
        );
    } else {
        out.push_str(&format_rows(
            &SESSION_HEADERS,
            &session_rows(d, false),
            ListFormat::Table,
            terminal,
        ));
    }

    if !d.payouts.is_empty() {
        out.push_str("\nPayouts\n");
        let rows: Vec<Vec<String>> = d
            .payouts
            .iter()
            .map(|p| {
                vec![
                    p.id.clone(),
                    p.state.to_string(),
                    p.requested.to_string(),
                    p.lines.to_string(),
                    p.total.to_string(),
                ]
            })
            .collect();
        out.push_str(&format_rows(
            &["payout", "state", "requested", "lines", "total"],
            &rows,
            ListFormat::Table,
            terminal,
        ));
    }

    let r = &d.requestable;
    if r.lines.is_empty() {
        out.push_str("\nCan be requested now: nothing\n");
    } else {
        let _ = writeln!(
            out,
            "\nCan be requested now: {} line(s), {}",
            r.lines.len(),
            r.total
        );
        let rows: Vec<Vec<String>> = r
            .lines
            .iter()
            .map(|l| {
                vec![
                    if l.coordination {
                        format!("coordination ({} held)", l.sessions.unwrap_or(0))
                    } else {
                        l.session.clone().unwrap_or_default()
                    },
                    l.person.clone(),
                    l.role.map(|r| r.to_string()).unwrap_or_default(),
                    l.amount
                        .map_or_else(|| "no rate".to_string(), |a| a.to_string()),
                ]
            })
            .collect();
        out.push_str(&format_rows(
            &["for", "person", "role", "amount"],
            &rows,
            ListFormat::Table,
            terminal,
        ));
        match &r.blocked {
            Some(why) => {
                let _ = writeln!(out, "Not this month: {why}.");
            }
            None => {
                let _ = writeln!(out, "→ fresk payout request --mission {}", d.mission);
            }
        }
    }

    if d.close.possible {
        let _ = writeln!(
            out,
            "\nClosing: possible → fresk mission close {}",
            d.mission
        );
    } else if d.state != MissionState::Open {
        let _ = writeln!(out, "\nClosing: done ({})", d.state);
    } else {
        out.push_str("\nClosing: not yet\n");
        for reason in &d.close.reasons {
            let _ = writeln!(out, "  - {reason}");
        }
    }
    out
}

pub const SESSION_HEADERS: [&str; 10] = [
    "session",
    "start",
    "end",
    "offer",
    "state",
    "attended",
    "facilitator",
    "role",
    "status",
    "payout",
];

/// One row per booking; a session's own cells only on its first row unless `repeat` (CSV).
pub fn session_rows(d: &Dashboard, repeat: bool) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for s in &d.sessions {
        let end = match (s.start.split_once(' '), s.end.split_once(' ')) {
            (Some((d1, _)), Some((d2, time))) if d1 == d2 && !repeat => time.to_string(),
            _ => s.end.clone(),
        };
        let attended = match (s.attended, s.expected) {
            (Some(a), Some(e)) => format!("{a}/{e}"),
            (Some(a), None) => a.to_string(),
            (None, Some(e)) if repeat => format!("/{e}"),
            (None, Some(e)) => format!("({e} expected)"),
            (None, None) => String::new(),
        };
        let head = vec![
            s.id.clone(),
            s.start.clone(),
            end,
            s.offer.clone(),
            s.state.to_string(),
            attended,
        ];
        if s.facilitators.is_empty() {
            let mut row = head.clone();
            row.extend(["(none)".into(), String::new(), String::new(), String::new()]);
            rows.push(row);
        }
        for (i, f) in s.facilitators.iter().enumerate() {
            let mut row = if i == 0 || repeat {
                head.clone()
            } else {
                vec![String::new(); head.len()]
            };
            let mut payout = f.payout.as_str().to_string();
            if let Some(id) = &f.payout_id {
                payout.push_str(&format!(" ({id})"));
            }
            if !f.rejected_in.is_empty() {
                payout.push_str(&format!(" ({} rejected)", f.rejected_in.join(", ")));
            }
            row.extend([
                f.person.clone(),
                f.role.to_string(),
                f.status.to_string(),
                payout,
            ]);
            rows.push(row);
        }
    }
    rows
}
