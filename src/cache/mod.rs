//! The load cache: what reading each file produced (its id, its syntax and shape findings, its
//! typed record as a [`tape`]), kept in `.fresk-cache/` so that the next command reads and
//! parses only the files that changed.
//!
//! An entry is used as it is when the file's path, kind, size, modification time, change time,
//! inode and device are exactly those recorded, and the whole cache file was written by a fresk
//! built from the same sources (version, a fingerprint of the sources and locked dependencies,
//! schemas). The change time cannot be set by tools that restore a modification time, so an
//! edit that keeps the size and the modification time is still seen. Files modified in the last
//! seconds before a run are not cached at all (a later edit within the same clock tick would
//! leave every time stamp as it was — git's "racy clean" problem). A file whose stamp changed is
//! read again; if its bytes are those recorded (same git blob id: a copy, a fresh checkout, a
//! touch), the entry is used under the new stamp instead of parsing the file.
//!
//! The cache is one file written to a temporary sibling and renamed, so a reader sees a whole
//! old or a whole new cache, never a mix, and concurrent writers only race for who wins. A
//! missing, unreadable, truncated, corrupt (checksum) or foreign (header) file is ignored and
//! rebuilt; failing to write it (a read-only workspace) is silent. `FRESK_NO_CACHE=1` or
//! `--no-cache` turn it off.

pub mod memo;
pub mod tape;

use crate::diagnostics::{At, Finding, Severity};
use crate::model::Kind;
use crate::yaml::{Pos, Route, Seg, Span, Target};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use tape::{Reader, TapeError, put_bytes, put_ivarint, put_uvarint};

/// The folder, at the workspace root, holding the cache (with a `.gitignore` of `*`).
pub const DIR: &str = ".fresk-cache";
const FILE: &str = "files.bin";
const MAGIC: &[u8; 12] = b"fresk-cache\n";
/// Bump when the layout of the file or of an entry changes.
const FORMAT: u32 = 2;
/// Files modified this recently (by the system clock) are left out of the cache.
const RACY_NANOS: i64 = 2_000_000_000;
/// Entries are compressed in chunks of about this many bytes (heads and tapes together).
const CHUNK: usize = 1 << 20;
/// A cache that would decompress to more than this is not read.
const MAX_PAYLOAD: usize = 1 << 31;

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
    match std::env::var_os("FRESK_NO_CACHE") {
        Some(v) => v.is_empty() || v == "0",
        None => true,
    }
}

/// What identifies one version of a file on disk, from its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
        Stamp {
            size: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        }
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
    }

    /// Modified so recently (or in the future) that a further edit might not move the stamp.
    fn racy(&self, now_ns: i64) -> bool {
        self.mtime_ns >= now_ns.saturating_sub(RACY_NANOS)
    }
}

