//! What is paid to whom and how much: payout lines against sessions, bookings and the rate card,
//! once per session and person, the monthly limit, coordination lines, and closing a mission.

use super::{listing, ordinal};
use crate::HashMap;
use crate::diagnostics::{At, Finding};
use crate::model::config::OfferKind;
use crate::model::payout::PayoutLine;
use crate::model::session::{Booking, FacilitatorStatus};
use crate::model::{
    Config, Mission, MissionState, Money, Payout, PayoutState, Session, SessionState,
};
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};
use rust_decimal::Decimal;

fn offer_kind_name(kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Workshop => "workshop",
        OfferKind::Training => "training",
        OfferKind::Other => "other",
    }
}

fn not_rejected(p: &Payout) -> bool {
    p.state != PayoutState::Rejected
}

fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
    amounts
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, m| acc.checked_add(m.0))
        .map(Money)
}

fn booking_of<'s>(session: &'s Session, person: &str) -> Option<&'s Booking> {
    session.facilitators.iter().find(|b| b.person == person)
}

/// The session a payout line names, when it exists and belongs to the payout's mission.
fn line_session<'a>(
    cx: &Context<'a>,
    payout: &Payout,
    line: &PayoutLine,
) -> Option<&'a Loaded<Session>> {
    let session = cx.sessions.get(line.session.as_deref()?)?;
    (session.mission == payout.mission).then_some(*session)
}

// --- payouts ------------------------------------------------------------------------------

/// One payout line, located: which payout and which of its lines.
#[derive(Clone, Copy)]
struct LineRef<'a> {
    payout: &'a Loaded<Payout>,
    line: usize,
}

/// The lines of the payouts that stand, as they were requested.
struct Requested<'a> {
    /// The first line paying each (session, person).
    paid: HashMap<(&'a str, &'a str), LineRef<'a>>,
    /// Every coordination line, per mission, in order of request.
    coordination: HashMap<&'a str, Vec<LineRef<'a>>>,
}

pub(super) fn payouts(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    // Payouts that are not rejected, in order of request: the first line seen for a
    // (session, person) is the one that stands, every later one is a duplicate.
    let mut live: Vec<&Loaded<Payout>> = ws.payouts.iter().filter(|p| not_rejected(p)).collect();
    live.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
    let requested = duplicates(&live, out);
    if let Some(config) = cx.config {
        monthly_limit(cx, config, out);
    }
    lines(ws, cx, &live, out);
    coordination(cx, &requested.coordination, out);
    close_incomplete(ws, cx, &requested.paid, out);
}

/// payout-too-early, payout-not-payable and payout-amount on every line of the payouts that
/// stand.
fn lines(ws: &Workspace, cx: &Context, live: &[&Loaded<Payout>], out: &mut Vec<Finding>) {
    let mut held: HashMap<&str, u32> = HashMap::default();
    for s in &ws.sessions {
        if s.state == SessionState::Held {
            *held.entry(s.mission.as_str()).or_default() += 1;
        }
    }
    for &p in live {
        let mission = cx.missions.get(p.mission.as_str()).copied();
        for (i, line) in p.lines.iter().enumerate() {
            if line.coordination {
                if let (Some(config), Some(m)) = (cx.config, mission) {
                    coordination_amount(config, p, i, line, m, &held, out);
                }
                continue;
            }
            let Some(session) = line_session(cx, p, line) else {
                continue;
            };
            session_line(cx, p, i, line, session, out);
        }
        self_invoice_totals(p, out);
    }
}

