//! Shape rules: each file checked against the JSON Schema of its kind, reporting every unknown
//! field, missing field, wrong type, bad enum value, bad date and bad amount — not just the first.

use crate::diagnostics::{At, Finding, did_you_mean};
use crate::model::{Date, DateTime, Money, Quantity, YearMonth};
use crate::rules::{self, Rule};
use crate::yaml::{Node, Span, Style, Value as Yaml, node::is_null_text};
use serde_json::{Map, Value};

/// Check `node` (a whole file) against `schema`; push findings for `file`.
pub fn validate(schema: &Value, node: &Node, file: &str, out: &mut Vec<Finding>) {
    let mut v = Validator {
        root: schema,
        file,
        out,
    };
    v.check(schema, node, None, &Name::Root);
}

struct Validator<'a> {
    root: &'a Value,
    file: &'a str,
    out: &'a mut Vec<Finding>,
}

impl<'a> Validator<'a> {
    fn push(&mut self, rule: &'static Rule, span: Span, message: String) {
        self.out
            .push(Finding::new(rule, self.file, At::Span(span), message));
    }

    fn resolve<'s>(&self, schema: &'s Value) -> &'s Value
    where
        'a: 's,
    {
        let mut s = schema;
        for _ in 0..16 {
            // Draft-07 wraps a documented `$ref` as `allOf: [{ $ref }]`.
            if let Some([only]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
                s = only;
                continue;
            }
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.rsplit('/').next().unwrap_or_default();
                    match self.root.get("definitions").and_then(|d| d.get(name)) {
                        Some(def) => s = def,
                        None => return s,
                    }
                }
                None => return s,
            }
        }
        s
    }

    /// `key_span`: the span of the key holding this value, for messages about absent children.
    fn check(&mut self, schema: &Value, node: &Node, key_span: Option<Span>, name: &Name<'_>) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            self.check_alternatives(branches, node, key_span, name);
            return;
        }
        if let Some(allowed) = enum_values(schema) {
            self.check_enum(&allowed, node, name);
            return;
        }
        let types = types(schema);
        if node.is_null() {
            if types.is_empty() || types.contains(&"null") {
                return;
            }
            let what = describe(&types, schema);
            self.push(
                &rules::WRONG_TYPE,
                node.span,
                format!("`{name}` is empty; give it {what}"),
            );
            return;
        }
        match &node.value {
            Yaml::Map(_) => {
                if !types.is_empty() && !types.contains(&"object") {
                    return self.wrong_type(&types, schema, node, name);
                }
                self.check_object(schema, node, key_span, name);
            }
            Yaml::Seq(items) => {
                if !types.is_empty() && !types.contains(&"array") {
                    return self.wrong_type(&types, schema, node, name);
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, Some(item.span), &Name::Index(name, i));
                    }
                }
            }
            Yaml::Scalar { text, style } => {
                self.check_scalar(schema, &types, node, text, *style, name)
            }
        }
    }

    fn wrong_type(&mut self, types: &[&str], schema: &Value, node: &Node, name: &Name<'_>) {
        let what = describe(types, schema);
        self.push(
            &rules::WRONG_TYPE,
            node.span,
            format!("`{name}` should be {what}, not a {}", node.kind_name()),
        );
    }

    fn check_alternatives(
        &mut self,
        branches: &[Value],
        node: &Node,
        key_span: Option<Span>,
        name: &Name<'_>,
    ) {
        let mut best: Option<Vec<Finding>> = None;
        let mut all_enums: Vec<String> = Vec::new();
        let mut only_enums = true;
        for branch in branches {
            let branch = self.resolve(branch);
            match enum_values(branch) {
                Some(values) => all_enums.extend(values),
                None if types(branch) == ["null"] => {
                    if node.is_null() {
                        return;
                    }
                    continue;
                }
                None => only_enums = false,
            }
            let mut found = Vec::new();
            let mut v = Validator {
                root: self.root,
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
        if only_enums && !all_enums.is_empty() {
            self.check_enum(&all_enums, node, name);
        } else if let Some(found) = best {
            self.out.extend(found);
        }
    }

    fn check_enum(&mut self, allowed: &[String], node: &Node, name: &Name<'_>) {
        let Some(text) = node.as_str() else {
            self.push(
                &rules::WRONG_TYPE,
                node.span,
                format!(
                    "`{name}` should be one of {}, not a {}",
                    list(allowed),
                    node.kind_name()
                ),
            );
            return;
        };
        if allowed.iter().any(|a| a == text) {
            return;
        }
        let hint = match did_you_mean(text, allowed.iter().map(String::as_str)) {
            Some(m) => format!("; did you mean `{m}`?"),
            None => String::new(),
        };
        self.push(
            &rules::BAD_ENUM,
            node.span,
            format!(
                "`{name}` is `{text}`, which is not one of {}{hint}",
                list(allowed)
            ),
        );
    }

    fn check_object(
        &mut self,
        schema: &Value,
        node: &Node,
        key_span: Option<Span>,
        name: &Name<'_>,
    ) {
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        let extra = schema.get("additionalProperties").filter(|v| v.is_object());
        for entry in node.entries() {
            let Some(key) = entry.key.as_str() else {
                self.push(
                    &rules::WRONG_TYPE,
                    entry.key.span,
                    "keys must be plain words, not lists or mappings".into(),
                );
                continue;
            };
            let child = Name::Key(name, key);
            match properties.get(key) {
                Some(prop) => self.check(prop, &entry.value, Some(entry.key.span), &child),
                None if closed => {
                    let hint = match did_you_mean(key, properties.keys().map(String::as_str)) {
                        Some(m) => format!("; did you mean `{m}`?"),
                        None => format!(
                            "; remove it (allowed here: {})",
                            properties
                                .keys()
                                .map(|k| format!("`{k}`"))
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
                        &rules::UNKNOWN_FIELD,
                        entry.key.span,
                        format!("unknown field `{key}`{place}{hint}"),
                    );
                }
                None => {
                    if let Some(extra) = extra {
                        self.check(extra, &entry.value, Some(entry.key.span), &child);
                    }
                }
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for field in required.iter().filter_map(Value::as_str) {
                if node.get(field).is_none() {
                    let span = key_span.unwrap_or_else(|| {
                        node.entries().first().map_or(node.span, |e| e.key.span)
                    });
                    let place = if name.is_empty() {
                        String::new()
                    } else {
                        format!(" in `{name}`")
                    };
                    let what = properties
                        .get(field)
                        .map(|p| describe(&types(self.resolve(p)), self.resolve(p)))
                        .unwrap_or_else(|| "a value".into());
                    self.push(
                        &rules::MISSING_FIELD,
                        span,
                        format!("missing field `{field}`{place}; add `{field}:` with {what}"),
                    );
                }
            }
        }
    }

    fn check_scalar(
        &mut self,
        schema: &Value,
        types: &[&str],
        node: &Node,
        text: &str,
        style: Style,
        name: &Name<'_>,
    ) {
        if let Some(format) = schema.get("format").and_then(Value::as_str) {
            let result = match format {
                "date" => Date::parse(text).err().map(|e| (&rules::BAD_DATE, e)),
                "fresk-date-time" => DateTime::parse(text).err().map(|e| (&rules::BAD_DATE, e)),
                "year-month" => YearMonth::parse(text).err().map(|e| (&rules::BAD_DATE, e)),
                "money" => Money::parse(text).err().map(|e| (&rules::BAD_MONEY, e)),
                "decimal" => Quantity::parse(text).err().map(|e| (&rules::WRONG_TYPE, e)),
                "share" if text.trim() != "rest" => Quantity::parse(text).err().map(|_| {
                    (
                        &rules::WRONG_TYPE,
                        format!("`{text}` is neither a percentage nor `rest`"),
                    )
                }),
                _ => None,
            };
            if let Some((rule, message)) = result {
                self.push(rule, node.span, format!("`{name}`: {message}"));
                return;
            }
            if [
                "date",
                "fresk-date-time",
                "year-month",
                "money",
                "decimal",
                "share",
            ]
            .contains(&format)
            {
                return;
            }
        }
        if types.is_empty() || types.contains(&"string") {
            return;
        }
        let plain = style == Style::Plain;
        let ok = types.iter().any(|t| match *t {
            "integer" => text.trim().parse::<i64>().is_ok_and(|n| {
                schema
                    .get("minimum")
                    .and_then(Value::as_f64)
                    .is_none_or(|min| n as f64 >= min)
            }),
            "number" => crate::model::money::parse_decimal(text.trim()).is_some(),
            "boolean" => {
                plain && matches!(text, "true" | "false" | "True" | "False" | "TRUE" | "FALSE")
            }
            "null" => plain && is_null_text(text),
            _ => false,
        });
        if !ok {
            let what = describe(types, schema);
            self.push(
                &rules::WRONG_TYPE,
                node.span,
                format!("`{name}` should be {what}, not `{text}`"),
            );
        }
    }
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn enum_values(schema: &Value) -> Option<Vec<String>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(
            values
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
        );
    }
    schema
        .get("const")
        .and_then(Value::as_str)
        .map(|c| vec![c.to_string()])
}

fn list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "a date (YYYY-MM-DD)", "a list", "a whole number", … for messages.
fn describe(types: &[&str], schema: &Value) -> String {
    match schema.get("format").and_then(Value::as_str) {
        Some("date") => return "a date (YYYY-MM-DD)".into(),
        Some("fresk-date-time") => return "a date-time (YYYY-MM-DD HH:MM)".into(),
        Some("year-month") => return "a month (YYYY-MM)".into(),
        Some("money") => return "an amount (e.g. 1200 or 1200.50)".into(),
        Some("decimal") => return "a number".into(),
        _ => {}
    }
    if let Some(values) = enum_values(schema) {
        return format!("one of {}", list(&values));
    }
    let main: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
    match main.first().copied() {
        Some("object") => "a mapping (`key: value` lines)".into(),
        Some("array") => "a list".into(),
        Some("integer") => "a whole number".into(),
        Some("number") => "a number".into(),
        Some("boolean") => "true or false".into(),
        Some("string") => "a text".into(),
        _ => "a value".into(),
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
