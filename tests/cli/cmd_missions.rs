//! `fresk mission …` and `fresk session …` on copies of the example workspace (today 2026-06-15).

use crate::support::{Ws, changed_files as changed, refused_by, tree};
use std::process::Output;

fn run(ws: &Ws, args: &[&str], now: Option<&str>) -> Output {
    let mut cmd = ws.command();
    cmd.args(args);
    if let Some(now) = now {
        cmd.env("FRESK_NOW", now);
    }
    cmd.output().unwrap()
}

/// Run a command that must succeed, then check that the workspace lints clean; returns stdout.
#[track_caller]
fn ok(ws: &Ws, args: &[&str]) -> String {
    ok_at(ws, args, None)
}

#[track_caller]
fn ok_at(ws: &Ws, args: &[&str], now: Option<&str>) -> String {
    let out = run(ws, args, now);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "fresk {args:?} failed ({:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    ws.lint().expect_clean();
    stdout
}

/// Run a command that must be refused: exit code 1, nothing changed; returns stderr.
#[track_caller]
fn refused(ws: &Ws, args: &[&str]) -> String {
    refused_at(ws, args, None)
}

#[track_caller]
fn refused_at(ws: &Ws, args: &[&str], now: Option<&str>) -> String {
    refused_at_code(ws, args, now, 1)
}

/// The same for a usage error: exit code 2, nothing changed.
#[track_caller]
fn usage_refused_at(ws: &Ws, args: &[&str], now: Option<&str>) -> String {
    refused_at_code(ws, args, now, 2)
}

#[track_caller]
fn refused_at_code(ws: &Ws, args: &[&str], now: Option<&str>, code: i32) -> String {
    let out = refused_by(ws, args, code, || run(ws, args, now));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "expected `{part}` in:\n{text}");
    }
}

const S05: &str = "missions/M2026-0005/sessions";

// --- mission new ---------------------------------------------------------------------------------

/// The example workspace with R2026-0010 (won) published to coordinators, ready for a mission.
fn published_example() -> Ws {
    let ws = Ws::example();
    ok(&ws, &["request", "publish", "R2026-0010"]);
    ws
}

#[test]
fn mission_new_refuses_a_request_not_yet_published() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0010",
            "--coordinator",
            "antoine-roux",
        ],
    );
    assert_contains(
        &err,
        &[
            "`won` but not yet published",
            "fresk request publish R2026-0010",
        ],
    );
}

#[test]
fn mission_new_copies_the_quote_and_assigns_the_request() {
    let ws = published_example();
    let before = tree(&ws);
    let out = ok(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0010",
            "--coordinator",
            "antoine-roux",
        ],
    );
    assert_contains(
        &out,
        &["mission M2026-0010 opened", "R2026-0010 is now assigned"],
    );
    insta::assert_snapshot!(
        "mission_new_file",
        ws.read("missions/M2026-0010/mission.yaml")
    );
    // The request moved to `assigned` with its coordinator; nothing else changed in it.
    let old = String::from_utf8(before["requests/2026/R2026-0010.yaml"].clone()).unwrap();
    let expected = format!(
        "{}coordinator: antoine-roux\n",
        old.replace("state: published\n", "state: assigned\n")
    );
    assert_eq!(ws.read("requests/2026/R2026-0010.yaml"), expected);
    assert_eq!(
        changed(&before, &tree(&ws)),
        [
            "missions/M2026-0010/mission.yaml",
            "requests/2026/R2026-0010.yaml"
        ]
    );
}

#[test]
fn mission_new_from_a_published_request_keeps_free_lines_and_prices() {
    let ws = Ws::example();
    // A free line and a negotiated price on the accepted quote.
    ws.edit(
        "requests/2026/R2026-0009.yaml",
        "    - { offer: workshop-onsite, quantity: 2 }\n",
        "    - { offer: workshop-onsite, quantity: 2, unit_price: 1100, override_reason: deux ateliers le même jour }\n    - { label: \"Location de salle, Lyon 3e\", quantity: 1, unit_price: 180.5 }\n",
    );
    ws.lint().expect_clean();
    ok(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0009",
            "--coordinator",
            "camille-dupont",
            "--date",
            "2026-06-12",
        ],
    );
    insta::assert_snapshot!(
        "mission_new_free_line",
        ws.read("missions/M2026-0009/mission.yaml")
    );
    assert_contains(
        &ws.read("requests/2026/R2026-0009.yaml"),
        &["state: assigned\n", "coordinator: camille-dupont\n"],
    );
}

