//! `fresk lint`: load, check every rule, print every finding.

use super::Error;
use crate::cache::memo;
use crate::cli::{Format, LintArgs};
use crate::diagnostics::{self, Report, Severity};
use crate::model::Clock;
use crate::rules::{self, Context, authority, history};
use crate::workspace;
use std::path::{Path, PathBuf};

pub fn run(start: &Path, args: &LintArgs, color: bool) -> Result<u8, Error> {
    if args.rules {
        match args.format {
            Format::Human => print!("{}", rules_table()),
            Format::Json => println!("{}", rules_json()),
            other => {
                return Err(Error::usage(format!(
                    "--rules prints a table or JSON (--format json), not {}",
                    format!("{other:?}").to_lowercase()
                )));
            }
        }
        return Ok(0);
    }
    let root = super::root(start)?;
    // An interrupted change is finished (or undone) first, as by any command; one that cannot
    // be is reported by the `state-file` finding on its journal.
    if let Err(e) = super::recover(&root, false) {
        eprintln!("fresk: {e}");
    }
    let report = match &args.base {
        None => lint(&root)?,
        Some(rev) => {
            let since = Since {
                rev,
                actor: args.actor.as_deref(),
                main_branch: &args.main_branch,
            };
            lint_inner(&root, &workspace::Overlay::new(), Some(&since))?
        }
    };
    let report = filter_paths(report, &root, &args.paths)?;
    let text = match args.format {
        Format::Human => diagnostics::human::render(&report, &root, color),
        Format::Json => diagnostics::json::render(&report),
        Format::Github => diagnostics::github::render(&report),
        Format::Sarif => diagnostics::sarif::render(&report, rules::all()),
    };
    print!("{text}");
    let failing = report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error || (args.strict && d.severity == Severity::Warning));
    Ok(u8::from(failing))
}

/// Load the workspace at `root` and run every rule: the whole of `fresk lint` but printing.
pub fn lint(root: &Path) -> Result<Report, Error> {
    lint_inner(root, &workspace::Overlay::new(), None)
}

/// The rules' memo key of `ws`, when it holds every kind of file (else the memo is off).
fn memo_key(ws: &workspace::Workspace) -> Option<memo::Key> {
    (ws.kinds == workspace::Kinds::ALL)
        .then(|| memo::Key::of(&ws.files, &ws.blobs))
        .flatten()
}

/// Every finding in a wholly loaded workspace `ws`, where the files of `overlay` hold the texts
/// a command is about to write (for the positions of the findings in them): the rules run, or
/// their memo is used.
pub fn check_loaded(
    ws: &workspace::Workspace,
    clock: Clock,
    overlay: &workspace::Overlay,
) -> Report {
    let key = memo_key(ws);
    let findings = match key.and_then(|key| memo::lookup(&ws.root, key, clock.now, rules::find)) {
        Some(findings) => findings,
        None => run_rules(ws, clock, key),
    };
    let mut all = ws.findings.clone();
    all.extend(findings);
    all.extend(rules::business::roster_attendance(ws, overlay));
    Report {
        diagnostics: diagnostics::resolve(&ws.root, overlay, all),
        files: ws.files.len(),
    }
}

/// `--base`, `--actor` and `--main-branch`: what the change is compared with, and who made it.
pub struct Since<'a> {
    pub rev: &'a str,
    pub actor: Option<&'a str>,
    pub main_branch: &'a str,
}

