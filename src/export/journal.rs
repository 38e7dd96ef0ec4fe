//! The entries as a plain-text accounting journal: hledger or beancount. Accounts are named
//! `<Root>:<number>[:<Auxiliary>]`, the root from the account's class (411 → Assets, 401 →
//! Liabilities, 6 → Expenses, 7 → Income…), valid in both tools.

use crate::model::Date;
use crate::model::ledger::{Entry, Posting};
use std::collections::BTreeSet;
use std::fmt::Write;

/// hledger or beancount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Hledger,
    Beancount,
}

/// The root of a French account number: its class, and for class 4 the side third-party
/// accounts usually stand on (clients and deductible VAT are assets).
fn root(account: &str) -> &'static str {
    match account.as_bytes().first() {
        Some(b'2' | b'3' | b'5') => "Assets",
        Some(b'4') if account.starts_with("41") || account.starts_with("4456") => "Assets",
        Some(b'4') => "Liabilities",
        Some(b'6') => "Expenses",
        Some(b'7') => "Income",
        _ => "Equity",
    }
}

/// A name component both tools accept: letters, digits and `-`, starting with a capital or a
/// digit.
fn component(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if let Some(first) = out.get(..1) {
        let up = first.to_ascii_uppercase();
        out.replace_range(..1, &up);
    }
    if !out.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    out
}

/// The full account name of a posting.
pub fn account_name(p: &Posting) -> String {
    let mut name = format!("{}:{}", root(&p.account), component(&p.account));
    if let Some((id, _)) = &p.aux {
        name.push(':');
        name.push_str(&component(id));
    }
    name
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "'"))
}

/// The journal text of `entries` in `flavour`, with every account and the currency declared
/// (so that `hledger check -s` and `bean-check` check them).
pub fn journal(entries: &[Entry], flavour: Flavour, currency: &str, title: &str) -> String {
    let accounts: BTreeSet<String> = entries
        .iter()
        .flat_map(|e| e.postings.iter().map(account_name))
        .collect();
    let first = entries.iter().map(|e| e.date).min();
    let mut out = String::new();
    match flavour {
        Flavour::Hledger => {
            let _ = writeln!(out, "; {title} — written by fresk export journal\n");
            let _ = writeln!(out, "commodity 1000.00 {currency}\n");
            for a in &accounts {
                let _ = writeln!(out, "account {a}");
            }
        }
        Flavour::Beancount => {
            let _ = writeln!(out, "; {title} — written by fresk export journal\n");
            let _ = writeln!(out, "option \"title\" {}", quoted(title));
            let _ = writeln!(out, "option \"operating_currency\" \"{currency}\"\n");
            let opened = first.map_or_else(|| "1970-01-01".to_string(), |d: Date| d.to_string());
            let _ = writeln!(out, "{opened} commodity {currency}");
            for a in &accounts {
                let _ = writeln!(out, "{opened} open {a} {currency}");
            }
        }
    }
    for e in entries {
        out.push('\n');
        match flavour {
            Flavour::Hledger => {
                let _ = writeln!(
                    out,
                    "{} * {}  ; journal:{}, piece:{}",
                    e.date,
                    e.label.replace(['|', ';'], " "),
                    e.journal.code(),
                    e.piece
                );
            }
            Flavour::Beancount => {
                let _ = writeln!(
                    out,
                    "{} * {} {}\n  journal: \"{}\"",
                    e.date,
                    quoted(&e.piece),
                    quoted(&e.label),
                    e.journal.code()
                );
            }
        }
        for p in &e.postings {
            let _ = writeln!(out, "  {}  {} {currency}", account_name(p), p.balance());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Money;

    #[test]
    fn account_names_are_valid_in_both_tools() {
        let p = Posting::debit(
            "411",
            Some(("mecanique-du-rhone".into(), "Mécanique".into())),
            Money::from_int(1),
        );
        assert_eq!(account_name(&p), "Assets:411:Mecanique-du-rhone");
        assert_eq!(
            account_name(&Posting::credit(
                "401",
                Some(("ines_m".into(), String::new())),
                Money::ZERO
            )),
            "Liabilities:401:Ines-m"
        );
        assert_eq!(
            account_name(&Posting::credit("706", None, Money::ZERO)),
            "Income:706"
        );
        assert_eq!(
            account_name(&Posting::credit("604", None, Money::ZERO)),
            "Expenses:604"
        );
        assert_eq!(
            account_name(&Posting::credit("44566", None, Money::ZERO)),
            "Assets:44566"
        );
        assert_eq!(
            account_name(&Posting::credit("44571", None, Money::ZERO)),
            "Liabilities:44571"
        );
        assert_eq!(component("-x"), "X-x");
    }
}
