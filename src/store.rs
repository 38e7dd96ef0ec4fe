//! How fresk changes files on disk: one lock per workspace, workspace paths resolved inside the
//! workspace, and changes of several files that are all-or-nothing as the next command sees
//! them.
//!
//! A change is written in three steps around a journal, `.fresk-journal` at the workspace
//! root (git-ignored):
//!
//! 1. the journal is written, in state `prepared`, naming every file to write or delete and the
//!    temporary sibling each new text goes to;
//! 2. every new text is written to its temporary file and flushed to disk;
//! 3. the journal turns `committed` — the point of no return — then the temporary files are
//!    renamed over their files, the deletions made, and the journal removed.
//!
//! Every fresk command first looks for a journal ([`recover`]): a `prepared` one is rolled back
//! (its temporary files removed: the workspace is as it was), a `committed` one rolled forward
//! (the remaining renames and deletions made: the workspace is as the command wanted). So an
//! interruption at any point — a crash, `kill -9`, a full disk — leaves the old or the new
//! workspace, never a mix, once the next command has run.

use crate::blob;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The journal of a change being written, at the workspace root.
pub const JOURNAL: &str = ".fresk-journal";
/// What every temporary file fresk writes in a workspace has in its name.
pub const TEMP_MARK: &str = ".fresk-tmp-";

/// Files a command writes, keyed by path relative to the root: `Some(text)` replaces or creates
/// a file, `None` deletes it.
pub type Changes = BTreeMap<String, Option<String>>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Refused(String),
    /// A failure after the point of no return: the journal says what is left to do, and the
    /// next fresk command does it.
    #[error(
        "the change is written in part ({0}); the next fresk command finishes it: fix the cause, then run `fresk lint`"
    )]
    Interrupted(Box<StoreError>),
}

impl StoreError {
    fn io(path: impl AsRef<Path>, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}

/// Write `bytes` to `path` through a temporary sibling and a rename: a reader sees the old file
/// or the new one, never a part. A file replaced keeps its permissions; a new one gets the
/// usual ones (0666 less the umask).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = temp_builder(path).tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn temp_builder(path: &Path) -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".fresk-tmp-").suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = path;
    builder
}

/// The path of workspace file `rel` (relative, `/`-separated), checked for writing or reading
/// inside the workspace: only plain components, every existing folder on the way a real folder
/// inside the workspace (a symbolic link is followed only when it stays inside), and the file
/// itself not a symbolic link.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, StoreError> {
    let refuse = |why: String| Err(StoreError::Refused(format!("{rel}: {why}")));
    let parts: Vec<Component> = Path::new(rel).components().collect();
    if parts.is_empty() || !parts.iter().all(|c| matches!(c, Component::Normal(_))) {
        return refuse("not a plain path inside the workspace".into());
    }
    let canonical_root = root.canonicalize().map_err(|e| StoreError::io(root, e))?;
    let mut path = root.to_path_buf();
    for (n, part) in parts.iter().enumerate() {
        path.push(part);
        let last = n + 1 == parts.len();
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(StoreError::io(&path, e)),
        };
        if meta.file_type().is_symlink() {
            if last {
                return refuse("is a symbolic link; fresk writes files, not links: replace the link by the file itself".into());
            }
            let inside = path
                .canonicalize()
                .is_ok_and(|target| target.starts_with(&canonical_root));
            if !inside {
                let folder: PathBuf = parts[..=n].iter().collect();
                return refuse(format!(
                    "{} is a symbolic link out of the workspace; fresk never writes or reads through it (replace it by a real folder)",
                    folder.display()
                ));
            }
        } else if !last && !meta.is_dir() {
            let folder: PathBuf = parts[..=n].iter().collect();
            return refuse(format!("{} is a file, not a folder", folder.display()));
        }
    }
    Ok(root.join(rel))
}

/// The workspace lock, held by every command that writes, from before it reads the workspace
/// until it has written: two commands serialize, and the second sees what the first wrote.
/// It is an advisory lock on the workspace folder itself, released by the system when the
/// process ends however it ends, so a crash leaves nothing stale behind.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Take the lock of the workspace at `root`, waiting for another command that holds it (up to
    /// `FRESK_LOCK_TIMEOUT` seconds, 120 by default).
    pub fn take(root: &Path) -> Result<Lock, StoreError> {
        let file = File::open(root).map_err(|e| StoreError::io(root, e))?;
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(StoreError::io(root, e)),
        }
        let timeout = std::env::var("FRESK_LOCK_TIMEOUT")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(120);
        eprintln!("fresk: waiting for another fresk command that is changing this workspace…");
        let started = std::time::Instant::now();
        loop {
            std::thread::sleep(std::time::Duration::from_millis(5));
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => return Err(StoreError::io(root, e)),
            }
            if started.elapsed().as_secs() >= timeout {
                return Err(StoreError::Refused(format!(
                    "another fresk command has been changing this workspace for {timeout} s; let it finish (or stop it) and run this command again"
                )));
            }
        }
    }
}

