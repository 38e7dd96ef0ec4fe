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
            json!({
                "ruleId": d.rule,
                "ruleIndex": all.iter().position(|r| r.id == d.rule),
                "level": sarif_level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.file, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        }
                    }
                }]
            })
        })
        .collect();
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "fresk",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/fresk/fresk",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
