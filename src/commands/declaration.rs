//! `fresk declaration`: usage-rights fees declared on client-introduction work.

use super::Error;
use super::common::{Cx, Globals, find, print_rows, required, schema_header};
use super::common::{id_order, list_range, next_id, parse_word, person_with_role};
use super::mutate::Plan;
use crate::cli::{DeclarationCommand, ListArgs};
use crate::model::{
    Declaration, DeclarationState, Kind, Money, Request, RequestState, Role, Track, YearMonth,
};
use crate::workspace::Loaded;
use rust_decimal::Decimal;
use std::path::Path;

pub fn run(start: &Path, cmd: DeclarationCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        DeclarationCommand::New {
            request,
            person,
            period,
            sessions,
            participants,
            revenue,
        } => new(
            &mut cx,
            New {
                request,
                person,
                period,
                sessions,
                participants,
                revenue,
            },
        ),
        DeclarationCommand::List { state, list } => list_declarations(&cx, state.as_deref(), &list),
        DeclarationCommand::Invoice {
            person,
            organisation,
            date,
        } => {
            super::fee_invoice::invoice(&mut cx, &person, organisation.as_deref(), date.as_deref())
        }
    }
}

struct New {
    request: Option<String>,
    person: Option<String>,
    period: Option<String>,
    sessions: Option<u32>,
    participants: Option<u32>,
    revenue: Option<String>,
}

fn count(value: Option<u32>, flag: &str, question: &str) -> Result<u32, Error> {
    if let Some(n) = value {
        return Ok(n);
    }
    let text = required(None, flag, question)?;
    text.trim().parse().map_err(|_| {
        Error::usage(format!(
            "{flag} `{}` is not a whole number; write digits, e.g. 2",
            text.trim()
        ))
    })
}

fn new(cx: &mut Cx, args: New) -> Result<u8, Error> {
    let config = cx.config()?;
    let Some(rights) = &config.usage_rights else {
        return Err(Error::io(
            "fresk.yaml has no `usage_rights`, so no fee can be computed; add e.g. `usage_rights: { percent: 10, min_invoice: 150 }`".into(),
        ));
    };
    let request = required(
        args.request,
        "--request",
        "Client-introduction request (id, e.g. R2026-0004)",
    )?;
    let r = find(&cx.ws.requests, request.trim(), "request", |r| &r.id)?;
    let person = declaring_person(cx, r, args.person)?;
    let period = declared_period(cx, r, &person, args.period)?;
    let sessions = count(args.sessions, "--sessions", "Number of sessions held")?;
    if sessions == 0 {
        return Err(Error::usage(
            "--sessions must be at least 1: declare the months in which sessions took place".into(),
        ));
    }
    let participants = count(
        args.participants,
        "--participants",
        "Number of participants",
    )?;
    let revenue = required(args.revenue, "--revenue", "Revenue excl. VAT")?;
    let revenue = Money::parse(&revenue).map_err(|e| Error::usage(format!("--revenue: {e}")))?;
    if revenue.0 <= Decimal::ZERO {
        return Err(Error::usage(format!(
            "--revenue {revenue} must be more than 0: the amount excl. VAT invoiced to the client"
        )));
    }
    let fee = rights
        .fee_on(revenue)
        .ok_or_else(|| Error::usage(format!("--revenue {revenue} is too large")))?;
    let year = period.year;
    let id = next_id(cx, Kind::Declaration, "U", year);
    let rel = format!("declarations/{year}/{id}.yaml");
    let mut text = schema_header(Kind::Declaration, &rel);
    text.push_str(&format!(
        "id: {id}\nstate: declared\nrequest: {}\nperson: {person}\nperiod: {period}\nsessions: {sessions}\nparticipants: {participants}\nrevenue: {}\nfee: {}\n",
        r.id,
        revenue.to_yaml(),
        fee.to_yaml()
    ));
    let due: Money = cx
        .ws
        .declarations
        .iter()
        .filter(|d| d.person == person && d.state == DeclarationState::Declared)
        .map(|d| d.fee)
        .sum::<Money>()
        + fee;
    let invoicing = if due < rights.min_invoice {
        format!(
            "; fees not yet invoiced for {person}: {due}, below the {} minimum of a fee invoice (usage_rights.min_invoice), so they wait for further declarations",
            rights.min_invoice
        )
    } else {
        format!("; fees not yet invoiced for {person}: {due}, ready to invoice")
    };
    let mut plan = Plan::new(format!(
        "declaration {id}: {person} made {revenue} {cur} on {} in {period}, fee {fee} {cur} ({}% of it){invoicing}",
        r.id,
        rights.percent,
        cur = config.currency
    ));
    plan.write(rel, text);
    cx.apply(&plan)
}

