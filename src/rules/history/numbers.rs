//! `number-on-branch`: legal numbers are assigned on the main branch only, after the merge, so that
//! every series stays gapless.

use super::Compare;
use crate::diagnostics::{At, Finding};
use crate::lifecycle;
use crate::model::{Invoice, Payout, Request};
use std::collections::HashSet;

/// Legal numbers a record carries, with the route of each.
fn request_numbers(r: &Request) -> Vec<(String, String)> {
    r.quote
        .as_ref()
        .and_then(|q| q.number.clone())
        .map(|n| vec![(n, "quote.number".to_string())])
        .unwrap_or_default()
}

fn invoice_numbers(i: &Invoice) -> Vec<(String, String)> {
    if lifecycle::invoice_is_numbered(i.state) {
        vec![(i.id.clone(), "id".to_string())]
    } else {
        Vec::new()
    }
}

fn payout_numbers(p: &Payout) -> Vec<(String, String)> {
    p.self_invoices
        .iter()
        .enumerate()
        .map(|(i, s)| (s.number.clone(), format!("self_invoices[{i}].number")))
        .collect()
}

pub(super) fn numbers_on_branch(cmp: &Compare, out: &mut Vec<Finding>) {
    let (w, b) = (cmp.work, cmp.base);
    let mut base: HashSet<String> = HashSet::new();
    for r in cmp.base_view(&w.requests, &b.requests) {
        base.extend(request_numbers(r).into_iter().map(|(n, _)| n));
    }
    for i in cmp.base_view(&w.invoices, &b.invoices) {
        base.extend(invoice_numbers(i).into_iter().map(|(n, _)| n));
    }
    for p in cmp.base_view(&w.payouts, &b.payouts) {
        base.extend(payout_numbers(p).into_iter().map(|(n, _)| n));
    }
    let place = match cmp.branch {
        Some(branch) => format!("on branch `{branch}`"),
        None => "off a branch (a detached HEAD, as in a pull-request checkout)".to_string(),
    };
    let main = cmp.main_branch;
    let mut flag = |file: &str, numbers: Vec<(String, String)>, command: &str| {
        if cmp.base_unreadable(file) {
            return;
        }
        for (number, route) in numbers {
            if !base.contains(&number) {
                out.push(Finding::new(
                    &super::NUMBER_ON_BRANCH,
                    file,
                    At::value(&route),
                    format!("number `{number}` is assigned {place}; legal numbers are assigned only on `{main}`, after the merge, so that series stay gapless — remove it and let staff run `{command}` on `{main}`"),
                ));
            }
        }
    };
    for r in w.requests.iter().filter(|r| cmp.is_changed(&r.file)) {
        flag(&r.file, request_numbers(r), "fresk request quote");
    }
    for i in w.invoices.iter().filter(|i| cmp.is_changed(&i.file)) {
        flag(&i.file, invoice_numbers(i), "fresk invoice issue");
    }
    for p in w.payouts.iter().filter(|p| cmp.is_changed(&p.file)) {
        flag(&p.file, payout_numbers(p), "fresk payout invoice");
    }
}
