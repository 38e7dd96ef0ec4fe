//! `--actor` covers every path of the change: data files a role is granted, and nothing else —
//! templates, labels, `.gitignore`, force-added `private/` files, anything outside the data
//! folders needs staff. A file that cannot be read (shape errors) is judged all the same, so
//! its errors never hide a `not-allowed`: both come in one run.

use crate::support::{Lint, Ws};

const BASE_DATE: &str = "2026-06-01T10:00:00+02:00";
const CHANGE_DATE: &str = "2026-06-12T10:00:00+02:00";
const COORDINATOR: &str = "cleo@example.org";
const STAFF: &str = "sam@asso.example";

const MISSION: &str = "missions/M2026-0001/mission.yaml";
const S02: &str = "missions/M2026-0001/sessions/M2026-0001-S02.yaml";
const PAYOUT: &str = "payouts/2026/P2026-05-M2026-0001.yaml";

fn git(ws: &Ws, args: &[&str]) {
    crate::support::git(ws, Some(CHANGE_DATE), args);
}

/// The base fixture with a template, labels and a .gitignore, committed on `main` (in folder
/// `sub` of the repository when given); HEAD on a new branch `change`.
fn repo_in(sub: Option<&str>) -> (Ws, String) {
    let ws = Ws::base();
    ws.write(
        "people/dora-coord.yaml",
        "id: dora-coord\nname: Dora Coord\nroles: [facilitator, coordinator]\ngit: [dora]\n",
    );
    ws.write("templates/invoice.html", "<p>{{ doc.number }}</p>\n");
    ws.write("templates/labels/fr.yaml", "invoice: Facture\n");
    ws.write(".gitignore", "private/\n");
    let folder = match sub {
        None => String::new(),
        Some(sub) => {
            let inner = ws.path().join(sub);
            std::fs::create_dir(&inner).unwrap();
            for entry in std::fs::read_dir(ws.path()).unwrap() {
                let entry = entry.unwrap();
                if entry.file_name() != sub {
                    std::fs::rename(entry.path(), inner.join(entry.file_name())).unwrap();
                }
            }
            ws.write("README.md", "the repository\n");
            format!("{sub}/")
        }
    };
    crate::support::git(&ws, Some(BASE_DATE), &["init", "-q", "-b", "main"]);
    crate::support::git(&ws, Some(BASE_DATE), &["add", "-A"]);
    crate::support::git(&ws, Some(BASE_DATE), &["commit", "-q", "-m", "base"]);
    git(&ws, &["checkout", "-q", "-b", "change"]);
    (ws, folder)
}

fn repo() -> Ws {
    repo_in(None).0
}

/// Commit everything (force-adding `force`), then lint the change as `actor`.
fn lint_as(ws: &Ws, actor: &str, force: &[&str], extra: &[&str]) -> Lint {
    git(ws, &["add", "-A"]);
    for f in force {
        git(ws, &["add", "-f", f]);
    }
    git(ws, &["commit", "-q", "--allow-empty", "-m", "change"]);
    let mut args = vec!["--base", "main", "--actor", actor];
    args.extend_from_slice(extra);
    ws.lint_args(&args)
}

#[track_caller]
fn refused(lint: &Lint, file: &str, needle: &str) {
    let f = lint.expect("not-allowed", file, 1, 1);
    assert!(
        f.message.contains("`cleo-coord` (coordinator") && f.message.contains("`staff` role"),
        "{}",
        f.message
    );
    assert!(f.message.contains(needle), "{}", f.message);
}

#[test]
fn a_coordinator_may_not_change_templates_labels_or_gitignore() {
    let ws = repo();
    ws.write("templates/invoice.html", "<p>no mentions at all</p>\n");
    ws.write("templates/quote.html", "<p>a new quote</p>\n");
    ws.write("templates/labels/fr.yaml", "invoice: Reçu\n");
    ws.write("templates/labels/de.yaml", "invoice: Rechnung\n");
    ws.write(".gitignore", "\n");
    ws.write("notes.md", "anything else\n");
    let lint = lint_as(&ws, COORDINATOR, &[], &[]);
    refused(
        &lint,
        "templates/invoice.html",
        "change templates/invoice.html",
    );
    refused(&lint, "templates/quote.html", "add templates/quote.html");
    refused(&lint, "templates/labels/fr.yaml", "labels");
    refused(
        &lint,
        "templates/labels/de.yaml",
        "add templates/labels/de.yaml",
    );
    refused(&lint, ".gitignore", "private/");
    refused(&lint, "notes.md", "only workspace data files");
    // Staff may.
    let staff = ws.lint_args(&["--base", "main", "--actor", STAFF]);
    staff.expect_none("not-allowed");
}

