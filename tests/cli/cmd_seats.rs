//! Open seats: `session new --open-seats`, `session join` / `session leave` with the checks of
//! `session new`, and `session list --open`, on copies of the example workspace, where
//! M2026-0005-S07 (planned 2026-06-18 08:30–11:30, education, mission open) has 3 seats with
//! ines-moreau (lead) and thomas-girard (co) booked: one `co` seat is open. Now is 2026-06-15
//! 12:00.

use crate::support::*;
use std::process::Output;

const NOW: &str = "2026-06-15 12:00";
const S07: &str = "missions/M2026-0005/sessions/M2026-0005-S07.yaml";
const S08: &str = "missions/M2026-0005/sessions/M2026-0005-S08.yaml";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run_at(ws: &Ws, now: &str, args: &[&str]) -> Output {
    ws.command()
        .env("FRESK_NOW", now)
        .args(args)
        .output()
        .unwrap()
}

/// A command that must succeed, then lint clean; its stdout.
#[track_caller]
fn ok(ws: &Ws, args: &[&str]) -> String {
    let out = run_at(ws, NOW, args);
    assert!(
        out.status.success(),
        "`fresk {}` failed:\n{}{}",
        args.join(" "),
        text(&out.stdout),
        text(&out.stderr)
    );
    ws.lint().expect_clean();
    text(&out.stdout)
}

/// A command refused (exit 1) at `now` that changed nothing; its error.
#[track_caller]
fn refused_at(ws: &Ws, now: &str, args: &[&str]) -> String {
    refused_at_code(ws, now, args, 1)
}

/// The same for a usage error: exit code 2, nothing changed.
#[track_caller]
fn usage_refused_at(ws: &Ws, now: &str, args: &[&str]) -> String {
    refused_at_code(ws, now, args, 2)
}

#[track_caller]
fn refused_at_code(ws: &Ws, now: &str, args: &[&str], code: i32) -> String {
    text(&refused_by(ws, args, code, || run_at(ws, now, args)).stderr)
}

#[track_caller]
fn refused(ws: &Ws, args: &[&str]) -> String {
    refused_at(ws, NOW, args)
}

#[track_caller]
fn has(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "no `{needle}` in:\n{haystack}");
}

#[test]
fn join_takes_the_open_seat() {
    let ws = Ws::example();
    let out = ok(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(
        &out,
        "julia-weber joined session M2026-0005-S07 (workshop-onsite, 2026-06-18 08:30 – 2026-06-18 11:30) as co, paid; 0 seat(s) still open",
    );
    has(
        &ws.read(S07),
        "  - { person: thomas-girard, role: co, status: paid }\n  - { person: julia-weber, role: co, status: paid }\nseats: 3\n",
    );
    // Full now.
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "lucas-bernard",
        ],
    );
    has(
        &err,
        "session M2026-0005-S07: every open seat is taken; ask the coordinator of mission M2026-0005 for a seat, or look for another with `fresk session list --open`",
    );
}

#[test]
fn a_volunteer_may_join_in_a_volunteer_sector() {
    let ws = Ws::example();
    ok(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
            "--status",
            "volunteer",
        ],
    );
    has(
        &ws.read(S07),
        "  - { person: julia-weber, role: co, status: volunteer }\n",
    );
}

#[test]
fn join_refuses_what_session_new_refuses() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "mehdi-benali",
        ],
    );
    has(
        &err,
        "`mehdi-benali` cannot be booked as a facilitator: they have roles [staff], not `facilitator`",
    );
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "ines-moreau",
        ],
    );
    has(
        &err,
        "`ines-moreau` is already booked on session M2026-0005-S07",
    );
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
            "--role",
            "lead",
        ],
    );
    has(
        &err,
        "the open seats of session M2026-0005-S07 are for the `co` role, not `lead`; join with --role co",
    );
    ws.edit("people/julia-weber.yaml", "level: green", "level: beginner");
    ws.edit(
        "fresk.yaml",
        "education: { coordinate: orange, facilitate: yellow }",
        "education: { coordinate: orange, facilitate: green }",
    );
    ws.edit(
        "people/julia-weber.yaml",
        "level: beginner",
        "level: orange",
    );
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(
        &err,
        "`julia-weber` is level `orange`, but facilitating on a education mission requires `green` or higher",
    );
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "nobody-at-all",
        ],
    );
    has(&err, "nobody-at-all");
}

#[test]
fn join_refuses_a_session_without_open_seats_started_or_double_booked() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S08",
            "--person",
            "julia-weber",
        ],
    );
    has(
        &err,
        "session M2026-0005-S08: it has no open seat (no `seats`)",
    );
    let err = refused_at(
        &ws,
        "2026-06-18 09:00",
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(
        &err,
        "session M2026-0005-S07 started at 2026-06-18 08:30 (now is 2026-06-18 09:00): seats are taken only before a session starts",
    );
    // julia-weber on S08, moved to overlap S07.
    ws.edit(
        S08,
        "start: 2026-06-26 09:00\nend: 2026-06-26 16:00",
        "start: 2026-06-18 10:00\nend: 2026-06-18 16:00",
    );
    ws.edit(S08, "  - { person: sophie-lambert, role: co, status: volunteer }\n", "  - { person: sophie-lambert, role: co, status: volunteer }\n  - { person: julia-weber, role: co, status: paid }\n");
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(
        &err,
        "`julia-weber` is already booked on M2026-0005-S08 (2026-06-18 10:00 – 2026-06-18 16:00), which overlaps session M2026-0005-S07",
    );
}

