//! Legal and privacy rules: each triggered at its exact position, and silent on the valid case.

use crate::support::*;

const CONFIG: &str = "fresk.yaml";
const REQUEST: &str = "requests/2026/R2026-0001.yaml";
const REQUEST2: &str = "requests/2026/R2026-0002.yaml";
const PAYOUT: &str = "payouts/2026/P2026-05-M2026-0001.yaml";
const CLEO: &str = "people/cleo-coord.yaml";
const FELIX: &str = "people/felix-facil.yaml";
const ACME: &str = "organisations/acme.yaml";
const S01: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";

const RULES: [&str; 13] = [
    "numbering-format",
    "bad-series-pattern",
    "private-exposed",
    "numbering-gap",
    "numbering-duplicate",
    "numbering-order",
    "series-mixed",
    "missing-mandate",
    "missing-legal-mention",
    "siret-checksum",
    "vat-mention",
    "sole-trader-ei",
    "personal-data-tracked",
];

/// No finding of any legal or privacy rule.
#[track_caller]
fn quiet(lint: &Lint) {
    for rule in RULES {
        lint.expect_none(rule);
    }
}

/// A second request whose quote has `number`, sent on `sent`; `quote.number` is on line 11,
/// column 11.
fn request2(ws: &Ws, number: &str, sent: &str) {
    ws.write(
        REQUEST2,
        &format!(
            "id: R2026-0002
state: quoted
track: subcontracting
received: 2026-02-20 09:00
channel: email
origin: internet
organisation: acme
owner: sam-staff
first_response: 2026-02-20 10:00
quote:
  number: {number}
  sent: {sent}
  valid_until: 2026-07-30
  lines:
    - {{ offer: workshop-onsite, quantity: 1 }}
"
        ),
    );
}

/// An invoice (or credit note) file named after `id`; `id` is on line 1, column 5.
fn invoice(ws: &Ws, id: &str, kind: &str, state: &str, issued: &str) -> String {
    let file = format!("invoices/2026/{id}.yaml");
    let corrects = if kind == "credit-note" {
        "corrects: F2026-0001\n"
    } else {
        ""
    };
    let dates = if state == "draft" {
        String::new()
    } else {
        format!("issued: {issued}\ndue: 2026-07-20\n")
    };
    ws.write(
        &file,
        &format!(
            "id: {id}
kind: {kind}
state: {state}
mission: M2026-0001
organisation: acme
{dates}{corrects}lines:
  - {{ offer: workshop-onsite, quantity: 1, unit_price: 1200 }}
"
        ),
    );
    file
}

/// Turn the base payout into an invoiced one with these self-invoices, one per line from line
/// 10 on: `(person, number, issued)`. The number's value starts at column 35 for `cleo-coord`
/// and column 36 for `felix-facil`.
fn self_invoices(ws: &Ws, invoices: &[(&str, &str, &str)]) {
    let mut text = ws
        .read(PAYOUT)
        .replace("state: requested", "state: invoiced");
    text.push_str("self_invoices:\n");
    for (person, number, issued) in invoices {
        text.push_str(&format!(
            "  - {{ person: {person}, number: {number}, issued: {issued}, total: 250 }}\n"
        ));
    }
    ws.write(PAYOUT, &text);
}

// --- clean workspaces ---------------------------------------------------------------------

#[test]
fn base_and_example_have_no_legal_or_privacy_findings() {
    quiet(&Ws::base().lint());
    quiet(&Ws::example().lint());
}

// --- numbering-format ---------------------------------------------------------------------

#[test]
fn quote_number_outside_its_series() {
    let ws = Ws::base();
    ws.edit(REQUEST, "number: D2026-0001", "number: Q2026-0001");
    let lint = ws.lint();
    let f = lint.expect("numbering-format", REQUEST, 14, 11);
    assert!(f.message.contains("`Q2026-0001`"), "{}", f.message);
    assert!(f.message.contains("`D{year}-{seq:04}`"), "{}", f.message);
    assert!(f.message.contains("`D2026-0001`"), "{}", f.message);
}

