//! Self-service on requests: `fresk request publish --until`, `apply`, `withdraw`, `assign`
//! among the applicants, and the opportunities (`request list --open`, `fresk opportunities`)
//! on copies of the example workspace, where R2026-0009 (subcontracting, business: coordinate
//! needs green) is published until 2026-06-19 with applications from antoine-roux and
//! camille-dupont, and R2026-0011 (introduction, education) is published. Today is 2026-06-15.

use crate::support::*;
use std::process::Output;

const NOW: &str = "2026-06-15 12:00";
const R09: &str = "requests/2026/R2026-0009.yaml";
const R10: &str = "requests/2026/R2026-0010.yaml";
const R11: &str = "requests/2026/R2026-0011.yaml";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(ws: &Ws, args: &[&str]) -> Output {
    ws.command()
        .env("FRESK_NOW", NOW)
        .args(args)
        .output()
        .unwrap()
}

/// A command that must succeed, then lint clean; its stdout.
#[track_caller]
fn ok(ws: &Ws, args: &[&str]) -> String {
    let out = run(ws, args);
    assert!(
        out.status.success(),
        "`fresk {}` failed:\n{}{}",
        args.join(" "),
        text(&out.stdout),
        text(&out.stderr)
    );
    ws.lint().expect_clean();
    text(&out.stdout)
}

/// A command that must be refused (exit 1) and change nothing; its error.
#[track_caller]
fn refused(ws: &Ws, args: &[&str]) -> String {
    text(&refused_by(ws, args, 1, || run(ws, args)).stderr)
}

#[track_caller]
fn has(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "no `{needle}` in:\n{haystack}");
}

// --- publish --until ----------------------------------------------------------------------

#[test]
fn publish_records_the_day_and_the_deadline() {
    let ws = Ws::example();
    let out = ok(
        &ws,
        &["request", "publish", "R2026-0010", "--until", "2026-06-30"],
    );
    has(
        &out,
        "request R2026-0010 published: open to coordinators until 2026-06-30",
    );
    let file = ws.read(R10);
    has(&file, "state: published\n");
    has(&file, "published: 2026-06-15\n");
    has(&file, "apply_until: 2026-06-30\n");
}

#[test]
fn publish_refuses_a_deadline_in_the_past() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &["request", "publish", "R2026-0010", "--until", "2026-06-14"],
    );
    has(
        &err,
        "--until 2026-06-14 is before today (2026-06-15): nobody could apply",
    );
}

// --- apply --------------------------------------------------------------------------------

#[test]
fn apply_records_the_application_with_its_message() {
    let ws = Ws::example();
    let out = ok(
        &ws,
        &[
            "request",
            "apply",
            "R2026-0009",
            "--person",
            "ines-moreau",
            "--message",
            "Libre, le 17 septembre",
        ],
    );
    has(
        &out,
        "ines-moreau applied to coordinate request R2026-0009 on 2026-06-15 (2 earlier application(s))",
    );
    has(
        &ws.read(R09),
        "  - { person: camille-dupont, date: 2026-06-02, message: \"Disponible, avec une co-animatrice de Lyon\" }\n  - { person: ines-moreau, date: 2026-06-15, message: \"Libre, le 17 septembre\" }\n",
    );
}

#[test]
fn apply_refuses_a_second_application() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &["request", "apply", "R2026-0009", "--person", "antoine-roux"],
    );
    has(
        &err,
        "`antoine-roux` already applied to R2026-0009; to change the message, withdraw (`fresk request withdraw R2026-0009 --person antoine-roux`) and apply again",
    );
}

#[test]
fn apply_refuses_a_request_not_published() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &["request", "apply", "R2026-0010", "--person", "ines-moreau"],
    );
    has(
        &err,
        "cannot apply to R2026-0010: it is `won`, and only a published request takes applications (staff publish it with `fresk request publish R2026-0010`)",
    );
    let err = refused(
        &ws,
        &["request", "apply", "R2026-0003", "--person", "ines-moreau"],
    );
    has(
        &err,
        "cannot apply to R2026-0003: it is already assigned to",
    );
}

