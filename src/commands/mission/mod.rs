//! `fresk mission`: open a mission from a won request, follow it on the coordinator's dashboard,
//! list missions, close a mission.

mod cost;
mod new;

use super::Error;
use super::common::{self, Cx, Globals, edit_error, find};
use super::mutate::Plan;
use crate::cli::{ListArgs, ListFormat, MissionCommand};
use crate::lifecycle;
use crate::model::config::OfferKind;
use crate::model::{Mission, MissionState, Person, Role, SessionState};
use crate::report::dashboard;
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::Document;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(start: &Path, cmd: MissionCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        MissionCommand::New {
            request,
            coordinator,
            date,
        } => new::new(&mut cx, request, coordinator, date),
        MissionCommand::Show { mission, format } => show(&cx, &mission, format),
        MissionCommand::List {
            state,
            coordinator,
            list,
        } => list_missions(&cx, state.as_deref(), coordinator.as_deref(), &list),
        MissionCommand::Close { mission, date } => close(&mut cx, &mission, date.as_deref()),
        MissionCommand::Cost {
            mission,
            label,
            amount,
            category,
            vat,
            supplier,
            date,
        } => cost::cost(
            &mut cx,
            &mission,
            &cost::CostArgs {
                label: &label,
                amount: &amount,
                category: category.as_deref(),
                vat: vat.as_deref(),
                supplier: supplier.as_deref(),
                date: date.as_deref(),
            },
        ),
    }
}

// --- helpers shared with `fresk session` ------------------------------------------------------

/// The folder of a mission (`missions/M2026-0042`), from its file.
pub(crate) fn mission_dir(m: &Loaded<Mission>) -> String {
    m.file
        .rsplit_once('/')
        .map_or_else(|| format!("missions/{}", m.id), |(dir, _)| dir.to_string())
}

pub(crate) fn find_mission<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Mission>, Error> {
    find(&cx.ws.missions, id, "mission", |m| &m.id)
}

/// Why a person is below the level a sector needs (shared with the `level-too-low` rule).
pub(crate) use crate::rules::business::below as below_level;

/// `person` must have `role`, or an error saying what to do.
pub(crate) fn need_role(person: &Loaded<Person>, role: Role, as_what: &str) -> Result<(), Error> {
    if person.has_role(role) {
        return Ok(());
    }
    let has: Vec<&str> = person.roles.iter().map(|r| r.as_str()).collect();
    Err(Error::refused(format!(
        "`{}` cannot be {as_what}: they have roles [{}], not `{}`; add `{}` to `roles` in {} or choose someone who has it",
        person.id,
        has.join(", "),
        role.as_str(),
        role.as_str(),
        person.file
    )))
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
            Error::usage(format!(
                "--state: `{v}` is not a {what} state; use one of {}",
                names.join(", ")
            ))
        })
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
        return Err(Error::refused(format!(
            "mission {} is `{}`{since}; only an open mission can be closed ({next})",
            m.id, m.state
        )));
    }
    let d = dashboard::compute(&cx.ws, config, m, cx.clock.now, cx.tz);
    if !d.close.possible {
        return Err(Error::refused(format!(
            "mission {} cannot be closed yet:\n  - {}",
            m.id,
            d.close.reasons.join("\n  - ")
        )));
    }
    let closed = common::date_or_today(cx, date, "--date")?;
    if closed < m.opened {
        return Err(Error::refused(format!(
            "--date {closed} is before the mission was opened ({}); give a date on or after it",
            m.opened
        )));
    }
    if closed > cx.today() {
        return Err(Error::refused(format!(
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
        ListFormat::Json => print!(
            "{}",
            crate::report::table::versioned(
                serde_json::to_value(&d)
                    .map_err(|e| Error::io(format!("cannot print the dashboard as JSON: {e}")))?,
            )
        ),
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
        common::find_person(cx, c)?;
    }
    let (from, to) = common::list_range(list)?;
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
