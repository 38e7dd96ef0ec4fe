//! A whole mission run with commands only, from a received request to a paid payout and a paid
//! invoice, linting clean after every step — as a new user would do it from the README.

use crate::support::*;

/// Run `fresk` at a pinned moment; panic with its output when it fails.
fn run_at(ws: &Ws, now: &str, args: &[&str]) -> String {
    let out = ws
        .command()
        .env("FRESK_NOW", now)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "`fresk {}` at {now} failed:\n{stdout}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `fresk lint` at that moment must pass (as CI runs it: errors fail, warnings are shown).
#[track_caller]
fn lint_clean_at(ws: &Ws, now: &str, step: &str) {
    let out = ws
        .command()
        .env("FRESK_NOW", now)
        .args(["lint"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "workspace does not lint after {step}:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn step(ws: &Ws, now: &str, args: &[&str]) -> String {
    let out = run_at(ws, now, args);
    lint_clean_at(ws, now, &args.join(" "));
    out
}

#[test]
fn a_request_goes_from_received_to_paid_with_commands_only() {
    let ws = Ws::example();
    let t0 = "2026-06-15 10:00";
    let out = step(
        &ws,
        t0,
        &[
            "request",
            "new",
            "--organisation",
            "biscuiterie-lafont",
            "--track",
            "subcontracting",
            "--channel",
            "email",
            "--origin",
            "returning",
            "--summary",
            "Two workshops for the plant",
            "--participants",
            "30",
            "--owner",
            "claire-fontaine",
        ],
    );
    let request = out
        .split_whitespace()
        .find(|w| w.starts_with("R2026-"))
        .unwrap_or_else(|| panic!("no request id in {out}"))
        .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .to_string();
    let seq = &request["R2026-".len()..];
    // Meanwhile staff answer the demo's pending request, before its response time runs out.
    step(&ws, t0, &["request", "qualify", "R2026-0014"]);
    let mission = format!("M2026-{seq}");
    step(&ws, "2026-06-15 11:00", &["request", "qualify", &request]);
    step(
        &ws,
        "2026-06-15 11:30",
        &["request", "quote", &request, "--line", "workshop-onsite:2"],
    );
    // The quote as sent to the client: a PDF named after its number.
    let docs = tempfile::tempdir().unwrap();
    let out_dir = docs.path().to_str().unwrap();
    run_at(
        &ws,
        "2026-06-15 11:35",
        &["render", "quote", &request, "--out-dir", out_dir],
    );
    let request_file = ws.read(&format!("requests/2026/{request}.yaml"));
    let quote_number = request_file
        .split_whitespace()
        .find(|w| w.starts_with("D2026-"))
        .expect("a quote number");
    assert!(docs.path().join(format!("{quote_number}.pdf")).is_file());
    step(
        &ws,
        "2026-06-16 09:00",
        &["request", "win", &request, "--reason", "budget approved"],
    );
    step(&ws, "2026-06-16 09:05", &["request", "publish", &request]);
    step(
        &ws,
        "2026-06-16 09:10",
        &[
            "mission",
            "new",
            "--request",
            &request,
            "--coordinator",
            "camille-dupont",
        ],
    );
    for day in ["2026-06-22", "2026-06-23"] {
        step(
            &ws,
            "2026-06-16 10:00",
            &[
                "session",
                "new",
                "--mission",
                &mission,
                "--offer",
                "workshop-onsite",
                "--start",
                &format!("{day} 09:00"),
                "--facilitator",
                "camille-dupont",
                "--facilitator",
                "thomas-girard:co",
                "--location",
                "Biscuiterie Lafont, Villeurbanne",
                "--expected",
                "15",
            ],
        );
    }
    let s01 = format!("{mission}-S01");
    let s02 = format!("{mission}-S02");
    step(
        &ws,
        "2026-06-22 14:00",
        &[
            "session",
            "hold",
            &s01,
            "--attended",
            "14",
            "--satisfaction",
            "4.7",
        ],
    );
    step(
        &ws,
        "2026-06-23 14:00",
        &["session", "hold", &s02, "--attended", "15"],
    );
    // The coordinator asks for the facilitators' pay, then closes the mission.
    let june = format!("P2026-06-{mission}");
    let out = step(
        &ws,
        "2026-06-24 09:00",
        &["payout", "request", "--mission", &mission],
    );
    assert!(out.contains(&june), "{out}");
    step(&ws, "2026-06-24 10:00", &["mission", "close", &mission]);
    // The coordination line can only be asked for once closed, and not twice in June.
    let refused = ws
        .command()
        .env("FRESK_NOW", "2026-06-25 09:00")
        .args(["payout", "request", "--mission", &mission])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let july = format!("P2026-07-{mission}");
    let out = step(
        &ws,
        "2026-07-01 09:00",
        &["payout", "request", "--mission", &mission],
    );
    assert!(out.contains(&july), "{out}");
    let payout = ws.read(&format!("payouts/2026/{july}.yaml"));
    assert!(
        payout.contains("coordination: true") && payout.contains("sessions: 2"),
        "{payout}"
    );
    // Accounting, on main: self-invoices, payment.
    step(
        &ws,
        "2026-07-02 09:00",
        &["payout", "invoice", "--payout", &june, "--payout", &july],
    );
    // One self-invoice per facilitator, rendered from the numbered payout.
    run_at(
        &ws,
        "2026-07-02 09:05",
        &["render", "self-invoice", &june, "--out-dir", out_dir],
    );
    for person in ["camille-dupont", "thomas-girard"] {
        let found = std::fs::read_dir(docs.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("AF-{person}-"))
            });
        assert!(found, "no self-invoice PDF for {person}");
    }
    for p in [&june, &july] {
        step(
            &ws,
            "2026-07-10 09:00",
            &[
                "payout",
                "pay",
                p,
                "--date",
                "2026-07-10",
                "--reference",
                "VIR-2026-07-10",
            ],
        );
        assert!(
            ws.read(&format!("payouts/2026/{p}.yaml"))
                .contains("state: paid")
        );
    }
    // The client invoice: drafted from the held sessions, issued, sent and paid.
    step(
        &ws,
        "2026-07-03 09:00",
        &["invoice", "draft", "--mission", &mission],
    );
    let out = step(
        &ws,
        "2026-07-03 10:00",
        &["invoice", "issue", &format!("I-{mission}")],
    );
    let number = out
        .split_whitespace()
        .find(|w| w.starts_with("F2026-"))
        .unwrap_or_else(|| panic!("no invoice number in {out}"))
        .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .to_string();
    assert!(
        ws.read(&format!("missions/{mission}/mission.yaml"))
            .contains("state: invoiced")
    );
    run_at(
        &ws,
        "2026-07-03 10:05",
        &["render", "invoice", &number, "--out-dir", out_dir],
    );
    assert!(docs.path().join(format!("{number}.pdf")).is_file());
    step(&ws, "2026-07-03 11:00", &["invoice", "send", &number]);
    step(
        &ws,
        "2026-07-20 09:00",
        &[
            "invoice",
            "pay",
            &number,
            "--date",
            "2026-07-20",
            "--reference",
            "VIR-CLIENT",
        ],
    );
    let invoice = ws.read(&format!("invoices/2026/{number}.yaml"));
    assert!(
        invoice.contains("state: paid") && invoice.contains("quantity: 2"),
        "{invoice}"
    );
}
