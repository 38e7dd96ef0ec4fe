//! JSON output: `{"version": 2, "findings": [...], "summary": {...}}`. Version 2 added each
//! finding's `related` places (docs/rules.md describes the shape).

use super::Report;
use serde_json::json;

pub fn render(report: &Report) -> String {
    let value = json!({
        "version": 2,
        "findings": report.diagnostics,
        "summary": {
            "files": report.files,
            "errors": report.errors(),
            "warnings": report.warnings(),
        }
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
