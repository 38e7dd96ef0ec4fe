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
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
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
    /// Other places the finding involves, such as the first file with a duplicated id.
    pub related: Vec<Related>,
}

/// Another place a finding involves, with a few words saying what it is there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Related {
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
            related: Vec::new(),
        }
    }

    /// The finding, also pointing at `at` in `file` (`message`: what is there).
    pub fn related(mut self, file: &str, at: At, message: impl Into<String>) -> Finding {
        self.related.push(Related {
            file: file.to_string(),
            at,
            message: message.into(),
        });
        self
    }
}

/// A finding with its final position: what every renderer prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    pub related: Vec<RelatedDiagnostic>,
}

/// A related place with its final position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct RelatedDiagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

/// 1-based line and column of a span's start and end, the end at least one character after
/// the start on its line.
fn position(span: Span) -> (u32, u32, u32, u32) {
    let end_column = if span.end.line > span.start.line {
        span.end.column.max(1)
    } else {
        span.end.column.max(span.start.column + 1)
    };
    (
        span.start.line.max(1),
        span.start.column.max(1),
        span.end.line.max(span.start.line).max(1),
        end_column,
    )
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

/// Resolve the position of every finding and of its related places, reading and parsing once
/// each file where a route must be looked up, then sort by file, line, column and rule.
pub fn resolve(
    root: &Path,
    overlay: &crate::store::Changes,
    findings: Vec<Finding>,
) -> Vec<Diagnostic> {
    let spans = locate_all(root, overlay, &findings);
    let mut spans = spans.into_iter();
    let mut next = || spans.next().unwrap_or_default();
    let mut out: Vec<Diagnostic> = Vec::with_capacity(findings.len());
    for f in findings {
        let (line, column, end_line, end_column) = position(next());
        let related = f
            .related
            .into_iter()
            .map(|r| {
                let (line, column, end_line, end_column) = position(next());
                RelatedDiagnostic {
                    file: r.file,
                    line,
                    column,
                    end_line,
                    end_column,
                    message: r.message,
                }
            })
            .collect();
        out.push(Diagnostic {
            rule: f.rule.id,
            severity: f.severity,
            file: f.file,
            line,
            column,
            end_line,
            end_column,
            message: f.message,
            related,
        });
    }
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
    out.dedup();
    out
}

/// The span of every place of `findings`, in order: each finding's, then its related ones'.
fn locate_all(root: &Path, overlay: &crate::store::Changes, findings: &[Finding]) -> Vec<Span> {
    let mut by_file: BTreeMap<&str, Vec<(usize, &At)>> = BTreeMap::new();
    let mut count = 0;
    for f in findings {
        let places = std::iter::once((f.file.as_str(), &f.at))
            .chain(f.related.iter().map(|r| (r.file.as_str(), &r.at)));
        for (file, at) in places {
            by_file.entry(file).or_default().push((count, at));
            count += 1;
        }
    }
    let start = Span::point(yaml::Pos { line: 1, column: 1 });
    let mut spans = vec![start; count];
    for (file, places) in by_file {
        let needs_tree = places.iter().any(|(_, at)| matches!(at, At::Route(..)));
        let tree = if needs_tree {
            let bytes = match overlay.get(file) {
                Some(Some(text)) => Some(text.clone().into_bytes()),
                _ => std::fs::read(root.join(file)).ok(),
            };
            bytes
                .and_then(|bytes| yaml::decode(bytes).ok())
                .and_then(|d| yaml::parse(&d.text).root)
        } else {
            None
        };
        for (i, at) in places {
            spans[i] = match at {
                At::Span(span) => *span,
                At::Route(route, target) => match &tree {
                    Some(root) => yaml::locate(root, route, *target),
                    None => start,
                },
            };
        }
    }
    spans
}

/// A close match among `candidates` for a misspelt `word`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // Optimal string alignment: insertions, deletions, substitutions, transpositions.
        let d = strsim::osa_distance(word, c);
        let limit = (c.chars().count().max(word.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
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