#[test]
fn apply_refuses_someone_without_the_role_or_the_level() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "request",
            "apply",
            "R2026-0009",
            "--person",
            "lucas-bernard",
        ],
    );
    has(
        &err,
        "`lucas-bernard` cannot apply to R2026-0009: `lucas-bernard` has roles [facilitator], not `coordinator`, which taking a request on the subcontracting track needs",
    );
    ws.edit("people/ines-moreau.yaml", "level: green", "level: orange");
    let err = refused(
        &ws,
        &["request", "apply", "R2026-0009", "--person", "ines-moreau"],
    );
    has(
        &err,
        "`ines-moreau` is level `orange`, but a business client requires `green` or higher (requirements.business.coordinate in fresk.yaml",
    );
}

#[test]
fn apply_refuses_after_the_deadline_and_in_the_future() {
    let ws = Ws::example();
    ws.edit(R09, "apply_until: 2026-06-19", "apply_until: 2026-06-12");
    let err = refused(
        &ws,
        &["request", "apply", "R2026-0009", "--person", "ines-moreau"],
    );
    has(
        &err,
        "applications to R2026-0009 closed on 2026-06-12 (apply_until)",
    );
    let err = refused(
        &ws,
        &[
            "request",
            "apply",
            "R2026-0011",
            "--person",
            "lucas-bernard",
            "--date",
            "2026-06-16",
        ],
    );
    has(&err, "--date 2026-06-16 is in the future");
}

#[test]
fn apply_refuses_an_unknown_person() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &["request", "apply", "R2026-0009", "--person", "ines-moro"],
    );
    has(&err, "ines-moreau");
}

// --- withdraw -----------------------------------------------------------------------------

#[test]
fn withdraw_removes_only_that_application() {
    let ws = Ws::example();
    let before = ws.read(R09);
    let out = ok(
        &ws,
        &[
            "request",
            "withdraw",
            "R2026-0009",
            "--person",
            "antoine-roux",
        ],
    );
    has(
        &out,
        "antoine-roux withdrew their application to R2026-0009",
    );
    let after = ws.read(R09);
    let gone: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
    assert_eq!(gone.len(), 1, "{after}");
    assert!(gone[0].contains("person: antoine-roux"), "{gone:?}");
    ok(
        &ws,
        &[
            "request",
            "withdraw",
            "R2026-0009",
            "--person",
            "camille-dupont",
        ],
    );
    assert!(!ws.read(R09).contains("applications"), "{}", ws.read(R09));
}

#[test]
fn withdraw_refuses_someone_who_did_not_apply_or_an_assigned_request() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "request",
            "withdraw",
            "R2026-0009",
            "--person",
            "ines-moreau",
        ],
    );
    has(
        &err,
        "`ines-moreau` has not applied to R2026-0009; the applicants are antoine-roux, camille-dupont",
    );
    ok(
        &ws,
        &[
            "request",
            "assign",
            "R2026-0009",
            "--coordinator",
            "antoine-roux",
        ],
    );
    let err = refused(
        &ws,
        &[
            "request",
            "withdraw",
            "R2026-0009",
            "--person",
            "camille-dupont",
        ],
    );
    has(
        &err,
        "cannot withdraw an application from R2026-0009: it is already assigned to antoine-roux",
    );
}

// --- assign -------------------------------------------------------------------------------

#[test]
fn assign_takes_an_applicant() {
    let ws = Ws::example();
    ok(
        &ws,
        &[
            "request",
            "assign",
            "R2026-0009",
            "--coordinator",
            "camille-dupont",
        ],
    );
    let file = ws.read(R09);
    has(&file, "state: assigned\n");
    has(&file, "coordinator: camille-dupont\n");
    has(&file, "assigned: 2026-06-15\n");
    assert!(!file.contains("without_application"), "{file}");
}

