//! The self-billing mandate: the association may issue a self-invoice in a facilitator's name only
//! under a mandate signed beforehand, and only for a facilitator based in France.

use crate::diagnostics::{At, Finding};
use crate::model::{PayoutState, Person};
use crate::rules::Context;
use crate::workspace::Workspace;

/// Why the association may not self-bill a person.
fn not_self_billable(p: &Person) -> Option<String> {
    let id = &p.id;
    let cannot = "the association cannot self-bill them: they must send their own invoice";
    match &p.billing {
        None => Some(format!(
            "`{id}` has no `billing` details and no self-billing mandate, so {cannot} (or add `billing:` with a signed `mandate:` to people/{id}.yaml)"
        )),
        Some(b) if !b.country.trim().eq_ignore_ascii_case("FR") => Some(format!(
            "`{id}` is based outside France (`billing.country: {}`), so {cannot}; pay this line against their invoice, outside self-billing",
            b.country
        )),
        Some(b) if b.mandate.is_none() => Some(format!(
            "`{id}` has not signed a self-billing mandate (`billing.mandate` is absent), so {cannot} — or record the signed mandate (`mandate: {{ signed: YYYY-MM-DD }}`) in people/{id}.yaml"
        )),
        Some(_) => None,
    }
}

pub(super) fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for p in &ws.payouts {
        if p.state == PayoutState::Rejected {
            continue;
        }
        let mut flagged: Vec<&str> = Vec::new();
        for (i, line) in p.lines.iter().enumerate() {
            let id = line.person.as_str();
            if flagged.contains(&id) {
                continue;
            }
            let Some(person) = cx.people.get(id) else {
                continue;
            };
            if let Some(why) = not_self_billable(person) {
                flagged.push(id);
                out.push(Finding::new(
                    &super::MISSING_MANDATE,
                    &p.file,
                    At::value(&format!("lines[{i}].person")),
                    why,
                ));
            }
        }
        for (i, si) in p.self_invoices.iter().enumerate() {
            let id = si.person.as_str();
            let Some(person) = cx.people.get(id) else {
                continue;
            };
            if let Some(why) = not_self_billable(person) {
                if !flagged.contains(&id) {
                    flagged.push(id);
                    out.push(Finding::new(
                        &super::MISSING_MANDATE,
                        &p.file,
                        At::value(&format!("self_invoices[{i}].person")),
                        why,
                    ));
                }
                continue;
            }
            if let Some(m) = person.billing.as_ref().and_then(|b| b.mandate.as_ref())
                && si.issued < m.signed
            {
                out.push(Finding::new(
                    &super::MISSING_MANDATE,
                    &p.file,
                    At::value(&format!("self_invoices[{i}].issued")),
                    format!(
                        "self-invoice `{}` was issued on {}, before `{id}` signed the self-billing mandate ({}): a self-invoice is only valid under a mandate signed beforehand; if the mandate date in people/{id}.yaml is right, cancel this self-invoice and have the facilitator invoice it",
                        si.number, si.issued, m.signed
                    ),
                ));
            }
        }
    }
}
