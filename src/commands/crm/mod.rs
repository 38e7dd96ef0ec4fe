//! `fresk contact log`, `fresk callback done|list`: the history of contacts with an organisation,
//! one line per entry appended to `interactions/<organisation>/<year>.yaml`.

pub mod agenda;
pub mod complaint;
pub mod show;

use super::Error;
use super::common::{Cx, Globals, edit_error, find, find_person, schema_header};
use super::mutate::Plan;
use crate::cli::{
    CallbackCommand, CallbackListArgs, ContactCommand, ContactLogArgs, DueFilter,
    InteractionChannelArg, TableOrJson,
};
use crate::model::interaction::{InteractionChannel, OpenCallback, open_callback, open_callbacks};
use crate::model::{Date, DateTime, Interactions, Kind, Organisation};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::path::Path;

pub fn run_contact(start: &Path, cmd: ContactCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        ContactCommand::Log(args) => log(&mut cx, args),
    }
}

pub fn run_callback(start: &Path, cmd: CallbackCommand, globals: Globals) -> Result<u8, Error> {
    match cmd {
        CallbackCommand::Done {
            organisation,
            note,
            owner,
        } => {
            let mut cx = Cx::open(start, globals)?;
            done(&mut cx, &organisation, note, owner)
        }
        CallbackCommand::List(args) => {
            let cx = Cx::open_kinds(start, globals, &[Kind::Interactions])?;
            list(&cx, &args)
        }
    }
}

fn channel(c: InteractionChannelArg) -> InteractionChannel {
    match c {
        InteractionChannelArg::Phone => InteractionChannel::Phone,
        InteractionChannelArg::Email => InteractionChannel::Email,
        InteractionChannelArg::Visit => InteractionChannel::Visit,
        InteractionChannelArg::Event => InteractionChannel::Event,
        InteractionChannelArg::Other => InteractionChannel::Other,
    }
}

/// A `--at`-style date-time, or now.
pub(super) fn datetime_or_now(cx: &Cx, value: Option<&str>, flag: &str) -> Result<DateTime, Error> {
    match value {
        Some(v) => DateTime::parse(v.trim()).map_err(|e| Error::usage(format!("{flag}: {e}"))),
        None => Ok(cx.now()),
    }
}

/// The organisation `id`, or which ids are close.
pub(super) fn organisation<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Organisation>, Error> {
    find(&cx.ws.organisations, id.trim(), "organisation", |o| &o.id)
}

/// The contact named `name` among the organisation's contacts (their details live there only).
fn contact_name(org: &Organisation, name: &str) -> Result<String, Error> {
    let name = name.trim();
    if let Some(c) = org.contacts.iter().find(|c| c.name.trim() == name) {
        return Ok(c.name.trim().to_string());
    }
    let known: Vec<&str> = org.contacts.iter().map(|c| c.name.as_str()).collect();
    let hint = crate::diagnostics::did_you_mean(name, known.iter().copied())
        .map(|m| format!("did you mean `{m}`? "))
        .unwrap_or_default();
    Err(Error::refused(format!(
        "--contact `{name}` is not one of {}'s contacts ({}); {hint}a contact's details live only in the organisation's file: add them with `fresk organisation edit {} --contact \"{name}\"`",
        org.id,
        if known.is_empty() {
            "none yet".to_string()
        } else {
            known.join(", ")
        },
        org.id
    )))
}

/// Append `entry` (one flow mapping) to `organisation`'s interactions of `year`: the file
/// created when it does not exist.
fn append_entry(
    cx: &Cx,
    plan: &mut Plan,
    organisation: &str,
    year: i32,
    entry: &str,
) -> Result<String, Error> {
    let rel = format!("interactions/{organisation}/{year}.yaml");
    let exists = cx.ws.files.iter().any(|(f, _)| *f == rel);
    let text = if exists {
        let mut doc = Document::new(cx.read(&rel)?);
        doc.push(&Route::parse("entries"), entry)
            .map_err(edit_error(&rel))?;
        doc.into_text()
    } else {
        format!(
            "{}organisation: {organisation}\nyear: {year}\n# One line per entry, appended, never edited.\nentries:\n  - {entry}\n",
            schema_header(Kind::Interactions, &rel)
        )
    };
    plan.write(rel.clone(), text);
    Ok(rel)
}

