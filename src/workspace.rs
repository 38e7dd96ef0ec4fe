//! The workspace: found by walking up to `fresk.yaml`, every file's kind taken from its place,
//! every file loaded in parallel into compact typed records (the YAML trees are dropped).

use crate::cache::{self, Stamp};
use crate::diagnostics::{At, Finding, Severity};
use crate::model::{
    Config, Declaration, Invoice, Kind, Mission, Organisation, Payout, Person, Request, Session,
};
use crate::rules;
use crate::rules::HashMap;
use crate::schema;
use crate::yaml::{self, Node, Pos, Span};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::path::{Component, Path, PathBuf};

pub const CONFIG_FILE: &str = "fresk.yaml";

/// A typed record and the file it came from (path relative to the root, `/`-separated).
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: String,
    pub value: T,
}

impl<T> std::ops::Deref for Loaded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Every file of a workspace as typed records, plus what loading them found.
#[derive(Debug, Default)]
pub struct Workspace {
    pub root: PathBuf,
    /// Every file that was read, relative to the root.
    pub files: Vec<(String, Kind)>,
    /// The git blob id of each of `files` as read (what `git hash-object` prints; for a file of
    /// the overlay, of the text to be written), all zeros when unknown (the cache is off, the
    /// file could not be read): `lint --base` compares them with the base tree's, and they key
    /// the rules' memo.
    pub blobs: Vec<[u8; 20]>,
    pub config: Option<Loaded<Config>>,
    pub people: Vec<Loaded<Person>>,
    pub organisations: Vec<Loaded<Organisation>>,
    pub requests: Vec<Loaded<Request>>,
    pub missions: Vec<Loaded<Mission>>,
    pub sessions: Vec<Loaded<Session>>,
    pub payouts: Vec<Loaded<Payout>>,
    pub invoices: Vec<Loaded<Invoice>>,
    pub declarations: Vec<Loaded<Declaration>>,
    /// Ids of every file per kind, including files that could not be fully read, so that one
    /// broken file does not make every reference to it a finding too.
    pub ids: HashMap<Kind, HashMap<String, String>>,
    /// Findings from reading the files (syntax and shape).
    pub findings: Vec<Finding>,
    /// The kinds this workspace holds: every kind after [`load`], only the ones asked for after
    /// [`load_kinds`] (the other lists are then empty, whatever the disk holds).
    pub kinds: Kinds,
}

/// A set of kinds of file: what a partial load reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds(u16);

impl Kinds {
    pub const ALL: Kinds = Kinds((1 << Kind::ALL.len()) - 1);

    fn bit(kind: Kind) -> u16 {
        let i = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        1 << i
    }

    /// `kinds`, plus fresk.yaml (every command needs its time zone).
    pub fn of(kinds: &[Kind]) -> Kinds {
        Kinds(
            kinds
                .iter()
                .fold(Self::bit(Kind::Config), |acc, k| acc | Self::bit(*k)),
        )
    }

    pub fn has(self, kind: Kind) -> bool {
        self.0 & Self::bit(kind) != 0
    }

    /// These kinds but `kind`.
    pub fn without(self, kind: Kind) -> Kinds {
        Kinds(self.0 & !Self::bit(kind))
    }
}

/// The place of `kind` in [`Kind::ALL`], to index per-kind tables.
fn kind_slot(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Default for Kinds {
    fn default() -> Kinds {
        Kinds::ALL
    }
}

/// Why a workspace could not be opened at all (exit code 2).
#[derive(Debug)]
pub enum OpenError {
    NotFound(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::NotFound(dir) => write!(
                f,
                "no fresk workspace in {} or any parent folder (looked for {CONFIG_FILE}); run `fresk init` or pass -C DIR",
                dir.display()
            ),
            OpenError::Io(path, err) => write!(f, "cannot read {}: {err}", path.display()),
        }
    }
}

/// Walk up from `start` to the first folder holding `fresk.yaml`.
pub fn find_root(start: &Path) -> Result<PathBuf, OpenError> {
    let start = start
        .canonicalize()
        .map_err(|e| OpenError::Io(start.to_path_buf(), e))?;
    let mut dir = start.as_path();
    loop {
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        match dir.parent() {
            Some(parent) => dir = parent,
            None => return Err(OpenError::NotFound(start)),
        }
    }
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
        _ => None,
    }
}

/// The folders fresk reads; anything else (private/, templates/, schema/, .git/) is left alone.
pub const DATA_DIRS: [&str; 7] = [
    "people",
    "organisations",
    "requests",
    "missions",
    "payouts",
    "invoices",
    "declarations",
];

/// A file found by the walk, with its metadata when it could be read.
struct Found {
    path: String,
    kind: Kind,
    stamp: Option<Stamp>,
}

enum Entry {
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
fn discover(root: &Path, kinds: Kinds) -> Vec<Entry> {
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
    for dir in DATA_DIRS {
        if !dir_kinds(dir).iter().any(|k| kinds.has(*k)) {
            continue;
        }
        let top = root.join(dir);
        if !top.is_dir() {
            continue;
        }
        walker.folder(&top, dir, 0, &mut entries);
    }
    entries
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
        _ => &[],
    }
}