#[test]
fn number_with_the_wrong_year_or_padding() {
    let ws = Ws::base();
    ws.edit(REQUEST, "number: D2026-0001", "number: D2025-0001");
    let lint = ws.lint();
    let f = lint.expect("numbering-format", REQUEST, 14, 11);
    assert!(
        f.message.contains("year 2025") && f.message.contains("2026-03-04"),
        "{}",
        f.message
    );

    let ws = Ws::base();
    ws.edit(REQUEST, "number: D2026-0001", "number: D2026-001");
    ws.lint().expect("numbering-format", REQUEST, 14, 11);
}

#[test]
fn invoice_id_in_the_credit_note_series() {
    let ws = Ws::base();
    let file = invoice(&ws, "AV2026-0001", "invoice", "issued", "2026-05-21");
    let lint = ws.lint();
    let f = lint.expect("numbering-format", &file, 1, 5);
    assert!(f.message.contains("kind: credit-note"), "{}", f.message);
}

#[test]
fn draft_invoice_named_with_a_number() {
    let ws = Ws::base();
    let file = invoice(&ws, "F2026-0001", "invoice", "draft", "");
    let lint = ws.lint();
    let f = lint.expect("numbering-format", &file, 1, 5);
    assert!(f.message.contains("`I-M2026-0001`"), "{}", f.message);
    // A draft is not part of the series: nothing else is said about it.
    assert_eq!(
        lint.findings.iter().filter(|f| f.file == file).count(),
        1,
        "{}",
        lint.listing()
    );
}

#[test]
fn valid_invoices_drafts_and_credit_notes_are_quiet() {
    let ws = Ws::base();
    invoice(&ws, "F2026-0001", "invoice", "sent", "2026-05-21");
    invoice(&ws, "F2026-0002", "invoice", "issued", "2026-05-21");
    invoice(&ws, "AV2026-0001", "credit-note", "issued", "2026-05-30");
    invoice(&ws, "I-M2026-0001", "invoice", "draft", "");
    request2(&ws, "D2026-0002", "2026-03-04");
    self_invoices(
        &ws,
        &[
            ("cleo-coord", "AF-cleo-coord-0001", "2026-05-05"),
            ("felix-facil", "AF-felix-facil-0001", "2026-05-05"),
        ],
    );
    quiet(&ws.lint());
}

#[test]
fn self_invoice_number_of_no_series() {
    let ws = Ws::base();
    self_invoices(&ws, &[("cleo-coord", "AF-cleo-coord-1", "2026-05-05")]);
    let lint = ws.lint();
    let f = lint.expect("numbering-format", PAYOUT, 10, 35);
    assert!(f.message.contains("`AF-cleo-coord-0001`"), "{}", f.message);
}

#[test]
fn broken_series_pattern_in_the_configuration() {
    let ws = Ws::base();
    ws.edit(
        CONFIG,
        "quote: \"D{year}-{seq:04}\"",
        "quote: \"D{yr}-{seq:04}\"",
    );
    let lint = ws.lint();
    let f = lint.expect("bad-series-pattern", CONFIG, 35, 10);
    assert!(f.message.contains("`{yr}`"), "{}", f.message);
    // The quotes are not checked against a broken pattern.
    lint.expect_none("numbering-format");

    let ws = Ws::base();
    ws.edit(CONFIG, "\"AF-{person}-{seq:04}\"", "\"AF-{seq:04}\"");
    let f = ws
        .lint()
        .expect("bad-series-pattern", CONFIG, 38, 17)
        .clone();
    assert!(f.message.contains("{person}"), "{}", f.message);
}

// --- numbering-gap ------------------------------------------------------------------------

#[test]
fn gap_in_the_quote_series() {
    let ws = Ws::base();
    request2(&ws, "D2026-0003", "2026-03-05");
    let lint = ws.lint();
    let f = lint.expect("numbering-gap", REQUEST2, 11, 11);
    assert!(
        f.message.contains("`D2026-0002` is missing"),
        "{}",
        f.message
    );
}