/// Workspaces with fewer files than this are read whole each time (a few milliseconds) and get
/// no cache; `FRESK_CACHE_MIN_FILES` changes the threshold (the tests set it to 0).
pub fn min_files() -> usize {
    std::env::var("FRESK_CACHE_MIN_FILES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1000)
}

/// Now, in nanoseconds since the epoch (by the system clock).
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// The git blob id of `bytes` (what `git hash-object` prints).
pub fn blob_id(bytes: &[u8]) -> [u8; 20] {
    object_id("blob", bytes)
}

/// The git id of an object of `kind` (`blob`, `tree`) holding `content`: the SHA-1 of its
/// header and content. Computed here rather than by libgit2, whose SHA-1 checks each block for
/// collision attacks at a third of the speed of the processor's SHA instructions: ids are
/// computed for every file read, every folder compared with a base, and the rules' memo key.
pub fn object_id(kind: &str, content: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(kind.as_bytes());
    hasher.update(b" ");
    hasher.update(content.len().to_string().as_bytes());
    hasher.update([0]);
    hasher.update(content);
    hasher.finalize().into()
}

/// Which build wrote a cache: a cache is used only by a fresk built from the very same sources
/// and locked dependencies (`FRESK_SOURCE_ID`, from build.rs), with the same schemas.
fn identity() -> &'static [u8] {
    static ID: OnceLock<Vec<u8>> = OnceLock::new();
    ID.get_or_init(|| {
        let hasher = foldhash::fast::FixedState::with_seed(0x0066_7265_736b);
        let schemas: Vec<u64> = Kind::ALL
            .iter()
            .map(|k| hasher.hash_one(crate::schema::for_kind(*k).to_string()))
            .collect();
        format!(
            "fresk {} format {FORMAT} source {} schemas {:016x}",
            env!("CARGO_PKG_VERSION"),
            env!("FRESK_SOURCE_ID"),
            hasher.hash_one(&schemas)
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

fn kind_index(kind: Kind) -> u8 {
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

/// One entry of a cache that was read: ranges into its payload.
#[derive(Debug, Clone)]
struct EntryRef {
    path: Range<usize>,
    kind: u8,
    stamp: Stamp,
    oid: [u8; 20],
    id: Option<Range<usize>>,
    findings: Range<usize>,
    /// The chunk holding the entry, whose tapes are decompressed on first use.
    chunk: usize,
    /// The typed record's tape, in its chunk's tapes.
    tape: Option<Range<usize>>,
    /// The entry's head (all but the tape), copied as is into the next cache when the file has
    /// not changed.
    raw: Range<usize>,
}

/// The entries of one chunk, each with the hash of its path when its kind is wanted.
type Indexed = Vec<(EntryRef, Option<u64>)>;

/// A cache read from disk, indexed by path.
///
/// Each chunk of the file holds the heads of its entries (path, kind, stamp, blob id, id,
/// findings) and, compressed apart, their typed records' tapes. Opening decompresses every
/// head; a chunk's tapes are decompressed the first time one of them is replayed, so a command
/// that builds few records (a memoized lint) never pays for the others.
#[derive(Debug, Default)]
pub struct Cache {
    /// The file as read: the compressed tapes are taken from it on demand.
    bytes: Vec<u8>,
    /// Every chunk's heads, decompressed.
    payload: Vec<u8>,
    entries: Vec<EntryRef>,
    by_path: HashMap<u64, usize, foldhash::fast::FixedState>,
    chunks: Vec<Chunk>,
}

/// One chunk of the file: where its heads and its tapes are compressed (and their sizes once
/// decompressed), which entries it holds, and its tapes once decompressed.
#[derive(Debug, Default)]
struct Chunk {
    heads: Range<usize>,
    heads_raw: usize,
    tapes: Range<usize>,
    tapes_raw: usize,
    entries: Range<usize>,
    unpacked: OnceLock<Option<Vec<u8>>>,
}

/// A usable entry: the outcome of reading a file that has not changed since.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'c> {
    index: usize,
    pub id: Option<&'c str>,
    pub oid: [u8; 20],
    findings: &'c [u8],
}

impl Hit<'_> {
    pub fn index(&self) -> usize {
        self.index
    }

    /// The syntax and shape findings of the file.
    pub fn findings(&self) -> Result<Vec<Finding>, TapeError> {
        decode_findings(&mut Reader::new(self.findings))
    }
}

impl Cache {
    fn path(root: &Path) -> PathBuf {
        root.join(DIR).join(FILE)
    }

    /// The cache of the workspace at `root`, or `None` when there is none this build can use.
    pub fn open(root: &Path) -> Option<Cache> {
        Self::open_kinds(root, |_| true)
    }

    /// The cache of the workspace at `root`, where only the entries of the kinds `wanted`
    /// accepts can be looked up (every entry is still kept, for [`Cache::raw`] and
    /// [`Cache::len`]): a partial load does not index what it will not ask for.
    pub fn open_kinds(root: &Path, wanted: impl Fn(Kind) -> bool + Sync) -> Option<Cache> {
        let bytes = std::fs::read(Self::path(root)).ok()?;
        Self::from_bytes_kinds(bytes, wanted).ok()
    }

    #[cfg(test)]
    fn from_bytes(bytes: Vec<u8>) -> Result<Cache, TapeError> {
        Self::from_bytes_kinds(bytes, |_| true)
    }

    fn from_bytes_kinds(
        bytes: Vec<u8>,
        wanted: impl Fn(Kind) -> bool + Sync,
    ) -> Result<Cache, TapeError> {
        let mut r = Reader::new(&bytes);
        if r.take(MAGIC.len())? != MAGIC {
            return Err(TapeError("not a fresk cache".into()));
        }
        if r.bytes()? != identity() {
            return Err(TapeError("written by another build".into()));
        }
        let count = r.usize()?;
        let sum = r.u64()?;
        if checksum(bytes.get(r.pos()..).unwrap_or_default()) != sum {
            return Err(TapeError("checksum mismatch".into()));
        }
        // The chunks: heads and tapes, each compressed on its own.
        let chunks = r.usize()?;
        let mut heads = Vec::with_capacity(chunks.min(1 << 16));
        let mut table = Vec::with_capacity(chunks.min(1 << 16));
        let mut total = 0usize;
        let mut all_tapes = 0usize;
        for _ in 0..chunks {
            let raw = r.usize()?;
            let packed = r.bytes()?;
            let heads_at = r.pos() - packed.len()..r.pos();
            let tapes_raw = r.usize()?;
            let tapes_len = r.usize()?;
            r.take(tapes_len)?;
            total = total
                .checked_add(raw)
                .filter(|t| *t <= MAX_PAYLOAD)
                .ok_or_else(|| TapeError("too large".into()))?;
            all_tapes = all_tapes
                .checked_add(tapes_raw)
                .filter(|t| *t <= MAX_PAYLOAD)
                .ok_or_else(|| TapeError("too large".into()))?;
            heads.push((raw, packed));
            table.push(Chunk {
                heads: heads_at,
                heads_raw: raw,
                tapes: r.pos() - tapes_len..r.pos(),
                tapes_raw,
                entries: 0..0,
                unpacked: OnceLock::new(),
            });
        }
        if !r.is_empty() {
            return Err(TapeError("trailing bytes".into()));
        }
        let mut payload = vec![0u8; total];
        let mut parts = Vec::with_capacity(heads.len());
        let mut rest = payload.as_mut_slice();
        let mut offset = 0;
        for (chunk, (raw, packed)) in heads.iter().enumerate() {
            let (part, tail) = rest.split_at_mut(*raw);
            parts.push((part, *packed, offset, chunk));
            offset += *raw;
            rest = tail;
        }
        // Each chunk's heads: decompressed and indexed on all cores, with the hash of each
        // wanted path.
        let indexed: Vec<Result<Indexed, TapeError>> = parts
            .into_par_iter()
            .map(|(part, packed, offset, chunk)| {
                if !lz4_flex::block::decompress_into(packed, part).is_ok_and(|n| n == part.len()) {
                    return Err(TapeError("cannot decompress".into()));
                }
                let (mut entries, tapes_len) = index(part, chunk)?;
                if table.get(chunk).is_none_or(|c| c.tapes_raw != tapes_len) {
                    return Err(TapeError("wrong tapes length".into()));
                }
                Ok(entries
                    .drain(..)
                    .map(|mut e| {
                        let hash = Kind::ALL
                            .get(usize::from(e.kind))
                            .is_some_and(|k| wanted(*k))
                            .then(|| {
                                let path = part.get(e.path.clone()).unwrap_or_default();
                                path_hash(std::str::from_utf8(path).unwrap_or_default())
                            });
                        e.shift(offset);
                        (e, hash)
                    })
                    .collect())
            })
            .collect();
        drop(heads);
        let mut entries = Vec::with_capacity(count.min(total / 16));
        let mut by_path = HashMap::with_capacity_and_hasher(
            count.min(total / 16),
            foldhash::fast::FixedState::default(),
        );
        for (n, chunk) in indexed.into_iter().enumerate() {
            let first = entries.len();
            for (e, hash) in chunk? {
                if let Some(h) = hash {
                    // Two paths with the same hash: neither is used (a miss is always safe).
                    by_path
                        .entry(h)
                        .and_modify(|v| *v = usize::MAX)
                        .or_insert(entries.len());
                }
                entries.push(e);
            }
            if let Some(c) = table.get_mut(n) {
                c.entries = first..entries.len();
            }
        }
        if entries.len() != count {
            return Err(TapeError("wrong count".into()));
        }
        Ok(Cache {
            bytes,
            payload,
            entries,
            by_path,
            chunks: table,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry of `path` when it was recorded for this kind and this exact stamp.
    pub fn lookup(&self, path: &str, kind: Kind, stamp: &Stamp) -> Option<Hit<'_>> {
        self.entry_of(path, kind, |e| e.stamp == *stamp)
    }

    /// The entry of `path` when it was recorded for this kind and these very contents (blob id
    /// `oid`), whatever its stamp: the file was copied, checked out again or touched, but holds
    /// what was read then. Its outcome depends only on the path, the kind and the bytes.
    pub fn lookup_content(&self, path: &str, kind: Kind, oid: &[u8; 20]) -> Option<Hit<'_>> {
        self.entry_of(path, kind, |e| e.oid == *oid)
    }

    /// The entry of `path` for `kind`, if `matches` accepts it.
    fn entry_of(
        &self,
        path: &str,
        kind: Kind,
        matches: impl Fn(&EntryRef) -> bool,
    ) -> Option<Hit<'_>> {
        let &index = self.by_path.get(&path_hash(path))?;
        let e = self.entries.get(index)?;
        let slice = |r: &Range<usize>| self.payload.get(r.clone());
        if slice(&e.path)? != path.as_bytes() || e.kind != kind_index(kind) || !matches(e) {
            return None;
        }
        let id = match &e.id {
            Some(r) => Some(std::str::from_utf8(slice(r)?).ok()?),
            None => None,
        };
        Some(Hit {
            index,
            id,
            oid: e.oid,
            findings: slice(&e.findings)?,
        })
    }

    /// Entry `hit` again, for a file with the same contents and another `stamp` (`None` when the
    /// file is too fresh to be cached, or the entry cannot be read).
    pub fn restamp(
        &self,
        hit: &Hit,
        path: &str,
        kind: Kind,
        stamp: Stamp,
        now_ns: i64,
    ) -> Option<Encoded> {
        let findings = hit.findings().ok()?;
        Fresh {
            path,
            kind,
            stamp,
            oid: hit.oid,
            id: hit.id,
            findings: &findings,
            tape: self.tape(hit.index).ok()?,
        }
        .encode(now_ns)
    }

    /// The kind of entry `index`.
    pub fn kind(&self, index: usize) -> Option<Kind> {
        Kind::ALL
            .get(usize::from(self.entries.get(index)?.kind))
            .copied()
    }

    /// The id recorded in entry `index` (a [`Hit`]'s `id`, found again by its index).
    pub fn id(&self, index: usize) -> Option<&str> {
        let range = self.entries.get(index)?.id.clone()?;
        std::str::from_utf8(self.payload.get(range)?).ok()
    }

    /// The typed record's tape of entry `index`: `Ok(None)` when the file could not be typed,
    /// an error when its chunk's tapes cannot be decompressed (the file is then read again).
    pub fn tape(&self, index: usize) -> Result<Option<&[u8]>, TapeError> {
        let e = self
            .entries
            .get(index)
            .ok_or_else(|| TapeError("no such entry".into()))?;
        let Some(range) = e.tape.clone() else {
            return Ok(None);
        };
        let chunk = self
            .chunks
            .get(e.chunk)
            .ok_or_else(|| TapeError("no such chunk".into()))?;
        let unpacked = chunk.unpacked.get_or_init(|| {
            let packed = self.bytes.get(chunk.tapes.clone())?;
            let mut out = vec![0u8; chunk.tapes_raw];
            lz4_flex::block::decompress_into(packed, &mut out)
                .ok()
                .filter(|n| *n == chunk.tapes_raw)?;
            Some(out)
        });
        unpacked
            .as_ref()
            .and_then(|t| t.get(range))
            .map(Some)
            .ok_or_else(|| TapeError("cannot decompress".into()))
    }

    /// Entry `index` as it was written, to carry over into the next cache unchanged.
    pub fn raw(&self, index: usize) -> Option<Entry<'_>> {
        Some(Entry {
            head: self.payload.get(self.entries.get(index)?.raw.clone())?,
            tape: self.tape(index).ok()?.unwrap_or_default(),
        })
    }
}

impl EntryRef {
    /// Ranges into a chunk made ranges into the payload, the chunk starting at `offset` (the
    /// tape's range stays one into its chunk's tapes).
    fn shift(&mut self, offset: usize) {
        let by = |r: &mut Range<usize>| *r = r.start + offset..r.end + offset;
        by(&mut self.path);
        by(&mut self.findings);
        by(&mut self.raw);
        if let Some(r) = &mut self.id {
            by(r);
        }
    }
}

/// Read the ranges of every entry of one chunk's heads, chunk number `chunk`; with the length
/// of that chunk's tapes they point into (replayed later, only for the files asked for).
fn index(payload: &[u8], chunk: usize) -> Result<(Vec<EntryRef>, usize), TapeError> {
    let mut r = Reader::new(payload);
    let mut entries = Vec::with_capacity(payload.len() / 96);
    let mut tapes = 0usize;
    let range = |r: &Reader, len: usize| r.pos() - len..r.pos();
    while !r.is_empty() {
        let start = r.pos();
        let path_len = r.str()?.len();
        let path = range(&r, path_len);
        let kind = r.byte()?;
        let stamp = Stamp {
            size: r.u64()?,
            mtime_ns: i64::try_from(r.ivarint()?).map_err(|_| TapeError("time".into()))?,
            ctime_ns: i64::try_from(r.ivarint()?).map_err(|_| TapeError("time".into()))?,
            ino: r.u64()?,
            dev: r.u64()?,
        };
        let mut oid = [0u8; 20];
        oid.copy_from_slice(r.take(20)?);
        let id = match r.byte()? {
            0 => None,
            _ => {
                let n = r.str()?.len();
                Some(range(&r, n))
            }
        };
        let n = r.bytes()?.len();
        let findings = range(&r, n);
        let tape = match r.usize()? {
            0 => None,
            n => {
                let end = tapes
                    .checked_add(n - 1)
                    .ok_or_else(|| TapeError("too large".into()))?;
                let t = tapes..end;
                tapes = end;
                Some(t)
            }
        };
        entries.push(EntryRef {
            path,
            kind,
            stamp,
            oid,
            id,
            findings,
            chunk,
            tape,
            raw: start..r.pos(),
        });
    }
    Ok((entries, tapes))
}

/// What reading one file produced, to be written into the next cache.
pub struct Fresh<'a> {
    pub path: &'a str,
    pub kind: Kind,
    pub stamp: Stamp,
    pub oid: [u8; 20],
    pub id: Option<&'a str>,
    pub findings: &'a [Finding],
    pub tape: Option<&'a [u8]>,
}

/// One encoded entry of the cache: its head (path, kind, stamp, blob id, id, findings, and the
/// tape's length) and its typed record's tape (empty when the file could not be typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    pub head: &'a [u8],
    pub tape: &'a [u8],
}