#[test]
fn mission_new_refuses_a_request_not_yet_won() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0012",
            "--coordinator",
            "ines-moreau",
        ],
    );
    assert_contains(
        &err,
        &["R2026-0012 is `quoted`", "fresk request win R2026-0012"],
    );
}

#[test]
fn mission_new_refuses_the_introduction_track() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0011",
            "--coordinator",
            "ines-moreau",
        ],
    );
    assert_contains(&err, &["`introduction` track", "no mission"]);
}

#[test]
fn mission_new_refuses_an_existing_mission() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0003",
            "--coordinator",
            "camille-dupont",
        ],
    );
    assert_contains(&err, &["mission M2026-0003 already exists"]);
}

#[test]
fn mission_new_refuses_a_request_assigned_to_someone_else() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0005",
            "--coordinator",
            "antoine-roux",
        ],
    );
    assert_contains(&err, &["already assigned to coordinator `ines-moreau`"]);
}

#[test]
fn mission_new_refuses_a_person_who_is_not_a_coordinator() {
    let ws = published_example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0010",
            "--coordinator",
            "lucas-bernard",
        ],
    );
    assert_contains(&err, &["`lucas-bernard`", "not `coordinator`"]);
}

#[test]
fn mission_new_refuses_a_coordinator_below_the_sector_level() {
    let ws = published_example();
    ws.edit("people/antoine-roux.yaml", "level: green", "level: orange");
    ws.lint().expect_clean();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0010",
            "--coordinator",
            "antoine-roux",
        ],
    );
    assert_contains(
        &err,
        &["`antoine-roux` is level `orange`", "requires `green`"],
    );
}

#[test]
fn mission_new_refuses_an_unknown_request_with_a_suggestion() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-010",
            "--coordinator",
            "antoine-roux",
        ],
    );
    assert_contains(&err, &["no request `R2026-010`", "did you mean"]);
}

#[test]
fn mission_new_refuses_an_opening_date_before_the_decision() {
    let ws = published_example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0010",
            "--coordinator",
            "antoine-roux",
            "--date",
            "2026-06-01",
        ],
    );
    assert_contains(
        &err,
        &["--date 2026-06-01 is before the client's decision on 2026-06-08"],
    );
}

#[test]
fn mission_new_asks_for_missing_values_by_flag() {
    let ws = Ws::example();
    let err = usage_refused(&ws, &["mission", "new", "--request", "R2026-0010"]);
    assert_contains(&err, &["missing --coordinator"]);
}

// --- mission show --------------------------------------------------------------------------------

