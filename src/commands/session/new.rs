//! `fresk session new`: plan a session of an open mission, before it happens, with its
//! facilitators booked.

use super::mission_open;
use crate::cli::SessionNewArgs;
use crate::commands::Error;
use crate::commands::common::{
    Cx, find_person, interactive, prompt_line, required, required_checked, schema_header,
    with_choices,
};
use crate::commands::mission::{below_level, find_mission, mission_dir, need_role};
use crate::commands::mutate::Plan;
use crate::model::session::{FacilitatorRole, FacilitatorStatus};
use crate::model::{Config, DateTime, Kind, Mission, Role, SessionState};
use crate::workspace::Loaded;
use crate::yaml::edit::scalar;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write as _;

pub(super) fn new(cx: &mut Cx, args: SessionNewArgs) -> Result<u8, Error> {
    let config = cx.config()?;
    let open = cx
        .ws
        .missions
        .iter()
        .filter(|m| m.state == crate::model::MissionState::Open)
        .map(|m| m.id.as_str());
    let question = with_choices("Mission (e.g. M2026-0042)", open);
    let m = required_checked(args.mission, "--mission", &question, |v| {
        let m = find_mission(cx, v)?;
        mission_open(m, "added")?;
        Ok(m)
    })?;
    let question = with_choices(
        "Catalogue offer delivered",
        config.catalogue.iter().map(|o| o.id.as_str()),
    );
    let offer = required_checked(args.offer, "--offer", &question, |v| {
        check_offer(config, v)?;
        Ok(v.to_string())
    })?;
    let (start, end) = times(cx, config, &offer, args.start, args.end.as_deref())?;
    let location = if args.online {
        None
    } else {
        Some(required(
            args.location,
            "--location",
            "Where does the session take place (or pass --online)",
        )?)
    };
    let booked = if args.facilitators.is_empty() && interactive() {
        ask_facilitators(cx, config, m)?
    } else {
        book(cx, config, m, &args.facilitators)?
    };
    let (id, rel) = next_session(cx, m);
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
    text.push_str(&facilitators_yaml(&booked));
    let open_role = args
        .open_role
        .as_deref()
        .map(|r| parse_role(r, "--open-role"))
        .transpose()?;
    if let Some(n) = args.open_seats.filter(|n| *n > 0) {
        let seats = u32::try_from(booked.len())
            .unwrap_or(u32::MAX)
            .saturating_add(n);
        let _ = writeln!(text, "seats: {seats}");
        if let Some(role) = open_role {
            let _ = writeln!(text, "open_role: {role}");
        }
    }
    if let Some(n) = args.expected {
        let _ = write!(text, "participants:\n  expected: {n}\n");
    }

    let notes = warnings(cx, m, &offer, (start, end), &booked);
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

/// The offer must be in the catalogue.
fn check_offer(config: &Config, offer: &str) -> Result<(), Error> {
    if config.offer(offer).is_some() {
        return Ok(());
    }
    let ids = config.catalogue.iter().map(|o| o.id.as_str());
    let hint = crate::diagnostics::did_you_mean(offer, ids)
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    let all: Vec<&str> = config.catalogue.iter().map(|o| o.id.as_str()).collect();
    Err(Error::refused(format!(
        "offer `{offer}` is not in the catalogue of fresk.yaml; {hint}the catalogue has {}",
        all.join(", ")
    )))
}

/// `--start` (in the future) and the end (after it).
fn times(
    cx: &Cx,
    config: &Config,
    offer: &str,
    start: Option<String>,
    end: Option<&str>,
) -> Result<(DateTime, DateTime), Error> {
    let start_text = required(
        start,
        "--start",
        "Start (YYYY-MM-DD HH:MM, workspace time zone)",
    )?;
    let start = DateTime::parse(&start_text).map_err(|e| Error::usage(format!("--start: {e}")))?;
    if start.instant(cx.tz) <= cx.clock.now {
        return Err(Error::refused(format!(
            "--start {start} is not in the future (now is {}): sessions are planned before they happen; a session that has already started cannot be added",
            cx.now()
        )));
    }
    let end = session_end(config, offer, start, end)?;
    if end.instant(cx.tz) <= start.instant(cx.tz) {
        return Err(Error::refused(format!(
            "--end {end} is not after the start {start}; give a later end"
        )));
    }
    Ok((start, end))
}

/// The facilitators booked: known people with the facilitator role, allowed on this mission
/// (volunteers only in volunteer sectors, the level the sector requires).
fn book(cx: &Cx, config: &Config, m: &Mission, given: &[String]) -> Result<Vec<Booked>, Error> {
    let mut booked: Vec<Booked> = Vec::new();
    for (i, text) in given.iter().enumerate() {
        let b = parse_facilitator(text, i == 0)?;
        if booked.iter().any(|x| x.person == b.person) {
            return Err(Error::refused(format!(
                "`{}` is given twice as a facilitator; book each person once",
                b.person
            )));
        }
        check_booking(cx, config, m, &b)?;
        booked.push(b);
    }
    Ok(booked)
}

/// On a terminal, with no `--facilitator`: ask for each facilitator in turn (the people with
/// the role are offered), checking each as `--facilitator` would and asking again with the
/// reason; an empty answer ends the list.
fn ask_facilitators(cx: &Cx, config: &Config, m: &Mission) -> Result<Vec<Booked>, Error> {
    let people = cx
        .ws
        .people
        .iter()
        .filter(|p| p.has_role(Role::Facilitator))
        .map(|p| p.id.as_str());
    let question = with_choices(
        "Facilitator, as PERSON[:lead|co[:paid|internal|volunteer]] (empty when done)",
        people,
    );
    let mut booked: Vec<Booked> = Vec::new();
    while let Some(line) = prompt_line(&question)? {
        if line.is_empty() {
            break;
        }
        let checked = parse_facilitator(&line, booked.is_empty()).and_then(|b| {
            if booked.iter().any(|x| x.person == b.person) {
                return Err(Error::refused(format!("`{}` is booked already", b.person)));
            }
            check_booking(cx, config, m, &b).map(|()| b)
        });
        match checked {
            Ok(b) => booked.push(b),
            Err(e) => eprintln!("  {e}; try again"),
        }
    }
    Ok(booked)
}

/// One booking on a session of `m`: a known person with the facilitator role, a volunteer only
/// in a volunteer sector, at the level the sector requires.
pub(super) fn check_booking(
    cx: &Cx,
    config: &Config,
    m: &Mission,
    b: &Booked,
) -> Result<(), Error> {
    let person = find_person(cx, &b.person)?;
    need_role(person, Role::Facilitator, "booked as a facilitator")?;
    if b.status == FacilitatorStatus::Volunteer && !config.volunteer_sectors.contains(&m.sector) {
        return Err(Error::refused(format!(
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
        return Err(Error::refused(format!(
            "{why}, but facilitating on a {sector} mission requires `{needed}` or higher (requirements.{sector}.facilitate in fresk.yaml); book someone else",
            sector = m.sector.as_str()
        )));
    }
    Ok(())
}

/// The next session id of the mission — the highest number among its sessions (even files
/// that do not read) + 1 — and its file.
fn next_session(cx: &Cx, m: &Loaded<Mission>) -> (String, String) {
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
    (id, rel)
}

fn facilitators_yaml(booked: &[Booked]) -> String {
    if booked.is_empty() {
        return "facilitators: []\n".to_string();
    }
    let mut text = "facilitators:\n".to_string();
    for b in booked {
        let _ = writeln!(
            text,
            "  - {{ person: {}, role: {}, status: {} }}",
            scalar(&b.person),
            b.role,
            b.status
        );
    }
    text
}

/// What lint will only warn about, said now: an over-planned offer, a facilitator booked
/// elsewhere at the same time, nobody booked.
fn warnings(
    cx: &Cx,
    m: &Mission,
    offer: &str,
    (start, end): (DateTime, DateTime),
    booked: &[Booked],
) -> Vec<String> {
    let mut notes = Vec::new();
    let ordered = m.ordered(offer);
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
    for b in booked {
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
    notes
}

/// A facilitator as given to `--facilitator` (or to `session join`).
pub(super) struct Booked {
    pub(super) person: String,
    pub(super) role: FacilitatorRole,
    pub(super) status: FacilitatorStatus,
}

/// `PERSON[:ROLE[:STATUS]]`; the first facilitator is the lead by default, the others co.
pub(super) fn parse_facilitator(text: &str, first: bool) -> Result<Booked, Error> {
    let mut parts = text.split(':').map(str::trim);
    let person = parts.next().filter(|p| !p.is_empty()).ok_or_else(|| {
        Error::usage(format!(
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
                Error::usage(format!(
                    "--facilitator `{text}`: role `{r}` is not one of lead, co, referent, mission"
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
                Error::usage(format!(
                    "--facilitator `{text}`: status `{s}` is not paid, internal or volunteer"
                ))
            })?,
    };
    if parts.next().is_some() {
        return Err(Error::usage(format!(
            "--facilitator `{text}`: too many parts; write PERSON[:ROLE[:STATUS]]"
        )));
    }
    Ok(Booked {
        person: person.to_string(),
        role,
        status,
    })
}

/// `lead` or `co`, for `flag`.
pub(super) fn parse_role(text: &str, flag: &str) -> Result<FacilitatorRole, Error> {
    FacilitatorRole::ALL
        .iter()
        .copied()
        .find(|x| x.as_str() == text.trim())
        .ok_or_else(|| {
            Error::usage(format!(
                "{flag}: role `{text}` is not one of lead, co, referent, mission"
            ))
        })
}

/// `paid`, `internal` or `volunteer`, for `flag`.
pub(super) fn parse_status(text: &str, flag: &str) -> Result<FacilitatorStatus, Error> {
    FacilitatorStatus::ALL
        .iter()
        .copied()
        .find(|x| x.as_str() == text.trim())
        .ok_or_else(|| {
            Error::usage(format!(
                "{flag}: status `{text}` is not paid, internal or volunteer"
            ))
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
                .map_err(|err| Error::usage(format!("--end: {err}, or HH:MM on the start's day")))
        }
        None => {
            let hours = config.offer(offer).and_then(|o| o.hours).ok_or_else(|| {
                Error::refused(format!(
                    "offer `{offer}` has no `hours` in the catalogue, so the end cannot be computed; give --end (YYYY-MM-DD HH:MM or HH:MM)"
                ))
            })?;
            let minutes = (hours.0 * Decimal::from(60))
                .round()
                .to_i64()
                .filter(|m| *m > 0 && *m < 60 * 24 * 366)
                .ok_or_else(|| {
                    Error::refused(format!(
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