#[test]
fn assign_refuses_a_non_applicant_without_a_reason_and_records_it() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "request",
            "assign",
            "R2026-0009",
            "--coordinator",
            "ines-moreau",
        ],
    );
    has(
        &err,
        "`ines-moreau` did not apply to R2026-0009 (the applicants are antoine-roux, camille-dupont); choose an applicant, or say why with --without-application \"REASON\"",
    );
    ok(
        &ws,
        &[
            "request",
            "assign",
            "R2026-0009",
            "--coordinator",
            "ines-moreau",
            "--without-application",
            "the client asked for her",
        ],
    );
    has(
        &ws.read(R09),
        "without_application: the client asked for her\n",
    );
}

#[test]
fn mission_new_refuses_a_non_applicant_on_a_request_that_took_applications() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0009",
            "--coordinator",
            "ines-moreau",
        ],
    );
    has(
        &err,
        "request R2026-0009 took applications and `ines-moreau` is not among them",
    );
}

// --- opportunities ------------------------------------------------------------------------

#[test]
fn opportunities_as_json_is_an_object_with_a_version() {
    let ws = Ws::example();
    let out = ok(&ws, &["request", "list", "--open", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], "2026-06-15");
    let list = v["opportunities"].as_array().unwrap();
    let ids: Vec<&str> = list
        .iter()
        .map(|o| o["request"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["R2026-0009", "R2026-0011"]);
    let r09 = &list[0];
    assert_eq!(r09["sought"], "coordinator");
    assert_eq!(r09["sector"], "business");
    assert_eq!(r09["level"], "green");
    assert_eq!(r09["language"], "fr");
    assert_eq!(r09["apply_until"], "2026-06-19");
    assert_eq!(r09["open"], true);
    assert_eq!(
        r09["applicants"],
        serde_json::json!(["antoine-roux", "camille-dupont"])
    );
    assert_eq!(list[1]["sought"], "facilitator");
    // The alias prints the same.
    assert_eq!(ok(&ws, &["opportunities", "--format", "json"]), out);
}

#[test]
fn opportunities_for_a_person_keep_what_they_may_apply_to() {
    let ws = Ws::example();
    // lucas-bernard: facilitator (not coordinator), level orange.
    let out = ok(
        &ws,
        &["opportunities", "--for", "lucas-bernard", "--format", "csv"],
    );
    has(&out, "R2026-0011");
    assert!(!out.contains("R2026-0009"), "{out}");
    // ines-moreau: coordinator and green; a language she does not work in is left out.
    let out = ok(
        &ws,
        &["opportunities", "--for", "ines-moreau", "--format", "csv"],
    );
    has(&out, "R2026-0009");
    ws.edit(
        "people/ines-moreau.yaml",
        "level: green",
        "level: green\nlanguages: [en]",
    );
    let out = ok(
        &ws,
        &["opportunities", "--for", "ines-moreau", "--format", "csv"],
    );
    assert!(!out.contains("R2026-0009"), "{out}");
    // Past the deadline R2026-0009 is closed; R2026-0011 is in French.
    ws.edit(R09, "apply_until: 2026-06-19", "apply_until: 2026-06-12");
    let out = ok(&ws, &["opportunities", "--for", "ines-moreau"]);
    has(&out, "no published request open to `ines-moreau` today");
}

#[test]
fn opportunities_as_html_are_a_self_contained_page() {
    let ws = Ws::example();
    let page = ok(&ws, &["opportunities", "--format", "html"]);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    has(&page, "<article id=\"R2026-0009\">");
    has(
        &page,
        "<dt>Applicants</dt><dd>antoine-roux, camille-dupont</dd>",
    );
    has(
        &page,
        "Institut Rhône-Alpes d&#39;ingénierie durable (IRAID)",
    );
    for outside in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!page.contains(outside), "{outside} in:\n{page}");
    }
    let err = refused(&ws, &["request", "list", "--format", "html"]);
    has(
        &err,
        "--format html is the page of open opportunities: add --open",
    );
}

