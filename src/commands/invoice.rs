//! `fresk invoice`: draft the client invoice of a closed mission, issue it on main (the next
//! number of the association's series, which becomes its id and file name), record sending,
//! dunning steps and payment, draft credit notes, list.
//!
//! Drafts are named `I-<mission>`; a credit-note draft is named `I-credit-<invoice>` and carries
//! `corrects: <invoice>` and the corrected invoice's lines (edit them to credit only part of it).

use super::Error;
use super::common::list_range;
use super::common::{
    Cx, Globals, date_or_today, edit_error, find, print_rows, required, schema_header,
};
use super::mutate::Plan;
use super::payout::{next_states, parse_state};
use crate::cli::{InvoiceCommand, ListArgs, ListFormat};
use crate::lifecycle;
use crate::model::invoice::{DunningKind, InvoiceLine};
use crate::model::{
    Config, Date, Invoice, InvoiceKind, InvoiceState, Kind, MissionState, Money, SessionState,
};
use crate::rules::legal::Pattern;
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
        } => draft(&mut open()?, mission, purchase_order),
        InvoiceCommand::Issue { invoice, date } => issue(&mut open()?, &invoice, date.as_deref()),
        InvoiceCommand::Send { invoice, date } => send(&mut open()?, &invoice, date.as_deref()),
        InvoiceCommand::Remind { invoice, date } => remind(&mut open()?, &invoice, date.as_deref()),
        InvoiceCommand::Pay {
            invoice,
            date,
            reference,
        } => pay(&mut open()?, &invoice, date, reference),
        InvoiceCommand::Credit { invoice, reason } => credit(&mut open()?, &invoice, reason),
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

/// The unit price of a line: written, else the catalogue's.
fn unit_price(config: &Config, line: &InvoiceLine) -> Option<Money> {
    line.unit_price.or_else(|| {
        line.offer
            .as_deref()
            .and_then(|o| config.offer(o))
            .map(|o| o.unit_price)
    })
}

/// The total excl. VAT of an invoice (lines without a known price count as zero).
fn total(config: &Config, inv: &Invoice) -> Money {
    inv.lines
        .iter()
        .map(|l| {
            unit_price(config, l)
                .unwrap_or(Money::ZERO)
                .times(l.quantity.0)
                .round()
        })
        .sum()
}

