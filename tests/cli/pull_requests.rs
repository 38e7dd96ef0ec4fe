//! `fresk lint --base` on pull requests checked out the way CI checks them out: a bare `origin`
//! holding `main`, the pull request's branch, and `refs/pull/1/merge` made as GitHub makes it (a
//! merge of the pull request's head into the target branch, the target as first parent); then a
//! clone fetched as `actions/checkout` fetches it, with full history or `--depth 1`.
//!
//! The change is what the pull request does, whatever the checkout: its lifecycle steps are
//! those of its own commits, and a session's time is that of the commit that planned it, not of
//! the merge commit GitHub makes (and makes again, later, whenever the target branch moves).

use crate::support::{Lint, Ws, git};

pub const BASE_DATE: &str = "2026-06-01T10:00:00+02:00";
pub const PUBLISH_DATE: &str = "2026-06-10T10:00:00+02:00";
pub const ASSIGN_DATE: &str = "2026-06-11T10:00:00+02:00";
pub const MERGE_DATE: &str = "2026-06-12T10:00:00+02:00";
/// After every session the tests plan: a merge commit GitHub made again, late.
const LATE_MERGE_DATE: &str = "2026-06-25T10:00:00+02:00";

pub const INTRO: &str = "requests/2026/R2026-0002.yaml";
const S01: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";
const S02: &str = "missions/M2026-0001/sessions/M2026-0001-S02.yaml";
const S03: &str = "missions/M2026-0001/sessions/M2026-0001-S03.yaml";

/// A request on the introduction track, qualified on the base: it may be published, then
/// assigned, one step per commit.
const QUALIFIED: &str = "id: R2026-0002\nstate: qualified\ntrack: introduction\nreceived: 2026-05-20 09:00\nchannel: email\norigin: partner\norganisation: acme\nowner: sam-staff\nfirst_response: 2026-05-20 10:00\nneed: { summary: A workshop the facilitator runs themselves }\n";

fn session(day: &str) -> String {
    format!(
        "id: M2026-0001-S03\nmission: M2026-0001\nstate: planned\noffer: workshop-onsite\nstart: {day} 09:00\nend: {day} 12:00\nlocation: \"ACME, Lyon\"\nfacilitators:\n  - {{ person: cleo-coord, role: lead, status: paid }}\nparticipants:\n  expected: 12\n"
    )
}

/// An empty temporary folder, as a [`Ws`] (git runs there; fresk runs there once it holds a
/// workspace).
pub fn empty() -> Ws {
    Ws {
        dir: tempfile::tempdir().unwrap(),
    }
}

/// The author's clone (`work`, on branch `pr`) and the forge's bare repository (`origin`).
pub struct Forge {
    pub work: Ws,
    origin: Ws,
}

impl Forge {
    /// The fixture with a qualified introduction request, committed on `main` and pushed to a
    /// bare `origin`; `work` then on a new branch `pr`.
    pub fn new() -> Forge {
        let work = Ws::base();
        work.write(INTRO, QUALIFIED);
        git(&work, Some(BASE_DATE), &["init", "-q", "-b", "main"]);
        commit(&work, BASE_DATE, "base");
        let origin = empty();
        git(&origin, None, &["init", "-q", "--bare", "-b", "main"]);
        let url = url(&origin);
        git(&work, None, &["remote", "add", "origin", &url]);
        git(&work, None, &["push", "-q", "origin", "main"]);
        git(&work, None, &["checkout", "-q", "-b", "pr"]);
        Forge { work, origin }
    }

    /// Meanwhile, `main` moves on (an unrelated edit), as it does while a pull request is open.
    pub fn main_moves_on(&self, date: &str) {
        let w = &self.work;
        git(w, None, &["checkout", "-q", "main"]);
        w.edit("organisations/acme.yaml", "name: ACME SAS", "name: ACME SA");
        commit(w, date, "main moves on");
        git(w, None, &["push", "-q", "origin", "main"]);
        git(w, None, &["checkout", "-q", "pr"]);
    }

