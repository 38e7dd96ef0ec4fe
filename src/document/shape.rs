//! Shape rules: each file checked against the JSON Schema of its kind, reporting every unknown
//! field, missing field, wrong type, bad enum value, bad date and bad amount — not just the first.
//!
//! The JSON Schema is compiled once into a flat table of [`Shape`]s (lookups by position and
//! short linear scans instead of hashing JSON keys), because every field of every file of a
//! 100 000-session workspace goes through here.

use crate::diagnostics::Rule;
use crate::diagnostics::{At, Finding, did_you_mean};
use crate::model::{Date, DateTime, Money, Quantity, YearMonth};
use crate::yaml::{Node, Span, Style, Value as Yaml, node::is_null_text};
use serde_json::Value;
use std::collections::HashMap;

/// A JSON Schema compiled for validation.
#[derive(Debug)]
pub struct Compiled {
    shapes: Vec<Shape>,
}

const OBJECT: u8 = 1;
const ARRAY: u8 = 2;
const STRING: u8 = 4;
const INTEGER: u8 = 8;
const NUMBER: u8 = 16;
const BOOLEAN: u8 = 32;
const NULL: u8 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Date,
    DateTime,
    YearMonth,
    Money,
    Decimal,
    Share,
}

#[derive(Debug, Default)]
struct Shape {
    /// Allowed JSON types; 0 means any.
    types: u8,
    /// `anyOf` / `oneOf` branches (indexes into the table).
    alternatives: Vec<usize>,
    /// Allowed words (`enum`, `const`, or every branch of an alternative of words).
    words: Option<Vec<String>>,
    format: Option<Format>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    properties: Vec<(String, usize)>,
    required: Vec<String>,
    closed: bool,
    extra: Option<usize>,
    items: Option<usize>,
    /// "a date (YYYY-MM-DD)", "a list", … for messages.
    description: String,
}

impl Compiled {
    /// Compile a root schema (with `definitions`).
    pub fn new(root: &Value) -> Compiled {
        let mut c = Compiler {
            root,
            compiled: Compiled { shapes: Vec::new() },
            refs: HashMap::new(),
        };
        c.compile(root);
        c.compiled
    }
}

struct Compiler<'a> {
    root: &'a Value,
    compiled: Compiled,
    refs: HashMap<String, usize>,
}

impl Compiler<'_> {
    fn compile(&mut self, schema: &Value) -> usize {
        // Draft-07 wraps a documented `$ref` as `allOf: [{ $ref }]`.
        if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            return self.compile(only);
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap_or_default().to_string();
            if let Some(&index) = self.refs.get(&name) {
                return index;
            }
            let index = self.reserve();
            self.refs.insert(name.clone(), index);
            let def = self
                .root
                .get("definitions")
                .and_then(|d| d.get(&name))
                .cloned()
                .unwrap_or(Value::Bool(true));
            let shape = self.build(&def);
            self.compiled.shapes[index] = shape;
            return index;
        }
        let index = self.reserve();
        let shape = self.build(schema);
        self.compiled.shapes[index] = shape;
        index
    }

    fn reserve(&mut self) -> usize {
        self.compiled.shapes.push(Shape::default());
        self.compiled.shapes.len() - 1
    }

    fn build(&mut self, schema: &Value) -> Shape {
        if schema.get("allOf").is_some() || schema.get("$ref").is_some() {
            let target = self.compile(schema);
            return Shape {
                alternatives: vec![target],
                ..Shape::default()
            };
        }
        let mut shape = Shape::default();
        let type_names: Vec<&str> = match schema.get("type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for t in &type_names {
            shape.types |= match *t {
                "object" => OBJECT,
                "array" => ARRAY,
                "string" => STRING,
                "integer" => INTEGER,
                "number" => NUMBER,
                "boolean" => BOOLEAN,
                "null" => NULL,
                _ => 0,
            };
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            shape.words = Some(
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect(),
            );
        } else if let Some(c) = schema.get("const").and_then(Value::as_str) {
            shape.words = Some(vec![c.to_string()]);
        }
        shape.format = match schema.get("format").and_then(Value::as_str) {
            Some("date") => Some(Format::Date),
            Some("fresk-date-time") => Some(Format::DateTime),
            Some("year-month") => Some(Format::YearMonth),
            Some("money") => Some(Format::Money),
            Some("decimal") => Some(Format::Decimal),
            Some("share") => Some(Format::Share),
            _ => None,
        };
        shape.minimum = schema.get("minimum").and_then(Value::as_f64);
        shape.maximum = schema.get("maximum").and_then(Value::as_f64);
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (key, prop) in props {
                let index = self.compile(prop);
                shape.properties.push((key.clone(), index));
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            shape.required = required
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
        }
        shape.closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            shape.extra = Some(self.compile(extra));
        }
        if let Some(items) = schema.get("items") {
            shape.items = Some(self.compile(items));
        }
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            let mut words: Vec<String> = Vec::new();
            let mut only_words = true;
            for branch in branches {
                let index = self.compile(branch);
                shape.alternatives.push(index);
                let b = &self.compiled.shapes[index];
                match &b.words {
                    Some(w) => words.extend(w.iter().cloned()),
                    None if b.types == NULL => {}
                    None => only_words = false,
                }
            }
            if only_words && !words.is_empty() {
                shape.words = Some(words);
            }
        }
        shape.description = describe(shape.types, shape.format, shape.words.as_deref());
        shape
    }
}

