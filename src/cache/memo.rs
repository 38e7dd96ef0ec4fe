//! The rules' memo: the findings of the last run of every cross-file rule, kept in
//! `.fresk-cache/rules.bin` with what they were computed from, so that checking a workspace
//! nobody changed since its last check does not run the rules again.
//!
//! The cross-file rules are a function of the files' paths and contents and of the clock, and of
//! nothing else (no rule reads the disk, the environment or the network). So the memo is keyed
//!
//! - by the **contents**: a SHA-1 over every file's path, kind and git blob id, in the order of
//!   the walk, and the build of fresk (a new build may have new rules); the blob ids come from
//!   the load cache, or from the bytes read, or from the text a command is about to write — so
//!   a command that checks the workspace it is about to write leaves the memo for the next
//!   check of those very files;
//! - by the **clock**: it holds for a time span only, from the instant the rules ran to the
//!   first instant one of their comparisons with the clock could turn
//!   ([`crate::rules::valid_until`]); a clock outside that span (a later day, `FRESK_TODAY` set
//!   to another date, a deadline passed) runs the rules again.
//!
//! One memo is kept, the last one written. Like the load cache it is written to a temporary
//! sibling and renamed, it is ignored when unreadable, corrupt or foreign, and failing to write
//! it is silent.

use super::tape::{Reader, TapeError, put_bytes, put_ivarint};
use super::{checksum, decode_findings, encode_findings, identity};
use crate::diagnostics::Finding;
use crate::workspace::{Kinds, Workspace};
use chrono::{DateTime, Utc};
use std::path::Path;

const FILE: &str = "rules.bin";
const MAGIC: &[u8; 12] = b"fresk-rules\n";

/// What the rules' findings were computed from: every file of a whole workspace, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u8; 20]);

impl Key {
    /// The key of a workspace loaded whole with the cache on; `None` when the memo does not
    /// apply: the cache is off, the workspace is too small to get one, or only some kinds were
    /// loaded.
    pub fn of(ws: &Workspace) -> Option<Key> {
        if !super::enabled() || ws.kinds != Kinds::ALL || ws.files.len() < super::min_files() {
            return None;
        }
        let mut text = Vec::with_capacity(64 + ws.files.len() * 64);
        put_bytes(&mut text, identity());
        for ((path, kind), blob) in ws.files.iter().zip(&ws.blobs) {
            put_bytes(&mut text, path.as_bytes());
            text.push(super::kind_index(*kind));
            text.extend_from_slice(blob);
        }
        let key = super::blob_id(&text);
        (key != [0; 20]).then_some(Key(key))
    }
}

fn nanos(t: DateTime<Utc>) -> i128 {
    i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos())
}

/// The memoized findings for `key` at the instant `now`, if the last rules run was over the
/// same contents and its findings still hold at `now`.
pub fn lookup(root: &Path, key: Key, now: DateTime<Utc>) -> Option<Vec<Finding>> {
    let bytes = std::fs::read(root.join(super::DIR).join(FILE)).ok()?;
    parse(&bytes, key, nanos(now)).ok().flatten()
}

fn parse(bytes: &[u8], key: Key, now: i128) -> Result<Option<Vec<Finding>>, TapeError> {
    let mut r = Reader::new(bytes);
    if r.take(MAGIC.len())? != MAGIC || r.bytes()? != identity() {
        return Ok(None);
    }
    let sum = r.u64()?;
    let body = r.bytes()?;
    if !r.is_empty() || checksum(body) != sum {
        return Ok(None);
    }
    let mut r = Reader::new(body);
    if r.take(20)? != key.0 {
        return Ok(None);
    }
    let (from, until) = (r.ivarint()?, r.ivarint()?);
    if now < from || now >= until {
        return Ok(None);
    }
    decode_findings(&mut r).map(Some)
}

/// Remember that the rules found `findings` in the workspace of `key` at `from`, and that they
/// hold until `until` (excluded).
pub fn save(
    root: &Path,
    key: Key,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    findings: &[Finding],
) {
    let bytes = encode(key, nanos(from), nanos(until), findings);
    let _ = super::write_atomically(root, FILE, &[&bytes]);
}

fn encode(key: Key, from: i128, until: i128, findings: &[Finding]) -> Vec<u8> {
    let mut body = key.0.to_vec();
    put_ivarint(&mut body, from);
    put_ivarint(&mut body, until);
    encode_findings(findings, &mut body);
    let mut out = MAGIC.to_vec();
    put_bytes(&mut out, identity());
    super::tape::put_uvarint(&mut out, u128::from(checksum(&body)));
    put_bytes(&mut out, &body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::At;
    use crate::rules;

    fn finding() -> Finding {
        Finding::new(
            &rules::DOUBLE_BOOKED,
            "missions/M2026-0001/sessions/M2026-0001-S01.yaml",
            At::value("facilitators[0]"),
            "booked twice",
        )
    }

    #[test]
    fn a_memo_holds_for_its_key_and_its_time_span_only() {
        let key = Key([7; 20]);
        let bytes = encode(key, 100, 200, &[finding()]);
        let got = parse(&bytes, key, 100).unwrap().unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].message, "booked twice");
        assert_eq!(got[0].rule.id, "double-booked");
        assert!(parse(&bytes, key, 199).unwrap().is_some());
        assert!(
            parse(&bytes, key, 99).unwrap().is_none(),
            "before it was made"
        );
        assert!(
            parse(&bytes, key, 200).unwrap().is_none(),
            "once a comparison may turn"
        );
        assert!(
            parse(&bytes, Key([8; 20]), 150).unwrap().is_none(),
            "other contents"
        );
    }

    #[test]
    fn a_damaged_memo_is_never_used() {
        let key = Key([7; 20]);
        let bytes = encode(key, 100, 200, &[finding()]);
        for cut in [0, 5, 12, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                !matches!(parse(&bytes[..cut], key, 150), Ok(Some(_))),
                "cut at {cut}"
            );
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x20;
        assert!(!matches!(parse(&flipped, key, 150), Ok(Some(_))));
    }
}
