//! How every mutating command writes: edits are planned in memory, the whole workspace is
//! re-linted as it would be, and only then are files written atomically — or nothing is.

use super::{Error, lint};
use crate::diagnostics::{Report, Severity, human};
use crate::model::Clock;
use crate::store;
use crate::workspace::{Overlay, Workspace};
use std::collections::HashSet;
use std::path::Path;

/// What a command wants to write, and one line saying what happened.
#[derive(Debug, Default)]
pub struct Plan {
    /// Path relative to the root → new text (`None` deletes the file).
    pub writes: Overlay,
    /// `session M2026-0042-S03 planned for 2026-05-12`: printed, and the commit message.
    pub summary: String,
}

impl Plan {
    pub fn new(summary: impl Into<String>) -> Plan {
        Plan {
            writes: Overlay::new(),
            summary: summary.into(),
        }
    }

    pub fn write(&mut self, rel: impl Into<String>, text: impl Into<String>) -> &mut Plan {
        self.writes.insert(rel.into(), Some(text.into()));
        self
    }

    pub fn delete(&mut self, rel: impl Into<String>) -> &mut Plan {
        self.writes.insert(rel.into(), None);
        self
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub dry_run: bool,
    pub color: bool,
}

/// Check `plan` against the whole workspace `ws` (loaded by the command) and write it, or say
/// why not. The workspace is checked as it would be by overlaying the planned files on it —
/// the files are not loaded again. Returns the files written (relative paths).
pub fn apply(
    ws: &mut Workspace,
    clock: Clock,
    plan: &Plan,
    options: Options,
) -> Result<Vec<String>, Error> {
    let undo = ws.overlay(&plan.writes);
    let after = lint::check_loaded(ws, clock, &plan.writes);
    // Only errors can be "introduced": when the workspace would have none, there is no need to
    // check it as it is now to tell new errors from old ones.
    let introduced = if after.errors() == 0 {
        Report {
            diagnostics: Vec::new(),
            files: after.files,
        }
    } else {
        ws.overlay(&undo);
        let before = lint::check_loaded(ws, clock, &Overlay::new());
        introduced_errors(&before, &after, &plan.writes)
    };
    let root = ws.root.clone();
    if !introduced.diagnostics.is_empty() {
        let listing = human::render_with(&introduced, &root, &plan.writes, options.color);
        return Err(Error::refused(format!(
            "refusing to {}: the workspace would not lint, nothing was changed\n\n{listing}",
            plan.summary
        )));
    }
    if options.dry_run {
        print!("{}", diff(&root, &plan.writes));
        return Ok(Vec::new());
    }
    store::commit(&root, &plan.writes, &plan.summary).map_err(|e| match e {
        store::StoreError::Interrupted(_) => Error::io(e.to_string()),
        other => Error::io(format!(
            "cannot write the change, nothing was changed: {other}"
        )),
    })?;
    Ok(plan.writes.keys().cloned().collect())
}

/// Errors after the change that were not there before, or that sit in a file the change writes.
fn introduced_errors(before: &Report, after: &Report, writes: &Overlay) -> Report {
    let known: HashSet<(&str, &str, &str)> = before
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.file.as_str(), d.message.as_str()))
        .collect();
    let diagnostics = after
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| {
            writes.contains_key(&d.file)
                || !known.contains(&(d.rule, d.file.as_str(), d.message.as_str()))
        })
        .cloned()
        .collect();
    Report {
        diagnostics,
        files: after.files,
    }
}

/// The unified diff of every planned write against the disk.
pub fn diff(root: &Path, writes: &Overlay) -> String {
    let mut out = String::new();
    for (rel, new) in writes {
        let old = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
        let new = new.as_deref().unwrap_or("");
        let (a, b) = match (old.is_empty(), new.is_empty()) {
            (true, _) => ("/dev/null".to_string(), format!("b/{rel}")),
            (_, true) => (format!("a/{rel}"), "/dev/null".to_string()),
            _ => (format!("a/{rel}"), format!("b/{rel}")),
        };
        let diff = similar::TextDiff::from_lines(old.as_str(), new);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&a, &b)
                .to_string(),
        );
    }
    out
}
