//! Loading: every file the walk found, from the load cache when it has not changed, else read
//! and parsed — all cores at once — and the typed records built only when asked for.

use super::walk::{self, Entry, Found};
use super::{Kinds, Loaded, OpenError, Overlay, Workspace, kind_of, kind_slot};
use crate::blob::{self, ObjectId};
use crate::cache::{self, Cache};
use crate::diagnostics::Finding;
use crate::document::{self, Record};
use crate::model::{
    Complaint, Config, Declaration, Interactions, Invoice, Kind, Mission, Organisation, Payout,
    Person, Request, Session,
};

use crate::yaml;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Where a file's typed record is, until it is built.
enum Slot {
    /// Entry `n` of the cache: the record is decoded when asked for.
    Hit(usize),
    /// Read from disk or the overlay.
    Read {
        id: Option<String>,
        record: Option<Record>,
    },
}

/// What loading one file gave, before its record is built.
struct Outcome {
    findings: Vec<Finding>,
    slot: Slot,
    /// The record encoded for the cache, when the file was read anew, is clean and not racy.
    encoded: Option<Vec<u8>>,
    blob: ObjectId,
}

/// A workspace loaded up to its records: every file, its blob id and every finding of reading
/// the files are known, and fresk.yaml is built, but the other typed records (and the ids) are
/// not. A command that finds what it needs without them (the rules' memo) asks for none or a
/// few with [`Staged::replay`].
pub struct Staged {
    ws: Workspace,
    cache: Option<Cache>,
    slots: Vec<Slot>,
    /// The ids of the files built so far that have no record.
    loose_ids: Vec<(String, Kind, String)>,
}

pub(super) fn stage_kinds(
    root: &Path,
    overlay: &Overlay,
    kinds: Kinds,
    use_cache: bool,
) -> Result<Staged, OpenError> {
    if !root.join(walk::CONFIG_FILE).is_file() {
        return Err(OpenError::NotFound(root.to_path_buf()));
    }
    let started = cache::now_ns();
    let clock = std::time::Instant::now();
    let ((entries, walked), cache) = rayon::join(
        || (walk::discover(root, kinds), clock.elapsed()),
        || use_cache.then(|| Cache::open(root)).flatten(),
    );
    let mut ws = Workspace {
        root: root.to_path_buf(),
        kinds,
        ..Workspace::default()
    };
    let mut files: Vec<Found> = Vec::with_capacity(entries.len());
    for entry in entries {
        match entry {
            Entry::File(f) if kinds.has(f.kind) && !matches!(overlay.get(&f.path), Some(None)) => {
                files.push(f);
            }
            Entry::File(_) => {}
            Entry::Finding(f) if !matches!(overlay.get(&f.file), Some(None)) => {
                ws.findings.push(f);
            }
            Entry::Finding(_) => {}
        }
    }
    // Files the overlay creates.
    for (path, text) in overlay {
        if text.is_some() && !files.iter().any(|f| f.path == *path) {
            let parts: Vec<&str> = path.split('/').collect();
            if let Some(kind) = kind_of(&parts).filter(|k| kinds.has(*k)) {
                // At its place in walk order, as the next walk will list it.
                let at = files.partition_point(|f| walk::before(&f.path, path));
                files.insert(
                    at,
                    Found {
                        path: path.clone(),
                        kind,
                        stamp: None,
                    },
                );
            }
        }
    }
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|f| match overlay.get(&f.path) {
            Some(Some(text)) => {
                let read = document::read(&f.path, f.kind, text.clone().into_bytes());
                Outcome::read(read, blob::blob_id(text.as_bytes()), false)
            }
            _ => {
                if let (Some(cache), Some(stamp)) = (&cache, &f.stamp)
                    && let Some(hit) = cache.lookup(&f.path, f.kind, stamp)
                {
                    return Outcome {
                        findings: Vec::new(),
                        slot: Slot::Hit(hit.index),
                        encoded: None,
                        blob: hit.blob,
                    };
                }
                let cacheable = use_cache && f.stamp.is_some_and(|s| !s.racy(started));
                let read = Reading {
                    hash: use_cache,
                    encode: cacheable,
                };
                read_file(root, &f.path, f.kind, f.stamp.map(|s| s.size), read)
            }
        })
        .collect();
    let read = clock.elapsed();
    if use_cache && overlay.is_empty() && files.len() >= cache::min_files() {
        save_cache(root, cache.as_ref(), &files, &outcomes, kinds);
    }
    let mut slots = Vec::with_capacity(files.len());
    ws.blobs.reserve(files.len());
    for outcome in outcomes {
        ws.blobs.push(outcome.blob);
        ws.findings.extend(outcome.findings);
        slots.push(outcome.slot);
    }
    ws.files = files.into_iter().map(|f| (f.path, f.kind)).collect();
    crate::stats::line(|| {
        format!(
            "fresk-load: walk_ms={} files_ms={} files={}",
            walked.as_millis(),
            (read - walked).as_millis(),
            ws.files.len()
        )
    });
    let mut staged = Staged {
        ws,
        cache,
        slots,
        loose_ids: Vec::new(),
    };
    // fresk.yaml is every command's (its time zone): built now.
    let config: Vec<usize> = staged.indexes_of(Kind::Config);
    staged.ws.config = staged.build::<Config>(&config).into_iter().next();
    Ok(staged)
}

