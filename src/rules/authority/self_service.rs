//! What a facilitator (or coordinator) may do for themself without staff: add or withdraw their
//! own application on a published request, and take or leave an open seat on a planned session
//! of an open mission, before it starts. Each check says why a change is not that, or `Ok`.

use super::Actor;
use crate::model::opportunity::applicant_role;
use crate::model::session::FacilitatorRole;
use crate::model::{Mission, MissionState, Request, RequestState, Session, SessionState};
use crate::rules::history::json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// The record as JSON without `fields`, to tell whether anything else changed.
fn without<T: Serialize>(value: &T, fields: &[&str]) -> Value {
    let mut v = json(value);
    if let Value::Object(map) = &mut v {
        for f in fields {
            map.remove(*f);
        }
    }
    v
}

/// Whether `base` and `work` differ only in `fields`.
pub(super) fn only<T: Serialize>(base: &T, work: &T, fields: &[&str]) -> bool {
    without(base, fields) == without(work, fields)
}

/// The items of `list` that are not `actor`'s, as JSON, in order.
fn others<T: Serialize>(list: &[T], person: impl Fn(&T) -> &str, actor: &str) -> Vec<Value> {
    list.iter()
        .filter(|x| person(x) != actor)
        .map(|x| json(x))
        .collect()
}

/// A change of `applications` only: the actor's own application, added or withdrawn (or its
/// message edited), on a request published on both sides.
pub(super) fn application(actor: &Actor, base: &Request, work: &Request) -> Result<(), String> {
    let role = applicant_role(base.track);
    let has_role = match role {
        crate::model::Role::Coordinator => actor.coordinator,
        _ => actor.facilitator,
    };
    if !has_role {
        return Err(format!(
            "applying to a request on the {} track needs the `{role}` role",
            base.track
        ));
    }
    if base.state != RequestState::Published || work.state != RequestState::Published {
        return Err(format!(
            "request {} is `{}`: applications are added or withdrawn only while it is published",
            base.id, base.state
        ));
    }
    let theirs = |r: &Request| others(&r.applications, |a| a.person.as_str(), &actor.id);
    if theirs(base) != theirs(work) {
        return Err(format!(
            "the change touches someone else's application to {}; a facilitator adds or withdraws only their own",
            base.id
        ));
    }
    let mine = |r: &Request| {
        r.applications
            .iter()
            .filter(|a| a.person == actor.id)
            .count()
    };
    if mine(work) > 1 {
        return Err(format!("`{}` applies to {} once", actor.id, base.id));
    }
    Ok(())
}

/// A change of `facilitators` (and of the older `open_seats` count) only: the actor takes an
/// open seat, or leaves theirs, on a planned session of an open mission before it starts.
pub(super) fn seat(
    actor: &Actor,
    base: &Session,
    work: &Session,
    mission: Option<&Mission>,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Result<(), String> {
    if !actor.facilitator {
        return Err("taking a seat needs the `facilitator` role".into());
    }
    if base.state != SessionState::Planned || work.state != SessionState::Planned {
        return Err(format!(
            "session {} is `{}`: seats are taken or left only on a planned session",
            base.id, base.state
        ));
    }
    if let Some(m) = mission.filter(|m| m.state != MissionState::Open) {
        return Err(format!(
            "mission {} is `{}`: nothing changes in it any more",
            m.id, m.state
        ));
    }
    if base.start.instant(tz) <= now {
        return Err(format!(
            "session {} started at {}: seats are taken or left only before it starts",
            base.id, base.start
        ));
    }
    let theirs = |s: &Session| others(&s.facilitators, |b| b.person.as_str(), &actor.id);
    if theirs(base) != theirs(work) {
        return Err(format!(
            "the change touches someone else's booking on {}; a facilitator takes or leaves only their own seat",
            base.id
        ));
    }
    let mine = |s: &Session| {
        s.facilitators
            .iter()
            .filter(|b| b.person == actor.id)
            .count()
    };
    let legacy = |s: &Session| {
        if s.seats.is_none() {
            s.open_seats
        } else {
            None
        }
    };
    match (mine(base), mine(work)) {
        (0, 1) => {
            if base.free_seats() == 0 {
                return Err(format!(
                    "session {} has no open seat{}",
                    base.id,
                    if base.has_open_seats() {
                        " left"
                    } else {
                        " (no `seats`)"
                    }
                ));
            }
            let role = base.open_role.unwrap_or(FacilitatorRole::Co);
            if work
                .facilitators
                .iter()
                .any(|b| b.person == actor.id && b.role != role)
            {
                return Err(format!(
                    "the open seats of {} are for the `{role}` role",
                    base.id
                ));
            }
            if legacy(base).is_some() && work.open_seats != legacy(base).map(|n| n - 1) {
                return Err("taking a seat lowers `open_seats` by one, and only that".into());
            }
        }
        (1, 0) => {
            if !base.has_open_seats() {
                return Err(format!(
                    "session {} takes no sign-ups (no `seats`): its coordinator books and unbooks",
                    base.id
                ));
            }
            if legacy(base).is_some() && work.open_seats != legacy(base).map(|n| n + 1) {
                return Err("leaving a seat raises `open_seats` by one, and only that".into());
            }
        }
        _ => {
            return Err(format!(
                "a facilitator only takes one open seat on {} or leaves theirs",
                base.id
            ));
        }
    }
    if base.seats != work.seats || base.open_role != work.open_role {
        return Err("the seats of a session are set by its coordinator".into());
    }
    Ok(())
}