/// payout-duplicate: a (session, person) paid by a line after the first; also gathers the lines
/// that stand.
fn duplicates<'a>(live: &[&'a Loaded<Payout>], out: &mut Vec<Finding>) -> Requested<'a> {
    let line_count = live.iter().map(|p| p.lines.len()).sum();
    let mut requested = Requested {
        paid: HashMap::with_capacity_and_hasher(line_count, Default::default()),
        coordination: HashMap::default(),
    };
    let Requested { paid, coordination } = &mut requested;
    for &p in live {
        for (i, line) in p.lines.iter().enumerate() {
            let here = LineRef { payout: p, line: i };
            if line.coordination {
                coordination
                    .entry(p.mission.as_str())
                    .or_default()
                    .push(here);
                continue;
            }
            let Some(session) = &line.session else {
                continue;
            };
            let first = *paid
                .entry((session.as_str(), line.person.as_str()))
                .or_insert(here);
            if std::ptr::eq(first.payout, p) && first.line == i {
                continue;
            }
            // payout-duplicate
            let where_ = if std::ptr::eq(first.payout, p) {
                format!("lines[{}] of this payout", first.line)
            } else {
                format!(
                    "payout {} (lines[{}], requested {}, {})",
                    first.payout.id, first.line, first.payout.requested, first.payout.state
                )
            };
            out.push(Finding::new(
                &super::PAYOUT_DUPLICATE,
                &p.file,
                At::value(&format!("lines[{i}].person")),
                format!(
                    "`{}` is already paid for session {session} by {where_}; a session is paid once per person: remove this line",
                    line.person
                ),
            )
            .related(
                &first.payout.file,
                At::value(&format!("lines[{}].person", first.line)),
                format!(
                    "the first line paying `{}` for session {session}",
                    line.person
                ),
            ));
        }
    }
    requested
}

/// payout-monthly-limit: at most `max_requests_per_month` payout requests per mission and month.
fn monthly_limit(cx: &Context, config: &Config, out: &mut Vec<Finding>) {
    let max = usize::try_from(config.payout_policy.max_requests_per_month).unwrap_or(usize::MAX);
    for (mission, list) in &cx.payouts_by_mission {
        let mut by_month: HashMap<_, Vec<&Loaded<Payout>>> = HashMap::default();
        for p in list.iter().filter(|p| not_rejected(p)) {
            by_month.entry(p.requested.month()).or_default().push(p);
        }
        for (month, mut ps) in by_month {
            if ps.len() <= max {
                continue;
            }
            ps.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
            let allowed: Vec<&str> = ps[..max].iter().map(|p| p.id.as_str()).collect();
            for (k, p) in ps.iter().enumerate().skip(max) {
                let before = if allowed.is_empty() {
                    String::new()
                } else {
                    format!(" ({} came first)", listing(&allowed, 5))
                };
                out.push(Finding::new(
                    &super::PAYOUT_MONTHLY_LIMIT,
                    &p.file,
                    At::value("requested"),
                    format!(
                        "mission {mission} may have at most {max} payout request(s) per month (payout_policy.max_requests_per_month), and this is its {} in {month}{before}; add these lines to the earlier request or request them next month",
                        ordinal(k + 1)
                    ),
                ));
            }
        }
    }
}

/// coordination-before-close: a coordination line once the mission is closed, once, for its
/// coordinator.
fn coordination(cx: &Context, coordination: &HashMap<&str, Vec<LineRef>>, out: &mut Vec<Finding>) {
    for (mission_id, lines) in coordination {
        let Some(m) = cx.missions.get(mission_id) else {
            continue;
        };
        for (k, r) in lines.iter().enumerate() {
            let p = r.payout;
            let line = &p.lines[r.line];
            let at = At::value(&format!("lines[{}].coordination", r.line));
            match m.state {
                MissionState::Open | MissionState::Cancelled => out.push(Finding::new(
                    &super::COORDINATION_BEFORE_CLOSE,
                    &p.file,
                    at.clone(),
                    format!(
                        "mission {} is `{}`; the coordination line may be requested only once the mission is closed (fresk mission close): remove this line and request it after closing",
                        m.id, m.state
                    ),
                )),
                MissionState::Closed | MissionState::Invoiced => {
                    if let Some(closed) = m.closed
                        && p.requested < closed
                    {
                        out.push(Finding::new(
                            &super::COORDINATION_BEFORE_CLOSE,
                            &p.file,
                            at.clone(),
                            format!(
                                "this payout was requested on {}, before mission {} was closed on {closed}; request the coordination line in a payout dated on or after the closing",
                                p.requested, m.id
                            ),
                        ));
                    }
                }
            }
            if k > 0 {
                let first = lines[0];
                out.push(Finding::new(
                    &super::COORDINATION_BEFORE_CLOSE,
                    &p.file,
                    at,
                    format!(
                        "mission {} already has a coordination line in {} (lines[{}]); coordination is paid once per mission: remove this line",
                        m.id,
                        if std::ptr::eq(first.payout, p) {
                            "this payout".to_string()
                        } else {
                            format!("payout {}", first.payout.id)
                        },
                        first.line
                    ),
                ));
            }
            if line.person != m.coordinator {
                out.push(Finding::new(
                    &super::COORDINATION_BEFORE_CLOSE,
                    &p.file,
                    At::value(&format!("lines[{}].person", r.line)),
                    format!(
                        "the coordination line pays `{}`, but the coordinator of mission {} is `{}`; only the mission's coordinator is paid for coordination",
                        line.person, m.id, m.coordinator
                    ),
                ));
            }
        }
    }
}

