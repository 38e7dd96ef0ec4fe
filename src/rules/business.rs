//! Business rules: who may do what (roles, levels), what was ordered and planned, when sessions
//! happen, what is paid to whom and how much, and the deadlines of requests and quotes.
//!
//! Every check looks records up through the [`Context`] indexes or through maps built once here,
//! so the family stays O(n log n) on a workspace of 100 000 sessions. A check that needs a record
//! that does not exist (an unknown person, session or offer) skips it quietly: the references
//! rules already report it.

use crate::HashMap;
use crate::diagnostics::{At, Finding};
use crate::model::config::OfferKind;
use crate::model::mission::OrderLine;
use crate::model::payout::PayoutLine;
use crate::model::request::{Quote, QuoteLine};
use crate::model::session::{Booking, FacilitatorRole, FacilitatorStatus};
use crate::model::{
    Config, Mission, MissionState, Money, Payout, PayoutState, Person, RequestState, Role, Session,
    SessionState, Share, Shares,
};
use crate::rules::{self, Context};
use crate::workspace::{Loaded, Workspace};
use crate::yaml::{Route, Target};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::VecDeque;

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    roles(ws, cx, out);
    levels(ws, cx, out);
    shares(ws, cx, out);
    session_times(ws, cx, out);
    over_planned(ws, cx, out);
    volunteers(ws, cx, out);
    double_booked(ws, cx, out);
    orders(ws, cx, out);
    fees(ws, cx, out);
    requests(ws, cx, out);
    languages(ws, cx, out);
    invoiced_once(ws, cx, out);
    declared_once(ws, out);
}

/// The payout rules (payout-too-early, -duplicate, -monthly-limit, -amount, -not-payable,
/// coordination-before-close, close-incomplete): the largest part of the family, run as a task
/// of its own.
pub fn check_payouts(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    payouts(ws, cx, out);
}

// --- helpers ------------------------------------------------------------------------------

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "facilitator",
        Role::Coordinator => "coordinator",
        Role::Staff => "staff",
    }
}

fn offer_kind_name(kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Workshop => "workshop",
        OfferKind::Training => "training",
        OfferKind::Other => "other",
    }
}

fn config_file(ws: &Workspace) -> &str {
    ws.config.as_ref().map_or("fresk.yaml", |c| c.file.as_str())
}

/// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `a, b, c` for at most `max` items, then `and N more`.
fn listing<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut text = items
        .iter()
        .take(max)
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        text.push_str(&format!(" and {} more", items.len() - max));
    }
    text
}

