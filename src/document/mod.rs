//! One workspace file read: its bytes decoded as UTF-8, parsed as YAML, its shape checked
//! against its kind's schema, its id checked against its name, and its typed record built —
//! with every finding of each step. Workspace-wide checks are the rules' business.

pub mod shape;

use crate::diagnostics::{At, Finding, Severity, declare_rules};
use crate::model::CONFIG_FILE;
use crate::model::{
    Config, Declaration, Invoice, Kind, Mission, Organisation, Payout, Person, Request, Session,
};
use crate::yaml::{self, Node, Pos, Span};
use serde::de::DeserializeOwned;

declare_rules! {
    YAML_SYNTAX = "yaml-syntax", Syntax, Error, "the file is not valid YAML (with the position the parser stopped at)";
    DUPLICATE_KEY = "duplicate-key", Syntax, Error, "the same key appears twice in a mapping";
    MERGE_CONFLICT = "merge-conflict", Syntax, Error, "leftover git merge-conflict markers (<<<<<<<, =======, >>>>>>>)";
    NOT_A_MAPPING = "not-a-mapping", Syntax, Error, "the file is empty, or is a list or a scalar instead of a mapping";
    ENCODING = "encoding", Syntax, Error, "the file is not UTF-8 (error), or has a byte-order mark or CRLF line endings (warning)";
    UNKNOWN_FIELD = "unknown-field", Shape, Error, "a field that this kind of file does not have (typo?)";
    MISSING_FIELD = "missing-field", Shape, Error, "a required field is absent";
    WRONG_TYPE = "wrong-type", Shape, Error, "a value of the wrong type (a list where a text is expected, …)";
    BAD_ENUM = "bad-enum", Shape, Error, "a value outside the allowed words (state, track, role, …)";
    BAD_DATE = "bad-date", Shape, Error, "a date, date-time or month that is not YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM";
    BAD_MONEY = "bad-money", Shape, Error, "an amount that is not a decimal with at most 2 places";
    ID_FILENAME = "id-filename", Shape, Error, "the id inside the file differs from its file (or folder) name";
}

/// What reading one file produced.
#[derive(Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// The file's id (from its `id` field), even when its record could not be built.
    pub id: Option<String>,
    pub record: Option<Record>,
}

/// A typed record, boxed at its own size: a file's outcome carries it from the core that read
/// the file to the list it belongs to (one variant per [`Kind`]).
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Record {
    Config(Box<Config>),
    Person(Box<Person>),
    Organisation(Box<Organisation>),
    Request(Box<Request>),
    Mission(Box<Mission>),
    Session(Box<Session>),
    Payout(Box<Payout>),
    Invoice(Box<Invoice>),
    Declaration(Box<Declaration>),
}

pub fn at_start() -> At {
    At::Span(Span::point(Pos { line: 1, column: 1 }))
}
/// Check one file's bytes as a file of `kind`: every syntax and shape finding (the typed record
/// is dropped). Public so tests can feed the loader arbitrary input.
pub fn check_document(rel: &str, kind: Kind, bytes: Vec<u8>) -> Vec<Finding> {
    read(rel, kind, bytes).findings
}

/// Read one file's bytes as a file of `kind`.
pub fn read(rel: &str, kind: Kind, bytes: Vec<u8>) -> Outcome {
    let mut out = Outcome::default();
    read_document(rel, kind, bytes, &mut out);
    out
}