/// Check `node` (a whole file) against `schema`; push findings for `file`.
pub fn validate(schema: &Compiled, node: &Node, file: &str, out: &mut Vec<Finding>) {
    if schema.shapes.is_empty() {
        return;
    }
    let mut v = Validator { schema, file, out };
    v.check(0, node, None, &Name::Root);
}

struct Validator<'a> {
    schema: &'a Compiled,
    file: &'a str,
    out: &'a mut Vec<Finding>,
}

impl<'a> Validator<'a> {
    fn push(&mut self, rule: &'static Rule, span: Span, message: String) {
        self.out
            .push(Finding::new(rule, self.file, At::Span(span), message));
    }

    /// The shape behind plain indirections (a documented `$ref`).
    fn shape(&self, mut index: usize) -> (usize, &'a Shape) {
        let schema: &'a Compiled = self.schema;
        for _ in 0..16 {
            let s = &schema.shapes[index];
            let indirection = s.alternatives.len() == 1
                && s.types == 0
                && s.words.is_none()
                && s.properties.is_empty();
            if !indirection {
                break;
            }
            index = s.alternatives[0];
        }
        (index, &schema.shapes[index])
    }

    /// `key_span`: the span of the key holding this value, for messages about absent children.
    fn check(&mut self, index: usize, node: &Node, key_span: Option<Span>, name: &Name<'_>) {
        let (_, shape) = self.shape(index);
        if let Some(words) = &shape.words {
            if !shape.alternatives.is_empty() && node.is_null() && self.nullable(shape) {
                return;
            }
            self.check_enum(words, node, name);
            return;
        }
        if !shape.alternatives.is_empty() {
            self.check_alternatives(&shape.alternatives, node, key_span, name);
            return;
        }
        if node.is_null() {
            if shape.types == 0 || shape.types & NULL != 0 {
                return;
            }
            let message = format!("`{name}` is empty; give it {}", shape.description);
            self.push(&super::WRONG_TYPE, node.span, message);
            return;
        }
        match &node.value {
            Yaml::Map(_) => {
                if shape.types != 0 && shape.types & OBJECT == 0 {
                    return self.wrong_type(shape, node, name);
                }
                self.check_object(shape, node, key_span, name);
            }
            Yaml::Seq(items) => {
                if shape.types != 0 && shape.types & ARRAY == 0 {
                    return self.wrong_type(shape, node, name);
                }
                if let Some(item) = shape.items {
                    for (i, child) in items.iter().enumerate() {
                        self.check(item, child, Some(child.span), &Name::Index(name, i));
                    }
                }
            }
            Yaml::Scalar { text, style } => self.check_scalar(shape, node, text, *style, name),
        }
    }

    fn nullable(&self, shape: &Shape) -> bool {
        shape
            .alternatives
            .iter()
            .any(|&b| self.schema.shapes[b].types == NULL)
    }

    fn wrong_type(&mut self, shape: &Shape, node: &Node, name: &Name<'_>) {
        let message = format!(
            "`{name}` should be {}, not a {}",
            shape.description,
            node.kind_name()
        );
        self.push(&super::WRONG_TYPE, node.span, message);
    }

