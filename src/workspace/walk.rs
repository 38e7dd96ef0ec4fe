//! The walk: every file of a workspace, its kind taken from its place, in a fixed order, with
//! the metadata the load cache stamps it with — and the files that should not be there.

use super::Kinds;
use crate::cache::Stamp;
use crate::diagnostics::{At, Finding, Severity, declare_rules};
use crate::model::Kind;
use crate::store;
use crate::yaml::{Pos, Span};
use rayon::prelude::*;
use std::path::Path;

pub use crate::model::CONFIG_FILE;

declare_rules! {
    /// the file is larger than any workspace file should be (4 MiB)
    ///
    /// A fresk file holds a few hundred bytes; one over 4 MiB is a mistake (a pasted export, a
    /// document saved under the wrong name) and would slow every command that reads the
    /// workspace. It is not read. Split it, or move what does not belong out of the workspace —
    /// attachments and exports live outside git, or under the git-ignored private/.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0003/mission.yaml (5 MB: a spreadsheet export pasted into the notes)
    /// notes: |
    ///   Nom;Prénom;Service;Présent
    ///   …
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0003/mission.yaml
    /// notes: Attendance sheets are kept with the rosters, under private/.
    /// ```
    FILE_TOO_LARGE = "file-too-large", Syntax, Error;
    /// a symbolic link points outside the workspace
    ///
    /// A data folder (people/, missions/, …) or a file in one that is a symbolic link to a place
    /// outside the workspace — or to nothing — would make fresk read, and commands write, files
    /// that git does not track and reviewers never see. Such a link is not followed. Replace it
    /// with the folder or file itself; a link to a file inside the workspace is read normally.
    ///
    /// Bad:
    /// ```yaml
    /// # people/julia-weber.yaml is a symbolic link to /home/julia/fresk/julia-weber.yaml
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # people/julia-weber.yaml: the file itself, committed like any other
    /// id: julia-weber
    /// name: Julia Weber
    /// roles: [facilitator]
    /// ```
    SYMLINK_ESCAPE = "symlink-escape", Syntax, Error;
    /// a YAML file sits where no kind of file belongs
    ///
    /// A file's kind comes from its place: `people/<id>.yaml`, `organisations/<id>.yaml`,
    /// `requests/<year>/<id>.yaml`, `missions/<id>/mission.yaml`,
    /// `missions/<id>/sessions/<id>.yaml`, `payouts/<year>/<id>.yaml`, `invoices/<year>/<id>.yaml`
    /// and `declarations/<year>/<id>.yaml`. A `.yaml` or `.yml` file anywhere else in those
    /// folders is not read at all — a request filed without its year, a session beside its
    /// mission, a `.yml` extension — so its mistakes, and what it records, go unseen. The
    /// message says where such a file belongs.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/M2026-0006-S04.yaml (a session outside sessions/)
    /// id: M2026-0006-S04
    /// mission: M2026-0006
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S04.yaml
    /// id: M2026-0006-S04
    /// mission: M2026-0006
    /// ```
    MISPLACED_FILE = "misplaced-file", Syntax, Error;
    /// fresk's own state in the workspace: tracked by git (error), or left by an interrupted command (warning)
    ///
    /// fresk keeps its cache outside the workspace and writes a change through a journal
    /// (`.fresk-journal`) and temporary files (`.<name>.fresk-tmp-<pid>`) that it removes once
    /// done. A temporary file at the workspace's top — or an old `.fresk-cache/` or
    /// `.fresk-numbering.lock` — is the trace of an interrupted command or of an older fresk: a
    /// warning, to delete as the message says. A journal is an error: every fresk command, lint
    /// included, first finishes or undoes the change it records, so one still there could not
    /// be recovered — check `git status` and the message. Any of them tracked by git is an
    /// error too: fresk's state never belongs in a repository; `git rm -r --cached` it.
    ///
    /// Bad:
    /// ```yaml
    /// # git status, after `git add -A` in a workspace where a command was interrupted
    /// # new file: .fresk-journal
    /// # new file: .fresk.yaml.fresk-tmp-4242
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # git status: only the workspace's files; fresk finished (or undid) the change and
    /// # removed its journal and temporary files
    /// ```
    STATE_FILE = "state-file", Syntax, Error;
}

/// The kind of the file at `rel` (relative path parts), or `None` when no kind lives there.
pub fn kind_of(parts: &[&str]) -> Option<Kind> {
    let yaml = |name: &str| name.ends_with(".yaml");
    let year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    match parts {
        [CONFIG_FILE] => Some(Kind::Config),
        ["people", f] if yaml(f) => Some(Kind::Person),
        ["organisations", f] if yaml(f) => Some(Kind::Organisation),
        ["requests", y, f] if year(y) && yaml(f) => Some(Kind::Request),
        ["missions", _, "mission.yaml"] => Some(Kind::Mission),
        ["missions", _, "sessions", f] if yaml(f) => Some(Kind::Session),
        ["payouts", y, f] if year(y) && yaml(f) => Some(Kind::Payout),
        ["invoices", y, f] if year(y) && yaml(f) => Some(Kind::Invoice),
        ["declarations", y, f] if year(y) && yaml(f) => Some(Kind::Declaration),
        ["interactions", _, f] if yaml(f) && year(f.trim_end_matches(".yaml")) => {
            Some(Kind::Interactions)
        }
        ["complaints", y, f] if year(y) && yaml(f) => Some(Kind::Complaint),
        _ => None,
    }
}

