//! Fuzzing: hostile copies of `examples/demo`, and what `fresk` must do with any of them.
//!
//! Each case copies the example workspace and applies a few structured mutations — the ones a
//! careless or hostile author makes: deleted, duplicated, renamed, swapped, truncated files;
//! ids, states, dates, amounts and references changed to other existing or missing values; YAML
//! edge cases (anchors and aliases, tags, tabs, a BOM, CRLF, invalid UTF-8, huge numbers, deep
//! nesting, empty files, duplicate keys, unicode); series patterns; symbolic links; raw bytes.
//! The clock (`FRESK_TODAY`, `FRESK_NOW`) is fuzzed too. Then:
//!
//! - `fuzz_lint`: `fresk lint --format json` cold with the cache forced on, warm, and with
//!   `FRESK_NO_CACHE=1` (which must leave the cache alone) must print the very same thing and
//!   exit alike; after edits made between runs (in place keeping the size, times set back, files
//!   swapped, the clock moved, the cache itself damaged) cached and uncached runs agree again.
//!   Every run: no panic, exit code 0, 1 or 2, the documented JSON shape, an exit code matching
//!   the errors, every finding's position inside its file (1-based, end not before start, lines
//!   within the file, columns at most the line's length in characters + 1). One more run in the
//!   human, github or sarif format (the same findings and exit code) or with a PATH (the
//!   findings under it). Lint writes nothing but its cache.
//! - `fuzz_commands`: writing commands on ids of the mutated workspace, with `--dry-run` and for
//!   real: no panic, exit code 0, 1 or 2; the dry run writes nothing, exits as the real run does
//!   and its diff applied to the files gives exactly what the real run writes; a command that
//!   fails changes nothing; no command writes outside the workspace (it sits four folders deep
//!   in the case's folder, which is watched). Then a lint, cached and uncached alike.
//!
//! `cargo test fuzz` runs a few dozen cases from a fixed seed, in a few seconds. Longer runs:
//!
//! ```sh
//! FRESK_FUZZ_CASES=2000 FRESK_FUZZ_JOBS=2 cargo test --test cli fuzz -- --nocapture
//! ```
//!
//! - `FRESK_FUZZ_CASES`: cases of each test; `FRESK_FUZZ_JOBS`: threads running them.
//! - `FRESK_FUZZ_SEED=N`: the first case's seed (a long run without it starts from the clock and
//!   prints it). A failure prints its case seed, the shrunk case, what its mutations did and the
//!   command replaying that one case; `FRESK_FUZZ_KEEP=1` keeps its folders on disk.
//! - `FRESK_FUZZ_MAX_FAILURES=N`: go on after a failure, printing each, up to N.
//!
//! `--nocapture` also shows what the cases covered (exit codes, rules, cache hits).

use crate::support::fresk_command;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{Read as _, Seek as _, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// Cases of each fuzz test in a plain `cargo test`.
const LINT_CASES: u64 = 10;
const COMMAND_CASES: u64 = 14;
/// A run taking longer than this hangs (the debug build lints the demo in ~40 ms).
const TIMEOUT: Duration = Duration::from_secs(60);

#[test]
fn fuzz_lint() {
    fuzz("fuzz_lint", 0x6c69_6e74, LINT_CASES, lint_case, check_lint);
}

#[test]
fn fuzz_commands() {
    fuzz(
        "fuzz_commands",
        0x636d_6473,
        COMMAND_CASES,
        command_case,
        check_commands,
    );
}

// --- the runner -------------------------------------------------------------------------------

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// Run the cases of one test, case `i` from its own seed (`first + i`) so that any case replays
/// alone; on failure, shrink it (within a budget), run the minimal case once more for its report
/// (keeping its workspace when asked) and fail with everything needed to replay it.
fn fuzz<S, F>(name: &str, default_seed: u64, default_cases: u64, strategy: fn() -> S, check: F)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
    F: Fn(&S::Value, Mode) -> Result<(), String> + Sync,
{
    let cases = env_u64("FRESK_FUZZ_CASES").unwrap_or(default_cases);
    let first = env_u64("FRESK_FUZZ_SEED").unwrap_or_else(|| {
        if std::env::var_os("FRESK_FUZZ_CASES").is_some() {
            let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH);
            now.map_or(default_seed, |d| d.as_secs())
        } else {
            default_seed
        }
    });
    let jobs = env_u64("FRESK_FUZZ_JOBS").unwrap_or(1).clamp(1, 64);
    let keep = std::env::var_os("FRESK_FUZZ_KEEP").is_some();
    let max_failures = env_u64("FRESK_FUZZ_MAX_FAILURES").unwrap_or(1).max(1) as usize;
    eprintln!("{name}: {cases} cases from seed {first}, {jobs} thread(s)");
    let started = Instant::now();
    let failures: Mutex<Vec<(u64, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for job in 0..jobs {
            let (failures, check) = (&failures, &check);
            scope.spawn(move || {
                let strategy = strategy();
                for i in (job..cases).step_by(jobs as usize) {
                    if failures.lock().unwrap().len() >= max_failures {
                        return;
                    }
                    let seed = first.wrapping_add(i);
                    if cases >= 200 && i > 0 && i % 100 == 0 {
                        eprintln!(
                            "{name}: case {i} of {cases}, {:.0} s",
                            started.elapsed().as_secs_f64()
                        );
                    }
                    if let Err(report) = one_case(name, &strategy, check, seed, keep) {
                        if max_failures > 1 {
                            eprintln!("{name}: FAILURE, case seed {seed}:\n{report}\n");
                        }
                        failures.lock().unwrap().push((seed, report));
                    }
                }
            });
        }
    });
    eprintln!(
        "{name}: {cases} cases in {:.1} s (fresk ran {} times in all, {:.1} s); covered:{}",
        started.elapsed().as_secs_f64(),
        RUNS.load(std::sync::atomic::Ordering::Relaxed),
        RUN_MICROS.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6,
        coverage(name)
    );
    let mut failures = failures.into_inner().unwrap();
    failures.sort_by_key(|(seed, _)| *seed);
    let seeds: Vec<String> = failures.iter().map(|(seed, _)| seed.to_string()).collect();
    if let Some((seed, report)) = failures.into_iter().next() {
        panic!(
            "{name}: {} failing case(s), seeds {}; the case of seed {seed}:\n{report}\n\n\
             replay: FRESK_FUZZ_SEED={seed} FRESK_FUZZ_CASES=1 FRESK_FUZZ_KEEP=1 \
             cargo test --test cli {name} -- --nocapture",
            seeds.len(),
            seeds.join(", "),
        );
    }
}

/// How a case is run: while searching (counted in the coverage) or shrinking, or once more
/// for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Search,
    Report { keep: bool },
}

fn one_case<S, F>(name: &str, strategy: &S, check: &F, seed: u64, keep: bool) -> Result<(), String>
where
    S: Strategy,
    S::Value: std::fmt::Debug,
    F: Fn(&S::Value, Mode) -> Result<(), String>,
{
    let mut bytes = [0u8; 32];
    for (k, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&splitmix(seed ^ ((k as u64) << 56)).to_le_bytes());
    }
    let config = Config {
        cases: 1,
        failure_persistence: None,
        max_shrink_iters: 64,
        max_shrink_time: 30_000,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let first = std::cell::Cell::new(true);
    // Shrinking keeps any failure: say which one the case first had.
    let original: std::cell::RefCell<Option<String>> = Default::default();
    let result = runner.run(strategy, |case| {
        if first.replace(false) {
            count(name, "cases run");
        }
        check(&case, Mode::Search).map_err(|why| {
            original.borrow_mut().get_or_insert_with(|| headline(&why));
            TestCaseError::fail(why)
        })
    });
    match result {
        Ok(()) => Ok(()),
        Err(TestError::Abort(why)) => Err(format!("aborted: {why}")),
        Err(TestError::Fail(_, minimal)) => {
            let report = match check(&minimal, Mode::Report { keep }) {
                Err(report) => report,
                Ok(()) => "(the shrunk case passed when run again: flaky?)".to_string(),
            };
            let original = original.into_inner().unwrap_or_default();
            Err(format!(
                "first failure: {original}\nshrunk to: {minimal:?}\n{report}"
            ))
        }
    }
}

/// The line of a failure report saying what is wrong.
fn headline(report: &str) -> String {
    report
        .lines()
        .find(|l| !l.starts_with("mutations:") && !l.starts_with("  - "))
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// What the cases covered, by test: `group item` → how many times.
type Counts = BTreeMap<String, BTreeMap<String, u64>>;

fn coverage_table() -> &'static Mutex<Counts> {
    static COVERAGE: OnceLock<Mutex<Counts>> = OnceLock::new();
    COVERAGE.get_or_init(Default::default)
}

fn count(test: &str, what: impl AsRef<str>) {
    let mut all = coverage_table().lock().unwrap();
    let counts = all.entry(test.to_string()).or_default();
    *counts.entry(what.as_ref().to_string()).or_default() += 1;
}

fn coverage(test: &str) -> String {
    let all = coverage_table().lock().unwrap();
    let mut out = String::new();
    let mut last = "";
    for (k, n) in all.get(test).into_iter().flatten() {
        let (group, item) = k.split_once(' ').unwrap_or((k, ""));
        if group != last {
            let _ = write!(out, "\n  {group}:");
            last = group;
        }
        let _ = write!(out, " {item}={n}");
    }
    out
}

// --- what the example workspace holds ---------------------------------------------------------

/// Keys and values found in the example workspace: what mutations move around.
struct Pool {
    /// Every (key, value) of the example's files, values verbatim (quotes included).
    pairs: Vec<(String, String)>,
    keys: Vec<String>,
    values: Vec<String>,
    /// Rule ids, from `fresk lint --rules`.
    rules: BTreeSet<String>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut pairs = BTreeSet::new();
        for entry in demo().values() {
            let Entry::File(bytes) = entry else { continue };
            let Ok(text) = std::str::from_utf8(bytes) else {
                continue;
            };
            for s in slots(text) {
                pairs.insert((text[s.key.clone()].to_string(), text[s.value].to_string()));
            }
        }
        let pairs: Vec<_> = pairs.into_iter().collect();
        let keys: BTreeSet<_> = pairs.iter().map(|(k, _)| k.clone()).collect();
        let values: BTreeSet<_> = pairs.iter().map(|(_, v)| v.clone()).collect();
        let dir = crate::support::manifest_dir().join("examples/demo");
        let out = fresk_command(&dir)
            .args(["lint", "--rules"])
            .output()
            .unwrap();
        let rules = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("  "))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect::<BTreeSet<_>>();
        assert!(rules.contains("yaml-syntax"), "no rules listed: {out:?}");
        Pool {
            pairs,
            keys: keys.into_iter().filter(|k| !k.is_empty()).collect(),
            values: values.into_iter().collect(),
            rules,
        }
    })
}

/// Values a careless or hostile author might write anywhere.
#[rustfmt::skip]
const EDGE_VALUES: &[&str] = &[
    "", "~", "null", "NULL", "true", "false", "yes", "no", "on", "off", "0", "-0", "+1", "-1",
    "0.5", "1.005", "0.001", "-500", "500.00", "500.000", "1e3", "1e309", "-1e309", "1e-400",
    ".inf", "-.inf", ".nan", "0x1F", "0o17", "0b11", "1_000", "1,000.00",
    "99999999999999999999999999999999", "-99999999999999999999999999999999.99",
    "18446744073709551616", "9223372036854775807", "-9223372036854775808",
    "79228162514264337593543950336", "7922816251426433759354395033.5", "2026-02-29",
    "2024-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "9999-12-31",
    "2026-6-5", "2026-06-15 24:00", "2026-06-15 23:59", "2026-06-15 10:60",
    "2026-06-15T10:00:00Z", "2026-06-15 10:00:00+02:00", "2026-03-29 02:30", "2026-10-25 02:30",
    "2026-06", "2026-13", "1969-12-31", "-0001-01-01", "+10000-01-01", "262143-12-31", "[]",
    "{}", "[a, b]", "{a: 1}", "[[[]]]", "'quoted'", "\"dq\"", "\"\\u0000\"", "\"\\uD800\"",
    "\"\\x41\\n\\t\"", "'it''s'", "\"unterminated", "|", ">", "&anchor value", "*anchor",
    "*undefined", "!!str 5", "!!int x", "!!float nan", "!!binary aGVsbG8=",
    "!!timestamp 2026-06-15", "!custom tag", "!<tag:yaml.org,2002:str> x", "!!map {}",
    "!!seq []", "!!null ''", "? x", "é", "Zoë", "👩‍👩‍👧", "\u{202e}evil", "a\u{301}",
    "\u{feff}x", "\u{85}", "\u{2028}", "ı", "ǅ", "𝔘", "\t", "a\tb", "#notacomment",
    "a #comment", "x: y", "- item", "%", "@x", "`x`", "<<", "=", "../../etc/passwd",
    "/etc/passwd", "private/x.pdf", "private/../people/x.yaml", "C:\\x",
    "M2026-0005/../M2026-0006", "R2026-0001", "M2026-0001", "M2026-0005-S99",
    "P2026-13-M2026-0005", "F2026-0000", "F2026-9999", "AV2026-0002", "nobody",
    "[fr, ../../../x]",
];

