//! Open seats: a facilitator takes one (`session join`) or leaves it (`session leave`) on a
//! planned session of an open mission, before it starts; `session list --open` finds them.

use super::new::{Booked, check_booking, parse_role, parse_status};
use super::{find_session, mission_open};
use crate::commands::Error;
use crate::commands::common::{Cx, edit_error, required};
use crate::commands::mission::find_mission;
use crate::commands::mutate::Plan;
use crate::model::session::{FacilitatorRole, FacilitatorStatus};
use crate::model::{Session, SessionState};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};

/// A planned session, still to come, with a seat open.
pub(super) fn is_open(cx: &Cx, s: &Session) -> bool {
    s.state == SessionState::Planned && s.start.instant(cx.tz) > cx.clock.now && s.free_seats() > 0
}

/// A planned session that has not started: the only kind whose seats may change.
fn check_planned(cx: &Cx, s: &Loaded<Session>, doing: &str) -> Result<(), Error> {
    if s.state != SessionState::Planned {
        return Err(Error::refused(format!(
            "session {} is `{}`: seats are {doing} only on a planned session",
            s.id, s.state
        )));
    }
    if s.start.instant(cx.tz) <= cx.clock.now {
        return Err(Error::refused(format!(
            "session {} started at {} (now is {}): seats are {doing} only before a session starts; ask its coordinator",
            s.id,
            s.start,
            cx.now()
        )));
    }
    Ok(())
}

pub(super) fn join(
    cx: &mut Cx,
    id: &str,
    person: Option<String>,
    role: Option<&str>,
    status: Option<&str>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let s = find_session(cx, id)?;
    let m = find_mission(cx, &s.mission)?;
    mission_open(m, "joined")?;
    check_planned(cx, s, "taken")?;
    let person = required(person, "--person", "Who takes the seat (person id)")?;
    let person = person.trim().to_string();
    if s.facilitators.iter().any(|b| b.person == person) {
        return Err(Error::refused(format!(
            "`{person}` is already booked on session {}",
            s.id
        )));
    }
    if s.free_seats() == 0 {
        let why = if s.has_open_seats() {
            "every open seat is taken"
        } else {
            "it has no open seat (no `seats`)"
        };
        return Err(Error::refused(format!(
            "session {}: {why}; ask the coordinator of mission {} for a seat, or look for another with `fresk session list --open`",
            s.id, s.mission
        )));
    }
    let open_role = s.open_role.unwrap_or(FacilitatorRole::Co);
    let role = role
        .map(|r| parse_role(r, "--role"))
        .transpose()?
        .unwrap_or(open_role);
    if role != open_role {
        return Err(Error::refused(format!(
            "the open seats of session {} are for the `{open_role}` role, not `{role}`; join with --role {open_role}",
            s.id
        )));
    }
    let status = status
        .map(|t| parse_status(t, "--status"))
        .transpose()?
        .unwrap_or(FacilitatorStatus::Paid);
    let b = Booked {
        person: person.clone(),
        role,
        status,
    };
    check_booking(cx, config, m, &b)?;
    let (from, to) = (s.start.instant(cx.tz), s.end.instant(cx.tz));
    if let Some(other) = cx.ws.sessions.iter().find(|o| {
        o.state != SessionState::Cancelled
            && o.id != s.id
            && o.facilitators.iter().any(|f| f.person == person)
            && o.start.instant(cx.tz) < to
            && from < o.end.instant(cx.tz)
    }) {
        return Err(Error::refused(format!(
            "`{person}` is already booked on {} ({} – {}), which overlaps session {} ({} – {}); leave that one first or choose another session",
            other.id, other.start, other.end, s.id, s.start, s.end
        )));
    }
    let mut doc = Document::new(cx.read(&s.file)?);
    let err = edit_error(&s.file);
    doc.push(
        &Route::parse("facilitators"),
        &format!(
            "{{ person: {}, role: {role}, status: {status} }}",
            scalar(&person)
        ),
    )
    .map_err(&err)?;
    if s.seats.is_none()
        && let Some(n) = s.open_seats
    {
        doc.set(&Route::parse("open_seats"), &(n - 1).to_string())
            .map_err(&err)?;
    }
    let left = s.free_seats() - 1;
    let mut plan = Plan::new(format!(
        "{person} joined session {} ({}, {} – {}) as {role}, {status}; {left} seat(s) still open",
        s.id, s.offer, s.start, s.end
    ));
    plan.write(s.file.clone(), doc.into_text());
    cx.apply(&plan)
}

pub(super) fn leave(cx: &mut Cx, id: &str, person: Option<String>) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    let m = find_mission(cx, &s.mission)?;
    mission_open(m, "left")?;
    check_planned(cx, s, "left")?;
    let person = required(person, "--person", "Who leaves (person id)")?;
    let person = person.trim();
    let Some(index) = s.facilitators.iter().position(|b| b.person == person) else {
        return Err(Error::refused(format!(
            "`{person}` is not booked on session {}",
            s.id
        )));
    };
    let mut doc = Document::new(cx.read(&s.file)?);
    let err = edit_error(&s.file);
    doc.remove_item(&Route::parse("facilitators"), index)
        .map_err(&err)?;
    if s.facilitators.len() == 1 {
        // The list is gone with its last item; keep the field, as `session new` writes it.
        doc.set(&Route::parse("facilitators"), "[]").map_err(&err)?;
    }
    let reopened = match (s.seats, s.open_seats) {
        (Some(_), _) => "the seat is open again".to_string(),
        (None, Some(n)) => {
            doc.set(&Route::parse("open_seats"), &(n + 1).to_string())
                .map_err(&err)?;
            "the seat is open again".to_string()
        }
        (None, None) => {
            "the session has no `seats`, so no seat opens: tell its coordinator".to_string()
        }
    };
    let mut plan = Plan::new(format!("{person} left session {}; {reopened}", s.id));
    plan.write(s.file.clone(), doc.into_text());
    cx.apply(&plan)
}
