//! `fresk lint --base main --actor WHO` on real git histories of the example workspace: a
//! facilitator may add or withdraw their own application on a published request, and take or
//! leave an open seat on a planned session of an open mission before it starts — nothing else
//! in those files, and every refusal names the role it needs.
//!
//! In the example, R2026-0009 (subcontracting) is published with applications from
//! antoine-roux and camille-dupont; R2026-0011 (introduction) is published; M2026-0005 (open) is
//! coordinated by ines-moreau, and its session S07 (2026-06-18 08:30) has 3 seats, 2 booked.

use crate::support::{Lint, Ws, git};

const BASE_DATE: &str = "2026-06-10T10:00:00+02:00";
const CHANGE_DATE: &str = "2026-06-15T10:00:00+02:00";
const NOW: &str = "2026-06-15 12:00";
const R09: &str = "requests/2026/R2026-0009.yaml";
const R10: &str = "requests/2026/R2026-0010.yaml";
const R11: &str = "requests/2026/R2026-0011.yaml";
const S07: &str = "missions/M2026-0005/sessions/M2026-0005-S07.yaml";
const S08: &str = "missions/M2026-0005/sessions/M2026-0005-S08.yaml";

/// The example committed on `main`; HEAD on a new branch `change`.
fn repo() -> Ws {
    let ws = Ws::example();
    git(&ws, Some(BASE_DATE), &["init", "-q", "-b", "main"]);
    git(&ws, Some(BASE_DATE), &["add", "-A"]);
    git(&ws, Some(BASE_DATE), &["commit", "-q", "-m", "base"]);
    git(&ws, Some(CHANGE_DATE), &["checkout", "-q", "-b", "change"]);
    ws
}

