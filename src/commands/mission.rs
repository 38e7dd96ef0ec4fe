//! `fresk mission`: open a mission from a won request, follow it on the coordinator's dashboard,
//! list missions, close a mission.

use super::Error;
use super::common::{self, Cx, Globals, edit_error, find, required, schema_header};
use super::mutate::Plan;
use crate::cli::{ListArgs, ListFormat, MissionCommand};
use crate::lifecycle;
use crate::model::config::OfferKind;
use crate::model::session::{FacilitatorRole, FacilitatorStatus};
use crate::model::{
    Config, Date, Kind, Mission, MissionState, Money, Payout, PayoutState, Person, RequestState,
    Role, Sector, Session, SessionState, Track,
};
use crate::workspace::{Loaded, Workspace};
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use chrono::{DateTime as Instant, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(start: &Path, cmd: MissionCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        MissionCommand::New {
            request,
            coordinator,
            date,
        } => new(&mut cx, request, coordinator, date),
        MissionCommand::Show { mission, format } => show(&cx, &mission, format),
        MissionCommand::List {
            state,
            coordinator,
            list,
        } => list_missions(&cx, state.as_deref(), coordinator.as_deref(), &list),
        MissionCommand::Close { mission, date } => close(&mut cx, &mission, date.as_deref()),
    }
}

// --- helpers shared with `fresk session` ------------------------------------------------------

/// An amount as fresk writes it in YAML: an integer when whole (`1200`), else two decimals.
pub(crate) fn money_yaml(m: Money) -> String {
    if m.0.fract().is_zero() {
        m.0.trunc().normalize().to_string()
    } else {
        m.to_string()
    }
}

/// The folder of a mission (`missions/M2026-0042`), from its file.
pub(crate) fn mission_dir(m: &Loaded<Mission>) -> String {
    m.file
        .rsplit_once('/')
        .map_or_else(|| format!("missions/{}", m.id), |(dir, _)| dir.to_string())
}

pub(crate) fn find_mission<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Mission>, Error> {
    find(&cx.ws.missions, id, "mission", |m| &m.id)
}

pub(crate) fn find_person<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Person>, Error> {
    find(&cx.ws.people, id, "person", |p| &p.id)
}

/// Why a person is below the level a sector needs (shared with the `level-too-low` rule).
pub(crate) use crate::rules::business::below as below_level;

pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "facilitator",
        Role::Coordinator => "coordinator",
        Role::Staff => "staff",
    }
}

/// `person` must have `role`, or an error saying what to do.
pub(crate) fn need_role(person: &Loaded<Person>, role: Role, as_what: &str) -> Result<(), Error> {
    if person.has_role(role) {
        return Ok(());
    }
    let has: Vec<&str> = person.roles.iter().map(|r| role_name(*r)).collect();
    Err(Error(format!(
        "`{}` cannot be {as_what}: they have roles [{}], not `{}`; add `{}` to `roles` in {} or choose someone who has it",
        person.id,
        has.join(", "),
        role_name(role),
        role_name(role),
        person.file
    )))
}

/// Parse an optional `--from`/`--to` pair.
pub(crate) fn date_range(list: &ListArgs) -> Result<(Option<Date>, Option<Date>), Error> {
    let parse = |v: &Option<String>, flag: &str| {
        v.as_deref()
            .map(|t| Date::parse(t).map_err(|e| Error(format!("{flag}: {e}"))))
            .transpose()
    };
    Ok((parse(&list.from, "--from")?, parse(&list.to, "--to")?))
}

/// Check a `--state` filter against the allowed words.
pub(crate) fn parse_state<T: Copy>(
    value: Option<&str>,
    all: &[T],
    name: impl Fn(T) -> &'static str,
    what: &str,
) -> Result<Option<T>, Error> {
    let Some(v) = value else { return Ok(None) };
    all.iter()
        .copied()
        .find(|s| name(*s) == v)
        .map(Some)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|s| name(*s)).collect();
            Error(format!(
                "--state: `{v}` is not a {what} state; use one of {}",
                names.join(", ")
            ))
        })
}

// --- mission new -------------------------------------------------------------------------------

