//! What was ordered: a mission's order against its accepted quote, and prices against the
//! catalogue.

use crate::HashMap;
use crate::diagnostics::{At, Finding};
use crate::model::Mission;
use crate::model::mission::OrderLine;
use crate::model::request::{Quote, QuoteLine};
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};
use rust_decimal::Decimal;
use std::collections::VecDeque;

// --- order-mismatch -----------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LineKey<'a> {
    Offer(&'a str),
    Label(&'a str),
}

impl LineKey<'_> {
    fn describe(self) -> String {
        match self {
            LineKey::Offer(o) => format!("offer `{o}`"),
            LineKey::Label(l) => format!("free line `{l}`"),
        }
    }
}

fn quote_key(l: &QuoteLine) -> Option<LineKey<'_>> {
    match (&l.offer, &l.label) {
        (Some(o), _) => Some(LineKey::Offer(o)),
        (None, Some(label)) => Some(LineKey::Label(label)),
        _ => None,
    }
}

fn order_key(l: &OrderLine) -> Option<LineKey<'_>> {
    match (&l.offer, &l.label) {
        (Some(o), _) => Some(LineKey::Offer(o)),
        (None, Some(label)) => Some(LineKey::Label(label)),
        _ => None,
    }
}

pub(super) fn orders(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    // Quote lines priced away from the catalogue.
    if let Some(config) = cx.config {
        for r in &ws.requests {
            let Some(quote) = &r.quote else { continue };
            for (i, line) in quote.lines.iter().enumerate() {
                let (Some(offer), Some(price)) = (&line.offer, line.unit_price) else {
                    continue;
                };
                let Some(catalogue) = config.offer(offer) else {
                    continue;
                };
                if price != catalogue.unit_price && line.override_reason.is_none() {
                    out.push(Finding::new(
                        &super::ORDER_MISMATCH,
                        &r.file,
                        At::value(&format!("quote.lines[{i}].unit_price")),
                        format!(
                            "unit price {price} differs from the catalogue price {} of `{offer}`; remove `unit_price` to use the catalogue's, or add `override_reason:` saying why this client pays another price",
                            catalogue.unit_price
                        ),
                    ));
                }
            }
        }
    }
    for m in &ws.missions {
        // An unknown request is reported by the references rules.
        let Some(request) = cx.requests.get(m.request.as_str()) else {
            continue;
        };
        match &request.quote {
            Some(quote) => order_vs_quote(cx, m, &request.file, quote, out),
            None => order_vs_catalogue(cx, m, out),
        }
    }
}

fn order_vs_quote(
    cx: &Context,
    m: &Loaded<Mission>,
    request_file: &str,
    quote: &Quote,
    out: &mut Vec<Finding>,
) {
    let name = quote.number.as_deref().map_or_else(
        || format!("the quote of {}", m.request),
        |n| format!("quote {n}"),
    );
    let mut pending: HashMap<LineKey, VecDeque<usize>> = HashMap::default();
    for (j, line) in quote.lines.iter().enumerate() {
        if let Some(key) = quote_key(line) {
            pending.entry(key).or_default().push_back(j);
        }
    }
    for (i, line) in m.order.iter().enumerate() {
        let Some(key) = order_key(line) else { continue };
        let Some(j) = pending.get_mut(&key).and_then(VecDeque::pop_front) else {
            let route = match key {
                LineKey::Offer(_) => format!("order[{i}].offer"),
                LineKey::Label(_) => format!("order[{i}].label"),
            };
            out.push(Finding::new(
                &super::ORDER_MISMATCH,
                &m.file,
                At::value(&route),
                format!(
                    "{} is in the order but not in the accepted {name} ({request_file}); the order is copied from the quote: remove this line, or amend the quote first",
                    key.describe()
                ),
            ));
            continue;
        };
        let q = &quote.lines[j];
        if q.quantity.0 != Decimal::from(line.quantity) {
            out.push(Finding::new(
                &super::ORDER_MISMATCH,
                &m.file,
                At::value(&format!("order[{i}].quantity")),
                format!(
                    "the order has {} × {} but the accepted {name} has {} (quote.lines[{j}] in {request_file}); copy the quantity from the quote",
                    line.quantity,
                    key.describe(),
                    q.quantity
                ),
            ));
        }
        let quoted = q.unit_price.or_else(|| {
            q.offer
                .as_deref()
                .and_then(|o| cx.config?.offer(o))
                .map(|o| o.unit_price)
        });
        if let Some(quoted) = quoted
            && quoted != line.unit_price
        {
            let source = if q.unit_price.is_some() {
                "quoted"
            } else {
                "the catalogue price the quote uses"
            };
            out.push(Finding::new(
                &super::ORDER_MISMATCH,
                &m.file,
                At::value(&format!("order[{i}].unit_price")),
                format!(
                    "unit price {} of {} differs from {quoted}, {source} in the accepted {name} (quote.lines[{j}] in {request_file}); copy the unit price from the quote",
                    line.unit_price,
                    key.describe()
                ),
            ));
        }
    }
    let mut missing: Vec<usize> = pending.into_values().flatten().collect();
    missing.sort_unstable();
    for j in missing {
        let q = &quote.lines[j];
        let Some(key) = quote_key(q) else { continue };
        out.push(Finding::new(
            &super::ORDER_MISMATCH,
            &m.file,
            At::key("order"),
            format!(
                "the accepted {name} has {} × {} (quote.lines[{j}] in {request_file}) but the order has no such line; copy it into `order`",
                q.quantity,
                key.describe()
            ),
        ));
    }
}

fn order_vs_catalogue(cx: &Context, m: &Loaded<Mission>, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    for (i, line) in m.order.iter().enumerate() {
        let Some(offer) = line.offer.as_deref().and_then(|o| config.offer(o)) else {
            continue;
        };
        if offer.unit_price != line.unit_price {
            out.push(Finding::new(
                &super::ORDER_MISMATCH,
                &m.file,
                At::value(&format!("order[{i}].unit_price")),
                format!(
                    "unit price {} differs from the catalogue price {} of `{}`, and request {} has no quote to justify it; use the catalogue price, or record the agreed price (with `override_reason`) in the request's quote",
                    line.unit_price, offer.unit_price, offer.id, m.request
                ),
            ));
        }
    }
}