/// Clocks (`FRESK_TODAY`, `FRESK_NOW`): the demo's day, around its deadlines (R2026-0014's
/// response is due 2026-06-16 16:20, M2026-0005-S07 ends 2026-06-18 11:30), later months and
/// years, daylight-saving gaps and overlaps (Europe/Paris), and clocks that are not dates.
#[rustfmt::skip]
const CLOCKS: &[(&str, Option<&str>)] = &[
    ("2026-06-15", None), ("2026-06-15", Some("2026-06-15 12:00")),
    ("2026-06-16", Some("2026-06-16 16:19")), ("2026-06-16", Some("2026-06-16 16:21")),
    ("2026-06-18", Some("2026-06-18 11:29")), ("2026-06-18", Some("2026-06-18 11:31")),
    ("2026-06-30", Some("2026-06-30 23:59")), ("2026-07-01", None),
    ("2026-07-02", Some("2026-07-02 09:00")), ("2026-12-31", None), ("2027-01-04", None),
    ("2026-01-01", None), ("2025-06-15", None),
    ("2026-03-29", Some("2026-03-29 02:30")), ("2026-10-25", Some("2026-10-25 02:30")),
    ("2026-06-15", Some("2026-06-15 24:00")), ("2026-02-30", None), ("yesterday", None),
];

/// Patterns of the legal series in `fresk.yaml` (`{year}`, `{seq:04}`, `{person}`).
#[rustfmt::skip]
const SERIES_PATTERNS: &[&str] = &[
    "F{year}-{seq:04}", "F{year}-{seq:99}", "{seq}", "F{nope}", "F{year}", "F{seq:0}", "F{{seq}}",
    "F-{seq:04}-{seq:04}", "é{seq}", "F {seq}", "F{year}-{seq:04", "", "F{seq:-4}",
    "F{seq:18446744073709551616}",
];

/// Series patterns leaving the folder of their documents (a bug this harness found: commands
/// wrote outside the workspace).
#[rustfmt::skip]
const SERIES_ESCAPES: &[&str] = &[
    "../../../F{year}-{seq:04}", "../../people/{seq}", "/tmp/F{seq}", "{person}/{seq}", "../{seq}",
];

/// File names a hostile author might use.
#[rustfmt::skip]
const WEIRD_NAMES: &[&str] = &[
    "é.yaml", "a b.yaml", "a,b:c.yaml", "%41.yaml", ".hidden.yaml", "-x.yaml", "new\nline.yaml",
    "tab\there.yaml", "UPPER.yaml", "ÉCOLE.yaml", "🙂.yaml", "a\\b.yaml", "*.yaml", "[x].yaml",
    "#x.yaml", "\u{202e}lmay.yaml", "a\u{301}.yaml", ".yaml", "mission.yaml", "fresk.yaml",
    "x.yaml.yaml",
];

/// What a file name may end with instead of `.yaml`.
#[rustfmt::skip]
const EXTENSIONS: &[&str] = &[".yml", ".YAML", ".yaml.bak", "", ".json", ".yaml~", ".yaml "];

// --- finding scalars in a file ----------------------------------------------------------------

/// A `key: value` (or a list item, with an empty key) found in a file: byte ranges.
#[derive(Debug, Clone)]
struct Slot {
    key: Range<usize>,
    value: Range<usize>,
}

/// The keys and scalar values of a YAML text, line by line, good enough to mutate (block
/// mappings, `- ` items, flow mappings and lists on one line, quoted scalars).
fn slots(text: &str) -> Vec<Slot> {
    let mut out = Vec::new();
    let mut base = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let b = body.as_bytes();
        let mut i = 0;
        loop {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if b[i..].starts_with(b"- ") {
                i += 2;
            } else {
                break;
            }
        }
        if i < b.len() && b[i] != b'#' {
            let mut found = Vec::new();
            pair(b, i, false, &mut found);
            out.extend(found.into_iter().map(|s| Slot {
                key: base + s.key.start..base + s.key.end,
                value: base + s.value.start..base + s.value.end,
            }));
        }
        base += line.len();
    }
    out
}

/// The end of the scalar starting at `i` (quoted or plain), `in_flow` stopping at `,]}` too.
fn scalar_end(b: &[u8], mut i: usize, in_flow: bool) -> usize {
    match b.get(i) {
        Some(b'"') => {
            i += 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            b.len()
        }
        Some(b'\'') => {
            i += 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            b.len()
        }
        _ => {
            while i < b.len() {
                let c = b[i];
                if in_flow && matches!(c, b',' | b']' | b'}') {
                    break;
                }
                if c == b'#' && i > 0 && b[i - 1] == b' ' {
                    break;
                }
                if c == b':' && (i + 1 == b.len() || b[i + 1] == b' ') {
                    break;
                }
                i += 1;
            }
            while i > 0 && b[i - 1] == b' ' {
                i -= 1;
            }
            i
        }
    }
}

/// A `key: value` or a lone scalar at `i`; returns where it ends.
fn pair(b: &[u8], mut i: usize, in_flow: bool, out: &mut Vec<Slot>) -> usize {
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let start = i;
    let end = match b.get(i) {
        Some(b'{') => return flow(b, i, b'}', out),
        Some(b'[') => return flow(b, i, b']', out),
        _ => scalar_end(b, i, in_flow).max(i),
    };
    if b.get(end) == Some(&b':') && (end + 1 == b.len() || b[end + 1] == b' ') {
        let mut v = end + 1;
        while v < b.len() && b[v] == b' ' {
            v += 1;
        }
        let after = match b.get(v) {
            Some(b'{') => flow(b, v, b'}', out),
            Some(b'[') => flow(b, v, b']', out),
            Some(b'#') => v,
            _ => scalar_end(b, v, in_flow).max(v),
        };
        out.push(Slot {
            key: start..end,
            value: v..after,
        });
        after
    } else {
        out.push(Slot {
            key: start..start,
            value: start..end,
        });
        end
    }
}

/// A flow mapping or list from its opening bracket at `i`; returns after its closing one.
fn flow(b: &[u8], i: usize, close: u8, out: &mut Vec<Slot>) -> usize {
    let mut j = i + 1;
    let mut guard = 0;
    while j < b.len() && guard < 10_000 {
        guard += 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        match b.get(j) {
            None => return j,
            Some(&c) if c == close => return j + 1,
            Some(b',') => j += 1,
            Some(b']' | b'}') => return j + 1,
            _ => {
                let next = pair(b, j, true, out);
                j = if next > j { next } else { j + 1 };
            }
        }
    }
    j.min(b.len())
}

// --- mutations --------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Mutation {
    SetValue(Index, Index, NewValue),
    /// A value of `fresk.yaml`.
    Config(Index, NewValue),
    /// One of the series patterns of `fresk.yaml`.
    Series(Index, Index),
    SwapValues(Index, Index, Index, Index),
    RenameKey(Index, Index, Index),
    Line(Index, Index, LineOp),
    Insert(Index, Index, Snippet),
    Encode(Index, Encoding),
    Bytes(Index, Vec<ByteOp>),
    Delete(Index),
    Empty(Index),
    Truncate(Index, Index),
    Copy(Index, NewName),
    Move(Index, NewName),
    SwapFiles(Index, Index),
    Overwrite(Index, Index),
    Link(Index, LinkTo),
    FileToDir(Index),
    NewFile(Index, NewName, Vec<(Index, NewValue)>),
    RemoveDir(Index),
    CopyDir(Index, NewName),
    MoveDir(Index, NewName),
    LinkDir(Index, bool),
}

#[derive(Debug, Clone)]
enum NewValue {
    /// Any value of the example workspace.
    Pool(Index),
    /// The value another key has somewhere in the example workspace.
    SameKey(Index),
    /// An id of a file of the mutated workspace.
    Id(Index),
    /// An id of the workspace with its number changed: most often missing.
    Missing(Index, u16),
    Edge(Index),
    Number(i64, u8),
    Text(String),
}

#[derive(Debug, Clone)]
enum LineOp {
    Delete,
    Duplicate,
    Indent(u8),
    Dedent,
    Tab,
    SwapNext,
    CommentOut,
    TrailingSpaces,
    JoinNext,
}

#[derive(Debug, Clone)]
enum Snippet {
    Anchors,
    Merge,
    AliasBomb(u8),
    DeepFlow(u32),
    DeepBlock(u16),
    Document,
    Directive,
    Conflict,
    ComplexKey,
    BlockScalar,
    LongLine(u32),
    QuotedDuplicateKey,
    Tagged(Index),
    HugeFile,
    Control(u8),
    Pair(Index),
}

#[derive(Debug, Clone)]
enum Encoding {
    Bom,
    DoubleBom,
    Crlf,
    MixedCrlf(Index),
    CrOnly,
    Utf16Le,
    Utf16Be,
    Latin1,
    Invalid(Index, Index),
    Nul(Index),
    NoFinalNewline,
    ZeroWidth(Index),
}

#[rustfmt::skip]
const INVALID_UTF8: &[&[u8]] = &[
    b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x82", b"\xc0\x80", b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80", b"\x80",
];

#[derive(Debug, Clone)]
enum ByteOp {
    Flip(Index, u8),
    Set(Index, u8),
    Insert(Index, u8),
    Remove(Index, u8),
    Repeat(Index, u8, Index),
}

#[derive(Debug, Clone)]
enum NewName {
    /// The name of another file or folder (in the same folder: replaces it).
    Existing(Index),
    /// The number in the name changed (`R2026-0014` → `R2026-0003`).
    Bump(u16),
    /// The same name in the folder of another file.
    OtherDir(Index),
    Extension(Index),
    Weird(Index),
    /// Another year folder.
    Year(u16),
}

#[derive(Debug, Clone)]
enum LinkTo {
    Inside(Index),
    Outside,
    Dangling,
    Loop,
    Parent,
}

/// Between the cached runs of `fuzz_lint`.
#[derive(Debug, Clone)]
enum Warm {
    /// Change one letter or digit in place: same size, same inode, maybe the same mtime.
    SameSize(Index, Index, bool),
    Touch(Index, When),
    /// Write the same bytes again.
    Rewrite(Index),
    /// Swap two files by renaming (inodes move, times stay).
    SwapNames(Index, Index),
    /// Damage a file of the cache.
    Cache(Index, ByteOp),
    CacheTruncate(Index, Index),
    CacheDelete(Index),
    AgeAll,
    /// Move the clock (the rules' memo holds for a span of time only).
    Clock(Index),
    Again(Mutation),
}

#[derive(Debug, Clone)]
enum When {
    Past,
    Same,
    Future,
    Epoch,
    Now,
}

/// How old the files are when the cached runs start (only files older than the cache's racy
/// window are cached).
#[derive(Debug, Clone)]
enum Age {
    Old,
    Fresh,
    Mixed(u8),
    Future,
}

fn ix() -> impl Strategy<Value = Index> {
    any::<Index>()
}

fn new_value() -> impl Strategy<Value = NewValue> {
    prop_oneof![
        3 => ix().prop_map(NewValue::Pool),
        4 => ix().prop_map(NewValue::SameKey),
        4 => ix().prop_map(NewValue::Id),
        2 => (ix(), any::<u16>()).prop_map(|(i, n)| NewValue::Missing(i, n)),
        4 => ix().prop_map(NewValue::Edge),
        2 => (any::<i64>(), 0u8..5).prop_map(|(n, p)| NewValue::Number(n, p)),
        1 => "\\PC{0,12}".prop_map(NewValue::Text),
        1 => ".{0,8}".prop_map(NewValue::Text),
    ]
}

fn line_op() -> impl Strategy<Value = LineOp> {
    prop_oneof![
        Just(LineOp::Delete),
        Just(LineOp::Duplicate),
        (1u8..6).prop_map(LineOp::Indent),
        Just(LineOp::Dedent),
        Just(LineOp::Tab),
        Just(LineOp::SwapNext),
        Just(LineOp::CommentOut),
        Just(LineOp::TrailingSpaces),
        Just(LineOp::JoinNext),
    ]
}

fn snippet() -> impl Strategy<Value = Snippet> {
    prop_oneof![
        2 => Just(Snippet::Anchors),
        2 => Just(Snippet::Merge),
        1 => (1u8..10).prop_map(Snippet::AliasBomb),
        1 => prop_oneof![2..200u32, 200..5000u32, Just(100_000u32)].prop_map(Snippet::DeepFlow),
        1 => prop_oneof![2..50u16, 50..600u16].prop_map(Snippet::DeepBlock),
        1 => Just(Snippet::Document),
        1 => Just(Snippet::Directive),
        1 => Just(Snippet::Conflict),
        1 => Just(Snippet::ComplexKey),
        1 => Just(Snippet::BlockScalar),
        1 => prop_oneof![100..2000u32, Just(200_000u32)].prop_map(Snippet::LongLine),
        2 => Just(Snippet::QuotedDuplicateKey),
        2 => ix().prop_map(Snippet::Tagged),
        1 => prop::bool::weighted(0.05)
            .prop_map(|huge| if huge { Snippet::HugeFile } else { Snippet::Document }),
        1 => any::<u8>().prop_map(|c| Snippet::Control(c % 32)),
        4 => ix().prop_map(Snippet::Pair),
    ]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        2 => Just(Encoding::Bom),
        1 => Just(Encoding::DoubleBom),
        2 => Just(Encoding::Crlf),
        1 => ix().prop_map(Encoding::MixedCrlf),
        1 => Just(Encoding::CrOnly),
        1 => Just(Encoding::Utf16Le),
        1 => Just(Encoding::Utf16Be),
        1 => Just(Encoding::Latin1),
        2 => (ix(), ix()).prop_map(|(a, b)| Encoding::Invalid(a, b)),
        1 => ix().prop_map(Encoding::Nul),
        1 => Just(Encoding::NoFinalNewline),
        1 => ix().prop_map(Encoding::ZeroWidth),
    ]
}