/// An [`Entry`] of a file just read.
#[derive(Debug)]
pub struct Encoded {
    head: Vec<u8>,
    tape: Vec<u8>,
}

impl Encoded {
    pub fn entry(&self) -> Entry<'_> {
        Entry {
            head: &self.head,
            tape: &self.tape,
        }
    }
}

impl Fresh<'_> {
    /// The entry, or `None` when the file is too fresh to be cached safely.
    pub fn encode(&self, now_ns: i64) -> Option<Encoded> {
        if self.stamp.racy(now_ns) {
            return None;
        }
        let mut out = Vec::with_capacity(64);
        put_bytes(&mut out, self.path.as_bytes());
        out.push(kind_index(self.kind));
        put_uvarint(&mut out, u128::from(self.stamp.size));
        put_ivarint(&mut out, i128::from(self.stamp.mtime_ns));
        put_ivarint(&mut out, i128::from(self.stamp.ctime_ns));
        put_uvarint(&mut out, u128::from(self.stamp.ino));
        put_uvarint(&mut out, u128::from(self.stamp.dev));
        out.extend_from_slice(&self.oid);
        match self.id {
            Some(id) => {
                out.push(1);
                put_bytes(&mut out, id.as_bytes());
            }
            None => out.push(0),
        }
        let mut findings = Vec::new();
        encode_findings(self.findings, &mut findings);
        put_bytes(&mut out, &findings);
        match self.tape {
            Some(t) => put_uvarint(&mut out, t.len() as u128 + 1),
            None => put_uvarint(&mut out, 0),
        }
        Some(Encoded {
            head: out,
            tape: self.tape.unwrap_or_default().to_vec(),
        })
    }
}

