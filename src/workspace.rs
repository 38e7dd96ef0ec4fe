//! The workspace: found by walking up to `fresk.yaml`, every file's kind taken from its place,
//! every file loaded in parallel into compact typed records (the YAML trees are dropped).

use crate::diagnostics::{At, Finding, Severity};
use crate::model::{
    Config, Declaration, Invoice, Kind, Mission, Organisation, Payout, Person, Request, Session,
};
use crate::rules;
use crate::schema;
use crate::yaml::{self, Node, Pos, Span};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
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

enum Entry {
    File(String, Kind),
    Finding(Finding),
}

fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn discover(root: &Path) -> Vec<Entry> {
    let mut entries = vec![Entry::File(CONFIG_FILE.to_string(), Kind::Config)];
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for dir in DATA_DIRS {
        let top = root.join(dir);
        if !top.is_dir() {
            continue;
        }
        let walker = walkdir::WalkDir::new(&top)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
        for item in walker {
            let Ok(item) = item else { continue };
            let Ok(rel) = item.path().strip_prefix(root) else {
                continue;
            };
            let rel_s = rel_string(rel);
            let file_type = item.file_type();
            if file_type.is_symlink() {
                let inside = item
                    .path()
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&canonical_root));
                if !inside {
                    entries.push(Entry::Finding(Finding::new(
                        &rules::SYMLINK_ESCAPE,
                        &rel_s,
                        At::Span(Span::point(Pos { line: 1, column: 1 })),
                        "this symbolic link points outside the workspace (or nowhere); replace it with the file itself",
                    )));
                    continue;
                }
                if !item.path().is_file() {
                    continue;
                }
            } else if !file_type.is_file() {
                continue;
            }
            let name = item.file_name().to_string_lossy();
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                continue;
            }
            let parts: Vec<&str> = rel_s.split('/').collect();
            match kind_of(&parts) {
                Some(kind) => entries.push(Entry::File(rel_s, kind)),
                None => entries.push(Entry::Finding(Finding::new(
                    &rules::MISPLACED_FILE,
                    &rel_s,
                    At::Span(Span::point(Pos { line: 1, column: 1 })),
                    misplaced_hint(&parts),
                ))),
            }
        }
    }
    entries
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
}

enum Record {
    Config(Box<Config>),
    Person(Person),
    Organisation(Organisation),
    Request(Request),
    Mission(Mission),
    Session(Session),
    Payout(Payout),
    Invoice(Invoice),
    Declaration(Declaration),
}

/// Files as a command is about to write them, keyed by path relative to the root: `Some(text)`
/// replaces or creates a file, `None` deletes it. Loading through an overlay shows what the
/// workspace would be after the command, before anything touches the disk.
pub type Overlay = std::collections::BTreeMap<String, Option<String>>;

/// Open the workspace whose root is `root` and load every file.
pub fn load(root: &Path) -> Result<Workspace, OpenError> {
    load_with(root, &Overlay::new())
}