#[test]
fn mission_show_is_the_coordinators_dashboard() {
    let ws = Ws::example();
    let table = ok(&ws, &["mission", "show", "M2026-0005"]);
    insta::assert_snapshot!("mission_show_table", table);
    let json = ok(&ws, &["mission", "show", "M2026-0005", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("mission_show_json", value);
}

#[test]
fn mission_show_of_a_closed_mission_offers_nothing_more() {
    let ws = Ws::example();
    let table = ok(&ws, &["mission", "show", "M2026-0006"]);
    insta::assert_snapshot!("mission_show_closed", table);
}

#[test]
fn mission_show_refuses_an_unknown_mission() {
    let ws = Ws::example();
    let err = refused(&ws, &["mission", "show", "M2026-0004"]);
    assert_contains(&err, &["no mission `M2026-0004`"]);
}

// --- mission list --------------------------------------------------------------------------------

#[test]
fn mission_list_filters_and_formats() {
    let ws = Ws::example();
    insta::assert_snapshot!("mission_list_table", ok(&ws, &["mission", "list"]));
    insta::assert_snapshot!(
        "mission_list_csv_open",
        ok(
            &ws,
            &["mission", "list", "--state", "open", "--format", "csv"]
        )
    );
    insta::assert_snapshot!(
        "mission_list_json_coordinator",
        ok(
            &ws,
            &[
                "mission",
                "list",
                "--coordinator",
                "antoine-roux",
                "--format",
                "json"
            ]
        )
    );
    let opened_in_march = ok(
        &ws,
        &[
            "mission",
            "list",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--format",
            "csv",
        ],
    );
    assert_eq!(opened_in_march.lines().count(), 3, "{opened_in_march}");
}

#[test]
fn mission_list_refuses_an_unknown_state() {
    let ws = Ws::example();
    let err = usage_refused(&ws, &["mission", "list", "--state", "done"]);
    assert_contains(
        &err,
        &["`done` is not a mission state", "open, closed, invoiced"],
    );
}

// --- mission close -------------------------------------------------------------------------------

#[test]
fn mission_close_sets_the_state_and_date() {
    let ws = Ws::example();
    // S01 and S02 go into June's pending request (before its approval); S07 and S08 are cancelled.
    ws.edit(
        "payouts/2026/P2026-06-M2026-0005.yaml",
        "  - { session: M2026-0005-S06, person: lucas-bernard, role: lead, amount: 500 }\n",
        "  - { session: M2026-0005-S06, person: lucas-bernard, role: lead, amount: 500 }\n  - { session: M2026-0005-S01, person: ines-moreau, role: lead, amount: 500 }\n  - { session: M2026-0005-S02, person: lucas-bernard, role: lead, amount: 500 }\n",
    );
    ws.lint().expect_clean();
    ok(&ws, &["session", "cancel", "M2026-0005-S07"]);
    ok(&ws, &["session", "cancel", "M2026-0005-S08"]);
    // The lycée's complaint about the mission is answered first (else closing it warns).
    ok(
        &ws,
        &[
            "complaint",
            "resolve",
            "C2026-0001",
            "--action",
            "Sessions end at 11:30 sharp",
        ],
    );
    ok(&ws, &["complaint", "close", "C2026-0001"]);
    let before = ws.read("missions/M2026-0005/mission.yaml");
    let out = ok(&ws, &["mission", "close", "M2026-0005"]);
    assert_contains(
        &out,
        &[
            "mission M2026-0005 closed on 2026-06-15",
            "fresk payout request --mission M2026-0005",
            "fresk invoice draft --mission M2026-0005",
        ],
    );
    let after = ws.read("missions/M2026-0005/mission.yaml");
    assert_eq!(
        after,
        format!(
            "{}closed: 2026-06-15\n",
            before.replace("state: open\n", "state: closed\n")
        )
    );
    // The dashboard now offers the coordination line, for next month (June has its request).
    let json = ok(&ws, &["mission", "show", "M2026-0005", "--format", "json"]);
    let d: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(d["state"], "closed");
    assert_eq!(d["close"]["possible"], false);
    let lines = d["requestable"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{json}");
    assert_eq!(lines[0]["coordination"], true);
    assert_eq!(lines[0]["sessions"], 5);
    assert_eq!(lines[0]["amount"], "500.00");
    assert!(
        d["requestable"]["blocked"]
            .as_str()
            .unwrap()
            .contains("2026-07-01")
    );
}

#[test]
fn mission_close_names_planned_sessions_and_unrequested_facilitators() {
    let ws = Ws::example();
    let err = refused(&ws, &["mission", "close", "M2026-0005"]);
    assert_contains(
        &err,
        &[
            "mission M2026-0005 cannot be closed yet",
            "session M2026-0005-S07 (2026-06-18 08:30) is still planned",
            "session M2026-0005-S08 (2026-06-26 09:00) is still planned",
            "`ines-moreau` (lead) on held session M2026-0005-S01",
            "`lucas-bernard` (lead) on held session M2026-0005-S02",
            "fresk payout request --mission M2026-0005",
        ],
    );
    insta::assert_snapshot!("mission_close_refused", err);
}

#[test]
fn mission_close_refuses_when_only_payouts_are_missing() {
    let ws = Ws::example();
    ok(&ws, &["session", "cancel", "M2026-0005-S07"]);
    ok(&ws, &["session", "cancel", "M2026-0005-S08"]);
    let err = refused(&ws, &["mission", "close", "M2026-0005"]);
    assert!(!err.contains("still planned"), "{err}");
    assert_contains(
        &err,
        &[
            "`ines-moreau` (lead) on held session M2026-0005-S01 is in no payout request (P2026-04-M2026-0005 was rejected)",
            "fresk payout request --mission M2026-0005",
        ],
    );
}

#[test]
fn mission_close_refuses_a_closed_mission() {
    let ws = published_example();
    let err = refused(&ws, &["mission", "close", "M2026-0006"]);
    assert_contains(
        &err,
        &[
            "mission M2026-0006 is `closed` (closed on 2026-06-02)",
            "may only become invoiced",
        ],
    );
}

// --- session new ---------------------------------------------------------------------------------

fn open_m2026_0010(ws: &Ws) {
    ok(ws, &["request", "publish", "R2026-0010"]);
    ok(
        ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0010",
            "--coordinator",
            "antoine-roux",
        ],
    );
}

#[test]
fn session_new_plans_a_session() {
    let ws = Ws::example();
    open_m2026_0010(&ws);
    let out = ok(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0010",
            "--offer",
            "training-day",
            "--start",
            "2026-09-08 09:00",
            "--location",
            "Terres d'Isère, 4 rue Lesdiguières, 38000 Grenoble",
            "--facilitator",
            "antoine-roux",
            "--facilitator",
            "thomas-girard",
            "--expected",
            "10",
        ],
    );
    assert_contains(&out, &["session M2026-0010-S01 planned"]);
    insta::assert_snapshot!(
        "session_new_file",
        ws.read("missions/M2026-0010/sessions/M2026-0010-S01.yaml")
    );
    let show = ok(&ws, &["mission", "show", "M2026-0010"]);
    assert_contains(&show, &["M2026-0010-S01", "thomas-girard"]);
}

#[test]
fn session_new_takes_the_next_number_an_end_time_and_online() {
    let ws = Ws::example();
    ok(&ws, &["session", "cancel", "M2026-0005-S07"]);
    ok_at(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "workshop-onsite",
            "--start",
            "2026-06-16 13:30",
            "--end",
            "17:00",
            "--online",
            "--language",
            "en",
            "--facilitator",
            "lucas-bernard:lead",
            "--facilitator",
            "sophie-lambert:co:volunteer",
        ],
        Some("2026-06-15 18:00"),
    );
    insta::assert_snapshot!(
        "session_new_online",
        ws.read(&format!("{S05}/M2026-0005-S09.yaml"))
    );
}