/// Write the cache of `root` from entries already encoded, in the order given. Failing to write
/// is not an error: the next run reads the files again.
pub fn save<'a>(root: &Path, entries: impl IntoIterator<Item = Entry<'a>>) {
    let _ = try_save(root, Vec::new(), entries);
}

/// Write the next cache of `root`: the entries of `old` that `keep` accepts (by index), then
/// `fresh`. A chunk of `old` whose every entry is kept is carried over still compressed, so
/// that a change of a few files rewrites a few chunks, not the whole cache (decompressing and
/// compressing every record took ~1 s on the benchmark's workspace); the kept entries of the
/// other chunks, and of small ones, are written again beside the fresh ones.
pub fn save_next<'a>(
    root: &Path,
    old: Option<&'a Cache>,
    keep: impl Fn(usize) -> bool,
    fresh: impl IntoIterator<Item = Entry<'a>>,
) {
    let mut whole = Vec::new();
    let mut loose = Vec::new();
    if let Some(old) = old {
        for chunk in &old.chunks {
            let packed = (|| {
                Some(Packed {
                    heads_raw: chunk.heads_raw,
                    heads: old.bytes.get(chunk.heads.clone())?,
                    tapes_raw: chunk.tapes_raw,
                    tapes: old.bytes.get(chunk.tapes.clone())?,
                    entries: chunk.entries.len(),
                })
            })();
            let big = chunk.heads_raw + chunk.tapes_raw >= CHUNK / 4;
            match packed {
                Some(p) if big && chunk.entries.clone().all(&keep) => whole.push(p),
                _ => loose.extend(chunk.entries.clone().filter(|i| keep(*i))),
            }
        }
    }
    let loose = loose.into_iter().filter_map(|i| old?.raw(i));
    let _ = try_save(root, whole, loose.chain(fresh));
}