struct Walker<'a> {
    canonical_root: &'a Path,
    /// Enter `missions/<id>/sessions/` (false: only the missions' own files are wanted).
    sessions: bool,
}

impl Walker<'_> {
    /// The entries under `dir` (relative path `rel`), sorted by name; folders near the top are
    /// walked in parallel, deeper ones in this thread.
    fn folder(&self, dir: &Path, rel: &str, depth: usize, out: &mut Vec<Entry>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        let mut children: Vec<(std::ffi::OsString, std::fs::DirEntry)> = read
            .filter_map(Result::ok)
            .map(|e| (e.file_name(), e))
            .filter(|(name, _)| !name.as_encoded_bytes().starts_with(b"."))
            .collect();
        children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
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
            let inside = path
                .canonicalize()
                .is_ok_and(|target| target.starts_with(self.canonical_root));
            if !inside {
                out.push(Entry::Finding(Finding::new(
                    &rules::SYMLINK_ESCAPE,
                    &rel_s,
                    At::Span(Span::point(Pos { line: 1, column: 1 })),
                    "this symbolic link points outside the workspace (or nowhere); replace it with the file itself",
                )));
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
                &rules::MISPLACED_FILE,
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

/// What reading one file produced.
#[derive(Default)]
struct FileOutcome {
    findings: Vec<Finding>,
    id: Option<String>,
    record: Option<Record>,
    /// The visitor calls that typed the record, when recording for the cache.
    tape: Option<Vec<u8>>,
}

/// A typed record, boxed at its own size: a file's outcome carries it from the core that read
/// the file to the list it belongs to (one variant per [`Kind`]).
enum Record {
    Config(Box<Config>),
    Person(Box<Person>),
    Organisation(Box<Organisation>),
    Request(Box<Request>),
    Mission(Box<Mission>),
    Session(Box<Session>),
    Payout(Box<Payout>),
    Invoice(Box<Invoice>),
    Declaration(Box<Declaration>),
}

/// Files as a command is about to write them, keyed by path relative to the root: `Some(text)`
/// replaces or creates a file, `None` deletes it. Loading through an overlay shows what the
/// workspace would be after the command, before anything touches the disk.
pub type Overlay = std::collections::BTreeMap<String, Option<String>>;

/// Open the workspace whose root is `root` and load every file.
pub fn load(root: &Path) -> Result<Workspace, OpenError> {
    load_with(root, &Overlay::new())
}

/// Load only the files of `kinds` (and fresk.yaml): for a command that reads a few kinds, e.g. a
/// report. Only the folders holding them are walked (`missions/*/sessions/` only when sessions
/// are asked for); the other lists of the workspace stay empty, and so do their `ids`, so the
/// result is not for the rules. The cache is read, and written when a file of these kinds was
/// read anew (or deleted), keeping every entry of the other kinds as it was: the next full load
/// finds all of them.
pub fn load_kinds(root: &Path, kinds: &[Kind]) -> Result<Workspace, OpenError> {
    load_inner(root, &Overlay::new(), Kinds::of(kinds))
}

/// Load the workspace as it would be with `overlay` applied. Files the overlay does not touch
/// come from the cache when their stamp is unchanged, else from disk (and go into the cache).
pub fn load_with(root: &Path, overlay: &Overlay) -> Result<Workspace, OpenError> {
    load_inner(root, overlay, Kinds::ALL)
}

fn load_inner(root: &Path, overlay: &Overlay, kinds: Kinds) -> Result<Workspace, OpenError> {
    Ok(stage_kinds(root, overlay, kinds)?.replay_all())
}

/// [`load_with`] up to the records: they are built by [`Staged::replay`], for the files wanted.
pub fn stage(root: &Path, overlay: &Overlay) -> Result<Staged, OpenError> {
    stage_kinds(root, overlay, Kinds::ALL)
}

fn stage_kinds(root: &Path, overlay: &Overlay, kinds: Kinds) -> Result<Staged, OpenError> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(OpenError::NotFound(root.to_path_buf()));
    }
    let use_cache = cache::enabled();
    let started = cache::now_ns();
    let clock = std::time::Instant::now();
    let ms = |d: std::time::Duration| d.as_millis();
    let ((mut entries, walk), (old, open)) = rayon::join(
        || (discover(root, kinds), clock.elapsed()),
        || {
            let t = std::time::Instant::now();
            let c = use_cache
                .then(|| cache::Cache::open_kinds(root, |k| kinds.has(k)))
                .flatten();
            (c, t.elapsed())
        },
    );
    entries.retain(|e| match e {
        Entry::File(Found { path, kind, .. }) => {
            kinds.has(*kind) && !matches!(overlay.get(path), Some(None))
        }
        Entry::Finding(Finding { file: path, .. }) => !matches!(overlay.get(path), Some(None)),
    });
    for (path, text) in overlay {
        let on_disk = entries
            .iter()
            .any(|e| matches!(e, Entry::File(f) if f.path == *path));
        if text.is_some() && !on_disk {
            let parts: Vec<&str> = path.split('/').collect();
            if let Some(kind) = kind_of(&parts).filter(|k| kinds.has(*k)) {
                entries.push(Entry::File(Found {
                    path: path.clone(),
                    kind,
                    stamp: None,
                }));
            }
        }
    }
    let mut ws = Workspace {
        root: root.to_path_buf(),
        kinds,
        ..Workspace::default()
    };
    let mut files = Vec::new();
    for entry in entries {
        match entry {
            Entry::File(f) => files.push(f),
            Entry::Finding(f) => ws.findings.push(f),
        }
    }
    let found = clock.elapsed();
    // Each file's outcome: from the cache (its record left there as a tape, replayed only when
    // asked for), else read from disk or taken from the overlay.
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|f| match overlay.get(&f.path) {
            Some(Some(text)) => {
                let mut out = FileOutcome::default();
                read_document(&f.path, f.kind, text.clone().into_bytes(), false, &mut out);
                Outcome::read(out, None, cache::blob_id(text.as_bytes()))
            }
            _ => {
                if let (Some(cache), Some(stamp)) = (&old, &f.stamp)
                    && let Some(hit) = cache.lookup(&f.path, f.kind, stamp)
                    && let Ok(findings) = hit.findings()
                {
                    return Outcome {
                        findings,
                        slot: Slot::Hit(hit.index()),
                        entry: None,
                        oid: hit.oid,
                    };
                }
                let (mut out, oid, cacheable) =
                    match read_file(root, &f.path, f.stamp.map(|s| s.size)) {
                        Read::Done(out, cacheable) => (out, [0; 20], cacheable),
                        Read::Bytes(bytes) => {
                            let oid = if use_cache {
                                cache::blob_id(&bytes)
                            } else {
                                [0; 20]
                            };
                            // Another stamp, the same contents (a copy, a fresh checkout, a file
                            // touched): the outcome is the cache's, under the new stamp.
                            if let (Some(cache), Some(stamp)) = (&old, &f.stamp)
                                && let Some(hit) = cache.lookup_content(&f.path, f.kind, &oid)
                                && let Ok(findings) = hit.findings()
                            {
                                return Outcome {
                                    findings,
                                    slot: Slot::Hit(hit.index()),
                                    entry: cache.restamp(&hit, &f.path, f.kind, *stamp, started),
                                    oid,
                                };
                            }
                            let mut out = FileOutcome::default();
                            read_document(&f.path, f.kind, bytes, use_cache, &mut out);
                            (out, oid, true)
                        }
                    };
                let entry = match (&f.stamp, cacheable && use_cache) {
                    (Some(stamp), true) => cache::Fresh {
                        path: &f.path,
                        kind: f.kind,
                        stamp: *stamp,
                        oid,
                        id: out.id.as_deref(),
                        findings: &out.findings,
                        tape: out.tape.as_deref(),
                    }
                    .encode(started),
                    _ => None,
                };
                out.tape = None;
                Outcome::read(out, entry, oid)
            }
        })
        .collect();
    let read = clock.elapsed();
    if use_cache && overlay.is_empty() && files.len() >= cache::min_files() {
        save_cache(root, old.as_ref(), &outcomes, kinds);
    }
    // Findings in file order, each file's own then a duplicate id's; the ids are borrowed from
    // the cache or the outcomes until the records are replayed.
    let mut blobs = Vec::with_capacity(files.len());
    let mut first: HashMap<Kind, HashMap<&str, usize>> = HashMap::default();
    let mut slots = Vec::with_capacity(files.len());
    let mut duplicates = Vec::new();
    for (n, (f, outcome)) in files.iter().zip(&outcomes).enumerate() {
        let id = match &outcome.slot {
            Slot::Hit(i) => old.as_ref().and_then(|c| c.id(*i)),
            Slot::Read { id, .. } => id.as_deref(),
        };
        if let Some(id) = id {
            let seen = first.entry(f.kind).or_default();
            match seen.get(id) {
                Some(&earlier) => duplicates.push((n, id.to_string(), earlier)),
                None => {
                    seen.insert(id, n);
                }
            }
        }
    }
    drop(first);
    let mut duplicates = duplicates.into_iter().peekable();
    for (n, (f, outcome)) in files.iter().zip(outcomes).enumerate() {
        blobs.push(outcome.oid);
        ws.findings.extend(outcome.findings);
        slots.push(outcome.slot);
        while let Some((_, id, earlier)) = duplicates.next_if(|d| d.0 == n) {
            ws.findings.push(Finding::new(
                &rules::DUPLICATE_ID,
                &f.path,
                At::value("id"),
                format!("id `{id}` is already used by {}; ids are unique per kind, give this one another id", files[earlier].path),
            ));
        }
    }
    ws.files = files.into_iter().map(|f| (f.path, f.kind)).collect();
    ws.blobs = blobs;
    if std::env::var_os("FRESK_STATS").is_some() {
        eprintln!(
            "fresk-load: walk_ms={} cache_open_ms={} files_ms={} assemble_ms={} files={}",
            ms(walk),
            ms(open),
            ms(read - found),
            ms(clock.elapsed() - read),
            ws.files.len()
        );
    }
    let mut staged = Staged {
        ws,
        cache: old,
        slots,
    };
    // fresk.yaml is every command's (its time zone): built now.
    let config: Vec<usize> = staged
        .ws
        .files
        .iter()
        .enumerate()
        .filter(|(_, (_, kind))| *kind == Kind::Config)
        .map(|(n, _)| n)
        .collect();
    staged.ws.config = staged.records().of::<Config>(&config).into_iter().next();
    Ok(staged)
}

