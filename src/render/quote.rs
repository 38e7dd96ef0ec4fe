//! The quote (devis) sent to a client: from a request's `quote:` once it has a number.

use super::document::{Cx, Doc, Meta, Missing};
use crate::model::Request;
use crate::model::request::{Need, Quote};
use crate::model::vat::{self, VatSource};
use crate::model::{Contact, Money, VatRegime};
use crate::workspace::Loaded;

pub fn build(cx: &Cx, request: &Loaded<Request>) -> Result<Doc, Missing> {
    let mut missing = Missing::default();
    let file = &request.file;
    let Some(quote) = &request.quote else {
        missing.add(format!(
            "the quote itself: {file} has no `quote:` yet; write it with `fresk request quote {} --line OFFER:QTY`",
            request.id
        ));
        return Err(missing);
    };
    let number = missing
        .need(
            quote.number.as_deref(),
            &format!(
                "the quote number (`quote.number` in {file}); numbers are assigned on main by `fresk request quote {}`",
                request.id
            ),
        )
        .unwrap_or_default()
        .to_string();
    let meta = meta(cx, request, quote, &mut missing);
    let issuer = cx.association(cx.l("issuer"), &mut missing);
    let mut client = cx.client(&request.organisation, &mut missing, false);
    if let (Some(client), Some(contact)) = (&mut client, &request.contact) {
        client.contact = Some(attention_of(cx, contact));
    }

    let fields = quote.lines.iter().map(|l| {
        (
            l.offer.as_deref(),
            l.label.as_deref(),
            l.quantity,
            l.unit_price,
        )
    });
    let priced = cx.priced_lines(fields, ("quote.lines", file), &mut missing, |_| Vec::new());
    let sells_training = priced.sells_training;
    let mut lines = priced.lines;

    // Each line's VAT: its offer's, else the association's.
    let org = &cx.config.organisation.vat;
    let own = VatSource::new("organisation.vat", "fresk.yaml");
    let resolved = vat::resolve(quote.lines.iter().map(|l| {
        let offer = l.offer.as_deref().and_then(|o| cx.config.offer(o));
        let net = l
            .unit_price_in(Some(cx.config))
            .unwrap_or(Money::ZERO)
            .times(l.quantity.0)
            .round();
        match offer.and_then(|o| o.vat.as_ref().map(|v| (o, v))) {
            Some((o, v)) => (
                net,
                v,
                VatSource::new(format!("catalogue.{}.vat", o.id), "fresk.yaml"),
            ),
            None => (net, org, own.clone()),
        }
    }));
    let b = cx.breakdown(resolved, &mut lines, &mut missing);
    let mut mentions = Vec::new();
    let grand = if b.groups.iter().any(|g| g.regime == VatRegime::Standard) {
        cx.l("total_gross")
    } else {
        cx.l("total")
    };
    let totals = cx.totals(&b, grand, &mut mentions);
    if let Some(d) = quote.valid_until {
        mentions.push(cx.fill("quote_validity", &[("date", &cx.date(d))]));
    }
    mentions.push(cx.fill(
        "quote_payment",
        &[("days", &cx.config.payment_terms_days.to_string())],
    ));
    cx.training_mention(sells_training, &mut missing, &mut mentions);

    let object = request.need.as_ref().map(|n| n.summary.clone());
    let notes = request
        .need
        .as_ref()
        .map_or_else(Vec::new, |need| need_notes(cx, need));
    missing.check()?;
    Ok(Doc {
        kind: "quote",
        title: format!("{} {number}", cx.l("quote")),
        heading: cx.l("quote").to_string(),
        subheading: None,
        number,
        reference: None,
        meta,
        parties: std::iter::once(issuer).chain(client).collect(),
        object,
        lines,
        totals,
        net: b.net.to_string(),
        vat: b.tax.to_string(),
        gross: b.gross.to_string(),
        notes,
        mentions,
        acceptance: true,
        bank: None,
    })
}

/// The heading block: date, validity, request.
fn meta(cx: &Cx, request: &Loaded<Request>, quote: &Quote, missing: &mut Missing) -> Vec<Meta> {
    let file = &request.file;
    let mut meta = Vec::new();
    match quote.sent {
        Some(d) => meta.push(Meta::new(cx.l("date"), cx.date(d))),
        None => missing.add(format!("the quote date (`quote.sent` in {file})")),
    }
    match quote.valid_until {
        Some(d) => meta.push(Meta::new(cx.l("valid_until"), cx.date(d))),
        None => missing.add(format!("the validity date (`quote.valid_until` in {file})")),
    }
    meta.push(Meta::new(cx.l("request"), request.id.clone()));
    meta
}

/// "À l'attention de Nadia Cherif, Responsable RSE".
fn attention_of(cx: &Cx, contact: &Contact) -> String {
    let mut who = contact.name.clone();
    if let Some(role) = contact.role.as_deref().filter(|r| !r.trim().is_empty()) {
        who = format!("{who}, {}", role.trim());
    }
    format!("{} {who}", cx.l("contact"))
}

/// What the client told of their need: participants, place, wished dates.
fn need_notes(cx: &Cx, need: &Need) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(p) = need.participants {
        notes.push(format!("{}{}{p}", cx.l("participants"), sep(cx)));
    }
    if let Some(loc) = need.location.as_deref().filter(|l| !l.trim().is_empty()) {
        notes.push(format!("{}{}{}", cx.l("location"), sep(cx), loc.trim()));
    }
    if !need.wished_dates.is_empty() {
        let dates: Vec<String> = need.wished_dates.iter().map(|d| cx.date(*d)).collect();
        notes.push(format!(
            "{}{}{}",
            cx.l("wished_dates"),
            sep(cx),
            dates.join(", ")
        ));
    }
    notes
}

/// ` : ` in French typography, `: ` in English.
pub fn sep(cx: &Cx) -> &'static str {
    match cx.style {
        super::format::Style::French => "\u{a0}: ",
        super::format::Style::English => ": ",
    }
}