#[test]
fn session_new_lets_an_over_planned_session_through_with_a_warning() {
    let ws = Ws::example();
    let out = run(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "workshop-onsite",
            "--start",
            "2026-06-30 08:30",
            "--location",
            "Lycée des Canuts",
            "--facilitator",
            "ines-moreau",
        ],
        None,
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains(
        &stderr,
        &["warning: mission M2026-0005 ordered 6 × `workshop-onsite`"],
    );
    let lint = ws.lint();
    assert_eq!(lint.code, 0);
    assert!(
        lint.findings.iter().all(|f| f.rule == "over-planned"),
        "{}",
        lint.listing()
    );
    lint.expect("over-planned", &format!("{S05}/M2026-0005-S09.yaml"), 5, 8);
}

#[test]
fn session_new_refuses_a_start_in_the_past() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "workshop-onsite",
            "--start",
            "2026-06-12 08:30",
            "--online",
        ],
    );
    assert_contains(
        &err,
        &[
            "--start 2026-06-12 08:30 is not in the future",
            "planned before they happen",
        ],
    );
}

#[test]
fn session_new_refuses_a_closed_mission() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0006",
            "--offer",
            "training-day",
            "--start",
            "2026-09-01 09:00",
            "--online",
        ],
    );
    assert_contains(
        &err,
        &["mission M2026-0006 is `closed`", "no session can be added"],
    );
}

#[test]
fn session_new_refuses_an_unknown_offer() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "workshop-onsit",
            "--start",
            "2026-09-01 09:00",
            "--online",
        ],
    );
    assert_contains(
        &err,
        &[
            "offer `workshop-onsit` is not in the catalogue",
            "did you mean `workshop-onsite`",
        ],
    );
}

#[test]
fn session_new_refuses_someone_who_is_not_a_facilitator() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "training-day",
            "--start",
            "2026-09-01 09:00",
            "--online",
            "--facilitator",
            "mehdi-benali",
        ],
    );
    assert_contains(
        &err,
        &[
            "`mehdi-benali` cannot be booked as a facilitator",
            "not `facilitator`",
        ],
    );
}