#[test]
fn an_application_is_one_command_and_one_commit_on_its_own_branch() {
    let ws = Ws::example();
    git(&ws, None, &["init", "-q", "-b", "main"]);
    git(&ws, None, &["add", "-A"]);
    git(&ws, None, &["commit", "-qm", "base"]);
    git(&ws, None, &["config", "user.name", "Lucas Bernard"]);
    git(&ws, None, &["config", "user.email", "lucas@example.org"]);
    let out = run(
        &ws,
        &[
            "request",
            "apply",
            "R2026-0011",
            "--person",
            "lucas-bernard",
            "--message",
            "Disponible",
            "--commit",
            "--branch",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let branch = git(&ws, None, &["rev-parse", "--abbrev-ref", "HEAD"]);
    assert_ne!(branch.trim(), "main");
    let files = git(&ws, None, &["show", "--name-only", "--format=%s", "HEAD"]);
    has(
        &files,
        "lucas-bernard applied to facilitate (contracting directly) request R2026-0011",
    );
    has(&files, R11);
    assert_eq!(
        files.trim().lines().filter(|l| !l.is_empty()).count(),
        2,
        "{files}"
    );
}

fn run_at(ws: &Ws, now: &str, args: &[&str]) -> String {
    let out = ws
        .command()
        .env("FRESK_NOW", now)
        .env("FRESK_TODAY", &now[..10])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`fresk {}`: {}",
        args.join(" "),
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[test]
fn the_requests_report_counts_applications_and_the_time_to_assign() {
    let ws = Ws::example();
    run_at(
        &ws,
        "2026-06-10 09:00",
        &["request", "publish", "R2026-0010", "--until", "2026-06-12"],
    );
    run_at(
        &ws,
        "2026-06-11 09:00",
        &["request", "apply", "R2026-0010", "--person", "ines-moreau"],
    );
    run_at(
        &ws,
        "2026-06-14 09:00",
        &[
            "request",
            "assign",
            "R2026-0010",
            "--coordinator",
            "ines-moreau",
        ],
    );
    let out = ok(&ws, &["report", "requests", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let report = if v.get("applications").is_some() {
        &v
    } else {
        &v["report"]
    };
    let rows = report["applications"]
        .as_array()
        .unwrap_or_else(|| panic!("{out}"));
    let r10 = rows.iter().find(|r| r["request"] == "R2026-0010").unwrap();
    assert_eq!(r10["applications"], 1);
    assert_eq!(r10["days_to_assignment"], 4);
    assert_eq!(r10["assignee_applied"], true);
    assert_eq!(report["median_days_publish_to_assignment"], 4);
    assert_eq!(report["no_applicant"], serde_json::json!(["R2026-0011"]));
}

#[test]
fn the_mission_dashboard_lists_the_applicants() {
    let ws = Ws::example();
    ok(
        &ws,
        &[
            "request",
            "assign",
            "R2026-0009",
            "--coordinator",
            "antoine-roux",
        ],
    );
    let out = ok(
        &ws,
        &[
            "mission",
            "new",
            "--request",
            "R2026-0009",
            "--coordinator",
            "antoine-roux",
        ],
    );
    let id = out
        .split_whitespace()
        .find(|w| w.starts_with("M2026-"))
        .unwrap()
        .trim_end_matches([':', ',', ';']);
    let out = ok(&ws, &["mission", "show", id]);
    has(
        &out,
        "Applicants: antoine-roux (2026-05-29), camille-dupont (2026-06-02)",
    );
    let out = ok(&ws, &["mission", "show", id, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["applicants"][1]["person"], "camille-dupont", "{out}");
}
