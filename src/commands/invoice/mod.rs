//! `fresk invoice`: draft the client invoice of a closed mission, issue it on main (the next
//! number of the association's series, which becomes its id and file name), record sending,
//! dunning steps and payment, draft credit notes, list.
//!
//! Drafts are named `I-<mission>`; a credit-note draft is named `I-credit-<invoice>` and carries
//! `corrects: <invoice>` and the corrected invoice's lines (edit them to credit only part of it).

mod draft;
pub(crate) mod issue;

use super::Error;
use super::common::{Cx, Globals, date_or_today, edit_error, find, list_range, print_rows};
use super::mutate::Plan;
use super::payout::{next_states, parse_state};
use crate::cli::{InvoiceCommand, ListArgs, ListFormat};
use crate::lifecycle;
use crate::model::invoice::DunningKind;
use crate::model::{Date, Invoice, InvoiceKind, InvoiceState};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::io::IsTerminal;
use std::path::Path;

pub fn run(start: &Path, cmd: InvoiceCommand, globals: Globals) -> Result<u8, Error> {
    let open = || Cx::open(start, globals);
    match cmd {
        InvoiceCommand::Draft {
            mission,
            purchase_order,
        } => draft::draft(&mut open()?, mission, purchase_order),
        InvoiceCommand::Issue { invoice, date } => {
            issue::issue(&mut open()?, &invoice, date.as_deref())
        }
        InvoiceCommand::Send { invoice, date } => send(&mut open()?, &invoice, date.as_deref()),
        InvoiceCommand::Remind { invoice, date } => remind(&mut open()?, &invoice, date.as_deref()),
        InvoiceCommand::Pay {
            invoice,
            date,
            reference,
        } => pay(&mut open()?, &invoice, date, reference),
        InvoiceCommand::Credit { invoice, reason } => draft::credit(&mut open()?, &invoice, reason),
        InvoiceCommand::List { state, list } => list_invoices(&open()?, state.as_deref(), &list),
    }
}

fn noun(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Invoice => "invoice",
        InvoiceKind::CreditNote => "credit note",
    }
}

fn find_invoice<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Invoice>, Error> {
    find(&cx.ws.invoices, id, "invoice or credit note", |i| &i.id)
}

/// Refuse a move the lifecycle table does not have, naming the moves it has.
fn refuse_move(inv: &Invoice, to: InvoiceState, why: &str) -> Error {
    Error::refused(format!(
        "{} {} is `{}`, so it cannot become `{to}`: {why} (from `{}` it may go to {}); nothing was changed",
        noun(inv.kind),
        inv.id,
        inv.state,
        inv.state,
        next_states(lifecycle::invoice_next(inv.state, inv.kind))
    ))
}

fn may_move(inv: &Invoice, to: InvoiceState) -> bool {
    lifecycle::invoice_next(inv.state, inv.kind).contains(&to)
}

fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    crate::report::table::format_rows(
        headers,
        rows,
        ListFormat::Table,
        std::io::stdout().is_terminal(),
    )
}

// --- invoice send -------------------------------------------------------------------------

fn send(cx: &mut Cx, id: &str, date: Option<&str>) -> Result<u8, Error> {
    let inv = find_invoice(cx, id)?;
    if !may_move(inv, InvoiceState::Sent) {
        let why = match inv.state {
            InvoiceState::Draft => format!(
                "a draft has no number yet; issue it first (fresk invoice issue {})",
                inv.id
            ),
            _ => match inv.sent {
                Some(d) => format!("it was already sent on {d}"),
                None => "only an issued document is sent".to_string(),
            },
        };
        return Err(refuse_move(inv, InvoiceState::Sent, &why));
    }
    let date = date_or_today(cx, date, "--date")?;
    not_before_issue(inv, date)?;
    let mut doc = Document::new(cx.read(&inv.file)?);
    let err = edit_error(&inv.file);
    doc.set(&Route::parse("state"), "sent").map_err(&err)?;
    doc.set(&Route::parse("sent"), &date.to_string())
        .map_err(&err)?;
    let mut plan = Plan::new(format!(
        "{} {} sent on {date}{}",
        noun(inv.kind),
        inv.id,
        inv.due.map(|d| format!(", due {d}")).unwrap_or_default()
    ));
    plan.write(&inv.file, doc.into_text());
    cx.apply(&plan)
}