/// The folders fresk reads; anything else (private/, templates/, schema/, .git/) is left alone.
pub const DATA_DIRS: [&str; 9] = [
    "people",
    "organisations",
    "requests",
    "missions",
    "payouts",
    "invoices",
    "declarations",
    "interactions",
    "complaints",
];

/// A file found by the walk, with its metadata when it could be read.
pub(super) struct Found {
    pub path: String,
    pub kind: Kind,
    pub stamp: Option<Stamp>,
}

pub(super) enum Entry {
    File(Found),
    Finding(Finding),
}

/// Every file of the workspace, in a fixed order: fresk.yaml, then each data folder depth
/// first with names sorted, as `walkdir` with `sort_by_file_name` would list them. Folders are
/// walked in parallel (a large workspace has one folder per mission), and each file's metadata
/// comes from its folder entry, so the walk is also what the cache's stamps are made of.
///
/// Only the folders holding one of `kinds` are walked; when sessions are not asked for, the
/// `sessions/` folder of each mission is not entered either.
pub(super) fn discover(root: &Path, kinds: Kinds) -> Vec<Entry> {
    let config_stamp = std::fs::metadata(root.join(CONFIG_FILE))
        .ok()
        .map(|m| Stamp::of(&m));
    let mut entries = vec![Entry::File(Found {
        path: CONFIG_FILE.to_string(),
        kind: Kind::Config,
        stamp: config_stamp,
    })];
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walker = Walker {
        canonical_root: &canonical_root,
        sessions: kinds.has(Kind::Session),
    };
    entries.extend(state_files(root).into_iter().map(Entry::Finding));
    for dir in DATA_DIRS {
        if !dir_kinds(dir).iter().any(|k| kinds.has(*k)) {
            continue;
        }
        let top = root.join(dir);
        let Ok(meta) = std::fs::symlink_metadata(&top) else {
            continue;
        };
        if meta.file_type().is_symlink() && !walker.inside(&top) {
            entries.push(Entry::Finding(escape(dir)));
            continue;
        }
        if top.is_dir() {
            walker.folder(&top, dir, 0, &mut entries);
        }
    }
    entries
}

fn escape(rel: &str) -> Finding {
    Finding::new(
        &SYMLINK_ESCAPE,
        rel,
        At::Span(Span::point(Pos { line: 1, column: 1 })),
        "this symbolic link points outside the workspace (or nowhere); replace it with the file itself",
    )
}

/// fresk's own state where it does not belong: its old in-workspace cache and numbering lock,
/// a journal of an interrupted change, temporary files. None of them is ever read as the
/// workspace's state; each is an error when git tracks it (committed, it could only have been
/// planted or added by mistake), else a warning to clean up.
fn state_files(root: &Path) -> Vec<Finding> {
    let Ok(read) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_state_file(n))
        .collect();
    names.sort();
    names.iter().map(|n| state_file(root, n)).collect()
}

fn is_state_file(name: &str) -> bool {
    matches!(
        name,
        ".fresk-cache" | ".fresk-numbering.lock" | store::JOURNAL
    ) || (name.starts_with('.') && name.contains(store::TEMP_MARK))
}

fn state_file(root: &Path, rel: &str) -> Finding {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (what, fix) = match name {
        ".fresk-cache" => (
            "an old fresk cache folder",
            "fresk keeps its cache outside the workspace now; delete this folder",
        ),
        ".fresk-numbering.lock" => (
            "an old fresk numbering lock",
            "fresk locks the workspace itself now; delete this file",
        ),
        store::JOURNAL => (
            "the journal of a change a fresk command could not finish",
            "run any fresk command that writes to finish or undo it, and check `git status`",
        ),
        _ => (
            "a temporary file left by an interrupted fresk command",
            "delete it; the file it was for is intact",
        ),
    };
    let tracked = store::tracked_by_git(root, rel);
    let mut finding = Finding::new(
        &STATE_FILE,
        rel,
        At::Span(Span::point(Pos { line: 1, column: 1 })),
        if tracked {
            format!(
                "{what} is tracked by git; fresk's state never belongs in a repository and is never read from one: `git rm -r --cached {rel}`"
            )
        } else {
            format!("{what}: {fix}")
        },
    );
    if !tracked && name != store::JOURNAL {
        finding.severity = Severity::Warning;
    }
    finding
}

/// Does the walk list file `a` before file `b`? fresk.yaml first, then the data folders in
/// [`DATA_DIRS`] order, each depth first with names sorted.
pub(super) fn before(a: &str, b: &str) -> bool {
    let rank = |p: &str| {
        let top = p.split('/').next().unwrap_or_default();
        if p == CONFIG_FILE {
            0
        } else {
            DATA_DIRS
                .iter()
                .position(|d| *d == top)
                .map_or(DATA_DIRS.len() + 1, |i| i + 1)
        }
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| a.split('/').cmp(b.split('/')))
        .is_lt()
}