/// What loading one file gave, before its record is replayed.
struct Outcome {
    findings: Vec<Finding>,
    slot: Slot,
    /// The file's new cache entry, when it was read from disk and can be cached.
    entry: Option<cache::Encoded>,
    oid: [u8; 20],
}

impl Outcome {
    fn read(out: FileOutcome, entry: Option<cache::Encoded>, oid: [u8; 20]) -> Outcome {
        Outcome {
            findings: out.findings,
            slot: Slot::Read {
                id: out.id,
                record: out.record,
            },
            entry,
            oid,
        }
    }
}

/// Where a file's id and typed record are.
enum Slot {
    /// Entry `n` of the cache, still valid: the record is its tape, replayed when asked for.
    Hit(usize),
    /// Read from disk or the overlay.
    Read {
        id: Option<String>,
        record: Option<Record>,
    },
}

/// A workspace loaded up to its records: every file, its blob id, and every finding of reading
/// the files are known, but the typed records (and the ids index) are not built yet. Most of a
/// large workspace's load, in time and memory, is building 188k records; a command that finds
/// what it needs without them (the rules' memo) asks for none or a few with
/// [`Staged::replay`].
pub struct Staged {
    ws: Workspace,
    cache: Option<cache::Cache>,
    slots: Vec<Slot>,
}

