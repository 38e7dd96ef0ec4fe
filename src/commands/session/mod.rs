//! `fresk session`: plan a session before it happens, record it as held after its end, cancel it,
//! list sessions.

mod attendance;
mod new;
mod seats;

use super::Error;
use super::common::{self, Cx, Globals, edit_error, find, find_person, required};
use super::mission::{find_mission, parse_state};
use crate::cli::{ListArgs, ListFormat, SessionCommand, SessionListFormat};
use crate::commands::mutate::Plan;
use crate::lifecycle;
use crate::model::session::FacilitatorStatus;
use crate::model::{Mission, MissionState, Quantity, Session, SessionState};
use crate::workspace::Loaded;
use crate::yaml::edit::{Document, scalar};
use crate::yaml::{Route, Style, Value};
use rust_decimal::Decimal;
use std::path::Path;

pub fn run(start: &Path, cmd: SessionCommand, globals: Globals) -> Result<u8, Error> {
    // A list or calendar reads only sessions, their missions, organisations and people.
    let list = matches!(cmd, SessionCommand::List { .. });
    let mut cx = if list {
        Cx::open_kinds(start, globals, crate::report::calendar::KINDS)?
    } else {
        Cx::open(start, globals)?
    };
    match cmd {
        SessionCommand::New(args) => new::new(&mut cx, args),
        SessionCommand::Hold {
            session,
            attended,
            satisfaction,
            present,
            from_roster,
        } => {
            let count = match (attended, present.is_empty() && !from_roster) {
                (Some(n), _) => Count::Given(n),
                (None, true) => Count::Ask,
                (None, false) => Count::Roster(present),
            };
            hold(&mut cx, &session, count, satisfaction.as_deref())
        }
        SessionCommand::Cancel { session, reason } => cancel(&mut cx, &session, reason.as_deref()),
        SessionCommand::Join {
            session,
            person,
            role,
            status,
        } => seats::join(
            &mut cx,
            &session,
            person,
            role.as_deref(),
            status.as_deref(),
        ),
        SessionCommand::Leave { session, person } => seats::leave(&mut cx, &session, person),
        SessionCommand::List {
            open,
            mission,
            person,
            state,
            format,
            from,
            to,
        } => {
            let list = ListArgs {
                format: match format {
                    SessionListFormat::Table | SessionListFormat::Ics => ListFormat::Table,
                    SessionListFormat::Csv => ListFormat::Csv,
                    SessionListFormat::Json => ListFormat::Json,
                },
                from,
                to,
            };
            list_sessions(
                &cx,
                Filters {
                    open,
                    mission: mission.as_deref(),
                    person: person.as_deref(),
                    state: state.as_deref(),
                },
                &list,
                format == SessionListFormat::Ics,
            )
        }
    }
}

fn find_session<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Session>, Error> {
    find(&cx.ws.sessions, id, "session", |s| &s.id)
}

/// Nothing may change in a mission that is not open.
fn mission_open(m: &Mission, doing: &str) -> Result<(), Error> {
    if m.state == MissionState::Open {
        return Ok(());
    }
    Err(Error::refused(format!(
        "mission {} is `{}`: nothing may change in a mission once it is closed, invoiced or cancelled, so no session can be {doing}",
        m.id, m.state
    )))
}

/// A planned session may move to `to`, or an error naming the states it may move to.
fn transition(s: &Session, to: SessionState) -> Result<(), Error> {
    let next = lifecycle::session_next(s.state);
    if next.contains(&to) {
        return Ok(());
    }
    let allowed = if next.is_empty() {
        format!("`{}` is final", s.state)
    } else {
        let names: Vec<&str> = next.iter().map(|n| n.as_str()).collect();
        format!(
            "from `{}` it may only become {}",
            s.state,
            names.join(" or ")
        )
    };
    Err(Error::refused(format!(
        "session {} is `{}`, so it cannot become `{to}` ({allowed})",
        s.id, s.state
    )))
}

// --- session hold ------------------------------------------------------------------------------

/// Where the count of attendees comes from.
enum Count {
    /// `--attended N`.
    Given(u32),
    /// Asked on a terminal.
    Ask,
    /// The roster: `--present WHO…` (marked there) or `--from-roster` (an empty list).
    Roster(Vec<String>),
}

