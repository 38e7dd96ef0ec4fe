//! The JSON Schemas in schema/ (what editors check as one types) and `fresk lint` agree: every
//! file of the example workspace, and each variant of the corpus below, is accepted by both or
//! refused by both. The schema side is check-jsonschema (PyPI, installed by scripts/test.sh);
//! the lint side is the shape family of rules, on the variant's file.
//!
//! Known limit, kept out of the corpus: a plain YAML number such as `12.505` (past the cent) or
//! `1e3` (exponent) is a JSON number to a schema validator, which cannot see how it was written;
//! lint refuses both. `multipleOf: 0.01` would misjudge binary floats (0.07, 19.99).

use crate::ci_examples::validator;
use crate::support::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The shape rules: what a JSON Schema can say about one file.
const SHAPE_RULES: &[&str] = &[
    "unknown-field",
    "missing-field",
    "wrong-type",
    "bad-enum",
    "bad-date",
    "bad-money",
];

const S01: &str = "missions/M2026-0005/sessions/M2026-0005-S01.yaml";
const F01: &str = "invoices/2026/F2026-0001.yaml";
const R12: &str = "requests/2026/R2026-0012.yaml";
const CAMILLE: &str = "people/camille-dupont.yaml";
const CONFIG: &str = "fresk.yaml";

/// (file, text replaced, replacement, valid?) — the expected verdict, which both must give.
const CORPUS: &[(&str, &str, &str, bool)] = &[
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26 08:30 tomorrow",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-13-26 08:30",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-02-29 08:30",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2024-02-29 08:30",
        true,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2100-02-29 08:30",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2000-02-29 08:30",
        true,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-04-31 08:30",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26T08:30",
        true,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26 08:30:15",
        true,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26T08:30:00+01:00",
        true,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26T08:30Z",
        true,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26 8:30",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26 24:00",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26 08:60",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 2026-03-26 08:30+25:00",
        false,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: \"2026-03-26 08:30\"",
        true,
    ),
    (
        S01,
        "start: 2026-03-26 08:30",
        "start: 26/03/2026 08:30",
        false,
    ),
    (S01, "expected: 32", "expected: \"14\"", false),
    (S01, "expected: 32", "expected: -3", false),
    (S01, "expected: 32", "expected: 1.5", false),
    (S01, "expected: 32", "expected: 0", true),
    (S01, "expected: 32", "expected: ~", true),
    (S01, "satisfaction: 4.5", "satisfaction: 9", false),
    (S01, "satisfaction: 4.5", "satisfaction: \"4.5\"", false),
    (S01, "satisfaction: 4.5", "satisfaction: -0.5", false),
    (S01, "satisfaction: 4.5", "satisfaction: 0", true),
    (S01, "satisfaction: 4.5", "satisfaction: 5", true),
    (S01, "satisfaction: 4.5", "satisfaction: 5.01", false),
    (S01, "satisfaction: 4.5", "satisfaction: null", true),
    (S01, "state: held", "state: Held", false),
    (S01, "notes: Classe de 2de 3.", "colour: red", false),
    (F01, "issued: 2026-04-08", "issued: 2026-04-31", false),
    (F01, "issued: 2026-04-08", "issued: 2026-4-08", false),
    (F01, "issued: 2026-04-08", "issued: \"2026-04-08\"", true),
    (F01, "unit_price: 1200 }", "unit_price: \"1200.50\" }", true),
    (
        F01,
        "unit_price: 1200 }",
        "unit_price: \"1200.500\" }",
        true,
    ),
    (
        F01,
        "unit_price: 1200 }",
        "unit_price: \"1200.505\" }",
        false,
    ),
    (F01, "unit_price: 1200 }", "unit_price: \"1 200\" }", false),
    (F01, "unit_price: 1200 }", "unit_price: \"12,50\" }", false),
    (F01, "quantity: 3,", "quantity: \"3\",", true),
    (F01, "quantity: 3,", "quantity: three,", false),
    (R12, "received: 2026-", "received: 2026-13-", false),
    (
        CAMILLE,
        "roles: [facilitator, coordinator]",
        "roles: [facilitator, wizard]",
        false,
    ),
    (
        CAMILLE,
        "mandate: { signed: 2024-06-01",
        "mandate: { signed: 2024-06-31",
        false,
    ),
    (CAMILLE, "contest_days: 15", "contest_days: \"15\"", false),
    (
        CONFIG,
        "payment_terms_days: 30",
        "payment_terms_days: \"30\"",
        false,
    ),
    (
        CONFIG,
        "payment_terms_days: 30",
        "payment_terms_days: 30.5",
        false,
    ),
    (
        CONFIG,
        "payment_terms_days: 30",
        "payment_terms_days: 45",
        true,
    ),
];