/// A chunk of a cache that was read, carried into the next one as it is.
struct Packed<'a> {
    heads_raw: usize,
    heads: &'a [u8],
    tapes_raw: usize,
    tapes: &'a [u8],
    entries: usize,
}

fn try_save<'a>(
    root: &Path,
    whole: Vec<Packed<'_>>,
    entries: impl IntoIterator<Item = Entry<'a>>,
) -> std::io::Result<()> {
    // Entries are grouped into chunks of about CHUNK bytes, their heads and their tapes each
    // compressed on their own, on all cores. A chunk holds whole entries only: the reader
    // indexes the chunks on their own, and decompresses a chunk's tapes only when one is used.
    let mut count = 0usize;
    let mut chunks: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut current = (Vec::with_capacity(CHUNK / 2), Vec::with_capacity(CHUNK));
    for e in entries {
        current.0.extend_from_slice(e.head);
        current.1.extend_from_slice(e.tape);
        count += 1;
        if current.0.len() + current.1.len() >= CHUNK {
            chunks.push(std::mem::replace(
                &mut current,
                (Vec::with_capacity(CHUNK / 2), Vec::with_capacity(CHUNK)),
            ));
        }
    }
    if !current.0.is_empty() {
        chunks.push(current);
    }
    let packed: Vec<(Vec<u8>, Vec<u8>)> = chunks
        .par_iter()
        .map(|(heads, tapes)| {
            (
                lz4_flex::block::compress(heads),
                lz4_flex::block::compress(tapes),
            )
        })
        .collect();
    let mut body = Vec::with_capacity(
        packed
            .iter()
            .map(|(h, t)| h.len() + t.len() + 24)
            .sum::<usize>()
            + 8,
    );
    put_uvarint(&mut body, (whole.len() + chunks.len()) as u128);
    for p in &whole {
        put_uvarint(&mut body, p.heads_raw as u128);
        put_bytes(&mut body, p.heads);
        put_uvarint(&mut body, p.tapes_raw as u128);
        put_bytes(&mut body, p.tapes);
        count += p.entries;
    }
    for ((heads, tapes), (packed_heads, packed_tapes)) in chunks.iter().zip(&packed) {
        put_uvarint(&mut body, heads.len() as u128);
        put_bytes(&mut body, packed_heads);
        put_uvarint(&mut body, tapes.len() as u128);
        put_bytes(&mut body, packed_tapes);
    }
    drop(packed);
    drop(chunks);
    let mut head = MAGIC.to_vec();
    put_bytes(&mut head, identity());
    put_uvarint(&mut head, count as u128);
    put_uvarint(&mut head, u128::from(checksum(&body)));

    write_atomically(root, FILE, &[&head, &body])
}