/// A kind of typed record, as it is taken out of a [`Record`].
trait Kinded: DeserializeOwned + Send + Sized {
    fn unpack(record: Record) -> Option<Self>;
}

macro_rules! kinded {
    ($($t:ident),*) => {$(
        impl Kinded for $t {
            fn unpack(record: Record) -> Option<Self> {
                match record {
                    Record::$t(v) => Some(*v),
                    _ => None,
                }
            }
        }
    )*};
}
kinded!(
    Config,
    Person,
    Organisation,
    Request,
    Mission,
    Session,
    Payout,
    Invoice,
    Declaration
);

impl Staged {
    /// The workspace as staged: `files`, `blobs`, `findings` and `config` are complete; no
    /// other record, no id.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The whole workspace: every record replayed.
    pub fn replay_all(self) -> Workspace {
        self.replay(|_, _| true)
    }

    /// The workspace with the records and ids of the files `wanted` accepts (path, kind); the
    /// lists of the other files stay empty, and `kinds` holds only the kinds whose every file
    /// was wanted. A workspace not wholly replayed is not for the rules.
    pub fn replay(mut self, wanted: impl Fn(&str, Kind) -> bool) -> Workspace {
        let t = std::time::Instant::now();
        let chosen: Vec<bool> = self
            .ws
            .files
            .iter()
            .map(|(p, k)| *k == Kind::Config || wanted(p, *k))
            .collect();
        let mut indexes: Vec<Vec<usize>> = vec![Vec::new(); Kind::ALL.len()];
        for (n, (_, kind)) in self.ws.files.iter().enumerate() {
            if chosen[n] {
                indexes[kind_slot(*kind)].push(n);
            } else {
                self.ws.kinds = self.ws.kinds.without(*kind);
            }
        }
        // Ids first, in file order: the first file with an id keeps it.
        let mut ids: HashMap<Kind, HashMap<String, String>> = HashMap::default();
        for (kind, of_kind) in Kind::ALL.iter().zip(&indexes) {
            let mut map = HashMap::with_capacity_and_hasher(of_kind.len(), Default::default());
            for &n in of_kind {
                if let Some(id) = self.id(n)
                    && !map.contains_key(id)
                {
                    map.insert(id.to_string(), self.ws.files[n].0.clone());
                }
            }
            if !map.is_empty() {
                ids.insert(*kind, map);
            }
        }
        let t_ids = t.elapsed();
        let mut records = self.records();
        let of = |kind: Kind| &indexes[kind_slot(kind)];
        let people = records.of::<Person>(of(Kind::Person));
        let organisations = records.of::<Organisation>(of(Kind::Organisation));
        let requests = records.of::<Request>(of(Kind::Request));
        let missions = records.of::<Mission>(of(Kind::Mission));
        let sessions = records.of::<Session>(of(Kind::Session));
        let payouts = records.of::<Payout>(of(Kind::Payout));
        let invoices = records.of::<Invoice>(of(Kind::Invoice));
        let declarations = records.of::<Declaration>(of(Kind::Declaration));
        let mut ws = self.ws;
        ws.ids = ids;
        ws.people = people;
        ws.organisations = organisations;
        ws.requests = requests;
        ws.missions = missions;
        ws.sessions = sessions;
        ws.payouts = payouts;
        ws.invoices = invoices;
        ws.declarations = declarations;
        if std::env::var_os("FRESK_STATS").is_some() {
            eprintln!(
                "fresk-replay: records={} ms={} ids_ms={}",
                chosen.iter().filter(|c| **c).count(),
                t.elapsed().as_millis(),
                t_ids.as_millis()
            );
        }
        ws
    }

    /// The id of file `n`, from its cache entry or as read.
    fn id(&self, n: usize) -> Option<&str> {
        match self.slots.get(n)? {
            Slot::Hit(i) => self.cache.as_ref()?.id(*i),
            Slot::Read { id, .. } => id.as_deref(),
        }
    }

