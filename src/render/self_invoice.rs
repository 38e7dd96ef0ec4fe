//! The self-invoice (autofacture): the association writes, in the name and on behalf of a
//! facilitator, the invoice of what a payout pays them (CGI art. 289, I-2).

use super::document::{Cx, Doc, Line, Meta, Missing};
use crate::model::payout::{PayoutLine, SelfInvoice};
use crate::model::person::Mandate;
use crate::model::vat::{self, VatSource};
use crate::model::{Money, Payout};
use crate::workspace::Loaded;

pub fn build(cx: &Cx, payout: &Loaded<Payout>, index: usize) -> Result<Doc, Missing> {
    let mut missing = Missing::default();
    let file = &payout.file;
    let si: &SelfInvoice = &payout.self_invoices[index];
    let who = si.person.as_str();
    let number = si.number.clone();
    let Some(person) = cx.ws.person(who) else {
        missing.add(format!("the facilitator: `{who}` has no file in people/"));
        return Err(missing);
    };
    let pfile = &person.file;
    let Some(billing) = &person.billing else {
        missing.add(format!(
            "the facilitator's billing identity (`billing:` in {pfile}): legal name, address, SIRET, VAT regime and self-billing mandate"
        ));
        return Err(missing);
    };
    let seller = cx.facilitator(billing, pfile, &mut missing);
    let buyer = cx.association(cx.l("buyer"), &mut missing);
    let mandate = billing.mandate.as_ref();
    check_mandate(mandate, si, pfile, &mut missing);

    // The lines: what this payout pays this person.
    let paid: Vec<&PayoutLine> = payout.lines.iter().filter(|l| l.person == who).collect();
    let net = paid.iter().fold(Money::ZERO, |sum, l| sum + l.amount);
    let lines: Vec<Line> = paid.iter().map(|l| line(cx, payout, l)).collect();
    if lines.is_empty() {
        missing.add(format!(
            "lines: {file} has a self-invoice for `{who}` but no line paying them"
        ));
    }
    if net != si.total {
        missing.add(format!(
            "a total that matches its lines: {file} records `total: {}` for {number}, but the lines for `{who}` add up to {net}; correct the total",
            si.total
        ));
    }

    let mut mentions = on_behalf(cx, &seller.name, mandate);
    let source = VatSource::new("billing.vat", pfile.as_str());
    let resolved = vat::resolve(
        paid.iter()
            .map(|l| (l.amount, &billing.vat, source.clone())),
    );
    let mut lines = lines;
    let b = cx.breakdown(resolved, &mut lines, &mut missing);
    let totals = cx.totals(&b, cx.l("amount_due"), &mut mentions);
    let due = si.issued.add_days(i64::from(cx.config.payment_terms_days));
    cx.payment_mentions(si.issued, due, &mut mentions);
    let mut notes = vec![cx.fill(
        "payout_reference",
        &[("payout", &payout.id), ("mission", &payout.mission)],
    )];
    notes.extend(payout.paid.as_ref().map(|paid| cx.paid_note(paid)));
    missing.check()?;
    Ok(Doc {
        kind: "self-invoice",
        title: format!(
            "{} {number} — {}",
            cx.l("self_invoice"),
            cx.l("self_billing")
        ),
        heading: cx.l("self_invoice").to_string(),
        subheading: Some(cx.l("self_billing").to_string()),
        number,
        reference: None,
        meta: vec![
            Meta::new(cx.l("date"), cx.date(si.issued)),
            Meta::new(cx.l("due_date"), cx.date(due)),
            Meta::new(cx.l("mission"), payout.mission.clone()),
        ],
        parties: vec![seller, buyer],
        object: None,
        lines,
        totals,
        net: b.net.to_string(),
        vat: b.tax.to_string(),
        gross: b.gross.to_string(),
        notes,
        mentions,
        acceptance: false,
        bank: None,
    })
}

/// The association may invoice on the facilitator's behalf only under a mandate signed by the
/// day the self-invoice is issued.
fn check_mandate(mandate: Option<&Mandate>, si: &SelfInvoice, pfile: &str, missing: &mut Missing) {
    match mandate {
        None => missing.add(format!(
            "the self-billing mandate (`billing.mandate: {{ signed: YYYY-MM-DD }}` in {pfile}): without a signed mandate the association may not invoice on the facilitator's behalf"
        )),
        Some(m) if si.issued < m.signed => missing.add(format!(
            "a mandate signed before the self-invoice: it was issued on {}, the mandate in {pfile} was signed on {}",
            si.issued, m.signed
        )),
        Some(_) => {}
    }
}

/// One line of the self-invoice: a session facilitated (its offer, date and role), or the
/// coordination of the mission (with the rate per session when it is a round figure).
fn line(cx: &Cx, payout: &Payout, l: &PayoutLine) -> Line {
    let (label, details) = if l.coordination {
        let mut details = Vec::new();
        if let Some(n) = l.sessions.filter(|n| *n > 0) {
            let per = rust_decimal::Decimal::from(n);
            let rate = Money::new(l.amount.0 / per);
            if rate.round() == rate {
                details.push(cx.fill(
                    "coordination_detail",
                    &[("sessions", &n.to_string()), ("rate", &cx.money(rate))],
                ));
            }
        }
        (
            cx.fill("coordination", &[("mission", &payout.mission)]),
            details,
        )
    } else {
        let session = l.session.as_deref().unwrap_or_default();
        let found = cx.ws.sessions.iter().find(|s| s.id == session);
        let offer = found
            .and_then(|s| cx.offer_label(&s.offer))
            .unwrap_or_else(|| session.to_string());
        let mut details = Vec::new();
        if let Some(s) = found {
            details.push(cx.fill(
                "session_line",
                &[("session", session), ("date", &cx.date(s.start.date()))],
            ));
        }
        if let Some(role) = l.role {
            details.push(cx.l(&format!("role_{role}")).to_string());
        }
        (cx.fill("facilitation", &[("offer", &offer)]), details)
    };
    Line {
        label,
        details,
        quantity: "1".into(),
        unit_price: cx.money(l.amount),
        total: cx.money(l.amount),
        amount: l.amount.to_string(),
    }
}

/// "Autofacturation", "Facture émise par … au nom et pour le compte de …", and the days the
/// facilitator has to contest it: the mentions of a self-invoice.
fn on_behalf(cx: &Cx, seller: &str, mandate: Option<&Mandate>) -> Vec<String> {
    let mut mentions = vec![cx.l("self_billing").to_string()];
    if let Some(m) = mandate {
        mentions.push(cx.fill(
            "on_behalf_of",
            &[
                ("buyer", &cx.config.organisation.name),
                ("seller", seller),
                ("mandate", &cx.date(m.signed)),
            ],
        ));
        if let Some(days) = m.contest_days {
            mentions.push(cx.fill("contest", &[("days", &days.to_string())]));
        }
    }
    mentions
}
