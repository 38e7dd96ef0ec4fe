//! `fresk mission`: open a mission from a won request, follow it on the coordinator's dashboard,
//! list missions, close a mission.

use super::Error;
use super::common::{self, Cx, Globals, edit_error, find, required, schema_header};
use super::mutate::Plan;
use crate::cli::{ListArgs, ListFormat, MissionCommand};
use crate::lifecycle;
use crate::model::config::OfferKind;
use crate::model::{
    Date, Kind, Mission, MissionState, Money, Person, RequestState, Role, SessionState, Track,
};
use crate::report::dashboard;
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;
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
    let d = dashboard::compute(&cx.ws, config, m, cx.clock.now, cx.tz);
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

fn show(cx: &Cx, id: &str, format: ListFormat) -> Result<u8, Error> {
    let config = cx.config()?;
    let m = find_mission(cx, id)?;
    let d = dashboard::compute(&cx.ws, config, m, cx.clock.now, cx.tz);
    match format {
        ListFormat::Table => print!("{}", dashboard::render(&d, std::io::stdout().is_terminal())),
        ListFormat::Json => {
            let text = serde_json::to_string_pretty(&d)
                .map_err(|e| Error(format!("cannot print the dashboard as JSON: {e}")))?;
            println!("{text}");
        }
        ListFormat::Csv => common::print_rows(
            &dashboard::SESSION_HEADERS,
            &dashboard::session_rows(&d, true),
            format,
        ),
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