/// The schema file of a workspace file.
fn schema_of(rel: &str) -> &'static str {
    let first = rel.split('/').next().unwrap_or_default();
    match first {
        "fresk.yaml" => "fresk.schema.json",
        "people" => "person.schema.json",
        "organisations" => "organisation.schema.json",
        "requests" => "request.schema.json",
        "payouts" => "payout.schema.json",
        "invoices" => "invoice.schema.json",
        "declarations" => "declaration.schema.json",
        "interactions" => "interactions.schema.json",
        "complaints" => "complaint.schema.json",
        "missions" if rel.contains("/sessions/") => "session.schema.json",
        "missions" => "mission.schema.json",
        other => panic!("no schema for {rel} ({other})"),
    }
}

/// check-jsonschema's verdict on each (schema, file) pair (absolute paths): file → error messages.
fn schema_errors(
    files: &[(std::path::PathBuf, std::path::PathBuf)],
) -> BTreeMap<String, Vec<String>> {
    let mut by_schema: BTreeMap<&Path, Vec<&Path>> = BTreeMap::new();
    for (schema, path) in files {
        by_schema.entry(schema).or_default().push(path);
    }
    let tool = validator("check-jsonschema");
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (schema, paths) in by_schema {
        let out = Command::new(&tool)
            .arg("--output-format")
            .arg("json")
            .arg("--schemafile")
            .arg(schema)
            .args(&paths)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "check-jsonschema printed no JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let parse_errors = report["parse_errors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            parse_errors.is_empty(),
            "check-jsonschema could not read: {parse_errors:?}"
        );
        for e in report["errors"].as_array().into_iter().flatten() {
            errors
                .entry(e["filename"].as_str().unwrap_or_default().to_string())
                .or_default()
                .push(format!("{}: {}", e["path"], e["message"]));
        }
    }
    errors
}

/// The schema an editor applies to a file: the `# yaml-language-server: $schema=PATH` modeline
/// on its first line, PATH relative to the file's folder.
fn modeline_schema(path: &Path) -> Option<std::path::PathBuf> {
    let text = std::fs::read_to_string(path).ok()?;
    let target = text
        .lines()
        .next()?
        .strip_prefix("# yaml-language-server: $schema=")?;
    Some(path.parent()?.join(target))
}

/// Every file of the example workspace names its kind's schema in its modeline, as files fresk
/// writes do, and the schema it names (the workspace's own schema/) accepts it.
#[test]
fn every_example_file_is_valid_for_the_schema_its_modeline_names() {
    let demo = manifest_dir().join("examples/demo");
    let mut files = Vec::new();
    let mut wrong = Vec::new();
    for rel in tree_of(&demo)
        .into_keys()
        .filter(|rel| rel.ends_with(".yaml"))
    {
        let path = demo.join(&rel);
        let expected = demo.join("schema").join(schema_of(&rel));
        match modeline_schema(&path) {
            Some(named) if named.canonicalize().ok() == Some(expected.canonicalize().unwrap()) => {
                files.push((expected, path));
            }
            named => wrong.push(format!("{rel}: {named:?}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "these files have no modeline naming their kind's schema: {wrong:#?}"
    );
    assert!(files.len() > 60, "the demo has its files");
    let errors = schema_errors(&files);
    assert!(
        errors.is_empty(),
        "the schemas refuse example files lint accepts: {errors:#?}"
    );
}

#[test]
fn schemas_and_lint_agree_on_a_corpus_of_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut variants = Vec::new();
    let mut lint_verdicts = Vec::new();
    for (i, (file, from, to, _)) in CORPUS.iter().enumerate() {
        let ws = Ws::example();
        let text = ws.read(file);
        assert!(text.contains(from), "case {i}: `{from}` not in {file}");
        ws.write(file, &text.replacen(from, to, 1));
        let lint = ws.lint();
        let shape: Vec<String> = lint
            .findings
            .iter()
            .filter(|f| f.file == *file && SHAPE_RULES.contains(&f.rule.as_str()))
            .map(|f| format!("[{}] {}", f.rule, f.message))
            .collect();
        lint_verdicts.push(shape);
        // The variant, for the schema validator, under a name that keeps its kind.
        let path = dir.path().join(format!("case-{i}.yaml"));
        std::fs::write(&path, ws.read(file)).unwrap();
        variants.push((manifest_dir().join("schema").join(schema_of(file)), path));
    }
    let schema = schema_errors(&variants);
    let mut disagreements = Vec::new();
    for (i, (file, _, to, valid)) in CORPUS.iter().enumerate() {
        let path = variants[i].1.to_string_lossy().into_owned();
        let by_schema = schema.get(&path).cloned().unwrap_or_default();
        let by_lint = &lint_verdicts[i];
        if by_schema.is_empty() != *valid || by_lint.is_empty() != *valid {
            disagreements.push(format!(
                "case {i} ({file}: `{to}`), expected {}:\n  schema: {by_schema:?}\n  lint: {by_lint:?}",
                if *valid { "valid" } else { "invalid" }
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
