//! `fresk payout transfer`: SEPA credit-transfer files (pain.001.001.09) for invoiced payouts,
//! checked against the official XSD with xmllint; the `ordered` state; the refusals, all at
//! once and all or nothing.

use crate::support::{Ws, manifest_dir, tree};
use std::path::PathBuf;
use std::process::Command;

const INVOICED: &str = "P2026-05-M2026-0006";
const FILE: &str = "payouts/2026/P2026-05-M2026-0006.yaml";

/// `tool` on PATH; a failure that says how to install it otherwise.
#[track_caller]
pub fn validator(tool: &str, how: &str) -> PathBuf {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("`{tool}` is not on PATH: run the tests with scripts/test.sh, which installs it ({how})")
        })
}

/// The official pain.001.001.09 XSD, as the `sepaxml` PyPI package (pinned in scripts/test.sh)
/// ships it in target/validators.
fn pain_xsd() -> PathBuf {
    let lib = manifest_dir().join("target/validators/lib");
    std::fs::read_dir(&lib)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("site-packages/sepaxml/schemas/pain.001.001.09.xsd"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the pain.001.001.09 XSD is not in {}: run the tests with scripts/test.sh, which installs the PyPI package sepaxml (it ships the XSD) into target/validators",
                lib.display()
            )
        })
}

/// The demo workspace with the sample bank details of the facilitators of the invoiced payout.
fn with_bank() -> Ws {
    let ws = Ws::example();
    for person in ["antoine-roux", "camille-dupont", "lucas-bernard"] {
        let text = std::fs::read_to_string(
            manifest_dir().join(format!("tests/fixtures/bank/{person}.yaml")),
        )
        .unwrap();
        ws.write(&format!("private/bank/{person}.yaml"), &text);
    }
    ws
}

