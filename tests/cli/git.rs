//! `fresk lint --base` and `--actor` on real temporary git repositories: a base committed on
//! `main` from a copy of tests/fixtures/base, a branch, a change, then the lint of the change.
//! git runs isolated from the user's configuration, with fixed identities and dates.

use crate::support::{Lint, Ws};

/// The base commit's date; the change is committed at [`CHANGE_DATE`].
const BASE_DATE: &str = "2026-06-01T10:00:00+02:00";
const CHANGE_DATE: &str = "2026-06-12T10:00:00+02:00";

const PAYOUT: &str = "payouts/2026/P2026-05-M2026-0001.yaml";
const MISSION: &str = "missions/M2026-0001/mission.yaml";
const S01: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";
const S02: &str = "missions/M2026-0001/sessions/M2026-0001-S02.yaml";
const S03: &str = "missions/M2026-0001/sessions/M2026-0001-S03.yaml";

fn git(ws: &Ws, date: &str, args: &[&str]) {
    crate::support::git(ws, Some(date), args);
}

fn commit(ws: &Ws, date: &str, message: &str) {
    git(ws, date, &["add", "-A"]);
    git(ws, date, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// The fixture, with `prepare` applied, committed on `main`; HEAD on a new branch `change`.
fn repo_with(prepare: impl FnOnce(&Ws)) -> Ws {
    let ws = Ws::base();
    ws.write(
        "people/dora-coord.yaml",
        "id: dora-coord\nname: Dora Coord\nroles: [facilitator, coordinator]\ngit: [dora]\n",
    );
    ws.edit(
        "people/felix-facil.yaml",
        "roles: [facilitator]\n",
        "roles: [facilitator]\ngit: [felixf]\n",
    );
    prepare(&ws);
    git(&ws, BASE_DATE, &["init", "-q", "-b", "main"]);
    commit(&ws, BASE_DATE, "base");
    git(&ws, BASE_DATE, &["checkout", "-q", "-b", "change"]);
    ws
}

fn repo() -> Ws {
    repo_with(|_| {})
}

/// A base whose mission is closed (S02 cancelled) and invoiced by an issued invoice.
fn closed_repo() -> Ws {
    repo_with(|ws| {
        ws.edit(S02, "state: planned", "state: cancelled");
        ws.edit(MISSION, "state: open", "state: closed");
        let text = ws.read(MISSION) + "closed: 2026-05-30\n";
        ws.write(MISSION, &text);
        ws.write(
            "invoices/2026/F2026-0001.yaml",
            "id: F2026-0001\nkind: invoice\nstate: issued\nmission: M2026-0001\norganisation: acme\nissued: 2026-05-31\ndue: 2026-06-30\nlines:\n  - { offer: workshop-onsite, quantity: 1, unit_price: 1200 }\n",
        );
    })
}

/// A base whose payout is invoiced: self-invoices numbered on main.
fn invoiced_repo() -> Ws {
    repo_with(|ws| {
        ws.edit(PAYOUT, "state: requested", "state: invoiced");
        let text = ws.read(PAYOUT) + SELF_INVOICES;
        ws.write(PAYOUT, &text);
    })
}

const SELF_INVOICES: &str = "self_invoices:\n  - { person: cleo-coord, number: AF-cleo-coord-0001, issued: 2026-05-20, total: 500 }\n  - { person: felix-facil, number: AF-felix-facil-0001, issued: 2026-05-20, total: 250 }\n";

const NEW_SESSION: &str = "id: M2026-0001-S03\nmission: M2026-0001\nstate: planned\noffer: workshop-onsite\nstart: START\nend: END\nlocation: \"ACME, Lyon\"\nfacilitators:\n  - { person: cleo-coord, role: lead, status: paid }\nparticipants:\n  expected: 12\n";

fn new_session(start_day: &str) -> String {
    NEW_SESSION
        .replace("START", &format!("{start_day} 09:00"))
        .replace("END", &format!("{start_day} 12:00"))
}

fn lint_change(ws: &Ws, extra: &[&str]) -> Lint {
    commit(ws, CHANGE_DATE, "change");
    let mut args = vec!["--base", "main"];
    args.extend_from_slice(extra);
    ws.lint_args(&args)
}

#[test]
fn an_unchanged_branch_lints_clean() {
    let ws = repo();
    lint_change(&ws, &[]).expect_clean();
    lint_change(&ws, &["--actor", "cleo@example.org"]).expect_clean();
}

// ---- illegal-transition

#[test]
fn illegal_transition_triggered() {
    let ws = repo();
    ws.edit(S01, "state: held", "state: planned");
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("illegal-transition", S01, 3, 8);
    assert!(f.message.contains("`held` is final"), "{}", f.message);
    assert_eq!(lint.code, 1);
}

#[test]
fn illegal_transition_not_triggered_by_a_step() {
    let ws = repo();
    ws.edit(S02, "state: planned", "state: cancelled");
    lint_change(&ws, &[]).expect_clean();
}

// ---- closed-mission-changed

#[test]
fn closed_mission_changed_triggered_by_an_edit() {
    let ws = closed_repo();
    ws.edit(MISSION, "quantity: 3", "quantity: 4");
    let lint = lint_change(&ws, &[]);
    lint.expect("closed-mission-changed", MISSION, 9, 41);
}

#[test]
fn closed_mission_changed_triggered_by_a_new_session() {
    let ws = closed_repo();
    ws.write(S03, &new_session("2026-07-10"));
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("closed-mission-changed", S03, 2, 10);
    assert!(f.message.contains("adds a session"), "{}", f.message);
}

#[test]
fn closed_mission_changed_not_triggered_on_an_open_mission() {
    let ws = repo();
    ws.edit(MISSION, "quantity: 3", "quantity: 4");
    ws.write(S03, &new_session("2026-07-10"));
    let lint = lint_change(&ws, &[]);
    lint.expect_none("closed-mission-changed");
}

// ---- issued-document-changed

#[test]
fn issued_document_changed_triggered_on_an_invoice() {
    let ws = closed_repo();
    ws.edit(
        "invoices/2026/F2026-0001.yaml",
        "unit_price: 1200",
        "unit_price: 1000",
    );
    let lint = lint_change(&ws, &[]);
    lint.expect(
        "issued-document-changed",
        "invoices/2026/F2026-0001.yaml",
        9,
        56,
    );
}

#[test]
fn issued_document_changed_triggered_on_self_invoices() {
    let ws = invoiced_repo();
    ws.edit(PAYOUT, "amount: 250", "amount: 300");
    let lint = lint_change(&ws, &[]);
    lint.expect("issued-document-changed", PAYOUT, 8, 71);
}

#[test]
fn issued_document_changed_not_triggered_by_sending_or_paying() {
    let ws = closed_repo();
    let inv = "invoices/2026/F2026-0001.yaml";
    ws.edit(inv, "state: issued", "state: sent");
    let text = ws.read(inv) + "sent: 2026-06-02\n";
    ws.write(inv, &text);
    let lint = lint_change(&ws, &[]);
    lint.expect_none("issued-document-changed");
    lint.expect_none("illegal-transition");

    let ws = invoiced_repo();
    ws.edit(PAYOUT, "state: invoiced", "state: paid");
    let text = ws.read(PAYOUT) + "paid: { date: 2026-06-05, reference: VIR-1 }\n";
    ws.write(PAYOUT, &text);
    lint_change(&ws, &[]).expect_clean();
}

// ---- number-on-branch

fn number_self_invoices(ws: &Ws) {
    ws.edit(PAYOUT, "state: requested", "state: invoiced");
    let text = ws.read(PAYOUT) + SELF_INVOICES;
    ws.write(PAYOUT, &text);
}

#[test]
fn number_on_branch_triggered() {
    let ws = repo();
    number_self_invoices(&ws);
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("number-on-branch", PAYOUT, 10, 35);
    assert!(f.message.contains("on branch `change`"), "{}", f.message);
    lint.expect("number-on-branch", PAYOUT, 11, 36);
}

#[test]
fn number_on_branch_not_triggered_on_main() {
    let ws = repo();
    git(&ws, BASE_DATE, &["checkout", "-q", "main"]);
    number_self_invoices(&ws);
    commit(&ws, CHANGE_DATE, "numbered on main");
    ws.lint_args(&["--base", "HEAD~1"]).expect_clean();
    // A main branch by another name.
    git(&ws, BASE_DATE, &["branch", "-q", "-m", "main", "trunk"]);
    ws.lint_args(&["--base", "HEAD~1", "--main-branch", "trunk"])
        .expect_clean();
    ws.lint_args(&["--base", "HEAD~1"])
        .expect("number-on-branch", PAYOUT, 10, 35);
}

// ---- session-planned-late

#[test]
fn session_planned_late_triggered() {
    let ws = repo();
    ws.write(S03, &new_session("2026-06-10"));
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("session-planned-late", S03, 5, 8);
    assert!(f.message.contains("2026-06-12 10:00"), "{}", f.message);
}

#[test]
fn session_planned_late_not_triggered_before_the_start() {
    let ws = repo();
    ws.write(S03, &new_session("2026-07-10"));
    lint_change(&ws, &[]).expect_clean();
}

// ---- payout-reused

const NEW_PAYOUT: &str = "payouts/2026/P2026-06-M2026-0001.yaml";

fn rerequest(ws: &Ws) {
    let text = ws
        .read(PAYOUT)
        .replace("P2026-05-M2026-0001", "P2026-06-M2026-0001")
        .replace("requested: 2026-05-02", "requested: 2026-06-02")
        .replace("state: rejected", "state: requested")
        .replace("rejection: { reason: wrong month }\n", "");
    ws.write(NEW_PAYOUT, &text);
}

#[test]
fn payout_reused_triggered() {
    let ws = repo();
    rerequest(&ws);
    ws.remove(PAYOUT);
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("payout-reused", NEW_PAYOUT, 7, 16);
    assert!(f.message.contains("P2026-05-M2026-0001"), "{}", f.message);
    lint.expect("payout-reused", NEW_PAYOUT, 8, 16);
}

/// The payout requested first is left as it is: what it requested is read from an unchanged file.
#[test]
fn payout_reused_triggered_beside_the_first_request() {
    let ws = repo();
    rerequest(&ws);
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("payout-reused", NEW_PAYOUT, 7, 16);
    assert!(f.message.contains("P2026-05-M2026-0001"), "{}", f.message);
}

#[test]
fn payout_reused_not_triggered_after_a_rejection() {
    let ws = repo_with(|ws| {
        ws.edit(PAYOUT, "state: requested", "state: rejected");
        let text = ws.read(PAYOUT) + "rejection: { reason: wrong month }\n";
        ws.write(PAYOUT, &text);
    });
    rerequest(&ws);
    lint_change(&ws, &[]).expect_clean();
}

// ---- --actor

#[test]
fn an_unknown_actor_is_an_error_of_the_command() {
    let ws = repo();
    commit(&ws, CHANGE_DATE, "change");
    let out = ws.run(&["lint", "--base", "main", "--actor", "nobody@example.org"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown actor `nobody@example.org`"), "{err}");
    assert!(err.contains("git:"), "{err}");
}

#[test]
fn actor_needs_base() {
    let ws = repo();
    let out = ws.run(&["lint", "--actor", "dora"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_unreachable_base_is_an_error_that_says_what_to_do() {
    let ws = repo();
    let out = ws.run(&["lint", "--base", "origin/nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("git fetch"), "{err}");
}

#[test]
fn staff_may_change_the_configuration() {
    let ws = repo();
    ws.edit(
        "fresk.yaml",
        "quote_validity_days: 30",
        "quote_validity_days: 45",
    );
    lint_change(&ws, &["--actor", "samstaff"]).expect_clean();
}

#[test]
fn a_coordinator_may_not_change_the_configuration() {
    let ws = repo();
    ws.edit(
        "fresk.yaml",
        "quote_validity_days: 30",
        "quote_validity_days: 45",
    );
    let lint = lint_change(&ws, &["--actor", "cleo@example.org"]);
    let f = lint.expect("not-allowed", "fresk.yaml", 31, 22);
    assert!(f.message.contains("`cleo-coord`"), "{}", f.message);
    assert!(f.message.contains("`staff` role"), "{}", f.message);
}

#[test]
fn a_coordinator_may_not_change_people_or_requests() {
    let ws = repo();
    ws.edit(
        "people/cleo-coord.yaml",
        "roles: [facilitator, coordinator]",
        "roles: [facilitator, coordinator, staff]",
    );
    ws.edit(
        "requests/2026/R2026-0001.yaml",
        "participants: 45",
        "participants: 50",
    );
    let lint = lint_change(&ws, &["--actor", "cleo@example.org"]);
    lint.expect("not-allowed", "people/cleo-coord.yaml", 4, 35);
    lint.expect("not-allowed", "requests/2026/R2026-0001.yaml", 12, 17);
}

#[test]
fn a_coordinator_may_change_their_own_mission_and_sessions() {
    let ws = repo();
    ws.edit(MISSION, "quantity: 3", "quantity: 4");
    ws.write(S03, &new_session("2026-07-10"));
    ws.edit(S02, "state: planned", "state: cancelled");
    lint_change(&ws, &["--actor", "cleo@example.org"]).expect_none("not-allowed");
}

#[test]
fn a_coordinator_may_not_change_another_coordinators_mission() {
    let ws = repo();
    ws.edit(MISSION, "quantity: 3", "quantity: 4");
    ws.write(S03, &new_session("2026-07-10"));
    let lint = lint_change(&ws, &["--actor", "dora"]);
    let f = lint.expect("not-allowed", MISSION, 9, 41);
    assert!(
        f.message.contains("coordinated by `cleo-coord`"),
        "{}",
        f.message
    );
    lint.expect("not-allowed", S03, 2, 10);
}

#[test]
fn a_coordinator_may_withdraw_their_own_payout_request() {
    let ws = repo();
    ws.remove(PAYOUT);
    lint_change(&ws, &["--actor", "cleo@example.org"]).expect_none("not-allowed");
}

#[test]
fn a_coordinator_may_not_number_or_pay_a_payout() {
    let ws = repo();
    number_self_invoices(&ws);
    let lint = lint_change(&ws, &["--actor", "cleo@example.org"]);
    let f = lint.expect("not-allowed", PAYOUT, 10, 3);
    assert!(f.message.contains("fresk payout invoice"), "{}", f.message);

    let ws = invoiced_repo();
    ws.edit(PAYOUT, "state: invoiced", "state: paid");
    let text = ws.read(PAYOUT) + "paid: { date: 2026-06-05, reference: VIR-1 }\n";
    ws.write(PAYOUT, &text);
    let lint = lint_change(&ws, &["--actor", "cleo@example.org"]);
    lint.expect("not-allowed", PAYOUT, 12, 7);
    // Staff may.
    lint_change(&ws, &["--actor", "sam@asso.example"]).expect_clean();
}

const DECLARATION: &str = "declarations/2026/U2026-0001.yaml";

fn declare(ws: &Ws, person: &str) {
    ws.write(
        DECLARATION,
        &format!("id: U2026-0001\nstate: declared\nrequest: R2026-0001\nperson: {person}\nperiod: 2026-05\nsessions: 1\nparticipants: 12\nrevenue: 1000\nfee: 100\n"),
    );
}

#[test]
fn a_facilitator_may_declare_their_own_revenue() {
    let ws = repo();
    declare(&ws, "felix-facil");
    lint_change(&ws, &["--actor", "felixf"]).expect_none("not-allowed");
}

#[test]
fn a_facilitator_may_not_declare_for_someone_else() {
    let ws = repo();
    declare(&ws, "cleo-coord");
    let lint = lint_change(&ws, &["--actor", "felixf"]);
    let f = lint.expect("not-allowed", DECLARATION, 4, 9);
    assert!(
        f.message.contains("`felix-facil` (facilitator)"),
        "{}",
        f.message
    );
}

#[test]
fn roles_come_from_the_base_not_from_the_change() {
    let ws = repo();
    ws.edit(
        "people/dora-coord.yaml",
        "roles: [facilitator, coordinator]",
        "roles: [facilitator, coordinator, staff]",
    );
    ws.edit(MISSION, "quantity: 3", "quantity: 4");
    let lint = lint_change(&ws, &["--actor", "dora"]);
    lint.expect("not-allowed", "people/dora-coord.yaml", 3, 35);
    lint.expect("not-allowed", MISSION, 9, 41);
}

#[test]
fn github_format_annotates_the_changed_line() {
    let ws = repo();
    ws.edit(S01, "state: held", "state: planned");
    commit(&ws, CHANGE_DATE, "change");
    let out = ws.run(&["lint", "--base", "main", "--format", "github"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "::error file={S01},line=3,col=8,endLine=3,endColumn=15,title=fresk (illegal-transition)::"
        )),
        "{text}"
    );
}

#[test]
fn a_detached_head_is_not_main() {
    let ws = repo();
    number_self_invoices(&ws);
    commit(&ws, CHANGE_DATE, "change");
    git(&ws, CHANGE_DATE, &["checkout", "-q", "--detach"]);
    let lint = ws.lint_args(&["--base", "main"]);
    let f = lint.expect("number-on-branch", PAYOUT, 10, 35);
    assert!(f.message.contains("detached HEAD"), "{}", f.message);
}

#[test]
fn a_workspace_in_a_folder_of_the_repository() {
    let ws = Ws::base();
    let books = ws.path().join("books");
    std::fs::create_dir(&books).unwrap();
    for entry in std::fs::read_dir(ws.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "books" {
            std::fs::rename(entry.path(), books.join(entry.file_name())).unwrap();
        }
    }
    ws.write("README.md", "not part of the workspace\n");
    git(&ws, BASE_DATE, &["init", "-q", "-b", "main"]);
    commit(&ws, BASE_DATE, "base");
    git(&ws, BASE_DATE, &["checkout", "-q", "-b", "change"]);
    ws.edit(&format!("books/{S01}"), "state: held", "state: planned");
    ws.write("README.md", "changed, and ignored\n");
    let lint = lint_change(&ws, &["-C", "books"]);
    lint.expect("illegal-transition", S01, 3, 8);
    assert_eq!(lint.of("illegal-transition").len(), 1, "{}", lint.listing());
}

#[test]
fn uncommitted_changes_count_too() {
    let ws = repo();
    ws.edit(S01, "state: held", "state: planned");
    let lint = ws.lint_args(&["--base", "main"]);
    lint.expect("illegal-transition", S01, 3, 8);
}

#[test]
fn base_outside_a_repository_is_an_error_that_says_what_to_do() {
    let ws = Ws::base();
    let out = ws.run(&["lint", "--base", "main"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a git repository"), "{err}");
}

const MISSION2: &str = "missions/M2026-0002/mission.yaml";

fn open_mission(ws: &Ws, request: &str) {
    ws.write(
        MISSION2,
        &ws.read(MISSION)
            .replace("M2026-0001", "M2026-0002")
            .replace("R2026-0001", request),
    );
}

#[test]
fn a_coordinator_may_open_the_mission_of_a_request_assigned_to_them() {
    let ws = repo();
    open_mission(&ws, "R2026-0001");
    lint_change(&ws, &["--actor", "cleo@example.org"]).expect_none("not-allowed");
}

#[test]
fn a_coordinator_may_not_open_a_mission_for_a_request_not_assigned_to_them() {
    let ws = repo_with(|ws| {
        ws.write(
            "requests/2026/R2026-0002.yaml",
            &ws.read("requests/2026/R2026-0001.yaml")
                .replace("R2026-0001", "R2026-0002")
                .replace("D2026-0001", "D2026-0002")
                .replace("coordinator: cleo-coord", "coordinator: dora-coord"),
        );
    });
    open_mission(&ws, "R2026-0002");
    let lint = lint_change(&ws, &["--actor", "cleo@example.org"]);
    let f = lint.expect("not-allowed", MISSION2, 3, 10);
    assert!(f.message.contains("fresk request assign"), "{}", f.message);
}

// --- --commit and --branch on mutating commands ---------------------------------------------

fn git_out(ws: &Ws, args: &[&str]) -> String {
    crate::support::git(ws, None, args)
}

/// A repository whose own config names the committer (fresk reads the identity from git config).
fn repo_with_identity() -> Ws {
    let ws = repo();
    git(&ws, CHANGE_DATE, &["config", "user.name", "Cléo Coord"]);
    git(
        &ws,
        CHANGE_DATE,
        &["config", "user.email", "cleo@example.org"],
    );
    ws
}

#[test]
fn commit_takes_exactly_the_files_written() {
    let ws = repo_with_identity();
    // Unrelated work in progress: one file staged, one edited but not staged.
    ws.edit(
        "people/sam-staff.yaml",
        "name: Sam Staff",
        "name: Sam Staff-Martin",
    );
    git(&ws, CHANGE_DATE, &["add", "people/sam-staff.yaml"]);
    ws.edit("organisations/acme.yaml", "name: ACME SAS", "name: ACME SA");
    ws.run_ok(&["session", "cancel", "M2026-0001-S02", "--commit"]);
    assert_eq!(
        git_out(&ws, &["show", "--name-only", "--format=", "HEAD"]),
        S02
    );
    let message = git_out(&ws, &["log", "-1", "--format=%s|%an|%ae"]);
    assert!(
        message.starts_with("session M2026-0001-S02 cancelled"),
        "{message}"
    );
    assert!(
        message.ends_with("|Cléo Coord|cleo@example.org"),
        "{message}"
    );
    assert_eq!(
        git_out(&ws, &["rev-parse", "--abbrev-ref", "HEAD"]),
        "change"
    );
    // The user's own staged and unstaged changes are exactly as they were.
    assert_eq!(
        git_out(&ws, &["diff", "--cached", "--name-only"]),
        "people/sam-staff.yaml"
    );
    assert_eq!(
        git_out(&ws, &["diff", "--name-only"]),
        "organisations/acme.yaml"
    );
    assert!(ws.read("organisations/acme.yaml").contains("ACME SA\n"));
}

#[test]
fn branch_and_commit_leave_a_branch_ready_for_a_pull_request() {
    let ws = repo_with_identity();
    ws.run_ok(&[
        "session",
        "cancel",
        "M2026-0001-S02",
        "--branch",
        "cancel-s02",
        "--commit",
    ]);
    assert_eq!(
        git_out(&ws, &["rev-parse", "--abbrev-ref", "HEAD"]),
        "cancel-s02"
    );
    assert_eq!(
        git_out(&ws, &["rev-list", "--count", "change..cancel-s02"]),
        "1"
    );
    assert_eq!(git_out(&ws, &["status", "--porcelain"]), "");
    // Without a name, the branch is named after the change.
    let ws = repo_with_identity();
    ws.run_ok(&[
        "session",
        "cancel",
        "M2026-0001-S02",
        "--commit",
        "--branch",
    ]);
    assert_eq!(
        git_out(&ws, &["rev-parse", "--abbrev-ref", "HEAD"]),
        "fresk/session-m2026-0001-s02-cancelled"
    );
}

#[test]
fn an_existing_branch_refuses_the_command_before_anything_is_written() {
    let ws = repo_with_identity();
    git(&ws, CHANGE_DATE, &["branch", "taken"]);
    let before = crate::support::tree(&ws);
    let out = ws.run(&[
        "session",
        "cancel",
        "M2026-0001-S02",
        "--branch",
        "taken",
        "--commit",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("branch `taken` already exists"));
    assert!(
        before == crate::support::tree(&ws),
        "a refused command changed files"
    );
}

/// `--branch` is checked before anything is written: a name git refuses, one it would read as
/// something else (`@`, `HEAD`, a remote-tracking branch, a full ref name), one too long for a
/// file name, one that collides with an existing branch's folder — each refuses the command
/// (exit 2) and leaves the files and the repository exactly as they were.
#[test]
fn a_branch_name_git_refuses_or_misreads_refuses_the_command_before_anything_is_written() {
    let ws = repo_with_identity();
    git(&ws, CHANGE_DATE, &["branch", "fresk"]);
    git(
        &ws,
        CHANGE_DATE,
        &["remote", "add", "origin", "https://example.org/books.git"],
    );
    git(
        &ws,
        CHANGE_DATE,
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    git(&ws, CHANGE_DATE, &["tag", "v1"]);
    let long = "b".repeat(300);
    let cases: [(&str, &str); 14] = [
        (&long, "longer than"),
        ("origin/main", "remote-tracking branch `origin/main`"),
        ("origin/new-work", "remote `origin`"),
        ("@", "`@`"),
        ("HEAD", "`HEAD`"),
        ("refs/heads/x", "full reference name"),
        ("refs/x", "full reference name"),
        ("a..b", "not a valid branch name"),
        ("x.lock", "not a valid branch name"),
        ("-x", "not a valid branch name"),
        ("with space", "not a valid branch name"),
        ("fresk/x", "branch `fresk` exists"),
        ("v1", "tag `v1`"),
        ("change", "already exists"),
    ];
    for (name, says) in cases {
        let before = crate::support::tree(&ws);
        let branch = format!("--branch={name}");
        let out = ws.run(&["session", "cancel", "M2026-0001-S02", &branch, "--commit"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--branch {name}: {err}");
        assert!(err.contains(says), "--branch {name}: {err}");
        assert!(
            before == crate::support::tree(&ws),
            "--branch {name}: a refused command changed files or the repository"
        );
    }
    // A branch under an existing one's folder is refused the other way round too.
    git(&ws, CHANGE_DATE, &["branch", "team/one"]);
    let out = ws.run(&[
        "session",
        "cancel",
        "M2026-0001-S02",
        "--branch=team",
        "--commit",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("branch `team/one` exists"));
    // And a good name still works.
    ws.run_ok(&[
        "session",
        "cancel",
        "M2026-0001-S02",
        "--branch=team-two",
        "--commit",
    ]);
    assert_eq!(
        git_out(&ws, &["rev-parse", "--abbrev-ref", "HEAD"]),
        "team-two"
    );
}

/// A lock git holds (another git command running, or one interrupted) would make the commit
/// fail after the files are written: the command is refused first.
#[test]
fn a_git_lock_refuses_the_command_before_anything_is_written() {
    let ws = repo_with_identity();
    for (lock, args) in [
        (".git/index.lock", &["--commit"][..]),
        (".git/HEAD.lock", &["--commit"][..]),
        (".git/refs/heads/change.lock", &["--commit"][..]),
        (
            ".git/refs/heads/new.lock",
            &["--branch=new", "--commit"][..],
        ),
    ] {
        ws.write(lock, "");
        let before = crate::support::tree(&ws);
        let out = ws
            .command()
            .args(["session", "cancel", "M2026-0001-S02"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{lock}: {err}");
        assert!(
            err.contains("git is busy") && err.contains(lock),
            "{lock}: {err}"
        );
        assert!(before == crate::support::tree(&ws), "{lock}: files changed");
        ws.remove(lock);
    }
    ws.run_ok(&["session", "cancel", "M2026-0001-S02", "--commit"]);
}

#[test]
fn branch_and_commit_need_an_identity() {
    let ws = repo();
    let before = crate::support::tree(&ws);
    // --branch commits (the branch is made to hold the commit), so it too needs an identity.
    for flags in [&["--commit"][..], &["--branch", "x"][..], &["--branch"][..]] {
        let mut args = vec!["session", "cancel", "M2026-0001-S02"];
        args.extend_from_slice(flags);
        let out = ws.run(&args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("git config user.name"));
        assert!(
            before == crate::support::tree(&ws),
            "a refused command changed files"
        );
    }
}

#[test]
fn writing_options_on_a_command_that_writes_nothing_are_refused() {
    let ws = repo();
    for args in [
        &["lint", "--commit"][..],
        &["report", "payouts", "--dry-run"][..],
        &["session", "list", "--branch", "x"][..],
        &["mission", "show", "M2026-0001", "--commit"][..],
    ] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("is for commands that write files; `fresk "),
            "{args:?}: {err}"
        );
    }
}

// ---- illegal-transition across the commits of a pull request

const INTRO: &str = "requests/2026/R2026-0002.yaml";

/// A base with a qualified request on the introduction track: qualified → published → assigned.
fn intro_repo() -> Ws {
    repo_with(|ws| {
        ws.write(
            INTRO,
            "id: R2026-0002\nstate: qualified\ntrack: introduction\nreceived: 2026-05-20 09:00\nchannel: email\norigin: partner\norganisation: acme\nowner: sam-staff\nfirst_response: 2026-05-20 10:00\nneed: { summary: A workshop the facilitator runs themselves }\n",
        );
    })
}

fn assign(ws: &Ws) {
    ws.edit(INTRO, "state: published", "state: assigned");
    let text = ws.read(INTRO) + "facilitator: felix-facil\n";
    ws.write(INTRO, &text);
}

#[test]
fn illegal_transition_not_triggered_by_one_step_per_commit() {
    let ws = intro_repo();
    ws.lint().expect_clean();
    ws.edit(INTRO, "state: qualified", "state: published");
    commit(&ws, CHANGE_DATE, "publish");
    assign(&ws);
    // Base → HEAD goes qualified → assigned, but each commit took one step.
    lint_change(&ws, &[]).expect_none("illegal-transition");
}

#[test]
fn illegal_transition_triggered_by_the_commit_that_skips_a_step() {
    let ws = intro_repo();
    ws.edit(INTRO, "state: qualified", "state: published");
    assign(&ws);
    commit(&ws, CHANGE_DATE, "publish and assign at once");
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("illegal-transition", INTRO, 2, 8);
    assert!(
        f.message.starts_with("commit ")
            && f.message.contains("from `qualified` to `assigned`")
            && f.message.contains("one step per commit"),
        "{}",
        f.message
    );
}

#[test]
fn illegal_transition_triggered_by_a_step_back_in_a_later_commit() {
    let ws = intro_repo();
    ws.edit(INTRO, "state: qualified", "state: published");
    commit(&ws, CHANGE_DATE, "publish");
    // The next commit goes back: that commit's step is the finding.
    ws.edit(INTRO, "state: published", "state: received");
    let lint = lint_change(&ws, &[]);
    let f = lint.expect("illegal-transition", INTRO, 2, 8);
    assert!(
        f.message.contains("from `published` to `received`"),
        "{}",
        f.message
    );
}

// ---- how the change is found

/// `lint --base main` with the load cache on (the way a large workspace runs it) or off: how
/// many files the change holds, and how they were told from the others (`FRESK_STATS`'s
/// `found_by`).
fn change_found(ws: &Ws, cache: bool) -> (usize, String) {
    let out = ws
        .command()
        .args(["lint", "--base", "main", "--format", "json"])
        .args(if cache { None } else { Some("--no-cache") })
        .env("FRESK_CACHE_MIN_FILES", "0")
        .env("FRESK_STATS", "1")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(ws.cache_dir());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("fresk-base:"))
        .unwrap_or_else(|| panic!("no fresk-base line:\n{stderr}"));
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {line}"))
            .to_string()
    };
    (field("changed=").parse().unwrap(), field("found_by="))
}

/// The change as libgit2 finds it comparing the whole tree, and as the cached blob ids give it
/// (`found_by`): the same files.
#[track_caller]
fn same_change(ws: &Ws, found_by: &str) -> usize {
    let (whole, by) = change_found(ws, false);
    assert_eq!(by, "whole-diff");
    assert_eq!(change_found(ws, true), (whole, found_by.to_string()));
    whole
}

#[test]
fn the_change_is_found_from_the_cached_blob_ids_without_git_index() {
    let ws = repo();
    ws.edit(S02, "state: planned", "state: cancelled");
    rerequest(&ws);
    ws.remove(PAYOUT);
    assert_eq!(same_change(&ws, "blobs"), 3);
    commit(&ws, CHANGE_DATE, "change");
    assert_eq!(same_change(&ws, "blobs"), 3);
}

/// Where git may store a file otherwise than as its bytes (line endings), libgit2 judges each
/// candidate.
#[test]
fn line_endings_are_judged_by_git() {
    let ws = repo_with(|ws| {
        ws.write(".gitattributes", "*.yaml text=auto\n");
    });
    ws.write(S01, &ws.read(S01).replace('\n', "\r\n"));
    same_change(&ws, "candidates");

    let ws = repo();
    crate::support::git(&ws, None, &["config", "core.autocrlf", "true"]);
    ws.write(S01, &ws.read(S01).replace('\n', "\r\n"));
    same_change(&ws, "candidates");
}

#[test]
fn a_new_file_git_ignores_is_not_part_of_the_change() {
    let ws = repo_with(|ws| {
        ws.write(".gitignore", &format!("{NEW_PAYOUT}\n"));
    });
    rerequest(&ws);
    assert_eq!(same_change(&ws, "candidates"), 0);
    // Not part of the change, the new payout is not checked as one.
    ws.lint_args(&["--base", "main"])
        .expect_none("payout-reused");
}

/// `--commit` runs the hooks `git commit` runs: pre-commit sees the change staged, commit-msg
/// may rewrite the message, core.hooksPath is honoured; a hook that refuses leaves the files
/// written and uncommitted, and says so (exit 2).
#[test]
fn commit_runs_the_repositorys_hooks() {
    use std::os::unix::fs::PermissionsExt;
    let ws = repo_with_identity();
    let hooks = ws.path().join("githooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let hook = |name: &str, body: &str| {
        let path = hooks.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    hook(
        "pre-commit",
        "git diff --cached --name-only > pre-commit-saw.txt\n",
    );
    hook("commit-msg", "printf '\\nReviewed-by: hook\\n' >> \"$1\"\n");
    git(&ws, CHANGE_DATE, &["config", "core.hooksPath", "githooks"]);
    ws.run_ok(&["session", "cancel", "M2026-0001-S02", "--commit"]);
    assert_eq!(ws.read("pre-commit-saw.txt").trim(), S02);
    let message = git_out(&ws, &["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("session M2026-0001-S02 cancelled")
            && message.contains("Reviewed-by: hook"),
        "{message}"
    );
    hook("pre-commit", "echo 'lint says no' >&2\nexit 1\n");
    let head = git_out(&ws, &["rev-parse", "HEAD"]);
    let out = ws.run(&[
        "person",
        "edit",
        "sam-staff",
        "--phone",
        "0600000000",
        "--commit",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the pre-commit hook"), "{err}");
    assert!(err.contains("lint says no"), "{err}");
    assert_eq!(git_out(&ws, &["rev-parse", "HEAD"]), head, "no commit");
    assert!(
        ws.read("people/sam-staff.yaml").contains("0600000000"),
        "the files are written"
    );
}