    fn records(&mut self) -> Records<'_> {
        Records {
            root: &self.ws.root,
            files: &self.ws.files,
            slots: &mut self.slots,
            cache: self.cache.as_ref(),
        }
    }
}

/// Where [`Staged::replay`] takes each record from.
struct Records<'a> {
    root: &'a Path,
    files: &'a [(String, Kind)],
    slots: &'a mut [Slot],
    cache: Option<&'a cache::Cache>,
}

impl Records<'_> {
    /// The records of the files `indexes` (all of one kind, in order), in order, built on all
    /// cores: each read anew taken out of its slot, each hit replayed from its tape (read from
    /// disk again if the tape cannot be replayed). Files with no record (syntax or shape
    /// errors) have none.
    fn of<T: Kinded>(&mut self, indexes: &[usize]) -> Vec<Loaded<T>> {
        // The kind's slots, borrowed apart so that each core takes its own files' records.
        let mut mine: Vec<(usize, &mut Slot)> = Vec::with_capacity(indexes.len());
        let mut wanted = indexes.iter().copied().peekable();
        for (n, slot) in self.slots.iter_mut().enumerate() {
            if wanted.next_if_eq(&n).is_some() {
                mine.push((n, slot));
            }
        }
        let (root, files, cache) = (self.root, self.files, self.cache);
        // Each record written straight into its place (an indexed collect), then the files
        // with none dropped in place: `filter_map` is collected into the same allocation,
        // `flatten` is not (it grew a new list from nothing: 160 ms for 100k sessions).
        let placed: Vec<Option<Loaded<T>>> = mine
            .into_par_iter()
            .map(|(n, slot)| {
                let (path, kind) = files.get(n)?;
                let value = match slot {
                    Slot::Read { record, .. } => T::unpack(record.take()?)?,
                    Slot::Hit(i) => {
                        let replayed = match cache?.tape(*i) {
                            // No tape: the file could not be typed (its findings say why).
                            Ok(None) => return None,
                            Ok(Some(tape)) => cache::tape::replay::<T>(tape).ok(),
                            Err(_) => None,
                        };
                        match replayed {
                            Some(v) => v,
                            // A tape that cannot be replayed: the file is read again.
                            None => T::unpack(read_record(root, path, *kind)?)?,
                        }
                    }
                };
                Some(Loaded {
                    file: path.clone(),
                    value,
                })
            })
            .collect();
        #[allow(clippy::filter_map_identity)]
        placed.into_iter().filter_map(|r| r).collect()
    }
}

/// Write the next cache when this load changed what it should hold: a file of the kinds loaded
/// read anew, or an entry of those kinds no longer used (a file changed or deleted). The
/// entries of the kinds a partial load did not look at are carried over as they are: the walk
/// covers every file of the kinds it loads, so nothing it did not see is lost, and the next
/// full load still finds every entry (those of deleted files are dropped by the next full
/// load, which sees them unused).
fn save_cache(root: &Path, old: Option<&cache::Cache>, outcomes: &[Outcome], kinds: Kinds) {
    let loaded = |k: Option<Kind>| k.is_some_and(|k| kinds.has(k));
    let hits = outcomes
        .iter()
        .filter(|o| matches!(o.slot, Slot::Hit(_)))
        .count();
    let fresh = outcomes.iter().filter(|o| o.entry.is_some()).count();
    let restamped = outcomes
        .iter()
        .filter(|o| matches!(o.slot, Slot::Hit(_)) && o.entry.is_some())
        .count();
    let stale = old.is_some_and(|c| (0..c.len()).filter(|i| loaded(c.kind(*i))).count() != hits);
    if std::env::var_os("FRESK_STATS").is_some() {
        eprintln!(
            "fresk-cache: hits={hits} (restamped={restamped}) read={} written={}",
            outcomes.len() - hits,
            fresh > 0 || stale
        );
    }
    if fresh == 0 && !stale {
        return;
    }
    // Kept: the entries this load used, and those of the kinds it did not load.
    let mut kept = vec![false; old.map_or(0, cache::Cache::len)];
    for o in outcomes {
        // A hit under a new stamp is written anew (its `entry`), not carried over.
        if let (Slot::Hit(i), None) = (&o.slot, &o.entry)
            && let Some(k) = kept.get_mut(*i)
        {
            *k = true;
        }
    }
    let keep =
        |i: usize| kept.get(i).copied().unwrap_or(false) || old.is_some_and(|c| !loaded(c.kind(i)));
    let fresh = outcomes
        .iter()
        .filter_map(|o| o.entry.as_ref().map(cache::Encoded::entry));
    cache::save_next(root, old, keep, fresh);
}

/// Load only the files in `texts` (relative path → text), without reading the disk: e.g. the
/// base versions of the files a change touches. Files with no kind are skipped; the findings of
/// reading them are dropped (they belong to the base, not to the change).
pub fn load_texts(root: &Path, texts: &std::collections::BTreeMap<String, String>) -> Workspace {
    let mut ws = Workspace {
        root: root.to_path_buf(),
        ..Workspace::default()
    };
    for (path, text) in texts {
        let parts: Vec<&str> = path.split('/').collect();
        let Some(kind) = kind_of(&parts) else {
            continue;
        };
        let mut out = FileOutcome::default();
        read_document(path, kind, text.clone().into_bytes(), false, &mut out);
        if let Some(id) = out.id {
            ws.ids.entry(kind).or_default().insert(id, path.clone());
        }
        if let Some(record) = out.record {
            ws.push(path.clone(), record);
        }
        ws.files.push((path.clone(), kind));
    }
    ws
}

