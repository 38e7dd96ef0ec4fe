//! When sessions happen: times that make sense, no more sessions than ordered, and no one booked on
//! two sessions at once.

use super::{fmt_instant, ordinal};
use crate::HashMap;
use crate::diagnostics::{At, Finding};
use crate::model::{Session, SessionState};
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};
use chrono::{DateTime, Utc};

// --- session-times ------------------------------------------------------------------------

pub(super) fn session_times(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for s in &ws.sessions {
        let start = s.start.instant(cx.tz);
        let end = s.end.instant(cx.tz);
        if end <= start {
            out.push(Finding::new(
                &super::SESSION_TIMES,
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
                &super::SESSION_TIMES,
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

pub(super) fn over_planned(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
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
            let ordered = m.ordered(offer);
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
                    &super::OVER_PLANNED,
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

// --- double-booked ------------------------------------------------------------------------

pub(super) fn double_booked(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
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
            out.push(
                Finding::new(
                    &super::DOUBLE_BOOKED,
                    &here.file,
                    At::value(&format!("facilitators[{bi}].person")),
                    message,
                )
                .related(
                    &there.file,
                    At::value(&format!("facilitators[{}].person", prev.4)),
                    format!("the other booking of `{who}`"),
                ),
            );
        }
        if end > prev.2 {
            latest = Some(slot);
        }
    }
}

// --- certificates-not-sent, survey-not-sent ----------------------------------------------------

pub(super) fn evidence(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    use crate::model::evidence::{Due, overdue};
    let Some(evidence) = cx.config.and_then(|c| c.evidence.as_ref()) else {
        return;
    };
    let today = cx.today();
    for s in &ws.sessions {
        for (due, by) in overdue(s, evidence, today) {
            let (rule, command, were) = match due {
                Due::Certificates => (&super::CERTIFICATES_NOT_SENT, "certificates", "were"),
                Due::Survey => (&super::SURVEY_NOT_SENT, "survey", "was"),
            };
            out.push(Finding::new(
                rule,
                &s.file,
                At::value("state"),
                format!(
                    "the session ended on {} and its {command} {were} due to be sent by {by}, but `sent.{command}` is not recorded; send with `fresk mail {command} {}` (or record `sent: {{ {command}: {{ date: …, count: … }} }}` if they went another way)",
                    s.end.date(),
                    s.id
                ),
            ));
        }
    }
}
