//! `fresk payout`: request what is due for a mission, number the self-invoices on main, record
//! the payment, list.
//!
//! `payout request` computes its lines itself from the held sessions and the rate card. It is
//! dated today, and the monthly limit counts requests by the month of their date, so `--month`
//! only confirms the month the request falls in: any month but the current one is refused (a
//! request is never back- or forward-dated).

mod invoice;
mod request;
mod statement;
mod transfer;

use super::Error;
use super::common::{Cx, Globals, find, list_range, print_rows};
use super::mutate::Plan;
use crate::cli::{ListArgs, ListFormat, PayoutCommand};
use crate::diagnostics::did_you_mean;
use crate::lifecycle;
use crate::model::payout::PayoutLine;
use crate::model::{Money, Payout, PayoutState};
use crate::report::table::format_rows;
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::io::IsTerminal;
use std::path::Path;

pub fn run(start: &Path, cmd: PayoutCommand, globals: Globals) -> Result<u8, Error> {
    match cmd {
        PayoutCommand::Request { mission, month } => {
            let mut cx = Cx::open(start, globals)?;
            request::request(&mut cx, mission, month.as_deref())
        }
        PayoutCommand::Invoice { payouts, date } => {
            let mut cx = Cx::open(start, globals)?;
            invoice::invoice(&mut cx, &payouts, date.as_deref())
        }
        PayoutCommand::Transfer {
            payouts,
            execution_date,
            output,
        } => {
            let mut cx = Cx::open(start, globals)?;
            transfer::transfer(&mut cx, &payouts, execution_date.as_deref(), &output)
        }
        PayoutCommand::Pay {
            payout,
            date,
            reference,
            bank_statement,
        } => {
            let mut cx = Cx::open(start, globals)?;
            match (bank_statement, payout) {
                (Some(file), _) => statement::pay_from_statement(&mut cx, &file),
                (None, Some(payout)) => pay(&mut cx, &payout, date, reference),
                (None, None) => Err(Error::usage(
                    "give the payout paid, or --bank-statement FILE".into(),
                )),
            }
        }
        PayoutCommand::List {
            state,
            mission,
            person,
            list,
        } => {
            let cx = Cx::open(start, globals)?;
            list_payouts(
                &cx,
                state.as_deref(),
                mission.as_deref(),
                person.as_deref(),
                &list,
            )
        }
    }
}

// --- shared with `fresk invoice` and the sub-commands ----------------------------------------

/// A state word given to `--state`, or an error listing the states.
pub(super) fn parse_state<T: Copy + std::fmt::Display>(
    text: &str,
    all: &[T],
    what: &str,
) -> Result<T, Error> {
    if let Some(s) = all.iter().find(|s| s.to_string() == text) {
        return Ok(*s);
    }
    let words: Vec<String> = all.iter().map(ToString::to_string).collect();
    let hint = did_you_mean(text, words.iter().map(String::as_str))
        .map(|w| format!("did you mean `{w}`? "))
        .unwrap_or_default();
    Err(Error::usage(format!(
        "--state: `{text}` is not a {what} state; {hint}the states are {}",
        words.join(", ")
    )))
}

/// The states a file may move to from `state`, for refusal messages.
pub(super) fn next_states<T: std::fmt::Display>(next: &[T]) -> String {
    if next.is_empty() {
        "none: it is final".to_string()
    } else {
        next.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A plain-text table (for messages), whatever the terminal.
fn text_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    format_rows(headers, rows, ListFormat::Table, false)
}

/// A table for stdout: framed on a terminal, plain otherwise.
fn out_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    format_rows(
        headers,
        rows,
        ListFormat::Table,
        std::io::stdout().is_terminal(),
    )
}

// --- payout pay ---------------------------------------------------------------------------