/// payout-too-early, payout-not-payable and payout-amount on a session line.
fn session_line(
    cx: &Context,
    p: &Loaded<Payout>,
    i: usize,
    line: &PayoutLine,
    s: &Loaded<Session>,
    out: &mut Vec<Finding>,
) {
    // payout-too-early
    if s.state != SessionState::Held {
        out.push(Finding::new(
            &super::PAYOUT_TOO_EARLY,
            &p.file,
            At::value(&format!("lines[{i}].session")),
            format!(
                "session {} is `{}`, not held; only held sessions are paid: remove this line (and request it once the session is held)",
                s.id, s.state
            ),
        ));
    } else {
        let end = s.end.instant(cx.tz).with_timezone(&cx.tz).date_naive();
        if end > p.requested.0 {
            out.push(Finding::new(
                &super::PAYOUT_TOO_EARLY,
                &p.file,
                At::value(&format!("lines[{i}].session")),
                format!(
                    "session {} ends on {}, after this payout's request date {}; a session is paid only once it has ended: request it in a later payout",
                    s.id, s.end, p.requested
                ),
            ));
        }
    }
    // payout-not-payable
    let booking = booking_of(s, &line.person);
    match booking {
        None => out.push(Finding::new(
            &super::PAYOUT_NOT_PAYABLE,
            &p.file,
            At::value(&format!("lines[{i}].person")),
            format!(
                "`{}` is not booked on session {}; only its facilitators with status `paid` are paid: remove this line, or add the booking to {}",
                line.person, s.id, s.file
            ),
        )),
        Some(b) if b.status != FacilitatorStatus::Paid => out.push(Finding::new(
            &super::PAYOUT_NOT_PAYABLE,
            &p.file,
            At::value(&format!("lines[{i}].person")),
            format!(
                "`{}` is booked on session {} with status `{}`; only status `paid` is paid through payouts: remove this line",
                line.person, s.id, b.status
            ),
        )),
        Some(_) => {}
    }
    session_line_amount(cx, p, i, line, s, booking, out);
}

/// payout-amount on a session line: the role it is booked in, and the rate card's amount.
fn session_line_amount(
    cx: &Context,
    p: &Loaded<Payout>,
    i: usize,
    line: &PayoutLine,
    s: &Loaded<Session>,
    booking: Option<&Booking>,
    out: &mut Vec<Finding>,
) {
    let Some(config) = cx.config else { return };
    let Some(offer) = config.offer(&s.offer) else {
        return;
    };
    if let (Some(written), Some(b)) = (line.role, booking)
        && written != b.role
    {
        out.push(Finding::new(
            &super::PAYOUT_AMOUNT,
            &p.file,
            At::value(&format!("lines[{i}].role")),
            format!(
                "role `{written}`, but `{}` is booked as `{}` on session {}; write `role: {}` (the rate card pays by role)",
                line.person, b.role, s.id, b.role
            ),
        ));
        return;
    }
    let Some(role) = line.role.or(booking.map(|b| b.role)) else {
        return;
    };
    let Some(rate) = config.role_rate(offer.kind, role) else {
        return;
    };
    if line.amount != rate && line.override_reason.is_none() {
        let kind = offer_kind_name(offer.kind);
        let source = if config
            .roles
            .get(&role)
            .and_then(|r| r.for_kind(offer.kind))
            .is_some()
        {
            format!("roles.{role}.{kind}")
        } else {
            format!("rates.{kind}.{role}")
        };
        out.push(Finding::new(
            &super::PAYOUT_AMOUNT,
            &p.file,
            At::value(&format!("lines[{i}].amount")),
            format!(
                "amount {} differs from the rate card: a {kind} {role} is paid {rate} ({source} in fresk.yaml); write {rate}, or add `override_reason:` saying why",
                line.amount
            ),
        ));
    }
}