/// The kinds of file living under a data folder.
fn dir_kinds(dir: &str) -> &'static [Kind] {
    match dir {
        "people" => &[Kind::Person],
        "organisations" => &[Kind::Organisation],
        "requests" => &[Kind::Request],
        "missions" => &[Kind::Mission, Kind::Session],
        "payouts" => &[Kind::Payout],
        "invoices" => &[Kind::Invoice],
        "declarations" => &[Kind::Declaration],
        "interactions" => &[Kind::Interactions],
        "complaints" => &[Kind::Complaint],
        _ => &[],
    }
}

struct Walker<'a> {
    canonical_root: &'a Path,
    /// Enter `missions/<id>/sessions/` (false: only the missions' own files are wanted).
    sessions: bool,
}

impl Walker<'_> {
    /// Does the symbolic link at `path` lead to something inside the workspace?
    fn inside(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|target| target.starts_with(self.canonical_root))
    }

    /// The entries under `dir` (relative path `rel`), sorted by name; folders near the top are
    /// walked in parallel, deeper ones in this thread.
    fn folder(&self, dir: &Path, rel: &str, depth: usize, out: &mut Vec<Entry>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        let mut leftovers = Vec::new();
        let mut children: Vec<(std::ffi::OsString, std::fs::DirEntry)> = read
            .filter_map(Result::ok)
            .map(|e| (e.file_name(), e))
            .filter(|(name, _)| {
                let name = name.to_string_lossy();
                if name.starts_with('.') {
                    if is_state_file(&name) {
                        leftovers.push(format!("{rel}/{name}"));
                    }
                    return false;
                }
                true
            })
            .collect();
        children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        leftovers.sort();
        out.extend(
            leftovers
                .iter()
                .map(|rel| Entry::Finding(state_file(self.canonical_root, rel))),
        );
        if depth < 2 && children.len() > 1 {
            let parts: Vec<Vec<Entry>> = children
                .par_iter()
                .map(|(name, child)| {
                    let mut part = Vec::new();
                    self.child(dir, name, child, rel, depth, &mut part);
                    part
                })
                .collect();
            out.extend(parts.into_iter().flatten());
        } else {
            for (name, child) in &children {
                self.child(dir, name, child, rel, depth, out);
            }
        }
    }

    fn child(
        &self,
        dir: &Path,
        name: &std::ffi::OsStr,
        item: &std::fs::DirEntry,
        rel: &str,
        depth: usize,
        out: &mut Vec<Entry>,
    ) {
        let Ok(file_type) = item.file_type() else {
            return;
        };
        let name = name.to_string_lossy();
        let mut rel_s = String::with_capacity(rel.len() + 1 + name.len());
        rel_s.push_str(rel);
        rel_s.push('/');
        rel_s.push_str(&name);
        let meta = if file_type.is_symlink() {
            let path = dir.join(&*name);
            if !self.inside(&path) {
                out.push(Entry::Finding(escape(&rel_s)));
                return;
            }
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => Some(m),
                _ => return,
            }
        } else if file_type.is_dir() {
            if !self.sessions && depth == 1 && name == "sessions" && rel.starts_with("missions/") {
                return;
            }
            self.folder(&dir.join(&*name), &rel_s, depth + 1, out);
            return;
        } else if file_type.is_file() {
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                return;
            }
            item.metadata().ok()
        } else {
            return;
        };
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            return;
        }
        let parts: Vec<&str> = rel_s.split('/').collect();
        match kind_of(&parts) {
            Some(kind) => {
                let stamp = meta.as_ref().map(Stamp::of);
                out.push(Entry::File(Found {
                    path: rel_s,
                    kind,
                    stamp,
                }));
            }
            None => out.push(Entry::Finding(Finding::new(
                &MISPLACED_FILE,
                &rel_s,
                At::Span(Span::point(Pos { line: 1, column: 1 })),
                misplaced_hint(&parts),
            ))),
        }
    }
}

fn misplaced_hint(parts: &[&str]) -> String {
    let expected = match parts.first().copied() {
        Some("people") => "people/<person-id>.yaml",
        Some("organisations") => "organisations/<org-id>.yaml",
        Some("requests") => "requests/<year>/<request-id>.yaml",
        Some("missions") => {
            "missions/<mission-id>/mission.yaml or missions/<mission-id>/sessions/<session-id>.yaml"
        }
        Some("payouts") => "payouts/<year>/<payout-id>.yaml",
        Some("invoices") => "invoices/<year>/<invoice-id>.yaml",
        Some("declarations") => "declarations/<year>/<declaration-id>.yaml",
        _ => "one of the workspace folders",
    };
    let ext = parts.last().is_some_and(|n| n.ends_with(".yml"));
    if ext {
        format!("fresk files end in `.yaml`, not `.yml`; rename it (expected {expected})")
    } else {
        format!("no kind of file lives here, so fresk ignores it; move it to {expected}")
    }
}