/// The journal as written at the workspace root.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    #[serde(rename = "fresk-journal")]
    version: u32,
    state: JournalState,
    summary: String,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum JournalState {
    Prepared,
    Committed,
}

#[derive(Debug, Serialize, Deserialize)]
struct Step {
    path: String,
    /// The temporary sibling holding the new text (none: the file is deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    temp: Option<String>,
    /// The SHA-1 of the new text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha1: Option<String>,
}

/// Counts the file system operations of a change, for the tests' interruptions:
/// `FRESK_TEST_CRASH_AT=k` ends the process without any clean-up at operation `k` (as a
/// `kill -9` would), `FRESK_TEST_FAIL_AT=k` makes operation `k` fail with an I/O error.
struct Steps {
    done: usize,
    crash_at: Option<usize>,
    fail_at: Option<usize>,
}

impl Steps {
    fn new() -> Steps {
        let var = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse().ok());
        Steps {
            done: 0,
            crash_at: var("FRESK_TEST_CRASH_AT"),
            fail_at: var("FRESK_TEST_FAIL_AT"),
        }
    }

    fn next(&mut self, path: &Path) -> Result<(), StoreError> {
        self.done += 1;
        if self.crash_at == Some(self.done) {
            std::process::exit(137);
        }
        if self.fail_at == Some(self.done) {
            return Err(StoreError::io(
                path,
                std::io::Error::other("failure injected by FRESK_TEST_FAIL_AT"),
            ));
        }
        Ok(())
    }
}

fn write_journal(root: &Path, journal: &Journal, steps: &mut Steps) -> Result<(), StoreError> {
    let path = root.join(JOURNAL);
    steps.next(&path)?;
    let mut text = serde_json::to_string_pretty(journal).unwrap_or_default();
    text.push('\n');
    write_atomic(&path, text.as_bytes()).map_err(|e| StoreError::io(&path, e))
}

/// The temporary sibling of `path` for this process.
fn temp_for(rel: &str) -> String {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((dir, name)) => (format!("{dir}/"), name),
        None => (String::new(), rel),
    };
    format!("{dir}.{name}{TEMP_MARK}{}", std::process::id())
}

/// Write `changes` to the workspace at `root`, all or nothing (see the module's docs). The
/// caller holds the workspace [`Lock`].
pub fn commit(root: &Path, changes: &Changes, summary: &str) -> Result<(), StoreError> {
    let mut paths = Vec::with_capacity(changes.len());
    for rel in changes.keys() {
        paths.push(resolve(root, rel)?);
    }
    let mut journal = Journal {
        version: 1,
        state: JournalState::Prepared,
        summary: summary.to_string(),
        steps: changes
            .iter()
            .map(|(rel, text)| Step {
                path: rel.clone(),
                temp: text.as_ref().map(|_| temp_for(rel)),
                sha1: text.as_ref().map(|t| blob::sha1_hex(t.as_bytes())),
            })
            .collect(),
    };
    let mut steps = Steps::new();
    write_journal(root, &journal, &mut steps)?;
    if let Err(err) = write_temps(root, changes, &journal, &paths, &mut steps) {
        rollback(root, &journal);
        return Err(err);
    }
    journal.state = JournalState::Committed;
    if let Err(err) = write_journal(root, &journal, &mut steps) {
        rollback(root, &journal);
        return Err(err);
    }
    finish(root, &journal, &mut steps).map_err(|err| StoreError::Interrupted(Box::new(err)))
}

fn write_temps(
    root: &Path,
    changes: &Changes,
    journal: &Journal,
    paths: &[PathBuf],
    steps: &mut Steps,
) -> Result<(), StoreError> {
    for ((step, text), path) in journal.steps.iter().zip(changes.values()).zip(paths) {
        let (Some(temp), Some(text)) = (&step.temp, text) else {
            continue;
        };
        let temp = root.join(temp);
        steps.next(&temp)?;
        if let Some(dir) = temp.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            let mode = std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o7777);
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = path;
        let mut file = options.open(&temp).map_err(|e| StoreError::io(&temp, e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| StoreError::io(&temp, e))?;
    }
    Ok(())
}