fn hold(cx: &mut Cx, id: &str, count: Count, satisfaction: Option<&str>) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    transition(s, SessionState::Held)?;
    if let Some(m) = cx.ws.missions.iter().find(|m| m.id == s.mission) {
        mission_open(m, "recorded as held")?;
    }
    let end = s.end.instant(cx.tz);
    if end > cx.clock.now {
        return Err(Error::refused(format!(
            "session {} ends at {}; it can be recorded as held only after its end (now is {})",
            s.id,
            s.end,
            cx.now()
        )));
    }
    let mut roster = None;
    let attended = match count {
        Count::Given(n) => n,
        Count::Roster(present) => {
            let r = attendance::attendance(cx, s, &present)?;
            let n = r.count;
            roster = Some(r);
            n
        }
        Count::Ask => {
            let text = required(None, "--attended", "How many participants attended")?;
            text.trim().parse::<u32>().map_err(|_| {
                Error::usage(format!(
                    "--attended: `{text}` is not a number of participants"
                ))
            })?
        }
    };
    let satisfaction = satisfaction
        .map(|t| {
            let q = Quantity::parse(t).map_err(|e| Error::usage(format!("--satisfaction: {e}")))?;
            if q.0.is_sign_negative() || q.0 > Decimal::from(5) {
                return Err(Error::usage(format!(
                    "--satisfaction: {t} is outside the 0–5 scale"
                )));
            }
            Ok(q)
        })
        .transpose()?;

    let mut doc = Document::new(cx.read(&s.file)?);
    let err = edit_error(&s.file);
    doc.set(&Route::parse("state"), "held").map_err(&err)?;
    if doc
        .set(
            &Route::parse("participants.attended"),
            &attended.to_string(),
        )
        .is_err()
    {
        // No `participants` mapping yet (or an empty one): write it whole.
        doc.set(
            &Route::parse("participants"),
            &format!("{{ attended: {attended} }}"),
        )
        .map_err(&err)?;
    }
    // The sign-in record is the roster: the session file names it (a path, no personal data),
    // so a reader of the tracked files — `report quality`, an auditor — sees that it exists.
    if let Some(r) = &roster
        && s.participants.roster.as_deref() != Some(r.rel.as_str())
    {
        doc.set(&Route::parse("participants.roster"), &scalar(&r.rel))
            .map_err(&err)?;
    }
    if let Some(q) = satisfaction {
        doc.set(&Route::parse("satisfaction"), &q.to_string())
            .map_err(&err)?;
    }
    let expected = s
        .participants
        .expected
        .map(|e| format!(" of {e} expected"))
        .unwrap_or_default();
    let paid = s
        .facilitators
        .iter()
        .any(|b| b.status == FacilitatorStatus::Paid);
    let mut plan = Plan::new(format!(
        "session {} held: {attended} attended{expected}{}",
        s.id,
        if paid {
            format!(
                "; its paid facilitators can now be requested (fresk payout request --mission {})",
                s.mission
            )
        } else {
            String::new()
        }
    ));
    plan.write(s.file.clone(), doc.into_text());
    if let Some(r) = roster {
        plan.summary.push_str(&format!(
            " (from the roster: {} of {} registered present)",
            r.count, r.registered
        ));
        if let Some(text) = r.text {
            plan.write(r.rel, text);
        }
    }
    cx.apply(&plan)
}

// --- session cancel ----------------------------------------------------------------------------

fn cancel(cx: &mut Cx, id: &str, reason: Option<&str>) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    transition(s, SessionState::Cancelled)?;
    if let Some(m) = cx.ws.missions.iter().find(|m| m.id == s.mission) {
        mission_open(m, "cancelled")?;
    }
    let mut doc = Document::new(cx.read(&s.file)?);
    let err = edit_error(&s.file);
    doc.set(&Route::parse("state"), "cancelled").map_err(&err)?;
    let mut text = doc.into_text();
    if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        text = match append_to_block_note(&text, &reason) {
            Some(t) => t,
            None => {
                let notes = match s.notes.as_deref().map(str::trim_end) {
                    Some(old) if !old.is_empty() => format!("{old} — {reason}"),
                    _ => reason.clone(),
                };
                let mut doc = Document::new(text);
                doc.set(&Route::parse("notes"), &scalar(&notes))
                    .map_err(&err)?;
                doc.into_text()
            }
        };
    }
    let mut plan = Plan::new(format!(
        "session {} cancelled{}",
        s.id,
        reason
            .map(|r| format!(": {}", r.trim()))
            .unwrap_or_default()
    ));
    plan.write(s.file.clone(), text);
    cx.apply(&plan)
}

