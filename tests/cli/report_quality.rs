//! `fresk report quality`: figures checked against hand computations on the example.

use crate::support::Ws;
use serde_json::{Value, json};

const S01: &str = "missions/M2026-0006/sessions/M2026-0006-S01.yaml";
const S04: &str = "missions/M2026-0006/sessions/M2026-0006-S04.yaml";

/// Two training days with survey summaries: S01 (15 attended, antoine-roux and
/// claire-fontaine) and S04 (14 attended, antoine-roux and camille-dupont), and S01's comments.
fn workspace() -> Ws {
    let ws = Ws::example();
    let config = ws.read("fresk.yaml");
    ws.write(
        "fresk.yaml",
        &format!("{config}survey:\n  link: \"https://forms.example.org/?s={{session}}\"\n  questions:\n    - {{ id: content, column: Contenu }}\n    - {{ id: facilitation, column: Animation }}\nevidence: {{ since: 2026-05-20 }}\n"),
    );
    let s01 = ws.read(S01);
    ws.write(
        S01,
        &format!("{s01}survey: {{ responses: 3, averages: {{ content: 4, facilitation: 4.67 }}, scale: 5 }}\nsent: {{ certificates: {{ date: 2026-04-15, count: 15 }}, survey: {{ date: 2026-04-15, count: 15 }} }}\n"),
    );
    let s04 = ws.read(S04);
    ws.write(
        S04,
        &format!("{s04}survey: {{ responses: 5, averages: {{ content: 5, facilitation: 4 }}, scale: 5 }}\nsent: {{ certificates: {{ date: 2026-05-22, count: 14 }} }}\nevaluation: {{ acquired: 11, partially: 2, not_acquired: 1 }}\n"),
    );
    ws.write(
        "private/surveys/M2026-0006-S01.yaml",
        "session: M2026-0006-S01\nresponses:\n  - { line: 2, answers: { content: 4 }, comment: \"Très concret\" }\n  - { line: 3, answers: { content: 4 } }\n",
    );
    ws
}

fn group<'a>(r: &'a Value, by: &str, key: &str) -> &'a Value {
    r[by]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {by}: {r:#}"))
}

#[test]
fn quality_figures_by_hand() {
    let ws = workspace();
    ws.lint().expect_none("yaml-shape");
    let out = ws.run_ok(&["report", "quality", "--format", "json"]);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["version"], 1);
    assert_eq!(r["questions"], json!(["content", "facilitation"]));
    // training-day: S01 and S04. Responses 3 + 5 = 8 of 15 + 14 = 29 attendees: 27.59 %.
    // content (4 × 3 + 5 × 5) / 8 = 4.625 → 4.63; facilitation (4.67 × 3 + 4 × 5) / 8 =
    // 4.25125 → 4.25; satisfaction (4.6 + 4.5) / 2 = 4.55.
    let t = group(&r, "by_offer", "training-day");
    assert_eq!(t["sessions"], 2);
    assert_eq!(t["attended"], 29);
    assert_eq!(t["surveyed"], 2);
    assert_eq!(t["responses"], 8);
    assert_eq!(t["response_rate"], "27.59");
    assert_eq!(
        t["averages"],
        json!({ "content": "4.63", "facilitation": "4.25" })
    );
    assert_eq!(t["satisfaction"], "4.55");
    // S04's evaluation: 11 acquired, 2 partially, 1 not.
    assert_eq!(t["evaluated"], 1);
    assert_eq!(t["acquired"], 11);
    assert_eq!(t["partially"], 2);
    assert_eq!(t["not_acquired"], 1);
    // claire-fontaine facilitated S01 only: 3 of 15 = 20 %.
    let c = group(&r, "by_facilitator", "claire-fontaine");
    assert_eq!(c["responses"], 3);
    assert_eq!(c["response_rate"], "20");
    assert_eq!(
        c["averages"],
        json!({ "content": "4", "facilitation": "4.67" })
    );
    let a = group(&r, "by_coordinator", "antoine-roux");
    assert_eq!(a["surveyed"], 2);
    assert_eq!(a["averages"]["content"], "4.63");
    // May: only S04 was surveyed.
    let may = group(&r, "by_month", "2026-05");
    assert_eq!(may["surveyed"], 1);
    assert_eq!(
        may["averages"],
        json!({ "content": "5", "facilitation": "4" })
    );
    // Workshops without a survey: no rate, no averages, the old satisfaction still read.
    let w = group(&r, "by_offer", "workshop-onsite");
    assert_eq!(w["response_rate"], Value::Null);
    assert_eq!(w["averages"], json!({}));
    assert_eq!(w["satisfaction"], "4.51");
    // Since 2026-05-20, with 7 days: S04 (ended 05-21) lacks its survey only; M2026-0006-S05
    // (05-26) and M2026-0005-S06 (06-02) lack both.
    let missing: Vec<(String, String)> = r["missing_evidence"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            m["missing"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| {
                    (
                        m["session"].as_str().unwrap().to_string(),
                        w[0].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let pairs: Vec<(&str, &str)> = missing
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("M2026-0006-S04", "survey"),
            ("M2026-0006-S05", "certificates"),
            ("M2026-0006-S05", "survey"),
            ("M2026-0005-S06", "certificates"),
            ("M2026-0005-S06", "survey"),
        ]
    );
    assert_eq!(
        r["comments"],
        json!([{ "session": "M2026-0006-S01", "offer": "training-day", "text": "Très concret" }])
    );
    // The period: April only.
    let april: Value = serde_json::from_str(&ws.run_ok(&[
        "report",
        "quality",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(april["total"]["sessions"], 3);
    assert_eq!(april["total"]["responses"], 3);
}

#[test]
fn quality_as_tables_and_csv() {
    let ws = workspace();
    let table = ws.run_ok(&["report", "quality"]);
    assert!(table.starts_with("Quality — all dates\n"), "{table}");
    assert!(table.contains("content 4.63, facilitation 4.25"), "{table}");
    assert!(table.contains("Sessions missing evidence"), "{table}");
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    ws.run_ok(&["report", "quality", "--format", "csv", "--out-dir", dir_arg]);
    let table = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let csv = table("quality-per-offer.csv");
    assert!(
        csv.contains(
            "training-day,2,29,2,8,27.59,\"content 4.63, facilitation 4.25\",4.55,1,11,2,1,0"
        ),
        "{csv}"
    );
    let comments = table("comments.csv");
    assert!(
        comments.starts_with("session,offer,comment\nM2026-0006-S01,training-day,Très concret\n"),
        "{comments}"
    );
}

/// A held session with attendees whose file names no roster has no sign-in record: the report
/// lists it among the sessions missing evidence.
#[test]
fn a_held_session_without_a_roster_misses_its_sign_in_sheet() {
    let ws = workspace();
    let file = "missions/M2026-0006/sessions/M2026-0006-S04.yaml";
    let text = ws.read(file);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("roster:"))
        .expect("the demo's held sessions name their roster")
        .to_string();
    ws.write(file, &text.replace(&format!("{line}\n"), ""));
    let r: Value =
        serde_json::from_str(&ws.run_ok(&["report", "quality", "--format", "json"])).unwrap();
    let s04 = r["missing_evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["session"] == "M2026-0006-S04")
        .expect("S04 listed");
    assert_eq!(s04["missing"][0][0], "sign-in-sheet", "{s04}");
}
