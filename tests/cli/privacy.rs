//! Participants' names and e-mails never leave private/: not into a tracked file, a commit
//! (files or message) made by `--commit`, nor the load cache and the rules' memo.

use crate::attendance::{SESSION, two_day_session};
use crate::support::{Ws, git};

/// Everything a participant could be recognised by, as imported below.
const SECRETS: [&str; 6] = [
    "Hortense",
    "Quillivic",
    "hortense.q@example.net",
    "Barnabé",
    "Zylberstein",
    "b.zyl@example.net",
];

fn no_secret_in(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "`{secret}` found in {what}:\n{text}"
        );
        let lower = secret.to_lowercase();
        assert!(
            !text.to_lowercase().contains(&lower),
            "`{secret}` found in {what}"
        );
    }
}

#[test]
fn no_participant_data_in_tracked_files_commits_or_the_cache() {
    let ws: Ws = two_day_session();
    ws.remove("private");
    git(&ws, None, &["init", "-q", "-b", "main"]);
    git(&ws, None, &["config", "user.name", "Cléo Coord"]);
    git(&ws, None, &["config", "user.email", "cleo@example.org"]);
    git(&ws, None, &["add", "-A"]);
    git(&ws, None, &["commit", "-q", "-m", "base"]);
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = ws
            .command()
            .env("FRESK_CACHE_DIR", cache.path())
            .env("FRESK_CACHE_MIN_FILES", "0")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        no_secret_in(&format!("the output of {args:?}"), &out.stdout);
        out
    };
    ws.write(
        "export.csv",
        "Prénom;Nom;Courriel\nHortense;Quillivic;hortense.q@example.net\nBarnabé;Zylberstein;b.zyl@example.net\n",
    );
    run(&["participants", "import", SESSION, "--csv", "export.csv"]);
    std::fs::remove_file(ws.path().join("export.csv")).unwrap();
    run(&[
        "participants",
        "add",
        SESSION,
        "--name",
        "Hortense Quillivic",
        "--email",
        "hortense.q@example.net",
        "--phone",
        "0612345678",
    ]);
    run(&["lint"]);
    run(&[
        "--commit",
        "session",
        "hold",
        SESSION,
        "--present",
        "hortense.q@example.net",
        "--present",
        "Barnabé Zylberstein",
    ]);
    run(&[
        "--commit",
        "participants",
        "evaluate",
        SESSION,
        "--participant",
        "b.zyl@example.net",
        "--result",
        "acquired",
    ]);
    run(&["render", "certificate", SESSION]);
    run(&["render", "attendance-sheet", SESSION]);
    run(&["lint"]);
    run(&["report", "activity"]);

    // The commands did their work: the roster and documents hold the names…
    let roster = ws.read("private/rosters/M2026-0005-S08.yaml");
    assert!(roster.contains("Hortense Quillivic") && roster.contains("b.zyl@example.net"));
    assert!(
        ws.path()
            .join("private/certificates/ATT-M2026-0005-S08-02.pdf")
            .is_file()
    );
    assert!(
        ws.read("missions/M2026-0005/sessions/M2026-0005-S08.yaml")
            .contains("attended: 2")
    );
    // …two commits were made…
    let log = git(&ws, None, &["log", "--format=%H %s%n%b"]);
    assert_eq!(
        git(&ws, None, &["rev-list", "--count", "HEAD"]),
        "3",
        "{log}"
    );
    // …and nothing of them reached git: every commit's files and message, the index.
    no_secret_in("the commit messages", log.as_bytes());
    let history = git(&ws, None, &["log", "-p", "--all", "--format=%B"]);
    no_secret_in("the history", history.as_bytes());
    let paths = git(&ws, None, &["log", "--all", "--name-only", "--format="]);
    assert!(
        !paths.lines().any(|p| p.starts_with("private/")),
        "a private file was committed:\n{paths}"
    );
    no_secret_in("the index", git(&ws, None, &["ls-files", "-s"]).as_bytes());
    // No tracked file holds them, committed or not.
    for file in git(&ws, None, &["ls-files"]).lines() {
        no_secret_in(file, &std::fs::read(ws.path().join(file)).unwrap());
    }
    assert!(
        git(&ws, None, &["status", "--porcelain"]).is_empty(),
        "nothing left to commit or untracked outside private/"
    );
    // The cache and the memo were written, and hold no name either.
    let mut cached = 0;
    for entry in walkdir::WalkDir::new(cache.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            cached += 1;
            no_secret_in(
                &entry.path().display().to_string(),
                &std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    assert!(cached > 0, "the cache was used");
}
