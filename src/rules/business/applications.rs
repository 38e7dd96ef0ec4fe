//! Applications and sign-ups: applications made by the deadline, an assignee chosen among the
//! applicants (or the reason recorded), and no more facilitators on a session than its seats.

use crate::diagnostics::{At, Finding};
use crate::model::{RequestState, SessionState};
use crate::rules::Context;
use crate::workspace::Workspace;

// --- late-application, assigned-without-application ----------------------------------------

pub(super) fn applications(ws: &Workspace, _cx: &Context, out: &mut Vec<Finding>) {
    for r in &ws.requests {
        if let Some(until) = r.apply_until {
            for (i, a) in r.applications.iter().enumerate() {
                if a.date > until {
                    out.push(Finding::new(
                        &super::LATE_APPLICATION,
                        &r.file,
                        At::value(&format!("applications[{i}].date")),
                        format!(
                            "`{}` applied on {}, after the deadline {until} (apply_until); remove the application, or move `apply_until` if the call was extended",
                            a.person, a.date
                        ),
                    ));
                }
            }
        }
        let opened = !r.applications.is_empty() || r.apply_until.is_some();
        if !opened || r.state != RequestState::Assigned {
            continue;
        }
        let Some(who) = r.assignee() else { continue };
        let reason = r
            .without_application
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        if r.may_take_without_reason(who) || reason {
            continue;
        }
        let field = match r.track {
            crate::model::Track::Subcontracting => "coordinator",
            crate::model::Track::Introduction => "facilitator",
        };
        let applicants = if r.applications.is_empty() {
            "nobody applied".to_string()
        } else {
            let names: Vec<&str> = r.applications.iter().map(|a| a.person.as_str()).collect();
            format!("the applicants are {}", names.join(", "))
        };
        out.push(Finding::new(
            &super::ASSIGNED_WITHOUT_APPLICATION,
            &r.file,
            At::value(field),
            format!(
                "`{who}` is the request's {field} but did not apply ({applicants}); record why in `without_application`, or assign an applicant"
            ),
        ));
    }
}

// --- over-booked ------------------------------------------------------------------------------

pub(super) fn over_booked(ws: &Workspace, out: &mut Vec<Finding>) {
    for s in &ws.sessions {
        let Some(seats) = s.seats else { continue };
        if s.state == SessionState::Cancelled {
            continue;
        }
        let booked = s.facilitators.len();
        if booked > seats as usize {
            out.push(Finding::new(
                &super::OVER_BOOKED,
                &s.file,
                At::value(&format!("facilitators[{seats}].person")),
                format!(
                    "{booked} facilitators are booked but the session has {seats} seats; remove a booking, or raise `seats` if the session needs them"
                ),
            ));
        }
    }
}

// --- undefined-role ---------------------------------------------------------------------------

pub(super) fn undefined_roles(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    use crate::model::session::FacilitatorRole;
    let Some(config) = cx.config else { return };
    let undefined = |role: FacilitatorRole| {
        matches!(role, FacilitatorRole::Referent | FacilitatorRole::Mission)
            && !config.roles.contains_key(&role)
    };
    for s in &ws.sessions {
        if s.state == SessionState::Cancelled {
            continue;
        }
        for (i, b) in s.facilitators.iter().enumerate() {
            if undefined(b.role) {
                out.push(Finding::new(
                    &super::UNDEFINED_ROLE,
                    &s.file,
                    At::value(&format!("facilitators[{i}].role")),
                    format!(
                        "`{}` is booked as `{}`, a role fresk.yaml does not define; add `roles: {{ {}: {{ workshop: …, training: … }} }}` to fresk.yaml with its pay, or book them as `lead` or `co`",
                        b.person, b.role, b.role
                    ),
                ));
            }
        }
    }
}