    fn check_alternatives(
        &mut self,
        branches: &[usize],
        node: &Node,
        key_span: Option<Span>,
        name: &Name<'_>,
    ) {
        let mut best: Option<Vec<Finding>> = None;
        for &branch in branches {
            if self.schema.shapes[branch].types == NULL
                && self.schema.shapes[branch].words.is_none()
            {
                if node.is_null() {
                    return;
                }
                continue;
            }
            let mut found = Vec::new();
            let mut v = Validator {
                schema: self.schema,
                file: self.file,
                out: &mut found,
            };
            v.check(branch, node, key_span, name);
            if found.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                best = Some(found);
            }
        }
        if let Some(found) = best {
            self.out.extend(found);
        }
    }

    fn check_enum(&mut self, allowed: &[String], node: &Node, name: &Name<'_>) {
        let Some(text) = node.as_str() else {
            let message = format!(
                "`{name}` should be one of {}, not a {}",
                list(allowed),
                node.kind_name()
            );
            self.push(&super::WRONG_TYPE, node.span, message);
            return;
        };
        if allowed.iter().any(|a| a == text) {
            return;
        }
        let hint = match did_you_mean(text, allowed.iter().map(String::as_str)) {
            Some(m) => format!("; did you mean `{m}`?"),
            None => String::new(),
        };
        let message = format!(
            "`{name}` is `{text}`, which is not one of {}{hint}",
            list(allowed)
        );
        self.push(&super::BAD_ENUM, node.span, message);
    }

    fn check_object(
        &mut self,
        shape: &Shape,
        node: &Node,
        key_span: Option<Span>,
        name: &Name<'_>,
    ) {
        for entry in node.entries() {
            let Some(key) = entry.key.as_str() else {
                self.push(
                    &super::WRONG_TYPE,
                    entry.key.span,
                    "keys must be plain words, not lists or mappings".into(),
                );
                continue;
            };
            let child = Name::Key(name, key);
            match shape.properties.iter().find(|(k, _)| k == key) {
                Some(&(_, prop)) => self.check(prop, &entry.value, Some(entry.key.span), &child),
                None if shape.closed => {
                    let hint =
                        match did_you_mean(key, shape.properties.iter().map(|(k, _)| k.as_str())) {
                            Some(m) => format!("; did you mean `{m}`?"),
                            None => format!(
                                "; remove it (allowed here: {})",
                                shape
                                    .properties
                                    .iter()
                                    .map(|(k, _)| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                    let place = if name.is_empty() {
                        String::new()
                    } else {
                        format!(" in `{name}`")
                    };
                    self.push(
                        &super::UNKNOWN_FIELD,
                        entry.key.span,
                        format!("unknown field `{key}`{place}{hint}"),
                    );
                }
                None => {
                    if let Some(extra) = shape.extra {
                        self.check(extra, &entry.value, Some(entry.key.span), &child);
                    }
                }
            }
        }
        for field in &shape.required {
            if node.get(field).is_none() {
                let span = key_span
                    .unwrap_or_else(|| node.entries().first().map_or(node.span, |e| e.key.span));
                let place = if name.is_empty() {
                    String::new()
                } else {
                    format!(" in `{name}`")
                };
                let what = shape
                    .properties
                    .iter()
                    .find(|(k, _)| k == field)
                    .map(|&(_, p)| self.shape(p).1.description.clone())
                    .unwrap_or_else(|| "a value".into());
                self.push(
                    &super::MISSING_FIELD,
                    span,
                    format!("missing field `{field}`{place}; add `{field}:` with {what}"),
                );
            }
        }
    }

    fn check_scalar(
        &mut self,
        shape: &Shape,
        node: &Node,
        text: &str,
        style: Style,
        name: &Name<'_>,
    ) {
        let plain = style == Style::Plain;
        if shape.types & NULL != 0 && plain && is_null_text(text) {
            return;
        }
        // A quoted scalar is text to every YAML reader: where text is not allowed, `"14"` is
        // not a number.
        let numeric = shape.types & (INTEGER | NUMBER) != 0;
        if numeric && shape.types & STRING == 0 && !plain {
            let message = format!(
                "`{name}` should be {}, not the text \"{text}\"; write it without quotes",
                shape.description
            );
            self.push(&super::WRONG_TYPE, node.span, message);
            return;
        }
        if let Some(format) = shape.format {
            let result = match format {
                Format::Date => Date::parse(text)
                    .err()
                    .map(|e| (&super::BAD_DATE, e.to_string())),
                Format::DateTime => DateTime::parse(text)
                    .err()
                    .map(|e| (&super::BAD_DATE, e.to_string())),
                Format::YearMonth => YearMonth::parse(text)
                    .err()
                    .map(|e| (&super::BAD_DATE, e.to_string())),
                Format::Money => Money::parse(text)
                    .err()
                    .map(|e| (&super::BAD_MONEY, e.to_string())),
                Format::Decimal => match Quantity::parse(text) {
                    Err(e) => Some((&super::WRONG_TYPE, e.to_string())),
                    Ok(q) => out_of_range(shape, q.0).map(|m| (&super::WRONG_TYPE, m)),
                },
                Format::Share if text.trim() == "rest" => None,
                Format::Share => Quantity::parse(text).err().map(|_| {
                    (
                        &super::WRONG_TYPE,
                        format!("`{text}` is neither a percentage nor `rest`"),
                    )
                }),
            };
            if let Some((rule, message)) = result {
                self.push(rule, node.span, format!("`{name}`: {message}"));
            }
            return;
        }
        if shape.types == 0 || shape.types & STRING != 0 {
            return;
        }
        let t = shape.types;
        let ok = (t & INTEGER != 0
            && plain
            && text
                .parse::<i64>()
                .is_ok_and(|n| out_of_range(shape, rust_decimal::Decimal::from(n)).is_none()))
            || (t & NUMBER != 0
                && plain
                && crate::model::money::parse_decimal(text)
                    .is_some_and(|d| out_of_range(shape, d).is_none()))
            || (t & BOOLEAN != 0
                && plain
                && matches!(text, "true" | "false" | "True" | "False" | "TRUE" | "FALSE"))
            || (t & NULL != 0 && plain && is_null_text(text));
        if !ok {
            let message = format!("`{name}` should be {}, not `{text}`", shape.description);
            self.push(&super::WRONG_TYPE, node.span, message);
        }
    }
}

/// Why `value` is outside the shape's `minimum`/`maximum`, if it is.
fn out_of_range(shape: &Shape, value: rust_decimal::Decimal) -> Option<String> {
    let bound = |b: f64| rust_decimal::Decimal::try_from(b).ok();
    if let Some(min) = shape.minimum.and_then(bound)
        && value < min
    {
        return Some(format!("{value} is below the minimum, {min}"));
    }
    if let Some(max) = shape.maximum.and_then(bound)
        && value > max
    {
        return Some(format!("{value} is above the maximum, {max}"));
    }
    None
}

fn list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "a date (YYYY-MM-DD)", "a list", "a whole number", … for messages.
fn describe(types: u8, format: Option<Format>, words: Option<&[String]>) -> String {
    match format {
        Some(Format::Date) => return "a date (YYYY-MM-DD)".into(),
        Some(Format::DateTime) => return "a date-time (YYYY-MM-DD HH:MM)".into(),
        Some(Format::YearMonth) => return "a month (YYYY-MM)".into(),
        Some(Format::Money) => return "an amount (e.g. 1200 or 1200.50)".into(),
        Some(Format::Decimal) => return "a number".into(),
        _ => {}
    }
    if let Some(words) = words {
        return format!("one of {}", list(words));
    }
    let main = types & !NULL;
    if main & OBJECT != 0 {
        "a mapping (`key: value` lines)".into()
    } else if main & ARRAY != 0 {
        "a list".into()
    } else if main & STRING != 0 {
        "a text".into()
    } else if main & INTEGER != 0 {
        "a whole number".into()
    } else if main & NUMBER != 0 {
        "a number".into()
    } else if main & BOOLEAN != 0 {
        "true or false".into()
    } else {
        "a value".into()
    }
}

/// The route of the value being checked, built only into text when a message needs it.
enum Name<'a> {
    Root,
    Key(&'a Name<'a>, &'a str),
    Index(&'a Name<'a>, usize),
}

impl Name<'_> {
    fn is_empty(&self) -> bool {
        matches!(self, Name::Root)
    }
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Name::Root => Ok(()),
            Name::Key(Name::Root, key) => f.write_str(key),
            Name::Key(parent, key) => write!(f, "{parent}.{key}"),
            Name::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}
/// The schema of one kind, compiled for the shape rules.
pub fn compiled(kind: crate::model::Kind) -> &'static Compiled {
    use crate::model::Kind;
    static COMPILED: std::sync::OnceLock<Vec<Compiled>> = std::sync::OnceLock::new();
    let all = COMPILED.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|k| Compiled::new(crate::schema::for_kind(*k)))
            .collect()
    });
    let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    &all[index]
}
