//! `fresk payout pay --bank-statement FILE`: the payments a CSV bank export shows, matched to
//! ordered or invoiced payouts by reference and amount, and those payouts marked paid.
//!
//! A debit line matches a payout when its label holds the message id of the transfer file the
//! payout was ordered in (`ordered.message`) and its amount is the total of every payout of that
//! file (a batch booking), or when its label holds a self-invoice number and its amount is that
//! self-invoice's total (one line per transfer); a payout is paid once all its self-invoices
//! are. What matched and what did not is listed.

use super::out_table;
use crate::commands::Error;
use crate::commands::common::{Cx, edit_error};
use crate::commands::mutate::Plan;
use crate::model::{Date, Money, Payout, PayoutState};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// One line of the bank export.
#[derive(Debug, Clone)]
pub struct Line {
    pub date: Date,
    pub amount: Money,
    pub label: String,
}

/// The lines of a CSV export: a header naming a date, an amount and a label column (`date`,
/// `amount`/`montant`, `label`/`libellé`/`reference`…), `;` or `,` separated, amounts with a
/// decimal point or comma, dates `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn parse_csv(text: &str) -> Result<Vec<Line>, String> {
    let mut rows = text.lines().filter(|l| !l.trim().is_empty());
    let header = rows.next().ok_or("the file is empty")?;
    let sep = if header.contains(';') { ';' } else { ',' };
    let cells = |l: &str| -> Vec<String> {
        l.split(sep)
            .map(|c| c.trim().trim_matches('"').trim().to_string())
            .collect()
    };
    let names: Vec<String> = cells(header).iter().map(|c| c.to_lowercase()).collect();
    let col = |words: &[&str]| {
        names
            .iter()
            .position(|n| words.iter().any(|w| n.contains(w)))
    };
    let (Some(d), Some(a), Some(l)) = (
        col(&["date"]),
        col(&["amount", "montant"]),
        col(&["label", "libell", "reference", "référence", "description"]),
    ) else {
        return Err(format!(
            "its header `{header}` needs a date, an amount and a label column (e.g. `date;amount;label`)"
        ));
    };
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let c = cells(row);
        let get = |k: usize| c.get(k).map_or("", String::as_str);
        let date = parse_date(get(d))
            .ok_or_else(|| format!("line {}: `{}` is not a date", i + 2, get(d)))?;
        let amount_text: String = get(a)
            .chars()
            .filter(|ch| !ch.is_whitespace() && *ch != '\u{a0}')
            .collect::<String>()
            .replace(',', ".");
        let amount = Money::parse(&amount_text)
            .map_err(|_| format!("line {}: `{}` is not an amount", i + 2, get(a)))?;
        out.push(Line {
            date,
            amount,
            label: get(l).to_string(),
        });
    }
    Ok(out)
}

fn parse_date(text: &str) -> Option<Date> {
    if let Ok(d) = Date::parse(text) {
        return Some(d);
    }
    chrono::NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y")
        .ok()
        .map(Date)
}

/// The payouts the lines pay (each with the line that dates it), and the lines used.
type Matched<'a> = (BTreeMap<&'a str, (usize, Date)>, HashSet<usize>);

fn matches<'a>(lines: &[Line], payouts: &[&'a Loaded<Payout>]) -> Matched<'a> {
    let mut paid: BTreeMap<&str, (usize, Date)> = BTreeMap::new();
    // Batch bookings: the message id and the file's total.
    let mut batches: BTreeMap<&str, (Money, Vec<&str>)> = BTreeMap::new();
    for p in payouts {
        if let Some(o) = &p.ordered {
            let b = batches.entry(o.message.as_str()).or_default();
            b.0 += p.self_invoices.iter().map(|s| s.total).sum();
            b.1.push(p.id.as_str());
        }
    }
    let mut used: HashSet<usize> = HashSet::new();
    for (i, line) in lines.iter().enumerate() {
        let debit = Money::ZERO - line.amount;
        for (message, (total, ids)) in &batches {
            if line.label.contains(message) && debit == *total {
                for id in ids {
                    paid.entry(id).or_insert((i, line.date));
                }
                used.insert(i);
            }
        }
    }
    // One line per self-invoice.
    for p in payouts {
        if paid.contains_key(p.id.as_str()) || p.self_invoices.is_empty() {
            continue;
        }
        let mut found = Vec::new();
        for si in &p.self_invoices {
            let hit = lines.iter().enumerate().find(|(i, l)| {
                !used.contains(i)
                    && l.label.contains(&si.number)
                    && Money::ZERO - l.amount == si.total
            });
            match hit {
                Some((i, l)) => found.push((i, l.date)),
                None => break,
            }
        }
        if found.len() == p.self_invoices.len() {
            for (i, _) in &found {
                used.insert(*i);
            }
            if let Some(last) = found.iter().max_by_key(|(_, d)| *d) {
                paid.insert(p.id.as_str(), *last);
            }
        }
    }
    (paid, used)
}

