//! Test harness: temporary copies of fixture workspaces, running the binary, reading findings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TODAY: &str = "2026-06-15";

/// A temporary workspace, deleted on drop.
pub struct Ws {
    pub dir: tempfile::TempDir,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Found {
    pub rule: String,
    pub severity: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    /// The other places the finding involves (JSON version 2).
    pub related: Vec<Place>,
}

/// A related place of a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Place {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

impl Found {
    /// Assert that the finding's one related place is `file` at `line:column`, and return it.
    #[track_caller]
    pub fn related_at(&self, file: &str, line: u32, column: u32) -> &Place {
        match self.related.as_slice() {
            [one] if one.file == file && one.line == line && one.column == column => one,
            other => panic!("expected one related place {file}:{line}:{column}, found {other:?}"),
        }
    }
}

#[derive(Debug)]
pub struct Lint {
    pub code: i32,
    pub findings: Vec<Found>,
    pub files: usize,
    /// What `fresk` printed on stderr (its `FRESK_STATS` lines when asked for).
    pub stats: String,
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl Ws {
    /// A copy of `tests/fixtures/base`: a minimal, complete workspace that lints clean.
    pub fn base() -> Ws {
        Ws::copy_of(&manifest_dir().join("tests/fixtures/base"))
    }

    /// A copy of the example workspace `examples/demo`.
    pub fn example() -> Ws {
        Ws::copy_of(&manifest_dir().join("examples/demo"))
    }

    pub fn copy_of(from: &Path) -> Ws {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(from, dir.path());
        Ws { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where fresk keeps this workspace's load cache and rules' memo.
    pub fn cache_dir(&self) -> PathBuf {
        fresk::cache::dir_in(&cache_base(), self.path()).unwrap()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Ws {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Ws {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Ws {
        let path = self.path().join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
        self
    }

    /// Replace `from` (which must occur exactly once) by `to` in file `rel`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Ws {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur once in {rel}:\n{text}"
        );
        self.write(rel, &text.replacen(from, to, 1))
    }

    pub fn command(&self) -> Command {
        fresk_command(self.path())
    }

    /// Run `fresk ARGS…` in the workspace and return what it did.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.command().args(args).output().unwrap()
    }

    /// Run `fresk ARGS…`, which must succeed; its standard output.
    #[track_caller]
    pub fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "`fresk {}` failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `fresk lint --format json` with today pinned to [`TODAY`].
    pub fn lint(&self) -> Lint {
        self.lint_args(&[])
    }

    pub fn lint_args(&self, extra: &[&str]) -> Lint {
        let lint = self.lint_with(extra, &[]);
        if extra.contains(&"--base") {
            self.same_with_the_memo(extra, &lint);
        }
        lint
    }

    fn lint_with(&self, extra: &[&str], env: &[(&str, &str)]) -> Lint {
        let out = self
            .command()
            .args(["lint", "--format", "json"])
            .args(extra)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Lint::parse(&out)
    }

    /// `lint --base` again with the load cache and the rules' memo on (every workspace gets
    /// them): the first run saves the memo, the second takes the other rules' findings from it
    /// and builds only the records the history and authority rules read
    /// (`history::kinds_read_whole`). Both must find exactly what `lint` found without them.
    #[track_caller]
    fn same_with_the_memo(&self, extra: &[&str], plain: &Lint) {
        let cache = self.cache_dir();
        let had_cache = cache.exists();
        let env = [("FRESK_CACHE_MIN_FILES", "0"), ("FRESK_STATS", "1")];
        let first = self.lint_with(extra, &env);
        let second = self.lint_with(extra, &env);
        if !had_cache {
            let _ = std::fs::remove_dir_all(&cache);
        }
        for (run, memo) in [(&first, "first"), (&second, "second")] {
            assert_eq!(
                (run.code, run.listing()),
                (plain.code, plain.listing()),
                "lint {} with the memo on ({memo} run) differs from without",
                extra.join(" ")
            );
        }
        if first.stats.contains("fresk-memo: miss (saved)") {
            assert!(
                second.stats.contains("fresk-memo: hit"),
                "the second run did not use the memo:\n{}",
                second.stats
            );
        }
    }
}

/// The cache folder of every fresk the tests run (each workspace has its own folder in it).
pub fn cache_base() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fresk-cache")
}

impl Drop for Ws {
    fn drop(&mut self) {
        if let Some(dir) = fresk::cache::dir_in(&cache_base(), self.path()) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The `fresk` binary, run in `dir`, isolated from the user's environment.
pub fn fresk_command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fresk"));
    cmd.current_dir(dir)
        .env("FRESK_CACHE_DIR", cache_base())
        .env_remove("XDG_CACHE_HOME")
        .env("FRESK_TODAY", TODAY)
        .env_remove("FRESK_NOW")
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir);
    cmd
}

impl Lint {
    /// What `fresk lint --format json` printed.
    pub fn parse(out: &std::process::Output) -> Lint {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let value: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {stdout}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(value["version"], 2);
        Lint {
            code: out.status.code().unwrap_or(-1),
            findings: serde_json::from_value(value["findings"].clone()).unwrap(),
            files: value["summary"]["files"].as_u64().unwrap() as usize,
            stats: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Findings of one rule.
    pub fn of(&self, rule: &str) -> Vec<&Found> {
        self.findings.iter().filter(|f| f.rule == rule).collect()
    }

    /// Assert a finding of `rule` in `file` at `line:column`, and return it.
    #[track_caller]
    pub fn expect(&self, rule: &str, file: &str, line: u32, column: u32) -> &Found {
        self.findings
            .iter()
            .find(|f| f.rule == rule && f.file == file && f.line == line && f.column == column)
            .unwrap_or_else(|| {
                panic!(
                    "expected {rule} at {file}:{line}:{column}, found:\n{}",
                    self.listing()
                )
            })
    }

    #[track_caller]
    pub fn expect_none(&self, rule: &str) {
        let found = self.of(rule);
        assert!(
            found.is_empty(),
            "expected no {rule}, found:\n{}",
            self.listing()
        );
    }

    #[track_caller]
    pub fn expect_clean(&self) {
        assert!(
            self.findings.is_empty() && self.code == 0,
            "expected no findings, found:\n{}",
            self.listing()
        );
    }

    pub fn listing(&self) -> String {
        self.findings
            .iter()
            .map(|f| {
                format!(
                    "  {}:{}:{} [{}] {}",
                    f.file, f.line, f.column, f.rule, f.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Every file under `dir`, byte for byte, by relative path: "a refused command changed nothing".
pub fn tree_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every file of the workspace, byte for byte.
pub fn tree(ws: &Ws) -> BTreeMap<String, Vec<u8>> {
    tree_of(ws.path())
}

/// The files that differ between two trees (added, removed or changed), sorted.
pub fn changed_files(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// Run `command` (fresk `args` in `ws`, with whatever clock the test sets) and assert that it
/// exits with `code` and leaves every file of `ws` byte for byte as it was; its output.
#[track_caller]
pub fn refused_by(
    ws: &Ws,
    args: &[&str],
    code: i32,
    command: impl FnOnce() -> std::process::Output,
) -> std::process::Output {
    let before = tree(ws);
    let out = command();
    assert_eq!(
        out.status.code(),
        Some(code),
        "`fresk {}` should exit {code}:\nstdout: {}\nstderr: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let changed = changed_files(&before, &tree(ws));
    assert!(
        changed.is_empty(),
        "`fresk {}` was refused but changed {changed:?}",
        args.join(" ")
    );
    out
}

/// Run git in the workspace, isolated from the user's configuration, with a fixed identity and,
/// when given, a fixed date; it must succeed. Its standard output, trimmed.
pub fn git(ws: &Ws, date: Option<&str>, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    cmd.current_dir(ws.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", ws.path())
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org");
    if let Some(date) = date {
        cmd.env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    let out = cmd.args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs a poppler-utils tool (`pdftotext`, `pdffonts`, `pdfinfo`, `pdfdetach`) on `pdf`,
/// returning its standard output; fails, saying how to install it, when it is missing.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    String::from_utf8(poppler_bytes(tool, args, pdf)).unwrap()
}

/// [`poppler`], the output as bytes (`pdftoppm` writes an image to standard output).
pub fn poppler_bytes(tool: &str, args: &[&str], pdf: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("document.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&file)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| {
            panic!("{tool} cannot run ({e}): scripts/test.sh installs Debian's poppler-utils (apt-get install -y poppler-utils)")
        });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The text of a PDF as poppler's pdftotext reads it in content order (`-raw`), every run of whitespace (line breaks
/// and no-break spaces included) made one space: what a reader sees, whatever the wrapping.
/// The PDF `fresk render ARGS… -o doc.pdf` writes in `ws` (the file is removed after).
#[track_caller]
pub fn rendered_pdf(ws: &Ws, args: &[&str]) -> Vec<u8> {
    let file = ws.path().join("doc.pdf");
    let out = ws
        .command()
        .arg("render")
        .args(args)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    bytes
}

/// The text of the PDF `fresk render ARGS…` writes, spaces collapsed.
#[track_caller]
pub fn rendered_pdf_text(ws: &Ws, args: &[&str]) -> String {
    pdf_text(&rendered_pdf(ws, args))
}

pub fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