#[test]
fn gap_in_the_invoice_series_and_years_restart() {
    let ws = Ws::base();
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-02");
    let file = invoice(&ws, "F2026-0005", "invoice", "issued", "2026-05-21");
    let lint = ws.lint();
    let f = lint.expect("numbering-gap", &file, 1, 5);
    assert!(
        f.message
            .contains("`F2026-0002` to `F2026-0004` (3 numbers)")
            || f.message
                .contains("`F2026-0002`, `F2026-0003`, `F2026-0004` are missing"),
        "{}",
        f.message
    );
    assert_eq!(lint.of("numbering-gap").len(), 1, "{}", lint.listing());

    // Each year starts again at 1.
    let ws = Ws::base();
    ws.write(
        "invoices/2025/F2025-0001.yaml",
        "id: F2025-0001\nkind: invoice\nstate: paid\norganisation: acme\nissued: 2025-11-03\ndue: 2025-12-03\nsent: 2025-11-03\npaid: { date: 2025-11-20 }\nlines:\n  - { offer: workshop-onsite, quantity: 1, unit_price: 1200 }\n",
    );
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-02");
    quiet(&ws.lint());
}

#[test]
fn gap_in_one_facilitators_self_invoice_series() {
    let ws = Ws::base();
    self_invoices(
        &ws,
        &[
            ("cleo-coord", "AF-cleo-coord-0002", "2026-05-05"),
            ("felix-facil", "AF-felix-facil-0001", "2026-05-05"),
        ],
    );
    let lint = ws.lint();
    let f = lint.expect("numbering-gap", PAYOUT, 10, 35);
    assert!(
        f.message.contains("`AF-cleo-coord-0001` is missing"),
        "{}",
        f.message
    );
    assert!(f.message.contains("cleo-coord"), "{}", f.message);
    assert_eq!(lint.of("numbering-gap").len(), 1, "{}", lint.listing());
}

#[test]
fn deleting_an_issued_invoice_leaves_a_gap() {
    let ws = Ws::base();
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-02");
    let second = invoice(&ws, "F2026-0002", "invoice", "issued", "2026-05-03");
    let third = invoice(&ws, "F2026-0003", "invoice", "issued", "2026-05-04");
    quiet(&ws.lint());
    ws.remove(&second);
    let lint = ws.lint();
    let f = lint.expect("numbering-gap", &third, 1, 5);
    assert!(
        f.message.contains("`F2026-0002` is missing"),
        "{}",
        f.message
    );
}

// --- numbering-duplicate ------------------------------------------------------------------

#[test]
fn quote_number_used_twice() {
    let ws = Ws::base();
    request2(&ws, "D2026-0001", "2026-03-04");
    let lint = ws.lint();
    let f = lint.expect("numbering-duplicate", REQUEST2, 11, 11);
    assert!(f.message.contains(REQUEST), "{}", f.message);
    let first = f.related_at(REQUEST, 14, 11);
    assert_eq!(first.message, "the first use of number `D2026-0001`");
    lint.expect_none("numbering-gap");
}

#[test]
fn self_invoice_number_used_twice() {
    let ws = Ws::base();
    self_invoices(
        &ws,
        &[
            ("cleo-coord", "AF-cleo-coord-0001", "2026-05-05"),
            ("cleo-coord", "AF-cleo-coord-0001", "2026-05-05"),
        ],
    );
    let lint = ws.lint();
    let f = lint.expect("numbering-duplicate", PAYOUT, 11, 35);
    assert!(
        f.message.contains("self_invoices[0].number"),
        "{}",
        f.message
    );
    f.related_at(PAYOUT, 10, 35);
    assert_eq!(
        lint.of("numbering-duplicate").len(),
        1,
        "{}",
        lint.listing()
    );
}

// --- numbering-order ----------------------------------------------------------------------

#[test]
fn quote_numbered_before_an_earlier_one() {
    let ws = Ws::base();
    request2(&ws, "D2026-0002", "2026-03-01");
    let lint = ws.lint();
    let f = lint.expect("numbering-order", REQUEST2, 11, 11);
    assert!(
        f.message.contains("2026-03-01") && f.message.contains("2026-03-04"),
        "{}",
        f.message
    );
    assert!(f.message.contains("`D2026-0001`"), "{}", f.message);
}

