//! `fresk request`: log, qualify, quote, win or lose, publish, assign, list and show requests.
//! One module per group of sub-commands; what they share is here.

mod apply;
mod list;
mod moves;
mod new;
mod quote;

use super::Error;
use super::common::{Cx, Globals, find, id_order, list_range, parse_word, print_rows};
use crate::cli::{ListArgs, ListFormat, OpenListFormat, OpportunitiesArgs, RequestCommand};
use crate::lifecycle::request_next;
use crate::model::{DateTime, Request, RequestState, Track};
use crate::report::request_detail::{self, command_for};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, EditError};
use std::path::Path;

pub fn run(start: &Path, cmd: RequestCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        RequestCommand::New(args) => new::new(&mut cx, args),
        RequestCommand::Qualify {
            request,
            first_response,
        } => moves::qualify(&mut cx, &request, first_response.as_deref()),
        RequestCommand::Quote {
            request,
            lines,
            valid_days,
            date,
        } => quote::quote(&mut cx, &request, &lines, valid_days, date.as_deref()),
        RequestCommand::Win {
            request,
            date,
            reason,
        } => moves::win(&mut cx, &request, date.as_deref(), reason),
        RequestCommand::Lose {
            request,
            reason,
            date,
        } => moves::lose(&mut cx, &request, reason, date.as_deref()),
        RequestCommand::Publish { request, until } => {
            moves::publish(&mut cx, &request, until.as_deref())
        }
        RequestCommand::Assign {
            request,
            coordinator,
            facilitator,
            without_application,
        } => moves::assign(
            &mut cx,
            &request,
            coordinator,
            facilitator,
            without_application,
        ),
        RequestCommand::Apply {
            request,
            person,
            message,
            date,
        } => apply::apply(&mut cx, &request, person, message, date.as_deref()),
        RequestCommand::Withdraw { request, person } => apply::withdraw(&mut cx, &request, person),
        RequestCommand::List {
            state,
            track,
            organisation,
            open,
            for_person,
            format,
            from,
            to,
        } => {
            if open {
                return list::open(&cx, for_person.as_deref(), format);
            }
            let format = match format {
                OpenListFormat::Table => ListFormat::Table,
                OpenListFormat::Csv => ListFormat::Csv,
                OpenListFormat::Json => ListFormat::Json,
                OpenListFormat::Html => {
                    return Err(Error::refused(
                        "--format html is the page of open opportunities: add --open (or run `fresk opportunities --format html`)".into(),
                    ));
                }
            };
            list_requests(
                &cx,
                state.as_deref(),
                track.as_deref(),
                organisation.as_deref(),
                &ListArgs { format, from, to },
            )
        }
        RequestCommand::Show { request, format } => show(&cx, &request, format),
    }
}

/// `fresk opportunities`: the published requests open to applications.
pub fn opportunities(start: &Path, args: OpportunitiesArgs, globals: Globals) -> Result<u8, Error> {
    let cx = Cx::open(start, globals)?;
    list::open(&cx, args.for_person.as_deref(), args.format)
}

// --- shared by the sub-commands -------------------------------------------------------------

/// Edit the text of `file` with `f`, keeping everything else byte-for-byte.
fn edit_file(
    cx: &Cx,
    file: &str,
    f: impl FnOnce(&mut Document) -> Result<(), EditError>,
) -> Result<String, Error> {
    let mut doc = Document::new(cx.read(file)?);
    f(&mut doc).map_err(|e| {
        Error::io(format!(
            "cannot edit {file}: {e}; nothing was changed (run `fresk lint {file}` and fix the file by hand)"
        ))
    })?;
    Ok(doc.into_text())
}

fn set(doc: &mut Document, route: &str, yaml: &str) -> Result<(), EditError> {
    doc.set(&Route::parse(route), yaml)
}

