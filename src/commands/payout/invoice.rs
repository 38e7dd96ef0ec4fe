//! `fresk payout invoice`: on main, number the self-invoices of requested payouts — one per
//! person and payout, in each person's gapless series — and mark the payouts `invoiced`.

use super::{next_states, out_table};
use crate::commands::Error;
use crate::commands::common::{Cx, date_or_today, find};
use crate::commands::mutate::Plan;
use crate::lifecycle;
use crate::model::payout_due::not_self_billable;
use crate::model::{Config, Date, Payout, PayoutState};
use crate::rules::legal::Pattern;
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, EditError, scalar};
use std::collections::{HashMap, HashSet};

/// The last number of one person's self-invoice series: its sequence and issue date.
#[derive(Default, Clone)]
struct SeriesEnd {
    seq: u32,
    last: Option<(Date, String)>,
}

/// Where the numbering stands while payouts are numbered one after the other.
struct Numbering<'a> {
    pattern: Pattern,
    date: Date,
    /// Each person's series, for the year of `date`.
    ends: HashMap<&'a str, SeriesEnd>,
    /// Payout, person, number, total: what is printed.
    rows: Vec<Vec<String>>,
}

pub(super) fn invoice(cx: &mut Cx, selected: &[String], date: Option<&str>) -> Result<u8, Error> {
    let config = cx.config()?;
    let date = date_or_today(cx, date, "--date")?;
    let pattern = self_invoice_pattern(config)?;
    let targets = targets(cx, selected)?;
    if targets.is_empty() {
        println!("nothing to number: no payout is `requested`");
        return Ok(0);
    }
    let mut numbering = Numbering {
        ends: series_ends(cx, &pattern, date.year()),
        pattern,
        date,
        rows: Vec::new(),
    };
    let mut plan = Plan::new(String::new());
    for p in &targets {
        let text = number_payout(cx, p, &mut numbering)?;
        plan.write(&p.file, text);
    }
    let rows = numbering.rows;
    let numbers: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    plan.summary = format!(
        "{} self-invoice(s) issued on {date} for {} payout(s) ({}): {}",
        rows.len(),
        targets.len(),
        targets
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        numbers.join(", ")
    );
    cx.apply(&plan)?;
    if !cx.globals.dry_run {
        print!(
            "{}",
            out_table(&["payout", "person", "number", "total"], &rows)
        );
    }
    Ok(0)
}

/// series.self_invoice, which must have a `{person}`: one series per facilitator.
fn self_invoice_pattern(config: &Config) -> Result<Pattern, Error> {
    crate::commands::common::require_identity(config, "number self-invoices")?;
    let pattern = Pattern::parse(&config.series.self_invoice).map_err(|e| {
        Error::io(format!(
            "series.self_invoice in fresk.yaml (`{}`) cannot number self-invoices: {e}; fix it first",
            config.series.self_invoice
        ))
    })?;
    if !pattern.has_person() {
        return Err(Error::io(format!(
            "series.self_invoice in fresk.yaml (`{}`) has no `{{person}}`: the law requires one gapless series per facilitator, e.g. `AF-{{person}}-{{seq:04}}`; fix it first",
            config.series.self_invoice
        )));
    }
    Ok(pattern)
}

/// The payouts to number, by request date: those given (each must be `requested`), else every
/// requested one (none: an empty list).
fn targets<'a>(cx: &'a Cx, selected: &[String]) -> Result<Vec<&'a Loaded<Payout>>, Error> {
    let mut targets: Vec<&Loaded<Payout>> = Vec::new();
    if selected.is_empty() {
        targets.extend(
            cx.ws
                .payouts
                .iter()
                .filter(|p| p.state == PayoutState::Requested),
        );
    } else {
        let mut seen = HashSet::new();
        for id in selected {
            if !seen.insert(id.as_str()) {
                continue;
            }
            let p = find(&cx.ws.payouts, id, "payout", |p| &p.id)?;
            if p.state != PayoutState::Requested {
                return Err(Error::refused(format!(
                    "payout {} is `{}`, not `requested`: only requested payouts get self-invoice numbers (from `{}` it may go to {}); nothing was numbered",
                    p.id,
                    p.state,
                    p.state,
                    next_states(lifecycle::payout_next(p.state))
                )));
            }
            targets.push(p);
        }
    }
    targets.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
    Ok(targets)
}

