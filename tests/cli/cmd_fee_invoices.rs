//! `fresk declaration invoice`: a facilitator's declared usage-rights fees grouped until the
//! minimum, issued in the association's series with the fees' VAT treatment.

use crate::support::{Ws, tree};

const ORG: &str = "id: weber-facilitation\nname: Weber Facilitation Sàrl\nsector: business\naddress: \"Rue de Carouge 48, 1205 Genève\"\ncountry: CH\ncontacts:\n  - { name: Julia Weber, email: factures@weber-facilitation.example }\n";

#[test]
fn declared_fees_are_invoiced_in_the_associations_series() {
    let ws = Ws::example();
    ws.write("organisations/weber-facilitation.yaml", ORG);
    let out = ws.run_ok(&[
        "declaration",
        "invoice",
        "--person",
        "julia-weber",
        "--organisation",
        "weber-facilitation",
    ]);
    assert!(out.contains("fee invoice F2026-0003 issued on 2026-06-15 to weber-facilitation for U2026-0002 (220.00"), "{out}");
    let inv = ws.read("invoices/2026/F2026-0003.yaml");
    assert!(inv.contains("label: \"Droits d'utilisation, 2026-05 (déclaration U2026-0002, 10 % de 2200.00)\", quantity: 1, unit_price: 220"), "{inv}");
    // A fee is not training: the fees' VAT treatment, not the training exemption.
    assert!(inv.contains(
        "vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }"
    ));
    let decl = ws.read("declarations/2026/U2026-0002.yaml");
    assert!(
        decl.contains("state: invoiced") && decl.contains("invoice: F2026-0003"),
        "{decl}"
    );
    ws.lint().expect_clean();
    let html = ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0003",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert!(
        html.contains("art. 293 B du CGI") && !html.contains("261-4-4"),
        "{html}"
    );
    // Nothing left to invoice.
    let again = ws.run(&["declaration", "invoice", "--person", "julia-weber"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("no declared fee waiting"));
}

#[test]
fn fees_under_the_minimum_wait_and_nothing_changes() {
    let ws = Ws::example();
    ws.write("organisations/weber-facilitation.yaml", ORG);
    ws.edit("fresk.yaml", "min_invoice: 150", "min_invoice: 250");
    let before = tree(&ws);
    let out = ws.run(&[
        "declaration",
        "invoice",
        "--person",
        "julia-weber",
        "--organisation",
        "weber-facilitation",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("total 220.00, under usage_rights.min_invoice 250.00"),
        "{err}"
    );
    // Without the fees' VAT treatment, an exempt association is told to set it.
    ws.edit("fresk.yaml", "min_invoice: 250, vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }", "min_invoice: 150");
    let out = ws.run(&[
        "declaration",
        "invoice",
        "--person",
        "julia-weber",
        "--organisation",
        "weber-facilitation",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("set `usage_rights.vat`"));
    // No organisation for the person: say how to register one.
    let out = ws.run(&["declaration", "invoice", "--person", "julia-weber"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ws.edit("fresk.yaml", "min_invoice: 150", "min_invoice: 150, vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }");
    assert_eq!(before.len(), tree(&ws).len());
    assert!(!ws.path().join("invoices/2026/F2026-0003.yaml").exists());
}