fn byte_op() -> impl Strategy<Value = ByteOp> {
    prop_oneof![
        (ix(), 0u8..8).prop_map(|(i, b)| ByteOp::Flip(i, b)),
        (ix(), any::<u8>()).prop_map(|(i, b)| ByteOp::Set(i, b)),
        (ix(), any::<u8>()).prop_map(|(i, b)| ByteOp::Insert(i, b)),
        (ix(), 1u8..64).prop_map(|(i, n)| ByteOp::Remove(i, n)),
        (ix(), 1u8..64, ix()).prop_map(|(i, n, j)| ByteOp::Repeat(i, n, j)),
    ]
}

fn new_name() -> impl Strategy<Value = NewName> {
    prop_oneof![
        2 => ix().prop_map(NewName::Existing),
        3 => (0u16..40).prop_map(NewName::Bump),
        1 => ix().prop_map(NewName::OtherDir),
        1 => ix().prop_map(NewName::Extension),
        1 => ix().prop_map(NewName::Weird),
        1 => prop_oneof![Just(2025u16), Just(2027), Just(999), Just(2026)].prop_map(NewName::Year),
    ]
}

fn link_to() -> impl Strategy<Value = LinkTo> {
    prop_oneof![
        2 => ix().prop_map(LinkTo::Inside),
        2 => Just(LinkTo::Outside),
        1 => Just(LinkTo::Dangling),
        1 => Just(LinkTo::Loop),
        1 => Just(LinkTo::Parent),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        14 => (ix(), ix(), new_value()).prop_map(|(f, s, v)| Mutation::SetValue(f, s, v)),
        3 => (ix(), new_value()).prop_map(|(s, v)| Mutation::Config(s, v)),
        1 => (ix(), ix()).prop_map(|(k, p)| Mutation::Series(k, p)),
        4 => (ix(), ix(), ix(), ix()).prop_map(|(a, s, b, t)| Mutation::SwapValues(a, s, b, t)),
        2 => (ix(), ix(), ix()).prop_map(|(f, s, k)| Mutation::RenameKey(f, s, k)),
        5 => (ix(), ix(), line_op()).prop_map(|(f, l, op)| Mutation::Line(f, l, op)),
        5 => (ix(), ix(), snippet()).prop_map(|(f, l, s)| Mutation::Insert(f, l, s)),
        3 => (ix(), encoding()).prop_map(|(f, e)| Mutation::Encode(f, e)),
        3 => (ix(), prop::collection::vec(byte_op(), 1..4))
            .prop_map(|(f, ops)| Mutation::Bytes(f, ops)),
        2 => ix().prop_map(Mutation::Delete),
        1 => ix().prop_map(Mutation::Empty),
        1 => (ix(), ix()).prop_map(|(f, at)| Mutation::Truncate(f, at)),
        3 => (ix(), new_name()).prop_map(|(f, n)| Mutation::Copy(f, n)),
        3 => (ix(), new_name()).prop_map(|(f, n)| Mutation::Move(f, n)),
        1 => (ix(), ix()).prop_map(|(a, b)| Mutation::SwapFiles(a, b)),
        1 => (ix(), ix()).prop_map(|(a, b)| Mutation::Overwrite(a, b)),
        1 => (ix(), link_to()).prop_map(|(f, l)| Mutation::Link(f, l)),
        1 => ix().prop_map(Mutation::FileToDir),
        2 => (ix(), new_name(), prop::collection::vec((ix(), new_value()), 0..6))
            .prop_map(|(f, n, body)| Mutation::NewFile(f, n, body)),
        1 => ix().prop_map(Mutation::RemoveDir),
        1 => (ix(), new_name()).prop_map(|(d, n)| Mutation::CopyDir(d, n)),
        1 => (ix(), new_name()).prop_map(|(d, n)| Mutation::MoveDir(d, n)),
        1 => (ix(), any::<bool>()).prop_map(|(d, out)| Mutation::LinkDir(d, out)),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

fn age() -> impl Strategy<Value = Age> {
    prop_oneof![
        6 => Just(Age::Old),
        1 => Just(Age::Fresh),
        2 => any::<u8>().prop_map(Age::Mixed),
        1 => Just(Age::Future),
    ]
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        Just(When::Past),
        Just(When::Same),
        Just(When::Future),
        Just(When::Epoch),
        Just(When::Now),
    ]
}

fn warm() -> impl Strategy<Value = Warm> {
    prop_oneof![
        6 => (ix(), ix(), any::<bool>()).prop_map(|(f, at, keep)| Warm::SameSize(f, at, keep)),
        2 => (ix(), when()).prop_map(|(f, w)| Warm::Touch(f, w)),
        1 => ix().prop_map(Warm::Rewrite),
        2 => (ix(), ix()).prop_map(|(a, b)| Warm::SwapNames(a, b)),
        2 => (ix(), byte_op()).prop_map(|(c, op)| Warm::Cache(c, op)),
        1 => (ix(), ix()).prop_map(|(c, at)| Warm::CacheTruncate(c, at)),
        1 => ix().prop_map(Warm::CacheDelete),
        1 => Just(Warm::AgeAll),
        2 => ix().prop_map(Warm::Clock),
        3 => mutation().prop_map(Warm::Again),
    ]
}

// --- applying mutations -----------------------------------------------------------------------

/// One file of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Link(PathBuf),
    Dir,
}

/// Every file, link and folder under `dir` (not following links), by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let kind = entry.file_type();
        let item = if kind.is_symlink() {
            Entry::Link(std::fs::read_link(entry.path()).unwrap_or_default())
        } else if kind.is_dir() {
            Entry::Dir
        } else {
            Entry::File(std::fs::read(entry.path()).unwrap_or_default())
        };
        out.insert(rel, item);
    }
    out
}

/// `examples/demo`, read once.
fn demo() -> &'static BTreeMap<String, Entry> {
    static DEMO: OnceLock<BTreeMap<String, Entry>> = OnceLock::new();
    DEMO.get_or_init(|| snapshot(&crate::support::manifest_dir().join("examples/demo")))
}

/// The workspace's files without its cache.
fn workspace_snapshot(ws: &Path) -> BTreeMap<String, Entry> {
    let mut snap = snapshot(ws);
    snap.retain(|path, _| !is_cache(path));
    snap
}

fn is_cache(rel: &str) -> bool {
    rel == ".fresk-cache" || rel.starts_with(".fresk-cache/")
}

/// What a case works on: the workspace, a folder outside it (link targets) and the cache's.
struct Ctx {
    /// The case's folder: `x/y/z/workspace` (a write escaping the workspace by up to four
    /// `..` lands in it), `outside/` (what links point to) and `cache/` (`FRESK_CACHE_DIR`).
    case: tempfile::TempDir,
    ws: PathBuf,
    outside: PathBuf,
    cache: PathBuf,
    /// `FRESK_TODAY` and `FRESK_NOW`, from [`CLOCKS`].
    clock: (&'static str, Option<&'static str>),
    log: Vec<String>,
}

impl Ctx {
    fn new() -> Ctx {
        let case = tempfile::tempdir().unwrap();
        let ws = case.path().join("x/y/z/workspace");
        let (outside, cache) = (case.path().join("outside"), case.path().join("cache"));
        for dir in [&ws, &outside, &cache] {
            std::fs::create_dir_all(dir).unwrap();
        }
        for (rel, entry) in demo() {
            let path = ws.join(rel);
            match entry {
                Entry::Dir => std::fs::create_dir_all(path).unwrap(),
                Entry::File(bytes) => std::fs::write(path, bytes).unwrap(),
                Entry::Link(to) => std::os::unix::fs::symlink(to, path).unwrap(),
            }
        }
        Ctx {
            case,
            ws,
            outside,
            cache,
            clock: CLOCKS[0],
            log: Vec::new(),
        }
    }

    fn root(&self) -> &Path {
        &self.ws
    }

    /// Every file of the case's folder outside the workspace and the cache.
    fn around(&self) -> BTreeMap<String, Entry> {
        let mut out = snapshot(self.case.path());
        out.retain(|rel, _| {
            let path = self.case.path().join(rel);
            !path.starts_with(&self.ws) && !path.starts_with(&self.cache)
        });
        out
    }

    /// Regular files and links of the workspace (not its cache), sorted.
    fn files(&self) -> Vec<String> {
        walk(self.root(), |t| !t.is_dir())
    }

    /// Folders of the workspace (not its cache), sorted.
    fn dirs(&self) -> Vec<String> {
        walk(self.root(), |t| t.is_dir())
    }

    /// Files of the cache, wherever it is kept.
    fn cache_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in [self.root().join(".fresk-cache"), self.cache.clone()] {
            for e in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if e.file_type().is_file() {
                    out.push(e.path().to_path_buf());
                }
            }
        }
        out
    }

    /// Ids: the names of the workspace's files (without extension) and of the missions' folders.
    fn ids(&self) -> Vec<String> {
        let mut ids = BTreeSet::new();
        for f in self.files() {
            let name = file_name(&f);
            if name == "mission.yaml" {
                ids.insert(file_name(parent(&f)).to_string());
            } else if let Some(stem) = name.strip_suffix(".yaml") {
                ids.insert(stem.to_string());
            }
        }
        ids.into_iter().collect()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap_or_default()
    }

    /// Write `bytes` to `rel`, replacing a link by a file (never writing through it).
    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && !meta.is_file()
        {
            remove(&path);
        }
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(path, bytes);
    }

    fn note(&mut self, what: String) {
        self.log.push(what);
    }

    /// Keep the case's folders on disk; where they are.
    fn keep(self) -> String {
        let ws = self.ws.display().to_string();
        let case = self.case.keep();
        format!("kept: {} (the workspace: {ws})", case.display())
    }
}

fn walk(root: &Path, keep: impl Fn(std::fs::FileType) -> bool) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != ".fresk-cache")
        .flatten()
        .filter(|e| keep(e.file_type()))
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn remove(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

fn copy_tree(from: &Path, to: &Path) {
    let Ok(meta) = std::fs::symlink_metadata(from) else {
        return;
    };
    if meta.is_symlink() {
        if let Ok(target) = std::fs::read_link(from) {
            remove(to);
            let _ = std::os::unix::fs::symlink(target, to);
        }
    } else if meta.is_dir() {
        let _ = std::fs::create_dir_all(to);
        let mut names: Vec<_> = std::fs::read_dir(from)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            copy_tree(&from.join(&name), &to.join(&name));
        }
    } else {
        remove(to);
        let _ = std::fs::copy(from, to);
    }
}

fn pick<'a, T>(items: &'a [T], i: &Index) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[i.index(items.len())])
}

/// `R2026-0014` with its last number replaced by `n` (same width), or `stem-n`.
fn bump(stem: &str, n: u16) -> String {
    let b = stem.as_bytes();
    let end = b.iter().rposition(u8::is_ascii_digit);
    match end {
        Some(end) => {
            let start = b[..end]
                .iter()
                .rposition(|c| !c.is_ascii_digit())
                .map_or(0, |p| p + 1);
            let width = end + 1 - start;
            let modulo = 10u64.pow(width.min(9) as u32);
            let number = format!("{:0width$}", u64::from(n) % modulo);
            format!("{}{number}{}", &stem[..start], &stem[end + 1..])
        }
        None => format!("{stem}-{n}"),
    }
}

fn split_ext(name: &str) -> (&str, &str) {
    match name.find('.') {
        Some(0) | None => (name, ""),
        Some(dot) => (&name[..dot], &name[dot..]),
    }
}

