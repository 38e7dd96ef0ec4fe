//! `fresk complaint new|acknowledge|resolve|close`: the complaints procedure, one file per
//! complaint in `complaints/<year>/<id>.yaml`.

use super::{datetime_or_now, organisation};
use crate::cli::ComplaintCommand;
use crate::commands::Error;
use crate::commands::common::{
    Cx, Globals, date_or_today, edit_error, find, find_person, next_id, schema_header,
};
use crate::commands::mutate::Plan;
use crate::lifecycle::complaint_next;
use crate::model::{Complaint, ComplaintState, Kind};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::path::Path;

pub fn run(start: &Path, cmd: ComplaintCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        ComplaintCommand::New {
            organisation,
            summary,
            mission,
            session,
            owner,
            received,
        } => new(
            &mut cx,
            New {
                organisation,
                summary,
                mission,
                session,
                owner,
                received,
            },
        ),
        ComplaintCommand::Acknowledge { complaint, at } => {
            let at = datetime_or_now(&cx, at.as_deref(), "--at")?;
            let c = complaint_of(&cx, &complaint)?;
            if at.instant(cx.tz) < c.received.instant(cx.tz) {
                return Err(Error::refused(format!(
                    "--at {at} is before the complaint was received ({}); give the date-time the client was told",
                    c.received
                )));
            }
            move_to(
                &mut cx,
                &complaint,
                ComplaintState::Acknowledged,
                &[("acknowledged", at.to_string())],
            )
        }
        ComplaintCommand::Resolve {
            complaint,
            action,
            date,
        } => {
            let action = action.trim();
            if action.is_empty() {
                return Err(Error::usage(
                    "--action is empty: say what was done about the complaint".into(),
                ));
            }
            let date = date_or_today(&cx, date.as_deref(), "--date")?;
            move_to(
                &mut cx,
                &complaint,
                ComplaintState::Resolved,
                &[("resolved", date.to_string()), ("action", scalar(action))],
            )
        }
        ComplaintCommand::Close { complaint, date } => {
            let date = date_or_today(&cx, date.as_deref(), "--date")?;
            move_to(
                &mut cx,
                &complaint,
                ComplaintState::Closed,
                &[("closed", date.to_string())],
            )
        }
    }
}

struct New {
    organisation: String,
    summary: String,
    mission: Option<String>,
    session: Option<String>,
    owner: Option<String>,
    received: Option<String>,
}

fn new(cx: &mut Cx, a: New) -> Result<u8, Error> {
    let org = organisation(cx, &a.organisation)?.id.clone();
    let summary = a.summary.trim();
    if summary.is_empty() {
        return Err(Error::usage(
            "--summary is empty: say what the client complains about".into(),
        ));
    }
    if let Some(m) = &a.mission {
        let mission = find(&cx.ws.missions, m.trim(), "mission", |m| &m.id)?;
        if mission.organisation != org {
            return Err(Error::refused(format!(
                "mission {} is {}'s, not {org}'s; give a mission of {org}, or leave out --mission",
                mission.id, mission.organisation
            )));
        }
        if let Some(s) = &a.session {
            let s = s.trim();
            if !cx
                .ws
                .sessions
                .iter()
                .any(|x| x.id == s && x.mission == mission.id)
            {
                return Err(Error::refused(format!(
                    "mission {} has no session `{s}`; see its sessions with `fresk mission show {}`",
                    mission.id, mission.id
                )));
            }
        }
    }
    if let Some(owner) = &a.owner {
        find_person(cx, owner.trim())?;
    }
    let received = datetime_or_now(cx, a.received.as_deref(), "--received")?;
    let year = received.date().year();
    let id = next_id(cx, Kind::Complaint, "C", year);
    let rel = format!("complaints/{year}/{id}.yaml");
    let mut text = schema_header(Kind::Complaint, &rel);
    text.push_str(&format!(
        "id: {id}\nstate: received\norganisation: {org}\nreceived: {received}\nsummary: {}\n",
        scalar(summary)
    ));
    for (key, value) in [
        ("mission", &a.mission),
        ("session", &a.session),
        ("owner", &a.owner),
    ] {
        if let Some(v) = value {
            text.push_str(&format!("{key}: {}\n", scalar(v.trim())));
        }
    }
    let hours = cx.config()?.crm.complaint_acknowledge_hours;
    let mut plan = Plan::new(format!(
        "complaint {id} of {org} received: {rel}; acknowledge it within {hours} h with `fresk complaint acknowledge {id}`"
    ));
    plan.write(rel, text);
    cx.apply(&plan)
}

fn complaint_of<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Complaint>, Error> {
    find(&cx.ws.complaints, id.trim(), "complaint", |c| &c.id)
}

/// The command that moves a complaint to `to`.
pub fn command_for(id: &str, to: ComplaintState) -> String {
    match to {
        ComplaintState::Received => format!("fresk complaint new … (for {id})"),
        ComplaintState::Acknowledged => format!("fresk complaint acknowledge {id}"),
        ComplaintState::Resolved => format!("fresk complaint resolve {id} --action \"…\""),
        ComplaintState::Closed => format!("fresk complaint close {id}"),
    }
}

/// Move complaint `id` to `to`, setting `fields` (already YAML values).
fn move_to(
    cx: &mut Cx,
    id: &str,
    to: ComplaintState,
    fields: &[(&str, String)],
) -> Result<u8, Error> {
    let c = complaint_of(cx, id)?;
    if !complaint_next(c.state).contains(&to) {
        let next = complaint_next(c.state);
        let what = match next.first() {
            Some(n) => format!("its next step is `{}`", command_for(&c.id, *n)),
            None => "it is closed: nothing follows".to_string(),
        };
        return Err(Error::refused(format!(
            "complaint {} is `{}`, so it cannot become `{to}`; {what}",
            c.id, c.state
        )));
    }
    let (file, cid) = (c.file.clone(), c.id.clone());
    let mut doc = Document::new(cx.read(&file)?);
    doc.set(&Route::parse("state"), to.as_str())
        .map_err(edit_error(&file))?;
    for (key, value) in fields {
        doc.set(&Route::parse(key), value)
            .map_err(edit_error(&file))?;
    }
    let next = complaint_next(to)
        .first()
        .map(|n| format!("; next: {}", command_for(&cid, *n)))
        .unwrap_or_default();
    let mut plan = Plan::new(format!("complaint {cid} {to}{next}"));
    plan.write(file, doc.into_text());
    cx.apply(&plan)
}
