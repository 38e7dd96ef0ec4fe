//! The client relationship: interactions and callbacks, complaints, their rules.

use crate::support::{Ws, tree};

const INTERACTIONS: &str = "interactions/biscuiterie-lafont/2026.yaml";

fn fail(ws: &Ws, args: &[&str]) -> String {
    let before = tree(ws);
    let out = ws.run(args);
    assert!(
        !out.status.success(),
        "`fresk {}` succeeded",
        args.join(" ")
    );
    assert_eq!(before, tree(ws), "a refused command changed files");
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
    let json: serde_json::Value = serde_json::from_str(
        &ws.run_ok(&["callback", "list", "--due", "overdue", "--format", "json"]),
    )
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
    assert_eq!(none["callbacks"].as_array().unwrap().len(), 0);

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
    assert_eq!(after["callbacks"].as_array().unwrap().len(), 0);
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
        .related_at("organisations/biscuiterie-lafont.yaml", 8, 1);
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
    assert!(out.contains("complaint C2026-0001 of cc-coteaux-azergues received: complaints/2026/C2026-0001.yaml; acknowledge it within 48 h"), "{out}");
    let file = "complaints/2026/C2026-0001.yaml";
    assert_eq!(
        ws.read(file),
        "# yaml-language-server: $schema=../../schema/complaint.schema.json\nid: C2026-0001\nstate: received\norganisation: cc-coteaux-azergues\nreceived: 2026-06-14 09:00\nsummary: The workshop started 40 minutes late\nmission: M2026-0006\nowner: claire-fontaine\n"
    );
    // The mission is closed: a warning until the complaint is closed.
    let lint = ws.lint();
    lint.expect("complaint-open-mission-closed", file, 7, 10)
        .related_at("missions/M2026-0006/mission.yaml", 2, 8);
    lint.expect_none("complaint-not-acknowledged");

    let err = fail(&ws, &["complaint", "close", "C2026-0001"]);
    assert!(err.contains("complaint C2026-0001 is `received`, so it cannot become `closed`; its next step is `fresk complaint acknowledge C2026-0001`"), "{err}");
    let err = fail(
        &ws,
        &[
            "complaint",
            "acknowledge",
            "C2026-0001",
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
        "C2026-0001",
        "--at",
        "2026-06-14 17:00",
    ]);
    ws.run_ok(&[
        "complaint",
        "resolve",
        "C2026-0001",
        "--action",
        "Apology; 10% off the next workshop",
    ]);
    let out = ws.run_ok(&["complaint", "close", "C2026-0001"]);
    assert_eq!(out, "complaint C2026-0001 closed\n");
    assert!(ws.read(file).ends_with(
        "acknowledged: 2026-06-14 17:00\nresolved: 2026-06-15\naction: Apology; 10% off the next workshop\nclosed: 2026-06-15\n"
    ));
    ws.lint().expect_clean();
    let err = fail(
        &ws,
        &["complaint", "resolve", "C2026-0001", "--action", "again"],
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