impl Ctx {
    /// Where `rel` goes under `name` (a path relative to the workspace, never leaving it).
    fn rename_target(&self, rel: &str, name: &NewName) -> String {
        let dir = parent(rel);
        let base = file_name(rel);
        let (stem, ext) = split_ext(base);
        let all: Vec<String> = self.files().into_iter().chain(self.dirs()).collect();
        match name {
            NewName::Existing(i) => match pick(&all, i) {
                Some(other) => join(dir, file_name(other)),
                None => rel.to_string(),
            },
            NewName::Bump(n) => join(dir, &format!("{}{ext}", bump(stem, *n))),
            NewName::OtherDir(i) => match pick(&all, i) {
                Some(other) => join(parent(other), base),
                None => rel.to_string(),
            },
            NewName::Extension(i) => join(
                dir,
                &format!("{stem}{}", EXTENSIONS[i.index(EXTENSIONS.len())]),
            ),
            NewName::Weird(i) => join(dir, WEIRD_NAMES[i.index(WEIRD_NAMES.len())]),
            NewName::Year(y) => {
                let parts: Vec<&str> = rel.split('/').collect();
                match parts
                    .iter()
                    .position(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))
                {
                    Some(k) => {
                        let mut parts: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
                        parts[k] = y.to_string();
                        parts.join("/")
                    }
                    None => join(dir, &format!("{}{ext}", bump(stem, *y))),
                }
            }
        }
    }

    fn value(&self, v: &NewValue, key: &str) -> String {
        let pool = pool();
        match v {
            NewValue::Pool(i) => pick(&pool.values, i).cloned().unwrap_or_default(),
            NewValue::SameKey(i) => {
                let same: Vec<&String> = pool
                    .pairs
                    .iter()
                    .filter(|(k, _)| k == key)
                    .map(|(_, v)| v)
                    .collect();
                match pick(&same, i) {
                    Some(v) => (*v).clone(),
                    None => pick(&pool.values, i).cloned().unwrap_or_default(),
                }
            }
            NewValue::Id(i) => pick(&self.ids(), i).cloned().unwrap_or_default(),
            NewValue::Missing(i, n) => pick(&self.ids(), i)
                .map(|id| bump(id, *n))
                .unwrap_or_default(),
            NewValue::Edge(i) => EDGE_VALUES[i.index(EDGE_VALUES.len())].to_string(),
            NewValue::Number(n, places) => {
                if *places == 0 {
                    n.to_string()
                } else {
                    let p = 10i128.pow(u32::from(*places));
                    let n = i128::from(*n);
                    let sign = if n < 0 { "-" } else { "" };
                    format!(
                        "{sign}{}.{:0w$}",
                        (n / p).abs(),
                        (n % p).abs(),
                        w = usize::from(*places)
                    )
                }
            }
            NewValue::Text(t) => t.clone(),
        }
    }

    /// Apply one mutation, noting what it did.
    fn apply(&mut self, m: &Mutation) {
        let files = self.files();
        let dirs = self.dirs();
        let Some(note) = self.apply_to(m, &files, &dirs) else {
            self.note(format!("{m:?}: nothing to do"));
            return;
        };
        self.note(note);
    }

    fn apply_to(&mut self, m: &Mutation, files: &[String], dirs: &[String]) -> Option<String> {
        match m {
            Mutation::Config(s, v) => {
                let file = files.iter().find(|f| *f == "fresk.yaml")?;
                let bytes = self.read(file);
                let text = String::from_utf8(bytes).ok()?;
                let slot = pick(&slots(&text), s)?.clone();
                let key = &text[slot.key.clone()];
                let value = self.value(v, key);
                let old = &text[slot.value.clone()];
                let new = format!(
                    "{}{value}{}",
                    &text[..slot.value.start],
                    &text[slot.value.end..]
                );
                self.write(file, new.as_bytes());
                Some(format!("{file}: `{key}` {old:?} → {value:?}"))
            }
            Mutation::Series(k, p) => {
                let text = String::from_utf8(self.read("fresk.yaml")).ok()?;
                let keys = ["quote", "invoice", "credit_note", "self_invoice"];
                let key = keys[k.index(keys.len())];
                let mut patterns = SERIES_PATTERNS.to_vec();
                patterns.extend(SERIES_ESCAPES);
                let pattern = patterns[p.index(patterns.len())];
                let at = text.find(&format!("\n  {key}: "))? + key.len() + 5;
                let end = at + text[at..].find('\n')?;
                let new = format!("{}{pattern:?}{}", &text[..at], &text[end..]);
                self.write("fresk.yaml", new.as_bytes());
                Some(format!("fresk.yaml: series `{key}` → {pattern:?}"))
            }
            Mutation::SetValue(f, s, v) => {
                let file = pick(files, f)?;
                let bytes = self.read(file);
                let text = String::from_utf8(bytes).ok()?;
                let slots = slots(&text);
                let Some(slot) = pick(&slots, s) else {
                    let value = self.value(v, "");
                    self.write(file, format!("{text}fuzz: {value}\n").as_bytes());
                    return Some(format!("{file}: appended `fuzz: {value:?}`"));
                };
                let key = &text[slot.key.clone()];
                let value = self.value(v, key);
                let old = &text[slot.value.clone()];
                let new = format!(
                    "{}{value}{}",
                    &text[..slot.value.start],
                    &text[slot.value.end..]
                );
                self.write(file, new.as_bytes());
                Some(format!("{file}: `{key}` {old:?} → {value:?}"))
            }
            Mutation::SwapValues(a, s, b, t) => {
                let fa = pick(files, a)?.clone();
                let fb = pick(files, b)?.clone();
                let ta = String::from_utf8(self.read(&fa)).ok()?;
                let tb = String::from_utf8(self.read(&fb)).ok()?;
                let sa = pick(&slots(&ta), s)?.clone();
                let sb = pick(&slots(&tb), t)?.clone();
                let va = ta[sa.value.clone()].to_string();
                let vb = tb[sb.value.clone()].to_string();
                if fa == fb {
                    if sa.value == sb.value {
                        return None;
                    }
                    let (first, second, v1, v2) = if sa.value.start < sb.value.start {
                        (&sa, &sb, &vb, &va)
                    } else {
                        (&sb, &sa, &va, &vb)
                    };
                    if first.value.end > second.value.start {
                        return None;
                    }
                    let new = format!(
                        "{}{v1}{}{v2}{}",
                        &ta[..first.value.start],
                        &ta[first.value.end..second.value.start],
                        &ta[second.value.end..]
                    );
                    self.write(&fa, new.as_bytes());
                } else {
                    let na = format!("{}{vb}{}", &ta[..sa.value.start], &ta[sa.value.end..]);
                    let nb = format!("{}{va}{}", &tb[..sb.value.start], &tb[sb.value.end..]);
                    self.write(&fa, na.as_bytes());
                    self.write(&fb, nb.as_bytes());
                }
                Some(format!("swapped {fa} {va:?} and {fb} {vb:?}"))
            }
            Mutation::RenameKey(f, s, k) => {
                let file = pick(files, f)?;
                let text = String::from_utf8(self.read(file)).ok()?;
                let slot = pick(&slots(&text), s)?.clone();
                let key = pick(&pool().keys, k)?;
                let old = &text[slot.key.clone()];
                let new = format!("{}{key}{}", &text[..slot.key.start], &text[slot.key.end..]);
                self.write(file, new.as_bytes());
                Some(format!("{file}: key {old:?} → {key:?}"))
            }
            Mutation::Line(f, l, op) => {
                let file = pick(files, f)?;
                let bytes = self.read(file);
                let mut lines: Vec<Vec<u8>> = bytes
                    .split_inclusive(|&b| b == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
                if lines.is_empty() {
                    return None;
                }
                let n = l.index(lines.len());
                match op {
                    LineOp::Delete => {
                        lines.remove(n);
                    }
                    LineOp::Duplicate => {
                        let line = lines[n].clone();
                        lines.insert(n, line);
                    }
                    LineOp::Indent(k) => {
                        lines[n].splice(0..0, std::iter::repeat_n(b' ', usize::from(*k)));
                    }
                    LineOp::Dedent => {
                        let k = lines[n].iter().take_while(|&&b| b == b' ').count().min(2);
                        lines[n].drain(..k);
                    }
                    LineOp::Tab => {
                        let k = lines[n].iter().take_while(|&&b| b == b' ').count();
                        lines[n].splice(0..k, [b'\t']);
                    }
                    LineOp::SwapNext => {
                        if n + 1 < lines.len() {
                            lines.swap(n, n + 1);
                        }
                    }
                    LineOp::CommentOut => lines[n].insert(0, b'#'),
                    LineOp::TrailingSpaces => {
                        let at = lines[n]
                            .iter()
                            .position(|&b| b == b'\n' || b == b'\r')
                            .unwrap_or(lines[n].len());
                        lines[n].splice(at..at, *b"  \t ");
                    }
                    LineOp::JoinNext => {
                        if lines[n].last() == Some(&b'\n') {
                            lines[n].pop();
                        }
                    }
                }
                self.write(file, &lines.concat());
                Some(format!("{file}: line {} {op:?}", n + 1))
            }
            Mutation::Insert(f, l, s) => {
                let file = pick(files, f)?;
                let bytes = self.read(file);
                let text = self.snippet(s, &bytes);
                let mut lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
                let n = l.index(lines.len() + 1);
                let mut text = text.into_bytes();
                if n > 0 && lines[n - 1].last() != Some(&b'\n') {
                    text.insert(0, b'\n');
                }
                lines.insert(n, &text);
                self.write(file, &lines.concat());
                let shown: String = String::from_utf8_lossy(&text).chars().take(80).collect();
                Some(format!(
                    "{file}: inserted at line {} {s:?}: {shown:?}",
                    n + 1
                ))
            }
            Mutation::Encode(f, e) => {
                let file = pick(files, f)?;
                let bytes = self.read(file);
                let new = encode(&bytes, e);
                self.write(file, &new);
                Some(format!("{file}: {e:?}"))
            }
            Mutation::Bytes(f, ops) => {
                let file = pick(files, f)?;
                let mut bytes = self.read(file);
                for op in ops {
                    byte_edit(&mut bytes, op);
                }
                self.write(file, &bytes);
                Some(format!("{file}: bytes {ops:?}"))
            }
            Mutation::Delete(f) => {
                let file = pick(files, f)?;
                remove(&self.path(file));
                Some(format!("deleted {file}"))
            }
            Mutation::Empty(f) => {
                let file = pick(files, f)?;
                self.write(file, b"");
                Some(format!("emptied {file}"))
            }
            Mutation::Truncate(f, at) => {
                let file = pick(files, f)?;
                let mut bytes = self.read(file);
                let n = at.index(bytes.len().max(1)).min(bytes.len());
                bytes.truncate(n);
                self.write(file, &bytes);
                Some(format!("{file}: truncated to {n} bytes"))
            }
            Mutation::Copy(f, name) => {
                let file = pick(files, f)?;
                let to = self.rename_target(file, name);
                if to == *file {
                    return None;
                }
                remove(&self.path(&to));
                let _ = std::fs::create_dir_all(self.path(parent(&to)));
                copy_tree(&self.path(file), &self.path(&to));
                Some(format!("copied {file} to {to:?}"))
            }
            Mutation::Move(f, name) => {
                let file = pick(files, f)?;
                let to = self.rename_target(file, name);
                if to == *file {
                    return None;
                }
                remove(&self.path(&to));
                let _ = std::fs::create_dir_all(self.path(parent(&to)));
                let _ = std::fs::rename(self.path(file), self.path(&to));
                Some(format!("moved {file} to {to:?}"))
            }
            Mutation::SwapFiles(a, b) => {
                let (fa, fb) = (pick(files, a)?.clone(), pick(files, b)?.clone());
                let (ba, bb) = (self.read(&fa), self.read(&fb));
                self.write(&fa, &bb);
                self.write(&fb, &ba);
                Some(format!("swapped the contents of {fa} and {fb}"))
            }
            Mutation::Overwrite(a, b) => {
                let (fa, fb) = (pick(files, a)?.clone(), pick(files, b)?.clone());
                let bytes = self.read(&fa);
                self.write(&fb, &bytes);
                Some(format!("{fb}: overwritten with {fa}"))
            }
            Mutation::Link(f, to) => {
                let file = pick(files, f)?.clone();
                let path = self.path(&file);
                let depth = file.matches('/').count();
                let up = "../".repeat(depth);
                let target: PathBuf = match to {
                    LinkTo::Inside(i) => PathBuf::from(format!("{up}{}", pick(files, i)?)),
                    LinkTo::Outside => {
                        let copy = self.outside.join(file.replace('/', "_"));
                        let _ = std::fs::write(&copy, self.read(&file));
                        copy
                    }
                    LinkTo::Dangling => PathBuf::from("no-such-file.yaml"),
                    LinkTo::Loop => PathBuf::from(file_name(&file)),
                    LinkTo::Parent => PathBuf::from(".."),
                };
                remove(&path);
                let _ = std::os::unix::fs::symlink(&target, &path);
                Some(format!("{file}: now a link to {}", target.display()))
            }
            Mutation::FileToDir(f) => {
                let file = pick(files, f)?;
                let bytes = self.read(file);
                remove(&self.path(file));
                let _ = std::fs::create_dir_all(self.path(file));
                let _ = std::fs::write(self.path(file).join("inner.yaml"), bytes);
                Some(format!("{file}: now a folder"))
            }
            Mutation::NewFile(f, name, body) => {
                let near = pick(files, f)?;
                let to = self.rename_target(near, name);
                let keys = &pool().keys;
                let mut text = String::new();
                for (k, v) in body {
                    let key = pick(keys, k)?;
                    let _ = writeln!(text, "{key}: {}", self.value(v, key));
                }
                remove(&self.path(&to));
                self.write(&to, text.as_bytes());
                Some(format!("new file {to:?}: {text:?}"))
            }
            Mutation::RemoveDir(d) => {
                let dir = pick(dirs, d)?;
                remove(&self.path(dir));
                Some(format!("removed folder {dir}"))
            }
            Mutation::CopyDir(d, name) => {
                let dir = pick(dirs, d)?;
                let to = self.rename_target(dir, name);
                if to == *dir || to.starts_with(&format!("{dir}/")) {
                    return None;
                }
                copy_tree(&self.path(dir), &self.path(&to));
                Some(format!("copied folder {dir} to {to:?}"))
            }
            Mutation::MoveDir(d, name) => {
                let dir = pick(dirs, d)?;
                let to = self.rename_target(dir, name);
                if to == *dir || to.starts_with(&format!("{dir}/")) {
                    return None;
                }
                remove(&self.path(&to));
                let _ = std::fs::create_dir_all(self.path(parent(&to)));
                let _ = std::fs::rename(self.path(dir), self.path(&to));
                Some(format!("moved folder {dir} to {to:?}"))
            }
            Mutation::LinkDir(d, outside) => {
                let dir = pick(dirs, d)?.clone();
                let path = self.path(&dir);
                let target = if *outside {
                    let there = self.outside.join(dir.replace('/', "_"));
                    copy_tree(&path, &there);
                    there
                } else {
                    let other = &dirs[dir.len() * 7 % dirs.len()];
                    if other.starts_with(&dir) {
                        return None;
                    }
                    PathBuf::from(format!("{}{other}", "../".repeat(dir.matches('/').count())))
                };
                remove(&path);
                let _ = std::os::unix::fs::symlink(&target, &path);
                Some(format!("folder {dir}: now a link to {}", target.display()))
            }
        }
    }

    fn snippet(&self, s: &Snippet, around: &[u8]) -> String {
        let indent: String = String::from_utf8_lossy(around)
            .lines()
            .nth(1)
            .map(|l| l.chars().take_while(|c| *c == ' ').collect())
            .unwrap_or_default();
        match s {
            Snippet::Anchors => "fuzz_a: &fz { state: held, amount: 10 }\nfuzz_b: *fz\n".into(),
            Snippet::Merge => "<<: { state: held, id: merged, amount: 1 }\n".into(),
            Snippet::AliasBomb(levels) => {
                let mut t = String::from("b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n");
                for k in 1..=*levels {
                    let prev = k - 1;
                    let _ = writeln!(
                        t,
                        "b{k}: &b{k} [{}]",
                        vec![format!("*b{prev}"); 10].join(", ")
                    );
                }
                t
            }
            Snippet::DeepFlow(n) => {
                let n = *n as usize;
                format!("deep: {}{}\n", "[".repeat(n), "]".repeat(n))
            }
            Snippet::DeepBlock(n) => {
                let mut t = String::new();
                for k in 0..usize::from(*n) {
                    let _ = writeln!(t, "{}k{k}:", " ".repeat(k));
                }
                t
            }
            Snippet::Document => "---\nid: second-document\n...\n".into(),
            Snippet::Directive => "%YAML 1.2\n---\n".into(),
            Snippet::Conflict => {
                "<<<<<<< HEAD\nstate: held\n=======\nstate: cancelled\n>>>>>>> other\n".into()
            }
            Snippet::ComplexKey => "? [a, b]\n: c\n? { x: 1 }\n: d\n".into(),
            Snippet::BlockScalar => "notes: |2-\n   x\n  y\n".into(),
            Snippet::LongLine(n) => format!("notes: {}\n", "é".repeat(*n as usize)),
            Snippet::QuotedDuplicateKey => format!("{indent}\"id\": dup\n{indent}'state': held\n"),
            Snippet::Tagged(i) => {
                let key = pick(&pool().keys, i).map_or("state", String::as_str);
                let tags = [
                    "!!str", "!!int", "!!binary", "!!map", "!!seq", "!custom", "!!null", "!!bool",
                ];
                format!("{indent}{key}: {} x\n", tags[i.index(tags.len())])
            }
            Snippet::HugeFile => {
                "# padding padding padding padding padding padding\n".repeat(90_000)
            }
            Snippet::Control(c) => format!("{indent}notes: a{}b\n", char::from(*c)),
            Snippet::Pair(i) => {
                let (k, v) = pick(&pool().pairs, i).cloned().unwrap_or_default();
                format!("{indent}{k}: {v}\n")
            }
        }
    }

    /// Age every file as `age` says (only files older than the cache's racy window are cached).
    fn age(&self, age: &Age) {
        let now = SystemTime::now();
        let files: Vec<String> = self.files();
        for (k, f) in files.iter().enumerate() {
            let when = match age {
                Age::Old => now - Duration::from_secs(3600),
                Age::Fresh => continue,
                Age::Mixed(bits) => {
                    if (k + usize::from(*bits)) % 3 == 0 {
                        continue;
                    }
                    now - Duration::from_secs(3600)
                }
                Age::Future => {
                    if k % 2 == 0 {
                        now + Duration::from_secs(86_400)
                    } else {
                        now - Duration::from_secs(3600)
                    }
                }
            };
            set_mtime(&self.path(f), when);
        }
    }

    fn warm(&mut self, w: &Warm) {
        match w {
            Warm::Again(m) => return self.apply(m),
            Warm::Clock(i) => return self.set_clock(Some(i)),
            _ => {}
        }
        let note = self.warm_change(w);
        self.note(note.unwrap_or_else(|| format!("{w:?}: nothing to do")));
    }

    fn warm_change(&self, w: &Warm) -> Option<String> {
        let files = self.files();
        match w {
            Warm::SameSize(f, at, keep_time) => {
                let file = pick(&files, f)?;
                let path = self.path(file);
                let meta = std::fs::symlink_metadata(&path).ok()?;
                if !meta.is_file() {
                    return None;
                }
                let mtime = meta.modified().ok()?;
                let bytes = std::fs::read(&path).ok()?;
                let start = at.index(bytes.len().max(1));
                let k = (start..bytes.len())
                    .chain(0..start)
                    .find(|&k| bytes[k].is_ascii_alphanumeric())?;
                let c = bytes[k];
                let new = match c {
                    b'0'..=b'8' => c + 1,
                    b'9' => b'0',
                    b'a'..=b'y' | b'A'..=b'Y' => c + 1,
                    _ => c - 25,
                };
                let mut file_handle = std::fs::OpenOptions::new().write(true).open(&path).ok()?;
                file_handle.seek(std::io::SeekFrom::Start(k as u64)).ok()?;
                file_handle.write_all(&[new]).ok()?;
                drop(file_handle);
                if *keep_time {
                    set_mtime(&path, mtime);
                }
                Some(format!(
                    "{file}: byte {k} {:?} → {:?} in place{}",
                    char::from(c),
                    char::from(new),
                    if *keep_time { ", mtime kept" } else { "" }
                ))
            }
            Warm::Touch(f, when) => {
                let file = pick(&files, f)?;
                let path = self.path(file);
                let now = SystemTime::now();
                let mtime = std::fs::metadata(&path).ok()?.modified().ok()?;
                let t = match when {
                    When::Past => now - Duration::from_secs(7200),
                    When::Same => mtime,
                    When::Future => now + Duration::from_secs(3600),
                    When::Epoch => SystemTime::UNIX_EPOCH,
                    When::Now => now,
                };
                set_mtime(&path, t);
                Some(format!("{file}: mtime set ({when:?})"))
            }
            Warm::Rewrite(f) => {
                let file = pick(&files, f)?;
                let path = self.path(file);
                if !std::fs::symlink_metadata(&path).ok()?.is_file() {
                    return None;
                }
                let bytes = std::fs::read(&path).ok()?;
                std::fs::write(&path, bytes).ok()?;
                Some(format!("{file}: rewritten as it was"))
            }
            Warm::SwapNames(a, b) => {
                let (fa, fb) = (pick(&files, a)?, pick(&files, b)?);
                if fa == fb {
                    return None;
                }
                let tmp = self.root().join(".fuzz-swap");
                std::fs::rename(self.path(fa), &tmp).ok()?;
                std::fs::rename(self.path(fb), self.path(fa)).ok()?;
                std::fs::rename(&tmp, self.path(fb)).ok()?;
                Some(format!("renamed {fa} ⇄ {fb}"))
            }
            Warm::Cache(c, op) => {
                let cache = self.cache_files();
                let file = pick(&cache, c)?;
                let mut bytes = std::fs::read(file).ok()?;
                byte_edit(&mut bytes, op);
                std::fs::write(file, bytes).ok()?;
                Some(format!("cache {}: {op:?}", file.display()))
            }
            Warm::CacheTruncate(c, at) => {
                let cache = self.cache_files();
                let file = pick(&cache, c)?;
                let bytes = std::fs::read(file).ok()?;
                let n = at.index(bytes.len().max(1)).min(bytes.len());
                std::fs::write(file, &bytes[..n]).ok()?;
                Some(format!("cache {}: truncated to {n}", file.display()))
            }
            Warm::CacheDelete(c) => {
                let cache = self.cache_files();
                let file = pick(&cache, c)?;
                std::fs::remove_file(file).ok()?;
                Some(format!("cache {}: deleted", file.display()))
            }
            Warm::AgeAll => {
                self.age(&Age::Old);
                Some("every file aged".to_string())
            }
            Warm::Again(_) | Warm::Clock(_) => None,
        }
    }
}