// --- invoice remind -----------------------------------------------------------------------

fn remind(cx: &mut Cx, id: &str, date: Option<&str>) -> Result<u8, Error> {
    let inv = find_invoice(cx, id)?;
    let step = lifecycle::invoice_next(inv.state, inv.kind)
        .iter()
        .find_map(|s| DunningKind::ALL.iter().find(|d| d.as_str() == s.as_str()))
        .copied();
    let Some(step) = step else {
        let why = match (inv.kind, inv.state) {
            (InvoiceKind::CreditNote, _) => "credit notes are never dunned".to_string(),
            (_, InvoiceState::Draft) => "it is a draft: issue and send it first".to_string(),
            (_, InvoiceState::Issued) => format!(
                "it was never sent: record sending first (fresk invoice send {})",
                inv.id
            ),
            (_, InvoiceState::Paid) => "it is paid: there is nothing to remind".to_string(),
            (_, InvoiceState::Cancelled) => "it is cancelled by a credit note".to_string(),
            (_, InvoiceState::Litigation) => {
                "litigation is the last dunning step: follow it outside fresk".to_string()
            }
            _ => "no dunning step follows".to_string(),
        };
        return Err(Error::refused(format!(
            "{} {} is `{}`, so no reminder can be taken: {why} (from `{}` it may go to {}); nothing was changed",
            noun(inv.kind),
            inv.id,
            inv.state,
            inv.state,
            next_states(lifecycle::invoice_next(inv.state, inv.kind))
        )));
    };
    if inv.hold {
        return Err(Error::refused(format!(
            "invoice {} is on hold (`hold: true` in {}): the next step ({step}) is paused; remove the hold (or set `hold: false`) to take it; nothing was changed",
            inv.id, inv.file
        )));
    }
    let date = date_or_today(cx, date, "--date")?;
    let Some(due) = inv.due else {
        return Err(Error::refused(format!(
            "invoice {} has no due date: write `due:` in {}; nothing was changed",
            inv.id, inv.file
        )));
    };
    if date <= due {
        return Err(Error::refused(format!(
            "invoice {} is not past due: it is due on {due}, so the first possible {step} is on {}; nothing was changed",
            inv.id,
            due.add_days(1)
        )));
    }
    if let Some(last) = inv.history.last()
        && date < last.date
    {
        return Err(Error::refused(format!(
            "the reminder date {date} is before the last dunning step ({} on {}); nothing was changed",
            last.step, last.date
        )));
    }
    let mut doc = Document::new(cx.read(&inv.file)?);
    let err = edit_error(&inv.file);
    doc.set(&Route::parse("state"), step.as_str())
        .map_err(&err)?;
    doc.push(
        &Route::parse("history"),
        &format!("{{ step: {step}, date: {date} }}"),
    )
    .map_err(&err)?;
    let mut plan = Plan::new(format!(
        "invoice {} {step} on {date} ({} days past its due date {due})",
        inv.id,
        (date.0 - due.0).num_days()
    ));
    plan.write(&inv.file, doc.into_text());
    cx.apply(&plan)
}

// --- invoice pay --------------------------------------------------------------------------