    /// Push the pull request's branch and make `refs/pull/1/merge` as GitHub does: the merge of
    /// the pull request's head into the target branch's tip, at `date`.
    pub fn open_pull_request(&self, date: &str) {
        let w = &self.work;
        git(
            w,
            None,
            &["push", "-q", "-f", "origin", "pr:refs/pull/1/head"],
        );
        git(w, None, &["fetch", "-q", "origin", "main"]);
        git(w, None, &["checkout", "-q", "--detach", "origin/main"]);
        git(
            w,
            Some(date),
            &[
                "merge",
                "-q",
                "--no-ff",
                "--no-edit",
                "-m",
                "Merge pull request #1",
                "pr",
            ],
        );
        git(
            w,
            None,
            &["push", "-q", "-f", "origin", "HEAD:refs/pull/1/merge"],
        );
        git(w, None, &["checkout", "-q", "pr"]);
    }

    /// A clone as `actions/checkout` makes it on a pull request: `refs/pull/1/merge` checked
    /// out (detached), with every branch and tag (`fetch-depth: 0`) or that commit alone
    /// (`depth`).
    pub fn checkout(&self, depth: Option<u32>) -> Ws {
        let ci = empty();
        git(&ci, None, &["init", "-q"]);
        git(&ci, None, &["remote", "add", "origin", &url(&self.origin)]);
        let merge = "+refs/pull/1/merge:refs/remotes/pull/1/merge";
        match depth {
            None => {
                git(
                    &ci,
                    None,
                    &[
                        "fetch",
                        "-q",
                        "--prune",
                        "origin",
                        "+refs/heads/*:refs/remotes/origin/*",
                        "+refs/tags/*:refs/tags/*",
                    ],
                );
                git(&ci, None, &["fetch", "-q", "--no-tags", "origin", merge]);
            }
            Some(depth) => {
                let depth = format!("--depth={depth}");
                git(
                    &ci,
                    None,
                    &["fetch", "-q", "--no-tags", &depth, "origin", merge],
                );
            }
        }
        git(
            &ci,
            None,
            &["checkout", "-q", "--force", "refs/remotes/pull/1/merge"],
        );
        ci
    }
}

fn url(ws: &Ws) -> String {
    format!("file://{}", ws.path().display())
}

pub fn commit(ws: &Ws, date: &str, message: &str) {
    git(ws, Some(date), &["add", "-A"]);
    git(
        ws,
        Some(date),
        &["commit", "-q", "--allow-empty", "-m", message],
    );
}

/// The pull request of the README's workflow: publish the request, then assign it, one commit
/// each.
pub fn publish_then_assign(forge: &Forge) {
    let w = &forge.work;
    w.edit(INTRO, "state: qualified", "state: published");
    commit(w, PUBLISH_DATE, "publish R2026-0002");
    w.edit(INTRO, "state: published", "state: assigned");
    let text = w.read(INTRO) + "facilitator: felix-facil\n";
    w.write(INTRO, &text);
    commit(w, ASSIGN_DATE, "assign R2026-0002");
}

/// `fresk lint --base …` that must end with an error of the command (exit 2): its message.
#[track_caller]
fn lint_error(ws: &Ws, base: &str) -> String {
    let out = ws.run(&["lint", "--format", "json", "--base", base]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected an error, got:\n{}\n{err}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "an error prints no report");
    err
}

fn lint(ws: &Ws, base: &str) -> Lint {
    ws.lint_args(&["--base", base])
}

// ---- GitHub's merge checkout, full history

#[test]
fn githubs_merge_checkout_follows_the_pull_requests_own_commits() {
    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.main_moves_on(ASSIGN_DATE);
    forge.open_pull_request(MERGE_DATE);
    // On the branch, as its author runs it.
    git(&forge.work, None, &["fetch", "-q", "origin"]);
    git(&forge.work, None, &["rebase", "-q", "origin/main"]);
    lint(&forge.work, "origin/main").expect_clean();
    // On GitHub's checkout: the merge commit takes no step of its own.
    let ci = forge.checkout(None);
    lint(&ci, "origin/main").expect_clean();
    lint(&ci, "HEAD^1").expect_clean();
}

