//! The load cache: the typed record of every clean file, kept so that the next command neither
//! reads nor parses the files that did not change.
//!
//! **Where it lives.** In the user's cache folder (`$FRESK_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/fresk`, else `~/.cache/fresk`), one folder per workspace, named after the
//! workspace's canonical path — never inside the workspace. Nothing a repository holds (a
//! committed cache, a symbolic link, a cache restored into a CI checkout) is ever read by fresk
//! as its own state, so nothing in a repository can change a verdict.
//!
//! **What it holds.** One entry per file that read without any finding: its path, kind, stamp
//! (size, modification and change times, inode, device), git blob id, and its typed record
//! encoded as MessagePack. Files with findings are read each time (they are few, and their
//! findings then always come from the current code). The whole cache is one file, rewritten
//! through a temporary file and a rename, so a reader sees a whole old or a whole new cache. It
//! is rewritten when more than a thirty-second of it changed: until then the few files changed
//! since are read again each time, which costs less than rewriting a large cache.
//!
//! **When an entry is used.** When the file's stamp is exactly the recorded one. A file whose
//! modification *or change* time falls within the file system's timestamp granularity of the
//! moment it was read is not cached (git's "racy clean" problem: an edit within the same clock
//! tick would leave every time stamp as it was). The change time cannot be set by tools that
//! restore modification times, so such an edit is still seen.
//!
//! **Which build.** Records are tied to the model's shape (a hash of the JSON Schemas) and to
//! [`FORMAT`], not to the build: an upgrade that does not change the model keeps the cache. A
//! missing, unreadable, corrupt (checksum) or foreign (header) cache is ignored and rebuilt;
//! failing to write it is silent. `--no-cache` or `FRESK_NO_CACHE=1` turn it off.

pub mod memo;

use crate::blob::ObjectId;
use crate::model::Kind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

const FILE: &str = "files.bin";
const MAGIC: &[u8; 12] = b"fresk-cache\n";
/// Bump when the encoding of an entry or of a record changes without the schemas changing
/// (e.g. a hand-written `Serialize`).
const FORMAT: u32 = 3;

static DISABLED: AtomicBool = AtomicBool::new(false);

/// `--no-cache`: neither read nor write the cache in this process.
pub fn disable() {
    DISABLED.store(true, Ordering::Relaxed);
}

/// Is the cache in use (no `--no-cache`, no `FRESK_NO_CACHE` other than empty or `0`)?
pub fn enabled() -> bool {
    if DISABLED.load(Ordering::Relaxed) {
        return false;
    }
    std::env::var_os("FRESK_NO_CACHE").is_none_or(|v| v.is_empty() || v == "0")
}

/// Workspaces with fewer files than this are read whole each time (a few milliseconds) and get
/// no cache; `FRESK_CACHE_MIN_FILES` changes the threshold (the tests set it to 0).
pub fn min_files() -> usize {
    std::env::var("FRESK_CACHE_MIN_FILES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1000)
}

/// The folder holding fresk's cache for the workspace at `root` (see the module's docs), or
/// `None` when the user has no cache folder.
pub fn dir(root: &Path) -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = var("FRESK_CACHE_DIR")
        .or_else(|| {
            var("XDG_CACHE_HOME")
                .filter(|p| p.is_absolute())
                .map(|p| p.join("fresk"))
        })
        .or_else(|| var("HOME").map(|p| p.join(".cache").join("fresk")))?;
    dir_in(&base, root)
}

/// The folder of the workspace at `root` in the cache folder `base`: named after the
/// workspace's folder and a hash of its canonical path.
pub fn dir_in(base: &Path, root: &Path) -> Option<PathBuf> {
    let canonical = root.canonicalize().ok()?;
    let name: String = canonical
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(40)
        .collect();
    let id = crate::blob::sha1_hex(canonical.as_os_str().as_encoded_bytes());
    Some(base.join(format!("{name}-{}", &id[..16])))
}

/// Write `bytes` as file `name` of the cache folder of `root`, atomically; silent on failure
/// (a cache is only ever an optimisation).
fn save_file(root: &Path, name: &str, bytes: &[u8]) {
    let Some(dir) = dir(root) else { return };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    if builder.create(&dir).is_ok() {
        let _ = crate::store::write_atomic(&dir.join(name), bytes);
    }
}