fn pay(
    cx: &mut Cx,
    id: &str,
    date: Option<String>,
    reference: Option<String>,
) -> Result<u8, Error> {
    let inv = find_invoice(cx, id)?;
    if !may_move(inv, InvoiceState::Paid) {
        let why = match inv.state {
            InvoiceState::Draft => "a draft is issued and sent before it is paid".to_string(),
            InvoiceState::Issued => format!(
                "record sending first (fresk invoice send {}), then the payment",
                inv.id
            ),
            InvoiceState::Paid => match &inv.paid {
                Some(p) => format!("it was already paid on {}", p.date),
                None => "it is already paid".to_string(),
            },
            InvoiceState::Cancelled => "it is cancelled by a credit note".to_string(),
            _ => "no payment can be recorded in this state".to_string(),
        };
        return Err(refuse_move(inv, InvoiceState::Paid, &why));
    }
    let (date, reference) = super::common::payment(date, reference)?;
    not_before_issue(inv, date)?;
    let mut doc = Document::new(cx.read(&inv.file)?);
    let err = edit_error(&inv.file);
    doc.set(&Route::parse("state"), "paid").map_err(&err)?;
    doc.set(
        &Route::parse("paid"),
        &format!(
            "{{ date: {date}, reference: {} }}",
            scalar(reference.trim())
        ),
    )
    .map_err(&err)?;
    let mut plan = Plan::new(format!(
        "{} {} paid on {date} (reference {})",
        noun(inv.kind),
        inv.id,
        reference.trim()
    ));
    plan.write(&inv.file, doc.into_text());
    cx.apply(&plan)
}

// --- invoice list -------------------------------------------------------------------------

fn list_invoices(cx: &Cx, state: Option<&str>, list: &ListArgs) -> Result<u8, Error> {
    let config = cx.config()?;
    let state = state
        .map(|s| parse_state(s, InvoiceState::ALL, "invoice"))
        .transpose()?;
    let (from, to) = list_range(list)?;
    let today = cx.today();
    let mut invoices: Vec<&Loaded<Invoice>> = cx
        .ws
        .invoices
        .iter()
        .filter(|i| state.is_none_or(|s| i.state == s))
        .filter(|i| from.is_none_or(|d| i.issued.is_some_and(|x| x >= d)))
        .filter(|i| to.is_none_or(|d| i.issued.is_some_and(|x| x <= d)))
        .collect();
    // Issued documents by date, then drafts.
    invoices.sort_by(|a, b| {
        (a.issued.is_none(), a.issued, &a.id).cmp(&(b.issued.is_none(), b.issued, &b.id))
    });
    let rows: Vec<Vec<String>> = invoices
        .iter()
        .map(|i| {
            let unpaid = i.kind == InvoiceKind::Invoice
                && !matches!(
                    i.state,
                    InvoiceState::Draft | InvoiceState::Paid | InvoiceState::Cancelled
                );
            let overdue = match i.due {
                Some(due) if unpaid && today > due => {
                    let days = (today.0 - due.0).num_days();
                    if i.hold {
                        format!("{days} (hold)")
                    } else {
                        days.to_string()
                    }
                }
                _ => String::new(),
            };
            let opt = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
            vec![
                i.id.clone(),
                i.kind.to_string(),
                i.state.to_string(),
                i.mission.clone().unwrap_or_default(),
                i.organisation.clone(),
                opt(i.issued),
                opt(i.due),
                i.total(config).to_string(),
                opt(i.sent),
                opt(i.paid.as_ref().map(|p| p.date)),
                overdue,
                i.corrects.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        &[
            "id",
            "kind",
            "state",
            "mission",
            "organisation",
            "issued",
            "due",
            "total",
            "sent",
            "paid",
            "days_overdue",
            "corrects",
        ],
        &rows,
        list.format,
    );
    Ok(0)
}

/// A date given for an invoice (sent, paid) is not before the invoice was issued.
fn not_before_issue(inv: &Invoice, date: Date) -> Result<(), Error> {
    match inv.issued {
        Some(issued) if date < issued => Err(Error::refused(format!(
            "--date {date} is before {} was issued ({issued}); nothing was changed",
            inv.id
        ))),
        _ => Ok(()),
    }
}