fn lint_inner(
    root: &Path,
    overlay: &workspace::Overlay,
    since: Option<&Since>,
) -> Result<Report, Error> {
    let t0 = std::time::Instant::now();
    let stats = crate::stats::enabled();
    let (staged, base) = match since {
        None => (workspace::stage(root, overlay)?, None),
        // The base tree is opened while the workspace loads.
        Some(since) => std::thread::scope(|scope| {
            let git = scope.spawn(|| crate::git::read_base(root, since.rev));
            let staged = workspace::stage(root, overlay);
            let base = git
                .join()
                .map_err(|_| Error::io("reading the base tree failed unexpectedly".into()))?;
            let staged = staged?;
            let base = base.map_err(|e| Error::io(e.0))?;
            Ok::<_, Error>((staged, Some(base)))
        })?,
    };
    let t_load = t0.elapsed();
    let tz = staged
        .workspace()
        .config
        .as_ref()
        .map_or(chrono_tz::Europe::Paris, |c| c.tz());
    let clock = Clock::from_env(tz)?;
    let base = base.zip(since);
    // The rules' memo is looked up before any record is built: when it holds, the records are
    // built only for what the history and authority rules read (none without --base).
    let key = memo_key(staged.workspace());
    let memoized = key.and_then(|key| memo::lookup(root, key, clock.now, rules::find));
    if stats && let Some(findings) = &memoized {
        eprintln!(
            "fresk-memo: hit findings={} ms={}",
            findings.len(),
            (t0.elapsed() - t_load).as_millis()
        );
    }
    let (ws, mut findings, change) = match memoized {
        Some(findings) => {
            let change = base
                .map(|(base, since)| compare(root, overlay, &base, since, staged.workspace()))
                .transpose()?;
            // The sessions are built when there may be rosters to compare them with
            // (`roster-attendance` runs outside the memo).
            let rosters = root.join("private").is_dir();
            let sessions = |kind| rosters && kind == crate::model::Kind::Session;
            let ws = match &change {
                None => staged.replay(|_, kind| sessions(kind)),
                Some((change, _)) => {
                    let whole = history::kinds_read_whole(&change.changed);
                    staged.replay(|path, kind| {
                        sessions(kind) || whole.has(kind) || change.changed.contains(path)
                    })
                }
            };
            (ws, findings, change)
        }
        None => {
            let ws = staged.replay_all();
            // With --base, the change is found while every rule runs (they need only the
            // workspace).
            let (findings, change) = std::thread::scope(|scope| {
                let compare = base.map(|(base, since)| {
                    let ws = &ws;
                    scope.spawn(move || compare(root, overlay, &base, since, ws))
                });
                let findings = run_rules(&ws, clock, key);
                let t_rules = t0.elapsed();
                let change = compare
                    .map(|c| {
                        let change = c.join().map_err(|_| {
                            Error::io("comparing with the base failed unexpectedly".into())
                        })?;
                        if stats {
                            eprintln!(
                                "fresk-base: wait_ms={}",
                                (t0.elapsed() - t_rules).as_millis()
                            );
                        }
                        change
                    })
                    .transpose()?;
                Ok::<_, Error>((findings, change))
            })?;
            (ws, findings, change)
        }
    };
    // Not memoized: it depends on the disk and on git's ignore rules, not on the files.
    findings.extend(rules::privacy::private_folder(root));
    // Not memoized either: rosters live under private/, outside the loaded workspace.
    findings.extend(rules::business::roster_attendance(&ws, overlay));
    if let (Some(since), Some((change, base))) = (since, &change) {
        // The time of each change is that of the commit that made it (`change.history`); the
        // clock's for what is not committed, and FRESK_NOW's for everything when pinned.
        let cmp = history::Compare {
            work: &ws,
            base,
            changed: &change.changed,
            branch: change.branch.as_deref(),
            main_branch: since.main_branch,
            now: clock.now,
            now_pinned: std::env::var_os("FRESK_NOW").is_some(),
            tz,
            history: &change.history,
        };
        history::check(&cmp, &mut findings).map_err(Error::io)?;
        if let Some(who) = since.actor {
            let actor = authority::resolve_actor(&cmp, who).map_err(Error::usage)?;
            // Every path of the repository, not only data files: all need a granted role.
            let paths = crate::git::changed_paths(root, since.rev).map_err(|e| Error::io(e.0))?;
            authority::check(&cmp, &actor, &paths, &mut findings);
        }
    }
    let t_rules = t0.elapsed();
    let files = ws.files.len();
    let root_path = ws.root.clone();
    // The workspace is left to the process exit, as reports do: freeing 188k records one by
    // one took ~5 % of a large workspace's lint, and every caller exits soon after.
    let mut ws = std::mem::ManuallyDrop::new(ws);
    let mut all = std::mem::take(&mut ws.findings);
    all.extend(findings);
    let diagnostics = diagnostics::resolve(&root_path, overlay, all);
    if stats {
        eprintln!(
            "fresk-phases: load_ms={} rules_ms={} resolve_ms={}",
            t_load.as_millis(),
            (t_rules - t_load).as_millis(),
            (t0.elapsed() - t_rules).as_millis()
        );
    }
    Ok(Report { diagnostics, files })
}