impl Outcome {
    /// A file read; with `encode`, its record encoded for the cache when the file has no
    /// finding (a file with findings is read again each time, so that they always come from the
    /// running code).
    fn read(read: document::Outcome, blob: ObjectId, encode: bool) -> Outcome {
        let encoded = match &read.record {
            Some(record) if encode && read.findings.is_empty() => cache::encode(record),
            _ => None,
        };
        Outcome {
            findings: read.findings,
            slot: Slot::Read {
                id: read.id,
                record: read.record,
            },
            encoded,
            blob,
        }
    }
}

/// What reading a file computes besides its findings and record.
#[derive(Clone, Copy)]
struct Reading {
    /// Its blob id (when the cache is on: the memo and `lint --base` use them).
    hash: bool,
    /// Its record encoded for the cache.
    encode: bool,
}

/// Read and parse workspace file `rel` (`size` bytes when known).
fn read_file(root: &Path, rel: &str, kind: Kind, size: Option<u64>, reading: Reading) -> Outcome {
    let path = root.join(rel);
    let size = size.unwrap_or_else(|| std::fs::metadata(&path).map_or(0, |m| m.len()));
    let finding = |rule, message: String| {
        let mut out = document::Outcome::default();
        out.findings
            .push(Finding::new(rule, rel, document::at_start(), message));
        Outcome::read(out, [0; 20], false)
    };
    if size > yaml::MAX_FILE_BYTES {
        return finding(
            &walk::FILE_TOO_LARGE,
            format!(
                "this file is {size} bytes, over the {} byte limit; a fresk file is a few hundred bytes — split it or remove what does not belong",
                yaml::MAX_FILE_BYTES
            ),
        );
    }
    match std::fs::read(&path) {
        Ok(bytes) => {
            let blob = if reading.hash {
                blob::blob_id(&bytes)
            } else {
                [0; 20]
            };
            Outcome::read(document::read(rel, kind, bytes), blob, reading.encode)
        }
        Err(err) => finding(
            &document::YAML_SYNTAX,
            format!("cannot read this file: {err}"),
        ),
    }
}

/// Write the next cache when this load changed what it should hold: a file of the kinds loaded
/// read anew and encoded, or an entry of those kinds no longer used (a file changed or deleted).
/// The entries of the kinds a partial load did not look at are carried over as they are.
fn save_cache(
    root: &Path,
    old: Option<&Cache>,
    files: &[Found],
    outcomes: &[Outcome],
    kinds: Kinds,
) {
    let hits = outcomes
        .iter()
        .filter(|o| matches!(o.slot, Slot::Hit(_)))
        .count();
    let fresh = outcomes.iter().filter(|o| o.encoded.is_some()).count();
    let old_loaded = old.map_or(0, |c| c.kinds().filter(|(_, k)| kinds.has(*k)).count());
    let unused = old_loaded.saturating_sub(hits);
    // The whole cache is rewritten, so not for a few files: until a change reaches
    // 1/REWRITE_SHARE of the entries, the files it touched are read again each time (a few
    // milliseconds), where a rewrite of a large cache takes a tenth of a second or more.
    let total = old.map_or(0, Cache::len).max(hits + fresh);
    let changed = fresh + unused;
    let write = changed > 0 && (old.is_none() || changed * REWRITE_SHARE > total);
    crate::stats::line(|| {
        format!(
            "fresk-cache: hits={hits} read={} written={write}",
            outcomes.len() - hits,
        )
    });
    if !write {
        return;
    }
    let mut entries = Vec::with_capacity(hits + fresh);
    if let Some(old) = old {
        entries.extend(
            old.kinds()
                .filter(|(_, k)| !kinds.has(*k))
                .filter_map(|(i, _)| old.stored(i)),
        );
    }
    for (f, o) in files.iter().zip(outcomes) {
        match (&o.slot, &o.encoded, &f.stamp) {
            (Slot::Hit(i), _, _) => entries.extend(old.and_then(|c| c.stored(*i))),
            (Slot::Read { .. }, Some(record), Some(stamp)) => entries.push(cache::Stored {
                path: &f.path,
                kind: f.kind,
                stamp: *stamp,
                blob: &o.blob,
                record,
            }),
            _ => {}
        }
    }
    cache::save(root, &entries);
}

/// The cache is rewritten when what changed is more than this fraction of it (see `save_cache`).
const REWRITE_SHARE: usize = 32;

/// A kind of typed record, as it is taken out of a [`Record`].
pub(super) trait Kinded: DeserializeOwned + Send + Sized {
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
    Declaration,
    Interactions,
    Complaint
);