/// Refuse a move the lifecycle table does not have, naming the moves it has.
fn refuse_move(inv: &Invoice, to: InvoiceState, why: &str) -> Error {
    Error(format!(
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

// --- invoice draft ------------------------------------------------------------------------

fn draft(
    cx: &mut Cx,
    mission: Option<String>,
    purchase_order: Option<String>,
) -> Result<u8, Error> {
    let mission_id = required(mission, "--mission", "Mission (e.g. M2026-0042)")?;
    let m = find(&cx.ws.missions, &mission_id, "mission", |m| &m.id)?;
    let existing = cx.ws.invoices.iter().find(|i| {
        i.kind == InvoiceKind::Invoice
            && i.state != InvoiceState::Cancelled
            && i.mission.as_deref() == Some(m.id.as_str())
    });
    if let Some(inv) = existing {
        let what = if inv.state == InvoiceState::Draft {
            format!(
                "the draft {} ({}): edit it, or delete it to draft again",
                inv.id, inv.file
            )
        } else {
            format!(
                "the invoice {} ({}, `{}`): an issued invoice is corrected with a credit note (fresk invoice credit {})",
                inv.id, inv.file, inv.state, inv.id
            )
        };
        return Err(Error(format!(
            "mission {} already has {what}; one client invoice per mission, nothing was changed",
            m.id
        )));
    }
    match m.state {
        MissionState::Closed => {}
        MissionState::Open => {
            return Err(Error(format!(
                "mission {} is open: the client invoice is drafted once the mission is closed (fresk mission close {}); nothing was changed",
                m.id, m.id
            )));
        }
        MissionState::Invoiced | MissionState::Cancelled => {
            return Err(Error(format!(
                "mission {} is `{}`: only a closed mission gets its client invoice drafted; nothing was changed",
                m.id, m.state
            )));
        }
    }

    let held = |offer: &str| {
        cx.ws
            .sessions
            .iter()
            .filter(|s| s.mission == m.id && s.offer == offer)
            .fold((0u32, 0u32), |(held, all), s| {
                (held + u32::from(s.state == SessionState::Held), all + 1)
            })
    };
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for o in &m.order {
        let what = o
            .offer
            .clone()
            .or_else(|| o.label.clone())
            .unwrap_or_default();
        let (quantity, note) = match o.offer.as_deref() {
            Some(offer) => match held(offer) {
                (_, 0) => (
                    o.quantity,
                    "no session delivers this offer: ordered quantity kept, check it".to_string(),
                ),
                (0, _) => (0, "no session held: left out".to_string()),
                (h, _) if h == o.quantity => (h, "sessions held".to_string()),
                (h, _) => (h, format!("sessions held ({} ordered)", o.quantity)),
            },
            None => (o.quantity, "free line: ordered quantity".to_string()),
        };
        rows.push(vec![
            what,
            o.quantity.to_string(),
            quantity.to_string(),
            o.unit_price.to_string(),
            o.unit_price
                .times(rust_decimal::Decimal::from(quantity))
                .to_string(),
            note,
        ]);
        if quantity == 0 {
            continue;
        }
        let mut fields = Vec::new();
        if let Some(offer) = &o.offer {
            fields.push(format!("offer: {offer}"));
        }
        if let Some(label) = &o.label {
            fields.push(format!("label: {}", scalar(label)));
        }
        fields.push(format!("quantity: {quantity}"));
        fields.push(format!("unit_price: {}", o.unit_price.to_yaml()));
        lines.push((
            format!("{{ {} }}", fields.join(", ")),
            o.unit_price.times(rust_decimal::Decimal::from(quantity)),
        ));
    }
    if lines.is_empty() {
        return Err(Error(format!(
            "nothing to invoice for mission {}: no order line was delivered; nothing was changed",
            m.id
        )));
    }

    let id = format!("I-{}", m.id);
    let rel = format!("invoices/{:04}/{id}.yaml", cx.today().year());
    if cx.ws.has_id(Kind::Invoice, &id) || cx.root.join(&rel).exists() {
        return Err(Error(format!(
            "{rel} (or another invoice with id {id}) already exists; nothing was changed"
        )));
    }
    let mut text = schema_header(Kind::Invoice, &rel);
    text.push_str(&format!(
        "id: {id}\nkind: invoice\nstate: draft\nmission: {}\norganisation: {}\n",
        m.id, m.organisation
    ));
    if let Some(po) = purchase_order.filter(|p| !p.trim().is_empty()) {
        text.push_str(&format!("purchase_order: {}\n", scalar(po.trim())));
    }
    text.push_str("lines:\n");
    for (line, _) in &lines {
        text.push_str(&format!("  - {line}\n"));
    }
    let sum: Money = lines.iter().map(|(_, a)| *a).sum();
    let mut plan = Plan::new(format!(
        "invoice {id} drafted for mission {}: {} line(s), {sum} excl. VAT",
        m.id,
        lines.len()
    ));
    plan.write(&rel, text);
    cx.apply(&plan)?;
    if !cx.globals.dry_run {
        print!(
            "\n{}\nReview it, then issue it on main: fresk invoice issue {id}\n",
            table(
                &["line", "ordered", "invoiced", "unit price", "amount", "why"],
                &rows
            )
        );
    }
    Ok(0)
}

fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    crate::report::table::format_rows(
        headers,
        rows,
        ListFormat::Table,
        std::io::stdout().is_terminal(),
    )
}

// --- invoice issue ------------------------------------------------------------------------

fn issue(cx: &mut Cx, id: &str, date: Option<&str>) -> Result<u8, Error> {
    let config = cx.config()?;
    let inv = find_invoice(cx, id)?;
    if inv.state != InvoiceState::Draft {
        return Err(refuse_move(
            inv,
            InvoiceState::Issued,
            "it is already issued and numbered, and an issued document never changes",
        ));
    }
    let date = date_or_today(cx, date, "--date")?;
    let (series, key) = match inv.kind {
        InvoiceKind::Invoice => (&config.series.invoice, "series.invoice"),
        InvoiceKind::CreditNote => (&config.series.credit_note, "series.credit_note"),
    };
    let pattern = Pattern::parse(series).map_err(|e| {
        Error(format!(
            "{key} in fresk.yaml (`{series}`) cannot number documents: {e}; fix it first"
        ))
    })?;

    let mut plan = Plan::new(String::new());
    let mut after = Vec::new();

    // A credit note corrects an issued invoice, and is issued after it.
    let corrected = match inv.kind {
        InvoiceKind::Invoice => None,
        InvoiceKind::CreditNote => {
            let Some(number) = inv.corrects.as_deref() else {
                return Err(Error(format!(
                    "credit note {} has no `corrects:`: write the number of the invoice it corrects in {}; nothing was changed",
                    inv.id, inv.file
                )));
            };
            let orig = cx
                .ws
                .invoices
                .iter()
                .find(|i| i.id == number && i.kind == InvoiceKind::Invoice)
                .ok_or_else(|| {
                    Error(format!(
                        "credit note {} corrects `{number}`, but there is no invoice with that number in invoices/; fix `corrects:` in {}; nothing was changed",
                        inv.id, inv.file
                    ))
                })?;
            if orig.state == InvoiceState::Draft {
                return Err(Error(format!(
                    "credit note {} corrects {number}, which is still a draft: edit or delete the draft instead; nothing was changed",
                    inv.id
                )));
            }
            if let Some(issued) = orig.issued
                && date < issued
            {
                return Err(Error(format!(
                    "--date {date} is before invoice {number} was issued ({issued}): a credit note follows the invoice it corrects; nothing was changed"
                )));
            }
            Some(orig)
        }
    };

    // The next number of the series for the year of the issue date.
    let year = date.year();
    let mut seq = 0u32;
    let mut last: Option<(Date, &str)> = None;
    for other in cx
        .ws
        .invoices
        .iter()
        .filter(|i| i.kind == inv.kind && i.state != InvoiceState::Draft)
    {
        let Some(parts) = pattern.matches(&other.id) else {
            continue;
        };
        if parts.year.is_some_and(|y| y != year) {
            continue;
        }
        seq = seq.max(parts.seq);
        if let Some(d) = other.issued
            && last.is_none_or(|(l, _)| d > l)
        {
            last = Some((d, other.id.as_str()));
        }
    }
    if let Some((l, number)) = last
        && date < l
    {
        return Err(Error(format!(
            "{number} was issued on {l}, after --date {date}: numbers follow the order of issue dates; use --date {l} or later; nothing was changed"
        )));
    }
    let number = pattern.format(Some(year), None, seq + 1);
    let rel = format!("invoices/{year:04}/{number}.yaml");
    if cx.ws.has_id(Kind::Invoice, &number) || cx.root.join(&rel).exists() {
        return Err(Error(format!(
            "the next number of the series, {number}, is already the id of a file ({rel} or another): fix that file first (fresk lint); nothing was changed"
        )));
    }
    let due = date.add_days(i64::from(config.payment_terms_days));

    let mut doc = Document::new(cx.read(&inv.file)?);
    let err = edit_error(&inv.file);
    doc.set(&Route::parse("id"), &scalar(&number))
        .map_err(&err)?;
    doc.set(&Route::parse("state"), "issued").map_err(&err)?;
    doc.set(&Route::parse("issued"), &date.to_string())
        .map_err(&err)?;
    doc.set(&Route::parse("due"), &due.to_string())
        .map_err(&err)?;
    plan.write(&rel, doc.into_text());
    if rel != inv.file {
        plan.delete(&inv.file);
    }

    // The mission is invoiced by its invoice.
    if inv.kind == InvoiceKind::Invoice
        && let Some(mission_id) = inv.mission.as_deref()
    {
        let m = find(&cx.ws.missions, mission_id, "mission", |m| &m.id)?;
        if let Some(closed) = m.closed
            && date < closed
        {
            return Err(Error(format!(
                "--date {date} is before mission {} was closed ({closed}): its invoice is issued once it is closed; nothing was changed",
                m.id
            )));
        }
        match m.state {
            MissionState::Closed => {
                let mut doc = Document::new(cx.read(&m.file)?);
                doc.set(&Route::parse("state"), "invoiced")
                    .map_err(edit_error(&m.file))?;
                plan.write(&m.file, doc.into_text());
                after.push(format!("mission {} invoiced", m.id));
            }
            MissionState::Open => {
                return Err(Error(format!(
                    "mission {} is still open: close it (fresk mission close {}) before issuing its invoice; nothing was changed",
                    m.id, m.id
                )));
            }
            MissionState::Invoiced | MissionState::Cancelled => {}
        }
    }

    // A credit note for the whole of an unpaid invoice cancels it.
    if let Some(orig) = corrected
        && total(config, inv) == total(config, orig)
        && may_move(orig, InvoiceState::Cancelled)
    {
        let mut doc = Document::new(cx.read(&orig.file)?);
        doc.set(&Route::parse("state"), "cancelled")
            .map_err(edit_error(&orig.file))?;
        plan.write(&orig.file, doc.into_text());
        after.push(format!("invoice {} cancelled in full", orig.id));
    }

    let mut summary = format!(
        "{} {} issued as {number} on {date}, due {due} ({} excl. VAT)",
        noun(inv.kind),
        inv.id,
        total(config, inv)
    );
    for a in &after {
        summary.push_str("; ");
        summary.push_str(a);
    }
    plan.summary = summary;
    cx.apply(&plan)
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
    if let Some(issued) = inv.issued
        && date < issued
    {
        return Err(Error(format!(
            "--date {date} is before {} was issued ({issued}); nothing was changed",
            inv.id
        )));
    }
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
        return Err(Error(format!(
            "{} {} is `{}`, so no reminder can be taken: {why} (from `{}` it may go to {}); nothing was changed",
            noun(inv.kind),
            inv.id,
            inv.state,
            inv.state,
            next_states(lifecycle::invoice_next(inv.state, inv.kind))
        )));
    };
    if inv.hold {
        return Err(Error(format!(
            "invoice {} is on hold (`hold: true` in {}): the next step ({step}) is paused; remove the hold (or set `hold: false`) to take it; nothing was changed",
            inv.id, inv.file
        )));
    }
    let date = date_or_today(cx, date, "--date")?;
    let Some(due) = inv.due else {
        return Err(Error(format!(
            "invoice {} has no due date: write `due:` in {}; nothing was changed",
            inv.id, inv.file
        )));
    };
    if date <= due {
        return Err(Error(format!(
            "invoice {} is not past due: it is due on {due}, so the first possible {step} is on {}; nothing was changed",
            inv.id,
            due.add_days(1)
        )));
    }
    if let Some(last) = inv.history.last()
        && date < last.date
    {
        return Err(Error(format!(
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
    let date = required(date, "--date", "Payment date (YYYY-MM-DD)")?;
    let date = Date::parse(&date).map_err(|e| Error(format!("--date: {e}")))?;
    let reference = required(
        reference,
        "--reference",
        "Payment reference (transfer label, cheque number)",
    )?;
    if let Some(issued) = inv.issued
        && date < issued
    {
        return Err(Error(format!(
            "--date {date} is before {} was issued ({issued}); nothing was changed",
            inv.id
        )));
    }
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

// --- invoice credit -----------------------------------------------------------------------

fn credit(cx: &mut Cx, id: &str, reason: Option<String>) -> Result<u8, Error> {
    let inv = find_invoice(cx, id)?;
    if inv.kind == InvoiceKind::CreditNote {
        return Err(Error(format!(
            "{} is a credit note: only an invoice is corrected by a credit note; nothing was changed",
            inv.id
        )));
    }
    match inv.state {
        InvoiceState::Draft => {
            return Err(Error(format!(
                "invoice {} is a draft: edit or delete the draft instead of crediting it; nothing was changed",
                inv.id
            )));
        }
        InvoiceState::Cancelled => {
            return Err(Error(format!(
                "invoice {} is already cancelled by a credit note; nothing was changed",
                inv.id
            )));
        }
        _ => {}
    }
    let pending = cx.ws.invoices.iter().find(|i| {
        i.kind == InvoiceKind::CreditNote
            && i.state == InvoiceState::Draft
            && i.corrects.as_deref() == Some(inv.id.as_str())
    });
    let draft_id = format!("I-credit-{}", inv.id);
    if let Some(p) = pending {
        return Err(Error(format!(
            "invoice {} already has a credit-note draft, {} ({}): edit it, or issue it (fresk invoice issue {}); nothing was changed",
            inv.id, p.id, p.file, p.id
        )));
    }
    let rel = format!("invoices/{:04}/{draft_id}.yaml", cx.today().year());
    if cx.ws.has_id(Kind::Invoice, &draft_id) || cx.root.join(&rel).exists() {
        return Err(Error(format!(
            "{rel} (or another file with id {draft_id}) already exists; nothing was changed"
        )));
    }
    let mut text = schema_header(Kind::Invoice, &rel);
    text.push_str(&format!(
        "id: {draft_id}\nkind: credit-note\nstate: draft\ncorrects: {}\n",
        scalar(&inv.id)
    ));
    if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
        text.push_str(&format!("reason: {}\n", scalar(reason.trim())));
    }
    if let Some(m) = &inv.mission {
        text.push_str(&format!("mission: {m}\n"));
    }
    text.push_str(&format!("organisation: {}\n", inv.organisation));
    if let Some(po) = &inv.purchase_order {
        text.push_str(&format!("purchase_order: {}\n", scalar(po)));
    }
    text.push_str("lines:\n");
    for l in &inv.lines {
        let mut fields = Vec::new();
        if let Some(offer) = &l.offer {
            fields.push(format!("offer: {offer}"));
        }
        if let Some(label) = &l.label {
            fields.push(format!("label: {}", scalar(label)));
        }
        fields.push(format!("quantity: {}", l.quantity));
        if let Some(price) = l.unit_price {
            fields.push(format!("unit_price: {}", price.to_yaml()));
        }
        text.push_str(&format!("  - {{ {} }}\n", fields.join(", ")));
    }
    let mut plan = Plan::new(format!(
        "credit note {draft_id} drafted to correct invoice {}",
        inv.id
    ));
    plan.write(&rel, text);
    let invoice_id = inv.id.clone();
    cx.apply(&plan)?;
    if !cx.globals.dry_run {
        println!(
            "It repeats every line of {invoice_id}: edit {rel} to credit only part of it, then issue it on main (fresk invoice issue {draft_id})."
        );
    }
    Ok(0)
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
                total(config, i).to_string(),
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