fn read_file(root: &Path, name: &str) -> Option<Vec<u8>> {
    std::fs::read(dir(root)?.join(name)).ok()
}

/// What identifies one version of a file on disk, from its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub ino: u64,
    pub dev: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        let stamp = Stamp {
            size: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        };
        stamp.coarsened()
    }

    #[cfg(not(unix))]
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let since = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        };
        Stamp {
            size: meta.len(),
            mtime_ns: since(meta.modified()),
            ctime_ns: since(meta.created()),
            ino: 0,
            dev: 0,
        }
        .coarsened()
    }

    /// The stamp as a file system with whole-second timestamps would give it, when
    /// `FRESK_TEST_COARSE_TIMES` is set: the tests reproduce such file systems (ext4 with
    /// 128-byte inodes, many network mounts) on any disk.
    fn coarsened(mut self) -> Stamp {
        static COARSE: OnceLock<bool> = OnceLock::new();
        if *COARSE.get_or_init(|| std::env::var_os("FRESK_TEST_COARSE_TIMES").is_some()) {
            self.mtime_ns -= self.mtime_ns.rem_euclid(1_000_000_000);
            self.ctime_ns -= self.ctime_ns.rem_euclid(1_000_000_000);
        }
        self
    }

    /// The timestamp granularity of the file system the stamp comes from, as far as it shows:
    /// times with no sub-second part come from a coarse file system (FAT counts in 2 s), others
    /// from one that counts in kernel clock ticks (at most 10 ms; 50 ms leaves a margin).
    fn granularity_ns(&self) -> i64 {
        if self.mtime_ns % 1_000_000_000 == 0 && self.ctime_ns % 1_000_000_000 == 0 {
            2_000_000_000
        } else {
            50_000_000
        }
    }

    /// Modified or changed so recently, compared with `read_at_ns` (when reading started, by
    /// the system clock), that a further edit within the same tick might not move the stamp.
    pub fn racy(&self, read_at_ns: i64) -> bool {
        self.mtime_ns.max(self.ctime_ns) >= read_at_ns.saturating_sub(self.granularity_ns())
    }
}

/// Now, in nanoseconds since the epoch (by the system clock).
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// The header of a cache written by this build: the format and the model's shape.
fn identity() -> &'static [u8] {
    static ID: OnceLock<Vec<u8>> = OnceLock::new();
    ID.get_or_init(|| {
        let schemas: String = Kind::ALL
            .iter()
            .map(|k| crate::schema::for_kind(*k).to_string())
            .collect();
        format!(
            "format {FORMAT} schemas {}",
            crate::blob::sha1_hex(schemas.as_bytes())
        )
        .into_bytes()
    })
}

fn checksum(bytes: &[u8]) -> u64 {
    foldhash::fast::FixedState::with_seed(0x63_6865_636b).hash_one(bytes)
}

fn path_hash(path: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x7061_7468).hash_one(path)
}