fn fmt_instant(cx: &Context, t: DateTime<Utc>) -> String {
    t.with_timezone(&cx.tz).format("%Y-%m-%d %H:%M").to_string()
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

// --- missing-role -------------------------------------------------------------------------

fn roles(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    // `route` is built only when there is a finding.
    let need = |out: &mut Vec<Finding>,
                file: &str,
                route: &dyn Fn() -> String,
                id: &str,
                role: Role,
                as_what: &str| {
        let Some(person) = cx.people.get(id) else {
            return;
        };
        if person.has_role(role) {
            return;
        }
        let has = if person.roles.is_empty() {
            "no role".to_string()
        } else {
            let names: Vec<&str> = person.roles.iter().map(|r| role_name(*r)).collect();
            format!("roles [{}]", names.join(", "))
        };
        out.push(Finding::new(
            &rules::MISSING_ROLE,
            file,
            At::value(&route()),
            format!(
                "`{id}` is {as_what} but has {has}, not `{role}`; add `{role}` to `roles` in {} or choose someone who has it",
                person.file,
                role = role_name(role),
            ),
        ));
    };
    if let Some(config) = cx.config {
        let file = config_file(ws);
        for (i, id) in config.staff.iter().enumerate() {
            need(
                out,
                file,
                &|| format!("staff[{i}]"),
                id,
                Role::Staff,
                "listed as staff",
            );
        }
    }
    for r in &ws.requests {
        if let Some(owner) = &r.owner {
            need(
                out,
                &r.file,
                &|| "owner".to_string(),
                owner,
                Role::Staff,
                "the request's owner",
            );
        }
        if let Some(coordinator) = &r.coordinator {
            need(
                out,
                &r.file,
                &|| "coordinator".to_string(),
                coordinator,
                Role::Coordinator,
                "the request's coordinator",
            );
        }
        if let Some(facilitator) = &r.facilitator {
            need(
                out,
                &r.file,
                &|| "facilitator".to_string(),
                facilitator,
                Role::Facilitator,
                "the request's facilitator",
            );
        }
    }
    for m in &ws.missions {
        need(
            out,
            &m.file,
            &|| "coordinator".to_string(),
            &m.coordinator,
            Role::Coordinator,
            "the mission's coordinator",
        );
    }
    for s in &ws.sessions {
        for (i, b) in s.facilitators.iter().enumerate() {
            need(
                out,
                &s.file,
                &|| format!("facilitators[{i}].person"),
                &b.person,
                Role::Facilitator,
                "booked as a facilitator",
            );
        }
    }
}

// --- level-too-low ------------------------------------------------------------------------

/// Why `person` is below `needed`, or `None` when they are not (or a level is unknown, which
/// `unknown-level` reports).
pub(crate) fn below(config: &Config, person: &Person, needed: &str) -> Option<String> {
    let needed_rank = config.level_rank(needed)?;
    match &person.level {
        None => Some(format!("`{}` has no level", person.id)),
        Some(level) => {
            let rank = config.level_rank(level)?;
            (rank < needed_rank).then(|| format!("`{}` is level `{level}`", person.id))
        }
    }
}

fn levels(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    if config.requirements.is_empty() {
        return;
    }
    let scale = config.levels.join(" < ");
    for m in &ws.missions {
        if m.state == MissionState::Cancelled {
            continue;
        }
        let Some(req) = config.requirements.get(&m.sector) else {
            continue;
        };
        if let (Some(needed), Some(person)) =
            (&req.coordinate, cx.people.get(m.coordinator.as_str()))
            && let Some(why) = below(config, person, needed)
        {
            out.push(Finding::new(
                &rules::LEVEL_TOO_LOW,
                &m.file,
                At::value("coordinator"),
                format!(
                    "{why}, but coordinating a {sector} mission requires `{needed}` or higher (requirements.{sector}.coordinate; levels: {scale}); choose a coordinator of that level, or update their `level` in {file} if they have qualified",
                    sector = m.sector.as_str(),
                    file = person.file,
                ),
            ));
        }
    }
    for s in &ws.sessions {
        if s.state == SessionState::Cancelled {
            continue;
        }
        let Some(m) = cx.missions.get(s.mission.as_str()) else {
            continue;
        };
        let Some(needed) = config
            .requirements
            .get(&m.sector)
            .and_then(|r| r.facilitate.as_ref())
        else {
            continue;
        };
        for (i, b) in s.facilitators.iter().enumerate() {
            let Some(person) = cx.people.get(b.person.as_str()) else {
                continue;
            };
            if let Some(why) = below(config, person, needed) {
                out.push(Finding::new(
                    &rules::LEVEL_TOO_LOW,
                    &s.file,
                    At::value(&format!("facilitators[{i}].person")),
                    format!(
                        "{why}, but facilitating on mission {mission} ({sector}) requires `{needed}` or higher (requirements.{sector}.facilitate; levels: {scale}); book a facilitator of that level, or update their `level` in {file} if they have qualified",
                        mission = m.id,
                        sector = m.sector.as_str(),
                        file = person.file,
                    ),
                ));
            }
        }
    }
}

// --- bad-shares ---------------------------------------------------------------------------

fn shares(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    if let Some(config) = cx.config {
        let file = config_file(ws);
        for (i, offer) in config.catalogue.iter().enumerate() {
            if let Some(shares) = &offer.shares {
                check_shares(
                    file,
                    &Route::parse(&format!("catalogue[{i}].shares")),
                    &format!("offer `{}`", offer.id),
                    shares,
                    out,
                );
            }
        }
    }
    for m in &ws.missions {
        if let Some(shares) = &m.shares {
            check_shares(
                &m.file,
                &Route::parse("shares"),
                &format!("mission {}", m.id),
                shares,
                out,
            );
        }
    }
}

fn check_shares(file: &str, route: &Route, whose: &str, shares: &Shares, out: &mut Vec<Finding>) {
    let mut total = Decimal::ZERO;
    let mut overflow = false;
    let mut rest: Option<&str> = None;
    for (name, share) in shares {
        let at = At::Route(route.key(name), Target::Value);
        match share {
            Share::Percent(q) if q.0.is_sign_negative() && !q.0.is_zero() => {
                out.push(Finding::new(
                    &rules::BAD_SHARES,
                    file,
                    at,
                    format!(
                        "share `{name}` of {whose} is {}%; a share is a percentage from 0 to 100 (or `rest`): fix it or remove it",
                        q
                    ),
                ));
            }
            Share::Percent(q) => match total.checked_add(q.0) {
                Some(t) => total = t,
                None => overflow = true,
            },
            Share::Rest => match rest {
                None => rest = Some(name),
                Some(first) => out.push(Finding::new(
                    &rules::BAD_SHARES,
                    file,
                    at,
                    format!(
                        "share `{name}` of {whose} is `rest`, but `{first}` already takes the rest; only one share may be `rest`: give `{name}` a percentage"
                    ),
                )),
            },
        }
    }
    let hundred = Decimal::from(100);
    if overflow || total > hundred {
        let parts: Vec<String> = shares
            .iter()
            .filter_map(|(n, s)| match s {
                Share::Percent(q) if !q.0.is_sign_negative() => Some(format!("{n} {q}")),
                _ => None,
            })
            .collect();
        let total = if overflow {
            "more than 100".to_string()
        } else {
            total.normalize().to_string()
        };
        out.push(Finding::new(
            &rules::BAD_SHARES,
            file,
            At::Route(route.clone(), Target::Key),
            format!(
                "the shares of {whose} total {total}% ({}); the total may not exceed 100: lower some shares{}",
                parts.join(" + "),
                if rest.is_some() {
                    " (`rest` takes what is left)"
                } else {
                    ""
                },
            ),
        ));
    }
}

// --- session-times ------------------------------------------------------------------------

fn session_times(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for s in &ws.sessions {
        let start = s.start.instant(cx.tz);
        let end = s.end.instant(cx.tz);
        if end <= start {
            out.push(Finding::new(
                &rules::SESSION_TIMES,
                &s.file,
                At::value("end"),
                format!(
                    "the session ends at {}, which is not after its start {}; fix `end` (or `start`)",
                    s.end, s.start
                ),
            ));
        }
        if s.state == SessionState::Held && !cx.is_past(end) {
            out.push(Finding::new(
                &rules::SESSION_TIMES,
                &s.file,
                At::value("state"),
                format!(
                    "the session is `held` but ends at {}, after now ({}); set `state: planned` and record it as held (fresk session hold) once it has ended",
                    s.end,
                    fmt_instant(cx, cx.now_quoted())
                ),
            ));
        }
    }
}

// --- over-planned -------------------------------------------------------------------------

/// A session and its start, to sort sessions in the order they happen.
type Dated<'a> = (DateTime<Utc>, &'a Loaded<Session>);

