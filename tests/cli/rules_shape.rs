//! Syntax, shape, reference and lifecycle rules, and hostile input: each triggered at its exact
//! position, and silent on the valid case.

use crate::support::*;

const S01: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";
const S02: &str = "missions/M2026-0001/sessions/M2026-0001-S02.yaml";
const PAYOUT: &str = "payouts/2026/P2026-05-M2026-0001.yaml";
const MISSION: &str = "missions/M2026-0001/mission.yaml";
const REQUEST: &str = "requests/2026/R2026-0001.yaml";

// --- syntax -------------------------------------------------------------------------------

#[test]
fn yaml_syntax_error_has_its_position() {
    let ws = Ws::base();
    ws.write(
        "people/bad.yaml",
        "id: bad\nname: \"Unclosed\nroles: [facilitator]\n",
    );
    let lint = ws.lint();
    let f = lint.expect("yaml-syntax", "people/bad.yaml", 2, 7);
    assert!(f.message.contains("quoted scalar"), "{}", f.message);
    assert_eq!(lint.code, 1);
}

#[test]
fn duplicate_key_points_at_the_second_key() {
    let ws = Ws::base();
    ws.edit(
        S01,
        "satisfaction: 4.6\n",
        "satisfaction: 4.6\nstate: planned\n",
    );
    let lint = ws.lint();
    let f = lint.expect("duplicate-key", S01, 16, 1);
    assert!(f.message.contains("first set on line 3"), "{}", f.message);
}

#[test]
fn merge_conflict_markers_are_reported_per_line() {
    let ws = Ws::base();
    ws.edit(
        S01,
        "state: held\n",
        "<<<<<<< HEAD\nstate: held\n=======\nstate: cancelled\n>>>>>>> branch\n",
    );
    let lint = ws.lint();
    lint.expect("merge-conflict", S01, 3, 1);
    lint.expect("merge-conflict", S01, 5, 1);
    lint.expect("merge-conflict", S01, 7, 1);
    lint.expect_none("yaml-syntax");
}

#[test]
fn empty_list_and_scalar_files_are_not_mappings() {
    let ws = Ws::base();
    ws.write("people/empty.yaml", "");
    ws.write("people/list.yaml", "- id: list\n- name: x\n");
    ws.write("people/scalar.yaml", "just a sentence\n");
    ws.write("people/comments.yaml", "# only a comment\n");
    let lint = ws.lint();
    lint.expect("not-a-mapping", "people/empty.yaml", 1, 1);
    lint.expect("not-a-mapping", "people/list.yaml", 1, 1);
    lint.expect("not-a-mapping", "people/scalar.yaml", 1, 1);
    lint.expect("not-a-mapping", "people/comments.yaml", 1, 1);
}

#[test]
fn encoding_problems() {
    let ws = Ws::base();
    ws.write_bytes(
        "people/latin1.yaml",
        b"id: latin1\nname: Ren\xe9\nroles: [facilitator]\n",
    );
    let bom = format!("\u{feff}{}", ws.read("people/felix-facil.yaml"));
    ws.write("people/felix-facil.yaml", &bom);
    let crlf = ws.read("people/sam-staff.yaml").replace('\n', "\r\n");
    ws.write("people/sam-staff.yaml", &crlf);
    let lint = ws.lint();
    let f = lint.expect("encoding", "people/latin1.yaml", 2, 10);
    assert_eq!(f.severity, "error");
    let f = lint.expect("encoding", "people/felix-facil.yaml", 1, 1);
    assert_eq!(f.severity, "warning");
    let f = lint.expect("encoding", "people/sam-staff.yaml", 1, 1);
    assert_eq!(f.severity, "warning");
    // The BOM and CRLF files are still read: no other finding in them.
    assert_eq!(
        lint.findings
            .iter()
            .filter(|f| f.file == "people/sam-staff.yaml")
            .count(),
        1,
        "{}",
        lint.listing()
    );
}

