//! A request's moves through its lifecycle after it is logged and before it is quoted or once it
//! is: qualify, win, lose, publish, assign.

use super::{check_move, edit_file, parse_datetime, request, set};
use crate::commands::Error;
use crate::commands::common::{Cx, date_or_today, person_with_role, required};
use crate::commands::mutate::Plan;
use crate::lifecycle::request_next;
use crate::model::opportunity::unfit;
use crate::model::{Date, Request, RequestState, Role, Track};
use crate::report::request_detail::command_for;
use crate::yaml::edit::{Document, EditError, scalar};

pub(super) fn qualify(cx: &mut Cx, id: &str, first_response: Option<&str>) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Qualified, "qualify")?;
    let given = first_response
        .map(|t| parse_datetime(t, "--first-response"))
        .transpose()?;
    let first = match (r.first_response, given) {
        (Some(existing), Some(given)) if existing != given => {
            return Err(Error::refused(format!(
                "{} already records its first response on {existing}; leave out --first-response, or correct `first_response` in {} by hand",
                r.id, r.file
            )));
        }
        (Some(_), _) => None,
        (None, Some(given)) => Some(given),
        (None, None) => Some(cx.now()),
    };
    if let Some(first) = first {
        if first.instant(cx.tz) < r.received.instant(cx.tz) {
            return Err(Error::refused(format!(
                "the first response ({first}) cannot come before the request was received ({}); pass --first-response with the date-time the answer was sent",
                r.received
            )));
        }
        if first.instant(cx.tz) > cx.clock.now {
            return Err(Error::refused(format!(
                "--first-response {first} is in the future; record the answer once it is sent"
            )));
        }
    }
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "qualified")?;
        if let Some(first) = first {
            set(doc, "first_response", &first.to_string())?;
        }
        Ok(())
    })?;
    let responded = first
        .or(r.first_response)
        .map(|f| format!(" (first response {f})"))
        .unwrap_or_default();
    let mut plan = Plan::new(format!(
        "request {} qualified{responded}; next: {}",
        r.id,
        request_next(RequestState::Qualified, r.track)
            .iter()
            .map(|s| command_for(r, *s))
            .collect::<Vec<_>>()
            .join(" or ")
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

/// The flow mapping of a decision.
fn decision_yaml(date: Date, reason: Option<&str>) -> String {
    match reason {
        Some(reason) => format!("{{ date: {date}, reason: {} }}", scalar(reason)),
        None => format!("{{ date: {date} }}"),
    }
}

/// Record `decision` on `r`, editing an existing decision field by field.
fn set_decision(
    doc: &mut Document,
    r: &Request,
    date: Date,
    reason: Option<&str>,
) -> Result<(), EditError> {
    if r.decision.is_some() {
        set(doc, "decision.date", &date.to_string())?;
        if let Some(reason) = reason {
            set(doc, "decision.reason", &scalar(reason))?;
        }
        Ok(())
    } else {
        set(doc, "decision", &decision_yaml(date, reason))
    }
}

pub(super) fn win(
    cx: &mut Cx,
    id: &str,
    date: Option<&str>,
    reason: Option<String>,
) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Won, "win")?;
    let date = date_or_today(cx, date, "--date")?;
    let reason = reason
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(sent) = r.quote.as_ref().and_then(|q| q.sent)
        && date < sent
    {
        return Err(Error::refused(format!(
            "--date {date} is before the quote was sent ({sent}); give the date the client accepted it"
        )));
    }
    if date > cx.today() {
        return Err(Error::refused(format!(
            "--date {date} is in the future; record the decision once the client has accepted"
        )));
    }
    let late = r
        .quote
        .as_ref()
        .and_then(|q| q.valid_until)
        .filter(|v| date > *v);
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "won")?;
        set_decision(doc, r, date, reason.as_deref())
    })?;
    let number = r
        .quote
        .as_ref()
        .and_then(|q| q.number.as_deref())
        .map(|n| format!(" (quote {n})"))
        .unwrap_or_default();
    let mut plan = Plan::new(format!(
        "request {} won on {date}{number}; next: fresk request publish {}",
        r.id, r.id
    ));
    plan.write(r.file.clone(), text);
    if let Some(valid_until) = late
        && !cx.globals.dry_run
    {
        eprintln!(
            "note: the quote was valid until {valid_until} and was accepted on {date}, after it expired; make sure the client signed a quote that still holds"
        );
    }
    cx.apply(&plan)
}

pub(super) fn lose(
    cx: &mut Cx,
    id: &str,
    reason: Option<String>,
    date: Option<&str>,
) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Lost, "lose")?;
    let reason = required(reason, "--reason", "Why was it lost (for the reports)")?;
    let reason = reason.trim().to_string();
    let date = date_or_today(cx, date, "--date")?;
    if date < r.received.date() {
        return Err(Error::refused(format!(
            "--date {date} is before the request was received ({})",
            r.received
        )));
    }
    if date > cx.today() {
        return Err(Error::usage(format!("--date {date} is in the future")));
    }
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "lost")?;
        set_decision(doc, r, date, Some(&reason))
    })?;
    let mut plan = Plan::new(format!("request {} lost on {date}: {reason}", r.id));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