fn new(
    cx: &mut Cx,
    request: Option<String>,
    coordinator: Option<String>,
    date: Option<String>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let request_id = required(
        request,
        "--request",
        "Request to open the mission for (e.g. R2026-0042)",
    )?;
    let request = find(&cx.ws.requests, &request_id, "request", |r| &r.id)?;
    let coordinator_id = required(
        coordinator,
        "--coordinator",
        "Coordinator of the mission (person id)",
    )?;

    if request.track != Track::Subcontracting {
        return Err(Error(format!(
            "request {} is on the `{}` track: the facilitator contracts with the client directly, so there is no mission; only subcontracting requests get one",
            request.id, request.track
        )));
    }
    match request.state {
        RequestState::Published => {}
        RequestState::Won => {
            return Err(Error(format!(
                "request {} is `won` but not yet published to coordinators (won → published → assigned); publish it first (fresk request publish {}), then open the mission",
                request.id, request.id
            )));
        }
        RequestState::Assigned => match request.coordinator.as_deref() {
            Some(c) if c == coordinator_id => {}
            Some(c) => {
                return Err(Error(format!(
                    "request {} is already assigned to coordinator `{c}`; open its mission with --coordinator {c}",
                    request.id
                )));
            }
            None => {
                return Err(Error(format!(
                    "request {} is `assigned` but names no coordinator; add `coordinator:` to {} first",
                    request.id, request.file
                )));
            }
        },
        RequestState::Received | RequestState::Qualified => {
            return Err(Error(format!(
                "request {} is `{}`: a mission is opened once the client has accepted the quote; quote it (fresk request quote {}) and record the decision (fresk request win {}) first",
                request.id, request.state, request.id, request.id
            )));
        }
        RequestState::Quoted => {
            return Err(Error(format!(
                "request {} is `quoted`: the client has not accepted the quote yet; record the decision first (fresk request win {})",
                request.id, request.id
            )));
        }
        RequestState::Lost | RequestState::Expired => {
            return Err(Error(format!(
                "request {} is `{}`: it closed without work, so no mission can be opened",
                request.id, request.state
            )));
        }
    }

    // The mission takes the request's number.
    let Some(number) = request.id.strip_prefix('R') else {
        return Err(Error(format!(
            "request id `{}` does not have the form R<year>-<seq>, so the mission id cannot be derived from it",
            request.id
        )));
    };
    let id = format!("M{number}");
    let dir = format!("missions/{id}");
    let taken = cx.ws.missions.iter().any(|m| m.id == id)
        || cx
            .ws
            .ids
            .get(&Kind::Mission)
            .is_some_and(|ids| ids.contains_key(&id))
        || cx.root.join(&dir).exists();
    if taken {
        return Err(Error(format!(
            "mission {id} already exists ({dir}/); see it with `fresk mission show {id}`"
        )));
    }

    let person = find_person(cx, &coordinator_id)?;
    need_role(person, Role::Coordinator, "a mission's coordinator")?;
    let org = find(
        &cx.ws.organisations,
        &request.organisation,
        "organisation",
        |o| &o.id,
    )?;
    if let Some(needed) = config
        .requirements
        .get(&org.sector)
        .and_then(|r| r.coordinate.as_deref())
        && let Some(why) = below_level(config, person, needed)
    {
        return Err(Error(format!(
            "{why}, but coordinating a {sector} mission requires `{needed}` or higher (requirements.{sector}.coordinate in fresk.yaml); choose another coordinator",
            sector = org.sector.as_str()
        )));
    }

    let quote = request
        .quote
        .as_ref()
        .filter(|q| !q.lines.is_empty())
        .ok_or_else(|| {
            Error(format!(
                "request {} has no quote lines to copy into the order; record the accepted quote in {} first",
                request.id, request.file
            ))
        })?;
    let mut order = String::new();
    for (i, line) in quote.lines.iter().enumerate() {
        let q = line.quantity.0.normalize();
        let quantity = (q.scale() == 0 && !q.is_sign_negative())
            .then(|| q.to_u32())
            .flatten();
        let Some(quantity) = quantity else {
            return Err(Error(format!(
                "quote line {} of {} has quantity {}; an order counts whole units: fix the quote first",
                i + 1,
                request.id,
                line.quantity
            )));
        };
        let mut fields = Vec::new();
        let price = match (&line.offer, &line.label) {
            (Some(offer), _) => {
                let catalogue = config.offer(offer).ok_or_else(|| {
                    Error(format!(
                        "quote line {} of {} names offer `{offer}`, which is not in the catalogue of fresk.yaml; fix the quote or the catalogue first",
                        i + 1,
                        request.id
                    ))
                })?;
                fields.push(format!("offer: {}", scalar(offer)));
                line.unit_price.unwrap_or(catalogue.unit_price)
            }
            (None, Some(_)) => line.unit_price.ok_or_else(|| {
                Error(format!(
                    "free quote line {} of {} has no unit_price; fix the quote first",
                    i + 1,
                    request.id
                ))
            })?,
            (None, None) => {
                return Err(Error(format!(
                    "quote line {} of {} has neither an offer nor a label; fix the quote first",
                    i + 1,
                    request.id
                )));
            }
        };
        if let Some(label) = &line.label {
            fields.push(format!("label: {}", scalar(label)));
        }
        fields.push(format!("quantity: {quantity}"));
        fields.push(format!("unit_price: {}", money_yaml(price)));
        let _ = writeln!(order, "  - {{ {} }}", fields.join(", "));
    }

    let opened = common::date_or_today(cx, date.as_deref(), "--date")?;
    if let Some(decided) = request.decision.as_ref().map(|d| d.date)
        && opened < decided
    {
        return Err(Error(format!(
            "--date {opened} is before the client's decision on {decided} (request {}); a mission opens once the quote is accepted",
            request.id
        )));
    }
    if opened > cx.today() {
        return Err(Error(format!(
            "--date {opened} is in the future (today is {}); open the mission on the day it starts",
            cx.today()
        )));
    }
    let rel = format!("{dir}/mission.yaml");
    let mut text = schema_header(Kind::Mission, &rel);
    let _ = write!(
        text,
        "id: {id}\nstate: open\nrequest: {}\norganisation: {}\nsector: {}\ncoordinator: {}\nopened: {opened}\norder:\n{order}closed: ~\n",
        scalar(&request.id),
        scalar(&org.id),
        org.sector.as_str(),
        scalar(&person.id),
    );

    let mut plan = Plan::new(format!(
        "mission {id} opened for request {} ({}), coordinated by {}",
        request.id, org.id, person.id
    ));
    plan.write(rel, text);
    if request.state != RequestState::Assigned {
        let mut doc = Document::new(cx.read(&request.file)?);
        let err = edit_error(&request.file);
        doc.set(&Route::parse("state"), "assigned").map_err(&err)?;
        doc.set(&Route::parse("coordinator"), &scalar(&person.id))
            .map_err(&err)?;
        plan.write(request.file.clone(), doc.into_text());
        plan.summary
            .push_str(&format!("; request {} is now assigned", request.id));
    }
    cx.apply(&plan)
}

