//! Applications and sign-ups: applications made by the deadline, an assignee chosen among the
//! applicants (or the reason recorded), and no more facilitators on a session than its seats.

use crate::diagnostics::declare_rules;
use crate::diagnostics::{At, Finding};
use crate::model::{RequestState, SessionState};
use crate::rules::Context;
use crate::workspace::Workspace;

declare_rules! {
    /// an application dated after the request's `apply_until`
    ///
    /// A published request may close its call with `apply_until` (`fresk request publish
    /// --until DATE`): the applications staff weigh are those made by that day. One dated
    /// later was added by hand or after the deadline moved; staff decide whether it stands:
    /// remove it, or move `apply_until` if the call was extended.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// apply_until: 2026-06-19
    /// applications:
    ///   - { person: antoine-roux, date: 2026-06-22 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// apply_until: 2026-06-19
    /// applications:
    ///   - { person: antoine-roux, date: 2026-06-12 }
    /// ```
    LATE_APPLICATION = "late-application", Business, Warning;
    /// a request assigned to someone who did not apply, with no `without_application` reason
    ///
    /// Once a request was opened to applications (someone applied, or it has an
    /// `apply_until` deadline), its coordinator — or its facilitator on the introduction track — is
    /// chosen among the people who applied, or is the request's `owner` (the *bienveillant*,
    /// who has référent priority). Choosing someone else is allowed, but the reason
    /// is recorded in `without_application` so that applicants can see why (`fresk request
    /// assign --without-application "…"`). Write the reason, or assign an applicant.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// state: assigned
    /// coordinator: camille-dupont
    /// applications:
    ///   - { person: antoine-roux, date: 2026-06-12 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// state: assigned
    /// coordinator: camille-dupont
    /// without_application: the client asked for the coordinator of its last seminar
    /// applications:
    ///   - { person: antoine-roux, date: 2026-06-12 }
    /// ```
    ASSIGNED_WITHOUT_APPLICATION = "assigned-without-application", Business, Error;
    /// more facilitators booked on a session than its `seats`
    ///
    /// A session that takes sign-ups says how many facilitators it takes in all (`seats`,
    /// written by `fresk session new --open-seats`); `fresk session join` books into the
    /// free ones. More bookings than seats — on a session not cancelled — means someone was
    /// added past the limit: remove a booking, or raise `seats` if the session needs them.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// seats: 2
    /// facilitators:
    ///   - { person: ines-moreau, role: lead, status: paid }
    ///   - { person: thomas-girard, role: co, status: paid }
    ///   - { person: lucas-bernard, role: co, status: paid }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// seats: 3
    /// facilitators:
    ///   - { person: ines-moreau, role: lead, status: paid }
    ///   - { person: thomas-girard, role: co, status: paid }
    ///   - { person: lucas-bernard, role: co, status: paid }
    /// ```
    OVER_BOOKED = "over-booked", Business, Error;
    /// a booking in a role that fresk.yaml does not define (`referent`, `mission`)
    ///
    /// `lead` and `co` are paid from `rates:`; the other booking roles — `referent` (a third
    /// place's référent of an action) and `mission` (a chargé de mission) — exist only for a
    /// network that defines them under `roles:` in fresk.yaml, with their pay per kind of offer.
    /// A booking in such a role while `roles:` does not name it cannot be paid: add the role
    /// and its rates to fresk.yaml, or book the person as `lead` or `co`.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml (fresk.yaml has no `roles:`)
    /// facilitators:
    ///   - { person: ines-moreau, role: referent, status: paid }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// roles:
    ///   referent: { workshop: 300, training: 450 }
    /// ```
    UNDEFINED_ROLE = "undefined-role", Business, Error;
}

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