/// Where each person's series stands in `year`: every self-invoice of every payout counts, so a
/// number once given is never given again.
fn series_ends<'a>(cx: &'a Cx, pattern: &Pattern, year: i32) -> HashMap<&'a str, SeriesEnd> {
    let mut ends: HashMap<&str, SeriesEnd> = HashMap::new();
    for p in &cx.ws.payouts {
        for si in &p.self_invoices {
            let Some(parts) = pattern.matches_person(&si.number, &si.person) else {
                continue;
            };
            if parts.year.is_some_and(|y| y != year) {
                continue;
            }
            let end = ends.entry(si.person.as_str()).or_default();
            end.seq = end.seq.max(parts.seq);
            if end.last.as_ref().is_none_or(|(d, _)| si.issued > *d) {
                end.last = Some((si.issued, si.number.clone()));
            }
        }
    }
    ends
}

/// Payout `p` numbered: a self-invoice per person, the state `invoiced`; its new text.
fn number_payout<'a>(
    cx: &Cx,
    p: &'a Loaded<Payout>,
    numbering: &mut Numbering<'a>,
) -> Result<String, Error> {
    let date = numbering.date;
    if p.lines.is_empty() {
        return Err(Error::refused(format!(
            "payout {} has no lines: there is nothing to self-invoice; reject it or add its lines; nothing was numbered",
            p.id
        )));
    }
    if !p.self_invoices.is_empty() {
        return Err(Error::refused(format!(
            "payout {} is `requested` but already has self-invoices ({}): set `state: invoiced` by hand if they were really issued; nothing was numbered",
            p.id,
            p.self_invoices
                .iter()
                .map(|s| s.number.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if date < p.requested {
        return Err(Error::refused(format!(
            "--date {date} is before payout {} was requested ({}): self-invoices are issued after the request is approved; nothing was numbered",
            p.id, p.requested
        )));
    }
    let mut doc = Document::new(cx.read(&p.file)?);
    let edit_err =
        |e: EditError| Error::io(format!("cannot edit {}: {e}; nothing was numbered", p.file));
    let mut entries = Vec::new();
    for (person, total) in p.totals_by_person() {
        check_self_billable(cx, p, person, date)?;
        let end = numbering.ends.entry(person).or_default();
        if let Some((last, number)) = &end.last
            && date < *last
        {
            return Err(Error::refused(format!(
                "`{person}`'s last self-invoice {number} was issued on {last}, after --date {date}: numbers follow the order of issue dates; use --date {last} or later; nothing was numbered"
            )));
        }
        let seq = end.seq + 1;
        let number = numbering
            .pattern
            .format(Some(date.year()), Some(person), seq);
        end.seq = seq;
        end.last = Some((date, number.clone()));
        entries.push(format!(
            "{{ person: {person}, number: {}, issued: {date}, total: {} }}",
            scalar(&number),
            total.to_yaml()
        ));
        numbering.rows.push(vec![
            p.id.clone(),
            person.to_string(),
            number,
            total.to_string(),
        ]);
    }
    doc.set(&Route::parse("state"), "invoiced")
        .map_err(edit_err)?;
    let list = Route::parse("self_invoices");
    for (i, entry) in entries.iter().enumerate() {
        if let Err(e) = doc.push(&list, entry) {
            // `self_invoices: []` written by hand: replace the empty list.
            if i == 0 {
                doc.set(&list, &format!("[{}]", entries.join(", ")))
                    .map_err(|_| edit_err(e))?;
                break;
            }
            return Err(edit_err(e));
        }
    }
    Ok(doc.into_text())
}

/// Refuse to self-invoice a person the association may not self-bill on `date`.
fn check_self_billable(cx: &Cx, p: &Loaded<Payout>, person: &str, date: Date) -> Result<(), Error> {
    let file = cx.ws.person(person).map(|x| &x.value);
    if let Some(why) = not_self_billable(person, file) {
        return Err(Error::refused(format!(
            "payout {} pays `{person}`, who cannot be self-billed: {why}. Reject the payout, or remove their lines and pay them against their own invoice (other payouts can be numbered meanwhile with --payout); nothing was numbered",
            p.id
        )));
    }
    let signed = file
        .and_then(|x| x.billing.as_ref())
        .and_then(|b| b.mandate.as_ref())
        .map(|m| m.signed);
    if let Some(signed) = signed
        && date < signed
    {
        return Err(Error::refused(format!(
            "`{person}` signed the self-billing mandate on {signed}, after --date {date}: a self-invoice is valid only under a mandate signed beforehand; use --date {signed} or later; nothing was numbered"
        )));
    }
    Ok(())
}