fn set_mtime(path: &Path, when: SystemTime) {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && meta.is_file()
        && let Ok(f) = std::fs::File::options().write(true).open(path)
    {
        let _ = f.set_modified(when);
    }
}

fn encode(bytes: &[u8], e: &Encoding) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    match e {
        Encoding::Bom => [b"\xef\xbb\xbf".as_slice(), bytes].concat(),
        Encoding::DoubleBom => [b"\xef\xbb\xbf\xef\xbb\xbf".as_slice(), bytes].concat(),
        Encoding::Crlf => text
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .into_bytes(),
        Encoding::MixedCrlf(i) => {
            let mut out = Vec::new();
            for (k, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
                if (k + i.index(7)) % 3 == 0 && line.last() == Some(&b'\n') {
                    out.extend_from_slice(&line[..line.len() - 1]);
                    out.extend_from_slice(b"\r\n");
                } else {
                    out.extend_from_slice(line);
                }
            }
            out
        }
        Encoding::CrOnly => bytes
            .iter()
            .map(|&b| if b == b'\n' { b'\r' } else { b })
            .collect(),
        Encoding::Utf16Le => {
            let mut out = vec![0xff, 0xfe];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        Encoding::Utf16Be => {
            let mut out = vec![0xfe, 0xff];
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
        Encoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect(),
        Encoding::Invalid(at, which) => {
            let mut out = bytes.to_vec();
            let k = at.index(out.len() + 1);
            let bad = INVALID_UTF8[which.index(INVALID_UTF8.len())];
            out.splice(k..k, bad.iter().copied());
            out
        }
        Encoding::Nul(at) => {
            let mut out = bytes.to_vec();
            let k = at.index(out.len() + 1);
            out.insert(k, 0);
            out
        }
        Encoding::NoFinalNewline => bytes.strip_suffix(b"\n").unwrap_or(bytes).to_vec(),
        Encoding::ZeroWidth(at) => {
            let chars: Vec<char> = text.chars().collect();
            let k = at.index(chars.len() + 1);
            let mut out: String = chars[..k].iter().collect();
            out.push('\u{200b}');
            out.extend(&chars[k..]);
            out.into_bytes()
        }
    }
}

fn byte_edit(bytes: &mut Vec<u8>, op: &ByteOp) {
    let len = bytes.len();
    match op {
        ByteOp::Flip(i, bit) if len > 0 => bytes[i.index(len)] ^= 1 << (bit % 8),
        ByteOp::Set(i, b) if len > 0 => bytes[i.index(len)] = *b,
        ByteOp::Insert(i, b) => bytes.insert(i.index(len + 1), *b),
        ByteOp::Remove(i, n) if len > 0 => {
            let k = i.index(len);
            bytes.drain(k..(k + usize::from(*n)).min(len));
        }
        ByteOp::Repeat(i, n, to) if len > 0 => {
            let k = i.index(len);
            let piece = bytes[k..(k + usize::from(*n)).min(len)].to_vec();
            let at = to.index(len + 1);
            bytes.splice(at..at, piece);
        }
        _ => {}
    }
}

// --- running fresk ----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cache {
    /// Forced on (`FRESK_CACHE_MIN_FILES=0`), kept in the case's cache folder.
    On,
    /// `FRESK_NO_CACHE=1`.
    Off,
}

struct Run {
    what: String,
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error without the `FRESK_STATS` lines.
    fn messages(&self) -> String {
        self.stderr
            .lines()
            .filter(|l| !is_stats_line(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn show(&self) -> String {
        let cut = |s: &str| -> String {
            if s.len() > 6000 {
                let end = (0..=6000)
                    .rev()
                    .find(|&k| s.is_char_boundary(k))
                    .unwrap_or(0);
                format!("{}…", &s[..end])
            } else {
                s.to_string()
            }
        };
        format!(
            "`{}` exited {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.what,
            self.code,
            cut(&self.stdout()),
            cut(&self.stderr)
        )
    }
}

fn is_stats_line(l: &str) -> bool {
    l.strip_prefix("fresk-")
        .and_then(|r| r.split_once(": "))
        .is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()))
}

impl Ctx {
    fn set_clock(&mut self, i: Option<&Index>) {
        self.clock = CLOCKS[i.map_or(0, |i| i.index(CLOCKS.len()))];
        let (today, now) = self.clock;
        self.note(format!("clock: FRESK_TODAY={today} FRESK_NOW={now:?}"));
    }

