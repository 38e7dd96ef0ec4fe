//! `fresk session`: plan a session before it happens, record it as held after its end, cancel it,
//! list sessions.

use super::Error;
use super::common::find_person;
use super::common::{self, Cx, Globals, edit_error, find, required, schema_header};
use super::mission::{below_level, find_mission, mission_dir, need_role, parse_state};
use super::mutate::Plan;
use crate::cli::{ListArgs, ListFormat, SessionCommand, SessionListFormat, SessionNewArgs};
use crate::lifecycle;
use crate::model::session::{FacilitatorRole, FacilitatorStatus};
use crate::model::{
    Config, DateTime, Kind, Mission, MissionState, Quantity, Role, Session, SessionState,
};
use crate::workspace::Loaded;
use crate::yaml::edit::{Document, scalar};
use crate::yaml::{Route, Style, Value};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write as _;
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
        SessionCommand::New(args) => new(&mut cx, args),
        SessionCommand::Hold {
            session,
            attended,
            satisfaction,
        } => hold(&mut cx, &session, attended, satisfaction.as_deref()),
        SessionCommand::Cancel { session, reason } => cancel(&mut cx, &session, reason.as_deref()),
        SessionCommand::List {
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
                mission.as_deref(),
                person.as_deref(),
                state.as_deref(),
                &list,
                format == SessionListFormat::Ics,
            )
        }
    }
}

fn find_session<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Session>, Error> {
    find(&cx.ws.sessions, id, "session", |s| &s.id)
}

/// Nothing may change in a mission that is not open (SPEC §5.5).
fn mission_open(m: &Mission, doing: &str) -> Result<(), Error> {
    if m.state == MissionState::Open {
        return Ok(());
    }
    Err(Error(format!(
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
    Err(Error(format!(
        "session {} is `{}`, so it cannot become `{to}` ({allowed})",
        s.id, s.state
    )))
}

// --- session new -------------------------------------------------------------------------------

struct Booked {
    person: String,
    role: FacilitatorRole,
    status: FacilitatorStatus,
}

/// `PERSON[:ROLE[:STATUS]]`; the first facilitator is the lead by default, the others co.
fn parse_facilitator(text: &str, first: bool) -> Result<Booked, Error> {
    let mut parts = text.split(':').map(str::trim);
    let person = parts.next().filter(|p| !p.is_empty()).ok_or_else(|| {
        Error(format!(
            "--facilitator `{text}`: write PERSON[:lead|co[:paid|internal|volunteer]]"
        ))
    })?;
    let role = match parts.next().filter(|r| !r.is_empty()) {
        None if first => FacilitatorRole::Lead,
        None => FacilitatorRole::Co,
        Some(r) => FacilitatorRole::ALL
            .iter()
            .copied()
            .find(|x| x.as_str() == r)
            .ok_or_else(|| {
                Error(format!(
                    "--facilitator `{text}`: role `{r}` is not lead or co"
                ))
            })?,
    };
    let status = match parts.next().filter(|s| !s.is_empty()) {
        None => FacilitatorStatus::Paid,
        Some(s) => FacilitatorStatus::ALL
            .iter()
            .copied()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                Error(format!(
                    "--facilitator `{text}`: status `{s}` is not paid, internal or volunteer"
                ))
            })?,
    };
    if parts.next().is_some() {
        return Err(Error(format!(
            "--facilitator `{text}`: too many parts; write PERSON[:ROLE[:STATUS]]"
        )));
    }
    Ok(Booked {
        person: person.to_string(),
        role,
        status,
    })
}

/// The end: a full date-time, `HH:MM` on the start's day, or start + the offer's hours.
fn session_end(
    config: &Config,
    offer: &str,
    start: DateTime,
    end: Option<&str>,
) -> Result<DateTime, Error> {
    match end.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => {
            if let Ok(time) = chrono::NaiveTime::parse_from_str(e, "%H:%M") {
                return Ok(DateTime {
                    local: start.local.date().and_time(time),
                    offset: start.offset,
                });
            }
            DateTime::parse(e)
                .map_err(|err| Error(format!("--end: {err}, or HH:MM on the start's day")))
        }
        None => {
            let hours = config.offer(offer).and_then(|o| o.hours).ok_or_else(|| {
                Error(format!(
                    "offer `{offer}` has no `hours` in the catalogue, so the end cannot be computed; give --end (YYYY-MM-DD HH:MM or HH:MM)"
                ))
            })?;
            let minutes = (hours.0 * Decimal::from(60))
                .round()
                .to_i64()
                .filter(|m| *m > 0 && *m < 60 * 24 * 366)
                .ok_or_else(|| {
                    Error(format!(
                        "offer `{offer}` lasts {hours} hours, which is not a usable duration; give --end"
                    ))
                })?;
            Ok(DateTime {
                local: start.local + chrono::Duration::minutes(minutes),
                offset: start.offset,
            })
        }
    }
}