/// payout-amount on the coordination line: `sessions` and the amount.
fn coordination_amount(
    config: &Config,
    p: &Loaded<Payout>,
    i: usize,
    line: &PayoutLine,
    m: &Loaded<Mission>,
    held: &HashMap<&str, u32>,
    out: &mut Vec<Finding>,
) {
    let held_here = held.get(m.id.as_str()).copied().unwrap_or(0);
    if let Some(n) = line.sessions
        && n != held_here
    {
        out.push(Finding::new(
            &super::PAYOUT_AMOUNT,
            &p.file,
            At::value(&format!("lines[{i}].sessions")),
            format!(
                "sessions: {n}, but mission {} has {held_here} held session(s); write `sessions: {held_here}`",
                m.id
            ),
        ));
    }
    if line.override_reason.is_some() {
        return;
    }
    let count = line.sessions.unwrap_or(held_here);
    let per = config.rates.coordination_per_session;
    let Some(expected) = per.0.checked_mul(Decimal::from(count)).map(Money) else {
        return;
    };
    if line.amount != expected {
        out.push(Finding::new(
            &super::PAYOUT_AMOUNT,
            &p.file,
            At::value(&format!("lines[{i}].amount")),
            format!(
                "amount {} differs from the rate card: coordination is {per} per held session (rates.coordination_per_session) × {count} = {expected}; write {expected}, or add `override_reason:` saying why",
                line.amount
            ),
        ));
    }
}

/// payout-amount on self-invoice totals: each equals the sum of that person's lines.
fn self_invoice_totals(p: &Loaded<Payout>, out: &mut Vec<Finding>) {
    if p.self_invoices.is_empty() {
        return;
    }
    let mut per_person: HashMap<&str, Vec<Money>> = HashMap::default();
    for line in &p.lines {
        per_person
            .entry(line.person.as_str())
            .or_default()
            .push(line.amount);
    }
    for (j, si) in p.self_invoices.iter().enumerate() {
        let amounts = per_person.get(si.person.as_str());
        let Some(sum) = checked_sum(amounts.into_iter().flatten().copied()) else {
            continue;
        };
        if si.total != sum {
            let n = amounts.map_or(0, Vec::len);
            out.push(Finding::new(
                &super::PAYOUT_AMOUNT,
                &p.file,
                At::value(&format!("self_invoices[{j}].total")),
                format!(
                    "total {} differs from the sum of the {n} line(s) of `{}` in this payout, {sum}; write {sum} (fresk payout invoice computes it)",
                    si.total, si.person
                ),
            ));
        }
    }
}

// --- close-incomplete ---------------------------------------------------------------------

fn close_incomplete(
    ws: &Workspace,
    cx: &Context,
    paid: &HashMap<(&str, &str), LineRef>,
    out: &mut Vec<Finding>,
) {
    for m in &ws.missions {
        if !matches!(m.state, MissionState::Closed | MissionState::Invoiced) {
            continue;
        }
        let Some(sessions) = cx.sessions_by_mission.get(m.id.as_str()) else {
            continue;
        };
        let planned: Vec<&str> = sessions
            .iter()
            .filter(|s| s.state == SessionState::Planned)
            .map(|s| s.id.as_str())
            .collect();
        if !planned.is_empty() {
            out.push(Finding::new(
                &super::CLOSE_INCOMPLETE,
                &m.file,
                At::value("state"),
                format!(
                    "mission is `{}` but session(s) {} are still planned; a mission closes only once every session is held or cancelled: hold or cancel them (fresk session hold / cancel) before closing",
                    m.state,
                    listing(&planned, 10)
                ),
            ));
        }
        let mut unpaid: Vec<String> = Vec::new();
        for s in sessions.iter().filter(|s| s.state == SessionState::Held) {
            for b in &s.facilitators {
                // People the association cannot self-bill send their own invoice instead.
                let self_billed = cx
                    .people
                    .get(b.person.as_str())
                    .is_some_and(|p| p.self_billable());
                if b.status == FacilitatorStatus::Paid
                    && self_billed
                    && !paid.contains_key(&(s.id.as_str(), b.person.as_str()))
                {
                    unpaid.push(format!("{} on {}", b.person, s.id));
                }
            }
        }
        if !unpaid.is_empty() {
            out.push(Finding::new(
                &super::CLOSE_INCOMPLETE,
                &m.file,
                At::value("state"),
                format!(
                    "mission is `{}` but paid facilitators of held sessions are in no payout request (rejected ones do not count): {}; request them (fresk payout request --mission {}) before closing",
                    m.state,
                    listing(&unpaid, 10),
                    m.id
                ),
            ));
        }
    }
}
