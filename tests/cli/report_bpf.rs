//! `fresk report bpf`: the BPF's figures for a year, against hand computations on the example.

use crate::support::Ws;
use serde_json::{Value, json};

fn bpf(ws: &Ws, year: &str) -> Value {
    serde_json::from_str(&ws.run_ok(&["report", "bpf", "--year", year, "--format", "json"]))
        .unwrap()
}

#[test]
fn bpf_counts_training_actions_only() {
    let ws = Ws::example();
    // The example's training actions in 2026: M2026-0006-S01 (15 trainees, 09:00–16:00) and
    // -S04 (14 trainees, 7 hours), both of training-day at 2400, for a public client; the ten
    // held workshops do not count. Trainee-hours: 15 × 7 + 14 × 7 = 203.
    let r = bpf(&ws, "2026");
    assert_eq!(r["version"], 1);
    let line =
        json!({ "sessions": 2, "trainees": 29, "trainee_hours": "203", "revenue": "4800.00" });
    for (k, v) in line.as_object().unwrap() {
        assert_eq!(r["total"][k], *v, "{k}: {r:#}");
        assert_eq!(r["by_funder"][0][k], *v, "{k}: {r:#}");
        assert_eq!(r["by_objective"][0][k], *v, "{k}: {r:#}");
    }
    assert_eq!(r["by_funder"][0]["key"], "public");
    assert_eq!(r["by_funder"].as_array().unwrap().len(), 1);
    assert_eq!(r["by_objective"][0]["key"], "other");
    // Nothing in another year.
    let empty = bpf(&ws, "2025");
    assert_eq!(empty["total"]["sessions"], 0);
    assert_eq!(empty["by_funder"], json!([]));
}

#[test]
fn bpf_uses_the_missions_funder_the_offers_objective_and_real_hours() {
    let ws = Ws::example();
    let mission = ws.read("missions/M2026-0006/mission.yaml");
    ws.write(
        "missions/M2026-0006/mission.yaml",
        &format!("{mission}funder: opco\n"),
    );
    ws.edit(
        "fresk.yaml",
        "    hours: 7\n    label: { fr: \"Formation animateur·ice (1 jour)\"",
        "    hours: 7\n    bpf_objective: rs\n    label: { fr: \"Formation animateur·ice (1 jour)\"",
    );
    // S04 lasted 3 h 30: 14 × 3.5 = 49, plus S01's 105.
    ws.edit(
        "missions/M2026-0006/sessions/M2026-0006-S04.yaml",
        "end: 2026-05-21 16:00",
        "end: 2026-05-21 12:30",
    );
    let r = bpf(&ws, "2026");
    assert_eq!(r["by_funder"][0]["key"], "opco");
    assert_eq!(r["by_objective"][0]["key"], "rs");
    assert_eq!(r["total"]["trainee_hours"], "154");
    let table = ws.run_ok(&["report", "bpf", "--year", "2026"]);
    assert!(
        table.starts_with("BPF 2026 — 2026-01-01 to 2026-12-31\n"),
        "{table}"
    );
    assert!(table.contains(" opco "), "{table}");
    let csv = ws.run_ok(&[
        "report",
        "bpf",
        "--year",
        "2026",
        "--format",
        "csv",
        "--table",
        "trainees-by-training-objective-part-f-3",
    ]);
    assert_eq!(
        csv,
        "objective,sessions,trainees,trainee-hours,revenue\nrs,2,29,154,4800.00\n",
    );
    let out = ws.run(&["report", "bpf", "--year", "26"]);
    assert_eq!(out.status.code(), Some(2));
}