    fn fresk(&self, args: &[String], cache: Cache) -> Result<Run, String> {
        let mut cmd = fresk_command(self.root());
        let (today, now) = self.clock;
        cmd.env("FRESK_TODAY", today);
        if let Some(now) = now {
            cmd.env("FRESK_NOW", now);
        }
        cmd.args(args)
            .env("FRESK_STATS", "1")
            .env("FRESK_CACHE_DIR", &self.cache)
            .env_remove("FRESK_CACHE_MIN_FILES")
            .env_remove("FRESK_NO_CACHE");
        match cache {
            Cache::On => cmd.env("FRESK_CACHE_MIN_FILES", "0"),
            Cache::Off => cmd.env("FRESK_NO_CACHE", "1"),
        };
        let what = format!(
            "{}fresk {}",
            if cache == Cache::Off {
                "FRESK_NO_CACHE=1 "
            } else {
                ""
            },
            args.iter()
                .map(|a| shell_quote(a))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let run = exec(cmd, what)?;
        no_crash(&run)?;
        Ok(run)
    }
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@".contains(&b))
    {
        s.to_string()
    } else {
        format!("{s:?}")
    }
}

/// How many times fresk ran, and for how long in all (for the summary of a run).
static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static RUN_MICROS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Run `cmd`, reading both pipes, killing it after [`TIMEOUT`].
fn exec(mut cmd: Command, what: String) -> Result<Run, String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("`{what}` did not start: {e}"))?;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let mut stderr = Vec::new();
    let started = Instant::now();
    let err_reader = std::thread::spawn(move || {
        let _ = err.read_to_end(&mut stderr);
        stderr
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`{what}` hangs: killed after {TIMEOUT:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(format!("`{what}`: {e}")),
        }
    };
    RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    RUN_MICROS.fetch_add(
        started.elapsed().as_micros() as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
    let stdout = reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Ok(Run {
        what,
        code: status.code(),
        stdout,
        stderr,
    })
}

/// No panic, no signal, an exit code of 0, 1 or 2.
fn no_crash(run: &Run) -> Result<(), String> {
    if run.code == Some(101) || run.stderr.contains("panicked") {
        return Err(format!("PANIC: {}", run.show()));
    }
    match run.code {
        Some(0..=2) => Ok(()),
        None => Err(format!("KILLED BY A SIGNAL (crash): {}", run.show())),
        Some(_) => Err(format!("EXIT CODE NOT 0, 1 OR 2: {}", run.show())),
    }
}

// --- checking lint's output -------------------------------------------------------------------

/// A lint run's findings as printed (JSON values) and what it summed up.
struct Checked {
    code: i32,
    findings: Vec<Value>,
    errors: u64,
    warnings: u64,
}

const FINDING_KEYS: [&str; 9] = [
    "rule",
    "severity",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
    "related",
];

const RELATED_KEYS: [&str; 6] = [
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
];

/// `lint --format json`: the documented shape, the exit code matching the errors, every
/// position inside its file.
fn check_json(ctx: &Ctx, run: &Run) -> Result<Checked, String> {
    let code = run.code.unwrap_or(-1);
    let fail = |why: String| Err(format!("{why}\n{}", run.show()));
    if code == 2 && run.stdout.iter().all(u8::is_ascii_whitespace) {
        if run.messages().trim().is_empty() {
            return fail("exit code 2 without a word on stderr".into());
        }
        return Ok(Checked {
            code,
            findings: Vec::new(),
            errors: 0,
            warnings: 0,
        });
    }
    let value: Value = match serde_json::from_slice(&run.stdout) {
        Ok(v) => v,
        Err(e) => return fail(format!("stdout is not JSON: {e}")),
    };
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let set = |ks: &[&str]| ks.iter().map(|k| k.to_string()).collect::<BTreeSet<_>>();
    if keys(&value) != set(&["version", "findings", "summary"]) || value["version"] != 2 {
        return fail("not {version: 2, findings, summary}".into());
    }
    if keys(&value["summary"]) != set(&["files", "errors", "warnings"]) {
        return fail("summary is not {files, errors, warnings}".into());
    }
    let (Some(_), Some(errors), Some(warnings)) = (
        value["summary"]["files"].as_u64(),
        value["summary"]["errors"].as_u64(),
        value["summary"]["warnings"].as_u64(),
    ) else {
        return fail("summary counts are not numbers".into());
    };
    let Some(findings) = value["findings"].as_array() else {
        return fail("findings is not a list".into());
    };
    let (mut e, mut w) = (0, 0);
    for f in findings {
        if keys(f) != set(&FINDING_KEYS) {
            return fail(format!("a finding of another shape: {f}"));
        }
        let rule = f["rule"].as_str().unwrap_or_default();
        if !pool().rules.contains(rule) {
            return fail(format!("a finding of an unknown rule: {f}"));
        }
        match f["severity"].as_str() {
            Some("error") => e += 1,
            Some("warning") => w += 1,
            _ => return fail(format!("a finding of another severity: {f}")),
        }
        if f["message"].as_str().is_none_or(str::is_empty)
            || f["file"].as_str().is_none_or(str::is_empty)
        {
            return fail(format!("a finding without a message or a file: {f}"));
        }
        if let Err(why) = position_inside(ctx.root(), f) {
            return fail(format!("WRONG POSITION: {why}: {f}"));
        }
        let Some(related) = f["related"].as_array() else {
            return fail(format!(
                "a finding whose related places are not a list: {f}"
            ));
        };
        for r in related {
            if keys(r) != set(&RELATED_KEYS) || r["message"].as_str().is_none_or(str::is_empty) {
                return fail(format!("a related place of another shape: {f}"));
            }
            if let Err(why) = position_inside(ctx.root(), r) {
                return fail(format!("WRONG RELATED POSITION: {why}: {f}"));
            }
        }
    }
    if (e, w) != (errors, warnings) {
        return fail(format!(
            "summary says {errors} errors, {warnings} warnings; the findings {e}, {w}"
        ));
    }
    let expected = i32::from(errors > 0);
    if code != expected {
        return fail(format!(
            "exit code {code} with {errors} errors (expected {expected})"
        ));
    }
    Ok(Checked {
        code,
        findings: findings.clone(),
        errors,
        warnings,
    })
}

/// The finding's file exists, and its span lies inside it: 1-based, end not before start, each
/// line within the file and each column at most the line's length in characters + 1 (an empty
/// span is widened to one character, so an end one past that is allowed for it).
fn position_inside(root: &Path, f: &Value) -> Result<(), String> {
    let file = f["file"].as_str().unwrap_or_default();
    let n = |k: &str| f[k].as_u64().unwrap_or(0);
    let (line, column, end_line, end_column) =
        (n("line"), n("column"), n("end_line"), n("end_column"));
    let path = root.join(file);
    if file.split('/').any(|p| p == ".." || p.is_empty()) || Path::new(file).is_absolute() {
        return Err(format!("{file:?} is not a path inside the workspace"));
    }
    let meta = std::fs::symlink_metadata(&path).map_err(|e| format!("{file:?}: {e}"))?;
    if meta.is_dir() {
        return Err(format!("{file:?} is a folder"));
    }
    // A link pointing nowhere (or out): only its first position exists.
    let bytes = std::fs::read(&path).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<u64> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).chars().count() as u64)
        .collect();
    let count = lines.len() as u64;
    if line == 0 || column == 0 || end_line == 0 || end_column == 0 {
        return Err("a position is 0 (they are 1-based)".into());
    }
    if line > count || end_line > count {
        return Err(format!("the file has {count} lines"));
    }
    if (end_line, end_column) < (line, column) {
        return Err("ends before it starts".into());
    }
    let len = |l: u64| lines[(l - 1) as usize];
    if column > len(line) + 1 {
        return Err(format!("line {line} has {} characters", len(line)));
    }
    let widened = end_line == line && end_column == column + 1;
    if end_column > len(end_line) + 1 && !widened {
        return Err(format!("line {end_line} has {} characters", len(end_line)));
    }
    Ok(())
}

/// The same verdict in two runs: exit code, standard output, messages.
fn same(a: &Run, b: &Run) -> Result<(), String> {
    if a.code != b.code || a.stdout != b.stdout || a.messages() != b.messages() {
        let diff = similar_lines(&a.stdout(), &b.stdout());
        return Err(format!(
            "CACHED ≠ UNCACHED: two runs differ:\n{}\n{}\n--- the difference in stdout\n{diff}",
            a.show(),
            b.show()
        ));
    }
    Ok(())
}

fn similar_lines(a: &str, b: &str) -> String {
    let a: BTreeSet<&str> = a.lines().collect();
    let b: BTreeSet<&str> = b.lines().collect();
    let mut out = String::new();
    for l in a.difference(&b) {
        let _ = writeln!(out, "- {l}");
    }
    for l in b.difference(&a) {
        let _ = writeln!(out, "+ {l}");
    }
    out
}

/// `lint` in another format: the same exit code and the same findings as the JSON run.
fn check_format(json: &Checked, format: &str, strict: bool, run: &Run) -> Result<(), String> {
    let fail = |why: String| Err(format!("{format}: {why}\n{}", run.show()));
    let code = run.code.unwrap_or(-1);
    let expected = if json.code == 2 {
        2
    } else {
        i32::from(json.errors > 0 || strict && json.warnings > 0)
    };
    if code != expected {
        return fail(format!(
            "exit code {code}, expected {expected} from the JSON run"
        ));
    }
    if json.code == 2 {
        return Ok(());
    }
    let n = |f: &Value, k: &str| f[k].as_u64().unwrap_or(0);
    let s = |f: &Value, k: &str| f[k].as_str().unwrap_or_default().to_string();
    match format {
        "human" => {
            let out = run.stdout();
            let last = out
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            let files = last.rsplit(" in ").next().unwrap_or_default();
            let plural = |n: u64, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            let summary = if json.errors == 0 && json.warnings == 0 {
                format!("no findings in {files}")
            } else {
                format!(
                    "{}, {} in {files}",
                    plural(json.errors, "error"),
                    plural(json.warnings, "warning")
                )
            };
            if last != summary {
                return fail(format!("last line {last:?}, expected {summary:?}"));
            }
        }
        "github" => {
            let out = run.stdout();
            let lines: Vec<&str> = out.lines().collect();
            if lines.len() != json.findings.len() {
                return fail(format!(
                    "{} lines for {} findings",
                    lines.len(),
                    json.findings.len()
                ));
            }
            for (line, f) in lines.iter().zip(&json.findings) {
                let level = s(f, "severity");
                let escape = |t: &str| {
                    t.replace('%', "%25")
                        .replace('\r', "%0D")
                        .replace('\n', "%0A")
                };
                let property = |t: &str| escape(t).replace(':', "%3A").replace(',', "%2C");
                let expected = format!(
                    "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                    property(&s(f, "file")),
                    n(f, "line"),
                    n(f, "column"),
                    n(f, "end_line"),
                    n(f, "end_column"),
                    property(&format!("fresk ({})", s(f, "rule"))),
                    escape(&s(f, "message"))
                );
                if *line != expected {
                    return fail(format!("annotation {line:?}, expected {expected:?}"));
                }
            }
        }
        "sarif" => {
            let value: Value = match serde_json::from_slice(&run.stdout) {
                Ok(v) => v,
                Err(e) => return fail(format!("not JSON: {e}")),
            };
            if value["version"] != "2.1.0" {
                return fail("not SARIF 2.1.0".into());
            }
            let results = value["runs"][0]["results"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if results.len() != json.findings.len() {
                return fail(format!(
                    "{} results for {} findings",
                    results.len(),
                    json.findings.len()
                ));
            }
            for (r, f) in results.iter().zip(&json.findings) {
                let loc = &r["locations"][0]["physicalLocation"];
                let region = &loc["region"];
                let got = (
                    r["ruleId"].as_str().unwrap_or_default(),
                    r["level"].as_str().unwrap_or_default(),
                    r["message"]["text"].as_str().unwrap_or_default(),
                    loc["artifactLocation"]["uri"].as_str().unwrap_or_default(),
                    [
                        &region["startLine"],
                        &region["startColumn"],
                        &region["endLine"],
                        &region["endColumn"],
                    ]
                    .map(|v| v.as_u64().unwrap_or(0)),
                );
                let want = (
                    f["rule"].as_str().unwrap_or_default(),
                    f["severity"].as_str().unwrap_or_default(),
                    f["message"].as_str().unwrap_or_default(),
                    f["file"].as_str().unwrap_or_default(),
                    [
                        n(f, "line"),
                        n(f, "column"),
                        n(f, "end_line"),
                        n(f, "end_column"),
                    ],
                );
                if got != want {
                    return fail(format!("result {got:?}, expected {want:?}"));
                }
            }
        }
        _ => unreachable!(),
    }
    Ok(())
}

// --- the lint case ----------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct LintCase {
    mutations: Vec<Mutation>,
    age: Age,
    clock: Option<Index>,
    warm: Vec<Warm>,
    format: Index,
    strict: bool,
}

