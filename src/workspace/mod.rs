//! The workspace: found by walking up to `fresk.yaml`, every file's kind taken from its place
//! ([`walk`]), every file read ([`crate::document`]) or taken from the load cache, all cores at
//! once, into typed records ([`load`]).

mod load;
pub mod roster;
mod walk;

pub use crate::model::is_private_path;
pub use load::Staged;
pub use walk::{
    CONFIG_FILE, DATA_DIRS, FILE_TOO_LARGE, MISPLACED_FILE, RULES, STATE_FILE, SYMLINK_ESCAPE,
    kind_of,
};

use crate::HashMap;
use crate::blob::ObjectId;
use crate::diagnostics::Finding;
use crate::document::{self, Record};
use crate::model::{
    Complaint, Config, Declaration, Interactions, Invoice, Kind, Mission, Organisation, Payout,
    Person, Request, Session,
};
use std::path::{Path, PathBuf};

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
    pub blobs: Vec<ObjectId>,
    pub config: Option<Loaded<Config>>,
    pub people: Vec<Loaded<Person>>,
    pub organisations: Vec<Loaded<Organisation>>,
    pub requests: Vec<Loaded<Request>>,
    pub missions: Vec<Loaded<Mission>>,
    pub sessions: Vec<Loaded<Session>>,
    pub payouts: Vec<Loaded<Payout>>,
    pub invoices: Vec<Loaded<Invoice>>,
    pub declarations: Vec<Loaded<Declaration>>,
    /// `interactions/<organisation>/<year>.yaml`, one file per organisation and year.
    pub interactions: Vec<Loaded<Interactions>>,
    pub complaints: Vec<Loaded<Complaint>>,
    /// Ids of every file per kind, including files that could not be fully read, so that one
    /// broken file does not make every reference to it a finding too.
    pub ids: HashMap<Kind, HashMap<String, String>>,
    /// Two files of one kind with one id (each after the first file with that id).
    pub duplicates: Vec<Duplicate>,
    /// The ids of the files that have no record (their shape is wrong): file, kind, id.
    pub loose_ids: Vec<(String, Kind, String)>,
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

/// Two files of one kind sharing an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub kind: Kind,
    pub id: String,
    /// The later file, which must change its id.
    pub file: String,
    /// The first file with that id.
    pub first: String,
}

/// Why a workspace could not be opened at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "no fresk workspace in {} or any parent folder (looked for {CONFIG_FILE}); run `fresk init` or pass -C DIR",
        .0.display()
    )]
    NotFound(PathBuf),
    #[error("cannot read {}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
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

