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
                            .map(|(h, v)| (h.to_string(), serde_json::Value::String(v.clone())))
                            .collect(),
                    )
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&items).unwrap_or_default();
            text.push('\n');
            text
        }
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
