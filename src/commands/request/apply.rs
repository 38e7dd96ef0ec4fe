//! Applications to a published request: a coordinator (or, on the introduction track, a
//! facilitator) applies or withdraws; staff then assign one of the applicants.

use super::{edit_file, request};
use crate::commands::Error;
use crate::commands::common::{Cx, date_or_today, find_person, required};
use crate::commands::mutate::Plan;
use crate::model::opportunity::unfit;
use crate::model::{Request, RequestState, Track};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::scalar;

/// Applications are taken only while the request is published.
fn check_published(r: &Loaded<Request>, doing: &str) -> Result<(), Error> {
    match r.state {
        RequestState::Published => Ok(()),
        RequestState::Assigned => Err(Error::refused(format!(
            "cannot {doing} {}: it is already assigned to {}; applications close once someone is chosen",
            r.id,
            r.assignee().unwrap_or("someone")
        ))),
        state => Err(Error::refused(format!(
            "cannot {doing} {}: it is `{state}`, and only a published request takes applications (staff publish it with `fresk request publish {}`)",
            r.id, r.id
        ))),
    }
}

pub(super) fn apply(
    cx: &mut Cx,
    id: &str,
    person: Option<String>,
    message: Option<String>,
    date: Option<&str>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let r = request(cx, id)?;
    check_published(r, "apply to")?;
    let who = required(person, "--person", "Who applies (person id)")?;
    let p = find_person(cx, who.trim())?;
    if r.applied(&p.id) {
        return Err(Error::refused(format!(
            "`{}` already applied to {}; to change the message, withdraw (`fresk request withdraw {} --person {}`) and apply again",
            p.id, r.id, r.id, p.id
        )));
    }
    let sector = cx
        .ws
        .organisations
        .iter()
        .find(|o| o.id == r.organisation)
        .map(|o| o.sector);
    if let Some(why) = unfit(config, p, r, sector) {
        return Err(Error::refused(format!(
            "`{}` cannot apply to {}: {why}",
            p.id, r.id
        )));
    }
    let date = date_or_today(cx, date, "--date")?;
    if date > cx.today() {
        return Err(Error::refused(format!(
            "--date {date} is in the future; apply on the day you apply"
        )));
    }
    if let Some(published) = r.published
        && date < published
    {
        return Err(Error::refused(format!(
            "--date {date} is before {} was published ({published})",
            r.id
        )));
    }
    if let Some(until) = r.apply_until
        && date > until
    {
        return Err(Error::refused(format!(
            "applications to {} closed on {until} (apply_until); ask staff whether a late application can still be considered",
            r.id
        )));
    }
    let message = message
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    let mut item = format!("{{ person: {}, date: {date}", scalar(&p.id));
    if let Some(m) = &message {
        item.push_str(&format!(", message: {}", scalar(m)));
    }
    item.push_str(" }");
    let text = edit_file(cx, &r.file, |doc| {
        doc.push(&Route::parse("applications"), &item)
    })?;
    let role = match r.track {
        Track::Subcontracting => "coordinate",
        Track::Introduction => "facilitate (contracting directly)",
    };
    let others = r.applications.len();
    let mut plan = Plan::new(format!(
        "{} applied to {role} request {} on {date}{}; staff choose with `fresk request assign {}`",
        p.id,
        r.id,
        if others == 0 {
            String::new()
        } else {
            format!(" ({others} earlier application(s))")
        },
        r.id
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

pub(super) fn withdraw(cx: &mut Cx, id: &str, person: Option<String>) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_published(r, "withdraw an application from")?;
    let who = required(person, "--person", "Whose application (person id)")?;
    let who = who.trim();
    let Some(index) = r.applications.iter().position(|a| a.person == who) else {
        let listed: Vec<&str> = r.applications.iter().map(|a| a.person.as_str()).collect();
        return Err(Error::refused(format!(
            "`{who}` has not applied to {}; {}",
            r.id,
            if listed.is_empty() {
                "nobody has".to_string()
            } else {
                format!("the applicants are {}", listed.join(", "))
            }
        )));
    };
    let text = edit_file(cx, &r.file, |doc| {
        doc.remove_item(&Route::parse("applications"), index)
    })?;
    let mut plan = Plan::new(format!("{who} withdrew their application to {}", r.id));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}
