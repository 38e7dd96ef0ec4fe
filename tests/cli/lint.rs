//! `fresk lint` as a whole: clean workspaces, exit codes, path filters and every output format.

use crate::support::*;

const S01: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";

#[test]
fn base_fixture_lints_clean() {
    Ws::base().lint().expect_clean();
}

#[test]
fn example_workspace_lints_clean() {
    let ws = Ws::example();
    let lint = ws.lint_args(&["--strict"]);
    lint.expect_clean();
    assert!(
        lint.files > 50,
        "the example is realistic: {} files",
        lint.files
    );
}

/// A workspace with a few planted mistakes, shared by the output-format tests.
fn broken() -> Ws {
    let ws = Ws::base();
    ws.edit(S01, "facilitators:", "facilitatrs:");
    ws.edit(S01, "state: held", "state: hled");
    ws.edit(
        "people/felix-facil.yaml",
        "roles: [facilitator]",
        "roles: [facilitator, \"50%: a, b\"]",
    );
    ws.write("people/empty.yaml", "");
    ws
}

fn run(ws: &Ws, args: &[&str]) -> (i32, String, String) {
    let out = ws.command().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn human_output_snapshot() {
    let (code, stdout, _) = run(&broken(), &["lint"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_output_snapshot() {
    let (code, stdout, _) = run(&broken(), &["lint", "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    insta::assert_json_snapshot!(value);
}

#[test]
fn github_annotations_are_escaped() {
    let (_, stdout, _) = run(&broken(), &["lint", "--format", "github"]);
    insta::assert_snapshot!(stdout);
    for line in stdout.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
    }
}

#[test]
fn sarif_is_2_1_0_with_every_rule() {
    let (code, stdout, _) = run(&broken(), &["lint", "--format", "sarif"]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(rules.len() > 40);
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn exit_codes() {
    let ws = Ws::base();
    assert_eq!(run(&ws, &["lint"]).0, 0);
    // A warning only: exit 0, or 1 with --strict.
    ws.edit(
        "requests/2026/R2026-0001.yaml",
        "state: assigned",
        "state: assigned\n# a comment keeps the file valid",
    );
    ws.write(
        "requests/2026/R2026-0002.yaml",
        "id: R2026-0002\nstate: received\ntrack: subcontracting\nreceived: 2026-06-01 09:00\nchannel: email\norigin: internet\norganisation: acme\n",
    );
    let (code, stdout, _) = run(&ws, &["lint"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[response-overdue]"), "{stdout}");
    assert_eq!(run(&ws, &["lint", "--strict"]).0, 1);
    // No workspace: exit 2 with a message that says what to do.
    let empty = tempfile::tempdir().unwrap();
    let out = fresk_command(empty.path()).arg("lint").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fresk init"));
    // A bad flag: exit 2.
    assert_eq!(run(&ws, &["lint", "--format", "xml"]).0, 2);
}

#[test]
fn workspace_is_found_from_a_subfolder_and_with_dash_c() {
    let ws = Ws::base();
    let out = fresk_command(&ws.path().join("missions/M2026-0001/sessions"))
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let elsewhere = tempfile::tempdir().unwrap();
    let out = fresk_command(elsewhere.path())
        .args(["-C", ws.path().to_str().unwrap(), "lint"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn paths_restrict_what_is_reported() {
    let ws = broken();
    let lint = ws.lint_args(&["people"]);
    assert!(!lint.findings.is_empty());
    assert!(
        lint.findings.iter().all(|f| f.file.starts_with("people/")),
        "{}",
        lint.listing()
    );
    let lint = ws.lint_args(&[S01]);
    assert!(
        lint.findings.iter().all(|f| f.file == S01),
        "{}",
        lint.listing()
    );
}

#[test]
fn rules_lists_every_rule_once() {
    let (code, stdout, _) = run(&Ws::base(), &["lint", "--rules"]);
    assert_eq!(code, 0);
    for id in [
        "yaml-syntax",
        "unknown-field",
        "missing-for-state",
        "payout-duplicate",
        "siret-checksum",
        "personal-data-tracked",
    ] {
        assert_eq!(
            stdout.matches(&format!("  {id} ")).count(),
            1,
            "{id} in\n{stdout}"
        );
    }
}

#[test]
fn colours_only_when_asked() {
    let ws = broken();
    let (_, plain, _) = run(&ws, &["lint"]);
    assert!(!plain.contains('\u{1b}'));
    let (_, coloured, _) = run(&ws, &["lint", "--color", "always"]);
    assert!(coloured.contains('\u{1b}'));
}

/// A payout line paying a session twice: the finding's related place is the first line.
fn paid_twice() -> Ws {
    let ws = Ws::base();
    let payout = "payouts/2026/P2026-05-M2026-0001.yaml";
    ws.write(
        payout,
        &(ws.read(payout)
            + "  - { session: M2026-0001-S01, person: felix-facil, role: co, amount: 250 }\n"),
    );
    ws
}

#[test]
fn related_places_are_notes_in_human_output() {
    let (code, stdout, _) = run(&paid_twice(), &["lint"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn related_places_are_related_locations_in_sarif_and_json() {
    let ws = paid_twice();
    let (_, stdout, _) = run(&ws, &["lint", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "payout-duplicate");
    let related = &result["relatedLocations"][0];
    assert_eq!(related["id"], 0);
    assert_eq!(
        related["message"]["text"],
        "the first line paying `felix-facil` for session M2026-0001-S01"
    );
    let place = &related["physicalLocation"];
    assert_eq!(
        place["artifactLocation"]["uri"],
        "payouts/2026/P2026-05-M2026-0001.yaml"
    );
    assert_eq!(place["region"]["startLine"], 8);
    assert_eq!(place["region"]["startColumn"], 40);
    let lint = ws.lint();
    let f = lint.expect(
        "payout-duplicate",
        "payouts/2026/P2026-05-M2026-0001.yaml",
        9,
        40,
    );
    let first = f.related_at("payouts/2026/P2026-05-M2026-0001.yaml", 8, 40);
    assert_eq!((first.end_line, first.end_column), (8, 51));
}