impl Staged {
    /// The workspace as staged: `files`, `blobs`, `findings` and `config` are complete; no
    /// other record, no id.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The whole workspace: every record built.
    pub fn replay_all(self) -> Workspace {
        self.replay(|_, _| true)
    }

    fn indexes_of(&self, kind: Kind) -> Vec<usize> {
        self.ws
            .files
            .iter()
            .enumerate()
            .filter(|(_, (_, k))| *k == kind)
            .map(|(n, _)| n)
            .collect()
    }

    /// The workspace with the records and ids of the files `wanted` accepts (path, kind); the
    /// lists of the other files stay empty, and `kinds` holds only the kinds whose every file
    /// was wanted. A workspace not wholly built is not for the rules.
    pub fn replay(mut self, wanted: impl Fn(&str, Kind) -> bool) -> Workspace {
        let t = std::time::Instant::now();
        let mut indexes: Vec<Vec<usize>> = vec![Vec::new(); Kind::ALL.len()];
        let mut count = 0;
        for (n, (path, kind)) in self.ws.files.iter().enumerate() {
            if *kind == Kind::Config {
                continue;
            }
            if wanted(path, *kind) {
                indexes[kind_slot(*kind)].push(n);
                count += 1;
            } else {
                self.ws.kinds = self.ws.kinds.without(*kind);
            }
        }
        let of = |kind: Kind| &indexes[kind_slot(kind)];
        let people = self.build::<Person>(of(Kind::Person));
        let organisations = self.build::<Organisation>(of(Kind::Organisation));
        let requests = self.build::<Request>(of(Kind::Request));
        let missions = self.build::<Mission>(of(Kind::Mission));
        let sessions = self.build::<Session>(of(Kind::Session));
        let payouts = self.build::<Payout>(of(Kind::Payout));
        let invoices = self.build::<Invoice>(of(Kind::Invoice));
        let declarations = self.build::<Declaration>(of(Kind::Declaration));
        let interactions = self.build::<Interactions>(of(Kind::Interactions));
        let complaints = self.build::<Complaint>(of(Kind::Complaint));
        let mut ws = self.ws;
        ws.people = people;
        ws.organisations = organisations;
        ws.requests = requests;
        ws.missions = missions;
        ws.sessions = sessions;
        ws.payouts = payouts;
        ws.invoices = invoices;
        ws.declarations = declarations;
        ws.interactions = interactions;
        ws.complaints = complaints;
        ws.loose_ids = self.loose_ids;
        ws.index_ids();
        crate::stats::line(|| {
            format!(
                "fresk-replay: records={count} ms={}",
                t.elapsed().as_millis()
            )
        });
        ws
    }

    /// The records of the files `indexes` (all of one kind, in order), built on all cores: each
    /// read anew taken out of its slot, each cache hit decoded (read from disk again if it
    /// cannot be). Files with no record (syntax or shape errors) have none, but their id is
    /// kept for [`Workspace::index_ids`].
    fn build<T: Kinded>(&mut self, indexes: &[usize]) -> Vec<Loaded<T>> {
        let mut mine: Vec<(usize, &mut Slot)> = Vec::with_capacity(indexes.len());
        let mut wanted = indexes.iter().copied().peekable();
        for (n, slot) in self.slots.iter_mut().enumerate() {
            if wanted.next_if_eq(&n).is_some() {
                mine.push((n, slot));
            }
        }
        let (root, files, cache) = (&self.ws.root, &self.ws.files, self.cache.as_ref());
        // Each file's record, or the id of a file that has none.
        type Built<T> = Result<Loaded<T>, Option<(String, Kind, String)>>;
        let placed: Vec<Built<T>> = mine
            .into_par_iter()
            .map(|(n, slot)| {
                let (path, kind) = files.get(n).ok_or(None)?;
                let decoded = match slot {
                    Slot::Hit(i) => cache.and_then(|c| cache::decode::<T>(c.record(*i))),
                    Slot::Read { .. } => None,
                };
                let value = match decoded {
                    Some(value) => value,
                    None => {
                        let (record, id) = match slot {
                            Slot::Read { record, id } => (record.take(), id.take()),
                            // A record that cannot be decoded: the file is read again.
                            Slot::Hit(_) => {
                                let reading = Reading {
                                    hash: false,
                                    encode: false,
                                };
                                match read_file(root, path, *kind, None, reading).slot {
                                    Slot::Read { record, id } => (record, id),
                                    Slot::Hit(_) => (None, None),
                                }
                            }
                        };
                        match record.and_then(T::unpack) {
                            Some(value) => value,
                            None => return Err(id.map(|id| (path.clone(), *kind, id))),
                        }
                    }
                };
                Ok(Loaded {
                    file: path.clone(),
                    value,
                })
            })
            .collect();
        let mut out = Vec::with_capacity(placed.len());
        for built in placed {
            match built {
                Ok(loaded) => out.push(loaded),
                Err(loose) => self.loose_ids.extend(loose),
            }
        }
        out
    }
}