impl Workspace {
    fn push(&mut self, file: String, record: Record) {
        match record {
            Record::Config(v) => self.config = Some(Loaded { file, value: *v }),
            Record::Person(v) => self.people.push(Loaded { file, value: *v }),
            Record::Organisation(v) => self.organisations.push(Loaded { file, value: *v }),
            Record::Request(v) => self.requests.push(Loaded { file, value: *v }),
            Record::Mission(v) => self.missions.push(Loaded { file, value: *v }),
            Record::Session(v) => self.sessions.push(Loaded { file, value: *v }),
            Record::Payout(v) => self.payouts.push(Loaded { file, value: *v }),
            Record::Invoice(v) => self.invoices.push(Loaded { file, value: *v }),
            Record::Declaration(v) => self.declarations.push(Loaded { file, value: *v }),
        }
    }
}

fn at_start() -> At {
    At::Span(Span::point(Pos { line: 1, column: 1 }))
}

/// The typed record of file `rel`, read from disk: for a record whose cache tape cannot be
/// replayed. Never panics, whatever the bytes.
fn read_record(root: &Path, rel: &str, kind: Kind) -> Option<Record> {
    let Read::Bytes(bytes) = read_file(root, rel, None) else {
        return None;
    };
    let mut out = FileOutcome::default();
    read_document(rel, kind, bytes, false, &mut out);
    out.record
}

/// A file's bytes, or what reading it came to when there are none to parse.
enum Read {
    Bytes(Vec<u8>),
    /// Too large, or unreadable: the finding that says so, and whether it may be cached.
    Done(FileOutcome, bool),
}

fn read_file(root: &Path, rel: &str, size: Option<u64>) -> Read {
    let mut out = FileOutcome::default();
    let path = root.join(rel);
    let size = size.unwrap_or_else(|| std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0));
    if size > yaml::MAX_FILE_BYTES {
        out.findings.push(Finding::new(
            &rules::FILE_TOO_LARGE,
            rel,
            at_start(),
            format!(
                "this file is {size} bytes, over the {} byte limit; a fresk file is a few hundred bytes — split it or remove what does not belong",
                yaml::MAX_FILE_BYTES
            ),
        ));
        return Read::Done(out, true);
    }
    match std::fs::read(&path) {
        Ok(bytes) => Read::Bytes(bytes),
        Err(err) => {
            out.findings.push(Finding::new(
                &rules::YAML_SYNTAX,
                rel,
                at_start(),
                format!("cannot read this file: {err}"),
            ));
            Read::Done(out, false)
        }
    }
}

/// Check one file's bytes as a file of `kind`: every syntax and shape finding (the typed record
/// is dropped). Public so tests can feed the loader arbitrary input.
pub fn check_document(rel: &str, kind: Kind, bytes: Vec<u8>) -> Vec<Finding> {
    let mut out = FileOutcome::default();
    read_document(rel, kind, bytes, false, &mut out);
    out.findings
}

