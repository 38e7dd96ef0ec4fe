//! Rows printed as a table (framed on a terminal), CSV or JSON: the output of every list, and
//! the tables of the dashboards.

use crate::cli::ListFormat;

/// `rows` under `headers`: a table (comfy-table, framed when `terminal`), CSV, or JSON (an array
/// of objects keyed by header).
pub fn format_rows(
    headers: &[&str],
    rows: &[Vec<String>],
    format: ListFormat,
    terminal: bool,
) -> String {
    match format {
        ListFormat::Table => {
            let mut table = comfy_table::Table::new();
            if terminal {
                table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            } else {
                table.load_preset(comfy_table::presets::NOTHING);
            }
            table.set_header(headers.iter().copied());
            for row in rows {
                table.add_row(row.iter().map(String::as_str));
            }
            format!("{table}\n")
        }
        ListFormat::Csv => {
            let mut out = String::new();
            let line = |cells: &mut dyn Iterator<Item = &str>| {
                cells.map(csv_field).collect::<Vec<_>>().join(",") + "\n"
            };
            out.push_str(&line(&mut headers.iter().copied()));
            for row in rows {
                out.push_str(&line(&mut row.iter().map(String::as_str)));
            }
            out
        }
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|row| {
                    serde_json::Value::Object(
                        headers
                            .iter()
                            .zip(row)
                            .map(|(h, v)| (h.to_string(), typed(v)))
                            .collect(),
                    )
                })
                .collect();
            versioned(serde_json::json!({ "rows": items }))
        }
    }
}

/// The version of fresk's JSON outputs (lists, reports, dashboards); `fresk lint`'s findings
/// have their own (docs/commands.md, "Output contract").
pub const JSON_VERSION: u32 = 1;

/// `value` (an object) printed as fresk's JSON outputs are: `"version"` first, pretty, with a
/// final newline.
pub fn versioned(value: serde_json::Value) -> String {
    let mut object = serde_json::Map::new();
    object.insert("version".into(), JSON_VERSION.into());
    match value {
        serde_json::Value::Object(fields) => object.extend(fields),
        other => {
            object.insert("value".into(), other);
        }
    }
    let mut text =
        serde_json::to_string_pretty(&serde_json::Value::Object(object)).unwrap_or_default();
    text.push('\n');
    text
}

/// A cell as JSON: a whole number as a number, an empty cell as null, anything else (ids,
/// dates, amounts with their decimals, text) as the string shown.
fn typed(cell: &str) -> serde_json::Value {
    let whole = !cell.is_empty()
        && cell.len() <= 15
        && (cell == "0" || (!cell.starts_with('0') && cell.bytes().all(|b| b.is_ascii_digit())));
    match cell.parse::<u64>() {
        Ok(n) if whole => n.into(),
        _ if cell.is_empty() => serde_json::Value::Null,
        _ => serde_json::Value::String(cell.to_string()),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_when_needed() {
        let out = format_rows(
            &["a", "b"],
            &[vec!["x,y".into(), "say \"hi\"".into()]],
            ListFormat::Csv,
            false,
        );
        assert_eq!(out, "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n");
    }
}