/// The change from the base to the working tree `ws` (whose records need not be built), and
/// the base versions of the changed files. The files that differ come from the blob ids the
/// load cache keeps, and only those are read on the base side; without those ids (no cache,
/// an overlay), libgit2 compares the whole tree.
fn compare(
    root: &Path,
    overlay: &workspace::Overlay,
    base: &crate::git::Base,
    since: &Since,
    ws: &workspace::Workspace,
) -> Result<(crate::git::Change, workspace::Workspace), Error> {
    let t = std::time::Instant::now();
    let work: Vec<(&str, [u8; 20])> = ws
        .files
        .iter()
        .zip(&ws.blobs)
        .map(|((path, _), blob)| (path.as_str(), *blob))
        .collect();
    let change = match base.change(&work) {
        Some(change) if overlay.is_empty() => change,
        _ => crate::git::change_since(root, since.rev).map_err(|e| Error::io(e.0))?,
    };
    drop(work);
    let base_ws = workspace::load_texts(root, &change.base_texts);
    crate::stats::line(|| {
        format!(
            "fresk-base: compare_ms={} changed={} found_by={}",
            t.elapsed().as_millis(),
            change.changed.len(),
            change.found_by.as_str()
        )
    });
    Ok((change, base_ws))
}

/// Every cross-file rule over `ws` (wholly loaded), their findings saved in the rules' memo
/// under `key` (`crate::cache::memo`) for as long as they hold.
fn run_rules(
    ws: &workspace::Workspace,
    clock: Clock,
    key: Option<memo::Key>,
) -> Vec<diagnostics::Finding> {
    let cx = &Context::new(ws, clock);
    let findings = rules::check(ws, cx);
    let until = key.and_then(|key| Some((key, cx.valid_until()?)));
    if let Some((key, until)) = until {
        memo::save(&ws.root, key, clock.now, until, &findings);
    }
    crate::stats::line(|| {
        let what = match (key, until) {
            (None, _) => "off",
            (Some(_), None) => "miss (not saved: findings that quote the time)",
            (Some(_), Some(_)) => "miss (saved)",
        };
        format!("fresk-memo: {what}")
    });
    findings
}

fn filter_paths(mut report: Report, root: &Path, paths: &[PathBuf]) -> Result<Report, Error> {
    if paths.is_empty() {
        return Ok(report);
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io(e.to_string()))?;
    let mut prefixes = Vec::new();
    for p in paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        // Resolved as written, without following symbolic links: a link named here (or a
        // path through a linked folder) is the workspace's path, whose findings lint reports.
        let abs = lexical(&abs);
        std::fs::symlink_metadata(&abs)
            .map_err(|e| Error::usage(format!("{}: {e}", p.display())))?;
        let rel = abs.strip_prefix(root).map_err(|_| {
            Error::usage(format!(
                "{} is outside the workspace {}",
                p.display(),
                root.display()
            ))
        })?;
        prefixes.push(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        );
    }
    report.diagnostics.retain(|d| {
        prefixes
            .iter()
            .any(|p| p.is_empty() || d.file == *p || d.file.starts_with(&format!("{p}/")))
    });
    Ok(report)
}

/// `path` with its `.` and `..` parts resolved as written (a `..` removes the part before it).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `fresk lint --rules`: one line per rule.
/// Every rule as JSON: `{"version": 1, "rules": [{id, family, severity, summary, help_uri}]}`.
pub fn rules_json() -> String {
    let rules: Vec<serde_json::Value> = rules::all()
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "family": r.family.as_str(),
                "severity": r.severity.as_str(),
                "summary": r.summary,
                "help_uri": r.help_uri(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "rules": rules }))
        .unwrap_or_default()
}

pub fn rules_table() -> String {
    let width = rules::all().iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    let mut family = None;
    for r in rules::all() {
        if family != Some(r.family) {
            if family.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}\n", r.family.as_str()));
            family = Some(r.family);
        }
        out.push_str(&format!(
            "  {:<width$}  {:<7}  {}\n",
            r.id,
            r.severity.as_str(),
            r.summary
        ));
    }
    out
}