/// Write `parts` as the file `name` of the cache folder of `root` (made, with its
/// `.gitignore` and cache tag, if need be): to a temporary name of this process's own, then
/// renamed, so that readers see a whole old or a whole new file.
fn write_atomically(root: &Path, name: &str, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = root.join(DIR);
    if !dir.is_dir() {
        std::fs::create_dir(&dir)?;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# Written by fresk: its cache is never committed.\n*\n",
        )?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by fresk.\n",
        );
    }
    // A temporary name of this process's own, then a rename: readers see a whole file.
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let tmp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        for part in parts {
            f.write_all(part)?;
        }
        f.flush()
    })();
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, dir.join(name))) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

fn rule_severity(s: Severity) -> u8 {
    match s {
        Severity::Warning => 0,
        Severity::Error => 1,
    }
}

fn encode_findings(findings: &[Finding], out: &mut Vec<u8>) {
    put_uvarint(out, findings.len() as u128);
    for f in findings {
        put_bytes(out, f.rule.id.as_bytes());
        out.push(rule_severity(f.severity));
        put_bytes(out, f.file.as_bytes());
        match &f.at {
            At::Span(s) => {
                out.push(0);
                for n in [s.start.line, s.start.column, s.end.line, s.end.column] {
                    put_uvarint(out, u128::from(n));
                }
            }
            At::Route(route, target) => {
                out.push(match target {
                    Target::Key => 1,
                    Target::Value => 2,
                });
                put_uvarint(out, route.0.len() as u128);
                for seg in &route.0 {
                    match seg {
                        Seg::Key(k) => {
                            out.push(0);
                            put_bytes(out, k.as_bytes());
                        }
                        Seg::Index(i) => {
                            out.push(1);
                            put_uvarint(out, *i as u128);
                        }
                    }
                }
            }
        }
        put_bytes(out, f.message.as_bytes());
    }
}