fn over_planned(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for m in &ws.missions {
        let Some(sessions) = cx.sessions_by_mission.get(m.id.as_str()) else {
            continue;
        };
        let mut by_offer: HashMap<&str, Vec<&Loaded<Session>>> = HashMap::default();
        for s in sessions {
            if s.state == SessionState::Cancelled {
                continue;
            }
            if cx.config.is_some_and(|c| c.offer(&s.offer).is_none()) {
                continue;
            }
            by_offer.entry(s.offer.as_str()).or_default().push(s);
        }
        for (offer, planned) in by_offer {
            let ordered: u64 = m
                .order
                .iter()
                .filter(|l| l.offer.as_deref() == Some(offer))
                .map(|l| u64::from(l.quantity))
                .sum();
            let ordered = usize::try_from(ordered).unwrap_or(usize::MAX);
            if planned.len() <= ordered {
                continue;
            }
            // Only here, for the few offers over their quantity: in the order they happen.
            let mut planned: Vec<Dated> = planned
                .into_iter()
                .map(|s| (s.start.instant(cx.tz), s))
                .collect();
            planned.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
            let what = if ordered == 0 {
                format!("mission {} did not order `{offer}`", m.id)
            } else {
                format!("mission {} ordered {ordered} × `{offer}`", m.id)
            };
            for (k, (_, s)) in planned.iter().enumerate().skip(ordered) {
                out.push(Finding::new(
                    &rules::OVER_PLANNED,
                    &s.file,
                    At::value("offer"),
                    format!(
                        "{what}, and this is its {} session of that offer not cancelled ({} planned or held in all); cancel a session or amend the order in {}",
                        ordinal(k + 1),
                        planned.len(),
                        m.file
                    ),
                ));
            }
        }
    }
}

// --- volunteer-not-allowed ----------------------------------------------------------------

fn volunteers(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    for s in &ws.sessions {
        if s.state == SessionState::Cancelled {
            continue;
        }
        let Some(m) = cx.missions.get(s.mission.as_str()) else {
            continue;
        };
        if config.volunteer_sectors.contains(&m.sector) {
            continue;
        }
        for (i, b) in s.facilitators.iter().enumerate() {
            if b.status == FacilitatorStatus::Volunteer {
                let allowed = if config.volunteer_sectors.is_empty() {
                    "no sector (volunteer_sectors is empty)".to_string()
                } else {
                    let names: Vec<&str> = config
                        .volunteer_sectors
                        .iter()
                        .map(|s| s.as_str())
                        .collect();
                    names.join(", ")
                };
                out.push(Finding::new(
                    &rules::VOLUNTEER_NOT_ALLOWED,
                    &s.file,
                    At::value(&format!("facilitators[{i}].status")),
                    format!(
                        "`{}` is a volunteer on mission {} of sector {}, but volunteers are allowed only on {allowed} (volunteer_sectors in fresk.yaml); make the booking `paid` or `internal`, or book someone else",
                        b.person,
                        m.id,
                        m.sector.as_str()
                    ),
                ));
            }
        }
    }
}

