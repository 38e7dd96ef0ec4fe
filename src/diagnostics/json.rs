//! JSON output: `{"version": 1, "findings": [...], "summary": {...}}` (SPEC §7).

use super::Report;
use serde_json::json;

pub fn render(report: &Report) -> String {
    let value = json!({
        "version": 1,
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
