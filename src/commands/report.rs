//! `fresk report`: the CLI glue around [`crate::report`] — open the workspace, read the period,
//! compute, print as titled tables, CSV blocks or one JSON document.

use super::Error;
use super::common::{Cx, Globals};
use crate::cli::{ListFormat, ReportArgs, ReportCommand, ReportFormat};
use crate::report::{self, Period, Section};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

pub fn run(start: &Path, cmd: ReportCommand, globals: Globals) -> Result<u8, Error> {
    let kinds = match &cmd {
        ReportCommand::Requests(_) => report::requests::KINDS,
        ReportCommand::Missions(_) => report::missions::KINDS,
        ReportCommand::Payouts { .. } => report::payouts::KINDS,
        ReportCommand::Activity(_) => report::activity::KINDS,
        ReportCommand::Quality(_) => report::quality::KINDS,
        ReportCommand::Bpf { .. } => report::bpf::KINDS,
        ReportCommand::Shares { .. } => report::shares::KINDS,
        ReportCommand::Clients(_) => report::clients::KINDS,
    };
    // The workspace lives until the process exits: freeing its records one by one (~0.1 s on
    // a large workspace) would only delay the exit.
    let cx = std::mem::ManuallyDrop::new(Cx::open_kinds(start, globals, kinds)?);
    let config = cx.config()?;
    match cmd {
        ReportCommand::Requests(args) => {
            let period = period(&args)?;
            let r = report::requests::compute(&cx.ws, config, period, cx.clock.now, cx.tz);
            print(&r, &r.sections(), "Requests", period, args.format)
        }
        ReportCommand::Missions(args) => {
            let period = period(&args)?;
            let r = report::missions::compute(&cx.ws, config, period);
            print(&r, &r.sections(), "Missions", period, args.format)
        }
        ReportCommand::Payouts { person, args } => {
            let period = period(&args)?;
            if let Some(p) = &person {
                super::common::find_person(&cx, p)?;
            }
            let r = report::payouts::compute(&cx.ws, config, period, person.as_deref());
            let title = match &person {
                Some(p) => format!("Payouts of {p}"),
                None => "Payouts".to_string(),
            };
            print(&r, &r.sections(), &title, period, args.format)
        }
        ReportCommand::Activity(args) => {
            let period = period(&args)?;
            let r = report::activity::compute(&cx.ws, config, period);
            print(&r, &r.sections(), "Activity", period, args.format)
        }
        ReportCommand::Quality(args) => {
            let period = period(&args)?;
            let r = report::quality::compute(&cx.ws, config, period, cx.today(), Some(&cx.root));
            print(&r, &r.sections(), "Quality", period, args.format)
        }
        ReportCommand::Bpf { year, format } => {
            if !(1900..=9999).contains(&year) {
                return Err(Error(format!(
                    "--year {year}: write a calendar year such as 2026"
                )));
            }
            let r = report::bpf::compute(&cx.ws, config, year);
            let title = format!("BPF {year}");
            print(&r, &r.sections(), &title, r.period, format)
        }
        ReportCommand::Shares { year, format } => {
            let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1);
            let last = chrono::NaiveDate::from_ymd_opt(year, 12, 31);
            let (Some(first), Some(last)) = (first, last) else {
                return Err(Error(format!("--year {year} is not a year")));
            };
            let period = Period {
                from: Some(crate::model::Date(first)),
                to: Some(crate::model::Date(last)),
            };
            let r = report::shares::compute(&cx.ws, config, period);
            print(&r, &r.sections(), "Shares", period, format)
        }
        ReportCommand::Clients(args) => {
            let period = period(&args)?;
            let r =
                report::clients::compute(&cx.ws, config, period, cx.today(), cx.clock.now, cx.tz);
            print(&r, &r.sections(), "Clients", period, args.format)
        }
    }
}

fn period(args: &ReportArgs) -> Result<Period, Error> {
    let (from, to) = super::common::date_range(args.from.as_deref(), args.to.as_deref())?;
    Ok(Period { from, to })
}

fn print<T: Serialize>(
    value: &T,
    sections: &[Section],
    title: &str,
    period: Period,
    format: ReportFormat,
) -> Result<u8, Error> {
    let json = || {
        serde_json::to_value(value)
            .map_err(|e| Error(format!("cannot print the report as JSON: {e}")))
    };
    let text = match format {
        ReportFormat::Json => crate::report::table::versioned(json()?),
        ReportFormat::Csv => render_csv(sections),
        ReportFormat::Table => {
            render_tables(title, period, sections, std::io::stdout().is_terminal())
        }
        ReportFormat::Html => {
            // The report's name: the title's first word (`Payouts of …`, `BPF 2026`).
            let report = title
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_lowercase();
            crate::report::html::page(&report, &heading(title, period), &json()?, sections)
        }
    };
    print!("{text}");
    Ok(0)
}

/// `Requests — all dates` / `… — 2026-03-01 to 2026-03-31`.
fn heading(title: &str, period: Period) -> String {
    let when = match (period.from, period.to) {
        (None, None) => "all dates".to_string(),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (Some(f), Some(t)) => format!("{f} to {t}"),
    };
    format!("{title} — {when}")
}

/// Every section as a titled table; amounts and counts right-aligned.
pub fn render_tables(title: &str, period: Period, sections: &[Section], terminal: bool) -> String {
    let mut out = heading(title, period);
    out.push('\n');
    for s in sections {
        let _ = write!(out, "\n{}\n", s.title);
        if s.rows.is_empty() {
            out.push_str("  none\n");
            continue;
        }
        let mut table = comfy_table::Table::new();
        if terminal {
            table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        } else {
            table.load_preset(comfy_table::presets::NOTHING);
        }
        table.set_header(s.headers.iter().copied());
        for row in &s.rows {
            table.add_row(row.iter().map(String::as_str));
        }
        for i in &s.numeric {
            if let Some(col) = table.column_mut(*i) {
                col.set_cell_alignment(comfy_table::CellAlignment::Right);
            }
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out
}

/// Every section as a CSV block: a `# title` line, the header, the rows, a blank line.
pub fn render_csv(sections: &[Section]) -> String {
    let mut out = String::new();
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "# {}", s.title);
        out.push_str(&crate::report::table::format_rows(
            &s.headers,
            &s.rows,
            ListFormat::Csv,
            false,
        ));
    }
    out
}