pub(super) fn pay_from_statement(cx: &mut Cx, file: &Path) -> Result<u8, Error> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::io(format!("cannot read {}: {e}", file.display())))?;
    let lines = parse_csv(&text).map_err(|e| {
        Error::usage(format!(
            "{} is not a bank export fresk reads: {e}",
            file.display()
        ))
    })?;
    let open: Vec<&Loaded<Payout>> = cx
        .ws
        .payouts
        .iter()
        .filter(|p| matches!(p.state, PayoutState::Invoiced | PayoutState::Ordered))
        .collect();
    let (paid, used) = matches(&lines, &open);
    let mut rows = Vec::new();
    let mut plan = Plan::new(String::new());
    for p in &open {
        let Some((i, date)) = paid.get(p.id.as_str()) else {
            continue;
        };
        let line = &lines[*i];
        if let Some(last) = p.self_invoices.iter().map(|s| s.issued).max()
            && *date < last
        {
            continue;
        }
        let mut doc = Document::new(cx.read(&p.file)?);
        let err = edit_error(&p.file);
        doc.set(&Route::parse("state"), "paid").map_err(&err)?;
        let reference: String = line.label.chars().take(140).collect();
        doc.set(
            &Route::parse("paid"),
            &format!(
                "{{ date: {date}, reference: {} }}",
                scalar(reference.trim())
            ),
        )
        .map_err(&err)?;
        plan.write(&p.file, doc.into_text());
        rows.push(vec![
            p.id.clone(),
            date.to_string(),
            p.total().to_string(),
            line.label.clone(),
        ]);
    }
    let waiting: Vec<String> = open
        .iter()
        .filter(|p| !paid.contains_key(p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    let unmatched: Vec<&Line> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| l.amount < Money::ZERO && !used.contains(i))
        .map(|(_, l)| l)
        .collect();
    drop(open);
    if !rows.is_empty() {
        plan.summary = format!(
            "{} payout(s) paid from {}: {}",
            rows.len(),
            file.display(),
            rows.iter()
                .map(|r| r[0].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        cx.apply(&plan)?;
        print!(
            "{}",
            out_table(&["payout", "paid", "total", "statement line"], &rows)
        );
    } else {
        println!("no payout matched a line of {}", file.display());
    }
    if !waiting.is_empty() {
        println!(
            "not found in the statement (still unpaid): {}",
            waiting.join(", ")
        );
    }
    if !unmatched.is_empty() {
        println!("debits that match no payout:");
        for l in unmatched {
            println!("  {}  {}  {}", l.date, l.amount, l.label);
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_exports_with_commas_semicolons_and_french_dates() {
        let lines = parse_csv(
            "Date;Libellé;Montant\n17/06/2026;VIR SEPA FRESK-202606150000-ED8518;-2 100,00\n2026-06-18;\"REMISE CHQ\";150\n",
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].amount, Money::parse("-2100").unwrap());
        assert_eq!(lines[0].date.to_string(), "2026-06-17");
        assert_eq!(lines[1].label, "REMISE CHQ");
        assert!(parse_csv("a;b\n").is_err());
        assert!(parse_csv("date,amount,label\nxx,1,y\n").is_err());
    }
}