#[test]
fn a_transfer_file_validates_against_the_official_xsd_and_orders_the_payout() {
    let ws = with_bank();
    let out = ws.run_ok(&[
        "payout",
        "transfer",
        "--payout",
        INVOICED,
        "--execution-date",
        "2026-06-17",
        "-o",
        "transfers.xml",
    ]);
    assert!(out.contains("3 transfer(s) ordered"), "{out}");
    let xml = ws.read("transfers.xml");
    // One transfer per self-invoice, the number as remittance information, the association as
    // the debtor.
    for (number, amount) in [
        ("AF-antoine-roux-0002", "900.00"),
        ("AF-camille-dupont-0003", "950.00"),
        ("AF-lucas-bernard-0003", "250.00"),
    ] {
        assert!(xml.contains(&format!("<Ustrd>{number}</Ustrd>")), "{xml}");
        assert!(xml.contains(&format!("<InstdAmt Ccy=\"EUR\">{amount}</InstdAmt>")));
    }
    assert!(xml.contains("<CtrlSum>2100.00</CtrlSum>"));
    assert!(xml.contains("<Dbtr><Nm>Fresques en Rhone</Nm></Dbtr>"));
    assert!(xml.contains("<IBAN>FR7610278073000002041234516</IBAN>"));
    assert!(xml.contains("<ReqdExctnDt><Dt>2026-06-17</Dt></ReqdExctnDt>"));
    let check = Command::new(validator("xmllint", "Debian package libxml2-utils"))
        .arg("--noout")
        .arg("--schema")
        .arg(pain_xsd())
        .arg(ws.path().join("transfers.xml"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "xmllint --schema pain.001.001.09.xsd failed:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let payout = ws.read(FILE);
    assert!(payout.contains("state: ordered"), "{payout}");
    assert!(payout.contains("ordered: { date: 2026-06-15, execution: 2026-06-17, message: FRESK-"));
    ws.lint().expect_clean();
    // Ordered twice: refused, nothing written.
    let before = tree(&ws);
    let again = ws.run(&[
        "payout",
        "transfer",
        "--payout",
        INVOICED,
        "-o",
        "again.xml",
    ]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("it is already ordered"), "{err}");
    assert_eq!(before, tree(&ws));
    // Paid from `ordered`.
    ws.run_ok(&[
        "payout",
        "pay",
        INVOICED,
        "--date",
        "2026-06-18",
        "--reference",
        "FRESK-1",
    ]);
    assert!(ws.read(FILE).contains("state: paid"));
    ws.lint().expect_clean();
}

#[test]
fn refusals_are_listed_all_at_once_and_nothing_changes() {
    let ws = with_bank();
    ws.write(
        "private/bank/camille-dupont.yaml",
        "iban: \"FR76 3000 4012 3400 0123 4567 861\"\n",
    );
    ws.remove("private/bank/lucas-bernard.yaml");
    let before = tree(&ws);
    let out = ws.run(&[
        "payout",
        "transfer",
        "--payout",
        INVOICED,
        "--payout",
        "P2026-06-M2026-0005",
        "--payout",
        "P2026-03-M2026-0003",
        "-o",
        "transfers.xml",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "nothing was ordered and no file was written",
        "payout P2026-06-M2026-0005: it is not invoiced yet",
        "payout P2026-03-M2026-0003: it is already paid",
        "private/bank/camille-dupont.yaml: IBAN `FR76 3000 4012 3400 0123 4567 861` fails its check key (mod 97)",
        "no bank details (private/bank/lucas-bernard.yaml is missing)",
    ] {
        assert!(err.contains(want), "missing `{want}` in:\n{err}");
    }
    assert_eq!(before, tree(&ws), "a refused transfer changed files");
}

#[test]
fn dry_run_writes_neither_the_payouts_nor_the_file() {
    let ws = with_bank();
    let before = tree(&ws);
    let out = ws.run(&[
        "--dry-run",
        "payout",
        "transfer",
        "--payout",
        INVOICED,
        "-o",
        "t.xml",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("+state: ordered"));
    assert_eq!(before, tree(&ws));
}

#[test]
fn the_associations_account_is_required_and_checked() {
    let ws = with_bank();
    ws.edit(
        "fresk.yaml",
        "FR76 1027 8073 0000 0204 1234 516",
        "FR76 1027 8073 0000 0204 1234 517",
    );
    let lint = ws.lint();
    let found = lint.expect("bank-account", "fresk.yaml", 78, 15);
    assert!(found.message.contains("mod 97"), "{}", found.message);
    let out = ws.run(&["payout", "transfer", "--payout", INVOICED, "-o", "t.xml"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("bank.iban in fresk.yaml"));
    assert!(!ws.path().join("t.xml").exists());
}

#[test]
fn a_bank_statement_marks_what_it_shows_paid_and_lists_the_rest() {
    let ws = with_bank();
    // One debit per transfer (no batch booking), and a debit that is no payout's.
    ws.write(
        "releve.csv",
        "Date;Libellé;Montant\n\
         16/06/2026;VIR SEPA AF-antoine-roux-0002 Antoine Roux EI;-900,00\n\
         16/06/2026;VIR SEPA AF-camille-dupont-0003;-950,00\n\
         17/06/2026;VIR SEPA AF-lucas-bernard-0003;-250,00\n\
         17/06/2026;CB PAPETERIE;-12,30\n",
    );
    let out = ws.run_ok(&["payout", "pay", "--bank-statement", "releve.csv"]);
    assert!(
        out.contains("1 payout(s) paid from releve.csv: P2026-05-M2026-0006"),
        "{out}"
    );
    assert!(
        out.contains("debits that match no payout:\n  2026-06-17  -12.30  CB PAPETERIE"),
        "{out}"
    );
    let text = ws.read(FILE);
    assert!(
        text.contains("state: paid") && text.contains("paid: { date: 2026-06-17"),
        "{text}"
    );
    ws.lint().expect_clean();
    // A wrong amount matches nothing, and nothing changes.
    let ws = with_bank();
    ws.write(
        "releve.csv",
        "date,amount,label\n2026-06-16,-899.00,VIR AF-antoine-roux-0002\n",
    );
    let before = tree(&ws);
    let out = ws.run_ok(&["payout", "pay", "--bank-statement", "releve.csv"]);
    assert!(
        out.contains("no payout matched")
            && out.contains("not found in the statement (still unpaid): P2026-05-M2026-0006"),
        "{out}"
    );
    assert_eq!(before, tree(&ws));
}