// --- double-booked ------------------------------------------------------------------------

fn double_booked(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    // One compact slot per booking, sorted by integer keys: (person, start, end, session,
    // booking), people interned in order of appearance.
    let mut person_ids: HashMap<&str, u32> = HashMap::default();
    let mut slots: Vec<(u32, i64, i64, u32, u32)> = Vec::new();
    for (si, s) in ws.sessions.iter().enumerate() {
        if s.state == SessionState::Cancelled {
            continue;
        }
        let start = s.start.instant(cx.tz).timestamp();
        let end = s.end.instant(cx.tz).timestamp();
        if end <= start {
            continue; // session-times reports it
        }
        let Ok(si) = u32::try_from(si) else { break };
        for (bi, b) in s.facilitators.iter().enumerate() {
            let next = u32::try_from(person_ids.len()).unwrap_or(u32::MAX);
            let person = *person_ids.entry(b.person.as_str()).or_insert(next);
            let bi = u32::try_from(bi).unwrap_or(u32::MAX);
            slots.push((person, start, end, si, bi));
        }
    }
    slots.sort_unstable();
    // Per person, in order of start: the earlier booking that ends last overlaps anything that
    // starts before its end; the finding goes on the booking that starts later.
    let mut latest: Option<(u32, i64, i64, u32, u32)> = None;
    for &slot in &slots {
        let (person, start, end, si, bi) = slot;
        let Some(prev) = latest.filter(|l| l.0 == person) else {
            latest = Some(slot);
            continue;
        };
        if prev.2 > start {
            let here = &ws.sessions[si as usize];
            let there = &ws.sessions[prev.3 as usize];
            let who = &here.facilitators[bi as usize].person;
            let message = if prev.3 == si {
                format!(
                    "`{who}` is booked twice on this session (also facilitators[{}]); remove one of the bookings",
                    prev.4
                )
            } else {
                format!(
                    "`{who}` is also booked on {} ({} – {}), which overlaps this session ({} – {}); book someone else or move one of the sessions",
                    there.id, there.start, there.end, here.start, here.end
                )
            };
            out.push(Finding::new(
                &rules::DOUBLE_BOOKED,
                &here.file,
                At::value(&format!("facilitators[{bi}].person")),
                message,
            ));
        }
        if end > prev.2 {
            latest = Some(slot);
        }
    }
}

// --- order-mismatch -----------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LineKey<'a> {
    Offer(&'a str),
    Label(&'a str),
}

impl LineKey<'_> {
    fn describe(self) -> String {
        match self {
            LineKey::Offer(o) => format!("offer `{o}`"),
            LineKey::Label(l) => format!("free line `{l}`"),
        }
    }
}

fn quote_key(l: &QuoteLine) -> Option<LineKey<'_>> {
    match (&l.offer, &l.label) {
        (Some(o), _) => Some(LineKey::Offer(o)),
        (None, Some(label)) => Some(LineKey::Label(label)),
        _ => None,
    }
}

fn order_key(l: &OrderLine) -> Option<LineKey<'_>> {
    match (&l.offer, &l.label) {
        (Some(o), _) => Some(LineKey::Offer(o)),
        (None, Some(label)) => Some(LineKey::Label(label)),
        _ => None,
    }
}

fn orders(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    // Quote lines priced away from the catalogue.
    if let Some(config) = cx.config {
        for r in &ws.requests {
            let Some(quote) = &r.quote else { continue };
            for (i, line) in quote.lines.iter().enumerate() {
                let (Some(offer), Some(price)) = (&line.offer, line.unit_price) else {
                    continue;
                };
                let Some(catalogue) = config.offer(offer) else {
                    continue;
                };
                if price != catalogue.unit_price && line.override_reason.is_none() {
                    out.push(Finding::new(
                        &rules::ORDER_MISMATCH,
                        &r.file,
                        At::value(&format!("quote.lines[{i}].unit_price")),
                        format!(
                            "unit price {price} differs from the catalogue price {} of `{offer}`; remove `unit_price` to use the catalogue's, or add `override_reason:` saying why this client pays another price",
                            catalogue.unit_price
                        ),
                    ));
                }
            }
        }
    }
    for m in &ws.missions {
        // An unknown request is reported by the references rules.
        let Some(request) = cx.requests.get(m.request.as_str()) else {
            continue;
        };
        match &request.quote {
            Some(quote) => order_vs_quote(cx, m, &request.file, quote, out),
            None => order_vs_catalogue(cx, m, out),
        }
    }
}

