//! Property test: random invoices, credit notes and payouts written as files, loaded, turned
//! into entries and printed as journals — every total equals the files' exactly.

use super::entries::entries;
use super::journal::{Flavour, account_name, journal};
use crate::model::Money;
use crate::workspace;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A random invoice: its lines (quantity, unit price in cents), credit note?, paid?
type RandomInvoice = (Vec<(u32, i64)>, bool, bool);

/// Cents to an amount.
fn cents(c: i64) -> Money {
    Money(Decimal::new(c, 2))
}

/// A copy of the base fixture with the given invoices (lines of quantity × unit cents, credit
/// note or not, paid or not) and payouts (self-invoice totals in cents, paid or not).
fn workspace_with(
    invoices: &[RandomInvoice],
    payouts: &[(Vec<i64>, bool)],
) -> (tempfile::TempDir, workspace::Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
    for e in walk(&base) {
        let rel = e.strip_prefix(&base).expect("inside");
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&e, &to).expect("copy");
    }
    std::fs::remove_dir_all(dir.path().join("payouts")).expect("rm payouts");
    let write = |rel: &str, text: String| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    for (i, (lines, credit, paid)) in invoices.iter().enumerate() {
        let id = format!("F2026-{:04}", i + 1);
        let mut text = format!(
            "id: {id}\nkind: {}\nstate: {}\norganisation: acme\nissued: 2026-03-{:02}\ndue: 2026-04-30\nlines:\n",
            if *credit { "credit-note" } else { "invoice" },
            if *paid { "paid" } else { "sent" },
            i % 28 + 1
        );
        for (q, c) in lines {
            text.push_str(&format!(
                "  - {{ label: x, quantity: {q}, unit_price: {} }}\n",
                cents(*c).to_yaml()
            ));
        }
        text.push_str("sent: 2026-03-28\n");
        if *paid {
            text.push_str("paid: { date: 2026-04-15, reference: R }\n");
        }
        write(&format!("invoices/2026/{id}.yaml"), text);
    }
    for (i, (totals, paid)) in payouts.iter().enumerate() {
        let id = format!("P2026-{:02}-M2026-0001", i % 12 + 1);
        let mut text = format!(
            "id: {id}\nmission: M2026-0001\nstate: {}\nrequested_by: cleo-coord\nrequested: 2026-05-02\nlines:\n",
            if *paid { "paid" } else { "invoiced" }
        );
        for t in totals {
            text.push_str(&format!(
                "  - {{ person: felix-facil, amount: {} }}\n",
                cents(*t).to_yaml()
            ));
        }
        text.push_str("self_invoices:\n");
        for (j, t) in totals.iter().enumerate() {
            text.push_str(&format!(
                "  - {{ person: felix-facil, number: AF-{i}-{j}, issued: 2026-05-03, total: {} }}\n",
                cents(*t).to_yaml()
            ));
        }
        if *paid {
            text.push_str("paid: { date: 2026-05-10, reference: R }\n");
        }
        write(&format!("payouts/2026/{id}.yaml"), text);
    }
    let ws = workspace::load(dir.path()).expect("loads");
    (dir, ws)
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Each account's balance as the journal text says it.
fn balances(text: &str) -> BTreeMap<String, Decimal> {
    let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("  ") && l.ends_with(" EUR"))
    {
        let mut parts = line.split_whitespace();
        let (Some(account), Some(amount)) = (parts.next(), parts.next()) else {
            continue;
        };
        *out.entry(account.to_string()).or_default() += amount.parse::<Decimal>().expect("amount");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn journal_totals_equal_the_files_exactly(
        invoices in prop::collection::vec(
            (prop::collection::vec((1u32..5, 1i64..500_000), 1..4), any::<bool>(), any::<bool>()),
            0..6,
        ),
        payouts in prop::collection::vec((prop::collection::vec(1i64..300_000, 1..4), any::<bool>()), 0..6),
    ) {
        // One payout per month of the id: at most 12 distinct files.
        let payouts: Vec<_> = payouts.into_iter().take(12).collect();
        let (_dir, ws) = workspace_with(&invoices, &payouts);
        let config = &ws.config.as_ref().expect("fresk.yaml").value;
        let all = entries(&ws, config, None, None);
        prop_assert!(all.iter().all(|e| e.is_balanced()));
        let sales: Money = invoices
            .iter()
            .map(|(lines, credit, _)| {
                let t: Money = lines.iter().map(|(q, c)| cents(*c).times(Decimal::from(*q)).round()).sum();
                if *credit { Money::ZERO - t } else { t }
            })
            .sum();
        let fees: Money = payouts.iter().flat_map(|(t, _)| t.iter()).map(|c| cents(*c)).sum();
        let unpaid_fees: Money = payouts
            .iter()
            .filter(|(_, paid)| !paid)
            .flat_map(|(t, _)| t.iter())
            .map(|c| cents(*c))
            .sum();
        for flavour in [Flavour::Hledger, Flavour::Beancount] {
            let b = balances(&journal(&all, flavour, "EUR", "t"));
            let get = |a: &str| b.get(a).copied().unwrap_or_default();
            prop_assert_eq!(-get("Income:706"), sales.0);
            prop_assert_eq!(get("Expenses:604"), fees.0);
            prop_assert_eq!(-get("Liabilities:401:Felix-facil"), unpaid_fees.0);
            prop_assert_eq!(b.values().copied().sum::<Decimal>(), Decimal::ZERO);
        }
        // Entry by entry, the names the journal uses are the ones the postings give.
        let names: Vec<String> = all.iter().flat_map(|e| e.postings.iter().map(account_name)).collect();
        prop_assert!(names.iter().all(|n| n.contains(':')));
    }
}
