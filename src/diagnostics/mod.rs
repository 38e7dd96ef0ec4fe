//! Findings: what a rule reports, where, and how bad it is — and turning routes into positions.

pub mod docs;
pub mod github;
pub mod human;
pub mod json;
mod rule;
pub mod sarif;

use crate::yaml::{self, Route, Span, Target};
pub(crate) use rule::declare_rules;
pub use rule::{DOCS_URL, Doc, Family, Rule};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a finding points: a span already known, or a route to look up in the file later.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum At {
    Span(Span),
    Route(Route, Target),
}

impl At {
    /// The value at `route` (`lines[2].amount`).
    pub fn value(route: &str) -> At {
        At::Route(Route::parse(route), Target::Value)
    }

    /// The key at `route` (for a missing field: its parent's key).
    pub fn key(route: &str) -> At {
        At::Route(Route::parse(route), Target::Key)
    }
}

/// A finding before its position is resolved.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// Path relative to the workspace root, with `/` separators.
    pub file: String,
    pub at: At,
    pub message: String,
}

impl Finding {
    pub fn new(rule: &'static Rule, file: &str, at: At, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            file: file.to_string(),
            at,
            message: message.into(),
        }
    }
}

/// A finding with its final position: what every renderer prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

/// Everything a renderer needs: the diagnostics and the run's summary.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

/// Resolve every finding's position, re-reading only the files that have route findings,
/// then sort by file, line, column and rule.
pub fn resolve(
    root: &Path,
    overlay: &crate::store::Changes,
    findings: Vec<Finding>,
) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for f in findings {
        by_file.entry(f.file.clone()).or_default().push(f);
    }
    let mut out: Vec<Diagnostic> = Vec::new();
    for (file, findings) in by_file {
        let needs_tree = findings.iter().any(|f| matches!(f.at, At::Route(..)));
        let tree = if needs_tree {
            let bytes = match overlay.get(&file) {
                Some(Some(text)) => Some(text.clone().into_bytes()),
                _ => std::fs::read(root.join(&file)).ok(),
            };
            bytes
                .and_then(|bytes| yaml::decode(bytes).ok())
                .and_then(|d| yaml::parse(&d.text).root)
        } else {
            None
        };
        for f in findings {
            let span = match &f.at {
                At::Span(span) => *span,
                At::Route(route, target) => match &tree {
                    Some(root) => yaml::locate(root, route, *target),
                    None => Span::point(yaml::Pos { line: 1, column: 1 }),
                },
            };
            out.push(Diagnostic {
                rule: f.rule.id,
                severity: f.severity,
                file: f.file,
                line: span.start.line.max(1),
                column: span.start.column.max(1),
                end_line: span.end.line.max(span.start.line).max(1),
                end_column: if span.end.line > span.start.line {
                    span.end.column.max(1)
                } else {
                    span.end.column.max(span.start.column + 1)
                },
                message: f.message,
            });
        }
    }
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
    out.dedup();
    out
}

/// A close match among `candidates` for a misspelt `word`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        let limit = (c.chars().count().max(word.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions, transpositions.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_close_words() {
        let fields = ["facilitators", "participants", "state", "start"];
        assert_eq!(did_you_mean("facilitatrs", fields), Some("facilitators"));
        assert_eq!(did_you_mean("sate", fields), Some("state"));
        assert_eq!(did_you_mean("hled", ["planned", "held"]), Some("held"));
        assert_eq!(did_you_mean("colour", fields), None);
    }
}
