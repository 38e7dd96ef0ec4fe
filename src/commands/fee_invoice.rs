//! `fresk declaration invoice`: on main, the usage-rights fee invoice of a facilitator — their
//! declared fees, oldest first, grouped until `usage_rights.min_invoice` is reached (no invoice
//! below it), issued in the association's invoice series with the VAT treatment of fees
//! (`usage_rights.vat`: a fee is not training); the declarations become `invoiced`.

use super::Error;
use super::common::{Cx, date_or_today, edit_error, find, find_person, schema_header};
use super::invoice::issue::{next_number, series};
use super::mutate::Plan;
use crate::model::{Declaration, DeclarationState, InvoiceKind, Kind, Money, Vat, VatRegime};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};

pub fn invoice(
    cx: &mut Cx,
    person: &str,
    organisation: Option<&str>,
    date: Option<&str>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let rights = config.usage_rights.as_ref().ok_or_else(|| {
        Error::io("fresk.yaml has no `usage_rights`: there are no fees to invoice".into())
    })?;
    let person = find_person(cx, person)?;
    let mut declared: Vec<&Loaded<Declaration>> = cx
        .ws
        .declarations
        .iter()
        .filter(|d| d.person == person.id && d.state == DeclarationState::Declared)
        .collect();
    declared.sort_by(|a, b| (a.period, &a.id).cmp(&(b.period, &b.id)));
    if declared.is_empty() {
        return Err(Error::refused(format!(
            "`{}` has no declared fee waiting for an invoice",
            person.id
        )));
    }
    let mut group = Vec::new();
    let mut total = Money::ZERO;
    for d in &declared {
        group.push(*d);
        total += d.fee;
        if total >= rights.min_invoice {
            break;
        }
    }
    if total < rights.min_invoice {
        return Err(Error::refused(format!(
            "`{}`'s declared fees ({}) total {total}, under usage_rights.min_invoice {}: no fee invoice is issued below it; they wait for the next declarations (lint warns after 180 days: fee-not-invoiced)",
            person.id,
            ids(&group),
            rights.min_invoice
        )));
    }
    let org = client(cx, &person.id, organisation)?;
    let vat = fee_vat(config, rights.vat.as_ref())?;
    let date = date_or_today(cx, date, "--date")?;
    if let Some(late) = group.iter().find(|d| month_end(d) > date) {
        return Err(Error::refused(format!(
            "--date {date} is before the end of {}, the month {} declares: a fee is invoiced once its month is over; nothing was invoiced",
            late.period, late.id
        )));
    }
    let pattern = series(config, InvoiceKind::Invoice)?;
    let number = next_number(cx, InvoiceKind::Invoice, &pattern, date)?;
    let rel = format!("invoices/{:04}/{number}.yaml", date.year());
    if cx.ws.has_id(Kind::Invoice, &number) || cx.root.join(&rel).exists() {
        return Err(Error::refused(format!(
            "the next number of the series, {number}, is already the id of a file ({rel} or another): fix that file first (fresk lint); nothing was invoiced"
        )));
    }
    let due = date.add_days(i64::from(config.payment_terms_days));
    let mut text = schema_header(Kind::Invoice, &rel);
    text.push_str(&format!(
        "# Usage-rights fees of {} (fresk declaration invoice).\nid: {}\nkind: invoice\nstate: issued\norganisation: {org}\nissued: {date}\ndue: {due}\nlines:\n",
        person.id,
        scalar(&number)
    ));
    for d in &group {
        let label = format!(
            "Droits d'utilisation, {} (déclaration {}, {} % de {})",
            d.period, d.id, rights.percent, d.revenue
        );
        text.push_str(&format!(
            "  - {{ label: {}, quantity: 1, unit_price: {} }}\n",
            scalar(&label),
            d.fee.to_yaml()
        ));
    }
    text.push_str(&format!("vat: {}\n", vat_yaml(&vat)));
    let mut plan = Plan::new(format!(
        "fee invoice {number} issued on {date} to {org} for {} ({total}, due {due})",
        ids(&group)
    ));
    plan.write(&rel, text);
    for d in &group {
        let mut doc = Document::new(cx.read(&d.file)?);
        let err = edit_error(&d.file);
        doc.set(&Route::parse("state"), "invoiced").map_err(&err)?;
        doc.set(&Route::parse("invoice"), &scalar(&number))
            .map_err(&err)?;
        plan.write(&d.file, doc.into_text());
    }
    cx.apply(&plan)
}

fn ids(group: &[&Loaded<Declaration>]) -> String {
    group
        .iter()
        .map(|d| d.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The last day of a declaration's month.
fn month_end(d: &Declaration) -> crate::model::Date {
    let (y, m) = (d.period.year, d.period.month);
    let next = if m == 12 {
        chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.map_or(crate::model::Date(chrono::NaiveDate::MIN), |n| {
        crate::model::Date(n).add_days(-1)
    })
}

/// The organisation the fee invoice is addressed to: `--organisation`, else the one whose id is
/// the person's (or the person's with `-ei`).
fn client(cx: &Cx, person: &str, given: Option<&str>) -> Result<String, Error> {
    if let Some(id) = given {
        return Ok(find(&cx.ws.organisations, id, "organisation", |o| &o.id)?
            .id
            .clone());
    }
    [person.to_string(), format!("{person}-ei")]
        .into_iter()
        .find(|id| cx.ws.organisations.iter().any(|o| &o.id == id))
        .ok_or_else(|| {
            Error::refused(format!(
                "no organisation to address the fee invoice to: register `{person}`'s business in organisations/ (e.g. organisations/{person}-ei.yaml) or name it with --organisation"
            ))
        })
}

/// The VAT treatment of fee invoices: `usage_rights.vat`, else the association's unless it is
/// an exemption (a training exemption does not cover fees).
fn fee_vat(config: &crate::model::Config, given: Option<&Vat>) -> Result<Vat, Error> {
    match given {
        Some(v) => Ok(v.clone()),
        None if config.organisation.vat.regime != VatRegime::Exempt => {
            Ok(config.organisation.vat.clone())
        }
        None => Err(Error::refused(
            "organisation.vat is an exemption, which covers training, not usage-rights fees: set `usage_rights.vat` in fresk.yaml to the fees' treatment, e.g. `vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }`; nothing was invoiced".into(),
        )),
    }
}

fn vat_yaml(v: &Vat) -> String {
    let regime = match v.regime {
        VatRegime::Exempt => "exempt",
        VatRegime::Franchise => "franchise",
        VatRegime::Standard => "standard",
    };
    let mut parts = vec![format!("regime: {regime}")];
    if let Some(m) = &v.mention {
        parts.push(format!("mention: {}", scalar(m)));
    }
    if let Some(r) = v.rate {
        parts.push(format!("rate: {r}"));
    }
    if let Some(n) = &v.number {
        parts.push(format!("number: {}", scalar(n)));
    }
    format!("{{ {} }}", parts.join(", "))
}
