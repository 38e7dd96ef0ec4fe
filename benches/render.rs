//! `cargo bench --bench render`: how long the PDF writer takes on hostile HTML (the cases of
//! `hostile_html.rs`, which the unit tests also render), in the library, release profile.
//!
//! Target: every case within [`BUDGET`]; a case over it makes the bench exit 1. Each case runs
//! `FRESK_BENCH_RUNS` times (default 3) and the best wall time is kept. Run by
//! `cargo test --benches` (no `--bench` argument), it renders each case once and times nothing.

mod hostile_html;

use fresk::pdf::{PdfOptions, html_to_pdf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What one hostile input may take: a template's mistake must not hold a command for long.
const BUDGET: Duration = Duration::from_secs(2);

fn main() -> ExitCode {
    let timed = std::env::args().any(|a| a == "--bench");
    let runs: usize = std::env::var("FRESK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(3);
    let options = PdfOptions {
        author: "Association Fresque Exemple".into(),
        lang: "fr".into(),
        page_label: "Page {page} / {pages}".into(),
        ..PdfOptions::default()
    };
    let mut over = Vec::new();
    println!("| case | input | PDF | best of {runs} |");
    println!("|---|---:|---:|---:|");
    for (name, html) in hostile_html::cases() {
        let mut best = Duration::MAX;
        let mut size = 0;
        for _ in 0..if timed { runs } else { 1 } {
            let started = Instant::now();
            match html_to_pdf(&html, &options) {
                Ok(pdf) => size = pdf.len(),
                Err(e) => {
                    eprintln!("bench render: {name}: {e}");
                    return ExitCode::from(2);
                }
            }
            best = best.min(started.elapsed());
        }
        println!(
            "| {name} | {} KB | {} KB | {} ms |",
            html.len() / 1024,
            size / 1024,
            best.as_millis()
        );
        if timed && best > BUDGET {
            over.push(name);
        }
    }
    if over.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("bench render: over the {BUDGET:?} budget: {over:?}");
        ExitCode::from(1)
    }
}