#[test]
fn tabs_in_indentation_are_a_syntax_error() {
    let ws = Ws::base();
    ws.write(
        "people/tabs.yaml",
        "id: tabs\nname: T\nroles:\n\t- facilitator\n",
    );
    let lint = ws.lint();
    assert_eq!(lint.of("yaml-syntax").len(), 1, "{}", lint.listing());
    assert_eq!(lint.of("yaml-syntax")[0].file, "people/tabs.yaml");
}

#[test]
fn huge_file_is_refused_without_parsing() {
    let ws = Ws::base();
    let mut text = String::from("id: huge\nname: H\nroles: [facilitator]\nnotes: |\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(
            "  lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n",
        );
    }
    ws.write("people/huge.yaml", &text);
    ws.lint().expect("file-too-large", "people/huge.yaml", 1, 1);
}

#[test]
fn alias_bomb_and_deep_nesting_give_findings() {
    let ws = Ws::base();
    let mut bomb = String::from(
        "id: bomb\nname: B\nroles: [facilitator]\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..20 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    ws.write("people/bomb.yaml", &bomb);
    ws.write(
        "people/deep.yaml",
        &format!("id: deep\nname: {}\n", "[".repeat(100_000)),
    );
    let lint = ws.lint();
    assert!(
        lint.of("yaml-syntax")
            .iter()
            .any(|f| f.file == "people/bomb.yaml" && f.message.contains("alias"))
    );
    assert!(
        lint.of("yaml-syntax")
            .iter()
            .any(|f| f.file == "people/deep.yaml")
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_workspace_are_not_followed() {
    let ws = Ws::base();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.yaml"),
        "id: secret\nname: S\nroles: [staff]\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        ws.path().join("people/secret.yaml"),
    )
    .unwrap();
    // A link inside the workspace is fine.
    std::os::unix::fs::symlink(
        ws.path().join("people/felix-facil.yaml"),
        ws.path().join("people/alias.yaml"),
    )
    .unwrap();
    let lint = ws.lint();
    lint.expect("symlink-escape", "people/secret.yaml", 1, 1);
    lint.expect("id-filename", "people/alias.yaml", 1, 5);
}

#[test]
fn misplaced_files_are_reported() {
    let ws = Ws::base();
    ws.write("requests/R2026-0009.yaml", "id: R2026-0009\n");
    ws.write("people/someone.yml", "id: someone\n");
    let lint = ws.lint();
    let f = lint.expect("misplaced-file", "requests/R2026-0009.yaml", 1, 1);
    assert!(
        f.message.contains("requests/<year>/<request-id>.yaml"),
        "{}",
        f.message
    );
    let f = lint.expect("misplaced-file", "people/someone.yml", 1, 1);
    assert!(f.message.contains(".yaml"), "{}", f.message);
}

// --- shape --------------------------------------------------------------------------------

#[test]
fn unknown_field_points_at_the_key_with_a_suggestion() {
    let ws = Ws::base();
    ws.edit(S01, "facilitators:", "facilitatrs:");
    let lint = ws.lint();
    let f = lint.expect("unknown-field", S01, 8, 1);
    assert_eq!((f.end_line, f.end_column), (8, 12));
    assert_eq!(
        f.message,
        "unknown field `facilitatrs`; did you mean `facilitators`?"
    );
}

#[test]
fn unknown_nested_field_without_a_close_match_lists_the_allowed_ones() {
    let ws = Ws::base();
    ws.edit(S01, "  expected: 15\n", "  expected: 15\n  colour: blue\n");
    let f = ws.lint().expect("unknown-field", S01, 13, 3).clone();
    assert!(
        f.message.contains("in `participants`") && f.message.contains("`attended`"),
        "{}",
        f.message
    );
}

#[test]
fn missing_field_is_reported_at_its_parent() {
    let ws = Ws::base();
    ws.edit(S01, "offer: workshop-onsite\n", "");
    let f = ws.lint().expect("missing-field", S01, 1, 1).clone();
    assert!(f.message.contains("`offer`"), "{}", f.message);
    let ws = Ws::base();
    ws.edit(
        "fresk.yaml",
        "  address: \"1 rue du Test, 75001 Paris\"\n",
        "",
    );
    let f = ws
        .lint()
        .expect("missing-field", "fresk.yaml", 2, 1)
        .clone();
    assert!(
        f.message.contains("`address` in `organisation`"),
        "{}",
        f.message
    );
}

#[test]
fn every_shape_problem_of_a_file_is_reported_at_once() {
    let ws = Ws::base();
    ws.edit(S01, "state: held", "state: hled");
    ws.edit(S01, "start: 2026-04-14 09:00", "start: 2026-04-31 09:00");
    ws.edit(S01, "expected: 15", "expected: many");
    ws.edit(S01, "location:", "locaton:");
    let lint = ws.lint();
    let f = lint.expect("bad-enum", S01, 3, 8);
    assert!(f.message.contains("did you mean `held`?"), "{}", f.message);
    lint.expect("bad-date", S01, 5, 8);
    lint.expect("wrong-type", S01, 12, 13);
    lint.expect("unknown-field", S01, 7, 1);
}

#[test]
fn wrong_type_for_a_list() {
    let ws = Ws::base();
    ws.edit(
        MISSION,
        "order:\n  - { offer: workshop-onsite, quantity: 3, unit_price: 1200 }\n",
        "order: workshop-onsite\n",
    );
    let f = ws.lint().expect("wrong-type", MISSION, 8, 8).clone();
    assert!(f.message.contains("a list"), "{}", f.message);
}

#[test]
fn bad_money_has_more_than_two_decimals_or_is_not_a_number() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "amount: 500 }", "amount: 500.125 }");
    ws.edit(PAYOUT, "amount: 250 }", "amount: \"250,00\" }");
    let lint = ws.lint();
    lint.expect("bad-money", PAYOUT, 7, 72);
    lint.expect("bad-money", PAYOUT, 8, 71);
}