fn decode_findings(r: &mut Reader) -> Result<Vec<Finding>, TapeError> {
    let n = r.usize()?;
    let mut out = Vec::with_capacity(n.min(64));
    let bad = || TapeError("bad finding".into());
    let u32_ = |r: &mut Reader| u32::try_from(r.uvarint()?).map_err(|_| bad());
    for _ in 0..n {
        let rule = crate::rules::find(r.str()?).ok_or_else(bad)?;
        let severity = match r.byte()? {
            0 => Severity::Warning,
            1 => Severity::Error,
            _ => return Err(bad()),
        };
        let file = r.str()?.to_string();
        let at = match r.byte()? {
            0 => {
                let (a, b, c, d) = (u32_(r)?, u32_(r)?, u32_(r)?, u32_(r)?);
                At::Span(Span {
                    start: Pos { line: a, column: b },
                    end: Pos { line: c, column: d },
                })
            }
            t @ (1 | 2) => {
                let target = if t == 1 { Target::Key } else { Target::Value };
                let segs = r.usize()?;
                let mut route = Vec::with_capacity(segs.min(16));
                for _ in 0..segs {
                    route.push(match r.byte()? {
                        0 => Seg::Key(r.str()?.to_string()),
                        1 => Seg::Index(r.usize()?),
                        _ => return Err(bad()),
                    });
                }
                At::Route(Route(route), target)
            }
            _ => return Err(bad()),
        };
        let message = r.str()?.to_string();
        out.push(Finding {
            rule,
            severity,
            file,
            at,
            message,
        });
    }
    if !r.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    fn stamp(size: u64, mtime_ns: i64) -> Stamp {
        Stamp {
            size,
            mtime_ns,
            ctime_ns: mtime_ns,
            ino: 42,
            dev: 7,
        }
    }

    fn finding() -> Finding {
        let mut f = Finding::new(
            &rules::UNKNOWN_FIELD,
            "people/a.yaml",
            At::key("billing.sirett"),
            "unknown field `sirett`",
        );
        f.severity = Severity::Warning;
        f
    }

    /// A cache holding one entry for people/a.yaml, as bytes.
    fn one_entry(root: &Path, st: Stamp) -> Vec<u8> {
        let findings = vec![
            finding(),
            Finding::new(
                &rules::ENCODING,
                "people/a.yaml",
                At::Span(Span::point(Pos { line: 3, column: 9 })),
                "CRLF",
            ),
        ];
        let fresh = Fresh {
            path: "people/a.yaml",
            kind: Kind::Person,
            stamp: st,
            oid: [9; 20],
            id: Some("a"),
            findings: &findings,
            tape: Some(b"tape bytes"),
        };
        let entry = fresh.encode(now_ns()).expect("old enough");
        save(root, [entry.entry()]);
        std::fs::read(Cache::path(root)).expect("written")
    }

    #[test]
    fn an_entry_round_trips_and_is_used_only_for_the_same_stamp_and_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let st = stamp(120, 1_000_000_000);
        one_entry(dir.path(), st);
        let cache = Cache::open(dir.path()).expect("readable");
        assert_eq!(cache.len(), 1);
        let hit = cache
            .lookup("people/a.yaml", Kind::Person, &st)
            .expect("hit");
        assert_eq!(hit.id, Some("a"));
        assert_eq!(cache.tape(hit.index()).ok(), Some(Some(&b"tape bytes"[..])));
        assert_eq!(hit.oid, [9; 20]);
        let findings = hit.findings().expect("decodes");
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].rule.id, "unknown-field");
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(findings[0].at, At::key("billing.sirett"));
        assert_eq!(
            findings[1].at,
            At::Span(Span::point(Pos { line: 3, column: 9 }))
        );
        assert!(cache.raw(hit.index()).is_some());
        // Stale: another size, another modification time, another inode or change time.
        for other in [
            stamp(121, 1_000_000_000),
            stamp(120, 1_000_000_001),
            Stamp { ino: 43, ..st },
            Stamp {
                ctime_ns: st.ctime_ns + 1,
                ..st
            },
        ] {
            assert!(
                cache
                    .lookup("people/a.yaml", Kind::Person, &other)
                    .is_none(),
                "{other:?}"
            );
        }
        assert!(
            cache
                .lookup("people/a.yaml", Kind::Organisation, &st)
                .is_none()
        );
        assert!(cache.lookup("people/b.yaml", Kind::Person, &st).is_none());
        // The .gitignore keeps the folder out of git.
        let ignore =
            std::fs::read_to_string(dir.path().join(DIR).join(".gitignore")).expect("gitignore");
        assert!(ignore.lines().any(|l| l == "*"));
    }

    #[test]
    fn a_cache_of_many_chunks_is_indexed_whole_and_by_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let tape = vec![7u8; 1000];
        let paths: Vec<(String, Kind)> = (0..3000)
            .map(|i| {
                if i % 3 == 0 {
                    (format!("organisations/o{i}.yaml"), Kind::Organisation)
                } else {
                    (format!("people/p{i}.yaml"), Kind::Person)
                }
            })
            .collect();
        let entries: Vec<Encoded> = paths
            .iter()
            .map(|(path, kind)| {
                Fresh {
                    path,
                    kind: *kind,
                    stamp: stamp(10, 1_000_000_000),
                    oid: [1; 20],
                    id: Some(path),
                    findings: &[],
                    tape: Some(&tape),
                }
                .encode(now_ns())
                .expect("old enough")
            })
            .collect();
        save(dir.path(), entries.iter().map(Encoded::entry));
        let st = stamp(10, 1_000_000_000);
        let all = Cache::open(dir.path()).expect("readable");
        assert_eq!(all.len(), 3000);
        for (i, (path, kind)) in paths.iter().enumerate() {
            let hit = all.lookup(path, *kind, &st).expect("hit");
            assert_eq!(hit.id, Some(path.as_str()));
            assert_eq!(all.tape(hit.index()).ok(), Some(Some(tape.as_slice())));
            assert_eq!(all.raw(hit.index()), Some(entries[i].entry()));
        }
        let people = Cache::open_kinds(dir.path(), |k| k == Kind::Person).expect("readable");
        assert_eq!(people.len(), 3000, "every entry is kept");
        for (path, kind) in &paths {
            let hit = people.lookup(path, *kind, &st);
            assert_eq!(hit.is_some(), *kind == Kind::Person, "{path}");
        }
    }

    #[test]
    fn the_next_cache_carries_whole_chunks_over_compressed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let st = stamp(10, 1_000_000_000);
        let fresh = |path: &str, tape: &[u8]| {
            Fresh {
                path,
                kind: Kind::Person,
                stamp: st,
                oid: [1; 20],
                id: Some(path),
                findings: &[],
                tape: Some(tape),
            }
            .encode(now_ns())
            .expect("old enough")
        };
        let tape = vec![3u8; 600];
        let paths: Vec<String> = (0..4000).map(|i| format!("people/p{i:04}.yaml")).collect();
        let entries: Vec<Encoded> = paths.iter().map(|p| fresh(p, &tape)).collect();
        save(dir.path(), entries.iter().map(Encoded::entry));
        let before = std::fs::read(Cache::path(dir.path())).expect("written");
        let old = Cache::open(dir.path()).expect("readable");
        assert!(old.chunks.len() > 2, "several chunks");
        // One file deleted (the last entry), one added.
        let gone = old
            .lookup(&paths[3999], Kind::Person, &st)
            .expect("hit")
            .index();
        let added = fresh("people/new.yaml", b"new tape");
        save_next(dir.path(), Some(&old), |i| i != gone, [added.entry()]);
        let next = Cache::open(dir.path()).expect("readable");
        assert_eq!(next.len(), 4000);
        for path in &paths[..3999] {
            let hit = next.lookup(path, Kind::Person, &st).expect("kept");
            assert_eq!(next.tape(hit.index()).ok(), Some(Some(tape.as_slice())));
        }
        assert!(next.lookup(&paths[3999], Kind::Person, &st).is_none());
        let hit = next
            .lookup("people/new.yaml", Kind::Person, &st)
            .expect("added");
        assert_eq!(next.tape(hit.index()).ok(), Some(Some(&b"new tape"[..])));
        // The first chunk, untouched, is in the new file byte for byte.
        let first = &before[old.chunks[0].tapes.clone()];
        let after = std::fs::read(Cache::path(dir.path())).expect("written");
        assert!(after.windows(first.len()).any(|w| w == first));
    }

    #[test]
    fn object_ids_are_gits() {
        for content in [&b""[..], b"id: a\n", &[0xffu8; 70_000][..]] {
            for (kind, git) in [
                ("blob", git2::ObjectType::Blob),
                ("tree", git2::ObjectType::Tree),
            ] {
                let expected = git2::Oid::hash_object(git, content).expect("hashes");
                assert_eq!(&object_id(kind, content)[..], expected.as_bytes());
            }
        }
        // What `git hash-object` prints for an empty file.
        assert_eq!(
            git2::Oid::from_bytes(&blob_id(b""))
                .expect("20 bytes")
                .to_string(),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        );
    }

    #[test]
    fn racy_files_are_not_cached() {
        let fresh = Fresh {
            path: "people/a.yaml",
            kind: Kind::Person,
            stamp: stamp(10, now_ns()),
            oid: [0; 20],
            id: None,
            findings: &[],
            tape: None,
        };
        assert!(fresh.encode(now_ns()).is_none());
    }

    #[test]
    fn corrupt_truncated_and_foreign_caches_are_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = one_entry(dir.path(), stamp(120, 1_000_000_000));
        let path = Cache::path(dir.path());
        // Every truncation, and a flipped bit anywhere, makes the whole cache unusable.
        for cut in 0..bytes.len() {
            assert!(Cache::from_bytes(bytes[..cut].to_vec()).is_err(), "{cut}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(Cache::from_bytes(b).is_err(), "byte {i}");
        }
        std::fs::write(&path, b"garbage").expect("write");
        assert!(Cache::open(dir.path()).is_none());
        std::fs::write(&path, b"").expect("write");
        assert!(Cache::open(dir.path()).is_none());
    }

    #[test]
    fn another_build_or_format_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = one_entry(dir.path(), stamp(120, 1_000_000_000));
        // The same file with another identity (version, sources or schemas): a miss.
        let mut r = Reader::new(&bytes);
        r.take(MAGIC.len()).expect("magic");
        let id_start = r.pos();
        let id_len = r.bytes().expect("identity").len();
        let rest = &bytes[r.pos()..];
        let mut other = bytes[..id_start].to_vec();
        let mut foreign_id = identity().to_vec();
        foreign_id.truncate(id_len);
        if let Some(last) = foreign_id.last_mut() {
            *last ^= 1;
        }
        put_bytes(&mut other, &foreign_id);
        other.extend_from_slice(rest);
        assert!(Cache::from_bytes(other).is_err());
        assert!(identity().starts_with(b"fresk "));
        assert!(
            String::from_utf8_lossy(identity()).contains(&format!("format {FORMAT} ")),
            "the format version is part of the identity"
        );
    }

    #[test]
    fn a_read_only_place_is_not_an_error() {
        // The root does not exist: creating .fresk-cache fails, quietly.
        save(
            Path::new("/nonexistent/fresk/workspace"),
            [Entry {
                head: b"x",
                tape: b"",
            }],
        );
        assert!(Cache::open(Path::new("/nonexistent/fresk/workspace")).is_none());
    }
}