/// Remove a prepared change's temporary files and its journal.
fn rollback(root: &Path, journal: &Journal) {
    for temp in journal.steps.iter().filter_map(|s| s.temp.as_ref()) {
        let _ = std::fs::remove_file(root.join(temp));
    }
    let _ = std::fs::remove_file(root.join(JOURNAL));
}

/// Make a committed change's remaining renames and deletions, then remove its journal. Each
/// step can be made again: a rename already made has no temporary file left and leaves the new
/// text in place.
fn finish(root: &Path, journal: &Journal, steps: &mut Steps) -> Result<(), StoreError> {
    let mut folders = std::collections::BTreeSet::new();
    for step in &journal.steps {
        let path = resolve(root, &step.path)?;
        steps.next(&path)?;
        match (&step.temp, &step.sha1) {
            (Some(temp), Some(sha1)) => {
                let temp = root.join(temp);
                match std::fs::read(&temp) {
                    Ok(bytes) if blob::sha1_hex(&bytes) == *sha1 => {
                        std::fs::rename(&temp, &path).map_err(|e| StoreError::io(&path, e))?;
                    }
                    Ok(_) => {
                        return Err(StoreError::Refused(format!(
                            "{} does not hold the text the journal expects",
                            temp.display()
                        )));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        let done = std::fs::read(&path).is_ok_and(|b| blob::sha1_hex(&b) == *sha1);
                        if !done {
                            return Err(StoreError::Refused(format!(
                                "{} is gone and {} does not hold the new text",
                                temp.display(),
                                step.path
                            )));
                        }
                    }
                    Err(e) => return Err(StoreError::io(&temp, e)),
                }
            }
            _ => match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io(&path, e)),
            },
        }
        if let Some(dir) = path.parent() {
            folders.insert(dir.to_path_buf());
        }
    }
    // The renames reach the disk before the journal goes.
    for dir in folders {
        if let Ok(dir) = File::open(&dir) {
            let _ = dir.sync_all();
        }
    }
    let journal_path = root.join(JOURNAL);
    steps.next(&journal_path)?;
    std::fs::remove_file(&journal_path).map_err(|e| StoreError::io(&journal_path, e))
}

/// What [`recover`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Recovered {
    /// No journal: the last change was whole.
    Nothing,
    /// A prepared change was undone: the workspace is as it was before it.
    RolledBack(String),
    /// A committed change was completed: the workspace is as it wanted.
    Completed(String),
}

/// Finish or undo the change an interrupted command left (see the module's docs). Takes the
/// workspace lock only when there is a journal, unless the caller holds it (`locked`). A
/// journal that is not a plain file, cannot be read, or is tracked by git is left alone (lint
/// reports it) and refused.
pub fn recover(root: &Path, locked: bool) -> Result<Recovered, StoreError> {
    let path = root.join(JOURNAL);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Recovered::Nothing),
        Err(e) => return Err(StoreError::io(&path, e)),
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(StoreError::Refused(format!(
                "{JOURNAL} is not a file fresk wrote; remove it"
            )));
        }
        Ok(_) => {}
    }
    if tracked_by_git(root, JOURNAL) {
        return Err(StoreError::Refused(format!(
            "{JOURNAL} is tracked by git, so fresk will not replay it: a journal is never part of a repository; remove it with `git rm --cached {JOURNAL}` and check the files it names"
        )));
    }
    let _lock = if locked {
        None
    } else {
        Some(Lock::take(root)?)
    };
    // Another command may have recovered it while this one waited for the lock.
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Recovered::Nothing);
    };
    let journal: Journal = serde_json::from_str(&text)
        .ok()
        .filter(|j: &Journal| j.version == 1 && valid_steps(j))
        .ok_or_else(|| {
            StoreError::Refused(format!(
                "{JOURNAL} cannot be read, so fresk cannot tell how far the last change went; check the files it names (`git status`), then remove it"
            ))
        })?;
    match journal.state {
        JournalState::Prepared => {
            rollback(root, &journal);
            Ok(Recovered::RolledBack(journal.summary))
        }
        JournalState::Committed => {
            finish(root, &journal, &mut Steps::new())?;
            Ok(Recovered::Completed(journal.summary))
        }
    }
}

