//! The client invoice and the credit note (avoir) that corrects one.

use super::document::{Cx, Doc, Meta, Missing};
use super::quote::sep;
use crate::model::{Invoice, InvoiceKind, InvoiceState, SessionState};
use crate::workspace::Loaded;

pub fn build(cx: &Cx, inv: &Loaded<Invoice>) -> Result<Doc, Missing> {
    let mut missing = Missing::default();
    let file = &inv.file;
    let credit = inv.kind == InvoiceKind::CreditNote;
    if inv.state == InvoiceState::Draft {
        missing.add(format!(
            "a number: {} is a draft, and a draft has no legal number yet; issue it on main with `fresk invoice issue {}`",
            inv.id, inv.id
        ));
        return Err(missing);
    }
    let number = inv.id.clone();
    let meta = meta(cx, inv, credit, &mut missing);
    let issuer = cx.association(cx.l("issuer"), &mut missing);
    let client = cx.client(&inv.organisation, &mut missing, true);
    let fields = inv.lines.iter().map(|l| {
        (
            l.offer.as_deref(),
            l.label.as_deref(),
            l.quantity,
            l.unit_price,
        )
    });
    let priced = cx.priced_lines(fields, ("lines", file), &mut missing, |i| {
        // A credit note corrects amounts; the sessions are on the invoice.
        match (credit, &inv.mission, &inv.lines[i].offer) {
            (false, Some(mission), Some(offer)) => session_dates(cx, mission, offer),
            _ => Vec::new(),
        }
    });

    let mut mentions = Vec::new();
    let mut notes = Vec::new();
    let mut reference = None;
    if credit {
        reference = corrected(cx, inv, &mut missing);
        if let Some(reason) = inv.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            notes.push(format!("{}{}{}", cx.l("reason"), sep(cx), reason.trim()));
        }
    }
    let grand = if credit {
        cx.l("credit_total")
    } else {
        cx.l("amount_due")
    };
    let mut lines = priced.lines;
    let resolved = inv.breakdown(cx.config, is_fee_invoice(cx, &inv.id), file);
    let b = cx.breakdown(resolved, &mut lines, &mut missing);
    let totals = cx.totals(&b, grand, &mut mentions);
    if !credit && let (Some(issued), Some(due)) = (inv.issued, inv.due) {
        cx.payment_mentions(issued, due, &mut mentions);
    }
    if let Some(paid) = &inv.paid
        && !credit
    {
        notes.push(cx.paid_note(paid));
    }
    cx.training_mention(priced.sells_training, &mut missing, &mut mentions);
    missing.check()?;
    let heading = if credit {
        cx.l("credit_note")
    } else {
        cx.l("invoice")
    };
    Ok(Doc {
        kind: if credit { "credit-note" } else { "invoice" },
        title: format!("{heading} {number}"),
        heading: heading.to_string(),
        subheading: None,
        number,
        reference,
        meta,
        parties: std::iter::once(issuer).chain(client).collect(),
        object: object(cx, inv),
        lines,
        totals,
        net: b.net.to_string(),
        vat: b.tax.to_string(),
        gross: b.gross.to_string(),
        notes,
        mentions,
        acceptance: false,
        // Paid by transfer (the payment terms say so): to the association's account.
        bank: if credit { None } else { cx.bank_block(&inv.id) },
    })
}

/// Whether `id` is a usage-rights fee invoice: a declaration names it.
pub fn is_fee_invoice(cx: &Cx, id: &str) -> bool {
    crate::model::declaration::bills_fees(&cx.ws.declarations, id)
}

/// The heading block: date of issue, due date (not on a credit note), purchase order, mission.
fn meta(cx: &Cx, inv: &Loaded<Invoice>, credit: bool, missing: &mut Missing) -> Vec<Meta> {
    let file = &inv.file;
    let mut meta = vec![];
    match inv.issued {
        Some(d) => meta.push(Meta::new(cx.l("date"), cx.date(d))),
        None => missing.add(format!("the date of issue (`issued` in {file})")),
    }
    if !credit {
        match inv.due {
            Some(d) => meta.push(Meta::new(cx.l("due_date"), cx.date(d))),
            None => missing.add(format!("the due date (`due` in {file}), a date")),
        }
    }
    if let Some(po) = inv
        .purchase_order
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        meta.push(Meta::new(cx.l("purchase_order"), po.trim()));
    }
    if let Some(m) = &inv.mission {
        meta.push(Meta::new(cx.l("mission"), m.clone()));
    }
    meta
}

/// "Sessions : 10/03/2026 ×2, 17/03/2026": the held sessions of `offer` in `mission`, under
/// its invoice line (nothing when there are none).
fn session_dates(cx: &Cx, mission: &str, offer: &str) -> Vec<String> {
    let mut dates: Vec<_> = cx
        .ws
        .sessions
        .iter()
        .filter(|s| s.mission == mission && s.offer == offer && s.state == SessionState::Held)
        .map(|s| s.start.date())
        .collect();
    if dates.is_empty() {
        return Vec::new();
    }
    dates.sort();
    // Two sessions on one day (morning and afternoon) print as `10/03/2026 ×2`.
    let mut days: Vec<(crate::model::Date, usize)> = Vec::new();
    for d in dates {
        match days.last_mut() {
            Some((last, n)) if *last == d => *n += 1,
            _ => days.push((d, 1)),
        }
    }
    let dates: Vec<String> = days
        .into_iter()
        .map(|(d, n)| match n {
            1 => cx.date(d),
            n => format!("{} ×{n}", cx.date(d)),
        })
        .collect();
    vec![format!(
        "{}{}{}",
        cx.l("sessions"),
        sep(cx),
        dates.join(", ")
    )]
}

/// "Avoir sur la facture … du …": the invoice a credit note corrects; what is missing to name
/// it goes to `missing`.
fn corrected(cx: &Cx, inv: &Loaded<Invoice>, missing: &mut Missing) -> Option<String> {
    let file = &inv.file;
    let Some(corrected) = inv.corrects.as_deref() else {
        missing.add(format!(
            "the number of the invoice it corrects (`corrects` in {file})"
        ));
        return None;
    };
    let Some(original) = cx.ws.invoices.iter().find(|i| i.id == corrected) else {
        missing.add(format!(
            "the invoice it corrects: `corrects: {corrected}` in {file} names no invoice in invoices/"
        ));
        return None;
    };
    let date = original.issued.map(|d| cx.date(d)).unwrap_or_default();
    Some(cx.fill("corrects", &[("number", corrected), ("date", &date)]))
}

/// The subject of a mission's invoice: what the client asked for.
fn object(cx: &Cx, inv: &Invoice) -> Option<String> {
    let mission = cx
        .ws
        .missions
        .iter()
        .find(|m| Some(&m.id) == inv.mission.as_ref())?;
    let request = cx.ws.requests.iter().find(|r| r.id == mission.request)?;
    request.need.as_ref().map(|n| n.summary.clone())
}