/// Refuse a move the lifecycle does not allow, naming what is allowed instead.
fn check_move(r: &Loaded<Request>, to: RequestState, verb: &str) -> Result<(), Error> {
    let allowed = request_next(r.state, r.track);
    if allowed.contains(&to) {
        return Ok(());
    }
    let options = if allowed.is_empty() {
        format!(
            "`{}` is a final state: the request never moves again",
            r.state
        )
    } else {
        let list: Vec<String> = allowed
            .iter()
            .map(|s| format!("`{s}` ({})", command_for(r, *s)))
            .collect();
        format!(
            "from `{}` on the {} track it can only become {}",
            r.state,
            r.track,
            list.join(" or ")
        )
    };
    let track_note = if to == RequestState::Quoted && r.track == Track::Introduction {
        " (introduction requests are never quoted: the facilitator contracts directly)"
    } else {
        ""
    };
    Err(Error::refused(format!(
        "cannot {verb} {}: it is `{}`{track_note}; {options}",
        r.id, r.state
    )))
}

fn request<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Request>, Error> {
    find(&cx.ws.requests, id, "request", |r| &r.id)
}

fn parse_datetime(text: &str, flag: &str) -> Result<DateTime, Error> {
    DateTime::parse(text).map_err(|e| Error::usage(format!("{flag}: {e}")))
}

// --- list and show ---------------------------------------------------------------------------

fn list_requests(
    cx: &Cx,
    state: Option<&str>,
    track: Option<&str>,
    organisation: Option<&str>,
    list: &ListArgs,
) -> Result<u8, Error> {
    let state = state
        .map(|s| parse_word(s, "--state", RequestState::ALL, RequestState::as_str))
        .transpose()?;
    let track = track
        .map(|s| parse_word(s, "--track", Track::ALL, Track::as_str))
        .transpose()?;
    if let Some(org) = organisation {
        find(&cx.ws.organisations, org, "organisation", |o| &o.id)?;
    }
    let (from, to) = list_range(list)?;
    let mut items: Vec<&Loaded<Request>> = cx
        .ws
        .requests
        .iter()
        .filter(|r| state.is_none_or(|s| r.state == s))
        .filter(|r| track.is_none_or(|t| r.track == t))
        .filter(|r| organisation.is_none_or(|o| r.organisation == o))
        .filter(|r| from.is_none_or(|f| r.received.date() >= f))
        .filter(|r| to.is_none_or(|t| r.received.date() <= t))
        .collect();
    items.sort_by_key(|r| id_order(&r.id));
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.state.to_string(),
                r.track.to_string(),
                r.received.to_string(),
                r.organisation.clone(),
                r.owner.clone().unwrap_or_default(),
                r.quote
                    .as_ref()
                    .and_then(|q| q.number.clone())
                    .unwrap_or_default(),
                r.need
                    .as_ref()
                    .map(|n| n.summary.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        &[
            "id",
            "state",
            "track",
            "received",
            "organisation",
            "owner",
            "quote",
            "summary",
        ],
        &rows,
        list.format,
    );
    Ok(0)
}

fn show(cx: &Cx, id: &str, format: crate::cli::ShowFormat) -> Result<u8, Error> {
    let r = request(cx, id)?;
    let detail = request_detail::compute(&cx.ws, r);
    match format {
        crate::cli::ShowFormat::Table => print!("{}", request_detail::render(&detail)),
        crate::cli::ShowFormat::Json => {
            let record = serde_json::to_value(&r.value)
                .map_err(|e| Error::io(format!("cannot print the request as JSON: {e}")))?;
            let next: Vec<serde_json::Value> = detail
                .next
                .iter()
                .map(|n| {
                    serde_json::json!({
                        "state": n.state.to_string(),
                        "command": n.command,
                        "needs": n.needs,
                    })
                })
                .collect();
            print!(
                "{}",
                crate::report::table::versioned(serde_json::json!({
                    "file": r.file,
                    "request": record,
                    "next": next,
                }))
            );
        }
    }
    Ok(0)
}
