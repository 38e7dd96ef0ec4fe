//! One workspace file read: its bytes decoded as UTF-8, parsed as YAML, its shape checked
//! against its kind's schema, its id checked against its name, and its typed record built —
//! with every finding of each step. Workspace-wide checks are the rules' business.

use crate::diagnostics::{At, Finding, Severity};
use crate::model::{
    Config, Declaration, Invoice, Kind, Mission, Organisation, Payout, Person, Request, Session,
};
use crate::rules;
use crate::schema;
use crate::workspace::CONFIG_FILE;
use crate::yaml::{self, Node, Pos, Span};
use serde::de::DeserializeOwned;

/// What reading one file produced.
#[derive(Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// The file's id (from its `id` field), even when its record could not be built.
    pub id: Option<String>,
    pub record: Option<Record>,
    /// The record encoded for the load cache, when asked for and the file has no finding.
    pub encoded: Option<Vec<u8>>,
}

/// A typed record, boxed at its own size: a file's outcome carries it from the core that read
/// the file to the list it belongs to (one variant per [`Kind`]).
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
    read(rel, kind, bytes, false).findings
}

/// Read one file's bytes as a file of `kind`; with `encode`, also encode its record for the
/// load cache when the file has no finding at all.
pub fn read(rel: &str, kind: Kind, bytes: Vec<u8>, encode: bool) -> Outcome {
    let mut out = Outcome::default();
    read_document(rel, kind, bytes, encode, &mut out);
    if !out.findings.is_empty() {
        out.encoded = None;
    }
    out
}

/// Decode, parse, shape-check and type one file's bytes; with `encode`, also encode the typed
/// record for the cache.
fn read_document(rel: &str, kind: Kind, bytes: Vec<u8>, encode: bool, out: &mut Outcome) {
    let decoded = match yaml::decode(bytes) {
        Ok(d) => d,
        Err(yaml::DecodeError::InvalidUtf8 { pos }) => {
            out.findings.push(Finding::new(
                &rules::ENCODING,
                rel,
                At::Span(Span::point(pos)),
                "this file is not valid UTF-8 here; save it as UTF-8",
            ));
            return;
        }
    };
    if decoded.had_bom {
        let mut f = Finding::new(
            &rules::ENCODING,
            rel,
            at_start(),
            "the file starts with a byte-order mark; save it as UTF-8 without BOM",
        );
        f.severity = Severity::Warning;
        out.findings.push(f);
    }
    if decoded.crlf {
        let mut f = Finding::new(
            &rules::ENCODING,
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
                &rules::MERGE_CONFLICT,
                rel,
                At::Span(Span { start: Pos { line, column: 1 }, end: Pos { line, column: 8 } }),
                "leftover merge-conflict marker; resolve the conflict, keep the right lines and delete the markers",
            ));
        }
        return;
    }
    let parsed = yaml::parse(&decoded.text);
    for p in &parsed.problems {
        let rule = match p.kind {
            yaml::node::ProblemKind::Syntax => &rules::YAML_SYNTAX,
            yaml::node::ProblemKind::DuplicateKey => &rules::DUPLICATE_KEY,
        };
        let message = match p.kind {
            yaml::node::ProblemKind::Syntax => format!("invalid YAML: {}", p.message),
            yaml::node::ProblemKind::DuplicateKey => p.message.clone(),
        };
        out.findings
            .push(Finding::new(rule, rel, At::Span(p.span), message));
    }
    let Some(root_node) = parsed.root else {
        if parsed.problems.is_empty() {
            out.findings.push(Finding::new(
                &rules::NOT_A_MAPPING,
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
            &rules::NOT_A_MAPPING,
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
    rules::shape::validate(schema::compiled(kind), &root_node, rel, &mut out.findings);
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
    // A file with findings is read again each time, so only a clean one is encoded.
    let encode = encode && out.findings.is_empty();
    let mut ty = Typer {
        node: &root_node,
        rel,
        findings: &mut out.findings,
        encoded: encode.then_some(&mut out.encoded),
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

/// Types a file's tree, encoding the record for the cache when asked.
struct Typer<'a> {
    node: &'a Node,
    rel: &'a str,
    findings: &'a mut Vec<Finding>,
    encoded: Option<&'a mut Option<Vec<u8>>>,
}

impl Typer<'_> {
    fn typed<T: DeserializeOwned + serde::Serialize>(&mut self) -> Option<T> {
        match T::deserialize(yaml::de::NodeDeserializer(self.node)) {
            Ok(v) => {
                if let Some(slot) = self.encoded.as_deref_mut() {
                    *slot = crate::cache::encode(&v);
                }
                Some(v)
            }
            Err(err) => {
                self.findings.push(Finding::new(
                    &rules::WRONG_TYPE,
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
            &rules::ID_FILENAME,
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
                &rules::ID_FILENAME,
                rel,
                At::Span(m.value.span),
                format!("this session lives under missions/{folder}/ but says `mission: {mission}`; move the file or fix the field"),
            ));
        }
    }
    Some(id)
}