// --- mission close -----------------------------------------------------------------------------

fn close(cx: &mut Cx, id: &str, date: Option<&str>) -> Result<u8, Error> {
    let config = cx.config()?;
    let m = find_mission(cx, id)?;
    if !lifecycle::mission_next(m.state).contains(&MissionState::Closed) {
        let since = m
            .closed
            .map(|d| format!(" (closed on {d})"))
            .unwrap_or_default();
        let next: Vec<&str> = lifecycle::mission_next(m.state)
            .iter()
            .map(|s| s.as_str())
            .collect();
        let next = if next.is_empty() {
            "it is final".to_string()
        } else {
            format!(
                "from `{}` it may only become {}",
                m.state,
                next.join(" or ")
            )
        };
        return Err(Error(format!(
            "mission {} is `{}`{since}; only an open mission can be closed ({next})",
            m.id, m.state
        )));
    }
    let d = dashboard(&cx.ws, config, m, cx.clock.now, cx.tz);
    if !d.close.possible {
        return Err(Error(format!(
            "mission {} cannot be closed yet:\n  - {}",
            m.id,
            d.close.reasons.join("\n  - ")
        )));
    }
    let closed = common::date_or_today(cx, date, "--date")?;
    if closed < m.opened {
        return Err(Error(format!(
            "--date {closed} is before the mission was opened ({}); give a date on or after it",
            m.opened
        )));
    }
    if closed > cx.today() {
        return Err(Error(format!(
            "--date {closed} is in the future (today is {}); close the mission on the day it is done",
            cx.today()
        )));
    }
    let mut doc = Document::new(cx.read(&m.file)?);
    let err = edit_error(&m.file);
    doc.set(&Route::parse("state"), "closed").map_err(&err)?;
    doc.set(&Route::parse("closed"), &closed.to_string())
        .map_err(&err)?;
    let held = d
        .sessions
        .iter()
        .filter(|s| s.state == SessionState::Held)
        .count();
    let mut plan = Plan::new(format!(
        "mission {} closed on {closed} ({held} session(s) held); next: request the coordination payout (fresk payout request --mission {}) and draft the client invoice (fresk invoice draft --mission {})",
        m.id, m.id, m.id
    ));
    plan.write(m.file.clone(), doc.into_text());
    cx.apply(&plan)
}

