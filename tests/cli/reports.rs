//! `fresk report …` and `fresk session list --format ics` on the example workspace (today
//! 2026-06-15), with figures computed by hand from examples/demo.

use crate::support::Ws;
use serde_json::Value;

fn run(ws: &Ws, args: &[&str]) -> String {
    let out = ws.command().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "fresk {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(ws: &Ws, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&run(ws, &all)).unwrap()
}

/// The CSV block titled `# title`, as rows of cells (no quoted commas in the demo's figures).
/// One table of a report as CSV (`--format csv --table NAME`), split into cells.
fn csv_table(ws: &Ws, report: &[&str], table: &str) -> Vec<Vec<String>> {
    let mut args = vec!["report"];
    args.extend(report);
    args.extend(["--format", "csv", "--table", table]);
    run(ws, &args)
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn requests_report_figures() {
    let ws = Ws::example();
    // 2026 (the demo's 2024 requests are history for `report clients`).
    let r = json(&ws, &["report", "requests", "--from", "2026-01-01"]);
    // 14 requests; quotes sent: R1 R2 R3 R5 R6 R9 R10 R12 = 8; won/published/assigned:
    // R3 R4 R5 R6 R7 R9 R10 R11 = 8; lost R2 R8; expired R1.
    assert_eq!(r["totals"]["received"], 14);
    assert_eq!(r["totals"]["quoted"], 8);
    assert_eq!(r["totals"]["won"], 8);
    assert_eq!(r["totals"]["lost"], 2);
    assert_eq!(r["totals"]["expired"], 1);
    // First responses in minutes: 388 163 1150 210 940 1300 1105 100 325 1180 185 1365 95;
    // sorted, the 7th of 13 is 388 (R1: 10:12 → 16:40).
    assert_eq!(r["median_first_response_minutes"], 388);
    // Days to quote × 24: 72 120 72 168 144 168 192 72 → (120 + 144) / 2 = 132 h.
    assert_eq!(r["median_time_to_quote_hours"], 132);
    let keyed = |section: &str, key: &str| -> Value {
        r[section]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key} in {section}"))
    };
    // Channels: email R1 R4 R6 R7 R9; form R3 R5 R10 R14; phone R2 R8 R13.
    assert_eq!(keyed("by_channel", "email")["received"], 5);
    assert_eq!(keyed("by_channel", "form")["received"], 4);
    assert_eq!(keyed("by_channel", "phone")["received"], 3);
    // Origins: internet R1 R8 R11 (R10 names own-website and town-hall-website); partner R4 R5
    // R7 (all won), the word of mouth of a partner in the built-in list.
    assert_eq!(keyed("by_origin", "internet")["received"], 3);
    assert_eq!(keyed("by_origin", "own-website")["received"], 1);
    assert_eq!(keyed("by_origin", "word-of-mouth/partner")["won"], 3);
    // Sectors: business R1 R2 R3 R8 R9 R10 R13.
    assert_eq!(keyed("by_sector", "business")["received"], 7);
    assert_eq!(keyed("by_track", "subcontracting")["received"], 11);
    assert_eq!(keyed("by_month", "2026-01")["received"], 3);
    let lost: Vec<&str> = r["lost"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["request"].as_str().unwrap())
        .collect();
    assert_eq!(lost, ["R2026-0001", "R2026-0002", "R2026-0008"]);
    assert_eq!(r["lost"][1]["reason"], "Budget formation gelé pour 2026");
    // R2026-0014 arrived on 14 June 16:20: within the 48 h SLA at midnight on the 15th.
    assert_eq!(r["past_response_sla"].as_array().unwrap().len(), 0);
    assert_eq!(r["quotes_past_validity"].as_array().unwrap().len(), 0);
}