fn order_vs_quote(
    cx: &Context,
    m: &Loaded<Mission>,
    request_file: &str,
    quote: &Quote,
    out: &mut Vec<Finding>,
) {
    let name = quote.number.as_deref().map_or_else(
        || format!("the quote of {}", m.request),
        |n| format!("quote {n}"),
    );
    let mut pending: HashMap<LineKey, VecDeque<usize>> = HashMap::default();
    for (j, line) in quote.lines.iter().enumerate() {
        if let Some(key) = quote_key(line) {
            pending.entry(key).or_default().push_back(j);
        }
    }
    for (i, line) in m.order.iter().enumerate() {
        let Some(key) = order_key(line) else { continue };
        let Some(j) = pending.get_mut(&key).and_then(VecDeque::pop_front) else {
            let route = match key {
                LineKey::Offer(_) => format!("order[{i}].offer"),
                LineKey::Label(_) => format!("order[{i}].label"),
            };
            out.push(Finding::new(
                &rules::ORDER_MISMATCH,
                &m.file,
                At::value(&route),
                format!(
                    "{} is in the order but not in the accepted {name} ({request_file}); the order is copied from the quote: remove this line, or amend the quote first",
                    key.describe()
                ),
            ));
            continue;
        };
        let q = &quote.lines[j];
        if q.quantity.0 != Decimal::from(line.quantity) {
            out.push(Finding::new(
                &rules::ORDER_MISMATCH,
                &m.file,
                At::value(&format!("order[{i}].quantity")),
                format!(
                    "the order has {} × {} but the accepted {name} has {} (quote.lines[{j}] in {request_file}); copy the quantity from the quote",
                    line.quantity,
                    key.describe(),
                    q.quantity
                ),
            ));
        }
        let quoted = q.unit_price.or_else(|| {
            q.offer
                .as_deref()
                .and_then(|o| cx.config?.offer(o))
                .map(|o| o.unit_price)
        });
        if let Some(quoted) = quoted
            && quoted != line.unit_price
        {
            let source = if q.unit_price.is_some() {
                "quoted"
            } else {
                "the catalogue price the quote uses"
            };
            out.push(Finding::new(
                &rules::ORDER_MISMATCH,
                &m.file,
                At::value(&format!("order[{i}].unit_price")),
                format!(
                    "unit price {} of {} differs from {quoted}, {source} in the accepted {name} (quote.lines[{j}] in {request_file}); copy the unit price from the quote",
                    line.unit_price,
                    key.describe()
                ),
            ));
        }
    }
    let mut missing: Vec<usize> = pending.into_values().flatten().collect();
    missing.sort_unstable();
    for j in missing {
        let q = &quote.lines[j];
        let Some(key) = quote_key(q) else { continue };
        out.push(Finding::new(
            &rules::ORDER_MISMATCH,
            &m.file,
            At::key("order"),
            format!(
                "the accepted {name} has {} × {} (quote.lines[{j}] in {request_file}) but the order has no such line; copy it into `order`",
                q.quantity,
                key.describe()
            ),
        ));
    }
}

fn order_vs_catalogue(cx: &Context, m: &Loaded<Mission>, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    for (i, line) in m.order.iter().enumerate() {
        let Some(offer) = line.offer.as_deref().and_then(|o| config.offer(o)) else {
            continue;
        };
        if offer.unit_price != line.unit_price {
            out.push(Finding::new(
                &rules::ORDER_MISMATCH,
                &m.file,
                At::value(&format!("order[{i}].unit_price")),
                format!(
                    "unit price {} differs from the catalogue price {} of `{}`, and request {} has no quote to justify it; use the catalogue price, or record the agreed price (with `override_reason`) in the request's quote",
                    line.unit_price, offer.unit_price, offer.id, m.request
                ),
            ));
        }
    }
}

// --- payouts ------------------------------------------------------------------------------

/// One payout line, located: which payout and which of its lines.
#[derive(Clone, Copy)]
struct LineRef<'a> {
    payout: &'a Loaded<Payout>,
    line: usize,
}