#[test]
fn money_is_read_exactly_in_any_spelling() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "amount: 500 }", "amount: \"500.00\" }");
    ws.edit(PAYOUT, "amount: 250 }", "amount: 250.0 }");
    ws.lint().expect_clean();
}

#[test]
fn id_must_match_the_file_name() {
    let ws = Ws::base();
    ws.edit(S02, "id: M2026-0001-S02", "id: M2026-0001-S03");
    let f = ws.lint().expect("id-filename", S02, 1, 5).clone();
    assert!(f.message.contains("M2026-0001-S02"), "{}", f.message);
    let ws = Ws::base();
    ws.edit(MISSION, "id: M2026-0001", "id: M2026-0002");
    ws.lint().expect("id-filename", MISSION, 1, 5);
}

#[test]
fn unknown_time_zone() {
    let ws = Ws::base();
    ws.edit(
        "fresk.yaml",
        "timezone: Europe/Paris",
        "timezone: Europe/Pariss",
    );
    let lint = ws.lint();
    let f = lint.expect("bad-enum", "fresk.yaml", 9, 11);
    assert!(
        f.message.contains("did you mean `Europe/Paris`?"),
        "{}",
        f.message
    );
}

// --- references ---------------------------------------------------------------------------

#[test]
fn unknown_person_suggests_a_close_id() {
    let ws = Ws::base();
    ws.edit(S01, "person: felix-facil", "person: felix-facile");
    let lint = ws.lint();
    let f = lint.expect("unknown-person", S01, 10, 15);
    assert!(
        f.message.contains("did you mean `felix-facil`?"),
        "{}",
        f.message
    );
}

