//! Costs on missions (`fresk mission cost`) and the margins of `report missions` / `report
//! activity`: revenue − payouts − costs, per mission, offer, sector, group and month.

use crate::support::{Ws, tree};
use serde_json::Value;

fn json(ws: &Ws, args: &[&str]) -> Value {
    serde_json::from_str(&ws.run_ok(args)).unwrap()
}

fn money(v: &Value) -> rust_decimal::Decimal {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn a_cost_is_recorded_and_lowers_the_margin() {
    let ws = Ws::example();
    let before = json(&ws, &["report", "missions", "--format", "json"]);
    let out = ws.run_ok(&[
        "mission",
        "cost",
        "M2026-0006",
        "--label",
        "Salle des fêtes, 2 jours",
        "--amount",
        "300",
        "--category",
        "room",
        "--vat",
        "60",
        "--date",
        "2026-05-20",
    ]);
    assert!(
        out.contains(
            "cost of 300.00 (room: Salle des fêtes, 2 jours) recorded on mission M2026-0006"
        ),
        "{out}"
    );
    let text = ws.read("missions/M2026-0006/mission.yaml");
    assert!(
        text.contains("{ label: \"Salle des fêtes, 2 jours\", amount: 300, category: room, vat: 60, date: 2026-05-20 }"),
        "{text}"
    );
    ws.lint().expect_clean();
    let after = json(&ws, &["report", "missions", "--format", "json"]);
    let row = |r: &Value| {
        r["margins"]["by_mission"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == "M2026-0006")
            .cloned()
            .unwrap()
    };
    let (b, a) = (row(&before), row(&after));
    assert_eq!(
        money(&a["costs"]) - money(&b["costs"]),
        "300".parse().unwrap()
    );
    assert_eq!(
        money(&b["margin"]) - money(&a["margin"]),
        "300".parse().unwrap()
    );
    assert_eq!(
        money(&a["margin"]),
        money(&a["revenue"]) - money(&a["payouts"]) - money(&a["costs"])
    );
    // The activity report's months carry it in May.
    let activity = json(&ws, &["report", "activity", "--format", "json"]);
    let may = activity["margins"]["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "2026-05")
        .cloned()
        .unwrap();
    assert_eq!(money(&may["costs"]), "384.50".parse().unwrap());
}

#[test]
fn margins_add_up_in_every_dimension() {
    let ws = Ws::example();
    let r = json(&ws, &["report", "activity", "--format", "json"]);
    let m = &r["margins"];
    let totals = &m["totals"];
    assert_eq!(money(&totals["costs"]), "84.50".parse().unwrap());
    for dim in [
        "by_mission",
        "by_offer",
        "by_sector",
        "by_group",
        "by_month",
    ] {
        for field in ["revenue", "payouts", "costs", "margin"] {
            let sum: rust_decimal::Decimal = m[dim]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| money(&r[field]))
                .sum();
            assert_eq!(sum, money(&totals[field]), "{dim} {field}");
        }
    }
    // Payouts: what `report payouts` counts as requested, invoiced and paid.
    let p = json(&ws, &["report", "payouts", "--format", "json"]);
    let t = &p["totals"];
    assert_eq!(
        money(&totals["payouts"]),
        money(&t["requested"]) + money(&t["invoiced"]) + money(&t["paid"])
    );
}

#[test]
fn a_wrong_cost_is_refused_and_changes_nothing() {
    let ws = Ws::example();
    let before = tree(&ws);
    for (args, want) in [
        (vec!["--amount=-5"], "a cost is a positive amount"),
        (vec!["--amount", "0"], "a cost is a positive amount"),
        (vec!["--amount", "5.001"], "--amount"),
        (
            vec!["--amount", "5", "--category", "food"],
            "use one of: travel, room, materials, catering, other",
        ),
    ] {
        let mut all = vec!["mission", "cost", "M2026-0006", "--label", "x"];
        all.extend(args);
        let out = ws.run(&all);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
    }
    assert_eq!(before, tree(&ws));
}

#[test]
fn shares_of_the_margin_are_computed_and_shown() {
    let ws = Ws::example();
    let table = ws.run_ok(&["report", "shares", "--year", "2026"]);
    assert!(
        table.contains("groupe-lyon-7 1666.20, fonds-commun 2499.30"),
        "{table}"
    );
    let r = json(
        &ws,
        &["report", "shares", "--year", "2026", "--format", "json"],
    );
    let row = &r["rows"][0];
    assert_eq!(row["mission"], "M2026-0005");
    assert_eq!(row["basis"], "margin");
    assert_eq!(
        money(&row["amount"]),
        money(&row["revenue"]) - money(&row["payouts"]) - money(&row["costs"])
    );
    let parts: rust_decimal::Decimal = row["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| money(&p["amount"]))
        .sum();
    assert_eq!(parts, money(&row["amount"]));
    // A cost of the mission lowers what the groups share.
    ws.run_ok(&[
        "mission",
        "cost",
        "M2026-0005",
        "--label",
        "Salle",
        "--amount",
        "450",
        "--category",
        "room",
        "--date",
        "2026-05-21",
    ]);
    let r = json(
        &ws,
        &["report", "shares", "--year", "2026", "--format", "json"],
    );
    assert_eq!(money(&r["rows"][0]["amount"]), "3715.50".parse().unwrap());
    let groups = &r["groups"];
    assert_eq!(groups[0]["group"], "fonds-commun");
    assert_eq!(money(&groups[0]["amount"]), "2229.30".parse().unwrap());
    assert_eq!(money(&groups[1]["amount"]), "1486.20".parse().unwrap());
    // Another year: nothing.
    let r = json(
        &ws,
        &["report", "shares", "--year", "2025", "--format", "json"],
    );
    assert!(r["rows"].as_array().unwrap().is_empty());
}

#[test]
fn shares_of_the_revenue_and_of_an_offer() {
    let ws = Ws::example();
    ws.edit(
        "missions/M2026-0005/mission.yaml",
        "shares_of: margin",
        "shares_of: revenue",
    );
    let r = json(
        &ws,
        &["report", "shares", "--year", "2026", "--format", "json"],
    );
    assert_eq!(r["rows"][0]["basis"], "revenue");
    assert_eq!(money(&r["rows"][0]["amount"]), "6000.00".parse().unwrap());
    // An offer's shares of the margin: its sessions' revenue less their payouts, per mission.
    ws.edit(
        "fresk.yaml",
        "    unit_price: 1200\n",
        "    unit_price: 1200\n    shares: { atelier: 50, fonds-commun: rest }\n    shares_of: margin\n",
    );
    ws.lint().expect_clean();
    let r = json(
        &ws,
        &["report", "shares", "--year", "2026", "--format", "json"],
    );
    let rows = r["rows"].as_array().unwrap();
    let onsite: Vec<&Value> = rows
        .iter()
        .filter(|r| r["offer"] == "workshop-onsite")
        .collect();
    // M2026-0005 has its own shares: only M2026-0003 is shared by the offer's.
    assert_eq!(onsite.len(), 1, "{rows:?}");
    assert_eq!(onsite[0]["mission"], "M2026-0003");
    for row in &onsite {
        assert_eq!(row["basis"], "margin");
        assert_eq!(money(&row["costs"]), "0".parse().unwrap());
        assert_eq!(
            money(&row["amount"]),
            money(&row["revenue"]) - money(&row["payouts"])
        );
    }
}
