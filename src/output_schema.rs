//! The JSON Schemas (Draft-07) of fresk's `--format json` outputs, one per output, written to
//! `schema/output/<name>.schema.json`: what a script that reads fresk's JSON may rely on.
//!
//! Every output is an object whose first field is `version`; numbers are JSON numbers, money
//! and dates are strings (`"1250.00"`, `"2026-06-15"`). The typed outputs (reports, the mission
//! dashboard, opportunities, lint's findings) are generated from the very types the commands
//! serialise, so a field cannot change without its schema; the rest are written here.

use crate::diagnostics::Diagnostic;
use crate::model::{Request, RequestState};
use crate::report;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

/// One JSON output: its schema's name, the commands that print it, and how to build it.
pub struct Output {
    /// The file is `schema/output/<name>.schema.json`.
    pub name: &'static str,
    /// The command lines that print it (with `--format json`).
    pub commands: &'static [&'static str],
    /// What it is, in a few words.
    pub title: &'static str,
    build: fn() -> Value,
}

impl Output {
    /// The schema, with its `$id` and title.
    pub fn schema(&self) -> Value {
        let mut value = (self.build)();
        if let Value::Object(map) = &mut value {
            let mut out = serde_json::Map::new();
            out.insert(
                "$schema".into(),
                json!("http://json-schema.org/draft-07/schema#"),
            );
            out.insert(
                "$id".into(),
                json!(format!(
                    "https://fresk.dev/schema/output/{}.schema.json",
                    self.name
                )),
            );
            out.insert("title".into(), json!(self.title));
            out.insert(
                "description".into(),
                json!(format!("Printed by: {}.", self.commands.join("; "))),
            );
            for (k, v) in std::mem::take(map) {
                if !matches!(k.as_str(), "$schema" | "title" | "description") {
                    out.insert(k, v);
                }
            }
            *map = out;
        }
        value
    }

    /// The text of its file: pretty JSON and a final newline.
    pub fn file_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema()).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn file_name(&self) -> String {
        format!("{}.schema.json", self.name)
    }
}

/// Every JSON output fresk prints.
pub fn all() -> &'static [Output] {
    &[
        Output {
            name: "lint",
            commands: &["fresk lint --format json"],
            title: "The findings of fresk lint",
            build: lint,
        },
        Output {
            name: "lint-rules",
            commands: &["fresk lint --rules --format json"],
            title: "Every rule of fresk lint",
            build: lint_rules,
        },
        Output {
            name: "list",
            commands: &[
                "fresk request list",
                "fresk mission list",
                "fresk session list",
                "fresk payout list",
                "fresk invoice list",
                "fresk declaration list",
            ],
            title: "The rows of a list, keyed by the column headers of its table",
            build: list,
        },
        Output {
            name: "request-show",
            commands: &["fresk request show"],
            title: "A request, its file and the steps that may follow",
            build: request_show,
        },
        Output {
            name: "mission-show",
            commands: &["fresk mission show"],
            title: "A mission's dashboard",
            build: typed::<report::dashboard::Dashboard>,
        },
        Output {
            name: "opportunities",
            commands: &["fresk opportunities", "fresk request list --open"],
            title: "The published requests open to applications",
            build: plain::<report::opportunities::Opportunities>,
        },
        Output {
            name: "participants-list",
            commands: &["fresk participants list"],
            title: "The participants of a session (personal data, from private/)",
            build: participants_list,
        },
        Output {
            name: "organisation-show",
            commands: &["fresk organisation show"],
            title: "An organisation's client file",
            build: typed::<report::client_file::ClientFile>,
        },
        Output {
            name: "agenda",
            commands: &["fresk agenda"],
            title: "The day's agenda: what is due and the command to run next",
            build: typed::<report::agenda::Agenda>,
        },
        Output {
            name: "callback-list",
            commands: &["fresk callback list"],
            title: "The callbacks not done yet",
            build: callback_list,
        },
        Output {
            name: "report-requests",
            commands: &["fresk report requests"],
            title: "The request pipeline",
            build: typed::<report::requests::RequestsReport>,
        },
        Output {
            name: "report-missions",
            commands: &["fresk report missions"],
            title: "Missions and offers",
            build: typed::<report::missions::MissionsReport>,
        },
        Output {
            name: "report-payouts",
            commands: &["fresk report payouts"],
            title: "What facilitators are owed",
            build: typed::<report::payouts::PayoutsReport>,
        },
        Output {
            name: "report-activity",
            commands: &["fresk report activity"],
            title: "Delivered activity",
            build: typed::<report::activity::ActivityReport>,
        },
        Output {
            name: "report-quality",
            commands: &["fresk report quality"],
            title: "The Qualiopi view of held sessions",
            build: typed::<report::quality::QualityReport>,
        },
        Output {
            name: "report-bpf",
            commands: &["fresk report bpf"],
            title: "The figures of the bilan pédagogique et financier",
            build: typed::<report::bpf::BpfReport>,
        },
        Output {
            name: "report-shares",
            commands: &["fresk report shares"],
            title: "Shared profit by group",
            build: typed::<report::shares::SharesReport>,
        },
        Output {
            name: "report-clients",
            commands: &["fresk report clients"],
            title: "The client relationship in figures",
            build: typed::<report::clients::ClientsReport>,
        },
    ]
}