#[test]
fn invoices_out_of_date_order_and_same_day_is_fine() {
    let ws = Ws::base();
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-21");
    let file = invoice(&ws, "F2026-0002", "invoice", "issued", "2026-05-20");
    ws.lint().expect("numbering-order", &file, 1, 5);

    let ws = Ws::base();
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-21");
    invoice(&ws, "F2026-0002", "invoice", "issued", "2026-05-21");
    ws.lint().expect_none("numbering-order");
}

// --- series-mixed -------------------------------------------------------------------------

#[test]
fn self_invoice_in_another_facilitators_series() {
    let ws = Ws::base();
    self_invoices(&ws, &[("cleo-coord", "AF-felix-facil-0001", "2026-05-05")]);
    let lint = ws.lint();
    let f = lint.expect("series-mixed", PAYOUT, 10, 35);
    assert!(
        f.message.contains("`felix-facil`'s series"),
        "{}",
        f.message
    );
    assert!(f.message.contains("`AF-cleo-coord-0001`"), "{}", f.message);
    lint.expect_none("numbering-format");
}

#[test]
fn self_invoice_in_the_associations_invoice_series() {
    let ws = Ws::base();
    self_invoices(&ws, &[("felix-facil", "F2026-0001", "2026-05-05")]);
    let lint = ws.lint();
    let f = lint.expect("series-mixed", PAYOUT, 10, 36);
    assert!(f.message.contains("invoice series"), "{}", f.message);
}

#[test]
fn invoice_numbered_in_the_self_invoice_series() {
    let ws = Ws::base();
    let file = invoice(&ws, "AF-cleo-coord-0001", "invoice", "issued", "2026-05-21");
    let lint = ws.lint();
    let f = lint.expect("series-mixed", &file, 1, 5);
    assert!(f.message.contains("`F2026-0001`"), "{}", f.message);
}

// --- missing-mandate ----------------------------------------------------------------------

#[test]
fn payout_line_for_a_person_without_a_mandate() {
    let ws = Ws::base();
    ws.edit(FELIX, "  mandate: { signed: 2025-02-01 }\n", "");
    let lint = ws.lint();
    let f = lint.expect("missing-mandate", PAYOUT, 8, 40);
    assert!(f.message.contains("own invoice"), "{}", f.message);
    assert!(f.message.contains("cannot self-bill"), "{}", f.message);
    assert_eq!(lint.of("missing-mandate").len(), 1, "{}", lint.listing());
}

#[test]
fn payout_line_for_a_person_abroad_or_without_billing() {
    let ws = Ws::base();
    ws.edit(FELIX, "country: FR", "country: BE");
    let lint = ws.lint();
    let f = lint.expect("missing-mandate", PAYOUT, 8, 40);
    assert!(
        f.message.contains("outside France") && f.message.contains("BE"),
        "{}",
        f.message
    );

    let ws = Ws::base();
    ws.write(
        FELIX,
        "id: felix-facil\nname: Félix Facil\nroles: [facilitator]\n",
    );
    let lint = ws.lint();
    let f = lint.expect("missing-mandate", PAYOUT, 8, 40);
    assert!(f.message.contains("no `billing`"), "{}", f.message);
}

#[test]
fn self_invoice_issued_before_the_mandate() {
    let ws = Ws::base();
    ws.edit(CLEO, "signed: 2025-01-10", "signed: 2026-05-10");
    self_invoices(&ws, &[("cleo-coord", "AF-cleo-coord-0001", "2026-05-05")]);
    let lint = ws.lint();
    let f = lint.expect("missing-mandate", PAYOUT, 10, 63);
    assert!(f.message.contains("2026-05-10"), "{}", f.message);
}

#[test]
fn rejected_payouts_need_no_mandate() {
    let ws = Ws::base();
    ws.edit(FELIX, "  mandate: { signed: 2025-02-01 }\n", "");
    ws.edit(
        PAYOUT,
        "state: requested",
        "state: rejected\nrejection: { reason: missing attendance sheet }",
    );
    quiet(&ws.lint());
}

