//! A reader that goes away early (`fresk schema | head -1`) is not an error: every command ends
//! quietly with exit code 0, having done what it had to do — never a panic (exit code 101).
//!
//! Each run writes its standard output into a real pipe whose reading end is closed before the
//! command starts, so that its first write fails with EPIPE whatever the size of the output (a
//! `head -c1` may or may not close its end before a small output is written).

use crate::support::{TODAY, Ws, tree};
use std::process::{Output, Stdio};

/// `fresk ARGS…` in `ws` with standard output a pipe nobody reads.
fn into_a_closed_pipe(ws: &Ws, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    ws.command()
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("fresk runs")
}

#[track_caller]
fn quiet_success(ws: &Ws, args: &[&str]) {
    let out = into_a_closed_pipe(ws, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "`fresk {}` into a closed pipe: {err}",
        args.join(" ")
    );
    assert!(err.is_empty(), "`fresk {}` said: {err}", args.join(" "));
}

#[test]
fn schema_into_a_closed_pipe() {
    quiet_success(&Ws::base(), &["schema"]);
}

#[test]
fn lint_json_into_a_closed_pipe() {
    let ws = Ws::example();
    quiet_success(&ws, &["lint", "--format", "json"]);
    quiet_success(&ws, &["lint"]);
    quiet_success(&ws, &["lint", "--rules"]);
    // With findings too: the reader left, nobody is told.
    ws.edit("fresk.yaml", "staff:", "staf:");
    quiet_success(&ws, &["lint", "--format", "sarif"]);
}

#[test]
fn completions_into_a_closed_pipe() {
    quiet_success(&Ws::base(), &["completions", "bash"]);
}

#[test]
fn lists_and_reports_into_a_closed_pipe() {
    let ws = Ws::example();
    quiet_success(&ws, &["request", "list"]);
    quiet_success(&ws, &["report", "missions"]);
}

#[test]
fn a_rendered_document_into_a_closed_pipe() {
    let ws = Ws::example();
    quiet_success(
        &ws,
        &[
            "render",
            "invoice",
            "F2026-0001",
            "--format",
            "html",
            "-o",
            "-",
        ],
    );
}

#[test]
fn payout_invoice_writes_its_files_then_ends_quietly_into_a_closed_pipe() {
    let ws = Ws::example();
    let before = tree(&ws);
    quiet_success(&ws, &["payout", "invoice", "--date", TODAY]);
    // The numbers were assigned and written before anything was printed.
    assert_ne!(before, tree(&ws), "payout invoice wrote nothing");
    let out = ws.run_ok(&["payout", "invoice"]);
    assert!(out.contains("nothing to number"), "{out}");
    ws.lint().expect_clean();
}
