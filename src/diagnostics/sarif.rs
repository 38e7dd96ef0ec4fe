//! SARIF 2.1.0 output, for code-scanning uploads.

use super::{Report, Rule, Severity};
use serde_json::json;

/// The report as SARIF, describing `rules` (every rule fresk has).
pub fn render(report: &Report, all: &[&Rule]) -> String {
    let rules: Vec<_> = all
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.doc().explanation },
                "helpUri": r.help_uri(),
                "help": {
                    "text": super::docs::text(r),
                    "markdown": super::docs::section(r),
                },
                "defaultConfiguration": { "level": sarif_level(r.severity) },
                "properties": { "family": r.family.as_str() },
            })
        })
        .collect();
    let results: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            let here = region(d.line, d.column, d.end_line, d.end_column);
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": all.iter().position(|r| r.id == d.rule),
                "level": sarif_level(d.severity),
                "message": { "text": d.message },
                "locations": [location(&d.file, here)],
            });
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut place =
                            location(&r.file, region(r.line, r.column, r.end_line, r.end_column));
                        place["id"] = json!(i);
                        place["message"] = json!({ "text": r.message });
                        place
                    })
                    .collect();
            }
            result
        })
        .collect();
    let mut driver = json!({
        "name": "fresk",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    // The project's address, when Cargo.toml names one (`repository`): SARIF viewers link it.
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver["informationUri"] = json!(repository);
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// A place in a workspace file.
fn location(file: &str, region: serde_json::Value) -> serde_json::Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": file, "uriBaseId": "%SRCROOT%" },
            "region": region,
        }
    })
}

fn region(line: u32, column: u32, end_line: u32, end_column: u32) -> serde_json::Value {
    json!({
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