// --- missing-legal-mention ----------------------------------------------------------------

#[test]
fn association_without_siret_or_training_declaration() {
    let ws = Ws::base();
    ws.edit(CONFIG, "  siret: \"73282932000074\"\n", "");
    let lint = ws.lint();
    let f = lint.expect("missing-legal-mention", CONFIG, 2, 1);
    assert!(f.message.contains("siret"), "{}", f.message);

    let ws = Ws::base();
    ws.edit(CONFIG, "  training_declaration: \"11756543210\"\n", "");
    let lint = ws.lint();
    let f = lint.expect("missing-legal-mention", CONFIG, 2, 1);
    assert!(f.message.contains("`training-day`"), "{}", f.message);

    let ws = Ws::base();
    ws.edit(
        CONFIG,
        "address: \"1 rue du Test, 75001 Paris\"",
        "address: \"\"",
    );
    ws.lint().expect("missing-legal-mention", CONFIG, 5, 12);
}

#[test]
fn no_training_declaration_needed_without_training() {
    let ws = Ws::base();
    ws.edit(CONFIG, "  training_declaration: \"11756543210\"\n", "");
    ws.edit(CONFIG, "kind: training", "kind: other");
    ws.lint().expect_none("missing-legal-mention");
}

#[test]
fn paid_facilitator_without_address_or_siret() {
    let ws = Ws::base();
    ws.edit(
        FELIX,
        "address: \"8 rue Neuve, 69002 Lyon\"",
        "address: \"\"",
    );
    let lint = ws.lint();
    let f = lint.expect("missing-legal-mention", FELIX, 8, 12);
    assert!(f.message.contains("address"), "{}", f.message);

    let ws = Ws::base();
    ws.edit(FELIX, "  siret: \"73282932000074\"\n", "");
    let lint = ws.lint();
    let f = lint.expect("missing-legal-mention", FELIX, 5, 1);
    assert!(f.message.contains("billing.siret"), "{}", f.message);
}

#[test]
fn invoiced_client_without_address_or_siren() {
    let ws = Ws::base();
    ws.edit(ACME, "address: \"10 quai Perrache, 69002 Lyon\"\n", "");
    ws.edit(ACME, "siret: \"73282932000074\"\n", "");
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-21");
    let lint = ws.lint();
    let found: Vec<_> = lint
        .of("missing-legal-mention")
        .into_iter()
        .filter(|f| f.file == ACME && f.line == 1 && f.column == 1)
        .collect();
    assert_eq!(found.len(), 2, "{}", lint.listing());
    assert!(found.iter().any(|f| f.message.contains("address")));
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("SIREN") && f.message.contains("F2026-0001"))
    );
}

#[test]
fn clients_of_drafts_and_public_clients_need_no_siren() {
    let ws = Ws::base();
    ws.edit(ACME, "siret: \"73282932000074\"\n", "");
    invoice(&ws, "I-M2026-0001", "invoice", "draft", "");
    ws.lint().expect_none("missing-legal-mention");

    let ws = Ws::base();
    ws.edit(ACME, "siret: \"73282932000074\"\n", "");
    ws.edit(ACME, "sector: business", "sector: public");
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-21");
    // No SIREN is printed for a public client; only a warning that Chorus Pro routes its
    // e-invoices by its SIRET.
    let lint = ws.lint();
    for f in lint.of("missing-legal-mention") {
        assert!(
            f.severity == "warning" && f.message.contains("Chorus Pro"),
            "{}",
            lint.listing()
        );
    }
}

#[test]
fn quoted_client_without_address() {
    // R2026-0001 carries quote D2026-0001 to acme: a quote prints the client's address.
    let ws = Ws::base();
    ws.edit(ACME, "address: \"10 quai Perrache, 69002 Lyon\"\n", "");
    let lint = ws.lint();
    let found = lint.of("missing-legal-mention");
    assert_eq!(found.len(), 1, "{}", lint.listing());
    assert!(
        found[0].file == ACME && found[0].message.contains("quote `D2026-0001`"),
        "{}",
        found[0].message
    );
}