#[test]
fn unknown_references_of_every_kind() {
    let ws = Ws::base();
    ws.edit(MISSION, "organisation: acme", "organisation: acne-corp");
    ws.edit(MISSION, "request: R2026-0001", "request: R2026-0099");
    ws.edit(S02, "offer: workshop-onsite", "offer: workshop-online");
    ws.edit(PAYOUT, "mission: M2026-0001", "mission: M2026-0404");
    ws.edit(
        PAYOUT,
        "{ session: M2026-0001-S01, person: felix-facil",
        "{ session: M2026-0001-S09, person: felix-facil",
    );
    let lint = ws.lint();
    lint.expect("unknown-organisation", MISSION, 4, 15);
    lint.expect("unknown-request", MISSION, 3, 10);
    lint.expect("unknown-offer", S02, 4, 8);
    lint.expect("unknown-mission", PAYOUT, 2, 10);
    lint.expect("unknown-session", PAYOUT, 8, 16);
}

#[test]
fn unknown_level_and_invoice() {
    let ws = Ws::base();
    ws.edit(
        "people/felix-facil.yaml",
        "roles: [facilitator]\n",
        "roles: [facilitator]\nlevel: purple\n",
    );
    ws.write(
        "invoices/2026/AV2026-0001.yaml",
        "id: AV2026-0001\nkind: credit-note\nstate: issued\norganisation: acme\nissued: 2026-05-01\ndue: 2026-05-31\ncorrects: F2026-0042\nlines:\n  - { label: Refund, quantity: 1, unit_price: 100 }\n",
    );
    let lint = ws.lint();
    lint.expect("unknown-level", "people/felix-facil.yaml", 5, 8);
    lint.expect("unknown-invoice", "invoices/2026/AV2026-0001.yaml", 7, 11);
}

#[test]
fn duplicate_ids_across_folders() {
    let ws = Ws::base();
    ws.write("requests/2025/R2026-0001.yaml", &ws.read(REQUEST));
    let lint = ws.lint();
    let f = lint.expect("duplicate-id", "requests/2026/R2026-0001.yaml", 1, 5);
    assert!(
        f.message.contains("requests/2025/R2026-0001.yaml"),
        "{}",
        f.message
    );
    let first = f.related_at("requests/2025/R2026-0001.yaml", 1, 5);
    assert_eq!(first.message, "the first file with id `R2026-0001`");
}

#[test]
fn roster_paths_stay_under_private() {
    let ws = Ws::base();
    ws.edit(
        S01,
        "roster: private/rosters/M2026-0001-S01.yaml",
        "roster: ../../etc/passwd",
    );
    ws.lint().expect("bad-path", S01, 14, 11);
    let ws = Ws::base();
    ws.edit(
        S01,
        "roster: private/rosters/M2026-0001-S01.yaml",
        "roster: private/../people/x.yaml",
    );
    ws.lint().expect("bad-path", S01, 14, 11);
}

// --- lifecycle ----------------------------------------------------------------------------

#[test]
fn held_session_needs_attended() {
    let ws = Ws::base();
    ws.edit(S01, "  attended: 14\n", "");
    let f = ws.lint().expect("missing-for-state", S01, 11, 1).clone();
    assert!(f.message.contains("participants.attended"), "{}", f.message);
}

#[test]
fn introduction_request_is_never_quoted() {
    let ws = Ws::base();
    ws.edit(REQUEST, "state: assigned", "state: quoted");
    ws.edit(REQUEST, "track: subcontracting", "track: introduction");
    ws.lint().expect("bad-state", REQUEST, 2, 8);
}

#[test]
fn quoted_request_needs_its_quote_number() {
    let ws = Ws::base();
    ws.edit(REQUEST, "  number: D2026-0001\n", "");
    ws.lint().expect("missing-for-state", REQUEST, 13, 1);
}

#[test]
fn paid_payout_needs_payment_and_self_invoices() {
    let ws = Ws::base();
    ws.edit(PAYOUT, "state: requested", "state: paid");
    let lint = ws.lint();
    let found: Vec<_> = lint
        .of("missing-for-state")
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert!(
        found.iter().any(|m| m.contains("`self_invoices`")),
        "{found:?}"
    );
    assert!(found.iter().any(|m| m.contains("`paid`")), "{found:?}");
}