/// Decode, parse, shape-check and type one file's bytes.
fn read_document(rel: &str, kind: Kind, bytes: Vec<u8>, out: &mut Outcome) {
    let decoded = match yaml::decode(bytes) {
        Ok(d) => d,
        Err(yaml::DecodeError::InvalidUtf8 { pos }) => {
            out.findings.push(Finding::new(
                &ENCODING,
                rel,
                At::Span(Span::point(pos)),
                "this file is not valid UTF-8 here; save it as UTF-8",
            ));
            return;
        }
    };
    if decoded.had_bom {
        let mut f = Finding::new(
            &ENCODING,
            rel,
            at_start(),
            "the file starts with a byte-order mark; save it as UTF-8 without BOM",
        );
        f.severity = Severity::Warning;
        out.findings.push(f);
    }
    if decoded.crlf {
        let mut f = Finding::new(
            &ENCODING,
            rel,
            at_start(),
            "the file uses CRLF (Windows) line endings; save it with LF line endings so diffs stay clean",
        );
        f.severity = Severity::Warning;
        out.findings.push(f);
    }
    let markers = yaml::conflict_markers(&decoded.text);
    if !markers.is_empty() {
        for line in markers {
            out.findings.push(Finding::new(
                &MERGE_CONFLICT,
                rel,
                At::Span(Span { start: Pos { line, column: 1 }, end: Pos { line, column: 8 } }),
                "leftover merge-conflict marker; resolve the conflict, keep the right lines and delete the markers",
            ));
        }
        return;
    }
    if let Some(at) = lone_carriage_return(&decoded.text) {
        // YAML reads it as a line break, git and every editor's line numbers do not: positions
        // would point at the wrong lines, so the file is not read further.
        out.findings.push(Finding::new(
            &ENCODING,
            rel,
            At::Span(Span::point(at)),
            "a carriage return not followed by a line feed (old Mac line endings); save the file with LF line endings",
        ));
        return;
    }
    let parsed = yaml::parse(&decoded.text);
    let last = last_position(&decoded.text);
    for p in &parsed.problems {
        let rule = match p.kind {
            yaml::node::ProblemKind::Syntax => &YAML_SYNTAX,
            yaml::node::ProblemKind::DuplicateKey => &DUPLICATE_KEY,
        };
        let message = match p.kind {
            yaml::node::ProblemKind::Syntax => format!("invalid YAML: {}", p.message),
            yaml::node::ProblemKind::DuplicateKey => p.message.clone(),
        };
        // The parser may stop past the last character (an unclosed `[` at the end of a file
        // with no final newline): the finding points at the end of the file instead.
        let span = Span {
            start: p.span.start.min(last),
            end: p.span.end.min(last),
        };
        out.findings
            .push(Finding::new(rule, rel, At::Span(span), message));
    }
    let Some(root_node) = parsed.root else {
        if parsed.problems.is_empty() {
            out.findings.push(Finding::new(
                &NOT_A_MAPPING,
                rel,
                at_start(),
                format!(
                    "this file is empty; a {} file is a mapping of fields (see schema/{})",
                    kind.name(),
                    kind.schema_file()
                ),
            ));
        }
        return;
    };
    if !matches!(root_node.value, yaml::Value::Map(_)) {
        out.findings.push(Finding::new(
            &NOT_A_MAPPING,
            rel,
            At::Span(root_node.span),
            format!(
                "this file is a {}, but a {} file is a mapping of `field: value` lines",
                root_node.kind_name(),
                kind.name()
            ),
        ));
        return;
    }
    out.id = check_id(rel, kind, &root_node, &mut out.findings);
    let before = out.findings.len();
    shape::validate(shape::compiled(kind), &root_node, rel, &mut out.findings);
    let shape_errors = out.findings[before..]
        .iter()
        .any(|f| f.severity == Severity::Error);
    if shape_errors
        || parsed
            .problems
            .iter()
            .any(|p| p.kind == yaml::node::ProblemKind::Syntax)
    {
        return;
    }
    let mut ty = Typer {
        node: &root_node,
        rel,
        findings: &mut out.findings,
    };
    out.record = match kind {
        Kind::Config => ty.typed().map(|c| Record::Config(Box::new(c))),
        Kind::Person => ty.typed().map(|v| Record::Person(Box::new(v))),
        Kind::Organisation => ty.typed().map(|v| Record::Organisation(Box::new(v))),
        Kind::Request => ty.typed().map(|v| Record::Request(Box::new(v))),
        Kind::Mission => ty.typed().map(|v| Record::Mission(Box::new(v))),
        Kind::Session => ty.typed().map(|v| Record::Session(Box::new(v))),
        Kind::Payout => ty.typed().map(|v| Record::Payout(Box::new(v))),
        Kind::Invoice => ty.typed().map(|v| Record::Invoice(Box::new(v))),
        Kind::Declaration => ty.typed().map(|v| Record::Declaration(Box::new(v))),
    };
}