fn payouts(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    // Payouts that are not rejected, in order of request: the first line seen for a
    // (session, person) is the one that stands, every later one is a duplicate.
    let mut live: Vec<&Loaded<Payout>> = ws.payouts.iter().filter(|p| not_rejected(p)).collect();
    live.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
    let line_count = live.iter().map(|p| p.lines.len()).sum();
    // The first line paying each (session, person).
    let mut paid: HashMap<(&str, &str), LineRef> =
        HashMap::with_capacity_and_hasher(line_count, Default::default());
    // Every coordination line, per mission, in order of request.
    let mut coordination: HashMap<&str, Vec<LineRef>> = HashMap::default();
    for &p in &live {
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
                &rules::PAYOUT_DUPLICATE,
                &p.file,
                At::value(&format!("lines[{i}].person")),
                format!(
                    "`{}` is already paid for session {session} by {where_}; a session is paid once per person: remove this line",
                    line.person
                ),
            ));
        }
    }
    let mut held: HashMap<&str, u32> = HashMap::default();
    for s in &ws.sessions {
        if s.state == SessionState::Held {
            *held.entry(s.mission.as_str()).or_default() += 1;
        }
    }

    // payout-monthly-limit
    if let Some(config) = cx.config {
        let max =
            usize::try_from(config.payout_policy.max_requests_per_month).unwrap_or(usize::MAX);
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
                        &rules::PAYOUT_MONTHLY_LIMIT,
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

    for &p in &live {
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

    // coordination-before-close
    for (mission_id, lines) in &coordination {
        let Some(m) = cx.missions.get(mission_id) else {
            continue;
        };
        for (k, r) in lines.iter().enumerate() {
            let p = r.payout;
            let line = &p.lines[r.line];
            let at = At::value(&format!("lines[{}].coordination", r.line));
            match m.state {
                MissionState::Open | MissionState::Cancelled => out.push(Finding::new(
                    &rules::COORDINATION_BEFORE_CLOSE,
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
                            &rules::COORDINATION_BEFORE_CLOSE,
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
                    &rules::COORDINATION_BEFORE_CLOSE,
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
                    &rules::COORDINATION_BEFORE_CLOSE,
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

    close_incomplete(ws, cx, &paid, out);
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
            &rules::PAYOUT_TOO_EARLY,
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
                &rules::PAYOUT_TOO_EARLY,
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
            &rules::PAYOUT_NOT_PAYABLE,
            &p.file,
            At::value(&format!("lines[{i}].person")),
            format!(
                "`{}` is not booked on session {}; only its facilitators with status `paid` are paid: remove this line, or add the booking to {}",
                line.person, s.id, s.file
            ),
        )),
        Some(b) if b.status != FacilitatorStatus::Paid => out.push(Finding::new(
            &rules::PAYOUT_NOT_PAYABLE,
            &p.file,
            At::value(&format!("lines[{i}].person")),
            format!(
                "`{}` is booked on session {} with status `{}`; only status `paid` is paid through payouts: remove this line",
                line.person, s.id, b.status
            ),
        )),
        Some(_) => {}
    }
    // payout-amount
    let Some(config) = cx.config else { return };
    let Some(offer) = config.offer(&s.offer) else {
        return;
    };
    if let (Some(written), Some(b)) = (line.role, booking)
        && written != b.role
    {
        out.push(Finding::new(
            &rules::PAYOUT_AMOUNT,
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
    let Some(pay) = config.rates.for_kind(offer.kind) else {
        return;
    };
    let rate = match role {
        FacilitatorRole::Lead => Some(pay.lead),
        FacilitatorRole::Co => pay.co,
    };
    let Some(rate) = rate else { return };
    if line.amount != rate && line.override_reason.is_none() {
        let kind = offer_kind_name(offer.kind);
        out.push(Finding::new(
            &rules::PAYOUT_AMOUNT,
            &p.file,
            At::value(&format!("lines[{i}].amount")),
            format!(
                "amount {} differs from the rate card: a {kind} {role} is paid {rate} (rates.{kind}.{role} in fresk.yaml); write {rate}, or add `override_reason:` saying why",
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
            &rules::PAYOUT_AMOUNT,
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
            &rules::PAYOUT_AMOUNT,
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
                &rules::PAYOUT_AMOUNT,
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
                &rules::CLOSE_INCOMPLETE,
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
                &rules::CLOSE_INCOMPLETE,
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

// --- fee-amount ---------------------------------------------------------------------------

fn fees(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(rights) = cx.config.and_then(|c| c.usage_rights.as_ref()) else {
        return;
    };
    for d in &ws.declarations {
        if d.override_reason.is_some() {
            continue;
        }
        let Some(expected) = d
            .revenue
            .0
            .checked_mul(rights.percent.0)
            .and_then(|x| x.checked_div(Decimal::from(100)))
            .map(|x| Money(x).round())
        else {
            continue;
        };
        if d.fee != expected {
            out.push(Finding::new(
                &rules::FEE_AMOUNT,
                &d.file,
                At::value("fee"),
                format!(
                    "fee {} is not {}% of the revenue {}: expected {expected} (usage_rights.percent in fresk.yaml); write {expected}, or add `override_reason:` saying why",
                    d.fee, rights.percent, d.revenue
                ),
            ));
        }
    }
}

// --- bad-language -------------------------------------------------------------------------

/// Every entry of `languages:` is a language code: the first is the default of `fresk render`,
/// and a code names a labels file (`templates/labels/<code>.yaml`), so `../…` must never be one.
fn languages(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    for (i, code) in config.languages.iter().enumerate() {
        if !crate::model::config::is_language_code(code) {
            out.push(Finding::new(
                &rules::BAD_LANGUAGE,
                config_file(ws),
                At::value(&format!("languages[{i}]")),
                format!(
                    "`{}` is not a language code: `languages` lists codes such as fr, en or pt-BR (2–3 lowercase letters, then `-` subtags), each naming its labels file templates/labels/<code>.yaml; write the code",
                    code.escape_debug()
                ),
            ));
        }
    }
}

// --- mission-invoiced-twice, draft-of-invoiced-mission -----------------------------------

/// A mission is billed by one invoice: a second one (issued or draft) bills the client twice.
/// `fresk invoice issue` writes the invoice, deletes the draft and marks the mission invoiced;
/// any of those left half-done shows here. Credit notes and cancelled invoices do not count (an
/// invoice cancelled in full by a credit note is replaced by a new one).
fn invoiced_once(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    use crate::model::{Invoice, InvoiceKind, InvoiceState};
    let mut by_mission: HashMap<&str, Vec<&Loaded<Invoice>>> = HashMap::default();
    for inv in &ws.invoices {
        if inv.kind == InvoiceKind::Invoice
            && inv.state != InvoiceState::Cancelled
            && let Some(m) = inv.mission.as_deref()
        {
            by_mission.entry(m).or_default().push(inv);
        }
    }
    let mut missions: Vec<_> = by_mission.into_iter().collect();
    missions.sort_by_key(|(m, _)| *m);
    for (mission, mut invoices) in missions {
        // The invoice that stands: issued before drafts, then the first issued.
        invoices.sort_by(|a, b| {
            let key =
                |i: &Loaded<Invoice>| (i.state == InvoiceState::Draft, i.issued, i.file.clone());
            key(a).cmp(&key(b))
        });
        let first = invoices[0];
        for other in &invoices[1..] {
            let what = if other.state == InvoiceState::Draft {
                format!("draft {}", other.id)
            } else {
                format!("invoice {}", other.id)
            };
            let standing = if first.state == InvoiceState::Draft {
                format!("the draft {} ({})", first.id, first.file)
            } else {
                format!("invoice {} ({})", first.id, first.file)
            };
            let fix = match (first.state, other.state) {
                (_, InvoiceState::Draft) => format!(
                    "delete {} (a `fresk invoice issue` interrupted half-way leaves the draft behind)",
                    other.file
                ),
                (InvoiceState::Draft, _) => format!("delete the draft {}", first.file),
                _ => format!(
                    "cancel the one billed by mistake with a credit note (`fresk invoice credit {}`): an issued invoice is never deleted",
                    other.id
                ),
            };
            out.push(Finding::new(
                &rules::MISSION_INVOICED_TWICE,
                &other.file,
                At::value("mission"),
                format!(
                    "{what} bills mission {mission} a second time: {standing} already bills it, and a mission has one invoice; {fix}"
                ),
            ));
        }
        // A draft alone beside a mission already invoiced (by an invoice since deleted or
        // never recorded): it would bill the client again.
        if first.state == InvoiceState::Draft
            && let Some(m) = cx.missions.get(mission)
            && m.state == MissionState::Invoiced
        {
            out.push(Finding::new(
                &rules::DRAFT_OF_INVOICED_MISSION,
                &first.file,
                At::value("mission"),
                format!(
                    "mission {mission} is already `invoiced` ({}), so draft {} would bill it a second time; delete {} — or, if the mission is not invoiced yet, set it back to `state: closed` in {}",
                    m.file, first.id, first.file, m.file
                ),
            ));
        }
    }
}

// --- fee-invoiced-twice --------------------------------------------------------------------

/// A usage-rights fee is billed once: one declaration per request, person and month (`fresk
/// declaration new` refuses a second — two declare the same revenue, and its fee is invoiced
/// twice), and one fee invoice per declaration (its `invoice:`; a fee invoice names the
/// declarations it bills on its lines, as the example's does).
fn declared_once(ws: &Workspace, out: &mut Vec<Finding>) {
    use crate::model::Declaration;
    let mut seen: HashMap<(&str, &str, crate::model::YearMonth), &Loaded<Declaration>> =
        HashMap::default();
    let mut sorted: Vec<&Loaded<Declaration>> = ws.declarations.iter().collect();
    sorted.sort_by(|a, b| (a.period, &a.file).cmp(&(b.period, &b.file)));
    for d in sorted {
        let key = (d.request.as_str(), d.person.as_str(), d.period);
        let Some(first) = seen.get(&key) else {
            seen.insert(key, d);
            continue;
        };
        let invoiced = |x: &Loaded<Declaration>| {
            x.invoice
                .as_deref()
                .map_or_else(String::new, |n| format!(", invoiced by {n}"))
        };
        out.push(Finding::new(
            &rules::FEE_INVOICED_TWICE,
            &d.file,
            At::value("period"),
            format!(
                "{} declares {}'s revenue of {} on {} a second time: {} ({}{}) already declares it{}, so its usage-rights fee is invoiced twice; merge the two into {} and delete this one (if this one is invoiced, cancel its fee invoice with a credit note)",
                d.id,
                d.person,
                d.period,
                d.request,
                first.id,
                first.file,
                invoiced(first),
                if d.invoice.is_some() {
                    format!(" and this one is too{}", invoiced(d))
                } else {
                    String::new()
                },
                first.id
            ),
        ));
    }
    billed_once(ws, out);
}

/// A declaration named on the lines of an invoice other than its own `invoice:` (or, before it
/// has one, of two invoices): its fee is billed twice.
fn billed_once(ws: &Workspace, out: &mut Vec<Finding>) {
    use crate::model::{InvoiceKind, InvoiceState};
    if ws.declarations.is_empty() {
        return;
    }
    let declarations: HashMap<&str, &Loaded<crate::model::Declaration>> =
        ws.declarations.iter().map(|d| (d.id.as_str(), d)).collect();
    // Declaration id → the first invoice line naming it.
    let mut billed: HashMap<&str, (&str, &str)> = HashMap::default();
    let mut invoices: Vec<_> = ws
        .invoices
        .iter()
        .filter(|i| i.kind == InvoiceKind::Invoice && i.state != InvoiceState::Cancelled)
        .collect();
    invoices.sort_by(|a, b| (a.issued, &a.file).cmp(&(b.issued, &b.file)));
    for inv in invoices {
        for (i, line) in inv.lines.iter().enumerate() {
            let Some(label) = line.label.as_deref() else {
                continue;
            };
            let named = label
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .filter_map(|w| declarations.get_key_value(w));
            for (&id, d) in named {
                // The declaration's own `invoice:` is the one that stands; without it, the
                // first invoice naming it.
                let other = match (d.invoice.as_deref(), billed.get(id)) {
                    (Some(own), _) if own != inv.id => Some(format!(
                        "its fee is billed by {own} (`invoice:` in {})",
                        d.file
                    )),
                    (None, Some((number, file))) if *number != inv.id => {
                        Some(format!("invoice {number} ({file}) already bills it"))
                    }
                    _ => None,
                };
                billed
                    .entry(id)
                    .or_insert((inv.id.as_str(), inv.file.as_str()));
                if let Some(other) = other {
                    out.push(Finding::new(
                        &rules::FEE_INVOICED_TWICE,
                        &inv.file,
                        At::value(&format!("lines[{i}].label")),
                        format!(
                            "this line bills the usage-rights fee of declaration {id} ({}) a second time: {other}; remove the line (or, if {} is issued, correct it with a credit note)",
                            d.file, inv.id
                        ),
                    ));
                }
            }
        }
    }
}

// --- quote-expired, response-overdue ------------------------------------------------------

/// When the first response to `r` is due, if it is still awaited: received, unanswered, and a
/// response SLA set (`response-overdue` once it has passed; `valid_until` ends there).
pub(super) fn response_due(
    r: &crate::model::Request,
    cx: &Context,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let hours = cx.config?.response_sla_hours;
    if r.state != RequestState::Received || r.first_response.is_some() {
        return None;
    }
    r.received
        .instant(cx.tz)
        .checked_add_signed(chrono::Duration::hours(i64::from(hours)))
}

fn requests(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for r in &ws.requests {
        if r.state == RequestState::Quoted
            && let Some(valid_until) = r.quote.as_ref().and_then(|q| q.valid_until)
            && valid_until < cx.today()
        {
            let number = r
                .quote
                .as_ref()
                .and_then(|q| q.number.as_deref())
                .map_or_else(String::new, |n| format!(" {n}"));
            out.push(Finding::new(
                &rules::QUOTE_EXPIRED,
                &r.file,
                At::value("quote.valid_until"),
                format!(
                    "quote{number} was valid until {valid_until} and the request is still `quoted`; record the client's decision (fresk request win / lose) or set `state: expired`"
                ),
            ));
        }
        if let Some(due) = response_due(r, cx)
            && cx.is_past(due)
        {
            let hours = cx.config.map_or(0, |c| c.response_sla_hours);
            out.push(Finding::new(
                &rules::RESPONSE_OVERDUE,
                &r.file,
                At::value("received"),
                format!(
                    "received {} and not answered yet: the first response was due within {hours} h, by {} (response_sla_hours); answer the client and record `first_response`",
                    r.received,
                    fmt_instant(cx, due)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn listings_are_capped() {
        assert_eq!(listing(&["a", "b"], 5), "a, b");
        assert_eq!(listing(&["a", "b", "c"], 2), "a, b and 1 more");
    }
}
