//! `fresk mission cost`: record what a mission cost besides its facilitators (travel, room,
//! materials, catering), for its margin.

use super::find_mission;
use crate::commands::Error;
use crate::commands::common::{Cx, edit_error, parse_word};
use crate::commands::mutate::Plan;
use crate::model::Money;
use crate::model::mission::CostCategory;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};

/// What `fresk mission cost` was given.
pub struct CostArgs<'a> {
    pub label: &'a str,
    pub amount: &'a str,
    pub category: Option<&'a str>,
    pub vat: Option<&'a str>,
    pub supplier: Option<&'a str>,
    pub date: Option<&'a str>,
}

pub(super) fn cost(cx: &mut Cx, mission: &str, args: &CostArgs) -> Result<u8, Error> {
    let m = find_mission(cx, mission)?;
    let label = args.label.trim();
    if label.is_empty() {
        return Err(Error::usage(
            "--label is empty: say what the cost was, e.g. --label \"Train Lyon–Grenoble\"".into(),
        ));
    }
    let money = |text: &str, flag: &str| {
        Money::parse(text).map_err(|e| Error::usage(format!("{flag}: {e}")))
    };
    let amount = money(args.amount, "--amount")?;
    if amount <= Money::ZERO {
        return Err(Error::usage(format!(
            "--amount {amount}: a cost is a positive amount excl. VAT; a refund is recorded by correcting the cost it refunds"
        )));
    }
    let vat = args.vat.map(|v| money(v, "--vat")).transpose()?;
    let category = match args.category {
        Some(c) => parse_word(c, "--category", CostCategory::ALL, CostCategory::as_str)?,
        None => CostCategory::Other,
    };
    let date = args
        .date
        .map(|d| crate::model::Date::parse(d).map_err(|e| Error::usage(format!("--date: {e}"))))
        .transpose()?;
    let mut entry = format!(
        "{{ label: {}, amount: {}, category: {category}",
        scalar(label),
        amount.to_yaml()
    );
    if let Some(vat) = vat {
        entry.push_str(&format!(", vat: {}", vat.to_yaml()));
    }
    if let Some(s) = args.supplier.map(str::trim).filter(|s| !s.is_empty()) {
        entry.push_str(&format!(", supplier: {}", scalar(s)));
    }
    if let Some(d) = date {
        entry.push_str(&format!(", date: {d}"));
    }
    entry.push_str(" }");
    let mut doc = Document::new(cx.read(&m.file)?);
    doc.push(&Route::parse("costs"), &entry)
        .map_err(edit_error(&m.file))?;
    let mut plan = Plan::new(format!(
        "cost of {amount} ({category}: {label}) recorded on mission {}",
        m.id
    ));
    plan.write(&m.file, doc.into_text());
    cx.apply(&plan)
}