/// Run a fresk command at [`NOW`], which must succeed.
#[track_caller]
fn fresk(ws: &Ws, args: &[&str]) {
    let out = ws
        .command()
        .env("FRESK_NOW", NOW)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`fresk {}`: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Commit the change, then lint it as `actor` at `now`.
fn lint_as(ws: &Ws, actor: &str, now: &str) -> Lint {
    git(ws, Some(CHANGE_DATE), &["add", "-A"]);
    git(
        ws,
        Some(CHANGE_DATE),
        &["commit", "-q", "--allow-empty", "-m", "change"],
    );
    let out = ws
        .command()
        .env("FRESK_NOW", now)
        .args([
            "lint", "--format", "json", "--base", "main", "--actor", actor,
        ])
        .output()
        .unwrap();
    Lint::parse(&out)
}

#[track_caller]
fn allowed(lint: &Lint) {
    lint.expect_none("not-allowed");
}

/// A `not-allowed` on `file` whose message holds each of `needles`.
#[track_caller]
fn refused(lint: &Lint, file: &str, needles: &[&str]) {
    let found = lint.of("not-allowed");
    let f = found
        .iter()
        .find(|f| f.file == file)
        .unwrap_or_else(|| panic!("no not-allowed on {file}:\n{}", lint.listing()));
    for n in needles {
        assert!(f.message.contains(n), "no `{n}` in: {}", f.message);
    }
}

// --- applications -------------------------------------------------------------------------

#[test]
fn a_coordinator_may_apply_to_a_published_request() {
    let ws = repo();
    fresk(
        &ws,
        &[
            "request",
            "apply",
            "R2026-0009",
            "--person",
            "ines-moreau",
            "--message",
            "Libre",
        ],
    );
    allowed(&lint_as(&ws, "ines-m", NOW));
}

#[test]
fn a_facilitator_may_apply_on_the_introduction_track() {
    let ws = repo();
    fresk(
        &ws,
        &[
            "request",
            "apply",
            "R2026-0011",
            "--person",
            "lucas-bernard",
        ],
    );
    let lint = lint_as(&ws, "lucasb", NOW);
    allowed(&lint);
    assert_eq!(lint.code, 0, "{}", lint.listing());
}

#[test]
fn an_applicant_may_withdraw_their_own_application() {
    let ws = repo();
    fresk(
        &ws,
        &[
            "request",
            "withdraw",
            "R2026-0009",
            "--person",
            "antoine-roux",
        ],
    );
    allowed(&lint_as(&ws, "aroux", NOW));
}

#[test]
fn nobody_may_edit_or_withdraw_someone_elses_application() {
    let ws = repo();
    ws.edit(R09, "Disponible le 17 septembre", "Indisponible");
    let lint = lint_as(&ws, "camilled", NOW);
    refused(
        &lint,
        R09,
        &[
            "`camille-dupont`",
            "someone else's application to R2026-0009",
            "the `staff` role",
        ],
    );
    let ws = repo();
    fresk(
        &ws,
        &[
            "request",
            "withdraw",
            "R2026-0009",
            "--person",
            "antoine-roux",
        ],
    );
    refused(
        &lint_as(&ws, "camilled", NOW),
        R09,
        &["someone else's application"],
    );
}

#[test]
fn applying_needs_the_role_of_the_track() {
    let ws = repo();
    ws.edit(
        R09,
        "notes: Publiée",
        "  - { person: lucas-bernard, date: 2026-06-15 }\nnotes: Publiée",
    );
    refused(
        &lint_as(&ws, "lucasb", NOW),
        R09,
        &["applying to a request on the subcontracting track needs the `coordinator` role"],
    );
}

#[test]
fn applying_to_a_request_not_published_needs_staff() {
    let ws = repo();
    let mut text = ws.read(R10);
    text.push_str("applications:\n  - { person: ines-moreau, date: 2026-06-15 }\n");
    ws.write(R10, &text);
    refused(
        &lint_as(&ws, "ines-m", NOW),
        R10,
        &[
            "request R2026-0010 is `won`: applications are added or withdrawn only while it is published",
            "`staff` role",
        ],
    );
}

#[test]
fn an_application_with_any_other_change_needs_staff() {
    let ws = repo();
    fresk(
        &ws,
        &[
            "request",
            "apply",
            "R2026-0011",
            "--person",
            "lucas-bernard",
        ],
    );
    ws.edit(R11, "participants: 90", "participants: 60");
    refused(
        &lint_as(&ws, "lucasb", NOW),
        R11,
        &["is staff's work", "`staff` role"],
    );
}

// --- seats --------------------------------------------------------------------------------

#[test]
fn a_facilitator_may_take_an_open_seat() {
    let ws = repo();
    fresk(
        &ws,
        &[
            "session",
            "join",
            "M2026-0005-S07",
            "--person",
            "julia-weber",
        ],
    );
    let lint = lint_as(&ws, "jweber", NOW);
    allowed(&lint);
    assert_eq!(lint.code, 0, "{}", lint.listing());
}

#[test]
fn a_facilitator_may_leave_their_seat() {
    let ws = repo();
    fresk(
        &ws,
        &[
            "session",
            "leave",
            "M2026-0005-S07",
            "--person",
            "thomas-girard",
        ],
    );
    allowed(&lint_as(&ws, "tgirard", NOW));
}

#[test]
fn a_seat_that_is_not_open_needs_the_coordinator() {
    let ws = repo();
    ws.edit(
        S08,
        "  - { person: sophie-lambert, role: co, status: volunteer }\n",
        "  - { person: sophie-lambert, role: co, status: volunteer }\n  - { person: julia-weber, role: co, status: paid }\n",
    );
    refused(
        &lint_as(&ws, "jweber", NOW),
        S08,
        &[
            "session M2026-0005-S08 has no open seat (no `seats`)",
            "being its coordinator (`ines-moreau`) or the `staff` role",
        ],
    );
}

#[test]
fn joining_after_the_session_started_needs_the_coordinator() {
    let ws = repo();
    ws.edit(
        S07,
        "  - { person: thomas-girard, role: co, status: paid }\n",
        "  - { person: thomas-girard, role: co, status: paid }\n  - { person: julia-weber, role: co, status: paid }\n",
    );
    refused(
        &lint_as(&ws, "jweber", "2026-06-18 09:00"),
        S07,
        &[
            "session M2026-0005-S07 started at 2026-06-18 08:30",
            "being its coordinator (`ines-moreau`)",
        ],
    );
}

#[test]
fn a_facilitator_may_not_touch_someone_elses_booking() {
    let ws = repo();
    fresk(
        &ws,
        &[
            "session",
            "leave",
            "M2026-0005-S07",
            "--person",
            "thomas-girard",
        ],
    );
    refused(
        &lint_as(&ws, "jweber", NOW),
        S07,
        &["someone else's booking on M2026-0005-S07", "`staff` role"],
    );
}

#[test]
fn a_seat_in_another_role_or_with_more_seats_needs_the_coordinator() {
    let ws = repo();
    ws.edit(
        S07,
        "  - { person: thomas-girard, role: co, status: paid }\n",
        "  - { person: thomas-girard, role: co, status: paid }\n  - { person: julia-weber, role: lead, status: paid }\n",
    );
    refused(
        &lint_as(&ws, "jweber", NOW),
        S07,
        &["the open seats of M2026-0005-S07 are for the `co` role"],
    );
    let ws = repo();
    ws.edit(
        S07,
        "  - { person: thomas-girard, role: co, status: paid }\nseats: 3",
        "  - { person: thomas-girard, role: co, status: paid }\n  - { person: julia-weber, role: co, status: paid }\nseats: 4",
    );
    refused(
        &lint_as(&ws, "jweber", NOW),
        S07,
        &["its mission M2026-0005 has coordinator `ines-moreau`"],
    );
}

#[test]
fn the_coordinator_still_books_anyone() {
    let ws = repo();
    ws.edit(
        S08,
        "  - { person: sophie-lambert, role: co, status: volunteer }\n",
        "  - { person: sophie-lambert, role: co, status: volunteer }\n  - { person: julia-weber, role: co, status: paid }\n",
    );
    allowed(&lint_as(&ws, "ines-m", NOW));
}