pub(super) fn publish(cx: &mut Cx, id: &str, until: Option<&str>) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Published, "publish")?;
    let today = cx.today();
    let until = until
        .map(|u| Date::parse(u).map_err(|e| Error::usage(format!("--until: {e}"))))
        .transpose()?;
    if let Some(until) = until
        && until < today
    {
        return Err(Error::refused(format!(
            "--until {until} is before today ({today}): nobody could apply; give the last day applications are taken"
        )));
    }
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "published")?;
        set(doc, "published", &today.to_string())?;
        if let Some(until) = until {
            set(doc, "apply_until", &until.to_string())?;
        }
        Ok(())
    })?;
    let who = match r.track {
        Track::Subcontracting => "coordinators",
        Track::Introduction => "facilitators who contract directly",
    };
    let deadline = until.map(|u| format!(" until {u}")).unwrap_or_default();
    let mut plan = Plan::new(format!(
        "request {} published: open to {who}{deadline} (they apply with `fresk request apply {} --person ME`); next: {}",
        r.id,
        r.id,
        command_for(r, RequestState::Assigned)
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

/// Who is assigned: the request's field, the person, and the role they need.
fn assignee(
    r: &Request,
    coordinator: Option<String>,
    facilitator: Option<String>,
) -> Result<(&'static str, String, Role), Error> {
    match r.track {
        Track::Subcontracting => {
            if let Some(f) = facilitator {
                return Err(Error::refused(format!(
                    "{} is on the subcontracting track: the association contracts with the client and a coordinator takes the mission; use --coordinator instead of --facilitator {f}",
                    r.id
                )));
            }
            let p = required(coordinator, "--coordinator", "Coordinator (person id)")?;
            Ok(("coordinator", p, Role::Coordinator))
        }
        Track::Introduction => {
            if let Some(c) = coordinator {
                return Err(Error::refused(format!(
                    "{} is on the introduction track: a facilitator contracts with the client directly, there is no coordinator; use --facilitator instead of --coordinator {c}",
                    r.id
                )));
            }
            let p = required(facilitator, "--facilitator", "Facilitator (person id)")?;
            Ok(("facilitator", p, Role::Facilitator))
        }
    }
}

/// Once the request took applications, the assignee is an applicant or the reason is given.
fn check_applied(r: &Request, person: &str, reason: Option<&str>) -> Result<(), Error> {
    let opened = !r.applications.is_empty() || r.apply_until.is_some();
    if !opened || r.may_take_without_reason(person) || reason.is_some() {
        return Ok(());
    }
    let applicants = if r.applications.is_empty() {
        "nobody applied".to_string()
    } else {
        let names: Vec<&str> = r.applications.iter().map(|a| a.person.as_str()).collect();
        format!("the applicants are {}", names.join(", "))
    };
    Err(Error::refused(format!(
        "`{person}` did not apply to {} ({applicants}); choose an applicant, or say why with --without-application \"REASON\" (it is recorded in the request)",
        r.id
    )))
}

pub(super) fn assign(
    cx: &mut Cx,
    id: &str,
    coordinator: Option<String>,
    facilitator: Option<String>,
    without_application: Option<String>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let r = request(cx, id)?;
    check_move(r, RequestState::Assigned, "assign")?;
    let (field, person, role) = assignee(r, coordinator, facilitator)?;
    let person = person_with_role(cx, person.trim(), role, &format!("the request's {field}"))?;
    let sector = cx
        .ws
        .organisations
        .iter()
        .find(|o| o.id == r.organisation)
        .map(|o| o.sector);
    if let Some(why) = unfit(config, person, r, sector) {
        return Err(Error::refused(format!(
            "{why}; choose someone of that level"
        )));
    }
    let reason = without_application
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    check_applied(r, &person.id, reason.as_deref())?;
    let reason = reason.filter(|_| !r.may_take_without_reason(&person.id));
    let person_id = person.id.clone();
    let today = cx.today();
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "assigned")?;
        set(doc, field, &person_id)?;
        set(doc, "assigned", &today.to_string())?;
        if let Some(reason) = &reason {
            set(doc, "without_application", &scalar(reason))?;
        }
        Ok(())
    })?;
    let next = match r.track {
        Track::Subcontracting => format!(
            "; next: fresk mission new --request {} --coordinator {person_id}",
            r.id
        ),
        Track::Introduction => format!(
            "; {person_id} contracts with the client and declares the revenue: fresk declaration new --request {}",
            r.id
        ),
    };
    let mut plan = Plan::new(format!(
        "request {} assigned to {field} {person_id}{next}",
        r.id
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}