/// Every step names a workspace path and, for a new text, that path's own temporary sibling.
fn valid_steps(journal: &Journal) -> bool {
    journal.steps.iter().all(|s| {
        let plain = Path::new(&s.path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        let temp_ok = match (&s.temp, &s.sha1) {
            (Some(temp), Some(_)) => {
                let (dir, name) = s.path.rsplit_once('/').unwrap_or(("", &s.path));
                let (tdir, tname) = temp.rsplit_once('/').unwrap_or(("", temp));
                dir == tdir
                    && tname
                        .strip_prefix('.')
                        .and_then(|t| t.strip_prefix(name))
                        .and_then(|t| t.strip_prefix(TEMP_MARK))
                        .is_some_and(|pid| {
                            !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
                        })
            }
            (None, None) => true,
            _ => false,
        };
        plain && temp_ok
    })
}

/// Is workspace file `rel` in git's index?
pub fn tracked_by_git(root: &Path, rel: &str) -> bool {
    let Ok(repo) = git2::Repository::discover(root) else {
        return false;
    };
    let (Some(workdir), Ok(index)) = (repo.workdir(), repo.index()) else {
        return false;
    };
    let Ok(canonical) = root.canonicalize() else {
        return false;
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let Ok(prefix) = canonical.strip_prefix(&workdir) else {
        return false;
    };
    let path = prefix.join(rel);
    index.get_path(&path, 0).is_some()
        || index
            .iter()
            .any(|e| Path::new(std::str::from_utf8(&e.path).unwrap_or_default()).starts_with(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(items: &[(&str, Option<&str>)]) -> Changes {
        items
            .iter()
            .map(|(p, t)| (p.to_string(), t.map(str::to_string)))
            .collect()
    }

    #[test]
    fn a_change_is_written_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("old.yaml"), "old\n").expect("writes");
        std::fs::create_dir(root.join("a")).expect("mkdir");
        commit(
            root,
            &changes(&[("a/new.yaml", Some("new\n")), ("old.yaml", None)]),
            "test",
        )
        .expect("commits");
        assert_eq!(
            std::fs::read_to_string(root.join("a/new.yaml"))
                .ok()
                .as_deref(),
            Some("new\n")
        );
        assert!(!root.join("old.yaml").exists());
        let left: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["new.yaml"]);
    }

    #[test]
    fn paths_are_resolved_inside_the_workspace() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("missions/M1")).expect("mkdir");
        assert!(resolve(root, "missions/M1/sessions/S1.yaml").is_ok());
        for bad in ["../x.yaml", "/etc/passwd", "a/../../x", ""] {
            assert!(resolve(root, bad).is_err(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), root.join("missions/M1/sessions"))
                .expect("symlink");
            let err = resolve(root, "missions/M1/sessions/S1.yaml").expect_err("refused");
            assert!(
                err.to_string()
                    .contains("symbolic link out of the workspace"),
                "{err}"
            );
            std::fs::create_dir(root.join("real")).expect("mkdir");
            std::os::unix::fs::symlink(root.join("real"), root.join("inside")).expect("symlink");
            assert!(resolve(root, "inside/x.yaml").is_ok());
            std::os::unix::fs::symlink(root.join("real/x"), root.join("link.yaml"))
                .expect("symlink");
            assert!(resolve(root, "link.yaml").is_err());
        }
    }

    #[test]
    fn journals_naming_other_paths_are_not_replayed() {
        let ok = Journal {
            version: 1,
            state: JournalState::Committed,
            summary: String::new(),
            steps: vec![Step {
                path: "people/a.yaml".into(),
                temp: Some(format!("people/.a.yaml{TEMP_MARK}12")),
                sha1: Some("x".into()),
            }],
        };
        assert!(valid_steps(&ok));
        for (path, temp) in [
            ("../a.yaml", "../.a.yaml.fresk-tmp-12"),
            ("people/a.yaml", "missions/.a.yaml.fresk-tmp-12"),
            ("people/a.yaml", "people/.b.yaml.fresk-tmp-12"),
            ("people/a.yaml", "people/.a.yaml.fresk-tmp-../x"),
        ] {
            let bad = Journal {
                steps: vec![Step {
                    path: path.into(),
                    temp: Some(temp.into()),
                    sha1: Some("x".into()),
                }],
                ..Journal {
                    version: 1,
                    state: JournalState::Committed,
                    summary: String::new(),
                    steps: Vec::new(),
                }
            };
            assert!(!valid_steps(&bad), "{path} {temp}");
        }
    }
}