#[test]
fn a_coordinator_may_not_force_add_private_files() {
    let ws = repo();
    ws.write(
        "private/rosters/M2026-0001-S01.yaml",
        "participants:\n  - { name: Jeanne Martin, attended: true }\n",
    );
    let lint = lint_as(
        &ws,
        COORDINATOR,
        &["private/rosters/M2026-0001-S01.yaml"],
        &[],
    );
    refused(
        &lint,
        "private/rosters/M2026-0001-S01.yaml",
        "git rm -r --cached private",
    );
    // The human output never prints a line of the roster.
    let out = ws.run(&["lint", "--base", "main", "--actor", COORDINATOR]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not-allowed"), "{text}");
    assert!(!text.contains("Jeanne"), "{text}");
}

#[test]
fn a_deleted_path_needs_staff_too() {
    let ws = repo();
    ws.remove("templates/labels/fr.yaml");
    let lint = lint_as(&ws, COORDINATOR, &[], &[]);
    refused(
        &lint,
        "templates/labels/fr.yaml",
        "delete templates/labels/fr.yaml",
    );
}

#[test]
fn a_change_outside_the_workspace_folder_needs_staff() {
    let (ws, folder) = repo_in(Some("books"));
    ws.write("README.md", "changed by a coordinator\n");
    ws.write(".github/workflows/fresk.yml", "on: push\n");
    let lint = lint_as(&ws, COORDINATOR, &[], &["-C", folder.trim_end_matches('/')]);
    refused(&lint, "../README.md", "outside the workspace");
    refused(
        &lint,
        "../.github/workflows/fresk.yml",
        "outside the workspace",
    );
}

#[test]
fn a_shape_error_never_hides_not_allowed() {
    let ws = repo();
    // A staff-only file with a typo: both the shape error and the refusal, in one run.
    ws.edit(
        "people/cleo-coord.yaml",
        "roles: [facilitator, coordinator]",
        "roles: [facilitator, coordinator, staff]\nroless: [x]",
    );
    // Another coordinator's mission, made unreadable.
    ws.edit(MISSION, "state: open", "state: [open]");
    let lint = lint_as(&ws, "dora", &[], &[]);
    lint.expect("unknown-field", "people/cleo-coord.yaml", 5, 1);
    let f = lint.expect("not-allowed", "people/cleo-coord.yaml", 1, 1);
    assert!(f.message.contains("people files"), "{}", f.message);
    lint.expect("wrong-type", MISSION, 2, 8);
    let f = lint.expect("not-allowed", MISSION, 6, 14);
    assert!(
        f.message.contains("coordinated by `cleo-coord`") && f.message.contains("cannot be read"),
        "{}",
        f.message
    );
}

#[test]
fn a_shape_error_in_a_new_file_never_hides_not_allowed() {
    let ws = repo();
    // A new payout requested in another coordinator's name, with a typo.
    ws.write(
        "payouts/2026/P2026-06-M2026-0001.yaml",
        "id: P2026-06-M2026-0001\nmission: M2026-0001\nstate: requested\nrequested_by: cleo-coord\nrequested: 2026-06-02\nlinez: []\n",
    );
    // A new session of a mission that is not theirs, unreadable.
    ws.write(
        "missions/M2026-0001/sessions/M2026-0001-S03.yaml",
        "id: M2026-0001-S03\nmission: M2026-0001\nstate: planned\nstart: tomorrow\n",
    );
    let lint = lint_as(&ws, "dora", &[], &[]);
    let f = lint.expect(
        "not-allowed",
        "payouts/2026/P2026-06-M2026-0001.yaml",
        4,
        15,
    );
    assert!(
        f.message.contains("requested by `cleo-coord`"),
        "{}",
        f.message
    );
    lint.expect(
        "not-allowed",
        "missions/M2026-0001/sessions/M2026-0001-S03.yaml",
        2,
        10,
    );
}

#[test]
fn a_coordinator_with_a_typo_in_their_own_files_gets_only_the_typo() {
    let ws = repo();
    ws.edit(S02, "state: planned", "state: planned\nnotez: typo");
    ws.edit(
        PAYOUT,
        "requested: 2026-05-02",
        "requested: 2026-05-02\nnotez: typo",
    );
    let lint = lint_as(&ws, COORDINATOR, &[], &[]);
    lint.expect_none("not-allowed");
    assert_eq!(lint.of("unknown-field").len(), 2, "{}", lint.listing());
}

#[test]
fn an_unreadable_payout_that_numbers_self_invoices_needs_staff() {
    let ws = repo();
    ws.edit(
        PAYOUT,
        "state: requested",
        "state: invoiced\nself_invoices:\n  - { person: cleo-coord, number: AF-cleo-coord-0001, issued: 2026-05-20, total: 500, extra: 1 }",
    );
    let lint = lint_as(&ws, COORDINATOR, &[], &[]);
    let f = lint.expect("not-allowed", PAYOUT, 3, 8);
    assert!(f.message.contains("accounting"), "{}", f.message);
}