/// Draft-07, describing values as fresk writes them (a field it may leave out is optional).
fn settings() -> SchemaSettings {
    let mut settings = SchemaSettings::draft07();
    settings.contract = schemars::generate::Contract::Serialize;
    settings
}

/// The schema of `T` as it is serialised, with nothing added.
fn plain<T: JsonSchema>() -> Value {
    settings()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The schema of `T` printed through `report::table::versioned`: `version` comes first.
fn typed<T: JsonSchema>() -> Value {
    with_version(plain::<T>(), report::table::JSON_VERSION)
}

/// `schema` (an object schema) with a required `version` property equal to `version`, first.
fn with_version(mut schema: Value, version: u32) -> Value {
    if let Value::Object(map) = &mut schema {
        let mut properties = serde_json::Map::new();
        properties.insert(
            "version".into(),
            json!({
                "description": "The version of this output; it changes when a field changes meaning or goes away.",
                "const": version,
            }),
        );
        if let Some(Value::Object(old)) = map.remove("properties") {
            properties.extend(old);
        }
        map.insert("properties".into(), Value::Object(properties));
        let mut required = vec![json!("version")];
        if let Some(Value::Array(old)) = map.remove("required") {
            required.extend(old.into_iter().filter(|r| r != "version"));
        }
        map.insert("required".into(), Value::Array(required));
    }
    schema
}

fn lint() -> Value {
    let mut generator = settings().into_generator();
    let finding = generator.subschema_for::<Diagnostic>();
    let schema = json!({
        "type": "object",
        "properties": {
            "findings": {
                "description": "Every finding, by file, line and column.",
                "type": "array",
                "items": finding,
            },
            "summary": {
                "type": "object",
                "properties": {
                    "files": { "description": "Files checked.", "type": "integer", "minimum": 0 },
                    "errors": { "type": "integer", "minimum": 0 },
                    "warnings": { "type": "integer", "minimum": 0 },
                },
                "required": ["files", "errors", "warnings"],
                "additionalProperties": false,
            },
        },
        "required": ["findings", "summary"],
        "additionalProperties": false,
        "definitions": generator.definitions(),
    });
    with_version(schema, 2)
}

fn lint_rules() -> Value {
    with_version(
        json!({
            "type": "object",
            "properties": {
                "rules": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": { "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$" },
                            "family": { "type": "string" },
                            "severity": { "enum": ["error", "warning"] },
                            "summary": { "type": "string" },
                            "help_uri": { "type": "string", "format": "uri" },
                        },
                        "required": ["id", "family", "severity", "summary", "help_uri"],
                        "additionalProperties": false,
                    },
                },
            },
            "required": ["rules"],
            "additionalProperties": false,
        }),
        1,
    )
}

fn list() -> Value {
    typed_rows(json!({
        "description": "One row, keyed by the table's column headers: whole numbers as numbers, empty cells as null, anything else (ids, dates, amounts with their decimals) as the text shown.",
        "type": "object",
        "additionalProperties": { "type": ["string", "integer", "null"] },
    }))
}

