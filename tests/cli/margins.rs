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
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
    }
    assert_eq!(before, tree(&ws));
}