// --- siret-checksum -----------------------------------------------------------------------

#[test]
fn siret_with_a_wrong_key_length_or_character() {
    let ws = Ws::base();
    ws.edit(ACME, "\"73282932000074\"", "\"73282932000075\"");
    ws.edit(CONFIG, "\"73282932000074\"", "\"7328293200007\"");
    ws.edit(CLEO, "\"73282932000074\"", "\"73282932O00074\"");
    let lint = ws.lint();
    let f = lint.expect("siret-checksum", ACME, 5, 8);
    assert!(f.message.contains("Luhn"), "{}", f.message);
    let f = lint.expect("siret-checksum", CONFIG, 6, 10);
    assert!(f.message.contains("13 digits"), "{}", f.message);
    let f = lint.expect("siret-checksum", CLEO, 8, 10);
    assert!(f.message.contains("`O`"), "{}", f.message);
}

#[test]
fn siren_that_does_not_head_the_siret() {
    let ws = Ws::base();
    ws.edit(ACME, "siret:", "siren: \"552100554\"\nsiret:");
    let lint = ws.lint();
    let f = lint.expect("siret-checksum", ACME, 6, 8);
    assert!(f.message.contains("552100554"), "{}", f.message);

    let ws = Ws::base();
    ws.edit(ACME, "siret:", "siren: \"732 829 320\"\nsiret:");
    ws.lint().expect_none("siret-checksum");
}

#[test]
fn spaced_and_la_poste_sirets_are_valid() {
    let ws = Ws::base();
    ws.edit(ACME, "\"73282932000074\"", "\"356 000 000 49837\"");
    ws.edit(CLEO, "\"73282932000074\"", "\"732 829 320 00074\"");
    ws.lint().expect_none("siret-checksum");
}

// --- vat-mention --------------------------------------------------------------------------

#[test]
fn exemption_without_mention_and_standard_without_rate() {
    let ws = Ws::base();
    ws.edit(
        CONFIG,
        "vat: { regime: exempt, mention: \"TVA non applicable, art. 261-4-4° a du CGI\" }",
        "vat: { regime: exempt }",
    );
    ws.edit(
        CLEO,
        "vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }",
        "vat: { regime: standard }",
    );
    let lint = ws.lint();
    let f = lint.expect("vat-mention", CONFIG, 7, 3);
    assert_eq!(f.severity, "error");
    assert!(f.message.contains("mention"), "{}", f.message);
    let f = lint.expect("vat-mention", CLEO, 10, 3);
    assert_eq!(f.severity, "error");
    assert!(f.message.contains("rate"), "{}", f.message);
}

#[test]
fn franchise_mention_without_293_b_is_a_warning() {
    let ws = Ws::base();
    ws.edit(
        CLEO,
        "\"TVA non applicable, art. 293 B du CGI\"",
        "\"TVA non applicable\"",
    );
    let lint = ws.lint();
    let f = lint.expect("vat-mention", CLEO, 10, 38);
    assert_eq!(f.severity, "warning");
    assert!(f.message.contains("293 B"), "{}", f.message);
}

#[test]
fn standard_vat_with_a_rate_is_fine() {
    let ws = Ws::base();
    ws.edit(
        CLEO,
        "vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }",
        "vat: { regime: standard, rate: 20, number: FR40813552072 }",
    );
    ws.lint().expect_none("vat-mention");
}

// --- sole-trader-ei -----------------------------------------------------------------------

#[test]
fn sole_trader_without_ei() {
    let ws = Ws::base();
    ws.edit(CLEO, "\"Cléo Coord EI\"", "\"Cléo Coord\"");
    let lint = ws.lint();
    let f = lint.expect("sole-trader-ei", CLEO, 7, 15);
    assert!(f.message.contains("`Cléo Coord EI`"), "{}", f.message);
}

#[test]
fn companies_and_spelled_out_sole_traders_are_fine() {
    let ws = Ws::base();
    ws.edit(
        CLEO,
        "\"Cléo Coord EI\"",
        "\"Coord Conseil SARL\"\n  entity: company",
    );
    ws.edit(
        FELIX,
        "\"Félix Facil EI\"",
        "\"Félix Facil, entrepreneur individuel\"",
    );
    ws.lint().expect_none("sole-trader-ei");
}