fn typed_rows(row: Value) -> Value {
    with_version(
        json!({
            "type": "object",
            "properties": { "rows": { "type": "array", "items": row } },
            "required": ["rows"],
            "additionalProperties": false,
        }),
        report::table::JSON_VERSION,
    )
}

fn request_show() -> Value {
    let mut generator = settings().into_generator();
    let request = generator.subschema_for::<Request>();
    let state = generator.subschema_for::<RequestState>();
    with_version(
        json!({
            "type": "object",
            "properties": {
                "file": { "description": "The request's file, relative to the workspace.", "type": "string" },
                "request": request,
                "next": {
                    "description": "The steps its lifecycle allows now, with the command for each.",
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "state": state,
                            "command": { "type": "string" },
                            "needs": { "description": "What the step needs, in words.", "type": "string" },
                        },
                        "required": ["state", "command", "needs"],
                        "additionalProperties": false,
                    },
                },
            },
            "required": ["file", "request", "next"],
            "additionalProperties": false,
            "definitions": generator.definitions(),
        }),
        report::table::JSON_VERSION,
    )
}

fn callback_list() -> Value {
    let mut generator = settings().into_generator();
    let date = generator.subschema_for::<crate::model::Date>();
    let date_time = generator.subschema_for::<crate::model::DateTime>();
    with_version(
        json!({
            "type": "object",
            "properties": {
                "today": date,
                "callbacks": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "organisation": { "type": "string" },
                            "due": date,
                            "status": { "description": "As of `today`.", "enum": ["overdue", "today", "upcoming"] },
                            "reason": { "type": "string" },
                            "owner": { "type": ["string", "null"] },
                            "set_at": date_time,
                        },
                        "required": ["organisation", "due", "status", "reason", "owner", "set_at"],
                        "additionalProperties": false,
                    },
                },
            },
            "required": ["today", "callbacks"],
            "additionalProperties": false,
            "definitions": generator.definitions(),
        }),
        report::table::JSON_VERSION,
    )
}

fn participants_list() -> Value {
    let text_or_null = json!({ "type": ["string", "null"] });
    with_version(
        json!({
            "type": "object",
            "properties": {
                "session": { "type": "string" },
                "roster": { "description": "The roster's file, under private/.", "type": "string" },
                "exists": { "description": "Whether the roster file exists yet.", "type": "boolean" },
                "participants": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": { "type": "string" },
                            "email": text_or_null,
                            "organisation": text_or_null,
                            "phone": text_or_null,
                            "attended": { "type": "boolean" },
                            "half_days": {
                                "description": "The half-days attended (`2026-06-10 am`), when recorded.",
                                "type": ["array", "null"],
                                "items": { "type": "string" },
                            },
                            "evaluation": text_or_null,
                        },
                        "required": ["name", "attended"],
                        "additionalProperties": false,
                    },
                },
            },
            "required": ["session", "roster", "exists", "participants"],
            "additionalProperties": false,
        }),
        report::table::JSON_VERSION,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in schema/output/ must be what the code generates: run
    /// `cargo run -- schema --outputs --write --out schema/output`.
    #[test]
    fn checked_in_output_schemas_are_in_sync() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/output");
        let mut expected: Vec<String> = all().iter().map(Output::file_name).collect();
        for output in all() {
            let path = dir.join(output.file_name());
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                on_disk == output.file_text(),
                "{} is out of date; regenerate with `cargo run -- schema --outputs --write --out schema/output`",
                path.display()
            );
        }
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        on_disk.sort();
        expected.sort();
        assert_eq!(
            on_disk, expected,
            "schema/output/ holds one file per output"
        );
    }

    #[test]
    fn every_output_requires_its_version_first() {
        for output in all() {
            let schema = output.schema();
            let first = schema["properties"]
                .as_object()
                .and_then(|p| p.keys().next().cloned());
            assert_eq!(first.as_deref(), Some("version"), "{}", output.name);
            assert_eq!(schema["required"][0], "version", "{}", output.name);
        }
    }
}
