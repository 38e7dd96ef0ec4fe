//! How commands write: two at once serialize through the workspace lock (no lost file, no
//! number given twice); a change of several files is all or nothing as the next command sees it,
//! whatever step it is interrupted at; nothing is written through a symbolic link out of the
//! workspace; a command loads the workspace once.

use crate::support::{Ws, git, tree};
use std::collections::BTreeMap;
use std::process::{Child, Output};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn spawn(ws: &Ws, args: &[&str]) -> Child {
    ws.command()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

#[track_caller]
fn ok(ws: &Ws, args: &[&str]) -> String {
    let out = ws.run(args);
    assert!(
        out.status.success(),
        "`fresk {}` failed:\n{}",
        args.join(" "),
        text(&out.stderr)
    );
    text(&out.stdout)
}

const NEW_REQUEST: &[&str] = &[
    "request",
    "new",
    "--organisation",
    "agence-tandem",
    "--track",
    "subcontracting",
    "--channel",
    "email",
    "--origin",
    "internet",
    "--summary",
    "Un atelier",
];

/// Run two commands at the same time in one copy of the example, `ROUNDS` times: `args(round)`
/// gives them; both must succeed, and `check` sees the workspace and what each printed.
fn race(ws: &Ws, args: impl Fn(usize) -> [Vec<String>; 2], check: impl Fn(usize, &str, &str)) {
    for round in 0..ROUNDS {
        let [a, b] = args(round);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let b: Vec<&str> = b.iter().map(String::as_str).collect();
        let (first, second) = (spawn(ws, &a), spawn(ws, &b));
        let (first, second) = (wait(first), wait(second));
        for (out, args) in [(&first, &a), (&second, &b)] {
            assert!(
                out.status.success(),
                "round {round}: `fresk {}` failed beside the other:\n{}",
                args.join(" "),
                text(&out.stderr)
            );
        }
        check(round, &text(&first.stdout), &text(&second.stdout));
    }
}

const ROUNDS: usize = 50;

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

#[test]
fn two_new_requests_at_once_get_two_ids_and_two_files() {
    let ws = Ws::example();
    race(
        &ws,
        |_| [strings(NEW_REQUEST), strings(NEW_REQUEST)],
        |round, a, b| assert_ne!(a, b, "round {round}: both logged the same request"),
    );
    let requests = std::fs::read_dir(ws.path().join("requests/2026"))
        .unwrap()
        .count();
    assert_eq!(requests, 14 + 2 * ROUNDS, "requests were lost");
    ws.lint().expect_clean();
}

#[test]
fn two_new_sessions_of_one_mission_at_once_are_both_kept() {
    let ws = Ws::example();
    let sessions = || {
        std::fs::read_dir(ws.path().join("missions/M2026-0005/sessions"))
            .unwrap()
            .count()
    };
    let before = sessions();
    let session = |round: usize, hour: u32| {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 7, 1)
            .unwrap()
            .checked_add_days(chrono::Days::new(round as u64))
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let mut args = strings(&[
            "session",
            "new",
            "--mission",
            "M2026-0005",
            "--offer",
            "workshop-onsite",
            "--facilitator",
            "camille-dupont",
            "--location",
            "Lyon",
            "--start",
        ]);
        args.push(start);
        args
    };
    race(
        &ws,
        |round| [session(round, 9), session(round, 14)],
        |round, a, b| assert_ne!(a, b, "round {round}"),
    );
    assert_eq!(sessions(), before + 2 * ROUNDS, "sessions were lost");
}

#[test]
fn two_quotes_at_once_never_share_a_number() {
    let ws = Ws::example();
    ok(&ws, &["request", "qualify", "R2026-0014"]);
    let files = [
        "requests/2026/R2026-0013.yaml",
        "requests/2026/R2026-0014.yaml",
    ];
    let unquoted = files.map(|f| ws.read(f));
    let number = |file: &str| {
        ws.read(file)
            .lines()
            .find_map(|l| l.trim().strip_prefix("number: ").map(str::to_string))
            .unwrap()
    };
    race(
        &ws,
        |_| {
            for (file, text) in files.iter().zip(&unquoted) {
                ws.write(file, text);
            }
            let quote =
                |id: &str| strings(&["request", "quote", id, "--line", "workshop-onsite:1"]);
            [quote("R2026-0013"), quote("R2026-0014")]
        },
        |round, _, _| assert_ne!(number(files[0]), number(files[1]), "round {round}"),
    );
    ws.lint().expect_clean();
}

/// `invoice issue` writes the invoice, deletes its draft and marks the mission invoiced. The
/// workspace after an uninterrupted run, and the number of file operations it took.
const ISSUE: &[&str] = &["invoice", "issue", "I-M2026-0006"];

fn issued() -> BTreeMap<String, Vec<u8>> {
    let ws = Ws::example();
    ok(&ws, ISSUE);
    tree(&ws)
}

/// Interrupted at every step, as `kill -9` would (no clean-up at all): the next command finds
/// the old workspace or the new one, never a mix, and it lints clean either way.
#[test]
fn an_invoice_issue_killed_at_any_step_leaves_the_old_or_the_new_workspace() {
    let new = issued();
    let mut outcomes = Vec::new();
    for step in 1..=12 {
        let ws = Ws::example();
        let old = tree(&ws);
        let out = ws
            .command()
            .args(ISSUE)
            .env("FRESK_TEST_CRASH_AT", step.to_string())
            .output()
            .unwrap();
        // The next command, whatever it is, sees a whole workspace.
        let lint = ws.lint();
        let now = tree(&ws);
        let which = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            let differs: Vec<_> = now
                .keys()
                .chain(new.keys())
                .filter(|k| now.get(*k) != new.get(*k))
                .collect();
            panic!("killed at step {step}: neither the old nor the new workspace: {differs:?}");
        };
        lint.expect_clean();
        outcomes.push((step, out.status.code(), which));
    }
    // The kill lands before the point of no return (old), after it (new), or not at all.
    assert!(outcomes.iter().any(|o| o.2 == "old"), "{outcomes:?}");
    assert!(
        outcomes.iter().any(|o| o.2 == "new" && o.1 == Some(137)),
        "{outcomes:?}"
    );
    assert_eq!(outcomes.last().map(|o| (o.1, o.2)), Some((Some(0), "new")));
}

