//! `fresk report`: the CLI glue around [`crate::report`] — open the workspace, read the period,
//! compute, print as titled tables, CSV blocks or one JSON document.

use super::Error;
use super::common::{Cx, Globals};
use crate::cli::{ListFormat, Report, ReportArgs, ReportCommand, ReportFormat};
use crate::report::{self, Period, Section};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn run(start: &Path, report: Report, globals: Globals) -> Result<u8, Error> {
    let Report {
        command: cmd,
        table,
        out_dir,
    } = report;
    let csv = CsvTarget { table, out_dir };
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
            print(&r, &r.sections(), "Requests", period, args.format, &csv)
        }
        ReportCommand::Missions(args) => {
            let period = period(&args)?;
            let r = report::missions::compute(&cx.ws, config, period);
            print(&r, &r.sections(), "Missions", period, args.format, &csv)
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
            print(&r, &r.sections(), &title, period, args.format, &csv)
        }
        ReportCommand::Activity(args) => {
            let period = period(&args)?;
            let r = report::activity::compute(&cx.ws, config, period);
            print(&r, &r.sections(), "Activity", period, args.format, &csv)
        }
        ReportCommand::Quality(args) => {
            let period = period(&args)?;
            let r = report::quality::compute(&cx.ws, config, period, cx.today(), Some(&cx.root));
            print(&r, &r.sections(), "Quality", period, args.format, &csv)
        }
        ReportCommand::Bpf { year, format } => {
            if !(1900..=9999).contains(&year) {
                return Err(Error::usage(format!(
                    "--year {year}: write a calendar year such as 2026"
                )));
            }
            let r = report::bpf::compute(&cx.ws, config, year);
            let title = format!("BPF {year}");
            print(&r, &r.sections(), &title, r.period, format, &csv)
        }
        ReportCommand::Shares { year, format } => {
            let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1);
            let last = chrono::NaiveDate::from_ymd_opt(year, 12, 31);
            let (Some(first), Some(last)) = (first, last) else {
                return Err(Error::usage(format!("--year {year} is not a year")));
            };
            let period = Period {
                from: Some(crate::model::Date(first)),
                to: Some(crate::model::Date(last)),
            };
            let r = report::shares::compute(&cx.ws, config, period);
            print(&r, &r.sections(), "Shares", period, format, &csv)
        }
        ReportCommand::Clients(args) => {
            let period = period(&args)?;
            let r =
                report::clients::compute(&cx.ws, config, period, cx.today(), cx.clock.now, cx.tz);
            print(&r, &r.sections(), "Clients", period, args.format, &csv)
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
    csv: &CsvTarget,
) -> Result<u8, Error> {
    if format != ReportFormat::Csv && (csv.table.is_some() || csv.out_dir.is_some()) {
        return Err(Error::usage(
            "--table and --out-dir choose where the CSV tables go: add --format csv".into(),
        ));
    }
    let json = || {
        serde_json::to_value(value)
            .map_err(|e| Error::io(format!("cannot print the report as JSON: {e}")))
    };
    let text = match format {
        ReportFormat::Json => crate::report::table::versioned(json()?),
        ReportFormat::Csv => return print_csv(sections, csv),
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

/// Where the CSV tables of a report go: one to standard output, or each to its file.
pub struct CsvTarget {
    pub table: Option<String>,
    pub out_dir: Option<PathBuf>,
}

/// The report's tables as CSV: one file holds one table, which a spreadsheet opens as it is.
/// A report of one table prints it; one of several prints the table `--table` names, or writes
/// every table to `--out-dir`, each under its name.
fn print_csv(sections: &[Section], target: &CsvTarget) -> Result<u8, Error> {
    let named = table_names(sections);
    let csv_of = |s: &Section| {
        crate::report::table::format_rows(&s.headers, &s.rows, ListFormat::Csv, false)
    };
    let list = || {
        named
            .iter()
            .map(|(name, s)| format!("  {name}  ({})", s.title))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if let Some(dir) = &target.out_dir {
        if target.table.is_some() {
            return Err(Error::usage(
                "--table prints one table and --out-dir writes them all: give one of them".into(),
            ));
        }
        if !dir.is_dir() {
            return Err(Error::usage(format!(
                "--out-dir {}: the folder does not exist; create it first",
                dir.display()
            )));
        }
        for (name, s) in &named {
            let path = dir.join(format!("{name}.csv"));
            crate::store::write_atomic(&path, csv_of(s).as_bytes())
                .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {} ({} rows)", path.display(), s.rows.len());
        }
        return Ok(0);
    }
    let chosen = match (&target.table, named.as_slice()) {
        (None, [(_, only)]) => *only,
        (None, _) => {
            return Err(Error::usage(format!(
                "this report has {} tables and a CSV file holds one: give --table NAME, or \
                 --out-dir DIR to write each to DIR/NAME.csv; the tables are:\n{}",
                named.len(),
                list()
            )));
        }
        (Some(wanted), _) => match named.iter().find(|(name, _)| name == wanted) {
            Some((_, s)) => *s,
            None => {
                let hint =
                    crate::diagnostics::did_you_mean(wanted, named.iter().map(|(n, _)| n.as_str()))
                        .map(|m| format!("did you mean `{m}`? "))
                        .unwrap_or_default();
                return Err(Error::usage(format!(
                    "--table {wanted}: this report has no such table; {hint}the tables are:\n{}",
                    list()
                )));
            }
        },
    };
    print!("{}", csv_of(chosen));
    Ok(0)
}

/// Each table with its name: its title in lowercase words joined by `-` (`Lost reasons` →
/// `lost-reasons`), numbered when two titles give the same name.
pub fn table_names(sections: &[Section]) -> Vec<(String, &Section)> {
    let mut out: Vec<(String, &Section)> = Vec::new();
    for s in sections {
        let mut base = String::new();
        for c in s.title.to_lowercase().chars() {
            if c.is_alphanumeric() {
                base.push(c);
            } else if !base.is_empty() && !base.ends_with('-') {
                base.push('-');
            }
        }
        let base = base.trim_end_matches('-').to_string();
        let base = if base.is_empty() {
            "table".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while out.iter().any(|(taken, _)| *taken == name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.push((name, s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(title: &str) -> Section {
        Section::new(title, &["a"], 1)
    }

    #[test]
    fn table_names_are_the_titles_in_lowercase_words_and_unique() {
        let sections = [
            section("Lost reasons"),
            section("Requests past the SLA (48 h)"),
            section("Lost reasons"),
            section("Clients — 2026"),
            section("  "),
        ];
        let names: Vec<String> = table_names(&sections).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "lost-reasons",
                "requests-past-the-sla-48-h",
                "lost-reasons-2",
                "clients-2026",
                "table"
            ]
        );
    }
}