fn log(cx: &mut Cx, args: ContactLogArgs) -> Result<u8, Error> {
    let org = organisation(cx, &args.organisation)?.value.clone();
    if let Some(owner) = &args.owner {
        find_person(cx, owner.trim())?;
    }
    let summary = args.summary.trim();
    if summary.is_empty() {
        return Err(Error::usage(
            "--summary is empty: say in a sentence what was said".into(),
        ));
    }
    let contact = args
        .contact
        .as_deref()
        .map(|c| contact_name(&org, c))
        .transpose()?;
    let at = datetime_or_now(cx, args.at.as_deref(), "--at")?;
    let mut fields = vec![format!("at: {at}")];
    if let Some(owner) = &args.owner {
        fields.push(format!("owner: {}", scalar(owner.trim())));
    }
    fields.push(format!("channel: {}", channel(args.channel).as_str()));
    fields.push(format!("summary: {}", scalar(summary)));
    if let Some(c) = &contact {
        fields.push(format!("contact: {}", scalar(c)));
    }
    if args.satisfaction {
        fields.push("satisfaction: true".into());
    }
    if let (Some(due), Some(reason)) = (&args.callback, &args.reason) {
        let due = Date::parse(due.trim()).map_err(|e| Error::usage(format!("--callback: {e}")))?;
        if due < at.date() {
            return Err(Error::usage(format!(
                "--callback {due} is before the interaction ({}): give the day to call back",
                at.date()
            )));
        }
        if reason.trim().is_empty() {
            return Err(Error::usage(
                "--reason is empty: say what the callback is about".into(),
            ));
        }
        fields.push(format!(
            "callback: {{ due: {due}, reason: {} }}",
            scalar(reason.trim())
        ));
    }
    let entry = format!("{{ {} }}", fields.join(", "));
    let mut plan = Plan::new(format!(
        "{} with {} logged",
        channel(args.channel).as_str(),
        org.id
    ));
    let rel = append_entry(cx, &mut plan, &org.id, at.date().year(), &entry)?;
    plan.summary = format!(
        "{} with {} logged in {rel}{}",
        channel(args.channel).as_str(),
        org.id,
        args.callback
            .as_deref()
            .map(|d| format!("; callback due {}", d.trim()))
            .unwrap_or_default()
    );
    cx.apply(&plan)
}

fn files(cx: &Cx) -> Vec<&Interactions> {
    cx.ws.interactions.iter().map(|l| &l.value).collect()
}

fn done(
    cx: &mut Cx,
    org_id: &str,
    note: Option<String>,
    owner: Option<String>,
) -> Result<u8, Error> {
    let org = organisation(cx, org_id)?.id.clone();
    if let Some(owner) = &owner {
        find_person(cx, owner.trim())?;
    }
    let Some(open) = open_callback(&org, files(cx)) else {
        return Err(Error::refused(format!(
            "{org} has no open callback; see them all with `fresk callback list`, or log the call with `fresk contact log {org} --channel phone --summary …`"
        )));
    };
    let at = cx.now();
    let mut fields = vec![format!("at: {at}")];
    if let Some(who) = owner.as_deref().map(str::trim).or(open.owner.as_deref()) {
        fields.push(format!("owner: {}", scalar(who)));
    }
    fields.push("callback_done: true".into());
    if let Some(note) = note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        fields.push(format!("note: {}", scalar(note)));
    }
    let entry = format!("{{ {} }}", fields.join(", "));
    let mut plan = Plan::new(String::new());
    let rel = append_entry(cx, &mut plan, &org, at.date().year(), &entry)?;
    plan.summary = format!(
        "callback of {org} (due {}: {}) done, in {rel}",
        open.due, open.reason
    );
    cx.apply(&plan)
}

/// Where a callback stands on `today`.
pub(super) fn due_word(due: Date, today: Date) -> &'static str {
    if due < today {
        "overdue"
    } else if due == today {
        "today"
    } else {
        "upcoming"
    }
}

/// The open callbacks of the workspace, filtered by owner and due day.
pub(super) fn callbacks(
    cx: &Cx,
    owner: Option<&str>,
    due: Option<DueFilter>,
    today: Date,
) -> Vec<OpenCallback> {
    let files = files(cx);
    open_callbacks(&files)
        .into_iter()
        .filter(|c| owner.is_none_or(|o| c.owner.as_deref() == Some(o)))
        .filter(|c| match due {
            None => true,
            Some(DueFilter::Today) => c.due <= today,
            Some(DueFilter::Week) => c.due <= today.add_days(7),
            Some(DueFilter::Overdue) => c.due < today,
        })
        .collect()
}

fn list(cx: &Cx, args: &CallbackListArgs) -> Result<u8, Error> {
    let today = cx.today();
    let owner = args.owner.as_deref().map(str::trim);
    let found = callbacks(cx, owner, args.due, today);
    match args.format {
        TableOrJson::Json => {
            let items: Vec<serde_json::Value> = found
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "organisation": c.organisation,
                        "due": c.due.to_string(),
                        "status": due_word(c.due, today),
                        "reason": c.reason,
                        "owner": c.owner,
                        "set_at": c.set_at.to_string(),
                    })
                })
                .collect();
            print!(
                "{}",
                crate::report::table::versioned(serde_json::json!({
                    "today": today.to_string(),
                    "callbacks": items,
                }))
            );
        }
        TableOrJson::Table => {
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|c| {
                    vec![
                        c.due.to_string(),
                        due_word(c.due, today).to_string(),
                        c.organisation.clone(),
                        c.owner.clone().unwrap_or_default(),
                        c.reason.clone(),
                    ]
                })
                .collect();
            super::common::print_rows(
                &["due", "status", "organisation", "owner", "reason"],
                &rows,
                crate::cli::ListFormat::Table,
            );
            if found.is_empty() {
                eprintln!(
                    "no open callback{}",
                    owner.map(|o| format!(" for {o}")).unwrap_or_default()
                );
            }
        }
    }
    Ok(0)
}
