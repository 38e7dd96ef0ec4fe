//! Attendance from the private roster: `session hold --present …` / `--from-roster`, and the
//! `roster-attendance` rule when the count and the roster disagree.

use crate::support::{Ws, tree};

pub const SESSION: &str = "M2026-0005-S08";
pub const FILE: &str = "missions/M2026-0005/sessions/M2026-0005-S08.yaml";
pub const ROSTER: &str = "private/rosters/M2026-0005-S08.yaml";

/// The example with M2026-0005-S08 moved to two past days (four half-days) and a roster of
/// three registrations.
pub fn two_day_session() -> Ws {
    let ws = Ws::example();
    ws.edit(FILE, "start: 2026-06-26 09:00", "start: 2026-06-10 09:00");
    ws.edit(FILE, "end: 2026-06-26 16:00", "end: 2026-06-11 17:00");
    ws.write(
        ROSTER,
        "session: M2026-0005-S08\nparticipants:\n  - { name: Élise Durand, email: elise@example.org, organisation: Lycée Ampère, attended: false }\n  - { name: Bob Martin, email: bob@example.org, attended: false }\n  - { name: Zoé Roy, email: zoe@example.org, attended: false }\n",
    );
    ws
}

fn participants(ws: &Ws) -> Vec<serde_json::Value> {
    let out = ws.run_ok(&["participants", "list", SESSION, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["participants"].as_array().unwrap().clone()
}

#[test]
fn present_by_name_and_email_sets_the_roster_and_the_count() {
    let ws = two_day_session();
    let out = ws.run_ok(&[
        "session",
        "hold",
        SESSION,
        "--present",
        "élise durand",
        "--present",
        "BOB@example.org=2026-06-10 am,2026-06-10 pm",
    ]);
    assert!(
        out.contains("session M2026-0005-S08 held: 2 attended of 14 expected"),
        "{out}"
    );
    assert!(
        out.contains("from the roster: 2 of 3 registered present"),
        "{out}"
    );
    assert!(
        !out.contains("Élise"),
        "no name in the summary (a commit message)"
    );
    assert!(ws.read(FILE).contains("attended: 2"));
    let ps = participants(&ws);
    assert_eq!(ps[0]["attended"], true);
    assert_eq!(
        ps[0]["half_days"],
        serde_json::json!([
            "2026-06-10 am",
            "2026-06-10 pm",
            "2026-06-11 am",
            "2026-06-11 pm"
        ])
    );
    assert_eq!(
        ps[1]["half_days"],
        serde_json::json!(["2026-06-10 am", "2026-06-10 pm"])
    );
    assert_eq!(ps[2]["attended"], false);
    ws.lint().expect_clean();
}

#[test]
fn from_roster_counts_what_the_roster_marks() {
    let ws = two_day_session();
    ws.edit(
        ROSTER,
        "Bob Martin, email: bob@example.org, attended: false",
        "Bob Martin, email: bob@example.org, attended: true",
    );
    ws.edit(
        ROSTER,
        "Zoé Roy, email: zoe@example.org, attended: false",
        "Zoé Roy, email: zoe@example.org, half_days: [2026-06-11 pm]",
    );
    let out = ws.run_ok(&["session", "hold", SESSION, "--from-roster"]);
    assert!(out.contains("held: 2 attended"), "{out}");
    let ps = participants(&ws);
    assert_eq!(
        ps[1]["half_days"].as_array().unwrap().len(),
        4,
        "present: every half-day"
    );
    assert_eq!(ps[2]["half_days"], serde_json::json!(["2026-06-11 pm"]));
    // The session file names its sign-in record (a path, no names), for auditors and reports.
    let session = ws.read(FILE);
    assert!(session.contains(&format!("roster: {ROSTER}")), "{session}");
    ws.lint().expect_clean();
}

#[test]
fn unknown_participants_and_half_days_are_refused_and_nothing_changes() {
    let ws = two_day_session();
    let before = tree(&ws);
    for (args, says) in [
        (
            vec!["--present", "Nobody"],
            "--present Nobody: no participant with this name or e-mail in the roster of M2026-0005-S08",
        ),
        (
            vec!["--present", "bob@example.org=2026-06-12 am"],
            "2026-06-12 am is not a half-day of the session; its half-days are 2026-06-10 am, 2026-06-10 pm, 2026-06-11 am, 2026-06-11 pm",
        ),
    ] {
        let mut all = vec!["session", "hold", SESSION];
        all.extend(args);
        let out = ws.run(&all);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }
    assert_eq!(before, tree(&ws));
    // Without a roster, --from-roster says how to make one; --attended N still works.
    ws.remove(ROSTER);
    let out = ws.run(&["session", "hold", SESSION, "--from-roster"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("has no roster"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ws.run_ok(&["session", "hold", SESSION, "--attended", "9"]);
    ws.lint().expect_clean();
}

#[test]
fn a_count_that_differs_from_the_roster_is_a_finding_with_both_places() {
    let ws = two_day_session();
    // The command refuses to write a count the roster contradicts…
    let before = tree(&ws);
    let out = ws.run(&["session", "hold", SESSION, "--attended", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("roster-attendance"));
    assert_eq!(before, tree(&ws));
    // …and lint finds one written by hand.
    ws.edit(FILE, "state: planned", "state: held");
    ws.edit(FILE, "  expected: 14\n", "  expected: 14\n  attended: 5\n");
    let lint = ws.lint();
    let f = lint.expect("roster-attendance", FILE, 15, 13);
    assert!(
        f.message
            .contains("records 5 attended, but its roster private/rosters/M2026-0005-S08.yaml marks 0 of 3 participant(s) present"),
        "{}",
        f.message
    );
    f.related_at(ROSTER, 2, 1);
    // The same with the memo on (a second run takes the other findings from it).
    for _ in 0..2 {
        let out = ws
            .command()
            .args(["lint", "--format", "json"])
            .env("FRESK_CACHE_MIN_FILES", "0")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("roster-attendance"));
    }
    ws.edit(FILE, "  attended: 5\n", "  attended: 0\n");
    ws.lint().expect_clean();
}