#[test]
fn githubs_merge_checkout_names_the_pull_requests_commit_that_skips_a_step() {
    let forge = Forge::new();
    let w = &forge.work;
    w.edit(INTRO, "state: qualified", "state: assigned");
    let text = w.read(INTRO) + "facilitator: felix-facil\n";
    w.write(INTRO, &text);
    commit(w, ASSIGN_DATE, "assign without publishing");
    let skipping = git(w, None, &["rev-parse", "--short=10", "HEAD"]);
    forge.main_moves_on(ASSIGN_DATE);
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(None);
    for base in ["origin/main", "HEAD^1"] {
        let lint = lint(&ci, base);
        let f = lint.expect("illegal-transition", INTRO, 2, 8);
        assert!(
            f.message.starts_with(&format!(
                "commit {skipping} moves this request from `qualified` to `assigned`"
            )),
            "{}",
            f.message
        );
        assert_eq!(lint.code, 1);
    }
}

#[test]
fn a_session_planned_in_time_stays_in_time_when_github_makes_the_merge_again_later() {
    let forge = Forge::new();
    forge.work.write(S03, &session("2026-06-20"));
    commit(&forge.work, MERGE_DATE, "plan S03");
    forge.open_pull_request(MERGE_DATE);
    lint(&forge.checkout(None), "origin/main").expect_clean();
    // main moves on after the session took place: GitHub makes the merge commit again.
    forge.main_moves_on(LATE_MERGE_DATE);
    forge.open_pull_request(LATE_MERGE_DATE);
    let ci = forge.checkout(None);
    lint(&ci, "origin/main").expect_clean();
    lint(&ci, "HEAD^1").expect_clean();
}

#[test]
fn a_session_planned_late_is_found_at_the_time_of_the_commit_that_planned_it() {
    let forge = Forge::new();
    forge.work.write(S03, &session("2026-06-11"));
    commit(&forge.work, MERGE_DATE, "plan S03 after it took place");
    // An unrelated commit later on the branch changes nothing.
    forge.work.edit(S02, "state: planned", "state: cancelled");
    commit(&forge.work, LATE_MERGE_DATE, "cancel S02");
    forge.open_pull_request(LATE_MERGE_DATE);
    let lint = lint(&forge.checkout(None), "origin/main");
    let f = lint.expect("session-planned-late", S03, 5, 8);
    assert!(f.message.contains("2026-06-12 10:00"), "{}", f.message);
    assert_eq!(
        lint.of("session-planned-late").len(),
        1,
        "{}",
        lint.listing()
    );
}

/// Moving a planned session to an earlier start, after that start, is planning it late: the
/// time is that of the commit that set the start it has now.
#[test]
fn moving_a_session_before_the_commit_that_moves_it_is_planning_it_late() {
    let forge = Forge::new();
    forge.work.write(S03, &session("2026-06-20"));
    commit(&forge.work, PUBLISH_DATE, "plan S03");
    forge.work.edit(
        S03,
        "location: \"ACME, Lyon\"",
        "location: \"ACME, Lyon 7e\"",
    );
    commit(&forge.work, ASSIGN_DATE, "a detail, not the start");
    forge.open_pull_request(LATE_MERGE_DATE);
    lint(&forge.checkout(None), "origin/main").expect_clean();

    forge.work.write(S03, &session("2026-06-11"));
    commit(&forge.work, MERGE_DATE, "move S03 earlier, after the fact");
    forge.open_pull_request(LATE_MERGE_DATE);
    let lint = lint(&forge.checkout(None), "origin/main");
    let f = lint.expect("session-planned-late", S03, 5, 8);
    assert!(f.message.contains("2026-06-12 10:00"), "{}", f.message);
}

// ---- GitHub's merge checkout, shallow (`actions/checkout`'s default depth of 1)