/// Who declares: the facilitator the client-introduction request is assigned to.
fn declaring_person(cx: &Cx, r: &Request, given: Option<String>) -> Result<String, Error> {
    if r.track != Track::Introduction {
        return Err(Error::refused(format!(
            "{} is on the {} track: the association contracts with the client and invoices it, so there is no usage-rights fee; declarations are for client-introduction requests (track: introduction)",
            r.id, r.track
        )));
    }
    let Some(facilitator) = r
        .facilitator
        .as_deref()
        .filter(|_| r.state == RequestState::Assigned)
    else {
        return Err(Error::refused(format!(
            "{} is `{}`: the facilitator contracts with the client once the request is assigned to them; assign it first (fresk request assign {} --facilitator PERSON)",
            r.id, r.state, r.id
        )));
    };
    let person = match given {
        Some(p) if p.trim() != facilitator => {
            find(&cx.ws.people, p.trim(), "person", |x| &x.id)?;
            return Err(Error::refused(format!(
                "{} is assigned to {facilitator}: only they contract with the client and declare its revenue, not {}",
                r.id,
                p.trim()
            )));
        }
        _ => facilitator.to_string(),
    };
    person_with_role(cx, &person, Role::Facilitator, "the declaring facilitator")?;
    Ok(person)
}

/// `--period`: a month that has started, not before the request was received, not declared yet
/// by `person` for this request.
fn declared_period(
    cx: &Cx,
    r: &Request,
    person: &str,
    given: Option<String>,
) -> Result<YearMonth, Error> {
    let period = required(given, "--period", "Month of the revenue (YYYY-MM)")?;
    let period = YearMonth::parse(&period).map_err(|e| Error::usage(format!("--period: {e}")))?;
    if period > cx.today().month() {
        return Err(Error::refused(format!(
            "--period {period} has not started yet; declare revenue once it is made"
        )));
    }
    if period < r.received.date().month() {
        return Err(Error::refused(format!(
            "--period {period} is before {} was received ({}); give the month the sessions took place",
            r.id, r.received
        )));
    }
    if let Some(other) = cx
        .ws
        .declarations
        .iter()
        .find(|d| d.request == r.id && d.person == person && d.period == period)
    {
        return Err(Error::refused(format!(
            "{} already declares {period} for {} ({}); one declaration per request and month: correct that one instead",
            other.id, r.id, other.file
        )));
    }
    Ok(period)
}

fn list_declarations(cx: &Cx, state: Option<&str>, list: &ListArgs) -> Result<u8, Error> {
    let state = state
        .map(|s| {
            parse_word(
                s,
                "--state",
                DeclarationState::ALL,
                DeclarationState::as_str,
            )
        })
        .transpose()?;
    let (from, to) = list_range(list)?;
    let mut items: Vec<&Loaded<Declaration>> = cx
        .ws
        .declarations
        .iter()
        .filter(|d| state.is_none_or(|s| d.state == s))
        .filter(|d| from.is_none_or(|f| d.period >= f.month()))
        .filter(|d| to.is_none_or(|t| d.period <= t.month()))
        .collect();
    items.sort_by_key(|d| id_order(&d.id));
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|d| {
            vec![
                d.id.clone(),
                d.state.to_string(),
                d.request.clone(),
                d.person.clone(),
                d.period.to_string(),
                d.sessions.to_string(),
                d.participants.to_string(),
                d.revenue.to_string(),
                d.fee.to_string(),
                d.invoice.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        &[
            "id",
            "state",
            "request",
            "person",
            "period",
            "sessions",
            "participants",
            "revenue",
            "fee",
            "invoice",
        ],
        &rows,
        list.format,
    );
    Ok(0)
}
