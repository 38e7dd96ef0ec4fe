//! The client relationship: interactions and callbacks, complaints, their rules.

use crate::support::{Ws, refused_by, tree};

const INTERACTIONS: &str = "interactions/biscuiterie-lafont/2026.yaml";

/// A command refused (exit 1: the workspace forbids it) that changed nothing; its error.
#[track_caller]
fn fail(ws: &Ws, args: &[&str]) -> String {
    fail_with(ws, args, 1)
}

/// A command that could not run as asked (exit 2: options that do not go together) and
/// changed nothing; its error.
#[track_caller]
fn usage_fail(ws: &Ws, args: &[&str]) -> String {
    fail_with(ws, args, 2)
}

#[track_caller]
fn fail_with(ws: &Ws, args: &[&str], code: i32) -> String {
    let out = refused_by(ws, args, code, || ws.run(args));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn contact_log_appends_one_line_per_entry_and_callbacks_follow() {
    let ws = Ws::example();
    ws.run_ok(&[
        "contact",
        "log",
        "biscuiterie-lafont",
        "--channel",
        "phone",
        "--summary",
        "Asked for autumn dates",
        "--contact",
        "Damien Lafont",
        "--callback",
        "2026-06-12",
        "--reason",
        "Send the dates",
        "--owner",
        "claire-fontaine",
        "--at",
        "2026-06-10 10:00",
    ]);
    ws.run_ok(&[
        "contact",
        "log",
        "biscuiterie-lafont",
        "--channel",
        "email",
        "--summary",
        "Brochure sent, with prices",
        "--at",
        "2026-06-11 09:30",
    ]);
    let text = ws.read(INTERACTIONS);
    assert!(text.starts_with("# yaml-language-server: $schema=../../schema/interactions.schema.json\norganisation: biscuiterie-lafont\nyear: 2026\n"), "{text}");
    assert!(text.ends_with(
        "entries:\n  - { at: 2026-06-10 10:00, owner: claire-fontaine, channel: phone, summary: Asked for autumn dates, contact: Damien Lafont, callback: { due: 2026-06-12, reason: Send the dates } }\n  - { at: 2026-06-11 09:30, channel: email, summary: \"Brochure sent, with prices\" }\n"
    ), "{text}");
    ws.lint().expect_clean();

    // The callback, overdue on 2026-06-15, listed by owner and due day.
    let json: serde_json::Value = serde_json::from_str(&ws.run_ok(&[
        "callback",
        "list",
        "--due",
        "overdue",
        "--owner",
        "claire-fontaine",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["version"], 1);
    let callbacks = json["callbacks"].as_array().unwrap();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(callbacks[0]["organisation"], "biscuiterie-lafont");
    assert_eq!(callbacks[0]["due"], "2026-06-12");
    assert_eq!(callbacks[0]["status"], "overdue");
    assert_eq!(callbacks[0]["owner"], "claire-fontaine");
    let none: serde_json::Value = serde_json::from_str(&ws.run_ok(&[
        "callback",
        "list",
        "--owner",
        "mehdi-benali",
        "--format",
        "json",
    ]))
    .unwrap();
    // Mehdi's only callback is the example's own.
    assert_eq!(none["callbacks"].as_array().unwrap().len(), 1);
    assert_eq!(none["callbacks"][0]["organisation"], "transports-berthier");

    let done = ws.run_ok(&[
        "callback",
        "done",
        "biscuiterie-lafont",
        "--note",
        "Dates sent",
    ]);
    assert!(
        done.contains("callback of biscuiterie-lafont (due 2026-06-12: Send the dates) done"),
        "{done}"
    );
    assert!(ws.read(INTERACTIONS).ends_with(
        "  - { at: 2026-06-15 00:00, owner: claire-fontaine, callback_done: true, note: Dates sent }\n"
    ));
    let after: serde_json::Value =
        serde_json::from_str(&ws.run_ok(&["callback", "list", "--format", "json"])).unwrap();
    let orgs: Vec<&str> = after["callbacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["organisation"].as_str().unwrap())
        .collect();
    // The example's own callbacks, by due day; biscuiterie-lafont's is done.
    assert_eq!(
        orgs,
        [
            "transports-berthier",
            "mairie-de-caluire",
            "mecanique-du-rhone"
        ]
    );
    // Nothing left to mark done.
    let err = fail(&ws, &["callback", "done", "biscuiterie-lafont"]);
    assert!(
        err.contains("biscuiterie-lafont has no open callback"),
        "{err}"
    );
    ws.lint().expect_clean();
}

#[test]
fn contact_log_refuses_what_it_cannot_record_and_writes_nothing() {
    let ws = Ws::example();
    let err = fail(
        &ws,
        &[
            "contact",
            "log",
            "biscuiterie-lafont",
            "--channel",
            "phone",
            "--summary",
            "x",
            "--contact",
            "Damien Lafon",
        ],
    );
    assert!(err.contains("did you mean `Damien Lafont`?"), "{err}");
    assert!(
        err.contains("fresk organisation edit biscuiterie-lafont --contact"),
        "{err}"
    );
    let err = fail(
        &ws,
        &[
            "contact",
            "log",
            "biscuiterie-lafon",
            "--channel",
            "phone",
            "--summary",
            "x",
        ],
    );
    assert!(err.contains("did you mean `biscuiterie-lafont`?"), "{err}");
    let err = usage_fail(
        &ws,
        &[
            "contact",
            "log",
            "biscuiterie-lafont",
            "--channel",
            "phone",
            "--summary",
            "x",
            "--callback",
            "2026-06-01",
            "--reason",
            "r",
            "--at",
            "2026-06-10 10:00",
        ],
    );
    assert!(
        err.contains("--callback 2026-06-01 is before the interaction"),
        "{err}"
    );
    let err = usage_fail(
        &ws,
        &[
            "contact",
            "log",
            "biscuiterie-lafont",
            "--channel",
            "phone",
            "--summary",
            "x",
            "--callback",
            "2026-07-01",
        ],
    );
    assert!(err.contains("--reason"), "{err}");
    // --dry-run shows the new file and writes nothing.
    let before = tree(&ws);
    let out = ws.run_ok(&[
        "--dry-run",
        "contact",
        "log",
        "biscuiterie-lafont",
        "--channel",
        "visit",
        "--summary",
        "Visit",
    ]);
    assert!(out.contains("+entries:"), "{out}");
    assert_eq!(before, tree(&ws));
}

#[test]
fn interaction_rules_point_at_the_entry() {
    let ws = Ws::example();
    ws.write(
        INTERACTIONS,
        "organisation: biscuiterie-lafont\nyear: 2026\nentries:\n  - { at: 2026-06-10 10:00, channel: phone, summary: ok, contact: Damien Lafont }\n  - { at: 2026-06-11 10:00, owner: claire-fontaine }\n  - { at: 2025-12-30 10:00, channel: email, summary: late, contact: Damien Lafon, owner: nobody-here }\n",
    );
    ws.write(
        "interactions/biscuiterie-lafont/2025.yaml",
        "organisation: arvel-conseil\nyear: 2025\nentries: []\n",
    );
    let lint = ws.lint();
    lint.expect("interaction-entry", INTERACTIONS, 5, 5);
    lint.expect("interaction-entry", INTERACTIONS, 6, 11);
    lint.expect("unknown-contact", INTERACTIONS, 6, 69)
        .related_at("organisations/biscuiterie-lafont.yaml", 9, 1);
    lint.expect("unknown-person", INTERACTIONS, 6, 90);
    lint.expect(
        "id-filename",
        "interactions/biscuiterie-lafont/2025.yaml",
        1,
        15,
    );
    assert_eq!(lint.findings.len(), 5, "{}", lint.listing());
}

#[test]
fn complaints_move_one_step_at_a_time() {
    let ws = Ws::example();
    let out = ws.run_ok(&[
        "complaint",
        "new",
        "cc-coteaux-azergues",
        "--summary",
        "The workshop started 40 minutes late",
        "--mission",
        "M2026-0006",
        "--owner",
        "claire-fontaine",
        "--received",
        "2026-06-14 09:00",
    ]);
    assert!(out.contains("complaint C2026-0002 of cc-coteaux-azergues received: complaints/2026/C2026-0002.yaml; acknowledge it within 48 h"), "{out}");
    let file = "complaints/2026/C2026-0002.yaml";
    assert_eq!(
        ws.read(file),
        "# yaml-language-server: $schema=../../schema/complaint.schema.json\nid: C2026-0002\nstate: received\norganisation: cc-coteaux-azergues\nreceived: 2026-06-14 09:00\nsummary: The workshop started 40 minutes late\nmission: M2026-0006\nowner: claire-fontaine\n"
    );
    // The mission is closed: a warning until the complaint is closed.
    let lint = ws.lint();
    lint.expect("complaint-open-mission-closed", file, 7, 10)
        .related_at("missions/M2026-0006/mission.yaml", 3, 8);
    lint.expect_none("complaint-not-acknowledged");

    let err = fail(&ws, &["complaint", "close", "C2026-0002"]);
    assert!(err.contains("complaint C2026-0002 is `received`, so it cannot become `closed`; its next step is `fresk complaint acknowledge C2026-0002`"), "{err}");
    let err = fail(
        &ws,
        &[
            "complaint",
            "acknowledge",
            "C2026-0002",
            "--at",
            "2026-06-13 09:00",
        ],
    );
    assert!(err.contains("before the complaint was received"), "{err}");
    let err = fail(
        &ws,
        &[
            "complaint",
            "new",
            "cc-coteaux-azergues",
            "--summary",
            "x",
            "--mission",
            "M2026-0003",
        ],
    );
    assert!(
        err.contains("mission M2026-0003 is mecanique-du-rhone's"),
        "{err}"
    );

    ws.run_ok(&[
        "complaint",
        "acknowledge",
        "C2026-0002",
        "--at",
        "2026-06-14 17:00",
    ]);
    ws.run_ok(&[
        "complaint",
        "resolve",
        "C2026-0002",
        "--action",
        "Apology; 10% off the next workshop",
    ]);
    let out = ws.run_ok(&["complaint", "close", "C2026-0002"]);
    assert_eq!(out, "complaint C2026-0002 closed\n");
    assert!(ws.read(file).ends_with(
        "acknowledged: 2026-06-14 17:00\nresolved: 2026-06-15\naction: Apology; 10% off the next workshop\nclosed: 2026-06-15\n"
    ));
    ws.lint().expect_clean();
    let err = fail(
        &ws,
        &["complaint", "resolve", "C2026-0002", "--action", "again"],
    );
    assert!(err.contains("it is closed: nothing follows"), "{err}");
}

#[test]
fn complaint_rules() {
    let ws = Ws::example();
    let file = "complaints/2026/C2026-0001.yaml";
    // Received 2026-06-12 09:00 (Paris): the 48 h ran out on 2026-06-14 09:00.
    ws.write(
        file,
        "id: C2026-0001\nstate: received\norganisation: biscuiterie-lafont\nreceived: 2026-06-12 09:00\nsummary: Late\n",
    );
    let lint = ws.lint();
    let f = lint.expect("complaint-not-acknowledged", file, 2, 8);
    assert!(f.message.contains("by 2026-06-14 09:00"), "{}", f.message);
    // 72 h in fresk.yaml: not yet late.
    ws.edit(
        "fresk.yaml",
        "staff:",
        "crm: { complaint_acknowledge_hours: 72 }\nstaff:",
    );
    ws.lint().expect_clean();
    // A step without its trace.
    ws.write(
        file,
        "id: C2026-0001\nstate: resolved\norganisation: biscuiterie-lafont\nreceived: 2026-06-12 09:00\nsummary: Late\nacknowledged: 2026-06-12 10:00\n",
    );
    let lint = ws.lint();
    assert_eq!(lint.of("missing-for-state").len(), 2, "{}", lint.listing());
    // Unknown references.
    ws.write(
        file,
        "id: C2026-0001\nstate: received\norganisation: biscuiterie-lafont\nreceived: 2026-06-14 09:00\nsummary: Late\nmission: M2026-0006\nsession: S99\n",
    );
    let lint = ws.lint();
    lint.expect("unknown-session", file, 7, 10);
}

fn agenda_json(ws: &Ws, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["agenda", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&ws.run_ok(&args)).unwrap()
}

/// (kind, subject, overdue) of every item.
fn items(json: &serde_json::Value) -> Vec<(String, String, bool)> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["subject"].as_str().unwrap().to_string(),
                i["overdue"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn item(kind: &str, subject: &str, overdue: bool) -> (String, String, bool) {
    (kind.to_string(), subject.to_string(), overdue)
}

#[test]
fn agenda_of_the_example_morning() {
    let ws = Ws::example();
    let text = ws.run_ok(&["agenda"]);
    insta::assert_snapshot!("agenda_example", text);
    let json = agenda_json(&ws, &[]);
    assert_eq!(json["version"], 1);
    assert_eq!(json["date"], "2026-06-15");
    // By hand from examples/demo on 2026-06-15: transports-berthier's callback was due on
    // 06-10, mairie-de-caluire's is due today, mecanique-du-rhone's is for September;
    // C2026-0001 is acknowledged, waiting for its action; mecanique-du-rhone had its
    // satisfaction call after M2026-0003, cc-coteaux-azergues not after M2026-0006.
    assert_eq!(
        items(&json),
        vec![
            item("callback", "transports-berthier", true),
            item("callback", "mairie-de-caluire", false),
            item("complaint", "C2026-0001", false),
            item("satisfaction-call", "cc-coteaux-azergues", false),
        ]
    );
    assert_eq!(
        json["items"][0]["command"],
        "fresk callback done transports-berthier --note \"…\""
    );
    assert_eq!(
        json["items"][3]["command"],
        "fresk contact log cc-coteaux-azergues --channel phone --satisfaction --summary \"…\""
    );
    assert_eq!(json["sessions"], serde_json::json!(["M2026-0005-S07"]));
    // One person's morning: their callbacks and the calls of their requests.
    let mehdi = agenda_json(&ws, &["--person", "mehdi-benali"]);
    assert_eq!(
        items(&mehdi),
        vec![
            item("callback", "transports-berthier", true),
            item("satisfaction-call", "cc-coteaux-azergues", false),
        ]
    );
    // A week later the autumn callback is not due yet, the others are overdue.
    let later = agenda_json(&ws, &["--date", "2026-06-22"]);
    assert_eq!(later["items"][1]["overdue"], true);
}

#[test]
fn agenda_finds_each_kind_of_work() {
    let ws = Ws::example();
    // A request received on Friday morning, not answered by Monday (48 h).
    ws.edit(
        "requests/2026/R2026-0014.yaml",
        "received: 2026-06-14 16:20",
        "received: 2026-06-12 09:00",
    );
    // A quote valid until Thursday.
    ws.edit(
        "requests/2026/R2026-0012.yaml",
        "valid_until: 2026-07-05",
        "valid_until: 2026-06-18",
    );
    // A session that ended last Friday and was not recorded.
    ws.edit(
        "missions/M2026-0005/sessions/M2026-0005-S07.yaml",
        "start: 2026-06-18 08:30",
        "start: 2026-06-12 08:30",
    );
    ws.edit(
        "missions/M2026-0005/sessions/M2026-0005-S07.yaml",
        "end: 2026-06-18 11:30",
        "end: 2026-06-12 11:30",
    );
    // An invoice sent, due on 06-10, unpaid.
    ws.edit(
        "invoices/2026/F2026-0002.yaml",
        "state: paid",
        "state: sent",
    );
    ws.edit(
        "invoices/2026/F2026-0002.yaml",
        "due: 2026-05-10",
        "due: 2026-06-10",
    );
    ws.edit(
        "invoices/2026/F2026-0002.yaml",
        "paid: { date: 2026-04-27, reference: VIR LUCAS BERNARD EI }\n",
        "",
    );
    let json = agenda_json(&ws, &[]);
    let found = items(&json);
    for want in [
        item("request-answer", "R2026-0014", true),
        item("quote-expiring", "R2026-0012", false),
        item("session-to-record", "M2026-0005-S07", true),
        item("invoice", "F2026-0002", true),
    ] {
        assert!(found.contains(&want), "{want:?} not in {found:?}");
    }
    let by_subject = |s: &str| {
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["subject"] == s)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_subject("R2026-0014")["command"],
        "fresk request qualify R2026-0014"
    );
    assert_eq!(
        by_subject("M2026-0005-S07")["command"],
        "fresk session hold M2026-0005-S07 --attended N"
    );
    let invoice = by_subject("F2026-0002");
    assert!(
        invoice["what"]
            .as_str()
            .unwrap()
            .contains("190.00 excl. VAT) was due on 2026-06-10: next step `reminded-1`"),
        "{invoice}"
    );
    assert!(
        invoice["command"]
            .as_str()
            .unwrap()
            .starts_with("fresk invoice remind F2026-0002")
    );
    // Payouts and closing come from the missions' dashboards: once S07 and S08 are recorded
    // or cancelled, M2026-0005's can close as `mission show` says.
    let d: serde_json::Value =
        serde_json::from_str(&ws.run_ok(&["mission", "show", "M2026-0005", "--format", "json"]))
            .unwrap();
    let can_close = d["close"]["possible"].as_bool().unwrap();
    assert_eq!(
        found.contains(&item("mission-to-close", "M2026-0005", false)),
        can_close
    );
    let requestable = !d["requestable"]["lines"].as_array().unwrap().is_empty()
        && d["requestable"]["blocked"].is_null();
    assert_eq!(
        found.contains(&item("payout-to-request", "M2026-0005", false)),
        requestable
    );
}

/// The agenda as iCalendar, read back by the reference parser (PyPI `icalendar`, pinned in
/// scripts/test.sh): every to-do has its UID and due day, the week's session is an event.
#[test]
fn agenda_ics_reads_back_with_the_icalendar_package() {
    let ws = Ws::example();
    let ics = ws.run_ok(&["agenda", "--format", "ics"]);
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
    }
    // Stable UIDs: the same agenda twice gives the same calendar.
    assert_eq!(ics, ws.run_ok(&["agenda", "--format", "ics"]));
    ws.write("agenda.ics", &ics);
    let python = crate::ci_examples::validator("python3");
    let script = "import sys, icalendar\n\
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
        for c in cal.walk():\n\
        \x20   if c.name == 'VTODO':\n\
        \x20       print('VTODO', c['UID'], c.decoded('DUE').isoformat(), c['SUMMARY'])\n\
        \x20   elif c.name == 'VEVENT':\n\
        \x20       print('VEVENT', c['UID'], c.decoded('DTSTART').isoformat())\n";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(ws.path().join("agenda.ics"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "icalendar could not read the agenda (install it with scripts/test.sh, which pins icalendar==7.3.0 into target/validators):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(
        lines,
        vec![
            "VEVENT M2026-0005-S07@fresk 2026-06-18T06:30:00+00:00",
            "VTODO callback-transports-berthier@fresk 2026-06-15 call transports-berthier back: Ask whether the works council voted the budget",
            "VTODO callback-mairie-de-caluire@fresk 2026-06-15 call mairie-de-caluire back: Propose dates for a staff workshop in the autumn",
            "VTODO complaint-C2026-0001@fresk 2026-06-15 answer lycee-des-canuts's complaint with an action: The 2 June session ended 30 minutes late and two classes missed the canteen slot",
            "VTODO satisfaction-call-cc-coteaux-azergues@fresk 2026-06-15 first mission M2026-0006 closed on 2026-06-02: call cc-coteaux-azergues to measure their satisfaction",
        ]
    );
}

#[test]
fn organisation_show_is_the_client_file() {
    let ws = Ws::example();
    insta::assert_snapshot!(
        "organisation_show_mecanique",
        ws.run_ok(&["organisation", "show", "mecanique-du-rhone"])
    );
    let json: serde_json::Value = serde_json::from_str(&ws.run_ok(&[
        "organisation",
        "show",
        "mecanique-du-rhone",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["status"], "client");
    // F2026-0001 (4050.00) less the credit note AV2026-0001 (150.00), both paid in May.
    assert_eq!(
        json["revenue"],
        serde_json::json!([{ "year": 2026, "invoiced": "3900.00", "paid": "3900.00" }])
    );
    assert_eq!(json["interactions"][0]["satisfaction"], true);
    assert_eq!(json["open_callback"]["due"], "2026-09-01");
    // A lost prospect: its lost request and the reason.
    let lost: serde_json::Value = serde_json::from_str(&ws.run_ok(&[
        "organisation",
        "show",
        "transports-berthier",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(lost["status"], "prospect");
    assert_eq!(lost["lost"][0]["request"], "R2026-0002");
    assert!(lost["lost"][0]["reason"].is_string(), "{}", lost["lost"]);
    let prospect: serde_json::Value = serde_json::from_str(&ws.run_ok(&[
        "organisation",
        "show",
        "mairie-de-caluire",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(prospect["status"], "prospect");
    assert_eq!(prospect["requests"], serde_json::json!([]));
    assert_eq!(prospect["interactions"].as_array().unwrap().len(), 2);
}

/// The README's "A morning with `fresk agenda`" shows the real output on the demo.
#[test]
fn the_readme_morning_is_the_real_agenda() {
    let ws = Ws::example();
    let text = ws.run_ok(&["agenda"]);
    let readme = std::fs::read_to_string(crate::support::manifest_dir().join("README.md")).unwrap();
    let block = format!("$ FRESK_TODAY=2026-06-15 fresk -C examples/demo agenda\n{text}```");
    assert!(
        readme.contains(&block),
        "README.md's agenda differs from the real output:\n{text}"
    );
}

/// A complaint moves one step at a time through history too (`lint --base`), and its texts and
/// the interactions' are scanned for personal data like every tracked file.
#[test]
fn complaints_and_interactions_in_history_and_privacy() {
    let ws = Ws::base();
    let file = "complaints/2026/C2026-0001.yaml";
    ws.write(
        file,
        "id: C2026-0001\nstate: received\norganisation: acme\nreceived: 2026-06-14 09:00\nsummary: Late start\n",
    );
    let date = Some("2026-06-14T10:00:00+02:00");
    crate::support::git(&ws, date, &["init", "-q", "-b", "main"]);
    crate::support::git(&ws, date, &["add", "-A"]);
    crate::support::git(&ws, date, &["commit", "-q", "-m", "base"]);
    crate::support::git(&ws, date, &["checkout", "-q", "-b", "change"]);
    // Straight to closed, skipping acknowledged and resolved.
    ws.edit(file, "state: received", "state: closed");
    let text = ws.read(file)
        + "acknowledged: 2026-06-14 10:00\nresolved: 2026-06-15\naction: Apology\nclosed: 2026-06-15\n";
    ws.write(file, &text);
    crate::support::git(&ws, date, &["commit", "-q", "-am", "close"]);
    let lint = ws.lint_args(&["--base", "main"]);
    lint.expect("illegal-transition", file, 2, 8);
    // Complaints and interactions are staff's: a coordinator's change is refused.
    let lint = ws.lint_args(&["--base", "main", "--actor", "cleo@example.org"]);
    let f = lint.expect("not-allowed", file, 2, 8);
    assert!(
        f.message.contains("complaints are handled by staff"),
        "{}",
        f.message
    );
    ws.write(
        "interactions/acme/2026.yaml",
        "organisation: acme\nyear: 2026\nentries:\n  - { at: 2026-06-10 10:00, channel: phone, summary: Call }\n",
    );
    crate::support::git(&ws, date, &["add", "-A"]);
    crate::support::git(&ws, date, &["commit", "-q", "-m", "log"]);
    let lint = ws.lint_args(&["--base", "main", "--actor", "cleo@example.org"]);
    assert!(
        lint.of("not-allowed")
            .iter()
            .any(|f| f.file == "interactions/acme/2026.yaml"),
        "{}",
        lint.listing()
    );

    ws.write(
        "interactions/acme/2026.yaml",
        "organisation: acme\nyear: 2026\nentries:\n  - { at: 2026-06-10 10:00, channel: phone, summary: Call her at jane.doe@gmail.com }\n",
    );
    let lint = ws.lint();
    lint.expect(
        "personal-data-tracked",
        "interactions/acme/2026.yaml",
        4,
        54,
    );
}

/// The shape of interactions and complaints comes from their schemas, with exact positions.
#[test]
fn interaction_and_complaint_shapes() {
    let ws = Ws::example();
    ws.write(
        "interactions/mjc-des-pentes/2026.yaml",
        "organisation: mjc-des-pentes\nyear: 2026\nentries:\n  - { at: 2026-06-10 10:00, chanel: phone, summary: Call }\n  - { at: 2026-06-11, channel: fax, summary: Fax }\n",
    );
    ws.write(
        "complaints/2026/C2026-0002.yaml",
        "id: C2026-0002\nstate: open\norganisation: mjc-des-pentes\nreceived: 2026-06-14 09:00\n",
    );
    let lint = ws.lint();
    let file = "interactions/mjc-des-pentes/2026.yaml";
    lint.expect("unknown-field", file, 4, 29);
    lint.expect("bad-date", file, 5, 11);
    lint.expect("bad-enum", file, 5, 32);
    let complaint = "complaints/2026/C2026-0002.yaml";
    lint.expect("bad-enum", complaint, 2, 8);
    lint.expect("missing-field", complaint, 1, 1);
}

/// `contact log` and `complaint new` write through the one write path: `--commit` commits
/// exactly the file written, `--branch` on a new branch.
#[test]
fn crm_commands_commit_and_branch() {
    let ws = Ws::example();
    let date = Some("2026-06-15T09:00:00+02:00");
    crate::support::git(&ws, date, &["init", "-q", "-b", "main"]);
    crate::support::git(&ws, date, &["add", "-A"]);
    crate::support::git(&ws, date, &["commit", "-q", "-m", "base"]);
    crate::support::git(&ws, None, &["config", "user.name", "Claire Fontaine"]);
    crate::support::git(&ws, None, &["config", "user.email", "claire@example.org"]);
    let out = ws.run_ok(&[
        "--commit",
        "contact",
        "log",
        "mjc-des-pentes",
        "--channel",
        "phone",
        "--summary",
        "Answered the request",
        "--contact",
        "Aurélie Masson",
    ]);
    assert!(out.contains("committed "), "{out}");
    let files = crate::support::git(&ws, None, &["show", "--name-only", "--format=%s", "HEAD"]);
    assert_eq!(
        files.trim(),
        "phone with mjc-des-pentes logged in interactions/mjc-des-pentes/2026.yaml\n\ninteractions/mjc-des-pentes/2026.yaml"
    );
    ws.run_ok(&[
        "--branch",
        "complaint-mjc",
        "complaint",
        "new",
        "mjc-des-pentes",
        "--summary",
        "No answer for two days",
    ]);
    let branch = crate::support::git(&ws, None, &["branch", "--show-current"]);
    assert_eq!(branch.trim(), "complaint-mjc");
    let files = crate::support::git(&ws, None, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.trim(), "complaints/2026/C2026-0002.yaml");
}
