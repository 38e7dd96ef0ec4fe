//! `fresk report clients`: the figures of the client relationship on the demo, checked against
//! hand computations; and `--format html` on every report: the page's numbers are those of
//! `--format json`, it loads in a real headless browser (Debian's chromium) without a console
//! error, its screenshot is not blank, and its SVG structure is snapshotted.

use crate::support::Ws;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn json(ws: &Ws, args: &[&str]) -> Value {
    serde_json::from_str(&ws.run_ok(args)).unwrap()
}

#[test]
fn clients_report_figures() {
    let ws = Ws::example();
    let r = json(&ws, &["report", "clients", "--format", "json"]);
    assert_eq!(r["version"], 1);
    assert_eq!(r["as_of"], "2026-06-15");
    // Organisations: 15; clients today: the 7 with a won request or a mission in 2026
    // (arvel-conseil, mecanique-du-rhone, habitat-solidaire-rhone, lycee-des-canuts,
    // cc-coteaux-azergues, fondation-leman-durable, terres-d-isere) and lucas-bernard-ei
    // (an invoice); the other 7 never were (mairie-de-caluire, met at a forum, among them).
    let status = |s: &str| {
        r["by_status"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["status"] == s)
            .cloned()
            .unwrap()
    };
    assert_eq!(status("client")["organisations"], 8);
    assert_eq!(status("prospect")["organisations"], 7);
    assert_eq!(status("former")["organisations"], 0);
    // First requests: 13 organisations asked; a quote went to 9 of them (not agence-tandem,
    // iraid, biscuiterie-lafont, mjc-des-pentes), 7 became clients: 7/13 = 53.846 → 53.8 %.
    assert_eq!(r["funnel"]["contacts"], 13);
    assert_eq!(r["funnel"]["quoted"], 9);
    assert_eq!(r["funnel"]["converted"], 7);
    assert_eq!(r["funnel"]["conversion_percent"], "53.8");
    // Lost prospects, oldest first, with their reasons (arvel-conseil's expired quote is not
    // there: it is a client).
    let lost: Vec<&str> = r["lost_prospects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["request"].as_str().unwrap())
        .collect();
    assert_eq!(lost, ["R2024-0002", "R2026-0002", "R2026-0008"]);
    assert_eq!(
        r["lost_prospects"][1]["reason"],
        "Budget formation gelé pour 2026"
    );
    // Per year: 2024 arvel-conseil (new); 2025 nobody, arvel-conseil lost; 2026 eight clients,
    // arvel-conseil returning, seven new.
    let years: Vec<(i64, i64, i64, i64, i64)> = r["per_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            let f = |k: &str| y[k].as_i64().unwrap();
            (f("year"), f("clients"), f("new"), f("returning"), f("lost"))
        })
        .collect();
    assert_eq!(
        years,
        [(2024, 1, 1, 0, 0), (2025, 0, 0, 0, 1), (2026, 8, 7, 1, 0)]
    );
    // Held sessions: mecanique-du-rhone 3 × 1200 (business), lycee-des-canuts 5 × 1200
    // (education), cc-coteaux-azergues 3 300 in April + 3 300 in May (public): 16 200.00 for 3
    // clients → 5 400.00, as `report activity` says.
    assert_eq!(r["basket"]["revenue"], "16200.00");
    assert_eq!(r["basket"]["clients"], 3);
    assert_eq!(r["basket"]["average"], "5400.00");
    let sector = |s: &str| {
        r["by_sector"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["sector"] == s)
            .cloned()
            .unwrap()
    };
    assert_eq!(sector("business")["revenue"], "3600.00");
    assert_eq!(sector("education")["revenue"], "6000.00");
    assert_eq!(sector("public")["revenue"], "6600.00");
    // 16 requests; R2026-0014 (14 June 16:20) is not yet 48 h old and unanswered: 15 count,
    // all answered within 48 h.
    assert_eq!(r["response"]["counted"], 15);
    assert_eq!(r["response"]["within_sla"], 15);
    assert_eq!(r["response"]["rate_percent"], "100");
    // Origins in 2026: internet R1 R8 R11; the word of mouth of a partner R4 R5 R7; events R2
    // R12; R3 counts under word-of-mouth/client and leaflets.
    let origin = |year: &str, key: &str| {
        r["origins_by_year"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["period"] == year && o["origin"] == key)
            .map(|o| o["requests"].as_i64().unwrap())
    };
    assert_eq!(origin("2026", "internet"), Some(3));
    assert_eq!(origin("2026", "word-of-mouth/partner"), Some(3));
    assert_eq!(origin("2026", "events"), Some(2));
    assert_eq!(origin("2026", "leaflets"), Some(1));
    assert_eq!(origin("2026", "word-of-mouth/client"), Some(1));
    assert_eq!(origin("2024", "municipal-bulletin"), Some(1));
    assert_eq!(origin("2024", "internet"), None);
    // First missions: M2026-0003 (4.6 + 4.4 + 4.7) / 3 = 4.5667 → 4.57; M2026-0006
    // (4.6 + 4.1 + 4.5 + 4.4) / 4 = 4.4.
    let sat: Vec<(&str, &str)> = r["satisfaction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["mission"].as_str().unwrap(),
                s["satisfaction"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(sat[0], ("M2026-0003", "4.57"));
    assert_eq!(sat[1], ("M2026-0006", "4.4"));
}

#[test]
fn clients_report_honours_the_period() {
    let ws = Ws::example();
    let r = json(
        &ws,
        &[
            "report",
            "clients",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--format",
            "json",
        ],
    );
    // Statuses are taken on 31 December 2024; in 2024 arvel-conseil alone was a client.
    assert_eq!(r["as_of"], "2024-12-31");
    assert_eq!(r["per_year"][0]["clients"], 1);
    assert_eq!(r["funnel"]["contacts"], 2);
    assert_eq!(r["funnel"]["converted"], 1);
    assert_eq!(r["funnel"]["conversion_percent"], "50");
    assert_eq!(r["per_year"].as_array().unwrap().len(), 1);
    assert_eq!(r["basket"]["clients"], 0);
    assert!(r["basket"]["average"].is_null());
    assert_eq!(r["lost_prospects"][0]["request"], "R2024-0002");
    let table = ws.run_ok(&[
        "report",
        "clients",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    ]);
    assert!(
        table.starts_with("Clients — 2024-01-01 to 2024-12-31\n"),
        "{table}"
    );
    assert!(table.contains("Word of mouth — client"), "{table}");
}

/// The `<td>` cells of every row of every table of `page`.
fn rows(page: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for tr in page.split("<tr>").skip(1) {
        let tr = tr.split("</tr>").next().unwrap();
        let cells: Vec<String> = tr
            .split("<td")
            .skip(1)
            .map(|c| {
                let c = &c[c.find('>').unwrap() + 1..];
                c.split("</td>")
                    .next()
                    .unwrap()
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
            })
            .collect();
        if !cells.is_empty() {
            out.push(cells);
        }
    }
    out
}

/// A JSON scalar as a table prints it.
fn cell(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some(String::new()),
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Every object of the report's JSON (lists and single objects) is a row of a table of the
/// page: its values, in order, among the row's cells.
fn assert_page_matches_json(page: &str, json: &Value, keys: &[&str]) {
    let rows = rows(page);
    for key in keys {
        let objects: Vec<&Value> = match &json[*key] {
            Value::Array(items) => items.iter().collect(),
            o @ Value::Object(_) => vec![o],
            other => panic!("{key}: {other}"),
        };
        assert!(!objects.is_empty(), "{key} is empty in the JSON");
        for o in objects {
            let values: Vec<String> = o.as_object().unwrap().values().filter_map(cell).collect();
            let found = rows.iter().any(|row| {
                let mut it = row.iter();
                values.iter().all(|v| it.any(|c| c == v))
            });
            assert!(found, "{key}: no row of the page holds {values:?}");
        }
    }
}

#[test]
fn html_numbers_are_the_json_numbers() {
    let ws = Ws::example();
    let page = ws.run_ok(&["report", "clients", "--format", "html"]);
    let data = json(&ws, &["report", "clients", "--format", "json"]);
    assert_page_matches_json(
        &page,
        &data,
        &[
            "by_status",
            "funnel",
            "lost_prospects",
            "per_year",
            "by_sector",
            "monthly",
            "hours_sold",
            "basket",
            "response",
            "origins_by_month",
            "origins_by_year",
            "satisfaction",
        ],
    );
    // Self-contained: nothing fetched, nothing run.
    // (The one address is the SVG namespace, which names and fetches nothing.)
    let bare = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "http", "@import", "url(",
    ] {
        assert!(!bare.contains(banned), "{banned} in the page");
    }
    let page = ws.run_ok(&["report", "activity", "--format", "html"]);
    let data = json(&ws, &["report", "activity", "--format", "json"]);
    assert_page_matches_json(&page, &data, &["by_offer", "by_sector", "by_month"]);
}

#[test]
fn every_report_has_an_html_page() {
    let ws = Ws::example();
    for args in [
        &["report", "requests"][..],
        &["report", "missions"],
        &["report", "payouts"],
        &["report", "activity"],
        &["report", "quality"],
        &["report", "bpf", "--year", "2026"],
        &["report", "shares", "--year", "2026"],
        &["report", "clients"],
    ] {
        let mut a = args.to_vec();
        a.extend(["--format", "html"]);
        let page = ws.run_ok(&a);
        assert!(page.starts_with("<!DOCTYPE html>"), "{args:?}");
        assert!(page.contains("<table>"), "{args:?}: no table");
        assert!(page.contains("<svg"), "{args:?}: no chart");
    }
}

/// Debian's chromium; the test fails without it.
fn chromium() -> &'static str {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "chromium is not installed: run the tests with scripts/test.sh, which installs it (apt-get install -y chromium)"
    );
    "chromium"
}

