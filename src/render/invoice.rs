//! The client invoice and the credit note (avoir) that corrects one.

use super::document::{Cx, Doc, Meta, Missing};
use super::quote::sep;
use crate::model::{Invoice, InvoiceKind, InvoiceState, Money, SessionState};
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
    let mut meta = vec![];
    let issued = inv.issued;
    match issued {
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

    let issuer = cx.association(cx.l("issuer"), &mut missing);
    let client = cx.client(&inv.organisation, &mut missing, true);

    let mut lines = Vec::new();
    let mut net = Money::ZERO;
    let mut sells_training = false;
    if inv.lines.is_empty() {
        missing.add(format!("at least one line (`lines` in {file})"));
    }
    for (i, l) in inv.lines.iter().enumerate() {
        let route = format!("`lines[{i}]` in {file}");
        let fields = (
            l.offer.as_deref(),
            l.label.as_deref(),
            l.quantity,
            l.unit_price,
        );
        let Some((mut line, total, training)) = cx.priced_line(fields, i + 1, &route, &mut missing)
        else {
            continue;
        };
        net += total;
        sells_training |= training;
        let mut details = Vec::new();
        if !credit && let (Some(mission), Some(offer)) = (&inv.mission, &l.offer) {
            let mut dates: Vec<_> = cx
                .ws
                .sessions
                .iter()
                .filter(|s| {
                    &s.mission == mission && &s.offer == offer && s.state == SessionState::Held
                })
                .map(|s| s.start.date())
                .collect();
            dates.sort();
            if !dates.is_empty() {
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
                details.push(format!(
                    "{}{}{}",
                    cx.l("sessions"),
                    sep(cx),
                    dates.join(", ")
                ));
            }
        }
        line.details = details;
        lines.push(line);
    }

    let mut mentions = Vec::new();
    let mut notes = Vec::new();
    let mut reference = None;
    if credit {
        match inv.corrects.as_deref() {
            Some(corrected) => match cx.ws.invoices.iter().find(|i| i.id == corrected) {
                Some(original) => {
                    let date = original.issued.map(|d| cx.date(d)).unwrap_or_default();
                    reference = Some(cx.fill("corrects", &[("number", corrected), ("date", &date)]));
                }
                None => missing.add(format!(
                    "the invoice it corrects: `corrects: {corrected}` in {file} names no invoice in invoices/"
                )),
            },
            None => missing.add(format!(
                "the number of the invoice it corrects (`corrects` in {file})"
            )),
        }
        if let Some(reason) = inv.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            notes.push(format!("{}{}{}", cx.l("reason"), sep(cx), reason.trim()));
        }
    }
    let grand = if credit {
        cx.l("credit_total")
    } else {
        cx.l("amount_due")
    };
    let (totals, tax, gross) = cx.totals(
        net,
        &cx.config.organisation.vat,
        "organisation.vat in fresk.yaml",
        grand,
        &mut missing,
        &mut mentions,
    );
    if !credit && let (Some(issued), Some(due)) = (issued, inv.due) {
        cx.payment_mentions(issued, due, &mut mentions);
    }
    if let Some(paid) = &inv.paid
        && !credit
    {
        notes.push(cx.fill(
            "paid_on",
            &[
                ("date", &cx.date(paid.date)),
                ("reference", paid.reference.as_deref().unwrap_or("—")),
            ],
        ));
    }
    cx.training_mention(sells_training, &mut missing, &mut mentions);
    if !missing.0.is_empty() {
        return Err(missing);
    }
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
        net: net.to_string(),
        vat: tax.to_string(),
        gross: gross.to_string(),
        notes,
        mentions,
        acceptance: false,
    })
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