#[test]
fn session_new_refuses_an_unknown_person() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "training-day",
            "--start",
            "2026-09-01 09:00",
            "--online",
            "--facilitator",
            "ines-moreau",
            "--facilitator",
            "lucas-bernad:co",
        ],
    );
    assert_contains(
        &err,
        &["no person `lucas-bernad`", "did you mean `lucas-bernard`"],
    );
}

#[test]
fn session_new_refuses_a_volunteer_outside_volunteer_sectors() {
    let ws = Ws::example();
    open_m2026_0010(&ws);
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0010",
            "--offer",
            "training-day",
            "--start",
            "2026-09-08 09:00",
            "--online",
            "--facilitator",
            "antoine-roux",
            "--facilitator",
            "thomas-girard:co:volunteer",
        ],
    );
    assert_contains(
        &err,
        &[
            "`thomas-girard` cannot be a volunteer on mission M2026-0010",
            "business",
        ],
    );
}

#[test]
fn session_new_refuses_a_facilitator_below_the_sector_level() {
    let ws = Ws::example();
    open_m2026_0010(&ws);
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0010",
            "--offer",
            "training-day",
            "--start",
            "2026-09-08 09:00",
            "--online",
            "--facilitator",
            "sophie-lambert:lead:paid",
        ],
    );
    assert_contains(
        &err,
        &["`sophie-lambert` is level `yellow`", "requires `orange`"],
    );
}

#[test]
fn session_new_refuses_an_end_before_the_start() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "training-day",
            "--start",
            "2026-09-01 09:00",
            "--end",
            "08:00",
            "--online",
        ],
    );
    assert_contains(
        &err,
        &["--end 2026-09-01 08:00 is not after the start 2026-09-01 09:00"],
    );
}

#[test]
fn session_new_needs_an_end_when_the_offer_has_no_hours() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "travel-flat",
            "--start",
            "2026-09-01 09:00",
            "--online",
        ],
    );
    assert_contains(&err, &["offer `travel-flat` has no `hours`", "give --end"]);
}

#[test]
fn session_new_needs_a_start_and_a_place() {
    let ws = Ws::example();
    let err = usage_refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "training-day",
            "--online",
        ],
    );
    assert_contains(&err, &["missing --start"]);
    let err = usage_refused(
        &ws,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "training-day",
            "--start",
            "2026-09-01 09:00",
        ],
    );
    assert_contains(&err, &["missing --location", "--online"]);
}

// --- session hold --------------------------------------------------------------------------------

/// A planned session written by hand, full of comments and odd-but-valid layout; it ended on
/// 12 June, so it can be recorded as held on the 15th.
const HAND_WRITTEN: &str = "\
# Séance de rattrapage — écrite à la main.
id: M2026-0005-S09     # ne change jamais
mission: M2026-0005
state: planned   # planned → held
offer: workshop-onsite

# horaires du lycée
start: 2026-06-12 13:30
end: \"2026-06-12 16:30\"
location: 'Lycée des Canuts, salle B12'   # salle confirmée
language: fr
facilitators:
  # Inès mène, Thomas assiste
  - { person: ines-moreau, role: lead, status: paid }   # payée
  - person: thomas-girard
    role: co        # co-animation
    status: paid
participants:
  expected: 30      # effectif annoncé
  # la feuille d'émargement reste au lycée
# satisfaction collectée sur papier
notes: >-
  Classe de 2de 3 :
  rattrapage de la séance du 26 mars.
# fin
";