/// The ids of one kind's files — its records' (file, id), in walk order, and its files without
/// a record from `loose` — each to the first file that has it; the later ones go to
/// `duplicates`.
fn index_kind<'a>(
    kind: Kind,
    records: impl Iterator<Item = (&'a str, &'a str)>,
    loose: &'a [(String, Kind, String)],
    duplicates: &mut Vec<Duplicate>,
) -> HashMap<String, String> {
    let mut loose: Vec<(&str, &str)> = loose
        .iter()
        .filter(|(_, k, _)| *k == kind)
        .map(|(file, _, id)| (file.as_str(), id.as_str()))
        .collect();
    loose.sort_by(|a, b| {
        if walk::before(a.0, b.0) {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    });
    let mut loose = loose.into_iter().peekable();
    let mut records = records.peekable();
    let mut ids: HashMap<String, String> = HashMap::default();
    // Both lists are in walk order: merged, the first file with an id keeps it.
    loop {
        let next = match (records.peek(), loose.peek()) {
            (Some(r), Some(l)) if walk::before(l.0, r.0) => loose.next(),
            (Some(_), _) => records.next(),
            (None, _) => loose.next(),
        };
        let Some((file, id)) = next else { break };
        match ids.get(id) {
            Some(first) => duplicates.push(Duplicate {
                kind,
                id: id.to_string(),
                file: file.to_string(),
                first: first.clone(),
            }),
            None => {
                ids.insert(id.to_string(), file.to_string());
            }
        }
    }
    ids
}

/// Files as a command is about to write them (see [`crate::store::Changes`]): loading through
/// an overlay shows what the workspace would be after the command, before anything touches the
/// disk.
pub type Overlay = crate::store::Changes;

/// Open the workspace whose root is `root` and load every file.
pub fn load(root: &Path) -> Result<Workspace, OpenError> {
    Ok(stage(root, &Overlay::new())?.replay_all())
}

/// [`load`] without the load cache, reading every file.
pub fn load_uncached(root: &Path) -> Result<Workspace, OpenError> {
    Ok(load::stage_kinds(root, &Overlay::new(), Kinds::ALL, false)?.replay_all())
}

/// Load only the files of `kinds` (and fresk.yaml): for a command that reads a few kinds, e.g. a
/// report. Only the folders holding them are walked (`missions/*/sessions/` only when sessions
/// are asked for); the other lists of the workspace stay empty, and so do their `ids`, so the
/// result is not for the rules. The cache is read, and written when a file of these kinds was
/// read anew (or deleted), keeping every entry of the other kinds as it was.
pub fn load_kinds(root: &Path, kinds: &[Kind]) -> Result<Workspace, OpenError> {
    Ok(load::stage_kinds(
        root,
        &Overlay::new(),
        Kinds::of(kinds),
        crate::cache::enabled(),
    )?
    .replay_all())
}

/// Load the workspace as it would be with `overlay` applied. Files the overlay does not touch
/// come from the cache when their stamp is unchanged, else from disk.
pub fn load_with(root: &Path, overlay: &Overlay) -> Result<Workspace, OpenError> {
    Ok(stage(root, overlay)?.replay_all())
}

/// [`load_with`] up to the records: they are built by [`Staged::replay`], for the files wanted.
pub fn stage(root: &Path, overlay: &Overlay) -> Result<Staged, OpenError> {
    load::stage_kinds(root, overlay, Kinds::ALL, crate::cache::enabled())
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
        let read = document::read(path, kind, text.clone().into_bytes());
        if let Some(id) = read.id {
            ws.ids.entry(kind).or_default().insert(id, path.clone());
        }
        if let Some(record) = read.record {
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
            Record::Interactions(v) => self.interactions.push(Loaded { file, value: *v }),
            Record::Complaint(v) => self.complaints.push(Loaded { file, value: *v }),
        }
    }

    /// Index every file's id: per kind, each id to the first file (in walk order) that has it,
    /// the later ones listed in `duplicates`. Files with a record give its id; files without one
    /// (shape errors) the id read, from `loose_ids`.
    fn index_ids(&mut self) {
        let mut ids: HashMap<Kind, HashMap<String, String>> = HashMap::default();
        let mut duplicates = Vec::new();
        macro_rules! ids_of {
            ($($list:ident => $kind:ident),*) => {$({
                let records = self.$list.iter().map(|r| (r.file.as_str(), r.id.as_str()));
                let of_kind = index_kind(Kind::$kind, records, &self.loose_ids, &mut duplicates);
                if !of_kind.is_empty() {
                    ids.insert(Kind::$kind, of_kind);
                }
            })*};
        }
        ids_of!(people => Person, organisations => Organisation, requests => Request,
            missions => Mission, sessions => Session, payouts => Payout, invoices => Invoice,
            declarations => Declaration, complaints => Complaint);
        self.ids = ids;
        self.duplicates = duplicates;
    }

    /// Apply `changes` to this wholly loaded workspace, as [`load_with`] would have read it: the
    /// files written are read from their new text, the files deleted dropped, the ids indexed
    /// again. Returns the changes that undo these (the texts on disk), for a command that must
    /// also check the workspace as it is.
    pub fn overlay(&mut self, changes: &Overlay) -> Overlay {
        let mut undo = Overlay::new();
        let hash = crate::cache::enabled();
        for (path, text) in changes {
            undo.insert(
                path.clone(),
                std::fs::read_to_string(self.root.join(path)).ok(),
            );
            self.remove_file(path);
            let Some(text) = text else { continue };
            let parts: Vec<&str> = path.split('/').collect();
            let Some(kind) = kind_of(&parts) else {
                continue;
            };
            let read = document::read(path, kind, text.clone().into_bytes());
            let at = self.files.partition_point(|(p, _)| walk::before(p, path));
            self.files.insert(at, (path.clone(), kind));
            self.blobs.insert(
                at,
                if hash {
                    crate::blob::blob_id(text.as_bytes())
                } else {
                    [0; 20]
                },
            );
            self.findings.extend(read.findings);
            match read.record {
                Some(record) => self.insert(path.clone(), record),
                None => self
                    .loose_ids
                    .extend(read.id.map(|id| (path.clone(), kind, id))),
            }
        }
        self.index_ids();
        undo
    }

    /// Drop everything this workspace holds of file `path`.
    fn remove_file(&mut self, path: &str) {
        if let Some(n) = self.files.iter().position(|(p, _)| p == path) {
            self.files.remove(n);
            self.blobs.remove(n);
        }
        self.findings.retain(|f| f.file != path);
        self.loose_ids.retain(|(p, _, _)| p != path);
        if self.config.as_ref().is_some_and(|c| c.file == path) {
            self.config = None;
        }
        macro_rules! drop_from {
            ($($list:ident),*) => {$( self.$list.retain(|r| r.file != path); )*};
        }
        drop_from!(
            people,
            organisations,
            requests,
            missions,
            sessions,
            payouts,
            invoices,
            declarations,
            interactions,
            complaints
        );
    }

    /// Put a record read anew in its list, at its place in walk order.
    fn insert(&mut self, file: String, record: Record) {
        fn place<T>(list: &mut Vec<Loaded<T>>, file: String, value: T) {
            let at = list.partition_point(|r| walk::before(&r.file, &file));
            list.insert(at, Loaded { file, value });
        }
        match record {
            Record::Config(v) => self.config = Some(Loaded { file, value: *v }),
            Record::Person(v) => place(&mut self.people, file, *v),
            Record::Organisation(v) => place(&mut self.organisations, file, *v),
            Record::Request(v) => place(&mut self.requests, file, *v),
            Record::Mission(v) => place(&mut self.missions, file, *v),
            Record::Session(v) => place(&mut self.sessions, file, *v),
            Record::Payout(v) => place(&mut self.payouts, file, *v),
            Record::Invoice(v) => place(&mut self.invoices, file, *v),
            Record::Declaration(v) => place(&mut self.declarations, file, *v),
            Record::Interactions(v) => place(&mut self.interactions, file, *v),
            Record::Complaint(v) => place(&mut self.complaints, file, *v),
        }
    }
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
            let _ = crate::document::check_document("people/x.yaml", kind, bytes);
        }

        #[test]
        fn random_yaml_like_text_never_panics(
            text in "([a-z_]{1,8}: ?([-\\[\\]{},&*!|>'\"#: 0-9a-z.]{0,12})\n( {0,4}- ?)?){0,30}",
            kind in kind_strategy(),
        ) {
            let _ = crate::document::check_document("missions/M2026-0001/sessions/x.yaml", kind, text.into_bytes());
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
            let _ = crate::document::check_document("missions/M2026-0001/sessions/M2026-0001-S01.yaml", kind, bytes);
        }
    }

    #[test]
    fn a_valid_session_has_no_findings() {
        let found = crate::document::check_document(
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

    /// Everything a workspace holds, to compare two.
    fn summary(ws: &Workspace) -> String {
        let mut findings: Vec<String> = ws.findings.iter().map(|f| format!("{f:?}")).collect();
        findings.sort();
        format!(
            "{:?}\n{:?}\n{findings:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            ws.files,
            ws.blobs,
            ws.ids
                .iter()
                .map(|(k, m)| (k, m.iter().collect::<std::collections::BTreeMap<_, _>>()))
                .collect::<std::collections::BTreeMap<_, _>>(),
            ws.duplicates,
            {
                let mut loose = ws.loose_ids.clone();
                loose.sort();
                loose
            },
            ws.config.as_ref().map(|c| &c.file),
            ws.people
                .iter()
                .map(|r| (&r.file, &r.value.id))
                .collect::<Vec<_>>(),
            ws.organisations.iter().map(|r| &r.file).collect::<Vec<_>>(),
            ws.requests
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>(),
            ws.missions
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>(),
            ws.sessions
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>(),
            ws.payouts
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>(),
            ws.invoices
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>(),
            ws.declarations
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>(),
        )
    }

    /// A command checks the workspace as it would be by laying its planned files over the
    /// workspace it loaded: the same workspace as loading the files through the overlay.
    #[test]
    fn an_overlay_on_a_loaded_workspace_is_the_workspace_loaded_through_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let whole = load(&root).expect("loads");
        let session = whole.sessions[2].file.clone();
        let text = std::fs::read_to_string(root.join(&session)).expect("reads");
        let mut changes = Overlay::new();
        changes.insert(
            session.clone(),
            Some(text.replace("state:", "state: broken\nx:")),
        );
        changes.insert(whole.payouts[0].file.clone(), None);
        changes.insert(
            "missions/M2026-0005/sessions/M2026-0005-S99.yaml".into(),
            Some(text.replace(&whole.sessions[2].value.id, "M2026-0005-S99")),
        );
        changes.insert(
            "people/aaa.yaml".into(),
            Some("id: camille-dupont\nname: A\n".into()),
        );
        let expected = load_with(&root, &changes).expect("loads");
        let mut overlaid = load(&root).expect("loads");
        let undo = overlaid.overlay(&changes);
        let (got, want) = (summary(&overlaid), summary(&expected));
        for (n, (a, b)) in got.lines().zip(want.lines()).enumerate() {
            assert_eq!(a, b, "part {n} differs");
        }
        assert!(!overlaid.duplicates.is_empty() && !overlaid.loose_ids.is_empty());
        overlaid.overlay(&undo);
        let (got, want) = (summary(&overlaid), summary(&whole));
        for (n, (a, b)) in got.lines().zip(want.lines()).enumerate() {
            assert_eq!(a, b, "part {n} differs after the undo");
        }
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