/// `header ++ identity ++ checksum ++ body`, as the cache and the memo store them.
fn seal(magic: &[u8], identity: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(magic.len() + identity.len() + body.len() + 12);
    out.extend_from_slice(magic);
    out.extend_from_slice(&u32::try_from(identity.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(identity);
    out.extend_from_slice(&checksum(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The body of a sealed file, when its header, identity and checksum are right.
fn unseal<'a>(bytes: &'a [u8], magic: &[u8], identity: &[u8]) -> Option<&'a [u8]> {
    let rest = bytes.strip_prefix(magic)?;
    let (len, rest) = rest.split_first_chunk::<4>()?;
    let (id, rest) = rest.split_at_checked(usize::try_from(u32::from_le_bytes(*len)).ok()?)?;
    let (sum, body) = rest.split_first_chunk::<8>()?;
    (id == identity && checksum(body) == u64::from_le_bytes(*sum)).then_some(body)
}

/// One cache entry as stored.
#[derive(Serialize, Deserialize)]
pub struct Stored<'a> {
    #[serde(borrow)]
    pub path: &'a str,
    pub kind: Kind,
    pub stamp: Stamp,
    #[serde(with = "serde_bytes")]
    pub blob: &'a [u8],
    /// The typed record, MessagePack.
    #[serde(with = "serde_bytes")]
    pub record: &'a [u8],
}

/// One entry of a cache that was read: ranges into its bytes.
#[derive(Debug, Clone)]
struct Entry {
    path: Range<usize>,
    kind: Kind,
    stamp: Stamp,
    blob: ObjectId,
    record: Range<usize>,
}

/// A cache read from disk, indexed by path.
#[derive(Debug, Default)]
pub struct Cache {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    by_path: HashMap<u64, usize, foldhash::fast::FixedState>,
}

/// A usable entry: a file that has not changed since it was cached.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub index: usize,
    pub blob: ObjectId,
}

impl Cache {
    /// The cache of the workspace at `root`, or `None` when there is none this build can use.
    pub fn open(root: &Path) -> Option<Cache> {
        Cache::from_bytes(read_file(root, FILE)?)
    }

    fn from_bytes(bytes: Vec<u8>) -> Option<Cache> {
        let body = unseal(&bytes, MAGIC, identity())?;
        let stored: Vec<Stored> = rmp_serde::from_slice(body).ok()?;
        // Every borrowed slice lies in `bytes`: kept as a range into it.
        let base = bytes.as_ptr() as usize;
        let range = |s: &[u8]| {
            let start = (s.as_ptr() as usize).checked_sub(base)?;
            (start + s.len() <= bytes.len()).then_some(start..start + s.len())
        };
        let mut entries = Vec::with_capacity(stored.len());
        let mut by_path =
            HashMap::with_capacity_and_hasher(stored.len(), foldhash::fast::FixedState::default());
        for s in &stored {
            // Two paths with the same hash: neither is used (a miss is always safe).
            by_path
                .entry(path_hash(s.path))
                .and_modify(|v| *v = usize::MAX)
                .or_insert(entries.len());
            entries.push(Entry {
                path: range(s.path.as_bytes())?,
                kind: s.kind,
                stamp: s.stamp,
                blob: s.blob.try_into().ok()?,
                record: range(s.record)?,
            });
        }
        drop(stored);
        Some(Cache {
            bytes,
            entries,
            by_path,
        })
    }

    /// The entry of `path` when it was recorded for this kind and this exact stamp.
    pub fn lookup(&self, path: &str, kind: Kind, stamp: &Stamp) -> Option<Hit> {
        let &index = self.by_path.get(&path_hash(path))?;
        let e = self.entries.get(index)?;
        let same = self.bytes.get(e.path.clone())? == path.as_bytes();
        (same && e.kind == kind && e.stamp == *stamp).then_some(Hit {
            index,
            blob: e.blob,
        })
    }

    /// The encoded record of entry `index`.
    pub fn record(&self, index: usize) -> &[u8] {
        self.entries
            .get(index)
            .and_then(|e| self.bytes.get(e.record.clone()))
            .unwrap_or_default()
    }

    /// Entry `index` as stored, to carry over into the next cache.
    pub fn stored(&self, index: usize) -> Option<Stored<'_>> {
        let e = self.entries.get(index)?;
        Some(Stored {
            path: std::str::from_utf8(self.bytes.get(e.path.clone())?).ok()?,
            kind: e.kind,
            stamp: e.stamp,
            blob: &e.blob,
            record: self.bytes.get(e.record.clone())?,
        })
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry's index and kind.
    pub fn kinds(&self) -> impl Iterator<Item = (usize, Kind)> + '_ {
        self.entries.iter().enumerate().map(|(n, e)| (n, e.kind))
    }
}

/// Encode a typed record for the cache.
pub fn encode<T: Serialize>(record: &T) -> Option<Vec<u8>> {
    rmp_serde::to_vec(record).ok()
}

/// Decode a record the cache holds.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    rmp_serde::from_slice(bytes).ok()
}

