//! The rules' memo: the findings of the last run of every cross-file rule, kept beside the load
//! cache with what they were computed from, so that checking a workspace nobody changed since
//! its last check does not run the rules again.
//!
//! The cross-file rules are a function of the files' paths and contents and of the clock, and of
//! nothing else (no rule reads the disk, the environment or the network). So the memo is keyed
//!
//! - by the **contents**: a SHA-1 over every file's path, kind and git blob id, in the order of
//!   the walk, and the build of fresk (a new build may have new rules); the blob ids come from
//!   the load cache, or from the bytes read, or from the text a command is about to write — so
//!   a command that checks the workspace it is about to write leaves the memo for the next
//!   check of those very files;
//! - by the **clock**: it holds from the instant the rules ran until the first instant one of
//!   their questions to the clock could get another answer, which the rules' context records
//!   as they ask ([`crate::rules::Context::valid_until`]); a clock outside that span (a later
//!   day, `FRESK_TODAY` set to another date, a deadline passed) runs the rules again.
//!
//! One memo is kept, the last one written. Like the load cache it is written atomically, is
//! ignored when unreadable, corrupt or foreign, and failing to write it is silent.

use crate::blob::ObjectId;
use crate::diagnostics::{At, Finding, Related, Rule, Severity};
use crate::model::Kind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

const FILE: &str = "rules.bin";
const MAGIC: &[u8; 12] = b"fresk-rules\n";

/// The build the memo belongs to: rules change with the sources.
fn identity() -> &'static [u8] {
    static ID: OnceLock<Vec<u8>> = OnceLock::new();
    ID.get_or_init(|| {
        format!(
            "fresk {} source {}",
            env!("CARGO_PKG_VERSION"),
            env!("FRESK_SOURCE_ID")
        )
        .into_bytes()
    })
}

/// What the rules' findings were computed from: every file of a whole workspace, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key([u8; 20]);

impl Key {
    /// The key of every file of a whole workspace (`files` with their `blobs`); `None` when
    /// the memo does not apply: the cache is off, the workspace is too small to get one, or a
    /// blob id is unknown.
    pub fn of(files: &[(String, Kind)], blobs: &[ObjectId]) -> Option<Key> {
        if !super::enabled() || files.len() < super::min_files() || files.len() != blobs.len() {
            return None;
        }
        let mut text = Vec::with_capacity(64 + files.len() * 64);
        text.extend_from_slice(identity());
        for ((path, kind), blob) in files.iter().zip(blobs) {
            if *blob == [0; 20] {
                return None;
            }
            text.extend_from_slice(&(path.len() as u64).to_le_bytes());
            text.extend_from_slice(path.as_bytes());
            text.push(*kind as u8);
            text.extend_from_slice(blob);
        }
        Some(Key(crate::blob::blob_id(&text)))
    }
}

/// A finding as the memo stores it: its rule by id.
#[derive(Serialize, Deserialize)]
struct Stored {
    rule: String,
    severity: Severity,
    file: String,
    at: At,
    message: String,
    related: Vec<Related>,
}

#[derive(Serialize, Deserialize)]
struct Memo {
    key: Key,
    /// Nanoseconds since the epoch.
    from: i128,
    until: i128,
    findings: Vec<Stored>,
}

fn nanos(t: DateTime<Utc>) -> i128 {
    i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos())
}

/// Finds a rule by its id.
pub type FindRule = fn(&str) -> Option<&'static Rule>;

/// The memoized findings for `key` at the instant `now`, if the last rules run was over the
/// same contents and its findings still hold at `now` (rules found by id with `find`).
pub fn lookup(root: &Path, key: Key, now: DateTime<Utc>, find: FindRule) -> Option<Vec<Finding>> {
    parse(&super::read_file(root, FILE)?, key, nanos(now), find)
}

fn parse(bytes: &[u8], key: Key, now: i128, find: FindRule) -> Option<Vec<Finding>> {
    let body = super::unseal(bytes, MAGIC, identity())?;
    let memo: Memo = rmp_serde::from_slice(body).ok()?;
    if memo.key != key || now < memo.from || now >= memo.until {
        return None;
    }
    memo.findings
        .into_iter()
        .map(|f| {
            Some(Finding {
                rule: find(&f.rule)?,
                severity: f.severity,
                file: f.file,
                at: f.at,
                message: f.message,
                related: f.related,
            })
        })
        .collect()
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
    if let Some(bytes) = encode(key, nanos(from), nanos(until), findings) {
        super::save_file(root, FILE, &bytes);
    }
}

fn encode(key: Key, from: i128, until: i128, findings: &[Finding]) -> Option<Vec<u8>> {
    let memo = Memo {
        key,
        from,
        until,
        findings: findings
            .iter()
            .map(|f| Stored {
                rule: f.rule.id.to_string(),
                severity: f.severity,
                file: f.file.clone(),
                at: f.at.clone(),
                message: f.message.clone(),
                related: f.related.clone(),
            })
            .collect(),
    };
    let body = rmp_serde::to_vec(&memo).ok()?;
    Some(super::seal(MAGIC, identity(), &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    fn finding() -> Finding {
        Finding::new(
            &rules::business::DOUBLE_BOOKED,
            "missions/M2026-0001/sessions/M2026-0001-S01.yaml",
            At::value("facilitators[0]"),
            "booked twice",
        )
        .related(
            "missions/M2026-0002/sessions/M2026-0002-S01.yaml",
            At::value("facilitators[1].person"),
            "the other booking",
        )
    }

    #[test]
    fn a_memo_holds_for_its_key_and_its_time_span_only() {
        let key = Key([7; 20]);
        let bytes = encode(key, 100, 200, &[finding()]).expect("encodes");
        let got = parse(&bytes, key, 100, rules::find).expect("holds");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].message, "booked twice");
        assert_eq!(got[0].rule.id, "double-booked");
        assert_eq!(got[0].at, At::value("facilitators[0]"));
        assert_eq!(got[0].related, finding().related);
        assert!(parse(&bytes, key, 199, rules::find).is_some());
        assert!(
            parse(&bytes, key, 99, rules::find).is_none(),
            "before it was made"
        );
        assert!(
            parse(&bytes, key, 200, rules::find).is_none(),
            "once a question may turn"
        );
        assert!(
            parse(&bytes, Key([8; 20]), 150, rules::find).is_none(),
            "other contents"
        );
    }

    #[test]
    fn a_damaged_memo_is_never_used() {
        let key = Key([7; 20]);
        let bytes = encode(key, 100, 200, &[finding()]).expect("encodes");
        for cut in [0, 5, 12, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                parse(&bytes[..cut], key, 150, rules::find).is_none(),
                "cut at {cut}"
            );
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x20;
        assert!(parse(&flipped, key, 150, rules::find).is_none());
    }
}