fn lint_case() -> impl Strategy<Value = LintCase> {
    (
        mutations(),
        age(),
        clock(),
        prop::collection::vec(warm(), 1..4),
        ix(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(mutations, age, clock, warm, format, strict)| LintCase {
            mutations,
            age,
            clock,
            warm,
            format,
            strict,
        })
}

/// Mostly the demo's own day, which its story is written for.
fn clock() -> impl Strategy<Value = Option<Index>> {
    prop_oneof![1 => Just(None), 2 => ix().prop_map(Some)]
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn check_lint(case: &LintCase, mode: Mode) -> Result<(), String> {
    let mut ctx = Ctx::new();
    ctx.set_clock(case.clock.as_ref());
    for m in &case.mutations {
        ctx.apply(m);
    }
    ctx.age(&case.age);
    let result = lint_runs(&mut ctx, case, mode);
    report(ctx, result, mode)
}

/// The report of a failing case: what the mutations did, and the case's folders if kept.
fn report(ctx: Ctx, result: Result<(), String>, mode: Mode) -> Result<(), String> {
    let Err(why) = result else { return Ok(()) };
    let mut out = String::from("mutations:\n");
    for l in &ctx.log {
        let _ = writeln!(out, "  - {l}");
    }
    let _ = write!(out, "{why}");
    if mode == (Mode::Report { keep: true }) {
        let _ = write!(out, "\n{}", ctx.keep());
    }
    Err(out)
}

fn lint_runs(ctx: &mut Ctx, case: &LintCase, mode: Mode) -> Result<(), String> {
    let json = args(&["lint", "--format", "json"]);
    let files = (workspace_snapshot(ctx.root()), ctx.around());
    let cold = ctx.fresk(&json, Cache::On)?;
    let checked = check_json(ctx, &cold)?;
    let warm = ctx.fresk(&json, Cache::On)?;
    check_json(ctx, &warm)?;
    same(&cold, &warm)?;
    let before = (workspace_cache(ctx), snapshot(&ctx.cache));
    let plain = ctx.fresk(&json, Cache::Off)?;
    if (workspace_cache(ctx), snapshot(&ctx.cache)) != before {
        return Err(format!(
            "FRESK_NO_CACHE=1 changed the cache\n{}",
            plain.show()
        ));
    }
    check_json(ctx, &plain)?;
    same(&plain, &cold)?;

    let formats = ["human", "github", "sarif", "paths"];
    let format = formats[case.format.index(formats.len())];
    if format == "paths" {
        lint_paths(ctx, &checked, &case.format)?;
    } else {
        let mut extra = args(&["lint", "--format", format]);
        if case.strict {
            extra.push("--strict".into());
        }
        let other = ctx.fresk(&extra, Cache::On)?;
        check_format(&checked, format, case.strict, &other)?;
    }
    let now = (workspace_snapshot(ctx.root()), ctx.around());
    if now != files {
        let mut what: Vec<String> = changed(&files.0, &now.0).into_iter().collect();
        what.extend(
            changed(&files.1, &now.1)
                .into_iter()
                .map(|p| format!("(case folder)/{p}")),
        );
        return Err(format!("LINT WROTE FILES: {}", what.join(", ")));
    }

    for w in &case.warm {
        ctx.warm(w);
    }
    let edited = ctx.fresk(&json, Cache::On)?;
    check_json(ctx, &edited)?;
    let plain = ctx.fresk(&json, Cache::Off)?;
    check_json(ctx, &plain)?;
    same(&plain, &edited)?;
    let again = ctx.fresk(&json, Cache::On)?;
    same(&plain, &again)?;

    if mode == Mode::Search {
        let t = "fuzz_lint";
        count(t, format!("exit {}", checked.code));
        for f in &checked.findings {
            count(
                t,
                format!("rule {}", f["rule"].as_str().unwrap_or_default()),
            );
        }
        let hits = |r: &Run| {
            r.stderr
                .lines()
                .find_map(|l| l.strip_prefix("fresk-cache: hits="))
                .and_then(|r| r.split_whitespace().next())
                .is_some_and(|n| n != "0")
        };
        count(t, format!("cache warm-hits={}", hits(&warm)));
        count(t, format!("cache after-edits-hits={}", hits(&edited)));
        count(
            t,
            format!("cache memo-hit={}", warm.stderr.contains("fresk-memo: hit")),
        );
        for m in &case.mutations {
            count(t, format!("mutation {}", variant(m)));
        }
        for w in &case.warm {
            count(t, format!("warm {}", variant(w)));
        }
    }
    Ok(())
}

/// `lint --format json PATH`: the findings of the whole run that are in PATH (a file or a
/// folder), and an exit code saying whether one of them is an error.
fn lint_paths(ctx: &Ctx, whole: &Checked, i: &Index) -> Result<(), String> {
    let mut paths = ctx.files();
    paths.extend(ctx.dirs());
    paths.sort();
    let Some(path) = pick(&paths, i) else {
        return Ok(());
    };
    let run = ctx.fresk(&args(&["lint", "--format", "json", path]), Cache::On)?;
    if whole.code == 2 {
        return Ok(());
    }
    let inside = |f: &&Value| {
        let file = f["file"].as_str().unwrap_or_default();
        file == path || file.starts_with(&format!("{path}/"))
    };
    let expected: Vec<&Value> = whole.findings.iter().filter(inside).collect();
    let code = i32::from(expected.iter().any(|f| f["severity"] == "error"));
    let value: Value = serde_json::from_slice(&run.stdout)
        .map_err(|e| format!("lint {path:?}: not JSON: {e}\n{}", run.show()))?;
    let found: Vec<&Value> = value["findings"].as_array().into_iter().flatten().collect();
    if found != expected || run.code != Some(code) {
        return Err(format!(
            "LINT {path:?} REPORTS OTHER FINDINGS THAN THE WHOLE RUN HAS THERE (expected exit \
             {code}, {} findings)\n{}",
            expected.len(),
            run.show()
        ));
    }
    Ok(())
}

fn workspace_cache(ctx: &Ctx) -> BTreeMap<String, Entry> {
    snapshot(&ctx.root().join(".fresk-cache"))
}

fn variant(v: &impl std::fmt::Debug) -> String {
    let s = format!("{v:?}");
    s.split(['(', ' ', '{'])
        .next()
        .unwrap_or_default()
        .to_string()
}

// --- the commands case ------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct CommandCase {
    mutations: Vec<Mutation>,
    age: Age,
    clock: Option<Index>,
    commands: Vec<Cmd>,
}

#[derive(Debug, Clone)]
struct Cmd {
    which: Index,
    /// How each id argument is chosen: one of the right kind, any id, a missing one, a weird one.
    args: Vec<(Arg, Index)>,
}

#[derive(Debug, Clone)]
enum Arg {
    Right,
    AnyId,
    Missing(u16),
    Weird,
}

/// The commands fuzzed, `{kind}` standing for an argument chosen by the case; the states in
/// which the first one is most often chosen (where the command can succeed; `a&b: c` for
/// `state: a` and `b: c`).
#[rustfmt::skip]
const COMMANDS: &[(&[&str], &[&str])] = &[
    (&["session", "cancel", "{session}", "--reason", "fuzz"], &["planned"]),
    (&["session", "hold", "{session}", "--attended", "{count}"], &["planned"]),
    (&["session", "new", "--mission", "{mission}", "--offer", "{offer}", "--start", "{datetime}",
        "--facilitator", "{person}", "--location", "Salle 1"], &["open"]),
    (&["request", "qualify", "{request}"], &["received"]),
    (&["request", "quote", "{request}", "--line", "{offer}:{count}"], &["qualified"]),
    (&["request", "win", "{request}"], &["quoted"]),
    (&["request", "lose", "{request}", "--reason", "fuzz"], &["received", "qualified", "quoted"]),
    (&["request", "publish", "{request}"], &["won", "qualified"]),
    (&["request", "assign", "{request}", "--coordinator", "{coordinator}"], &["published"]),
    (&["request", "new", "--organisation", "{organisation}", "--track", "subcontracting",
        "--channel", "email", "--origin", "other", "--summary", "fuzz", "--owner", "{staff}"], &[]),
    (&["payout", "request", "--mission", "{mission}", "--month", "{month}"], &["open", "closed"]),
    (&["payout", "request", "--mission", "{mission}"], &["open", "closed"]),
    (&["payout", "invoice"], &[]),
    (&["payout", "pay", "{payout}", "--date", "{date}", "--reference", "VIR-1"], &["invoiced"]),
    (&["invoice", "draft", "--mission", "{mission}"], &["closed"]),
    (&["invoice", "issue", "{invoice}"], &["draft"]),
    (&["invoice", "send", "{invoice}"], &["issued"]),
    (&["invoice", "pay", "{invoice}", "--date", "{date}", "--reference", "VIR-1"],
        &["sent", "issued"]),
    (&["invoice", "credit", "{invoice}", "--reason", "fuzz"], &["issued", "sent", "paid"]),
    (&["mission", "new", "--request", "{request}", "--coordinator", "{coordinator}"],
        &["won", "assigned"]),
    (&["mission", "close", "{mission}"], &["open"]),
    (&["declaration", "new", "--request", "{request}", "--person", "{person}", "--period",
        "{month}",
        "--sessions", "{count}", "--participants", "{count}", "--revenue", "{count}"],
        &["assigned&track: introduction"]),
];

#[rustfmt::skip]
const WEIRD_ARGS: &[&str] = &[
    "", "-", "..", "../people/ines-moreau", "M2026-0005/../M2026-0006",
    "M2026-0005/sessions/M2026-0005-S07", "é", "*", "R2026-0014.yaml",
    "requests/2026/R2026-0014.yaml", " R2026-0014", "r2026-0014", "\u{202e}", "R2026-00014",
];

const MONTHS: &[&str] = &[
    "2026-06", "2026-05", "2026-07", "2025-12", "2026-13", "0000-00", "2026-6",
];
const DATETIMES: &[&str] = &[
    "2026-06-20 09:00",
    "2026-06-14 09:00",
    "2026-06-15 25:00",
    "2026-03-29 02:30",
    "2026-07-01",
];
const DATES: &[&str] = &[
    "2026-06-15",
    "2026-06-14",
    "2026-07-01",
    "2026-02-30",
    "2025-01-01",
];
const COUNTS: &[&str] = &["1", "0", "30", "-1", "99999999999999999999", "1.5", "x"];

fn command_case() -> impl Strategy<Value = CommandCase> {
    let arg = prop_oneof![
        8 => Just(Arg::Right),
        1 => Just(Arg::AnyId),
        1 => any::<u16>().prop_map(Arg::Missing),
        1 => Just(Arg::Weird),
    ];
    let cmd =
        (ix(), prop::collection::vec((arg, ix()), 6)).prop_map(|(which, args)| Cmd { which, args });
    let series = (ix(), ix()).prop_map(|(k, p)| vec![Mutation::Series(k, p)]);
    let mutations = prop_oneof![
        4 => Just(Vec::new()),
        6 => prop::collection::vec(mutation(), 1..3),
        2 => prop::collection::vec(mutation(), 3..6),
        1 => series,
    ];
    (mutations, age(), clock(), prop::collection::vec(cmd, 1..3)).prop_map(
        |(mutations, age, clock, commands)| CommandCase {
            mutations,
            age,
            clock,
            commands,
        },
    )
}

impl Ctx {
    /// Ids of the files of one kind: those under `dir` whose name matches.
    fn ids_of(&self, kind: &str) -> Vec<String> {
        let files = self.files();
        let stems = |prefix: &str, test: &dyn Fn(&str) -> bool| -> Vec<String> {
            files
                .iter()
                .filter(|f| f.starts_with(prefix))
                .filter_map(|f| file_name(f).strip_suffix(".yaml"))
                .filter(|s| test(s))
                .map(str::to_string)
                .collect()
        };
        match kind {
            "session" => stems("missions/", &|s| s != "mission"),
            "mission" => {
                let mut m: Vec<String> = self
                    .dirs()
                    .iter()
                    .filter(|d| d.matches('/').count() == 1 && d.starts_with("missions/"))
                    .map(|d| file_name(d).to_string())
                    .collect();
                m.sort();
                m
            }
            "request" => stems("requests/", &|_| true),
            "payout" => stems("payouts/", &|_| true),
            "invoice" => stems("invoices/", &|_| true),
            "person" => stems("people/", &|_| true),
            "staff" | "coordinator" => stems("people/", &|id| {
                let text = self.read(&format!("people/{id}.yaml"));
                String::from_utf8_lossy(&text)
                    .lines()
                    .any(|l| l.starts_with("roles:") && l.contains(kind))
            }),
            "organisation" => stems("organisations/", &|_| true),
            "offer" => {
                let offers: BTreeSet<String> = pool()
                    .pairs
                    .iter()
                    .filter(|(k, _)| k == "offer")
                    .map(|(_, v)| v.clone())
                    .collect();
                offers.into_iter().collect()
            }
            "month" => MONTHS.iter().map(|s| s.to_string()).collect(),
            "datetime" => DATETIMES.iter().map(|s| s.to_string()).collect(),
            "count" => COUNTS.iter().map(|s| s.to_string()).collect(),
            "date" => DATES.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    /// Ids of `kind` whose file says `state: <one of states>`; all of them if none does.
    fn ids_in_state(&self, kind: &str, states: &[&str]) -> Vec<String> {
        let all = self.ids_of(kind);
        let files = self.files();
        let fit: Vec<String> = all
            .iter()
            .filter(|id| {
                files.iter().any(|f| {
                    (f.ends_with(&format!("/{id}.yaml"))
                        || f.ends_with(&format!("/{id}/mission.yaml")))
                        && {
                            let text = String::from_utf8_lossy(&self.read(f)).into_owned();
                            let lines: BTreeSet<&str> = text.lines().collect();
                            states.iter().any(|alt| {
                                let (state, more) = alt.split_once('&').unwrap_or((alt, ""));
                                lines.contains(format!("state: {state}").as_str())
                                    && (more.is_empty() || lines.contains(more))
                            })
                        }
                })
            })
            .cloned()
            .collect();
        if fit.is_empty() { all } else { fit }
    }

    fn command_args(&self, cmd: &Cmd) -> Vec<String> {
        let (template, states) = COMMANDS[cmd.which.index(COMMANDS.len())];
        let mut k = 0;
        let mut out = Vec::new();
        for part in template {
            let mut arg = String::new();
            let mut rest = *part;
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
                arg.push_str(&rest[..open]);
                let kind = &rest[open + 1..close];
                let (how, i) = &cmd.args[k % cmd.args.len()];
                k += 1;
                let value = match how {
                    Arg::Right if k == 1 && !states.is_empty() => {
                        pick(&self.ids_in_state(kind, states), i)
                            .cloned()
                            .unwrap_or_default()
                    }
                    Arg::Right => pick(&self.ids_of(kind), i).cloned().unwrap_or_default(),
                    Arg::AnyId => pick(&self.ids(), i).cloned().unwrap_or_default(),
                    Arg::Missing(n) => pick(&self.ids_of(kind), i)
                        .map(|id| bump(id, *n))
                        .unwrap_or_default(),
                    Arg::Weird => WEIRD_ARGS[i.index(WEIRD_ARGS.len())].to_string(),
                };
                arg.push_str(&value);
                rest = &rest[(close + 1).min(rest.len())..];
            }
            arg.push_str(rest);
            out.push(arg);
        }
        out
    }
}

fn check_commands(case: &CommandCase, mode: Mode) -> Result<(), String> {
    let mut ctx = Ctx::new();
    ctx.set_clock(case.clock.as_ref());
    for m in &case.mutations {
        ctx.apply(m);
    }
    ctx.age(&case.age);
    let result = command_runs(&mut ctx, case, mode);
    report(ctx, result, mode)
}

fn command_runs(ctx: &mut Ctx, case: &CommandCase, mode: Mode) -> Result<(), String> {
    let json = args(&["lint", "--format", "json"]);
    for cmd in &case.commands {
        let argv = ctx.command_args(cmd);
        ctx.note(format!(
            "command: fresk {}",
            argv.iter()
                .map(|a| shell_quote(a))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        let before = (workspace_snapshot(ctx.root()), ctx.around());
        let mut dry = vec!["--dry-run".to_string()];
        dry.extend(argv.iter().cloned());
        let dry_run = ctx.fresk(&dry, Cache::On)?;
        if (workspace_snapshot(ctx.root()), ctx.around()) != before {
            let after = workspace_snapshot(ctx.root());
            return Err(format!(
                "THE DRY RUN WROTE: {}\n{}",
                changed(&before.0, &after)
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", "),
                dry_run.show()
            ));
        }
        // What the dry run says the files will be, read against the files as they are.
        let shown = match dry_run.code {
            Some(0) => apply_diff(&dry_run.stdout(), |rel| std::fs::read(ctx.path(rel)).ok())
                .map_err(|why| {
                    format!(
                        "THE DRY RUN'S DIFF DOES NOT APPLY: {why}\n{}",
                        dry_run.show()
                    )
                })?,
            _ => BTreeMap::new(),
        };
        let real = ctx.fresk(&argv, Cache::On)?;
        let after = (workspace_snapshot(ctx.root()), ctx.around());
        let code = real.code.unwrap_or(-1);
        if code != 0 && after != before {
            let mut what: Vec<String> = changed(&before.0, &after.0).into_iter().collect();
            what.extend(
                changed(&before.1, &after.1)
                    .into_iter()
                    .map(|p| format!("(case folder)/{p}")),
            );
            return Err(format!(
                "A FAILED COMMAND CHANGED FILES: {}\n{}",
                what.join(", "),
                real.show()
            ));
        }
        if after.1 != before.1 {
            let what: Vec<String> = changed(&before.1, &after.1).into_iter().collect();
            return Err(format!(
                "A COMMAND WROTE OUTSIDE THE WORKSPACE: {}\n{}",
                what.join(", "),
                real.show()
            ));
        }
        if dry_run.code != real.code {
            return Err(format!(
                "THE DRY RUN EXITS {:?}, THE REAL RUN {:?}\n{}\n{}",
                dry_run.code,
                real.code,
                dry_run.show(),
                real.show()
            ));
        }
        if code == 0 {
            let written: BTreeMap<String, Option<Vec<u8>>> = changed(&before.0, &after.0)
                .into_iter()
                .map(|rel| {
                    let bytes = match after.0.get(&rel) {
                        Some(Entry::File(bytes)) => Some(bytes.clone()),
                        _ => None,
                    };
                    (rel, bytes)
                })
                .collect();
            if shown != written {
                let show = |m: &BTreeMap<String, Option<Vec<u8>>>| -> String {
                    m.iter()
                        .map(|(k, v)| match v {
                            Some(b) => format!("{k}:\n{}", String::from_utf8_lossy(b)),
                            None => format!("{k}: deleted"),
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                return Err(format!(
                    "THE DRY RUN SHOWS OTHER CHANGES THAN THE REAL RUN MAKES\n--- shown\n{}\n\
                     --- written\n{}\n{}\n{}",
                    show(&shown),
                    show(&written),
                    dry_run.show(),
                    real.show()
                ));
            }
        }
        if mode == Mode::Search {
            count(
                "fuzz_commands",
                format!("exit {}={code}", argv[..2].join("-")),
            );
        }
    }
    let cached = ctx.fresk(&json, Cache::On)?;
    check_json(ctx, &cached)?;
    let plain = ctx.fresk(&json, Cache::Off)?;
    same(&plain, &cached)?;
    if mode == Mode::Search {
        for m in &case.mutations {
            count("fuzz_commands", format!("mutation {}", variant(m)));
        }
    }
    Ok(())
}

/// Paths added, removed or changed between two snapshots (files and links; folders only when
/// added or removed empty-handed are left out).
fn changed(a: &BTreeMap<String, Entry>, b: &BTreeMap<String, Entry>) -> BTreeSet<String> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .filter(|k| {
            !matches!(
                (a.get(*k), b.get(*k)),
                (Some(Entry::Dir), None) | (None, Some(Entry::Dir))
            )
        })
        .cloned()
        .collect()
}

/// What a unified diff (`--dry-run`'s, among other text) makes of the files, read by `old`:
/// each file's new bytes, or `None` for a file it deletes (`+++ /dev/null`).
fn apply_diff(
    diff: &str,
    old: impl Fn(&str) -> Option<Vec<u8>>,
) -> Result<BTreeMap<String, Option<Vec<u8>>>, String> {
    let lines: Vec<&str> = diff.split('\n').collect();
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i < lines.len() {
        // Text around the diff (a command's summary) is skipped.
        let Some(from) = lines[i].strip_prefix("--- ") else {
            i += 1;
            continue;
        };
        let to = lines
            .get(i + 1)
            .and_then(|l| l.strip_prefix("+++ "))
            .ok_or(format!("line {}: no `+++` after `---`", i + 2))?;
        i += 2;
        let path = to
            .strip_prefix("b/")
            .or_else(|| from.strip_prefix("a/"))
            .ok_or(format!("headers {from:?} {to:?} name no file"))?;
        let before = if from == "/dev/null" {
            String::new()
        } else {
            String::from_utf8(old(path).unwrap_or_default()).map_err(|e| format!("{path}: {e}"))?
        };
        let old_lines: Vec<&str> = before.split_inclusive('\n').collect();
        let (mut k, mut new) = (0, String::new());
        while let Some(hunk) = lines.get(i).and_then(|l| l.strip_prefix("@@ -")) {
            i += 1;
            // `@@ -12,3 +12,4 @@`: where the hunk starts in the old file, how long each side is.
            let range = |r: &str| -> (usize, usize) {
                let (start, len) = r.split_once(',').unwrap_or((r, "1"));
                (start.parse().unwrap_or(0), len.parse().unwrap_or(0))
            };
            let mut parts = hunk.split_whitespace();
            let (start, old_len) = range(parts.next().unwrap_or_default());
            let (_, new_len) = range(parts.next().unwrap_or_default().trim_start_matches('+'));
            let first = if old_len == 0 {
                start
            } else {
                start.saturating_sub(1)
            };
            while k < first.min(old_lines.len()) {
                new.push_str(old_lines[k]);
                k += 1;
            }
            let (mut o, mut n) = (0, 0);
            while o < old_len || n < new_len || lines.get(i).is_some_and(|l| l.starts_with('\\')) {
                let line = lines.get(i).ok_or("the diff ends inside a hunk")?;
                i += 1;
                let (mark, text) = line.split_at(line.len().min(1));
                match mark {
                    " " | "-" => {
                        let was = old_lines.get(k).copied().unwrap_or_default();
                        if was.strip_suffix('\n').unwrap_or(was) != text {
                            return Err(format!("{path}: line {} is {was:?}, not {text:?}", k + 1));
                        }
                        if mark == " " {
                            new.push_str(was);
                            n += 1;
                        }
                        k += 1;
                        o += 1;
                    }
                    "+" => {
                        new.push_str(text);
                        new.push('\n');
                        n += 1;
                    }
                    // `\ No newline at end of file`, after a line added without one.
                    "\\" => {
                        if lines[i - 2].starts_with('+') {
                            new.pop();
                        }
                    }
                    _ => return Err(format!("{path}: {line:?} in a hunk")),
                }
            }
        }
        new.extend(old_lines.get(k..).into_iter().flatten().copied());
        let deleted = to == "/dev/null";
        out.insert(path.to_string(), (!deleted).then(|| new.into_bytes()));
    }
    Ok(out)
}

/// The harness's own pieces: finding scalars, renaming ids, reading a diff, checking positions.
#[test]
fn fuzz_harness_parts() {
    let text = "id: x # c\nlines:\n  - { person: ines, role: lead }\ntags: [a, 'b, c']\n- item\n";
    let found: Vec<(&str, &str)> = slots(text)
        .iter()
        .map(|s| (&text[s.key.clone()], &text[s.value.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            ("id", "x"),
            ("lines", ""),
            ("person", "ines"),
            ("role", "lead"),
            ("", "a"),
            ("", "'b, c'"),
            ("tags", "[a, 'b, c']"),
            ("", "item"),
        ]
    );
    assert_eq!(bump("R2026-0014", 3), "R2026-0003");
    assert_eq!(bump("M2026-0005-S07", 123), "M2026-0005-S23");
    assert_eq!(bump("ines-moreau", 2), "ines-moreau-2");
    let diff = "--- a/x.yaml\n+++ b/x.yaml\n@@ -1,3 +1,3 @@\n-- a/y\n++ b/z\n k: v\n-end\n\
                \\ No newline at end of file\n+end\n--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1 @@\n\
                +a\n\\ No newline at end of file\n--- a/old.yaml\n+++ /dev/null\n\
                @@ -1 +0,0 @@\n-o\n";
    let old = |rel: &str| match rel {
        "x.yaml" => Some(b"- a/y\nk: v\nend".to_vec()),
        "old.yaml" => Some(b"o\n".to_vec()),
        _ => None,
    };
    let applied = apply_diff(diff, old).unwrap();
    let expected: BTreeMap<String, Option<Vec<u8>>> = [
        ("new.yaml", Some(&b"a"[..])),
        ("old.yaml", None),
        ("x.yaml", Some(b"+ b/z\nk: v\nend\n")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.map(<[u8]>::to_vec)))
    .collect();
    assert_eq!(applied, expected);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.yaml"), "\u{feff}ab\r\né\n").unwrap();
    let at = |l: u64, c: u64, el: u64, ec: u64| {
        let f = serde_json::json!({"file": "f.yaml", "line": l, "column": c, "end_line": el,
            "end_column": ec});
        position_inside(dir.path(), &f)
    };
    assert_eq!(at(1, 1, 1, 3), Ok(()));
    assert_eq!(
        at(1, 3, 1, 4),
        Ok(()),
        "an empty span widened at the end of a line"
    );
    assert_eq!(at(3, 1, 3, 2), Ok(()), "after the final newline");
    assert!(at(1, 4, 1, 5).is_err(), "past the end of a line");
    assert_eq!(at(2, 1, 2, 2), Ok(()));
    assert_eq!(at(2, 2, 2, 3), Ok(()));
    assert!(at(2, 1, 2, 3).is_err(), "columns count characters");
    assert!(at(4, 1, 4, 2).is_err(), "past the last line");
    assert!(at(2, 1, 1, 2).is_err(), "ends before it starts");
    assert!(at(0, 1, 1, 2).is_err(), "0-based");
}