/// Replace the cache of `root` with `entries`.
pub fn save(root: &Path, entries: &[Stored]) {
    if let Ok(body) = rmp_serde::to_vec(entries) {
        save_file(root, FILE, &seal(MAGIC, identity(), &body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(path: &'a str, record: &'a [u8]) -> Stored<'a> {
        Stored {
            path,
            kind: Kind::Person,
            stamp: Stamp {
                size: 3,
                mtime_ns: 1,
                ctime_ns: 2,
                ino: 4,
                dev: 5,
            },
            blob: &[7; 20],
            record,
        }
    }

    fn sealed(entries: &[Stored]) -> Vec<u8> {
        seal(
            MAGIC,
            identity(),
            &rmp_serde::to_vec(entries).expect("encodes"),
        )
    }

    #[test]
    fn entries_are_found_by_path_kind_and_stamp() {
        let cache = Cache::from_bytes(sealed(&[
            entry("people/a.yaml", b"rec-a"),
            entry("people/b.yaml", b"rec-b"),
        ]))
        .expect("reads");
        let stamp = entry("", b"").stamp;
        let hit = cache
            .lookup("people/b.yaml", Kind::Person, &stamp)
            .expect("hit");
        assert_eq!(cache.record(hit.index), b"rec-b");
        assert_eq!(hit.blob, [7; 20]);
        assert!(
            cache
                .lookup("people/b.yaml", Kind::Mission, &stamp)
                .is_none()
        );
        let other = Stamp {
            ctime_ns: 3,
            ..stamp
        };
        assert!(
            cache
                .lookup("people/b.yaml", Kind::Person, &other)
                .is_none()
        );
        assert!(
            cache
                .lookup("people/c.yaml", Kind::Person, &stamp)
                .is_none()
        );
        assert_eq!(cache.stored(0).map(|s| s.record), Some(&b"rec-a"[..]));
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_never_used() {
        let good = sealed(&[entry("people/a.yaml", b"rec-a")]);
        assert!(Cache::from_bytes(good.clone()).is_some());
        for cut in [0, 5, good.len() / 2, good.len() - 1] {
            assert!(
                Cache::from_bytes(good[..cut].to_vec()).is_none(),
                "cut at {cut}"
            );
        }
        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        assert!(Cache::from_bytes(flipped).is_none());
        let body = rmp_serde::to_vec(&[entry("people/a.yaml", b"rec-a")]).expect("encodes");
        assert!(Cache::from_bytes(seal(MAGIC, b"format 0 schemas x", &body)).is_none());
    }

    #[test]
    fn racy_files_are_told_by_both_times() {
        let second = 1_000_000_000;
        let read_at = 100 * second + 500_000_000;
        // A whole-second file system: anything in the last two seconds is racy.
        let coarse = |mtime: i64, ctime: i64| Stamp {
            mtime_ns: mtime * second,
            ctime_ns: ctime * second,
            ..Stamp::default()
        };
        assert!(coarse(100, 100).racy(read_at));
        // The modification time set back by a tool: the change time still tells.
        assert!(coarse(10, 100).racy(read_at));
        assert!(!coarse(10, 90).racy(read_at));
        // Nanosecond times: a tick-sized window.
        let fine = Stamp {
            mtime_ns: 10 * second + 7,
            ctime_ns: read_at - 20_000_000,
            ..Stamp::default()
        };
        assert!(fine.racy(read_at));
        let older = Stamp {
            ctime_ns: read_at - 500_000_000,
            ..fine
        };
        assert!(!older.racy(read_at));
    }

    #[test]
    fn records_round_trip() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let ws = crate::workspace::load_uncached(&root).expect("loads");
        fn same<T: Serialize + serde::de::DeserializeOwned + std::fmt::Debug>(
            items: &[crate::workspace::Loaded<T>],
        ) {
            for item in items {
                let bytes = encode(&item.value).expect("encodes");
                let back: T = decode(&bytes).expect("decodes");
                assert_eq!(
                    format!("{back:?}"),
                    format!("{:?}", item.value),
                    "{}",
                    item.file
                );
            }
        }
        same(&ws.people);
        same(&ws.organisations);
        same(&ws.requests);
        same(&ws.missions);
        same(&ws.sessions);
        same(&ws.payouts);
        same(&ws.invoices);
        same(&ws.declarations);
        same(std::slice::from_ref(ws.config.as_ref().expect("config")));
    }
}