// --- the dashboard -----------------------------------------------------------------------------

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
pub fn dashboard(
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
pub fn render_dashboard(d: &Dashboard, terminal: bool) -> String {
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
    out.push_str(&common::format_rows(
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
        out.push_str(&common::format_rows(
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
        out.push_str(&common::format_rows(
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
        out.push_str(&common::format_rows(
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

const SESSION_HEADERS: [&str; 10] = [
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
fn session_rows(d: &Dashboard, repeat: bool) -> Vec<Vec<String>> {
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

fn show(cx: &Cx, id: &str, format: ListFormat) -> Result<u8, Error> {
    let config = cx.config()?;
    let m = find_mission(cx, id)?;
    let d = dashboard(&cx.ws, config, m, cx.clock.now, cx.tz);
    match format {
        ListFormat::Table => print!("{}", render_dashboard(&d, std::io::stdout().is_terminal())),
        ListFormat::Json => {
            let text = serde_json::to_string_pretty(&d)
                .map_err(|e| Error(format!("cannot print the dashboard as JSON: {e}")))?;
            println!("{text}");
        }
        ListFormat::Csv => common::print_rows(&SESSION_HEADERS, &session_rows(&d, true), format),
    }
    Ok(0)
}

// --- mission list ------------------------------------------------------------------------------

fn list_missions(
    cx: &Cx,
    state: Option<&str>,
    coordinator: Option<&str>,
    list: &ListArgs,
) -> Result<u8, Error> {
    let state = parse_state(state, MissionState::ALL, MissionState::as_str, "mission")?;
    if let Some(c) = coordinator {
        find_person(cx, c)?;
    }
    let (from, to) = date_range(list)?;
    let mut counts: BTreeMap<&str, [u32; 3]> = BTreeMap::new();
    for s in &cx.ws.sessions {
        let c = counts.entry(s.mission.as_str()).or_default();
        match s.state {
            SessionState::Planned => c[0] += 1,
            SessionState::Held => c[1] += 1,
            SessionState::Cancelled => c[2] += 1,
        }
    }
    let mut missions: Vec<&Loaded<Mission>> = cx
        .ws
        .missions
        .iter()
        .filter(|m| state.is_none_or(|s| m.state == s))
        .filter(|m| coordinator.is_none_or(|c| m.coordinator == c))
        .filter(|m| from.is_none_or(|d| m.opened >= d))
        .filter(|m| to.is_none_or(|d| m.opened <= d))
        .collect();
    missions.sort_by(|a, b| a.id.cmp(&b.id));
    let rows: Vec<Vec<String>> = missions
        .iter()
        .map(|m| {
            let c = counts.get(m.id.as_str()).copied().unwrap_or_default();
            let ordered: u32 = m
                .order
                .iter()
                .filter(|l| {
                    l.offer
                        .as_deref()
                        .and_then(|o| cx.ws.config.as_ref()?.offer(o))
                        .is_some_and(|o| o.kind != OfferKind::Other)
                })
                .map(|l| l.quantity)
                .sum();
            vec![
                m.id.clone(),
                m.state.to_string(),
                m.organisation.clone(),
                m.sector.as_str().to_string(),
                m.coordinator.clone(),
                m.opened.to_string(),
                m.closed.map(|d| d.to_string()).unwrap_or_default(),
                ordered.to_string(),
                c[0].to_string(),
                c[1].to_string(),
                c[2].to_string(),
            ]
        })
        .collect();
    common::print_rows(
        &[
            "mission",
            "state",
            "organisation",
            "sector",
            "coordinator",
            "opened",
            "closed",
            "ordered",
            "planned",
            "held",
            "cancelled",
        ],
        &rows,
        list.format,
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_as_an_integer_when_whole() {
        assert_eq!(money_yaml(Money::parse("1200").unwrap()), "1200");
        assert_eq!(money_yaml(Money::parse("1200.00").unwrap()), "1200");
        assert_eq!(money_yaml(Money::parse("1200.5").unwrap()), "1200.50");
        assert_eq!(money_yaml(Money::parse("0").unwrap()), "0");
    }
}