/// Where the first carriage return not followed by a line feed is, lines counted by LF.
fn lone_carriage_return(text: &str) -> Option<Pos> {
    let at = text
        .match_indices('\r')
        .find(|(i, _)| !text[i + 1..].starts_with('\n'))?
        .0;
    Some(position_of(text, at))
}

/// The position of byte `at` of `text`: lines counted by LF, columns in characters.
fn position_of(text: &str, at: usize) -> Pos {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

/// The position just after the last character of the last line of `text`.
fn last_position(text: &str) -> Pos {
    let trimmed = text.strip_suffix('\n').unwrap_or(text);
    let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
    position_of(trimmed, trimmed.len())
}

/// Types a file's tree.
struct Typer<'a> {
    node: &'a Node,
    rel: &'a str,
    findings: &'a mut Vec<Finding>,
}

impl Typer<'_> {
    fn typed<T: DeserializeOwned>(&mut self) -> Option<T> {
        match T::deserialize(yaml::de::NodeDeserializer(self.node)) {
            Ok(v) => Some(v),
            Err(err) => {
                self.findings.push(Finding::new(
                    &WRONG_TYPE,
                    self.rel,
                    At::Span(self.node.span),
                    format!("cannot read this file: {err}"),
                ));
                None
            }
        }
    }
}

/// The id of the file from its `id` field, checked against the file (or folder) name.
fn check_id(rel: &str, kind: Kind, root: &Node, findings: &mut Vec<Finding>) -> Option<String> {
    if kind == Kind::Config {
        return Some(CONFIG_FILE.into());
    }
    let parts: Vec<&str> = rel.split('/').collect();
    let expected = if kind == Kind::Mission {
        parts.get(1).copied().unwrap_or_default().to_string()
    } else {
        parts
            .last()
            .copied()
            .unwrap_or_default()
            .trim_end_matches(".yaml")
            .to_string()
    };
    let entry = root.get("id")?;
    let id = entry.value.as_str()?.to_string();
    if id != expected {
        let place = if kind == Kind::Mission {
            "folder"
        } else {
            "file"
        };
        findings.push(Finding::new(
            &ID_FILENAME,
            rel,
            At::Span(entry.value.span),
            format!("id `{id}` does not match the {place} name `{expected}`; ids never change, so rename the {place} or fix the id"),
        ));
    }
    if kind == Kind::Session {
        let folder = parts.get(1).copied().unwrap_or_default();
        if let Some(m) = root.get("mission")
            && let Some(mission) = m.value.as_str()
            && mission != folder
        {
            findings.push(Finding::new(
                &ID_FILENAME,
                rel,
                At::Span(m.value.span),
                format!("this session lives under missions/{folder}/ but says `mission: {mission}`; move the file or fix the field"),
            ));
        }
    }
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(findings: &[Finding], rule: &str) -> Option<Span> {
        findings
            .iter()
            .find(|f| f.rule.id == rule)
            .and_then(|f| match f.at {
                At::Span(span) => Some(span),
                At::Route(..) => None,
            })
    }

    #[test]
    fn a_lone_carriage_return_is_an_encoding_error_where_editors_see_it() {
        let text = "id: x\nname: X\rroles: [facilitator]\n";
        let found = check_document("people/x.yaml", Kind::Person, text.into());
        let span = at(&found, "encoding").expect("an encoding finding");
        assert_eq!(span.start, Pos { line: 2, column: 8 });
        assert_eq!(found.len(), 1, "nothing read past it: {found:?}");
    }

    #[test]
    fn a_syntax_error_at_the_end_points_inside_the_file() {
        for text in ["id: y\nname: [a", "id: y\nname: [a\n"] {
            let found = check_document("people/y.yaml", Kind::Person, text.into());
            let span = at(&found, "yaml-syntax").expect("a syntax finding");
            assert!(
                span.start.line <= 2 && span.end.line <= 2,
                "{text:?}: {span:?}"
            );
            assert!(span.end.column <= 9, "{text:?}: {span:?}");
        }
    }
}