#[test]
fn session_hold_changes_only_the_intended_lines() {
    let ws = Ws::example();
    ok(&ws, &["session", "cancel", "M2026-0005-S07"]);
    let rel = format!("{S05}/M2026-0005-S09.yaml");
    ws.write(&rel, HAND_WRITTEN);
    ws.lint().expect_clean();
    let out = ok(
        &ws,
        &[
            "session",
            "hold",
            "M2026-0005-S09",
            "--attended",
            "27",
            "--satisfaction",
            "4.40",
        ],
    );
    assert_contains(
        &out,
        &[
            "session M2026-0005-S09 held: 27 attended of 30 expected",
            "fresk payout request --mission M2026-0005",
        ],
    );
    let expected = HAND_WRITTEN
        .replace(
            "state: planned   # planned → held\n",
            "state: held   # planned → held\n",
        )
        .replace(
            "  expected: 30      # effectif annoncé\n",
            "  expected: 30      # effectif annoncé\n  attended: 27\n",
        )
        .replace(
            "  rattrapage de la séance du 26 mars.\n",
            "  rattrapage de la séance du 26 mars.\nsatisfaction: 4.4\n",
        );
    assert_eq!(ws.read(&rel), expected);
}

#[test]
fn session_hold_adds_participants_when_absent() {
    let ws = Ws::example();
    ok(&ws, &["session", "cancel", "M2026-0005-S07"]);
    let rel = format!("{S05}/M2026-0005-S09.yaml");
    ws.write(
        &rel,
        "id: M2026-0005-S09\nmission: M2026-0005\nstate: planned\noffer: workshop-onsite\nstart: 2026-06-12 13:30\nend: 2026-06-12 16:30\nonline: true\nfacilitators:\n  - { person: ines-moreau, role: lead, status: internal }\n",
    );
    ws.lint().expect_clean();
    ok(
        &ws,
        &["session", "hold", "M2026-0005-S09", "--attended", "12"],
    );
    insta::assert_snapshot!("session_hold_no_participants", ws.read(&rel));
}

#[test]
fn session_hold_refuses_before_the_end() {
    let ws = Ws::example();
    let err = refused_at(
        &ws,
        &["session", "hold", "M2026-0005-S07", "--attended", "28"],
        Some("2026-06-18 11:00"),
    );
    assert_contains(
        &err,
        &[
            "session M2026-0005-S07 ends at 2026-06-18 11:30",
            "only after its end (now is 2026-06-18 11:00)",
        ],
    );
}

#[test]
fn session_hold_refuses_a_held_or_cancelled_session() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &["session", "hold", "M2026-0005-S01", "--attended", "30"],
    );
    assert_contains(
        &err,
        &["session M2026-0005-S01 is `held`", "`held` is final"],
    );
    let err = refused(
        &ws,
        &["session", "hold", "M2026-0005-S03", "--attended", "30"],
    );
    assert_contains(&err, &["session M2026-0005-S03 is `cancelled`"]);
}

#[test]
fn session_hold_needs_the_attendance_and_a_sane_score() {
    let ws = Ws::example();
    let err = usage_refused_at(
        &ws,
        &["session", "hold", "M2026-0005-S07"],
        Some("2026-06-18 12:00"),
    );
    assert_contains(&err, &["missing --attended"]);
    let err = usage_refused_at(
        &ws,
        &[
            "session",
            "hold",
            "M2026-0005-S07",
            "--attended",
            "28",
            "--satisfaction",
            "7",
        ],
        Some("2026-06-18 12:00"),
    );
    assert_contains(&err, &["--satisfaction: 7 is outside the 0–5 scale"]);
}

// --- session cancel ------------------------------------------------------------------------------

#[test]
fn session_cancel_keeps_comments_and_records_the_reason() {
    let ws = Ws::example();
    let rel = format!("{S05}/M2026-0005-S07.yaml");
    let before = ws.read(&rel);
    ok(&ws, &["session", "cancel", "M2026-0005-S07"]);
    assert_eq!(
        ws.read(&rel),
        before.replace("state: planned\n", "state: cancelled\n")
    );

    let rel = format!("{S05}/M2026-0005-S08.yaml");
    let out = ok(
        &ws,
        &[
            "session",
            "cancel",
            "M2026-0005-S08",
            "--reason",
            "Formation reportée à la rentrée",
        ],
    );
    assert_contains(
        &out,
        &["session M2026-0005-S08 cancelled: Formation reportée"],
    );
    insta::assert_snapshot!("session_cancel_reason", ws.read(&rel));
}