fn new(cx: &mut Cx, args: SessionNewArgs) -> Result<u8, Error> {
    let config = cx.config()?;
    let mission_id = required(args.mission, "--mission", "Mission (e.g. M2026-0042)")?;
    let m = find_mission(cx, &mission_id)?;
    mission_open(m, "added")?;
    let offer = required(args.offer, "--offer", "Catalogue offer delivered")?;
    if config.offer(&offer).is_none() {
        let ids = config.catalogue.iter().map(|o| o.id.as_str());
        let hint = crate::diagnostics::did_you_mean(&offer, ids)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        let all: Vec<&str> = config.catalogue.iter().map(|o| o.id.as_str()).collect();
        return Err(Error(format!(
            "offer `{offer}` is not in the catalogue of fresk.yaml; {hint}the catalogue has {}",
            all.join(", ")
        )));
    }

    let start_text = required(
        args.start,
        "--start",
        "Start (YYYY-MM-DD HH:MM, workspace time zone)",
    )?;
    let start = DateTime::parse(&start_text).map_err(|e| Error(format!("--start: {e}")))?;
    if start.instant(cx.tz) <= cx.clock.now {
        return Err(Error(format!(
            "--start {start} is not in the future (now is {}): sessions are planned before they happen; a session that has already started cannot be added",
            cx.now()
        )));
    }
    let end = session_end(config, &offer, start, args.end.as_deref())?;
    if end.instant(cx.tz) <= start.instant(cx.tz) {
        return Err(Error(format!(
            "--end {end} is not after the start {start}; give a later end"
        )));
    }

    let location = if args.online {
        None
    } else {
        Some(required(
            args.location,
            "--location",
            "Where does the session take place (or pass --online)",
        )?)
    };

    // Facilitators: known people with the facilitator role, allowed on this mission.
    let mut booked: Vec<Booked> = Vec::new();
    for (i, text) in args.facilitators.iter().enumerate() {
        let b = parse_facilitator(text, i == 0)?;
        if booked.iter().any(|x| x.person == b.person) {
            return Err(Error(format!(
                "`{}` is given twice as a facilitator; book each person once",
                b.person
            )));
        }
        let person = find_person(cx, &b.person)?;
        need_role(person, Role::Facilitator, "booked as a facilitator")?;
        if b.status == FacilitatorStatus::Volunteer && !config.volunteer_sectors.contains(&m.sector)
        {
            return Err(Error(format!(
                "`{}` cannot be a volunteer on mission {}: its sector is {}, and volunteers are allowed only on missions of volunteer_sectors in fresk.yaml; book them as `paid` or `internal`",
                b.person,
                m.id,
                m.sector.as_str()
            )));
        }
        if let Some(needed) = config
            .requirements
            .get(&m.sector)
            .and_then(|r| r.facilitate.as_deref())
            && let Some(why) = below_level(config, person, needed)
        {
            return Err(Error(format!(
                "{why}, but facilitating on a {sector} mission requires `{needed}` or higher (requirements.{sector}.facilitate in fresk.yaml); book someone else",
                sector = m.sector.as_str()
            )));
        }
        booked.push(b);
    }

    // The next id: highest number among the mission's sessions (even unreadable files) + 1.
    let prefix = format!("{}-S", m.id);
    let dir = format!("{}/sessions", mission_dir(m));
    let number = |id: &str| id.strip_prefix(&prefix).and_then(|n| n.parse::<u32>().ok());
    let highest = cx
        .ws
        .sessions
        .iter()
        .filter_map(|s| number(&s.id))
        .chain(
            cx.ws
                .ids
                .get(&Kind::Session)
                .into_iter()
                .flat_map(|ids| ids.keys())
                .filter_map(|id| number(id)),
        )
        .chain(cx.ws.files.iter().filter_map(|(f, _)| {
            f.strip_prefix(&format!("{dir}/"))
                .and_then(|name| name.strip_suffix(".yaml"))
                .and_then(number)
        }))
        .max()
        .unwrap_or(0);
    let id = format!("{prefix}{:02}", highest + 1);
    let rel = format!("{dir}/{id}.yaml");

    let language = args.language.or_else(|| {
        cx.ws
            .requests
            .iter()
            .find(|r| r.id == m.request)
            .and_then(|r| r.need.as_ref()?.language.clone())
            .or_else(|| config.languages.first().cloned())
    });

    let mut text = schema_header(Kind::Session, &rel);
    let _ = write!(
        text,
        "id: {id}\nmission: {}\nstate: planned\noffer: {}\nstart: {start}\nend: {end}\n",
        scalar(&m.id),
        scalar(&offer)
    );
    match &location {
        Some(l) => {
            let _ = writeln!(text, "location: {}", scalar(l));
        }
        None => text.push_str("online: true\n"),
    }
    if let Some(l) = &language {
        let _ = writeln!(text, "language: {}", scalar(l));
    }
    if booked.is_empty() {
        text.push_str("facilitators: []\n");
    } else {
        text.push_str("facilitators:\n");
        for b in &booked {
            let _ = writeln!(
                text,
                "  - {{ person: {}, role: {}, status: {} }}",
                scalar(&b.person),
                b.role,
                b.status
            );
        }
    }
    if let Some(n) = args.expected {
        let _ = write!(text, "participants:\n  expected: {n}\n");
    }

    // What lint will only warn about: say it now.
    let mut notes = Vec::new();
    let ordered: u64 = m
        .order
        .iter()
        .filter(|l| l.offer.as_deref() == Some(offer.as_str()))
        .map(|l| u64::from(l.quantity))
        .sum();
    let planned = cx
        .ws
        .sessions
        .iter()
        .filter(|s| s.mission == m.id && s.offer == offer && s.state != SessionState::Cancelled)
        .count() as u64
        + 1;
    if planned > ordered {
        notes.push(if ordered == 0 {
            format!(
                "warning: mission {} did not order `{offer}`; this session is over-planned",
                m.id
            )
        } else {
            format!(
                "warning: mission {} ordered {ordered} × `{offer}` and this makes {planned} planned or held; this session is over-planned",
                m.id
            )
        });
    }
    let (from, to) = (start.instant(cx.tz), end.instant(cx.tz));
    for b in &booked {
        for s in &cx.ws.sessions {
            if s.state != SessionState::Cancelled
                && s.facilitators.iter().any(|f| f.person == b.person)
                && s.start.instant(cx.tz) < to
                && from < s.end.instant(cx.tz)
            {
                notes.push(format!(
                    "warning: `{}` is also booked on {} ({} – {}), which overlaps this session",
                    b.person, s.id, s.start, s.end
                ));
            }
        }
    }
    if booked.is_empty() {
        notes.push(
            "note: no facilitator booked yet; add them under `facilitators:` in the file".into(),
        );
    }

    let who = booked
        .iter()
        .map(|b| format!("{} ({})", b.person, b.role))
        .collect::<Vec<_>>()
        .join(", ");
    let mut plan = Plan::new(format!(
        "session {id} planned: {offer} on {start} – {end}{}",
        if who.is_empty() {
            String::new()
        } else {
            format!(", with {who}")
        }
    ));
    plan.write(rel, text);
    let code = cx.apply(&plan)?;
    for note in notes {
        eprintln!("{note}");
    }
    Ok(code)
}

