//! `fresk invoice issue`: on main, give a draft the next number of its series (its id and file
//! name), its issue and due dates; the mission becomes `invoiced`, and a credit note for the
//! whole of an unpaid invoice cancels it.

use super::{find_invoice, may_move, noun, refuse_move};
use crate::commands::Error;
use crate::commands::common::{Cx, date_or_today, edit_error, find};
use crate::commands::mutate::Plan;
use crate::model::{Config, Date, Invoice, InvoiceKind, InvoiceState, Kind, MissionState};
use crate::rules::legal::Pattern;
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};

pub(super) fn issue(cx: &mut Cx, id: &str, date: Option<&str>) -> Result<u8, Error> {
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
    let pattern = series(config, inv.kind)?;
    let corrected = match inv.kind {
        InvoiceKind::Invoice => None,
        InvoiceKind::CreditNote => Some(corrected_invoice(cx, inv, date)?),
    };
    let number = next_number(cx, inv.kind, &pattern, date)?;
    let rel = format!("invoices/{:04}/{number}.yaml", date.year());
    if cx.ws.has_id(Kind::Invoice, &number) || cx.root.join(&rel).exists() {
        return Err(Error::refused(format!(
            "the next number of the series, {number}, is already the id of a file ({rel} or another): fix that file first (fresk lint); nothing was changed"
        )));
    }
    let due = date.add_days(i64::from(config.payment_terms_days));

    let mut plan = Plan::new(String::new());
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

    let mut after = Vec::new();
    if inv.kind == InvoiceKind::Invoice
        && let Some(mission_id) = inv.mission.as_deref()
    {
        after.extend(invoice_the_mission(cx, mission_id, date, &mut plan)?);
    }
    // A credit note for the whole of an unpaid invoice cancels it.
    if let Some(orig) = corrected
        && inv.total(config) == orig.total(config)
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
        inv.total(config)
    );
    for a in &after {
        summary.push_str("; ");
        summary.push_str(a);
    }
    plan.summary = summary;
    cx.apply(&plan)
}

/// The numbering series of a kind of document (series.invoice, series.credit_note).
pub(crate) fn series(config: &Config, kind: InvoiceKind) -> Result<Pattern, Error> {
    crate::commands::common::require_identity(config, "number invoices")?;
    let (series, key) = match kind {
        InvoiceKind::Invoice => (&config.series.invoice, "series.invoice"),
        InvoiceKind::CreditNote => (&config.series.credit_note, "series.credit_note"),
    };
    Pattern::parse(series).map_err(|e| {
        Error::io(format!(
            "{key} in fresk.yaml (`{series}`) cannot number documents: {e}; fix it first"
        ))
    })
}

/// The invoice credit note `inv` corrects: issued, and issued on or before `date`.
fn corrected_invoice<'a>(
    cx: &'a Cx,
    inv: &Loaded<Invoice>,
    date: Date,
) -> Result<&'a Loaded<Invoice>, Error> {
    let Some(number) = inv.corrects.as_deref() else {
        return Err(Error::refused(format!(
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
            Error::refused(format!(
                "credit note {} corrects `{number}`, but there is no invoice with that number in invoices/; fix `corrects:` in {}; nothing was changed",
                inv.id, inv.file
            ))
        })?;
    if orig.state == InvoiceState::Draft {
        return Err(Error::refused(format!(
            "credit note {} corrects {number}, which is still a draft: edit or delete the draft instead; nothing was changed",
            inv.id
        )));
    }
    if let Some(issued) = orig.issued
        && date < issued
    {
        return Err(Error::refused(format!(
            "--date {date} is before invoice {number} was issued ({issued}): a credit note follows the invoice it corrects; nothing was changed"
        )));
    }
    Ok(orig)
}

/// The next number of the series of `kind` for the year of `date`, refusing a date before the
/// last one issued (numbers follow the order of issue dates).
pub(crate) fn next_number(
    cx: &Cx,
    kind: InvoiceKind,
    pattern: &Pattern,
    date: Date,
) -> Result<String, Error> {
    let year = date.year();
    let mut seq = 0u32;
    let mut last: Option<(Date, &str)> = None;
    for other in cx
        .ws
        .invoices
        .iter()
        .filter(|i| i.kind == kind && i.state != InvoiceState::Draft)
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
        return Err(Error::refused(format!(
            "{number} was issued on {l}, after --date {date}: numbers follow the order of issue dates; use --date {l} or later; nothing was changed"
        )));
    }
    Ok(pattern.format(Some(year), None, seq + 1))
}

/// The mission is invoiced by its invoice: a closed mission becomes `invoiced` (what to say
/// about it, if anything); an open one refuses.
fn invoice_the_mission(
    cx: &Cx,
    mission_id: &str,
    date: Date,
    plan: &mut Plan,
) -> Result<Option<String>, Error> {
    let m = find(&cx.ws.missions, mission_id, "mission", |m| &m.id)?;
    if let Some(closed) = m.closed
        && date < closed
    {
        return Err(Error::refused(format!(
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
            Ok(Some(format!("mission {} invoiced", m.id)))
        }
        MissionState::Open => Err(Error::refused(format!(
            "mission {} is still open: close it (fresk mission close {}) before issuing its invoice; nothing was changed",
            m.id, m.id
        ))),
        MissionState::Invoiced | MissionState::Cancelled => Ok(None),
    }
}