#[test]
fn join_refuses_a_held_session_or_a_closed_mission() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S01",
            "--person",
            "julia-weber",
        ],
    );
    has(
        &err,
        "session M2026-0005-S01 is `held`: seats are taken only on a planned session",
    );
    ws.edit(
        "missions/M2026-0005/mission.yaml",
        "state: open",
        "state: cancelled",
    );
    let err = refused(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(&err, "mission M2026-0005 is `cancelled`");
}

#[test]
fn leave_opens_the_seat_again() {
    let ws = Ws::example();
    let out = ok(
        &ws,
        &[
            "session",
            "leave",
            "M2026-0005-S07",
            "--person",
            "thomas-girard",
        ],
    );
    has(
        &out,
        "thomas-girard left session M2026-0005-S07; the seat is open again",
    );
    assert!(!ws.read(S07).contains("thomas-girard"));
    let list = ok(&ws, &["session", "list", "--open", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(v["rows"][0]["open seats"], 2, "{list}");
}

#[test]
fn leave_refuses_someone_not_booked_or_after_the_start() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "session",
            "leave",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(
        &err,
        "`julia-weber` is not booked on session M2026-0005-S07",
    );
    let err = refused_at(
        &ws,
        "2026-06-18 08:30",
        &[
            "session",
            "leave",
            "M2026-0005-S07",
            "--person",
            "thomas-girard",
        ],
    );
    has(&err, "session M2026-0005-S07 started at 2026-06-18 08:30");
}

#[test]
fn the_older_open_seats_count_goes_down_and_up() {
    let ws = Ws::example();
    ws.edit(S07, "seats: 3\nopen_role: co\n", "open_seats: 1\n");
    ok(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(&ws.read(S07), "open_seats: 0\n");
    ok(
        &ws,
        &[
            "session",
            "leave",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    has(&ws.read(S07), "open_seats: 1\n");
}

#[test]
fn list_open_shows_planned_sessions_with_a_free_seat() {
    let ws = Ws::example();
    let out = ok(&ws, &["session", "list", "--open", "--format", "csv"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].ends_with(",open seats,open role"), "{out}");
    assert!(lines[1].starts_with("M2026-0005-S07,"), "{out}");
    assert!(lines[1].ends_with(",1,co"), "{out}");
    // Once the session started, it is not open any more.
    let out = run_at(
        &ws,
        "2026-06-18 08:30",
        &["session", "list", "--open", "--format", "csv"],
    );
    assert_eq!(
        text(&out.stdout).lines().count(),
        1,
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn session_new_opens_seats() {
    let ws = Ws::example();
    let out = run_at(
        &ws,
        NOW,
        &[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "training-day",
            "--start",
            "2026-07-01 09:00",
            "--location",
            "Lycée",
            "--facilitator",
            "ines-moreau",
            "--open-seats",
            "2",
            "--open-role",
            "co",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = ws.read("missions/M2026-0005/sessions/M2026-0005-S09.yaml");
    has(
        &file,
        "  - { person: ines-moreau, role: lead, status: paid }\nseats: 3\nopen_role: co\n",
    );
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
            "2026-07-02 09:00",
            "--location",
            "Lycée",
            "--open-seats",
            "1",
            "--open-role",
            "boss",
        ],
    );
    has(
        &err,
        "--open-role: role `boss` is not one of lead, co, referent, mission",
    );
}

#[test]
fn a_seat_is_one_command_and_one_commit_on_its_own_branch() {
    let ws = Ws::example();
    git(&ws, None, &["init", "-q", "-b", "main"]);
    git(&ws, None, &["add", "-A"]);
    git(&ws, None, &["commit", "-qm", "base"]);
    git(&ws, None, &["config", "user.name", "Julia Weber"]);
    git(&ws, None, &["config", "user.email", "julia@example.org"]);
    let out = run_at(
        &ws,
        NOW,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
            "--commit",
            "--branch",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_ne!(
        git(&ws, None, &["rev-parse", "--abbrev-ref", "HEAD"]),
        "main"
    );
    let shown = git(&ws, None, &["show", "--name-only", "--format=%s", "HEAD"]);
    has(&shown, "julia-weber joined session M2026-0005-S07");
    has(&shown, S07);
    let out = run_at(
        &ws,
        NOW,
        &[
            "session",
            "leave",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
            "--commit",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    has(
        &git(&ws, None, &["log", "-1", "--format=%s"]),
        "julia-weber left session M2026-0005-S07",
    );
}

#[track_caller]
fn usage_refused(ws: &Ws, args: &[&str]) -> String {
    usage_refused_at(ws, NOW, args)
}
