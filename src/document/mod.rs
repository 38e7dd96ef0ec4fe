//! One workspace file read: its bytes decoded as UTF-8, parsed as YAML, its shape checked
//! against its kind's schema, its id checked against its name, and its typed record built —
//! with every finding of each step. Workspace-wide checks are the rules' business.

pub mod shape;

use crate::diagnostics::{At, Finding, Severity, declare_rules};
use crate::model::CONFIG_FILE;
use crate::model::{
    Complaint, Config, Declaration, Interactions, Invoice, Kind, Mission, Organisation, Payout,
    Person, Request, Session,
};
use crate::yaml::{self, Node, Pos, Span};
use serde::de::DeserializeOwned;

declare_rules! {
    /// the file is not valid YAML (with the position the parser stopped at)
    ///
    /// fresk reads every file as YAML. Where the parser stops, the file cannot be read: none of
    /// its fields is checked and the rules across files skip it, so fix this first. The finding
    /// points at the place the parser stopped and quotes its message; the mistake is there or
    /// just before it — usually an unclosed `[`, `{` or quote, a tab used to indent, a value
    /// that itself holds `: ` without quotes, or a line indented differently from its
    /// neighbours.
    ///
    /// Bad:
    /// ```yaml
    /// # people/camille-dupont.yaml
    /// id: camille-dupont
    /// name: Camille Dupont
    /// roles: [facilitator, coordinator
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # people/camille-dupont.yaml
    /// id: camille-dupont
    /// name: Camille Dupont
    /// roles: [facilitator, coordinator]
    /// ```
    YAML_SYNTAX = "yaml-syntax", Syntax, Error;
    /// the same key appears twice in a mapping
    ///
    /// YAML tools disagree on which of two equal keys wins (most keep the last, silently), so a
    /// key written twice makes the file mean different things to different readers — often the
    /// trace of a hand-made merge or a copied block. fresk refuses to guess: keep one of the two
    /// and delete the other.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S03.yaml
    /// id: M2026-0005-S03
    /// mission: M2026-0005
    /// state: planned
    /// offer: workshop-onsite
    /// start: 2026-04-16 08:30
    /// end: 2026-04-16 11:30
    /// state: held
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S03.yaml
    /// id: M2026-0005-S03
    /// mission: M2026-0005
    /// state: held
    /// offer: workshop-onsite
    /// start: 2026-04-16 08:30
    /// end: 2026-04-16 11:30
    /// ```
    DUPLICATE_KEY = "duplicate-key", Syntax, Error;
    /// leftover git merge-conflict markers (<<<<<<<, =======, >>>>>>>)
    ///
    /// When git cannot merge two changes to the same lines it writes both, between conflict
    /// markers, and leaves the choice to you. A file still holding them is not the file anyone
    /// meant, so it is not read further: each marker line is a finding. Keep the right lines,
    /// delete the others and the three markers, then lint again.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S06.yaml
    /// id: M2026-0005-S06
    /// mission: M2026-0005
    /// <<<<<<< HEAD
    /// state: held
    /// =======
    /// state: cancelled
    /// >>>>>>> cancel-s06
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S06.yaml
    /// id: M2026-0005-S06
    /// mission: M2026-0005
    /// state: cancelled
    /// ```
    MERGE_CONFLICT = "merge-conflict", Syntax, Error;
    /// the file is empty, or is a list or a scalar instead of a mapping
    ///
    /// Every fresk file is one mapping of `field: value` lines (see its schema in schema/). An
    /// empty file (or one holding only comments), a list or a lone value has no fields to read,
    /// so the file is skipped. Write the fields at the top level, without a leading `-`.
    ///
    /// Bad:
    /// ```yaml
    /// # people/thomas-girard.yaml
    /// - id: thomas-girard
    /// - name: Thomas Girard
    /// - roles: [facilitator]
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # people/thomas-girard.yaml
    /// id: thomas-girard
    /// name: Thomas Girard
    /// roles: [facilitator]
    /// ```
    NOT_A_MAPPING = "not-a-mapping", Syntax, Error;
    /// the file is not UTF-8 (error), or has a byte-order mark or CRLF line endings (warning)
    ///
    /// fresk reads files as UTF-8. Bytes that are not UTF-8 (a file saved as Latin-1 or
    /// Windows-1252 by an old editor) stop the reading at the first bad byte: an error. A
    /// byte-order mark at the start, or Windows (CRLF) line endings, are read but make every
    /// diff noisy: a warning. Save the file as UTF-8 without BOM, with LF line endings; a
    /// `.gitattributes` line `*.yaml text eol=lf` keeps git from converting them back.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0003.yaml, saved as Windows-1252: `é` is the byte 0xE9
    /// need:
    ///   summary: Atelier pour l'équipe de direction
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0003.yaml, saved as UTF-8: `é` is the bytes 0xC3 0xA9
    /// need:
    ///   summary: Atelier pour l'équipe de direction
    /// ```
    ENCODING = "encoding", Syntax, Error;
    /// a field that this kind of file does not have (typo?)
    ///
    /// Each kind of file has a fixed set of fields (schema/<kind>.schema.json). A field outside
    /// it is most often a typo, and a typo hides the real field: the value is ignored and the
    /// rules that need it see it missing. The message suggests the closest field, or lists the
    /// fields allowed at that place; rename or remove it. Notes belong in `notes:`.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S01.yaml
    /// id: M2026-0005-S01
    /// mission: M2026-0005
    /// state: held
    /// offer: workshop-onsite
    /// start: 2026-03-26 08:30
    /// end: 2026-03-26 11:30
    /// facilitatrs:
    ///   - { person: ines-moreau, role: lead, status: paid }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S01.yaml
    /// id: M2026-0005-S01
    /// mission: M2026-0005
    /// state: held
    /// offer: workshop-onsite
    /// start: 2026-03-26 08:30
    /// end: 2026-03-26 11:30
    /// facilitators:
    ///   - { person: ines-moreau, role: lead, status: paid }
    /// ```
    UNKNOWN_FIELD = "unknown-field", Shape, Error;
    /// a required field is absent
    ///
    /// Some fields are required by every file of a kind (a session's `mission`, `state`,
    /// `offer`, `start` and `end`; a person's `id`, `name` and `roles`…); without them the file
    /// cannot be read as its kind, and the rules across files skip it. The finding points at the
    /// mapping that lacks the field and says what to write. (Fields required only in some states
    /// are `missing-for-state`.)
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// id: M2026-0005-S07
    /// mission: M2026-0005
    /// state: planned
    /// offer: workshop-onsite
    /// start: 2026-06-18 08:30
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// id: M2026-0005-S07
    /// mission: M2026-0005
    /// state: planned
    /// offer: workshop-onsite
    /// start: 2026-06-18 08:30
    /// end: 2026-06-18 11:30
    /// ```
    MISSING_FIELD = "missing-field", Shape, Error;
    /// a value of the wrong type (a list where a text is expected, …)
    ///
    /// Each field takes one type of value: a text, a whole number, a decimal, a yes/no, a list
    /// or a mapping. A value of another type — a text where a list is expected, a word where a
    /// number is, an empty value for a field that needs one, a share that is neither a
    /// percentage nor `rest` — cannot be read, and the file is skipped by the rules across
    /// files. The message says what the field takes.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S02.yaml
    /// id: M2026-0006-S02
    /// mission: M2026-0006
    /// state: planned
    /// offer: workshop-online
    /// start: 2026-05-12 14:00
    /// end: 2026-05-12 17:00
    /// facilitators: antoine-roux
    /// participants: { expected: twelve }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S02.yaml
    /// id: M2026-0006-S02
    /// mission: M2026-0006
    /// state: planned
    /// offer: workshop-online
    /// start: 2026-05-12 14:00
    /// end: 2026-05-12 17:00
    /// facilitators:
    ///   - { person: antoine-roux, role: lead, status: paid }
    /// participants: { expected: 12 }
    /// ```
    WRONG_TYPE = "wrong-type", Shape, Error;
    /// a value outside the allowed words (state, track, role, …)
    ///
    /// States, tracks, roles, statuses, channels, sectors and other such fields take one of a
    /// fixed list of words (the schema of each kind lists them); anything else cannot be read.
    /// The message lists the allowed words and suggests the closest. The same rule reports a
    /// `timezone` in fresk.yaml that is not an IANA time-zone name, such as `Europe/Paris`.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S02.yaml
    /// id: M2026-0005-S02
    /// mission: M2026-0005
    /// state: hled
    /// offer: workshop-onsite
    /// start: 2026-04-02 08:30
    /// end: 2026-04-02 11:30
    /// facilitators:
    ///   - { person: ines-moreau, role: lead, status: payed }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S02.yaml
    /// id: M2026-0005-S02
    /// mission: M2026-0005
    /// state: held
    /// offer: workshop-onsite
    /// start: 2026-04-02 08:30
    /// end: 2026-04-02 11:30
    /// facilitators:
    ///   - { person: ines-moreau, role: lead, status: paid }
    /// participants: { attended: 28 }
    /// ```
    BAD_ENUM = "bad-enum", Shape, Error;
    /// a date, date-time or month that is not YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM
    ///
    /// Dates are written one way only, so that they sort, compare and read the same for
    /// everyone: a day as `2026-03-26`, a moment as `2026-03-26 08:30` (in the workspace's time
    /// zone, `timezone` in fresk.yaml), a month as `2026-03`. A date in another format, or one
    /// that does not exist (`2026-02-30`), cannot be read.
    ///
    /// Bad:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml
    /// id: U2026-0002
    /// state: declared
    /// request: R2026-0004
    /// person: lucas-bernard
    /// period: 03/2026
    /// sessions: 1
    /// participants: 14
    /// revenue: 950
    /// fee: 95
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml
    /// id: U2026-0002
    /// state: declared
    /// request: R2026-0004
    /// person: lucas-bernard
    /// period: 2026-03
    /// sessions: 1
    /// participants: 14
    /// revenue: 950
    /// fee: 95
    /// ```
    BAD_DATE = "bad-date", Shape, Error;
    /// an amount that is not a decimal with at most 2 places
    ///
    /// Amounts are exact to the cent and written as plain decimals: digits, an optional `.` and
    /// at most two decimals (`1200`, `1200.50`), without currency sign, thousands separator or
    /// decimal comma. Anything else could be read two ways, so it is not read at all.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml
    /// lines:
    ///   - session: M2026-0005-S06
    ///     person: thomas-girard
    ///     role: lead
    ///     amount: 500,00 €
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml
    /// lines:
    ///   - session: M2026-0005-S06
    ///     person: thomas-girard
    ///     role: lead
    ///     amount: 500
    /// ```
    BAD_MONEY = "bad-money", Shape, Error;
    /// the id inside the file differs from its file (or folder) name
    ///
    /// A file's id is its name: `people/<id>.yaml`, `requests/<year>/<id>.yaml`, a mission's
    /// folder `missions/<id>/`, and so on. Other files and commands find it by that name, so
    /// the two must agree; ids never change once used. The rule also checks that a session's
    /// `mission` is the mission folder it lives in. Rename the file, or fix the id (or the
    /// session's `mission`).
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0007.yaml
    /// id: R2026-0008
    /// state: received
    /// track: subcontracting
    /// received: 2026-06-02 09:15
    /// channel: email
    /// origin: internet
    /// organisation: biscuiterie-lafont
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0007.yaml
    /// id: R2026-0007
    /// state: received
    /// track: subcontracting
    /// received: 2026-06-02 09:15
    /// channel: email
    /// origin: internet
    /// organisation: biscuiterie-lafont
    /// ```
    ID_FILENAME = "id-filename", Shape, Error;
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
    Interactions(Box<Interactions>),
    Complaint(Box<Complaint>),
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
    let last = (!parsed.problems.is_empty()).then(|| last_position(&decoded.text));
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
        let last = last.unwrap_or(p.span.end);
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
        Kind::Interactions => ty.typed().map(|v| Record::Interactions(Box::new(v))),
        Kind::Complaint => ty.typed().map(|v| Record::Complaint(Box::new(v))),
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

/// The id of `interactions/<organisation>/<year>.yaml`, `<organisation>/<year>`, from its
/// path; its `organisation` and `year` fields must say the same.
fn interactions_id(rel: &str, parts: &[&str], root: &Node, findings: &mut Vec<Finding>) -> String {
    let folder = parts.get(1).copied().unwrap_or_default();
    let year = parts
        .last()
        .copied()
        .unwrap_or_default()
        .trim_end_matches(".yaml");
    if let Some(e) = root.get("organisation")
        && let Some(org) = e.value.as_str()
        && org != folder
    {
        findings.push(Finding::new(
            &ID_FILENAME,
            rel,
            At::Span(e.value.span),
            format!("this file lives under interactions/{folder}/ but says `organisation: {org}`; move the file or fix the field"),
        ));
    }
    if let Some(e) = root.get("year")
        && let Some(y) = e.value.as_str()
        && y != year
    {
        findings.push(Finding::new(
            &ID_FILENAME,
            rel,
            At::Span(e.value.span),
            format!("this file is named {year}.yaml but says `year: {y}`; rename the file or fix the field"),
        ));
    }
    format!("{folder}/{year}")
}

/// The id of the file from its `id` field, checked against the file (or folder) name.
fn check_id(rel: &str, kind: Kind, root: &Node, findings: &mut Vec<Finding>) -> Option<String> {
    if kind == Kind::Config {
        return Some(CONFIG_FILE.into());
    }
    let parts: Vec<&str> = rel.split('/').collect();
    if kind == Kind::Interactions {
        return Some(interactions_id(rel, &parts, root, findings));
    }
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