/// Decode, parse, shape-check and type one file's bytes; with `record`, also keep the tape of
/// the typed record for the cache.
fn read_document(rel: &str, kind: Kind, bytes: Vec<u8>, record: bool, out: &mut FileOutcome) {
    let decoded = match yaml::decode(bytes) {
        Ok(d) => d,
        Err(yaml::DecodeError::InvalidUtf8 { pos }) => {
            out.findings.push(Finding::new(
                &rules::ENCODING,
                rel,
                At::Span(Span::point(pos)),
                "this file is not valid UTF-8 here; save it as UTF-8",
            ));
            return;
        }
    };
    if decoded.had_bom {
        let mut f = Finding::new(
            &rules::ENCODING,
            rel,
            at_start(),
            "the file starts with a byte-order mark; save it as UTF-8 without BOM",
        );
        f.severity = Severity::Warning;
        out.findings.push(f);
    }
    if decoded.crlf {
        let mut f = Finding::new(
            &rules::ENCODING,
            rel,
            at_start(),
            "the file uses CRLF (Windows) line endings; save it with LF line endings so diffs stay clean",
        );
        f.severity = Severity::Warning;
        out.findings.push(f);
    }
    let markers = yaml::conflict_markers(&decoded.text);
    if !markers.is_empty() {
        for line in markers {
            out.findings.push(Finding::new(
                &rules::MERGE_CONFLICT,
                rel,
                At::Span(Span { start: Pos { line, column: 1 }, end: Pos { line, column: 8 } }),
                "leftover merge-conflict marker; resolve the conflict, keep the right lines and delete the markers",
            ));
        }
        return;
    }
    let parsed = yaml::parse(&decoded.text);
    for p in &parsed.problems {
        let rule = match p.kind {
            yaml::node::ProblemKind::Syntax => &rules::YAML_SYNTAX,
            yaml::node::ProblemKind::DuplicateKey => &rules::DUPLICATE_KEY,
        };
        let message = match p.kind {
            yaml::node::ProblemKind::Syntax => format!("invalid YAML: {}", p.message),
            yaml::node::ProblemKind::DuplicateKey => p.message.clone(),
        };
        out.findings
            .push(Finding::new(rule, rel, At::Span(p.span), message));
    }
    let Some(root_node) = parsed.root else {
        if parsed.problems.is_empty() {
            out.findings.push(Finding::new(
                &rules::NOT_A_MAPPING,
                rel,
                at_start(),
                format!(
                    "this file is empty; a {} file is a mapping of fields (see schema/{})",
                    kind.name(),
                    kind.schema_file()
                ),
            ));
        }
        return;
    };
    if !matches!(root_node.value, yaml::Value::Map(_)) {
        out.findings.push(Finding::new(
            &rules::NOT_A_MAPPING,
            rel,
            At::Span(root_node.span),
            format!(
                "this file is a {}, but a {} file is a mapping of `field: value` lines",
                root_node.kind_name(),
                kind.name()
            ),
        ));
        return;
    }
    out.id = check_id(rel, kind, &root_node, &mut out.findings);
    let before = out.findings.len();
    rules::shape::validate(schema::compiled(kind), &root_node, rel, &mut out.findings);
    let shape_errors = out.findings[before..]
        .iter()
        .any(|f| f.severity == Severity::Error);
    if shape_errors
        || parsed
            .problems
            .iter()
            .any(|p| p.kind == yaml::node::ProblemKind::Syntax)
    {
        return;
    }
    let mut tape = None;
    let mut ty = Typer {
        node: &root_node,
        rel,
        findings: &mut out.findings,
        tape: record.then_some(&mut tape),
    };
    out.record = match kind {
        Kind::Config => ty.typed().map(|c| Record::Config(Box::new(c))),
        Kind::Person => ty.typed().map(|v| Record::Person(Box::new(v))),
        Kind::Organisation => ty.typed().map(|v| Record::Organisation(Box::new(v))),
        Kind::Request => ty.typed().map(|v| Record::Request(Box::new(v))),
        Kind::Mission => ty.typed().map(|v| Record::Mission(Box::new(v))),
        Kind::Session => ty.typed().map(|v| Record::Session(Box::new(v))),
        Kind::Payout => ty.typed().map(|v| Record::Payout(Box::new(v))),
        Kind::Invoice => ty.typed().map(|v| Record::Invoice(Box::new(v))),
        Kind::Declaration => ty.typed().map(|v| Record::Declaration(Box::new(v))),
    };
    out.tape = tape;
}

/// Types a file's tree, recording the tape of the record when asked.
struct Typer<'a> {
    node: &'a Node,
    rel: &'a str,
    findings: &'a mut Vec<Finding>,
    tape: Option<&'a mut Option<Vec<u8>>>,
}

impl Typer<'_> {
    fn typed<T: DeserializeOwned>(&mut self) -> Option<T> {
        let de = yaml::de::NodeDeserializer(self.node);
        let result = match self.tape.as_deref_mut() {
            Some(slot) => {
                let (value, tape) = cache::tape::record::<T, _>(de);
                if value.is_ok() {
                    *slot = Some(tape);
                }
                value
            }
            None => T::deserialize(de),
        };
        match result {
            Ok(v) => Some(v),
            Err(err) => {
                self.findings.push(Finding::new(
                    &rules::WRONG_TYPE,
                    self.rel,
                    At::Span(self.node.span),
                    format!("cannot read this file: {err}"),
                ));
                None
            }
        }
    }
}

/// The id of the file from its `id` field, checked against the file (or folder) name.
fn check_id(rel: &str, kind: Kind, root: &Node, findings: &mut Vec<Finding>) -> Option<String> {
    if kind == Kind::Config {
        return Some(CONFIG_FILE.into());
    }
    let parts: Vec<&str> = rel.split('/').collect();
    let expected = if kind == Kind::Mission {
        parts.get(1).copied().unwrap_or_default().to_string()
    } else {
        parts
            .last()
            .copied()
            .unwrap_or_default()
            .trim_end_matches(".yaml")
            .to_string()
    };
    let entry = root.get("id")?;
    let id = entry.value.as_str()?.to_string();
    if id != expected {
        let place = if kind == Kind::Mission {
            "folder"
        } else {
            "file"
        };
        findings.push(Finding::new(
            &rules::ID_FILENAME,
            rel,
            At::Span(entry.value.span),
            format!("id `{id}` does not match the {place} name `{expected}`; ids never change, so rename the {place} or fix the id"),
        ));
    }
    if kind == Kind::Session {
        let folder = parts.get(1).copied().unwrap_or_default();
        if let Some(m) = root.get("mission")
            && let Some(mission) = m.value.as_str()
            && mission != folder
        {
            findings.push(Finding::new(
                &rules::ID_FILENAME,
                rel,
                At::Span(m.value.span),
                format!("this session lives under missions/{folder}/ but says `mission: {mission}`; move the file or fix the field"),
            ));
        }
    }
    Some(id)
}