/// When `notes` is a block scalar (`|` or `>`), add `line` as its last line, indented like the
/// others, and leave everything else as it is; `None` when `notes` is not a block scalar.
fn append_to_block_note(text: &str, line: &str) -> Option<String> {
    let parsed = crate::yaml::parse(text);
    let entry = parsed.root.as_ref()?.get("notes")?;
    if !matches!(
        entry.value.value,
        Value::Scalar {
            style: Style::Block,
            ..
        }
    ) {
        return None;
    }
    let key_line = usize::try_from(entry.key.span.start.line).ok()?;
    let key_indent = usize::try_from(entry.key.span.start.column)
        .ok()?
        .saturating_sub(1);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut last = key_line.checked_sub(1)?;
    let mut indent = None;
    for (i, l) in lines.iter().enumerate().skip(key_line) {
        let content = l.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            continue;
        }
        let n = content.len() - content.trim_start_matches(' ').len();
        if n <= key_indent {
            break;
        }
        last = i;
        indent.get_or_insert(n);
    }
    let mut out = String::with_capacity(text.len() + line.len() + 8);
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        if i == last {
            if !l.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent.unwrap_or(key_indent + 2)));
            out.push_str(line);
            out.push('\n');
        }
    }
    Some(out)
}

// --- session list ------------------------------------------------------------------------------

/// What `session list` keeps.
struct Filters<'a> {
    open: bool,
    mission: Option<&'a str>,
    person: Option<&'a str>,
    state: Option<&'a str>,
}

fn list_sessions(cx: &Cx, f: Filters, list: &ListArgs, ics: bool) -> Result<u8, Error> {
    let (mission, person, state) = (f.mission, f.person, f.state);
    let state = parse_state(state, SessionState::ALL, SessionState::as_str, "session")?;
    if let Some(m) = mission {
        find_mission(cx, m)?;
    }
    if let Some(p) = person {
        find_person(cx, p)?;
    }
    let (from, to) = common::list_range(list)?;
    let mut sessions: Vec<&Loaded<Session>> = cx
        .ws
        .sessions
        .iter()
        .filter(|s| mission.is_none_or(|m| s.mission == m))
        .filter(|s| person.is_none_or(|p| s.facilitators.iter().any(|b| b.person == p)))
        .filter(|s| state.is_none_or(|st| s.state == st))
        .filter(|s| from.is_none_or(|d| s.start.date() >= d))
        .filter(|s| to.is_none_or(|d| s.start.date() <= d))
        .filter(|s| !f.open || seats::is_open(cx, s))
        .collect();
    sessions.sort_by(|a, b| (a.start.instant(cx.tz), &a.id).cmp(&(b.start.instant(cx.tz), &b.id)));
    if ics {
        let org = cx
            .ws
            .config
            .as_ref()
            .map_or("fresk", |c| c.organisation.name.as_str());
        let name = match (person, mission) {
            (Some(p), _) => format!("{org} — {p}"),
            (None, Some(m)) => format!("{org} — {m}"),
            (None, None) => format!("{org} — sessions"),
        };
        let values: Vec<&Session> = sessions.iter().map(|s| &s.value).collect();
        let text = crate::report::calendar::render(
            &cx.ws,
            cx.ws.config.as_ref().map(|c| &c.value),
            &values,
            &name,
            cx.clock.now,
            cx.tz,
        );
        print!("{text}");
        return Ok(0);
    }
    let rows: Vec<Vec<String>> = sessions
        .iter()
        .map(|s| {
            let mut row = vec![
                s.id.clone(),
                s.mission.clone(),
                s.state.to_string(),
                s.offer.clone(),
                s.start.to_string(),
                s.end.to_string(),
                match (&s.location, s.online) {
                    (Some(l), _) => l.clone(),
                    (None, Some(true)) => "online".into(),
                    _ => String::new(),
                },
                s.facilitators
                    .iter()
                    .map(|b| format!("{} ({}, {})", b.person, b.role, b.status))
                    .collect::<Vec<_>>()
                    .join("; "),
                s.participants
                    .expected
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                s.participants
                    .attended
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            ];
            if f.open {
                row.push(s.free_seats().to_string());
                row.push(s.open_role.map_or("co", |r| r.as_str()).to_string());
            }
            row
        })
        .collect();
    let mut headers = vec![
        "session",
        "mission",
        "state",
        "offer",
        "start",
        "end",
        "where",
        "facilitators",
        "expected",
        "attended",
    ];
    if f.open {
        headers.extend(["open seats", "open role"]);
    }
    common::print_rows(&headers, &rows, list.format);
    Ok(0)
}