// --- session hold ------------------------------------------------------------------------------

fn hold(
    cx: &mut Cx,
    id: &str,
    attended: Option<u32>,
    satisfaction: Option<&str>,
) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    transition(s, SessionState::Held)?;
    if let Some(m) = cx.ws.missions.iter().find(|m| m.id == s.mission) {
        mission_open(m, "recorded as held")?;
    }
    let end = s.end.instant(cx.tz);
    if end > cx.clock.now {
        return Err(Error(format!(
            "session {} ends at {}; it can be recorded as held only after its end (now is {})",
            s.id,
            s.end,
            cx.now()
        )));
    }
    let attended = match attended {
        Some(n) => n,
        None => {
            let text = required(None, "--attended", "How many participants attended")?;
            text.trim().parse::<u32>().map_err(|_| {
                Error(format!(
                    "--attended: `{text}` is not a number of participants"
                ))
            })?
        }
    };
    let satisfaction = satisfaction
        .map(|t| {
            let q = Quantity::parse(t).map_err(|e| Error(format!("--satisfaction: {e}")))?;
            if q.0.is_sign_negative() || q.0 > Decimal::from(5) {
                return Err(Error(format!(
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

fn list_sessions(
    cx: &Cx,
    mission: Option<&str>,
    person: Option<&str>,
    state: Option<&str>,
    list: &ListArgs,
    ics: bool,
) -> Result<u8, Error> {
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
            vec![
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
            ]
        })
        .collect();
    common::print_rows(
        &[
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
    fn facilitators_default_to_lead_then_co_and_paid() {
        let b = parse_facilitator("cleo", true).unwrap();
        assert_eq!(
            (b.role, b.status),
            (FacilitatorRole::Lead, FacilitatorStatus::Paid)
        );
        let b = parse_facilitator("lou", false).unwrap();
        assert_eq!(
            (b.role, b.status),
            (FacilitatorRole::Co, FacilitatorStatus::Paid)
        );
        let b = parse_facilitator("lou:lead:volunteer", false).unwrap();
        assert_eq!(
            (b.person.as_str(), b.role, b.status),
            ("lou", FacilitatorRole::Lead, FacilitatorStatus::Volunteer)
        );
        assert!(parse_facilitator("lou:boss", false).is_err());
        assert!(parse_facilitator("lou:co:rich", false).is_err());
        assert!(parse_facilitator(":co", false).is_err());
        assert!(parse_facilitator("a:co:paid:x", false).is_err());
    }
}