// --- personal-data-tracked ----------------------------------------------------------------

#[test]
fn email_phone_and_iban_in_free_text() {
    let ws = Ws::base();
    ws.edit(
        S01,
        "location: \"ACME, 10 quai Perrache, Lyon\"",
        "location: \"ACME, 10 quai Perrache, Lyon (Jeanne : 06 12 34 56 78)\"",
    );
    ws.edit(
        REQUEST,
        "coordinator: cleo-coord\n",
        "coordinator: cleo-coord\nnotes: RIB du client FR76 3000 6000 0112 3456 7890 189, copie à paul.durand@acme.example\n",
    );
    ws.edit(
        ACME,
        "{ name: Jeanne Martin,",
        "{ name: \"Jeanne Martin (+33 6 12 34 56 78)\",",
    );
    let lint = ws.lint();
    let f = lint.expect("personal-data-tracked", S01, 7, 11);
    assert!(
        f.message.contains("a phone number `06 12 34 56 78`"),
        "{}",
        f.message
    );
    assert!(f.message.contains("roster"), "{}", f.message);
    let f = lint.expect("personal-data-tracked", REQUEST, 21, 8);
    assert!(
        f.message
            .contains("an IBAN `FR76 3000 6000 0112 3456 7890 189`"),
        "{}",
        f.message
    );
    assert!(
        f.message
            .contains("e-mail address `paul.durand@acme.example`"),
        "{}",
        f.message
    );
    assert!(f.message.contains("private/"), "{}", f.message);
    let f = lint.expect("personal-data-tracked", ACME, 7, 13);
    assert!(f.message.contains("`contacts[0].name`"), "{}", f.message);
    assert!(f.message.contains("contacts[].phone"), "{}", f.message);
    assert_eq!(
        lint.of("personal-data-tracked").len(),
        3,
        "{}",
        lint.listing()
    );
}

#[test]
fn email_in_a_persons_notes_and_an_invoice_reference() {
    let ws = Ws::base();
    ws.edit(
        "people/sam-staff.yaml",
        "roles: [staff]\n",
        "roles: [staff]\nnotes: >-\n  Remplaçante pendant les congés :\n  marie.curie@asso.example\n",
    );
    invoice(&ws, "F2026-0001", "invoice", "issued", "2026-05-21");
    ws.edit(
        "invoices/2026/F2026-0001.yaml",
        "lines:",
        "purchase_order: \"PO 0612345678\"\nlines:",
    );
    let lint = ws.lint();
    let f = lint.expect("personal-data-tracked", "people/sam-staff.yaml", 6, 3);
    assert!(
        f.message.contains("`marie.curie@asso.example`"),
        "{}",
        f.message
    );
    lint.expect(
        "personal-data-tracked",
        "invoices/2026/F2026-0001.yaml",
        8,
        17,
    );
}

#[test]
fn contact_fields_dates_amounts_and_ids_are_not_personal_data() {
    let ws = Ws::base();
    ws.edit(
        "people/sam-staff.yaml",
        "email: sam@asso.example\n",
        "email: sam@asso.example\nphone: \"+33 6 12 34 56 78\"\nnotes: \"Arrivé le 2026-03-14 à 09.30 ; SIRET 732 829 320 00074 ; 1 200,50 € HT ; R2026-0042, M2026-0001-S01, AF-cleo-coord-0007, PO-88123, FR40813552072\"\n",
    );
    ws.edit(
        REQUEST,
        "owner: sam-staff\n",
        "contact: { name: Jeanne Martin, email: jeanne.martin@acme.example, phone: 06 12 34 56 78 }\nowner: sam-staff\n",
    );
    ws.edit(
        CONFIG,
        "  training_declaration:",
        "  email: contact@asso.example\n  phone: \"01 23 45 67 89\"\n  training_declaration:",
    );
    ws.lint().expect_none("personal-data-tracked");
}