#[test]
fn requests_report_lists_overdue_answers_and_stale_quotes() {
    let ws = Ws::example();
    // On 17 June 10:00, R2026-0014 waits for 65 h; on 10 July, R2026-0012's quote (valid until
    // 5 July) is stale.
    let out = ws
        .command()
        .env("FRESK_NOW", "2026-06-17 10:00")
        .args(["report", "requests", "--format", "json"])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["past_response_sla"][0]["request"], "R2026-0014");
    assert_eq!(r["past_response_sla"][0]["hours"], 65);
    let out = ws
        .command()
        .env("FRESK_TODAY", "2026-07-10")
        .args(["report", "requests", "--format", "json"])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["quotes_past_validity"][0]["request"], "R2026-0012");
    assert_eq!(r["quotes_past_validity"][0]["valid_until"], "2026-07-05");
}

#[test]
fn missions_report_figures() {
    let ws = Ws::example();
    let r = json(&ws, &["report", "missions"]);
    // Ordered: M3 4×1200 + 3×150 = 5250; M5 6×1200 + 2400 = 9600; M6 2×2400 + 2×900 = 6600.
    // Delivered (held × order price): M3 3×1200 = 3600; M5 5×1200 = 6000; M6 2×2400 + 2×900.
    assert_eq!(r["totals"]["revenue_ordered"], "21450.00");
    assert_eq!(r["totals"]["revenue_delivered"], "16200.00");
    assert_eq!(r["totals"]["held"], 12);
    assert_eq!(r["totals"]["planned"], 2);
    assert_eq!(r["totals"]["cancelled"], 3);
    // Held sessions' expected/attended: M3 42/39, M5 162/151, M6 56/52.
    assert_eq!(r["totals"]["expected"], 260);
    assert_eq!(r["totals"]["attended"], 242);
    // Satisfaction: M3 13.7/3 = 4.57; M5 22.4/5 = 4.48; all 53.7/12 = 4.475 → 4.48.
    assert_eq!(r["missions"][0]["satisfaction"], "4.57");
    assert_eq!(r["missions"][1]["satisfaction"], "4.48");
    assert_eq!(r["totals"]["satisfaction"], "4.48");
    let m5 = &r["missions"][1];
    assert_eq!(m5["mission"], "M2026-0005");
    assert_eq!(m5["lines"][0]["offer"], "workshop-onsite");
    assert_eq!(m5["lines"][0]["held"], 5);
    assert_eq!(m5["lines"][0]["cancelled"], 1);
    assert_eq!(m5["lines"][0]["planned"], 1);
    assert_eq!(m5["lines"][1]["planned"], 1);
    let ines = r["coordinators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["coordinator"] == "ines-moreau")
        .unwrap();
    assert_eq!(ines["open_missions"], 1);
    assert_eq!(ines["held"], 5);
    assert_eq!(ines["planned"], 2);
    insta::assert_snapshot!("report_missions_table", run(&ws, &["report", "missions"]));
    let block = csv_table(&ws, &["missions"], "missions");
    assert_eq!(block[0][0], "mission");
    assert_eq!(block.last().unwrap()[5], "16200.00");
}

#[test]
fn payouts_report_figures() {
    let ws = Ws::example();
    let r = json(&ws, &["report", "payouts"]);
    // Paid: P03-M3 2250 + P04-M3 300 + P04-M6 1650 + P05-M5 1250 = 5450; invoiced: P05-M6 2100;
    // requested: P06-M5 500 + P06-M6 400 = 900; due: M5 S01 ines 500 + S02 lucas 500 (their
    // payout P04-M5 was rejected) = 1000.
    assert_eq!(r["totals"]["paid"], "5450.00");
    assert_eq!(r["totals"]["invoiced"], "2100.00");
    assert_eq!(r["totals"]["requested"], "900.00");
    assert_eq!(r["totals"]["due"], "1000.00");
    assert_eq!(r["totals"]["total"], "9450.00");
    let person = |id: &str| -> Value {
        r["by_person"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == id)
            .cloned()
            .unwrap()
    };
    // Lucas: paid 3×250 (M3) + 250 (M5 S05); invoiced 250 (M6 S05); requested 500 (M5 S06);
    // due 500 (M5 S02).
    let lucas = person("lucas-bernard");
    assert_eq!(lucas["paid"], "1000.00");
    assert_eq!(lucas["invoiced"], "250.00");
    assert_eq!(lucas["requested"], "500.00");
    assert_eq!(lucas["due"], "500.00");
    assert_eq!(person("antoine-roux")["total"], "2700.00");
    // By month of the work: March = M3 S01–S03 paid 2250 + M5 S01 due 500.
    assert_eq!(r["by_month"][0]["key"], "2026-03");
    assert_eq!(r["by_month"][0]["total"], "2750.00");
    assert!(r["not_self_billable"].as_array().unwrap().is_empty());
    insta::assert_snapshot!("report_payouts_table", run(&ws, &["report", "payouts"]));

    let only = json(&ws, &["report", "payouts", "--person", "ines-moreau"]);
    assert_eq!(only["totals"]["total"], "1000.00");
    assert_eq!(only["by_person"].as_array().unwrap().len(), 1);
    let block = csv_table(&ws, &["payouts"], "by-person");
    assert_eq!(
        block[0],
        ["person", "due", "requested", "invoiced", "paid", "total"]
    );
    assert_eq!(block.last().unwrap()[5], "9450.00");
}

#[test]
fn payouts_report_flags_people_who_cannot_be_self_billed() {
    let ws = Ws::example();
    ws.edit("people/lucas-bernard.yaml", "country: FR", "country: BE");
    let r = json(&ws, &["report", "payouts"]);
    // Lucas is owed 500 due + 500 requested + 250 invoiced.
    assert_eq!(r["not_self_billable"][0]["person"], "lucas-bernard");
    assert_eq!(r["not_self_billable"][0]["owed"], "1250.00");
    assert_eq!(
        r["not_self_billable"][0]["why"],
        "based outside France (BE)"
    );
}

#[test]
fn activity_report_figures() {
    let ws = Ws::example();
    let r = json(&ws, &["report", "activity"]);
    // 12 held sessions: 8 on-site workshops (3 h), 2 online workshops (3 h), 2 training days (7 h)
    // = 44 h; attended 242; revenue 16 200.
    assert_eq!(r["totals"]["sessions"], 12);
    assert_eq!(r["totals"]["hours"], "44");
    assert_eq!(r["totals"]["participants"], 242);
    assert_eq!(r["totals"]["revenue"], "16200.00");
    // April: M5 S02 (1200) + M6 S01 (2400) + M6 S02 (900) = 4500, 13 h, 29 + 15 + 11 = 55.
    let april = &r["by_month"][1];
    assert_eq!(april["key"], "2026-04");
    assert_eq!(april["revenue"], "4500.00");
    assert_eq!(april["hours"], "13");
    assert_eq!(april["participants"], 55);
    // 3 clients: 16 200 / 3.
    assert_eq!(r["average_basket"], "5400.00");
    // Arvel Conseil asked again in May (R2026-0009) after January (R2026-0001); the Ville de
    // Bellecombe in June (R2026-0012) after October 2024 (R2024-0002).
    assert_eq!(
        r["returning_clients"],
        serde_json::json!(["arvel-conseil", "ville-de-bellecombe"])
    );
    // Fees: U1 190 (paid), U2 220 (declared, above the 150 minimum: invoice now).
    let u = &r["usage_rights"];
    assert_eq!(u["fees"], "410.00");
    assert_eq!(u["fees_to_invoice"], "220.00");
    assert_eq!(u["fees_paid"], "190.00");
    assert_eq!(u["invoices_to_issue"][0]["person"], "julia-weber");
    assert!(u["waiting"].as_array().unwrap().is_empty());
    assert!(r["shares"].as_array().unwrap().is_empty());
    insta::assert_snapshot!("report_activity_table", run(&ws, &["report", "activity"]));
    let block = csv_table(&ws, &["activity"], "held-sessions-by-offer");
    assert_eq!(
        block.last().unwrap(),
        &["total", "12", "44", "242", "16200.00"]
    );
}

#[test]
fn activity_report_splits_revenue_by_shares_and_groups_small_fees() {
    let ws = Ws::example();
    ws.edit(
        "fresk.yaml",
        "    unit_price: 900\n",
        "    unit_price: 900\n    shares: { kitchen: 20, garden: 10, commons: rest }\n",
    );
    // U2026-0002's fee becomes 120: under the 150 minimum, it waits.
    ws.edit("declarations/2026/U2026-0002.yaml", "fee: 220", "fee: 120");
    let r = json(&ws, &["report", "activity"]);
    // Two online workshops held: 1800 → kitchen 360, garden 180, commons 1260.
    let shares: Vec<(String, String)> = r["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["group"].as_str().unwrap().to_string(),
                s["amount"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        shares,
        [
            ("commons".to_string(), "1260.00".to_string()),
            ("garden".to_string(), "180.00".to_string()),
            ("kitchen".to_string(), "360.00".to_string()),
        ]
    );
    assert!(
        r["usage_rights"]["invoices_to_issue"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(r["usage_rights"]["waiting"][0]["total"], "120.00");
}

#[test]
fn reports_agree_with_each_other_for_any_period() {
    let ws = Ws::example();
    for period in [
        vec![],
        vec!["--from", "2026-04-01", "--to", "2026-05-31"],
        vec!["--from", "2026-05-15"],
    ] {
        let with = |name: &str| {
            let mut args = vec!["report", name];
            args.extend(period.iter().copied());
            json(&ws, &args)
        };
        let missions = with("missions");
        let activity = with("activity");
        assert_eq!(
            missions["totals"]["revenue_delivered"], activity["totals"]["revenue"],
            "{period:?}"
        );
        assert_eq!(missions["totals"]["held"], activity["totals"]["sessions"]);
        assert_eq!(
            missions["totals"]["attended"],
            activity["totals"]["participants"]
        );
    }
    // Payout session lines (due + requested + invoiced + paid) = the rate-card value of the paid
    // bookings of held sessions: M3 2250 + M5 2750 + M6 3750 = 8750.
    let payouts = json(&ws, &["report", "payouts"]);
    assert_eq!(payouts["sessions"]["total"], "8750.00");
    let session_values: fresk::model::Money = ["due", "requested", "invoiced", "paid"]
        .iter()
        .map(|k| fresk::model::Money::parse(payouts["sessions"][k].as_str().unwrap()).unwrap())
        .sum();
    assert_eq!(session_values.to_string(), "8750.00");
    // In May: M3 nothing; the report restricted to May.
    let may = json(
        &ws,
        &[
            "report",
            "activity",
            "--from",
            "2026-05-01",
            "--to",
            "2026-05-31",
        ],
    );
    assert_eq!(may["totals"]["revenue"], "5700.00");
}

#[test]
fn requests_report_table_and_csv() {
    let ws = Ws::example();
    insta::assert_snapshot!("report_requests_table", run(&ws, &["report", "requests"]));
    let block = csv_table(&ws, &["requests"], "by-track");
    assert_eq!(block[1], ["introduction", "3", "0", "3", "0", "0", "100%"]);
}

/// A CSV file holds one table: a report of several prints the one `--table` names, writes each
/// to its own file with `--out-dir`, and otherwise says which tables there are.
#[test]
fn a_report_of_several_tables_gives_one_csv_per_table() {
    let ws = Ws::example();
    let out = ws.run(&["report", "requests", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("give --table NAME, or --out-dir DIR"), "{err}");
    assert!(err.contains("  by-track  (By track)"), "{err}");
    let out = ws.run(&[
        "report", "requests", "--format", "csv", "--table", "by-trak",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean `by-track`?"),
        "{out:?}"
    );
    let out = ws.run(&["report", "requests", "--table", "by-track"]);
    assert_eq!(out.status.code(), Some(2), "--table without --format csv");

    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let out = ws.run(&[
        "report",
        "requests",
        "--format",
        "csv",
        "--out-dir",
        dir_arg,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        out.stdout.is_empty(),
        "data goes to the files, messages to stderr"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"by-track.csv".to_string()), "{names:?}");
    let by_track = std::fs::read_to_string(dir.path().join("by-track.csv")).unwrap();
    let printed = run(
        &ws,
        &[
            "report", "requests", "--format", "csv", "--table", "by-track",
        ],
    );
    assert_eq!(by_track, printed, "the file is the table --table prints");
    assert!(!by_track.contains('#'), "no title lines: {by_track}");
    // Every table of the report has its file.
    let tables = String::from_utf8_lossy(&out.stderr)
        .matches("wrote ")
        .count();
    assert_eq!(tables, names.len());
}

#[test]
fn bad_periods_are_refused_with_a_hint() {
    let ws = Ws::example();
    let out = ws
        .command()
        .args(["report", "missions", "--from", "2026-13-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from"));
    let out = ws
        .command()
        .args([
            "report",
            "activity",
            "--from",
            "2026-06-01",
            "--to",
            "2026-05-01",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("earlier date first"));
}

/// Unfold an iCalendar text (CRLF line endings, continuation lines start with a space).
fn unfold(text: &str) -> Vec<String> {
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF in ICS");
    let mut lines: Vec<String> = Vec::new();
    for physical in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(physical.len() <= 75, "line over 75 octets: {physical}");
        match physical.strip_prefix(' ') {
            Some(rest) => lines.last_mut().unwrap().push_str(rest),
            None => lines.push(physical.to_string()),
        }
    }
    lines
}

/// VEVENTs as property maps.
fn events(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut out = Vec::new();
    let mut current = None;
    for line in unfold(text) {
        match line.as_str() {
            "BEGIN:VEVENT" => current = Some(std::collections::BTreeMap::new()),
            "END:VEVENT" => out.push(current.take().unwrap()),
            _ => {
                if let Some(ev) = current.as_mut() {
                    let (k, v) = line.split_once(':').unwrap();
                    ev.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn session_calendar_parses_back() {
    let ws = Ws::example();
    let text = run(&ws, &["session", "list", "--format", "ics"]);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let all = events(&text);
    assert_eq!(all.len(), 17);
    for ev in &all {
        for key in ["UID", "DTSTART", "DTEND", "SUMMARY", "DTSTAMP", "STATUS"] {
            assert!(ev.contains_key(key), "{key} missing in {ev:?}");
        }
    }
    let s01 = all
        .iter()
        .find(|e| e["UID"] == "M2026-0003-S01@fresk")
        .unwrap();
    // 09:00 Paris in March (UTC+1).
    assert_eq!(s01["DTSTART"], "20260310T080000Z");
    assert_eq!(s01["DTEND"], "20260310T110000Z");
    assert!(s01["SUMMARY"].contains("M2026-0003"));
    // Commas are escaped in the location and the description lists the co-facilitator.
    assert_eq!(
        s01["LOCATION"],
        "Mécanique du Rhône\\, usine de Givors\\, 8 rue de l'Industrie\\, 69700 Givors"
    );
    assert!(
        s01["DESCRIPTION"].contains("\\n- Lucas Bernard (lucas-bernard) (co\\, paid)"),
        "{}",
        s01["DESCRIPTION"]
    );
    let cancelled = all.iter().filter(|e| e["STATUS"] == "CANCELLED").count();
    assert_eq!(cancelled, 3);
    let online = all
        .iter()
        .find(|e| e["UID"] == "M2026-0006-S02@fresk")
        .unwrap();
    assert_eq!(online["LOCATION"], "online");

    // Per person: Sophie is on M5 S01 S02 S04 S06 S08.
    let sophie = run(
        &ws,
        &[
            "session",
            "list",
            "--person",
            "sophie-lambert",
            "--format",
            "ics",
        ],
    );
    assert_eq!(events(&sophie).len(), 5);
    // The other formats still work.
    let csv = run(
        &ws,
        &["session", "list", "--format", "csv", "--from", "2026-06-01"],
    );
    assert_eq!(csv.lines().count(), 1 + 3);
}