fn pay(
    cx: &mut Cx,
    id: &str,
    date: Option<String>,
    reference: Option<String>,
) -> Result<u8, Error> {
    let p = find(&cx.ws.payouts, id, "payout", |p| &p.id)?;
    if !lifecycle::payout_next(p.state).contains(&PayoutState::Paid) {
        let why = match p.state {
            PayoutState::Requested => format!(
                "its self-invoices are not numbered yet: run `fresk payout invoice --payout {}` on main first",
                p.id
            ),
            PayoutState::Paid => match &p.paid {
                Some(paid) => format!(
                    "it was already paid on {}{}",
                    paid.date,
                    paid.reference
                        .as_deref()
                        .map(|r| format!(" (reference {r})"))
                        .unwrap_or_default()
                ),
                None => "it is already paid".into(),
            },
            PayoutState::Rejected => "it was rejected: nothing is paid".into(),
            PayoutState::Invoiced | PayoutState::Ordered => String::new(),
        };
        return Err(Error::refused(format!(
            "payout {} is `{}`, so it cannot be marked paid: {why} (from `{}` it may go to {})",
            p.id,
            p.state,
            p.state,
            next_states(lifecycle::payout_next(p.state))
        )));
    }
    let (date, reference) = super::common::payment(date, reference)?;
    if let Some(last) = p.self_invoices.iter().map(|s| s.issued).max()
        && date < last
    {
        return Err(Error::refused(format!(
            "--date {date} is before the self-invoices of payout {} were issued ({last}): a payout is paid against its self-invoices; check the date",
            p.id
        )));
    }
    let mut doc = Document::new(cx.read(&p.file)?);
    let edit_err =
        |e: crate::yaml::edit::EditError| Error::io(format!("cannot edit {}: {e}", p.file));
    doc.set(&Route::parse("state"), "paid").map_err(edit_err)?;
    doc.set(
        &Route::parse("paid"),
        &format!(
            "{{ date: {date}, reference: {} }}",
            scalar(reference.trim())
        ),
    )
    .map_err(edit_err)?;
    let total = p.total();
    let mut plan = Plan::new(format!(
        "payout {} paid on {date} ({total}, reference {})",
        p.id,
        reference.trim()
    ));
    plan.write(&p.file, doc.into_text());
    cx.apply(&plan)
}

// --- payout list --------------------------------------------------------------------------

fn list_payouts(
    cx: &Cx,
    state: Option<&str>,
    mission: Option<&str>,
    person: Option<&str>,
    list: &ListArgs,
) -> Result<u8, Error> {
    let state = state
        .map(|s| parse_state(s, PayoutState::ALL, "payout"))
        .transpose()?;
    let (from, to) = list_range(list)?;
    let mut payouts: Vec<&Loaded<Payout>> = cx
        .ws
        .payouts
        .iter()
        .filter(|p| state.is_none_or(|s| p.state == s))
        .filter(|p| mission.is_none_or(|m| p.mission == m))
        .filter(|p| {
            person.is_none_or(|who| {
                p.lines.iter().any(|l| l.person == who)
                    || p.self_invoices.iter().any(|s| s.person == who)
            })
        })
        .filter(|p| from.is_none_or(|d| p.requested >= d))
        .filter(|p| to.is_none_or(|d| p.requested <= d))
        .collect();
    payouts.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
    let rows: Vec<Vec<String>> = payouts
        .iter()
        .map(|p| {
            // With --person, the lines and total of that person only.
            let lines: Vec<&PayoutLine> = p
                .lines
                .iter()
                .filter(|l| person.is_none_or(|who| l.person == who))
                .collect();
            let total: Money = lines.iter().map(|l| l.amount).sum();
            vec![
                p.id.clone(),
                p.mission.clone(),
                p.state.to_string(),
                p.requested.to_string(),
                p.requested_by.clone(),
                lines.len().to_string(),
                total.to_string(),
                p.self_invoices
                    .iter()
                    .filter(|s| person.is_none_or(|who| s.person == who))
                    .map(|s| s.number.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                p.paid
                    .as_ref()
                    .map(|x| x.date.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        &[
            "id",
            "mission",
            "state",
            "requested",
            "requested_by",
            "lines",
            "total",
            "self_invoices",
            "paid",
        ],
        &rows,
        list.format,
    );
    Ok(0)
}
