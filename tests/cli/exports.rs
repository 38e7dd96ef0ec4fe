//! `fresk export journal` (checked by `hledger check -s` and `bean-check`, with `hledger
//! balance` equal to `fresk report payouts` and the invoice totals) and `fresk export fec` (read
//! back: the 18 columns, dates, decimal commas, balanced pieces).

use crate::cmd_transfers::validator;
use crate::support::Ws;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;
use std::str::FromStr;

#[track_caller]
fn passes(out: &std::process::Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text.trim().trim_end_matches(" EUR").trim()).unwrap()
}

/// `hledger balance` of the journal: account → balance.
fn hledger_balances(ws: &Ws, file: &str) -> BTreeMap<String, Decimal> {
    let out = Command::new(validator("hledger", "Debian package hledger"))
        .args(["-f", file, "balance", "--flat", "-O", "csv"])
        .current_dir(ws.path())
        .output()
        .unwrap();
    let csv = passes(&out, "hledger balance");
    csv.lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').map(|c| c.trim_matches('"')).collect();
            (cells[0].to_string(), dec(cells[1]))
        })
        .filter(|(a, _)| a != "total")
        .collect()
}

#[test]
fn the_hledger_journal_checks_and_balances_like_the_reports() {
    let ws = Ws::example();
    ws.run_ok(&[
        "export",
        "journal",
        "--format",
        "hledger",
        "-o",
        "books.journal",
    ]);
    let check = Command::new(validator("hledger", "Debian package hledger"))
        .args(["-f", "books.journal", "check", "-s"])
        .current_dir(ws.path())
        .output()
        .unwrap();
    passes(&check, "hledger check -s");
    let balances = hledger_balances(&ws, "books.journal");
    // Fees (604) = what `fresk report payouts` counts as invoiced and paid; each
    // facilitator's 401 account = what is invoiced but not paid yet.
    let report: Value =
        serde_json::from_str(&ws.run_ok(&["report", "payouts", "--format", "json"])).unwrap();
    let amount = |v: &Value| dec(v.as_str().unwrap());
    let totals = &report["totals"];
    assert_eq!(
        balances["Expenses:604"],
        amount(&totals["invoiced"]) + amount(&totals["paid"])
    );
    for person in report["by_person"].as_array().unwrap() {
        let key = person["key"].as_str().unwrap();
        let mut name = key.to_string();
        name.replace_range(..1, &key[..1].to_uppercase());
        let owed = balances
            .get(&format!("Liabilities:401:{name}"))
            .copied()
            .unwrap_or_default();
        assert_eq!(-owed, amount(&person["invoiced"]), "{key}");
    }
    // Sales (706) = issued invoices less credit notes.
    let invoices: Value =
        serde_json::from_str(&ws.run_ok(&["invoice", "list", "--format", "json"])).unwrap();
    let mut sales = Decimal::ZERO;
    for inv in invoices["rows"].as_array().unwrap() {
        if inv["state"] == "draft" {
            continue;
        }
        let total = amount(&inv["total"]).abs();
        sales += if inv["kind"] == "credit-note" {
            -total
        } else {
            total
        };
    }
    assert_eq!(-balances["Income:706"], sales);
    assert_eq!(sales, dec("4090"));
    // Bank: received from clients less paid to facilitators, less the missions' costs (the
    // demo's 84.50 of printing, paid when bought).
    assert_eq!(balances["Expenses:622"], dec("84.50"));
    assert_eq!(
        balances["Assets:512"],
        dec("3900") + dec("190") - amount(&totals["paid"]) - dec("84.50")
    );
}

#[test]
fn the_beancount_journal_passes_bean_check() {
    let ws = Ws::example();
    ws.run_ok(&[
        "export",
        "journal",
        "--format",
        "beancount",
        "-o",
        "books.beancount",
    ]);
    let out = Command::new(validator(
        "bean-check",
        "PyPI beancount in target/validators",
    ))
    .arg("books.beancount")
    .current_dir(ws.path())
    .output()
    .unwrap();
    passes(&out, "bean-check");
    let text = ws.read("books.beancount");
    assert!(text.contains("2026-04-20 * \"AV2026-0001\""), "{text}");
}

#[test]
fn the_period_limits_the_journal() {
    let ws = Ws::example();
    let all = ws.run_ok(&["export", "journal", "--format", "hledger"]);
    let april = ws.run_ok(&[
        "export",
        "journal",
        "--format",
        "hledger",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    assert!(all.contains("2026-03-23 *") && all.contains("2026-05-04 *"));
    assert!(!april.contains("2026-03-23 *") && !april.contains("2026-05-04 *"));
    assert!(april.contains("2026-04-08 * Facture F2026-0001"), "{april}");
}

#[test]
fn the_fec_has_the_18_columns_and_balanced_pieces() {
    let ws = Ws::example();
    let out = ws.run(&["export", "fec", "--year", "2026"]);
    assert!(out.status.success());
    // What was written is a message: on standard error.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("839412756FEC20261231.txt"), "{said}");
    let bytes = std::fs::read(ws.path().join("839412756FEC20261231.txt")).unwrap();
    // ISO 8859-15: every byte is a character (the accents of the demo are Latin-1's).
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap().split('|').collect();
    assert_eq!(
        header,
        [
            "JournalCode",
            "JournalLib",
            "EcritureNum",
            "EcritureDate",
            "CompteNum",
            "CompteLib",
            "CompAuxNum",
            "CompAuxLib",
            "PieceRef",
            "PieceDate",
            "EcritureLib",
            "Debit",
            "Credit",
            "EcritureLet",
            "DateLet",
            "ValidDate",
            "Montantdevise",
            "Idevise",
        ]
    );
    let mut pieces: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut fees = Decimal::ZERO;
    let mut count = 0;
    for line in lines {
        let cells: Vec<&str> = line.split('|').collect();
        assert_eq!(cells.len(), 18, "{line}");
        for date in [cells[3], cells[9], cells[15]] {
            assert!(date.len() == 8 && date.starts_with("2026"), "{line}");
        }
        let debit = cells[11];
        let credit = cells[12];
        assert!(debit.contains(',') && !debit.contains('.'), "{line}");
        let (d, c) = (
            dec(&debit.replace(',', ".")),
            dec(&credit.replace(',', ".")),
        );
        *pieces.entry(cells[2].to_string()).or_default() += d - c;
        if cells[4] == "604" {
            fees += d - c;
        }
        count += 1;
    }
    assert!(count > 20);
    for (piece, balance) in &pieces {
        assert_eq!(*balance, Decimal::ZERO, "piece {piece} is not balanced");
    }
    assert_eq!(fees, dec("7550"));
    assert!(text.contains("|706|Prestations de services|"));
    assert!(text.contains("|411|Clients|mecanique-du-rhone|"));
}

#[test]
fn the_fec_needs_the_siren() {
    let ws = Ws::example();
    ws.edit("fresk.yaml", "  siret: \"83941275600026\"\n", "");
    let out = ws.run(&["export", "fec", "--year", "2026"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("organisation.siret"));
}