#[test]
fn a_shallow_checkout_that_needs_the_history_is_an_error_with_the_fetch_that_fixes_it() {
    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.main_moves_on(ASSIGN_DATE);
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(Some(1));
    git(&ci, None, &["fetch", "-q", "--depth=1", "origin", "main"]);
    let err = lint_error(&ci, "origin/main");
    assert!(err.contains(INTRO), "{err}");
    assert!(err.contains("shallow"), "{err}");
    assert!(err.contains("`git fetch --unshallow origin main`"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
    // The command it gives is the one that works.
    git(&ci, None, &["fetch", "-q", "--unshallow", "origin", "main"]);
    lint(&ci, "origin/main").expect_clean();
}

#[test]
fn a_shallow_checkout_gives_the_fetch_that_fixes_it_for_the_merges_first_parent() {
    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(Some(1));
    let err = lint_error(&ci, "HEAD^1");
    assert!(err.contains("shallow"), "{err}");
    assert!(err.contains("`git fetch --unshallow origin`"), "{err}");
    git(&ci, None, &["fetch", "-q", "--unshallow", "origin"]);
    lint(&ci, "HEAD^1").expect_clean();
}

#[test]
fn a_shallow_checkout_without_the_base_gives_the_fetch_that_fixes_it() {
    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(Some(1));
    let err = lint_error(&ci, "origin/main");
    assert!(err.contains("cannot find the base `origin/main`"), "{err}");
    assert!(err.contains("`git fetch --unshallow origin main`"), "{err}");
    git(&ci, None, &["fetch", "-q", "--unshallow", "origin", "main"]);
    lint(&ci, "origin/main").expect_clean();
}

/// When every change is one step and no session is added, the commits in between cannot change
/// the verdict: a shallow checkout is enough.
#[test]
fn a_shallow_checkout_is_enough_when_the_history_cannot_change_the_verdict() {
    let forge = Forge::new();
    forge.work.edit(S02, "state: planned", "state: cancelled");
    commit(&forge.work, PUBLISH_DATE, "cancel S02");
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(Some(1));
    git(&ci, None, &["fetch", "-q", "--depth=1", "origin", "main"]);
    lint(&ci, "origin/main").expect_clean();
    // …and a change that is wrong whatever the history is still found.
    let forge = Forge::new();
    forge.work.edit(S01, "state: held", "state: planned");
    commit(&forge.work, PUBLISH_DATE, "unhold S01");
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(Some(1));
    git(&ci, None, &["fetch", "-q", "--depth=1", "origin", "main"]);
    let lint = lint(&ci, "origin/main");
    let f = lint.expect("illegal-transition", S01, 3, 8);
    assert!(f.message.contains("`held` is final"), "{}", f.message);
}

// ---- bases that are not where the change comes from

#[test]
fn a_base_missing_from_a_full_clone_gives_the_fetch_that_fixes_it() {
    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.open_pull_request(MERGE_DATE);
    git(&forge.work, None, &["push", "-q", "origin", "pr:feature"]);
    let ci = forge.checkout(None);
    git(
        &ci,
        None,
        &["update-ref", "-d", "refs/remotes/origin/feature"],
    );
    let err = lint_error(&ci, "origin/feature");
    assert!(err.contains("`git fetch origin feature`"), "{err}");
    git(&ci, None, &["fetch", "-q", "origin", "feature"]);
    assert_eq!(lint(&ci, "origin/feature").code, 0);
}

#[test]
fn an_unrelated_base_is_an_error_not_a_comparison() {
    let forge = Forge::new();
    let w = &forge.work;
    git(w, None, &["checkout", "-q", "--orphan", "elsewhere"]);
    commit(w, PUBLISH_DATE, "a history of its own");
    let err = lint_error(w, "main");
    assert!(err.contains("no commit in common"), "{err}");
    assert!(err.contains("`main`"), "{err}");
}

/// A branch made before `main` moved on does not undo what `main` did since: comparing them
/// would report main's new commits as undone by the branch.
#[test]
fn a_branch_behind_its_base_is_an_error_not_a_list_of_false_findings() {
    let forge = Forge::new();
    let w = &forge.work;
    w.edit("organisations/acme.yaml", "name: ACME SAS", "name: ACME SA");
    commit(w, PUBLISH_DATE, "rename ACME");
    git(w, None, &["checkout", "-q", "main"]);
    w.edit(S02, "state: planned", "state: cancelled");
    commit(w, PUBLISH_DATE, "cancel S02 on main");
    git(w, None, &["checkout", "-q", "pr"]);
    // Compared with main's tip, the branch would bring S02 back from `cancelled`.
    let err = lint_error(w, "main");
    assert!(err.contains("does not contain"), "{err}");
    assert!(err.contains("`git rebase main`"), "{err}");
    git(w, None, &["rebase", "-q", "main"]);
    lint(w, "main").expect_clean();
}