#[test]
fn session_cancel_appends_to_block_notes() {
    let ws = Ws::example();
    let rel = format!("{S05}/M2026-0005-S08.yaml");
    ws.edit(
        &rel,
        "notes: Formation des enseignant·es volontaires (salle polyvalente).\n",
        "notes: |\n  Formation des enseignant·es volontaires.\n  Salle polyvalente.\n# fin\n",
    );
    ws.lint().expect_clean();
    ok(
        &ws,
        &[
            "session",
            "cancel",
            "M2026-0005-S08",
            "--reason",
            "Grève: reportée",
        ],
    );
    assert!(
        ws.read(&rel)
            .ends_with("notes: |\n  Formation des enseignant·es volontaires.\n  Salle polyvalente.\n  Grève: reportée\n# fin\n"),
        "{}",
        ws.read(&rel)
    );
}

#[test]
fn session_cancel_refuses_a_held_session() {
    let ws = Ws::example();
    let err = refused(&ws, &["session", "cancel", "M2026-0005-S06"]);
    assert_contains(
        &err,
        &["session M2026-0005-S06 is `held`, so it cannot become `cancelled`"],
    );
}

#[test]
fn session_cancel_refuses_in_a_closed_mission() {
    let ws = Ws::example();
    // A planned session left behind in a closed mission (lint reports it; the command refuses).
    ws.write(
        "missions/M2026-0006/sessions/M2026-0006-S06.yaml",
        "id: M2026-0006-S06\nmission: M2026-0006\nstate: planned\noffer: workshop-online\nstart: 2026-07-01 09:00\nend: 2026-07-01 12:00\nonline: true\n",
    );
    let err = refused(&ws, &["session", "cancel", "M2026-0006-S06"]);
    assert_contains(
        &err,
        &["mission M2026-0006 is `closed`", "nothing may change"],
    );
}

#[test]
fn dry_run_prints_the_diff_and_changes_nothing() {
    let ws = Ws::example();
    let before = tree(&ws);
    let out = run(
        &ws,
        &["--dry-run", "session", "cancel", "M2026-0005-S07"],
        None,
    );
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_contains(&stdout, &["-state: planned", "+state: cancelled"]);
    assert!(before == tree(&ws));
}

// --- session list --------------------------------------------------------------------------------

#[test]
fn session_list_filters_and_formats() {
    let ws = Ws::example();
    insta::assert_snapshot!(
        "session_list_mission",
        ok(&ws, &["session", "list", "--mission", "M2026-0006"])
    );
    insta::assert_snapshot!(
        "session_list_person_csv",
        ok(
            &ws,
            &[
                "session",
                "list",
                "--person",
                "lucas-bernard",
                "--format",
                "csv"
            ]
        )
    );
    insta::assert_snapshot!(
        "session_list_planned_json",
        ok(
            &ws,
            &["session", "list", "--state", "planned", "--format", "json"]
        )
    );
    let may = ok(
        &ws,
        &[
            "session",
            "list",
            "--from",
            "2026-05-01",
            "--to",
            "2026-05-31",
            "--format",
            "csv",
        ],
    );
    let ids: Vec<&str> = may
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "M2026-0006-S03",
            "M2026-0005-S04",
            "M2026-0005-S05",
            "M2026-0006-S04",
            "M2026-0006-S05"
        ]
    );
}

#[test]
fn session_list_refuses_bad_filters() {
    let ws = Ws::example();
    let err = usage_refused(&ws, &["session", "list", "--state", "done"]);
    assert_contains(
        &err,
        &["`done` is not a session state", "planned, held, cancelled"],
    );
    let err = refused(&ws, &["session", "list", "--mission", "M2026-0055"]);
    assert_contains(&err, &["no mission `M2026-0055`"]);
    let err = usage_refused(&ws, &["session", "list", "--from", "2026-5-1"]);
    assert_contains(&err, &["--from"]);
}

#[test]
fn mission_and_session_lists_refuse_a_from_after_the_to() {
    let ws = Ws::example();
    for list in [["mission", "list"], ["session", "list"]] {
        let mut args = list.to_vec();
        args.extend(["--from", "2026-06-01", "--to", "2026-05-01"]);
        let err = usage_refused(&ws, &args);
        assert_contains(
            &err,
            &["--from 2026-06-01 is after --to 2026-05-01; give the earlier date first"],
        );
    }
}

#[track_caller]
fn usage_refused(ws: &Ws, args: &[&str]) -> String {
    usage_refused_at(ws, args, None)
}