/// Is `path` (from a data file) a relative path that stays inside `private/`?
pub fn is_private_path(path: &str) -> bool {
    let p = Path::new(path);
    let mut comps = p.components();
    matches!(comps.next(), Some(Component::Normal(first)) if first == "private")
        && comps.all(|c| matches!(c, Component::Normal(_)))
}

impl Workspace {
    pub fn has_id(&self, kind: Kind, id: &str) -> bool {
        self.ids.get(&kind).is_some_and(|m| m.contains_key(id))
    }

    pub fn person(&self, id: &str) -> Option<&Loaded<Person>> {
        self.people.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SESSION: &str = "id: M2026-0001-S01\nmission: M2026-0001\nstate: held\noffer: workshop-onsite\nstart: 2026-04-14 09:00\nend: 2026-04-14 12:00\nfacilitators:\n  - { person: cleo, role: lead, status: paid }\nparticipants: { expected: 15, attended: 14 }\n";

    fn kind_strategy() -> impl Strategy<Value = Kind> {
        prop::sample::select(Kind::ALL.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048), kind in kind_strategy()) {
            let _ = check_document("people/x.yaml", kind, bytes);
        }

        #[test]
        fn random_yaml_like_text_never_panics(
            text in "([a-z_]{1,8}: ?([-\\[\\]{},&*!|>'\"#: 0-9a-z.]{0,12})\n( {0,4}- ?)?){0,30}",
            kind in kind_strategy(),
        ) {
            let _ = check_document("missions/M2026-0001/sessions/x.yaml", kind, text.into_bytes());
        }

        #[test]
        fn mutated_real_files_never_panic(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..12),
            kind in kind_strategy(),
        ) {
            let mut bytes = SESSION.as_bytes().to_vec();
            for (at, byte, op) in edits {
                let i = at.index(bytes.len() + 1);
                match op {
                    0 => bytes.insert(i.min(bytes.len()), byte),
                    1 if i < bytes.len() => { bytes.remove(i); }
                    _ if i < bytes.len() => bytes[i] = byte,
                    _ => {}
                }
            }
            let _ = check_document("missions/M2026-0001/sessions/M2026-0001-S01.yaml", kind, bytes);
        }
    }

    #[test]
    fn a_valid_session_has_no_findings() {
        let found = check_document(
            "missions/M2026-0001/sessions/M2026-0001-S01.yaml",
            Kind::Session,
            SESSION.into(),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_staged_workspace_builds_the_records_asked_for() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let whole = load(&root).expect("loads");
        let staged = stage(&root, &Overlay::new()).expect("stages");
        // Before any record: every file, blob and finding, and fresk.yaml.
        assert_eq!(staged.workspace().files, whole.files);
        assert_eq!(staged.workspace().blobs, whole.blobs);
        assert!(staged.workspace().config.is_some());
        assert!(staged.workspace().sessions.is_empty() && staged.workspace().ids.is_empty());
        // Only the missions, and one session.
        let session = whole.sessions[0].file.clone();
        let some = staged.replay(|path, kind| kind == Kind::Mission || path == session);
        assert_eq!(some.missions.len(), whole.missions.len());
        assert_eq!(some.sessions.len(), 1);
        assert!(some.people.is_empty() && some.payouts.is_empty());
        assert!(some.kinds.has(Kind::Mission) && some.kinds.has(Kind::Config));
        assert!(!some.kinds.has(Kind::Session) && !some.kinds.has(Kind::Person));
        assert_eq!(some.ids.get(&Kind::Mission), whole.ids.get(&Kind::Mission));
        assert_eq!(some.ids.get(&Kind::Session).map(|m| m.len()), Some(1));
        // All of them: the same workspace as a load.
        let all = stage(&root, &Overlay::new()).expect("stages").replay_all();
        assert_eq!(all.kinds, Kinds::ALL);
        assert_eq!(all.ids, whole.ids);
        let files = |ws: &Workspace| {
            (
                ws.people.iter().map(|r| r.file.clone()).collect::<Vec<_>>(),
                ws.sessions
                    .iter()
                    .map(|r| r.file.clone())
                    .collect::<Vec<_>>(),
                ws.payouts
                    .iter()
                    .map(|r| r.file.clone())
                    .collect::<Vec<_>>(),
                ws.invoices.len() + ws.requests.len() + ws.organisations.len(),
            )
        };
        assert_eq!(files(&all), files(&whole));
    }

    #[test]
    fn kinds_come_from_places() {
        assert_eq!(
            kind_of(&["requests", "2026", "R2026-0001.yaml"]),
            Some(Kind::Request)
        );
        assert_eq!(kind_of(&["requests", "R2026-0001.yaml"]), None);
        assert_eq!(
            kind_of(&["missions", "M1", "mission.yaml"]),
            Some(Kind::Mission)
        );
        assert_eq!(
            kind_of(&["missions", "M1", "sessions", "S1.yaml"]),
            Some(Kind::Session)
        );
        assert_eq!(kind_of(&["missions", "M1", "notes.yaml"]), None);
    }

    #[test]
    fn private_paths() {
        assert!(is_private_path("private/rosters/x.yaml"));
        assert!(!is_private_path("../private/x.yaml"));
        assert!(!is_private_path("private/../x.yaml"));
        assert!(!is_private_path("/private/x.yaml"));
        assert!(!is_private_path("people/x.yaml"));
    }
}