/// A write that fails at any step (a full disk, a folder made read-only): before the point of
/// no return nothing is changed and the command says so; after it, the command says the change
/// is written in part, and the next command finishes it.
#[test]
fn an_invoice_issue_failing_at_any_step_is_undone_or_finished() {
    let new = issued();
    for step in 1..=12 {
        let ws = Ws::example();
        let old = tree(&ws);
        let out = ws
            .command()
            .args(ISSUE)
            .env("FRESK_TEST_FAIL_AT", step.to_string())
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        match out.status.code() {
            Some(0) => assert_eq!(tree(&ws), new, "step {step}"),
            Some(2) if stderr.contains("nothing was changed") => {
                assert_eq!(tree(&ws), old, "step {step}: {stderr}");
            }
            Some(2) => {
                assert!(stderr.contains("written in part"), "step {step}: {stderr}");
                // Lint says so until the next command finishes the change.
                let out = ws.run(&["lint"]);
                assert!(out.status.success(), "{}", text(&out.stderr));
                assert!(
                    text(&out.stderr).contains("finished an interrupted change"),
                    "{}",
                    text(&out.stderr)
                );
                assert_eq!(tree(&ws), new, "step {step}");
            }
            other => panic!("step {step}: exit {other:?}: {stderr}"),
        }
    }
}

/// A journal committed to the repository is never replayed: the command refuses, lint says
/// what it is.
#[test]
fn a_journal_tracked_by_git_is_refused_not_replayed() {
    let ws = Ws::example();
    ws.write("people/.intruder.yaml.fresk-tmp-1", "id: intruder\n");
    ws.write(
        ".fresk-journal",
        r#"{"fresk-journal": 1, "state": "committed", "summary": "planted", "steps": [{"path": "people/intruder.yaml", "temp": "people/.intruder.yaml.fresk-tmp-1", "sha1": "x"}]}"#,
    );
    git(&ws, None, &["init", "-q", "-b", "main"]);
    git(&ws, None, &["add", "-f", "-A"]);
    git(&ws, None, &["commit", "-q", "-m", "planted"]);
    let before = tree(&ws);
    let out = ws.run(NEW_REQUEST);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("tracked by git"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(tree(&ws), before);
    let lint = ws.lint();
    assert_eq!(lint.code, 1);
    let journal = lint.expect("state-file", ".fresk-journal", 1, 1);
    assert!(
        journal.message.contains("tracked by git"),
        "{}",
        journal.message
    );
    let temp = lint.expect("state-file", "people/.intruder.yaml.fresk-tmp-1", 1, 1);
    assert_eq!(temp.severity, "error");
    assert!(!ws.path().join("people/intruder.yaml").exists());
}

/// Files an interrupted command left and no journal names: lint warns, and says what to do.
#[test]
fn leftover_temporary_files_are_warnings() {
    let ws = Ws::example();
    ws.write("people/.camille-dupont.yaml.fresk-tmp-99", "half a file");
    ws.write(".fresk-numbering.lock", "1234\n");
    let lint = ws.lint();
    assert_eq!(lint.code, 0, "{}", lint.listing());
    for file in [
        ".fresk-numbering.lock",
        "people/.camille-dupont.yaml.fresk-tmp-99",
    ] {
        let f = lint.expect("state-file", file, 1, 1);
        assert_eq!(f.severity, "warning");
    }
}

/// A sessions folder that is a symbolic link out of the workspace: lint says so, and a new
/// session is refused instead of written outside.
#[cfg(unix)]
#[test]
fn nothing_is_written_through_a_symbolic_link_out_of_the_workspace() {
    let ws = Ws::example();
    let outside = tempfile::tempdir().unwrap();
    let sessions = "missions/M2026-0005/sessions";
    for entry in std::fs::read_dir(ws.path().join(sessions)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), outside.path().join(entry.file_name())).unwrap();
    }
    ws.remove(sessions);
    std::os::unix::fs::symlink(outside.path(), ws.path().join(sessions)).unwrap();
    let outside_before = crate::support::tree_of(outside.path());
    let before = tree(&ws);
    let out = ws.run(&[
        "session",
        "new",
        "--mission",
        "M2026-0005",
        "--offer",
        "workshop-onsite",
        "--start",
        "2026-07-06 09:00",
        "--facilitator",
        "camille-dupont",
        "--location",
        "Lyon",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("symbolic link out of the workspace"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(crate::support::tree_of(outside.path()), outside_before);
    assert_eq!(tree(&ws), before);
}

/// A command reads the workspace once: the workspace as it would be is the loaded one with the
/// planned files laid over it.
#[test]
fn a_command_loads_the_workspace_once() {
    let ws = Ws::example();
    let out = ws
        .command()
        .args(["session", "cancel", "M2026-0005-S07", "--dry-run"])
        .env("FRESK_STATS", "1")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("fresk-load:").count(), 1, "{stderr}");
}