/// Load the workspace as it would be with `overlay` applied.
pub fn load_with(root: &Path, overlay: &Overlay) -> Result<Workspace, OpenError> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(OpenError::NotFound(root.to_path_buf()));
    }
    let mut entries = discover(root);
    entries.retain(|e| match e {
        Entry::File(path, _) | Entry::Finding(Finding { file: path, .. }) => {
            !matches!(overlay.get(path), Some(None))
        }
    });
    for (path, text) in overlay {
        let on_disk = entries
            .iter()
            .any(|e| matches!(e, Entry::File(p, _) if p == path));
        if text.is_some() && !on_disk {
            let parts: Vec<&str> = path.split('/').collect();
            if let Some(kind) = kind_of(&parts) {
                entries.push(Entry::File(path.clone(), kind));
            }
        }
    }
    let mut ws = Workspace {
        root: root.to_path_buf(),
        ..Workspace::default()
    };
    let mut files = Vec::new();
    for entry in entries {
        match entry {
            Entry::File(path, kind) => files.push((path, kind)),
            Entry::Finding(f) => ws.findings.push(f),
        }
    }
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .map(|(path, kind)| match overlay.get(path) {
            Some(Some(text)) => {
                let mut out = FileOutcome::default();
                read_document(path, *kind, text.clone().into_bytes(), &mut out);
                out
            }
            _ => load_file(root, path, *kind),
        })
        .collect();
    for ((path, kind), outcome) in files.iter().zip(outcomes) {
        ws.findings.extend(outcome.findings);
        if let Some(id) = outcome.id {
            let ids = ws.ids.entry(*kind).or_default();
            if let Some(first) = ids.get(&id) {
                ws.findings.push(Finding::new(
                    &rules::DUPLICATE_ID,
                    path,
                    At::value("id"),
                    format!("id `{id}` is already used by {first}; ids are unique per kind, give this one another id"),
                ));
            } else {
                ids.insert(id, path.clone());
            }
        }
        if let Some(record) = outcome.record {
            ws.push(path.clone(), record);
        }
    }
    ws.files = files;
    Ok(ws)
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
        read_document(path, kind, text.clone().into_bytes(), &mut out);
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
            Record::Person(v) => self.people.push(Loaded { file, value: v }),
            Record::Organisation(v) => self.organisations.push(Loaded { file, value: v }),
            Record::Request(v) => self.requests.push(Loaded { file, value: v }),
            Record::Mission(v) => self.missions.push(Loaded { file, value: v }),
            Record::Session(v) => self.sessions.push(Loaded { file, value: v }),
            Record::Payout(v) => self.payouts.push(Loaded { file, value: v }),
            Record::Invoice(v) => self.invoices.push(Loaded { file, value: v }),
            Record::Declaration(v) => self.declarations.push(Loaded { file, value: v }),
        }
    }
}

fn at_start() -> At {
    At::Span(Span::point(Pos { line: 1, column: 1 }))
}

/// Read, decode, parse, shape-check and type one file. Never panics, whatever the bytes.
fn load_file(root: &Path, rel: &str, kind: Kind) -> FileOutcome {
    let mut out = FileOutcome::default();
    let path = root.join(rel);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
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
        return out;
    }
    match std::fs::read(&path) {
        Ok(bytes) => read_document(rel, kind, bytes, &mut out),
        Err(err) => out.findings.push(Finding::new(
            &rules::YAML_SYNTAX,
            rel,
            at_start(),
            format!("cannot read this file: {err}"),
        )),
    }
    out
}

/// Check one file's bytes as a file of `kind`: every syntax and shape finding (the typed record
/// is dropped). Public so tests can feed the loader arbitrary input.
pub fn check_document(rel: &str, kind: Kind, bytes: Vec<u8>) -> Vec<Finding> {
    let mut out = FileOutcome::default();
    read_document(rel, kind, bytes, &mut out);
    out.findings
}

fn read_document(rel: &str, kind: Kind, bytes: Vec<u8>, out: &mut FileOutcome) {
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
    let record = match kind {
        Kind::Config => {
            typed(&root_node, rel, &mut out.findings).map(|c| Record::Config(Box::new(c)))
        }
        Kind::Person => typed(&root_node, rel, &mut out.findings).map(Record::Person),
        Kind::Organisation => typed(&root_node, rel, &mut out.findings).map(Record::Organisation),
        Kind::Request => typed(&root_node, rel, &mut out.findings).map(Record::Request),
        Kind::Mission => typed(&root_node, rel, &mut out.findings).map(Record::Mission),
        Kind::Session => typed(&root_node, rel, &mut out.findings).map(Record::Session),
        Kind::Payout => typed(&root_node, rel, &mut out.findings).map(Record::Payout),
        Kind::Invoice => typed(&root_node, rel, &mut out.findings).map(Record::Invoice),
        Kind::Declaration => typed(&root_node, rel, &mut out.findings).map(Record::Declaration),
    };
    out.record = record;
}

fn typed<T: DeserializeOwned>(node: &Node, rel: &str, findings: &mut Vec<Finding>) -> Option<T> {
    match yaml::de::from_node(node) {
        Ok(v) => Some(v),
        Err(err) => {
            findings.push(Finding::new(
                &rules::WRONG_TYPE,
                rel,
                At::Span(node.span),
                format!("cannot read this file: {err}"),
            ));
            None
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
