//! `fresk report … --format html`: one self-contained page — inline CSS, inline SVG charts
//! drawn with plotters' SVG backend, no script, nothing fetched — with the report's tables
//! (the same cells as `--format csv`) and, where one helps, charts of the figures of
//! `--format json` (the same JSON value, read here).

use super::Section;
use plotters::prelude::*;
use serde_json::Value;
use std::fmt::Write as _;

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Bars,
    Line,
}

/// One chart: categories along x, one or more series of values.
#[derive(Debug, Clone)]
pub struct Chart {
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<(String, Vec<f64>)>,
    pub shape: Shape,
}

/// A number of the JSON (a number, or a decimal string such as an amount).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A chart of the list at `json[list]`: one category per distinct `json[list][i][category]`
/// (in order), one series per field of `fields` (values of one category summed), or, with
/// `split`, one series per distinct value of that field, of the one field given.
pub fn from_list(
    json: &Value,
    title: &str,
    list: &str,
    category: &str,
    fields: &[&str],
    split: Option<&str>,
    shape: Shape,
) -> Option<Chart> {
    let items = json.get(list)?.as_array()?;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut categories: Vec<String> = Vec::new();
    for item in items {
        let c = text(item.get(category)?);
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    let names: Vec<String> = match split {
        Some(key) => {
            let mut names: Vec<String> = Vec::new();
            for item in items {
                let n = text(item.get(key)?);
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            names
        }
        None => fields.iter().map(|f| f.replace('_', " ")).collect(),
    };
    let mut series: Vec<(String, Vec<f64>)> = names
        .iter()
        .map(|n| (n.clone(), vec![0.0; categories.len()]))
        .collect();
    for item in items {
        let c = text(item.get(category)?);
        let ci = categories.iter().position(|x| *x == c)?;
        match split {
            Some(key) => {
                let n = text(item.get(key)?);
                let si = names.iter().position(|x| *x == n)?;
                series[si].1[ci] += item.get(fields[0]).and_then(number).unwrap_or(0.0);
            }
            None => {
                for (si, f) in fields.iter().enumerate() {
                    series[si].1[ci] += item.get(*f).and_then(number).unwrap_or(0.0);
                }
            }
        }
    }
    (!categories.is_empty()).then(|| Chart {
        title: title.to_string(),
        categories,
        series,
        shape,
    })
}

/// A bar chart of the fields of the object at `json[object]`, one bar each.
pub fn from_fields(json: &Value, title: &str, object: &str, fields: &[&str]) -> Option<Chart> {
    let o = json.get(object)?;
    let values: Vec<f64> = fields
        .iter()
        .map(|f| o.get(*f).and_then(number).unwrap_or(0.0))
        .collect();
    Some(Chart {
        title: title.to_string(),
        categories: fields.iter().map(|f| f.replace('_', " ")).collect(),
        series: vec![(object.replace('_', " "), values)],
        shape: Shape::Bars,
    })
}

/// One chart of a report, read from its JSON: (report, title, list, category field, value
/// fields, split field, shape) — see [`from_list`].
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    Shape,
);

/// The charts that help read each report, in the order the page shows them.
const SPECS: &[Spec] = &[
    (
        "clients",
        "Revenue by month and client type",
        "monthly",
        "month",
        &["revenue"],
        Some("sector"),
        Shape::Bars,
    ),
    (
        "clients",
        "Hours by month and client type",
        "monthly",
        "month",
        &["hours"],
        Some("sector"),
        Shape::Bars,
    ),
    (
        "clients",
        "Origins of requests by year",
        "origins_by_year",
        "label",
        &["requests"],
        Some("period"),
        Shape::Bars,
    ),
    (
        "clients",
        "Clients per year",
        "per_year",
        "year",
        &["clients", "new", "returning", "lost"],
        None,
        Shape::Bars,
    ),
    (
        "clients",
        "Hours sold per offer",
        "hours_sold",
        "month",
        &["hours"],
        Some("offer"),
        Shape::Bars,
    ),
    (
        "clients",
        "Satisfaction after the first mission",
        "satisfaction",
        "ended",
        &["satisfaction"],
        None,
        Shape::Line,
    ),
    (
        "requests",
        "Requests by month",
        "by_month",
        "key",
        &["received", "quoted", "won"],
        None,
        Shape::Bars,
    ),
    (
        "requests",
        "Requests by origin",
        "by_origin",
        "key",
        &["received", "won"],
        None,
        Shape::Bars,
    ),
    (
        "missions",
        "Revenue per mission",
        "missions",
        "mission",
        &["revenue_ordered", "revenue_delivered"],
        None,
        Shape::Bars,
    ),
    (
        "payouts",
        "Payouts by month",
        "by_month",
        "key",
        &["due", "requested", "invoiced", "paid"],
        None,
        Shape::Bars,
    ),
    (
        "activity",
        "Revenue by month",
        "by_month",
        "key",
        &["revenue"],
        None,
        Shape::Bars,
    ),
    (
        "activity",
        "Hours by month",
        "by_month",
        "key",
        &["hours"],
        None,
        Shape::Bars,
    ),
    (
        "activity",
        "Revenue by offer",
        "by_offer",
        "key",
        &["revenue"],
        None,
        Shape::Bars,
    ),
    (
        "quality",
        "Satisfaction by month",
        "by_month",
        "key",
        &["satisfaction"],
        None,
        Shape::Line,
    ),
    (
        "quality",
        "Attendees and survey responses by month",
        "by_month",
        "key",
        &["attended", "responses"],
        None,
        Shape::Bars,
    ),
    (
        "bpf",
        "Trainee-hours by funder",
        "by_funder",
        "key",
        &["trainee_hours"],
        None,
        Shape::Bars,
    ),
    (
        "bpf",
        "Trainee-hours by training objective",
        "by_objective",
        "key",
        &["trainee_hours"],
        None,
        Shape::Bars,
    ),
    (
        "shares",
        "Shares",
        "groups",
        "group",
        &["amount"],
        None,
        Shape::Bars,
    ),
];

/// The charts that help read `report` (`clients`, `requests`, …) from its JSON value.
pub fn charts_for(report: &str, json: &Value) -> Vec<Chart> {
    let funnel = match report {
        "clients" => from_fields(
            json,
            "Pipeline: from first contact to client",
            "funnel",
            &["contacts", "quoted", "converted"],
        ),
        "requests" => from_fields(
            json,
            "Pipeline",
            "totals",
            &["received", "quoted", "won", "lost", "expired"],
        ),
        _ => None,
    };
    let listed = SPECS.iter().filter(|s| s.0 == report).filter_map(
        |&(_, title, list, category, fields, split, shape)| {
            from_list(json, title, list, category, fields, split, shape)
        },
    );
    funnel.into_iter().chain(listed).collect()
}

const PALETTE: [RGBColor; 6] = [
    RGBColor(0x2b, 0x6c, 0xb0),
    RGBColor(0xe0, 0x8a, 0x1e),
    RGBColor(0x3b, 0x9b, 0x5a),
    RGBColor(0xc0, 0x39, 0x2b),
    RGBColor(0x7d, 0x5b, 0xa6),
    RGBColor(0x6b, 0x6b, 0x6b),
];

/// The chart as an SVG element (plotters' SVG backend); `None` if plotters refuses.
pub fn svg(chart: &Chart) -> Option<String> {
    let mut out = String::new();
    draw(chart, &mut out).ok()?;
    Some(out)
}

fn draw<'a>(chart: &Chart, out: &'a mut String) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let n = chart.categories.len();
    let top = chart
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0_f64, f64::max);
    let top = if top > 0.0 { top * 1.15 } else { 1.0 };
    let root = SVGBackend::with_string(out, (720, 320)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut c = ChartBuilder::on(&root)
        .caption(&chart.title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5_f64..(n as f64 - 0.5), 0.0_f64..top)?;
    let labels = chart.categories.clone();
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(n.max(2))
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(6)
        .y_label_formatter(&|v| {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        })
        .draw()?;
    let k = chart.series.len().max(1) as f64;
    let width = 0.8 / k;
    for (si, (name, values)) in chart.series.iter().enumerate() {
        let color = PALETTE[si % PALETTE.len()];
        match chart.shape {
            Shape::Bars => {
                let left = -0.4 + width * si as f64;
                c.draw_series(values.iter().enumerate().map(|(i, v)| {
                    let x0 = i as f64 + left;
                    Rectangle::new([(x0, 0.0), (x0 + width * 0.95, *v)], color.filled())
                }))?
                .label(name.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
            }
            Shape::Line => {
                let points: Vec<(f64, f64)> = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i as f64, *v))
                    .collect();
                c.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
                    .label(name.clone())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 12, y)], color.stroke_width(2))
                    });
                c.draw_series(points.iter().map(|p| Circle::new(*p, 4, color.filled())))?;
            }
        }
    }
    c.configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    root.present()?;
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222;background:#fff}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .7em;border-bottom:1px solid #e4e4e4;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1em 0}svg{max-width:100%;height:auto}\
p.none{color:#777}";

/// The whole page: title, charts, then every section as a table.
pub fn page(report: &str, heading: &str, json: &Value, sections: &[Section]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = escape(heading)
    );
    let charts = charts_for(report, json);
    if !charts.is_empty() {
        out.push_str("<section class=\"charts\">\n");
        for chart in &charts {
            if let Some(svg) = svg(chart) {
                let _ = writeln!(out, "<figure>\n{}\n</figure>", svg.trim());
            }
        }
        out.push_str("</section>\n");
    }
    for s in sections {
        let _ = writeln!(out, "<h2>{}</h2>", escape(&s.title));
        if s.rows.is_empty() {
            out.push_str("<p class=\"none\">none</p>\n");
            continue;
        }
        out.push_str("<table>\n<thead><tr>");
        for h in &s.headers {
            let _ = write!(out, "<th>{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &s.rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let class = if s.numeric.contains(&i) {
                    " class=\"n\""
                } else {
                    ""
                };
                let _ = write!(out, "<td{class}>{}</td>", escape(cell));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
