//! Usage-rights fees (client introduction): the fee is the configured percentage of the revenue
//! declared, and each declared revenue is billed once.

use crate::HashMap;
use crate::diagnostics::{At, Finding};
use crate::model::Money;
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};
use rust_decimal::Decimal;

// --- fee-not-invoiced ---------------------------------------------------------------------

/// Days after the end of its month a declared fee may wait for an invoice.
const FEE_WAIT_DAYS: i64 = 180;

pub(super) fn not_invoiced(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let declared: Vec<_> = ws
        .declarations
        .iter()
        .filter(|d| d.state == crate::model::DeclarationState::Declared)
        .collect();
    if declared.is_empty() {
        return;
    }
    let today = cx.today();
    for d in declared {
        let (y, m) = (d.period.year, d.period.month);
        let next = if m == 12 {
            chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            chrono::NaiveDate::from_ymd_opt(y, m + 1, 1)
        };
        let Some(next) = next else { continue };
        let end = crate::model::Date(next).add_days(-1);
        let waited = (today.0 - end.0).num_days();
        if waited > FEE_WAIT_DAYS {
            out.push(Finding::new(
                &super::FEE_NOT_INVOICED,
                &d.file,
                At::value("state"),
                format!(
                    "the fee of {} declared for {} by `{}` is still not invoiced, {waited} days after the end of that month: invoice it with their other declared fees (fresk report activity lists them), even under usage_rights.min_invoice",
                    d.fee, d.period, d.person
                ),
            ));
        }
    }
}

// --- fee-amount ---------------------------------------------------------------------------

pub(super) fn fees(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(rights) = cx.config.and_then(|c| c.usage_rights.as_ref()) else {
        return;
    };
    for d in &ws.declarations {
        if d.override_reason.is_some() {
            continue;
        }
        let Some(expected) = d
            .revenue
            .0
            .checked_mul(rights.percent.0)
            .and_then(|x| x.checked_div(Decimal::from(100)))
            .map(|x| Money(x).round())
        else {
            continue;
        };
        if d.fee != expected {
            out.push(Finding::new(
                &super::FEE_AMOUNT,
                &d.file,
                At::value("fee"),
                format!(
                    "fee {} is not {}% of the revenue {}: expected {expected} (usage_rights.percent in fresk.yaml); write {expected}, or add `override_reason:` saying why",
                    d.fee, rights.percent, d.revenue
                ),
            ));
        }
    }
}

// --- fee-invoiced-twice --------------------------------------------------------------------

/// A usage-rights fee is billed once: one declaration per request, person and month (`fresk
/// declaration new` refuses a second — two declare the same revenue, and its fee is invoiced
/// twice), and one fee invoice per declaration (its `invoice:`; a fee invoice names the
/// declarations it bills on its lines, as the example's does).
pub(super) fn declared_once(ws: &Workspace, out: &mut Vec<Finding>) {
    use crate::model::Declaration;
    let mut seen: HashMap<(&str, &str, crate::model::YearMonth), &Loaded<Declaration>> =
        HashMap::default();
    let mut sorted: Vec<&Loaded<Declaration>> = ws.declarations.iter().collect();
    sorted.sort_by(|a, b| (a.period, &a.file).cmp(&(b.period, &b.file)));
    for d in sorted {
        let key = (d.request.as_str(), d.person.as_str(), d.period);
        let Some(first) = seen.get(&key) else {
            seen.insert(key, d);
            continue;
        };
        let invoiced = |x: &Loaded<Declaration>| {
            x.invoice
                .as_deref()
                .map_or_else(String::new, |n| format!(", invoiced by {n}"))
        };
        out.push(Finding::new(
            &super::FEE_INVOICED_TWICE,
            &d.file,
            At::value("period"),
            format!(
                "{} declares {}'s revenue of {} on {} a second time: {} ({}{}) already declares it{}, so its usage-rights fee is invoiced twice; merge the two into {} and delete this one (if this one is invoiced, cancel its fee invoice with a credit note)",
                d.id,
                d.person,
                d.period,
                d.request,
                first.id,
                first.file,
                invoiced(first),
                if d.invoice.is_some() {
                    format!(" and this one is too{}", invoiced(d))
                } else {
                    String::new()
                },
                first.id
            ),
        ));
    }
    billed_once(ws, out);
}

/// A declaration named on the lines of an invoice other than its own `invoice:` (or, before it
/// has one, of two invoices): its fee is billed twice.
fn billed_once(ws: &Workspace, out: &mut Vec<Finding>) {
    use crate::model::{InvoiceKind, InvoiceState};
    if ws.declarations.is_empty() {
        return;
    }
    let declarations: HashMap<&str, &Loaded<crate::model::Declaration>> =
        ws.declarations.iter().map(|d| (d.id.as_str(), d)).collect();
    // Declaration id → the first invoice line naming it.
    let mut billed: HashMap<&str, (&str, &str)> = HashMap::default();
    let mut invoices: Vec<_> = ws
        .invoices
        .iter()
        .filter(|i| i.kind == InvoiceKind::Invoice && i.state != InvoiceState::Cancelled)
        .collect();
    invoices.sort_by(|a, b| (a.issued, &a.file).cmp(&(b.issued, &b.file)));
    for inv in invoices {
        for (i, line) in inv.lines.iter().enumerate() {
            let Some(label) = line.label.as_deref() else {
                continue;
            };
            let named = label
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .filter_map(|w| declarations.get_key_value(w));
            for (&id, d) in named {
                // The declaration's own `invoice:` is the one that stands; without it, the
                // first invoice naming it.
                let other = match (d.invoice.as_deref(), billed.get(id)) {
                    (Some(own), _) if own != inv.id => Some(format!(
                        "its fee is billed by {own} (`invoice:` in {})",
                        d.file
                    )),
                    (None, Some((number, file))) if *number != inv.id => {
                        Some(format!("invoice {number} ({file}) already bills it"))
                    }
                    _ => None,
                };
                billed
                    .entry(id)
                    .or_insert((inv.id.as_str(), inv.file.as_str()));
                if let Some(other) = other {
                    out.push(Finding::new(
                        &super::FEE_INVOICED_TWICE,
                        &inv.file,
                        At::value(&format!("lines[{i}].label")),
                        format!(
                            "this line bills the usage-rights fee of declaration {id} ({}) a second time: {other}; remove the line (or, if {} is issued, correct it with a credit note)",
                            d.file, inv.id
                        ),
                    ));
                }
            }
        }
    }
}
