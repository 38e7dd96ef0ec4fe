//! `fresk invoice draft` and `fresk invoice credit`: the draft of a closed mission's client
//! invoice (what its sessions delivered), and the draft of a credit note correcting an invoice.

use super::{find_invoice, table};
use crate::commands::Error;
use crate::commands::common::{Cx, find, required, schema_header};
use crate::commands::mutate::Plan;
use crate::model::{InvoiceKind, InvoiceState, Kind, Mission, MissionState, Money, SessionState};
use crate::yaml::edit::scalar;

pub(super) fn draft(
    cx: &mut Cx,
    mission: Option<String>,
    purchase_order: Option<String>,
) -> Result<u8, Error> {
    let mission_id = required(mission, "--mission", "Mission (e.g. M2026-0042)")?;
    let m = find(&cx.ws.missions, &mission_id, "mission", |m| &m.id)?;
    check_draftable(cx, m)?;
    let (lines, rows) = delivered(cx, m);
    if lines.is_empty() {
        return Err(Error::refused(format!(
            "nothing to invoice for mission {}: no order line was delivered; nothing was changed",
            m.id
        )));
    }

    let id = format!("I-{}", m.id);
    let rel = format!("invoices/{:04}/{id}.yaml", cx.today().year());
    if cx.ws.has_id(Kind::Invoice, &id) || cx.root.join(&rel).exists() {
        return Err(Error::refused(format!(
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

/// One client invoice per mission, drafted once the mission is closed.
fn check_draftable(cx: &Cx, m: &Mission) -> Result<(), Error> {
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
        return Err(Error::refused(format!(
            "mission {} already has {what}; one client invoice per mission, nothing was changed",
            m.id
        )));
    }
    match m.state {
        MissionState::Closed => {}
        MissionState::Open => {
            return Err(Error::refused(format!(
                "mission {} is open: the client invoice is drafted once the mission is closed (fresk mission close {}); nothing was changed",
                m.id, m.id
            )));
        }
        MissionState::Invoiced | MissionState::Cancelled => {
            return Err(Error::refused(format!(
                "mission {} is `{}`: only a closed mission gets its client invoice drafted; nothing was changed",
                m.id, m.state
            )));
        }
    }

    Ok(())
}

/// What the mission delivered: a YAML line and its amount per order line invoiced, and a row
/// per order line saying what is invoiced and why. An offer's quantity is its sessions held.
fn delivered(cx: &Cx, m: &Mission) -> (Vec<(String, Money)>, Vec<Vec<String>>) {
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
    (lines, rows)
}

pub(super) fn credit(cx: &mut Cx, id: &str, reason: Option<String>) -> Result<u8, Error> {
    let inv = find_invoice(cx, id)?;
    if inv.kind == InvoiceKind::CreditNote {
        return Err(Error::refused(format!(
            "{} is a credit note: only an invoice is corrected by a credit note; nothing was changed",
            inv.id
        )));
    }
    match inv.state {
        InvoiceState::Draft => {
            return Err(Error::refused(format!(
                "invoice {} is a draft: edit or delete the draft instead of crediting it; nothing was changed",
                inv.id
            )));
        }
        InvoiceState::Cancelled => {
            return Err(Error::refused(format!(
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
        return Err(Error::refused(format!(
            "invoice {} already has a credit-note draft, {} ({}): edit it, or issue it (fresk invoice issue {}); nothing was changed",
            inv.id, p.id, p.file, p.id
        )));
    }
    let rel = format!("invoices/{:04}/{draft_id}.yaml", cx.today().year());
    if cx.ws.has_id(Kind::Invoice, &draft_id) || cx.root.join(&rel).exists() {
        return Err(Error::refused(format!(
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