fn headless(dir: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1000,1600",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(format!("file://{}", page.display()))
    .current_dir(dir);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_page_loads_in_a_headless_browser_and_is_not_blank() {
    let ws = Ws::example();
    let page = ws.run_ok(&["report", "clients", "--format", "html"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clients.html");
    std::fs::write(&file, &page).unwrap();
    let out = headless(dir.path(), &["--dump-dom"], &file);
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        dom.contains("<svg") && dom.contains("Clients per year"),
        "{dom}"
    );
    assert!(
        !log.lines()
            .any(|l| l.contains("CONSOLE") || l.contains("Uncaught")),
        "console messages:\n{log}"
    );
    let png = dir.path().join("shot.png");
    headless(
        dir.path(),
        &[&format!("--screenshot={}", png.display())],
        &file,
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let pixels: Vec<&[u8]> = bytes.chunks(step).collect();
    let colours: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
    let white = pixels
        .iter()
        .filter(|p| p.iter().take(3).all(|c| *c >= 250))
        .count();
    assert!(
        colours.len() > 20,
        "{} colours: a blank page?",
        colours.len()
    );
    assert!(
        white * 100 / pixels.len() < 97,
        "{white} of {} pixels are white: a blank page?",
        pixels.len()
    );
}

/// The structure of an SVG: one line per element, its name and its attributes' names (the
/// text of `<text>` elements too), no coordinates.
fn structure(svg: &str) -> String {
    let mut out = String::new();
    for tag in svg.split('<').skip(1) {
        let (head, text) = tag.split_once('>').unwrap_or((tag, ""));
        if head.starts_with('/') {
            continue;
        }
        let mut parts = head.trim_end_matches('/').split_whitespace();
        let name = parts.next().unwrap_or_default();
        let mut attrs: Vec<&str> = parts
            .filter_map(|p| p.split_once('=').map(|(k, _)| k))
            .collect();
        attrs.sort_unstable();
        attrs.dedup();
        out.push_str(&format!("{name} {}", attrs.join(" ")));
        if name == "text" {
            out.push_str(&format!(" {:?}", text.trim()));
        }
        out.push('\n');
    }
    // Runs of identical lines (the grid) as one line with their count.
    let mut folded = String::new();
    let lines: Vec<&str> = out.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let run = lines[i..].iter().take_while(|l| **l == lines[i]).count();
        folded.push_str(lines[i]);
        if run > 1 {
            folded.push_str(&format!(" ×{run}"));
        }
        folded.push('\n');
        i += run;
    }
    folded
}

#[test]
fn chart_svg_structure() {
    let ws = Ws::example();
    let page = ws.run_ok(&["report", "clients", "--format", "html"]);
    let svgs: Vec<&str> = page
        .split("<svg")
        .skip(1)
        .map(|s| s.split("</svg>").next().unwrap())
        .collect();
    assert_eq!(svgs.len(), 7, "one chart per figure");
    // The pipeline funnel and the clients per year.
    insta::assert_snapshot!("clients_funnel_svg", structure(&format!("<svg{}", svgs[0])));
    insta::assert_snapshot!(
        "clients_per_year_svg",
        structure(&format!("<svg{}", svgs[4]))
    );
}
