//! The load cache, kept outside the workspace: a second run reads it, and every change to the
//! files — an edit that keeps the size and the modification time, a deletion, an edit within
//! the same second on a file system that counts in seconds — is still seen; a broken cache is
//! ignored; `--no-cache` writes none; nothing in the workspace (a committed or planted cache, a
//! symbolic link) is ever read as fresk's cache or changes a verdict.
//!
//! Test workspaces are small and freshly written, so the tests lower the size threshold
//! (`FRESK_CACHE_MIN_FILES=0`) and age the files (files modified in the last seconds are never
//! cached).

use crate::support::{Found, Lint, Ws, tree};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

/// The load cache's file for `ws`.
fn cache_file(ws: &Ws) -> PathBuf {
    ws.cache_dir().join("files.bin")
}
const SESSION: &str = "missions/M2026-0001/sessions/M2026-0001-S01.yaml";

/// Set every file's modification time an hour back, then let the change times (which setting
/// the modification time moves to now) get a clock tick old: old enough to be cached.
fn age(ws: &Ws) {
    let past = SystemTime::now() - Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(ws.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            set_mtime(entry.path(), past);
        }
    }
    std::thread::sleep(Duration::from_millis(60));
}

fn set_mtime(path: &Path, when: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

fn cmd(ws: &Ws) -> Command {
    let mut c = ws.command();
    c.env("FRESK_CACHE_MIN_FILES", "0")
        .env("FRESK_STATS", "1")
        .env_remove("FRESK_NO_CACHE");
    c
}

/// `fresk lint --format json` with the cache on, and its `fresk-cache:` statistics.
fn lint(ws: &Ws, extra: &[&str]) -> (Lint, Stats) {
    let out = cmd(ws)
        .args(["lint", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    (Lint::parse(&out), Stats::of(&out))
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Stats {
    hits: usize,
    read: usize,
    written: bool,
}

impl Stats {
    fn of(out: &Output) -> Stats {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let Some(line) = stderr.lines().find_map(|l| l.strip_prefix("fresk-cache:")) else {
            return Stats::default();
        };
        let mut s = Stats::default();
        for kv in line.split_whitespace() {
            match kv.split_once('=') {
                Some(("hits", v)) => s.hits = v.parse().unwrap(),
                Some(("read", v)) => s.read = v.parse().unwrap(),
                Some(("written", v)) => s.written = v == "true",
                _ => {}
            }
        }
        s
    }
}

fn keys(findings: &[Found]) -> Vec<(String, String, u32, u32, String)> {
    let mut k: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                f.file.clone(),
                f.line,
                f.column,
                f.message.clone(),
            )
        })
        .collect();
    k.sort();
    k
}

/// The demo workspace with two broken files, aged, and linted once to fill the cache.
fn cached_example() -> (Ws, Lint) {
    let ws = Ws::base();
    ws.edit(SESSION, "state: held", "state: hold");
    ws.write(
        "people/zoe.yaml",
        "id: zoe\nname: Zoé\nroles: [facilitator]\nnickname: z\n",
    );
    age(&ws);
    let (first, stats) = lint(&ws, &[]);
    assert_eq!(stats.hits, 0, "{stats:?}");
    assert!(stats.written, "{stats:?}");
    assert!(cache_file(&ws).is_file());
    (ws, first)
}

#[test]
fn a_second_lint_reads_the_cache_and_finds_the_same() {
    let (ws, first) = cached_example();
    assert_eq!(first.code, 1);
    assert!(!first.of("bad-enum").is_empty(), "{}", first.listing());
    assert!(!first.of("unknown-field").is_empty(), "{}", first.listing());
    let (second, stats) = lint(&ws, &[]);
    // Every clean file from the cache; the two with findings are read each time.
    assert_eq!(stats.read, 2, "{stats:?}");
    assert_eq!(stats.hits, first.files - 2);
    assert!(!stats.written, "nothing changed, nothing written");
    assert_eq!(keys(&first.findings), keys(&second.findings));
    assert_eq!((first.code, first.files), (second.code, second.files));
    // And the same as without the cache.
    let (plain, stats) = lint(&ws, &["--no-cache"]);
    assert_eq!(
        stats,
        Stats::default(),
        "--no-cache neither reads nor writes"
    );
    assert_eq!(keys(&first.findings), keys(&plain.findings));
}

#[test]
fn an_edit_keeping_size_and_modification_time_is_seen() {
    let (ws, first) = cached_example();
    let path = ws.path().join("missions/M2026-0001/mission.yaml");
    let before = ws.read("missions/M2026-0001/mission.yaml");
    let when = mtime(&path);
    // Same length, same modification time, another coordinator (who does not exist).
    let coordinator = before
        .lines()
        .find_map(|l| l.strip_prefix("coordinator: "))
        .unwrap()
        .to_string();
    let other: String = coordinator.chars().rev().collect();
    assert_ne!(other, coordinator);
    ws.edit(
        "missions/M2026-0001/mission.yaml",
        &format!("coordinator: {coordinator}"),
        &format!("coordinator: {other}"),
    );
    set_mtime(&path, when);
    assert_eq!(
        before.len(),
        ws.read("missions/M2026-0001/mission.yaml").len()
    );
    assert_eq!(when, mtime(&path));
    std::thread::sleep(Duration::from_millis(60));
    let (after, stats) = lint(&ws, &[]);
    assert_eq!(
        stats.read, 3,
        "only the edited file is read again, besides the two with findings: {stats:?}"
    );
    let unknown = after.of("unknown-person");
    assert!(
        unknown
            .iter()
            .any(|f| f.file == "missions/M2026-0001/mission.yaml"),
        "{}",
        after.listing()
    );
    assert!(first.of("unknown-person").is_empty());
}

#[test]
fn an_edit_is_seen() {
    let (ws, _) = cached_example();
    ws.edit(SESSION, "state: hold", "state: held");
    let (after, _) = lint(&ws, &[]);
    assert!(after.of("bad-enum").is_empty(), "{}", after.listing());
}

/// A copy of the workspace starts without a cache: the cache belongs to the workspace's place,
/// not to what it holds, so nothing copied along with the files is taken as fresk's own.
#[test]
fn a_copy_of_a_workspace_gets_its_own_cache() {
    let (ws, first) = cached_example();
    let copy = Ws::copy_of(ws.path());
    age(&copy);
    let (copied, stats) = lint(&copy, &[]);
    assert_eq!(keys(&copied.findings), keys(&first.findings));
    assert_eq!(stats.hits, 0, "{stats:?}");
    assert!(stats.written, "{stats:?}");
    assert_ne!(copy.cache_dir(), ws.cache_dir());
}

/// A same-size edit within the same second as the file's last write, on a file system whose
/// timestamps count in whole seconds, with the modification time set back as some tools do:
/// every time stamp is unchanged but the change time is recent, so the file was never cached.
#[test]
fn an_edit_within_the_same_second_is_seen_on_coarse_file_systems() {
    let ws = Ws::base();
    let path = ws.path().join(SESSION);
    let coarse = |args: &[&str]| {
        let out = cmd(&ws)
            .env("FRESK_TEST_COARSE_TIMES", "1")
            .args(["lint", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        (Lint::parse(&out), Stats::of(&out))
    };
    let when = SystemTime::now() - Duration::from_secs(3600);
    age(&ws);
    ws.edit(SESSION, "state: held", "state: hold");
    set_mtime(&path, when);
    let (first, _) = coarse(&[]);
    assert!(!first.of("bad-enum").is_empty(), "{}", first.listing());
    // Within the same second: the same size, the same modification time.
    ws.edit(SESSION, "state: hold", "state: held");
    set_mtime(&path, when);
    let (second, stats) = coarse(&[]);
    assert!(
        second.of("bad-enum").is_empty(),
        "{}\n{stats:?}",
        second.listing()
    );
    // Twice more, so the fixed file would have been cached by a racy check on mtime alone.
    ws.edit(SESSION, "state: held", "state: hold");
    set_mtime(&path, when);
    let (third, _) = coarse(&[]);
    assert!(!third.of("bad-enum").is_empty(), "{}", third.listing());
}

/// A cache committed in the repository — forged to say a change has no finding — is never
/// read: fresk's cache lives outside the workspace. The committed file is itself a finding.
#[test]
fn a_cache_committed_in_the_repository_changes_no_verdict() {
    let ws = Ws::base();
    git(&ws, &["init", "-q", "-b", "main"]);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-q", "-m", "base"]);
    // The change: a payout line with a wrong amount.
    ws.edit(
        "payouts/2026/P2026-05-M2026-0001.yaml",
        "role: co, amount: 250",
        "role: co, amount: 2500",
    );
    // A forged cache and memo, as a branch could commit them: every file's stamp and blob id
    // right, no findings. (Whatever they hold, fresk must not read them.)
    std::fs::create_dir_all(ws.path().join(".fresk-cache")).unwrap();
    std::fs::write(
        ws.path().join(".fresk-cache/rules.bin"),
        b"fresk-rules\nforged",
    )
    .unwrap();
    std::fs::write(
        ws.path().join(".fresk-cache/files.bin"),
        b"fresk-cache\nforged",
    )
    .unwrap();
    git(&ws, &["add", "-f", "-A"]);
    git(&ws, &["commit", "-q", "-m", "change"]);
    for extra in [&[][..], &["--no-cache"][..]] {
        let out = cmd(&ws)
            .args(["lint", "--format", "json", "--base", "HEAD~1"])
            .args(extra)
            .output()
            .unwrap();
        let lint = Lint::parse(&out);
        assert_eq!(lint.code, 1, "{}", lint.listing());
        assert!(!lint.of("payout-amount").is_empty(), "{}", lint.listing());
        let planted = lint.of("state-file");
        assert!(
            planted
                .iter()
                .any(|f| f.file == ".fresk-cache" && f.severity == "error"),
            "{}",
            lint.listing()
        );
    }
}

/// A `.fresk-cache` symbolic link to a data folder is never written through: fresk writes
/// nothing in the workspace when it lints.
#[cfg(unix)]
#[test]
fn linting_writes_nothing_in_the_workspace() {
    let ws = Ws::example();
    age(&ws);
    std::os::unix::fs::symlink(ws.path().join("people"), ws.path().join(".fresk-cache")).unwrap();
    let before = tree(&ws);
    let (_, stats) = lint(&ws, &[]);
    assert!(stats.written, "{stats:?}");
    let out = cmd(&ws)
        .args(["report", "activity", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(before, tree(&ws));
}

/// One file changed in a larger workspace: read again each time rather than the whole cache
/// rewritten for it, with the same findings.
#[test]
fn a_few_changed_files_are_read_again_rather_than_the_cache_rewritten() {
    let ws = Ws::example();
    age(&ws);
    let (first, stats) = lint(&ws, &[]);
    assert!(stats.written && first.files > 64, "{stats:?}");
    let session = "missions/M2026-0005/sessions/M2026-0005-S08.yaml";
    ws.edit(session, "state: planned", "state: cancelled");
    set_mtime(
        &ws.path().join(session),
        SystemTime::now() - Duration::from_secs(3600),
    );
    std::thread::sleep(Duration::from_millis(60));
    for _ in 0..2 {
        let (after, stats) = lint(&ws, &[]);
        assert_eq!((stats.read, stats.written), (1, false), "{stats:?}");
        let (plain, _) = lint(&ws, &["--no-cache"]);
        assert_eq!(keys(&after.findings), keys(&plain.findings));
    }
}

#[test]
fn a_deleted_file_is_seen() {
    let (ws, first) = cached_example();
    // A file with findings, never cached: the cache stays as it is.
    ws.remove("people/zoe.yaml");
    let (after, stats) = lint(&ws, &[]);
    assert_eq!(after.files, first.files - 1);
    assert!(after.of("unknown-field").is_empty(), "{}", after.listing());
    assert!(!stats.written, "{stats:?}");
    // A clean file, cached: its entry is dropped.
    ws.remove("organisations/acme.yaml");
    let (after, stats) = lint(&ws, &[]);
    assert_eq!(after.files, first.files - 2);
    assert!(
        !after.of("unknown-organisation").is_empty(),
        "{}",
        after.listing()
    );
    assert!(
        stats.written,
        "the deleted file's entry is dropped: {stats:?}"
    );
    let (again, stats) = lint(&ws, &[]);
    assert_eq!(stats.read, 1, "only the broken session: {stats:?}");
    assert_eq!(keys(&after.findings), keys(&again.findings));
}

#[test]
fn a_corrupt_or_truncated_cache_is_ignored_and_rebuilt() {
    let (ws, first) = cached_example();
    let path = cache_file(&ws);
    let good = std::fs::read(&path).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    for broken in [
        b"not a cache at all".to_vec(),
        Vec::new(),
        good[..good.len() / 2].to_vec(),
        flipped,
    ] {
        std::fs::write(&path, &broken).unwrap();
        let (after, stats) = lint(&ws, &[]);
        assert_eq!(stats.hits, 0, "{stats:?}");
        assert!(stats.written, "rebuilt: {stats:?}");
        assert_eq!(keys(&first.findings), keys(&after.findings));
        assert_eq!(first.code, after.code);
    }
    let (_, stats) = lint(&ws, &[]);
    assert_eq!(stats.read, 2, "the rebuilt cache is used: {stats:?}");
}

#[test]
fn no_cache_writes_no_cache() {
    let ws = Ws::base();
    age(&ws);
    let (_, stats) = lint(&ws, &["--no-cache"]);
    assert_eq!(stats, Stats::default());
    assert!(!ws.cache_dir().exists());
    let out = cmd(&ws)
        .env("FRESK_NO_CACHE", "1")
        .args(["report", "activity", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!ws.cache_dir().exists());
}

#[test]
fn small_workspaces_get_no_cache() {
    let ws = Ws::base();
    age(&ws);
    let out = ws.command().args(["lint"]).output().unwrap();
    assert!(out.status.success());
    assert!(!ws.cache_dir().exists());
}

#[test]
fn reports_read_the_cache_and_agree_with_reading_the_files() {
    let ws = Ws::example();
    age(&ws);
    let (_, stats) = lint(&ws, &[]);
    assert!(stats.written);
    for report in ["requests", "missions", "payouts", "activity"] {
        let run = |extra: &[&str]| {
            let out = cmd(&ws)
                .args(["report", report, "--format", "json"])
                .args(extra)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let stats = Stats::of(&out);
            (String::from_utf8(out.stdout).unwrap(), stats)
        };
        let (cached, stats) = run(&[]);
        assert_eq!(stats.read, 0, "{report}: {stats:?}");
        let (plain, _) = run(&["--no-cache"]);
        assert_eq!(cached, plain, "{report}");
    }
}

#[test]
fn a_read_only_cache_folder_is_not_an_error() {
    let (ws, first) = cached_example();
    let dir = ws.cache_dir();
    std::fs::remove_dir_all(&dir).unwrap();
    // A file where the folder should be: the cache cannot be written, lint still works.
    std::fs::write(&dir, "in the way").unwrap();
    let (after, stats) = lint(&ws, &[]);
    assert_eq!(keys(&first.findings), keys(&after.findings));
    assert_eq!(stats.hits, 0);
    assert_eq!(std::fs::read_to_string(&dir).unwrap(), "in the way");
}

fn git(ws: &Ws, args: &[&str]) -> String {
    crate::support::git(ws, None, args)
}

#[test]
fn the_cache_is_never_committed_nor_untracked() {
    let ws = Ws::base();
    git(&ws, &["init", "-q", "-b", "main"]);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-q", "-m", "base"]);
    git(&ws, &["config", "user.name", "Cléo Coord"]);
    git(&ws, &["config", "user.email", "cleo@example.org"]);
    age(&ws);
    let (_, stats) = lint(&ws, &[]);
    assert!(stats.written);
    assert!(cache_file(&ws).is_file());
    assert_eq!(git(&ws, &["status", "--porcelain"]), "");
    let out = cmd(&ws)
        .args(["session", "cancel", "M2026-0001-S02", "--commit"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = git(&ws, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        committed,
        "missions/M2026-0001/sessions/M2026-0001-S02.yaml"
    );
    git(&ws, &["add", "-A"]);
    assert_eq!(git(&ws, &["status", "--porcelain"]), "");
    let tracked = git(&ws, &["ls-files"]);
    assert!(!tracked.contains(".fresk-cache"), "{tracked}");
}

/// `lint --base` finds what the full lint finds on the working tree (plus the history rules),
/// whether the change is found from the cache's blob ids or by libgit2 alone.
#[test]
fn lint_base_reports_every_finding_of_the_full_lint() {
    let ws = Ws::base();
    git(&ws, &["init", "-q", "-b", "main"]);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-q", "-m", "base"]);
    git(&ws, &["checkout", "-q", "-b", "change"]);
    age(&ws);
    let (clean, stats) = lint(&ws, &["--base", "main"]);
    assert!(stats.written, "{stats:?}");
    assert_eq!(clean.code, 0, "{}", clean.listing());
    // A broken change: a typo, a state the lifecycle forbids, a deleted person still named.
    ws.edit(SESSION, "state: held", "state: hold");
    ws.edit(
        "missions/M2026-0001/mission.yaml",
        "state: open",
        "state: invoiced",
    );
    let people: Vec<String> = std::fs::read_dir(ws.path().join("people"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let removed = people
        .iter()
        .find(|p| ws.read(SESSION).contains(p.trim_end_matches(".yaml")))
        .expect("a person of the session")
        .clone();
    ws.remove(&format!("people/{removed}"));
    ws.write(
        "organisations/newco.yaml",
        "id: newco\nname: NewCo\nkind: business\nsector: business\nbogus: 1\n",
    );
    let (full, _) = lint(&ws, &[]);
    let (base, stats) = lint(&ws, &["--base", "main"]);
    assert!(
        stats.read <= 4,
        "only the changed files are read: {stats:?}"
    );
    let (plain, _) = lint(&ws, &["--base", "main", "--no-cache"]);
    assert_eq!(
        keys(&base.findings),
        keys(&plain.findings),
        "cache path:\n{}\nlibgit2 path:\n{}",
        base.listing(),
        plain.listing()
    );
    let base_keys = keys(&base.findings);
    for k in keys(&full.findings) {
        assert!(
            base_keys.contains(&k),
            "--base misses {k:?}\n{}",
            base.listing()
        );
    }
    assert!(!full.of("bad-enum").is_empty(), "{}", full.listing());
    assert!(!full.of("unknown-person").is_empty(), "{}", full.listing());
    assert!(!full.of("unknown-field").is_empty(), "{}", full.listing());
    assert!(
        base.findings.len() > full.findings.len(),
        "history findings too:\n{}",
        base.listing()
    );
}

/// A report loads only the kinds it reads: it uses the cache for them, and when one of their
/// files changed it rewrites the cache keeping every entry of the other kinds, so the next lint
/// still finds every file in the cache. Its figures are those of an uncached run.
#[test]
fn a_report_reads_the_cache_and_keeps_the_other_kinds() {
    let (ws, first) = cached_example();
    let report = |extra: &[&str]| {
        let out = cmd(&ws)
            .args(extra)
            .args(["report", "requests", "--format", "json"])
            .env("FRESK_TODAY", "2026-06-17")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8_lossy(&out.stdout).to_string(),
            Stats::of(&out),
        )
    };
    let (cached, stats) = report(&[]);
    assert_eq!(stats.read, 0, "{stats:?}");
    let loaded = stats.hits;
    assert!(
        loaded > 0 && loaded < first.files,
        "only some kinds: {stats:?}"
    );
    assert!(
        !stats.written,
        "nothing changed, nothing written: {stats:?}"
    );
    // A changed request is read again, and goes into the cache with every other entry.
    let request = "requests/2026/R2026-0001.yaml";
    ws.edit(request, "channel: email", "channel: phone");
    set_mtime(
        &ws.path().join(request),
        SystemTime::now() - Duration::from_secs(3600),
    );
    std::thread::sleep(Duration::from_millis(60));
    let (changed, stats) = report(&[]);
    assert_eq!((stats.hits, stats.read), (loaded - 1, 1), "{stats:?}");
    assert!(stats.written, "{stats:?}");
    assert_ne!(cached, changed);
    let (plain, _) = report(&["--no-cache"]);
    assert_eq!(changed, plain);
    let (again, stats) = report(&[]);
    assert_eq!((stats.hits, stats.read), (loaded, 0), "{stats:?}");
    assert!(!stats.written, "{stats:?}");
    assert_eq!(again, changed);
    // The next full load finds every clean file in the cache, the other kinds included.
    let (after, stats) = lint(&ws, &[]);
    assert_eq!((stats.hits, stats.read), (first.files - 2, 2), "{stats:?}");
    assert!(!stats.written, "{stats:?}");
    assert_eq!(keys(&after.findings), keys(&first.findings));
}

/// With no cache at all (a first run, another build), a report writes one for its kinds; a
/// later lint reads the rest from disk and completes it.
#[test]
fn a_report_starts_a_cache_that_a_lint_completes() {
    let (ws, first) = cached_example();
    std::fs::remove_file(cache_file(&ws)).unwrap();
    let out = cmd(&ws)
        .args(["report", "requests", "--format", "json"])
        .env("FRESK_TODAY", "2026-06-17")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats = Stats::of(&out);
    assert!(
        stats.hits == 0 && stats.read > 0 && stats.written,
        "{stats:?}"
    );
    let (after, lint_stats) = lint(&ws, &[]);
    assert_eq!(lint_stats.hits, stats.read, "{lint_stats:?}");
    assert_eq!(lint_stats.read, first.files - stats.read, "{lint_stats:?}");
    assert!(lint_stats.written, "{lint_stats:?}");
    assert_eq!(keys(&after.findings), keys(&first.findings));
    let (_, again) = lint(&ws, &[]);
    assert_eq!((again.hits, again.read), (first.files - 2, 2), "{again:?}");
}

/// What `fresk-memo:` says on stderr: `hit`, `miss` or `off`, and whether a miss was saved.
fn memo(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("fresk-memo: "))
        .map(|l| {
            let mut words = l.split_whitespace();
            let first = words.next().unwrap_or_default();
            if l.contains("(saved)") {
                format!("{first} saved")
            } else {
                first.to_string()
            }
        })
        .unwrap_or_else(|| "none".into())
}

/// `fresk lint --format json` at the instant `now` (FRESK_NOW), asserting what the memo did.
#[track_caller]
fn lint_at(ws: &Ws, now: &str, memo_did: &str) -> Lint {
    let out = cmd(ws)
        .env("FRESK_NOW", now)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(memo(&out), memo_did, "at {now}");
    Lint::parse(&out)
}

/// The cross-file rules' findings are memoized by the files' contents: a second lint of the
/// same files replays them, and a change to any file — even one that holds no finding — or
/// another day runs the rules again.
#[test]
fn the_rules_memo_holds_for_the_same_contents_and_day_only() {
    let ws = Ws::example();
    // A cross-file finding: a session names a person nobody has a file for.
    let session = "missions/M2026-0005/sessions/M2026-0005-S07.yaml";
    ws.edit(session, "person: ines-moreau", "person: ines-moreaux");
    age(&ws);
    let first = lint_at(&ws, "2026-06-15 10:00", "miss saved");
    assert!(
        !first.of("unknown-person").is_empty(),
        "{}",
        first.listing()
    );
    let second = lint_at(&ws, "2026-06-15 18:00", "hit");
    assert_eq!(keys(&first.findings), keys(&second.findings));
    // Another file makes the reference good: the memo is not used, the finding is gone.
    let ines = ws.read("people/ines-moreau.yaml");
    ws.write(
        "people/ines-moreaux.yaml",
        &ines.replace("id: ines-moreau", "id: ines-moreaux"),
    );
    let third = lint_at(&ws, "2026-06-15 18:00", "miss saved");
    third.expect_none("unknown-person");
    // Another day (or a clock set back) runs the rules again.
    lint_at(&ws, "2026-06-16 00:00", "miss saved");
    lint_at(&ws, "2026-06-15 23:00", "miss saved");
    // --no-cache neither reads nor writes it.
    let out = cmd(&ws).args(["--no-cache", "lint"]).output().unwrap();
    assert_eq!(memo(&out), "off");
}

/// A memo holds until the first comparison with the clock could turn: a request's response
/// deadline passing later the same day brings `response-overdue` at once.
#[test]
fn the_rules_memo_ends_at_the_next_response_deadline() {
    let ws = Ws::example();
    age(&ws);
    // R2026-0014 was received 2026-06-14 16:20 (Paris); the SLA is 48 h.
    let before = lint_at(&ws, "2026-06-16 10:00", "miss saved");
    before.expect_none("response-overdue");
    let still = lint_at(&ws, "2026-06-16 16:19", "hit");
    still.expect_none("response-overdue");
    let after = lint_at(&ws, "2026-06-16 16:21", "miss saved");
    after.expect("response-overdue", "requests/2026/R2026-0014.yaml", 6, 11);
}

/// A `held` session that has not ended yet is a finding that quotes the time: such findings
/// are never memoized.
#[test]
fn findings_that_quote_the_time_are_not_memoized() {
    let ws = Ws::example();
    let planned = "missions/M2026-0005/sessions/M2026-0005-S07.yaml";
    ws.edit(planned, "state: planned", "state: held");
    age(&ws);
    let during = lint_at(&ws, "2026-06-18 09:00", "miss");
    let held_early = during.of("session-times");
    assert_eq!(held_early.len(), 1, "{}", during.listing());
    assert!(
        held_early[0].message.contains("09:00"),
        "{}",
        during.listing()
    );
    let later = lint_at(&ws, "2026-06-18 10:00", "miss");
    assert!(
        later.of("session-times")[0].message.contains("10:00"),
        "{}",
        later.listing()
    );
    let after = lint_at(&ws, "2026-06-18 12:00", "miss saved");
    after.expect_none("session-times");
}

/// A command checks the workspace it is about to write and leaves the memo for those very
/// files: the next lint replays it, and finds what a fresh run finds.
#[test]
fn a_command_leaves_the_memo_for_what_it_wrote() {
    let ws = Ws::example();
    age(&ws);
    let out = cmd(&ws)
        .env("FRESK_NOW", "2026-06-15 10:00")
        .args(["session", "cancel", "M2026-0005-S07", "--reason", "strike"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replayed = lint_at(&ws, "2026-06-15 10:05", "hit");
    let out = cmd(&ws)
        .env("FRESK_NOW", "2026-06-15 10:05")
        .args(["--no-cache", "lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(keys(&replayed.findings), keys(&Lint::parse(&out).findings));
}
