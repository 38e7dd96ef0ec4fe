//! `fresk payout …` and `fresk invoice …` on copies of the example workspace (examples/demo; see
//! its README for which mission, payout and invoice is in which state). Today is 2026-06-15
//! unless a test moves it; every successful command is followed by a clean lint, every refusal
//! leaves the workspace byte-for-byte as it was.

use crate::support::*;
use std::collections::BTreeMap;
use std::process::Output;

const P06_M5: &str = "payouts/2026/P2026-06-M2026-0005.yaml";
const P06_M6: &str = "payouts/2026/P2026-06-M2026-0006.yaml";
const P05_M6: &str = "payouts/2026/P2026-05-M2026-0006.yaml";
const P07_M5: &str = "payouts/2026/P2026-07-M2026-0005.yaml";
const DRAFT_M6: &str = "invoices/2026/I-M2026-0006.yaml";
const F3: &str = "invoices/2026/F2026-0003.yaml";
const M6: &str = "missions/M2026-0006/mission.yaml";

fn run_at(ws: &Ws, today: &str, args: &[&str]) -> Output {
    ws.command()
        .env("FRESK_TODAY", today)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Run a command that must succeed (on `today`), then lint clean; return its stdout.
#[track_caller]
fn ok_at(ws: &Ws, today: &str, args: &[&str]) -> String {
    let out = run_at(ws, today, args);
    assert!(
        out.status.success(),
        "`fresk {}` failed ({:?}):\nstdout: {}\nstderr: {}",
        args.join(" "),
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    ws.lint().expect_clean();
    text(&out.stdout)
}

#[track_caller]
fn ok(ws: &Ws, args: &[&str]) -> String {
    ok_at(ws, TODAY, args)
}

/// Run a command that must be refused (exit 1) and change nothing; return its stderr.
#[track_caller]
fn refused_at(ws: &Ws, today: &str, args: &[&str]) -> String {
    refused_at_code(ws, today, args, 1)
}

/// The same for a usage error: exit code 2, nothing changed.
#[track_caller]
fn usage_refused_at(ws: &Ws, today: &str, args: &[&str]) -> String {
    refused_at_code(ws, today, args, 2)
}

#[track_caller]
fn refused_at_code(ws: &Ws, today: &str, args: &[&str], code: i32) -> String {
    text(&refused_by(ws, args, code, || run_at(ws, today, args)).stderr)
}

#[track_caller]
fn refused(ws: &Ws, args: &[&str]) -> String {
    refused_at(ws, TODAY, args)
}

/// Every self-invoice number of every payout, per person: the sequence numbers in file order.
fn self_invoice_numbers(ws: &Ws) -> BTreeMap<String, Vec<u32>> {
    let mut out: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (rel, bytes) in tree(ws) {
        if !rel.starts_with("payouts/") {
            continue;
        }
        let text = text(&bytes);
        for part in text.split("number: AF-").skip(1) {
            let number: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let (person, seq) = number.rsplit_once('-').unwrap();
            out.entry(person.to_string())
                .or_default()
                .push(seq.parse().unwrap());
        }
    }
    out
}

/// No number twice, and 1, 2, 3… without holes, in every person's series.
#[track_caller]
fn assert_gapless(ws: &Ws) -> BTreeMap<String, Vec<u32>> {
    let mut numbers = self_invoice_numbers(ws);
    for (person, seqs) in &mut numbers {
        seqs.sort_unstable();
        let expected: Vec<u32> = (1..=seqs.len() as u32).collect();
        assert_eq!(*seqs, expected, "series of {person}");
    }
    numbers
}

// --- payout request -----------------------------------------------------------------------

#[test]
fn payout_request_computes_the_lines_and_says_what_is_left_out() {
    let ws = Ws::example();
    // July: S01 and S02 (whose first request was rejected) are due again; S07 and S08 ended but
    // are not recorded as held; Sophie is a volunteer; the mission is still open.
    let out = ok_at(
        &ws,
        "2026-07-01",
        &["payout", "request", "--mission", "M2026-0005"],
    );
    insta::assert_snapshot!("request_file", ws.read(P07_M5));
    insta::assert_snapshot!("request_output", out);
}

#[test]
fn payout_request_refuses_a_second_request_in_the_month() {
    let ws = Ws::example();
    let err = refused(&ws, &["payout", "request", "--mission", "M2026-0005"]);
    assert!(
        err.contains("P2026-06-M2026-0005 (requested 2026-06-03, requested)")
            && err.contains("max_requests_per_month")
            && err.contains("possible from 2026-07-01")
            && err.contains("M2026-0005-S01  ines-moreau"),
        "{err}"
    );
    insta::assert_snapshot!("request_monthly_limit", err);
}

#[test]
fn payout_request_refuses_when_nothing_is_due_and_says_why_per_session() {
    let ws = Ws::example();
    let err = refused_at(
        &ws,
        "2026-07-01",
        &["payout", "request", "--mission", "M2026-0003"],
    );
    insta::assert_snapshot!("request_nothing_due", err);
}

#[test]
fn payout_request_refuses_another_month() {
    let ws = Ws::example();
    let err = refused_at(
        &ws,
        "2026-07-01",
        &[
            "payout",
            "request",
            "--mission",
            "M2026-0005",
            "--month",
            "2026-06",
        ],
    );
    assert!(
        err.contains("--month 2026-06") && err.contains("today, 2026-07-01"),
        "{err}"
    );
    // The current month is accepted.
    ok_at(
        &ws,
        "2026-07-01",
        &[
            "payout",
            "request",
            "--mission",
            "M2026-0005",
            "--month",
            "2026-07",
        ],
    );
    assert!(ws.path().join(P07_M5).is_file());
}

#[test]
fn payout_request_refuses_an_unknown_mission() {
    let ws = Ws::example();
    let err = refused(&ws, &["payout", "request", "--mission", "M2026-0055"]);
    assert!(err.contains("did you mean `M2026-0005`"), "{err}");
    let err = usage_refused(&ws, &["payout", "request"]);
    assert!(err.contains("missing --mission"), "{err}");
}

#[test]
fn a_further_request_in_the_month_takes_a_suffix_when_the_policy_allows_it() {
    let ws = Ws::example();
    ws.edit(
        "fresk.yaml",
        "max_requests_per_month: 1",
        "max_requests_per_month: 2",
    );
    ok(&ws, &["payout", "request", "--mission", "M2026-0005"]);
    let file = "payouts/2026/P2026-06-M2026-0005-2.yaml";
    insta::assert_snapshot!("request_suffix", ws.read(file));
    // The third of the month is one too many.
    let err = refused(&ws, &["payout", "request", "--mission", "M2026-0005"]);
    assert!(
        err.contains("already has 2 payout request(s) in 2026-06"),
        "{err}"
    );
}

#[test]
fn the_coordination_line_is_requested_once_the_mission_is_closed() {
    let ws = Ws::example();
    // M2026-0006 is closed; drop its coordination request to ask for it again.
    ws.remove(P06_M6);
    let out = ok(&ws, &["payout", "request", "--mission", "M2026-0006"]);
    insta::assert_snapshot!("request_coordination", ws.read(P06_M6));
    assert!(
        out.contains("coordination  antoine-roux  4 sessions  400.00"),
        "{out}"
    );
}

#[test]
fn payout_request_leaves_out_people_who_cannot_be_self_billed() {
    let ws = Ws::example();
    // Sophie has no billing details and no mandate: paid on S02, she must invoice herself.
    ws.edit(
        "missions/M2026-0005/sessions/M2026-0005-S02.yaml",
        "{ person: sophie-lambert, role: co, status: volunteer }",
        "{ person: sophie-lambert, role: co, status: paid }",
    );
    ws.lint().expect_clean();
    let out = ok_at(
        &ws,
        "2026-07-01",
        &["payout", "request", "--mission", "M2026-0005"],
    );
    assert!(
        out.contains(
            "M2026-0005-S02  sophie-lambert               no billing details, no self-billing mandate (they must send their own invoice)"
        ),
        "{out}"
    );
    assert!(!ws.read(P07_M5).contains("sophie-lambert"));
}

#[test]
fn payout_request_dry_run_prints_the_file_and_writes_nothing() {
    let ws = Ws::example();
    let before = tree(&ws);
    let out = run_at(
        &ws,
        "2026-07-01",
        &["--dry-run", "payout", "request", "--mission", "M2026-0005"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("+++ b/payouts/2026/P2026-07-M2026-0005.yaml")
            && stdout.contains(
                "+  - { session: M2026-0005-S01, person: ines-moreau, role: lead, amount: 500 }"
            ),
        "{stdout}"
    );
    assert!(before == tree(&ws), "--dry-run wrote files");
}

// --- payout invoice -----------------------------------------------------------------------

#[test]
fn payout_invoice_numbers_every_requested_payout() {
    let ws = Ws::example();
    let out = ok(&ws, &["payout", "invoice", "--date", "2026-06-16"]);
    insta::assert_snapshot!("invoice_output", out);
    insta::assert_snapshot!("invoice_p06_m5", ws.read(P06_M5));
    insta::assert_snapshot!("invoice_p06_m6", ws.read(P06_M6));
    let numbers = assert_gapless(&ws);
    assert_eq!(numbers["lucas-bernard"], [1, 2, 3, 4]);
    assert_eq!(numbers["antoine-roux"], [1, 2, 3]);
    // Nothing left to number: a second run assigns nothing.
    let before = tree(&ws);
    let out = ok(&ws, &["payout", "invoice"]);
    assert!(out.contains("nothing to number"), "{out}");
    assert!(before == tree(&ws));
}

#[test]
fn two_payout_invoice_runs_never_assign_the_same_number() {
    let ws = Ws::example();
    ok(
        &ws,
        &[
            "payout",
            "invoice",
            "--payout",
            "P2026-06-M2026-0005",
            "--date",
            "2026-06-16",
        ],
    );
    // In July, S01 (Inès) and S02 (Lucas) are requested again, then numbered in a second run.
    ok_at(
        &ws,
        "2026-07-01",
        &["payout", "request", "--mission", "M2026-0005"],
    );
    ok_at(&ws, "2026-07-02", &["payout", "invoice"]);
    let numbers = assert_gapless(&ws);
    assert_eq!(numbers["lucas-bernard"], [1, 2, 3, 4, 5]);
    assert_eq!(numbers["ines-moreau"], [1, 2]);
    assert_eq!(numbers["antoine-roux"], [1, 2, 3]);
    let july = ws.read(P07_M5);
    assert!(
        july.contains(
            "  - { person: ines-moreau, number: AF-ines-moreau-0002, issued: 2026-07-02, total: 500 }\n  - { person: lucas-bernard, number: AF-lucas-bernard-0005, issued: 2026-07-02, total: 500 }\n"
        ),
        "{july}"
    );
}

#[test]
fn concurrent_payout_invoice_runs_never_assign_the_same_number() {
    let ws = Ws::example();
    // Two requested payouts that both pay Lucas.
    ok_at(
        &ws,
        "2026-07-01",
        &["payout", "request", "--mission", "M2026-0005"],
    );
    let spawn = |payout: &str| {
        ws.command()
            .env("FRESK_TODAY", "2026-07-02")
            .args(["payout", "invoice", "--payout", payout])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("P2026-06-M2026-0005");
    let b = spawn("P2026-07-M2026-0005");
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    ws.lint().expect_clean();
    let numbers = assert_gapless(&ws);
    assert_eq!(numbers["lucas-bernard"], [1, 2, 3, 4, 5]);
    assert!(!ws.path().join(".fresk-numbering.lock").exists());
}

#[test]
fn payout_invoice_refuses_a_payout_that_is_not_requested() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &["payout", "invoice", "--payout", "P2026-05-M2026-0006"],
    );
    assert!(
        err.contains("payout P2026-05-M2026-0006 is `invoiced`, not `requested`")
            && err.contains("it may go to `ordered`, `paid`"),
        "{err}"
    );
}

#[test]
fn a_failed_payout_invoice_run_assigns_no_number() {
    let ws = Ws::example();
    // The first payout could be numbered, the second cannot: neither is.
    let err = refused(
        &ws,
        &[
            "payout",
            "invoice",
            "--payout",
            "P2026-06-M2026-0005",
            "--payout",
            "P2026-05-M2026-0005",
        ],
    );
    assert!(err.contains("P2026-05-M2026-0005 is `paid`"), "{err}");
    // Before the last number of Lucas' series (issued 2026-05-29): numbers follow dates.
    let err = refused(
        &ws,
        &[
            "payout",
            "invoice",
            "--payout",
            "P2026-06-M2026-0005",
            "--date",
            "2026-05-28",
        ],
    );
    assert!(
        err.contains("before payout P2026-06-M2026-0005 was requested (2026-06-03)"),
        "{err}"
    );
    ws.edit(P06_M5, "requested: 2026-06-03", "requested: 2026-05-27");
    let err = refused(
        &ws,
        &[
            "payout",
            "invoice",
            "--payout",
            "P2026-06-M2026-0005",
            "--date",
            "2026-05-28",
        ],
    );
    assert!(
        err.contains("AF-lucas-bernard-0003 was issued on 2026-05-29, after --date 2026-05-28"),
        "{err}"
    );
    assert_gapless(&ws);
}

#[test]
fn payout_invoice_refuses_a_person_who_cannot_be_self_billed() {
    let ws = Ws::example();
    ws.edit(
        P06_M5,
        "person: lucas-bernard, role: lead, amount: 500 }",
        "person: lucas-bernard, role: lead, amount: 500 }\n  - { session: M2026-0005-S02, person: julia-weber, role: co, amount: 250 }",
    );
    let err = refused(
        &ws,
        &["payout", "invoice", "--payout", "P2026-06-M2026-0005"],
    );
    assert!(
        err.contains("pays `julia-weber`, who cannot be self-billed: based outside France"),
        "{err}"
    );
}

// --- payout pay ---------------------------------------------------------------------------

#[test]
fn payout_pay_records_the_payment() {
    let ws = Ws::example();
    let out = ok(
        &ws,
        &[
            "payout",
            "pay",
            "P2026-05-M2026-0006",
            "--date",
            "2026-06-16",
            "--reference",
            "VIR-2026-06-16",
        ],
    );
    assert_eq!(
        out,
        "payout P2026-05-M2026-0006 paid on 2026-06-16 (2100.00, reference VIR-2026-06-16)\n"
    );
    insta::assert_snapshot!("pay_p05_m6", ws.read(P05_M6));
}

#[test]
fn payout_pay_refuses_what_is_not_invoiced_and_needs_date_and_reference() {
    let ws = Ws::example();
    let args = ["--date", "2026-06-16", "--reference", "VIR-1"];
    let err = refused(
        &ws,
        &[&["payout", "pay", "P2026-06-M2026-0005"][..], &args].concat(),
    );
    assert!(
        err.contains("is `requested`, so it cannot be marked paid")
            && err.contains("fresk payout invoice --payout P2026-06-M2026-0005"),
        "{err}"
    );
    let err = refused(
        &ws,
        &[&["payout", "pay", "P2026-05-M2026-0005"][..], &args].concat(),
    );
    assert!(
        err.contains("already paid on 2026-06-01 (reference VIR-2026-06-01)"),
        "{err}"
    );
    let err = refused(
        &ws,
        &[&["payout", "pay", "P2026-04-M2026-0005"][..], &args].concat(),
    );
    assert!(err.contains("it was rejected"), "{err}");
    let err = usage_refused(&ws, &["payout", "pay", "P2026-05-M2026-0006"]);
    assert!(err.contains("missing --date"), "{err}");
    let err = usage_refused(
        &ws,
        &[
            "payout",
            "pay",
            "P2026-05-M2026-0006",
            "--date",
            "2026-06-16",
        ],
    );
    assert!(err.contains("missing --reference"), "{err}");
    let err = refused(
        &ws,
        &[
            "payout",
            "pay",
            "P2026-05-M2026-0006",
            "--date",
            "2026-05-01",
            "--reference",
            "X",
        ],
    );
    assert!(err.contains("before the self-invoices"), "{err}");
}

// --- payout list --------------------------------------------------------------------------

#[test]
fn payout_list_filters_and_formats() {
    let ws = Ws::example();
    insta::assert_snapshot!("list_all", ok(&ws, &["payout", "list"]));
    insta::assert_snapshot!(
        "list_paid_csv",
        ok(
            &ws,
            &["payout", "list", "--state", "paid", "--format", "csv"]
        )
    );
    insta::assert_snapshot!(
        "list_person_json",
        ok(
            &ws,
            &[
                "payout",
                "list",
                "--person",
                "camille-dupont",
                "--from",
                "2026-04-01",
                "--format",
                "json"
            ]
        )
    );
    let out = ok(
        &ws,
        &[
            "payout",
            "list",
            "--mission",
            "M2026-0006",
            "--to",
            "2026-05-01",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    let err = usage_refused(&ws, &["payout", "list", "--state", "payed"]);
    assert!(
        err.contains("the states are requested, invoiced, ordered, paid, rejected"),
        "{err}"
    );
}

// --- comments survive -----------------------------------------------------------------------

const COMMENTED: &str = "\
# Demande de juin — écrite à la main, commentaires compris.
id: P2026-06-M2026-0005      # ne change jamais
mission: M2026-0005
state: requested   # en attente de validation

requested_by: ines-moreau
requested: 2026-06-03   # après S06
lines:
  # S06 : Lucas anime seul (Sophie bénévole)
  - { session: M2026-0005-S06, person: lucas-bernard, role: lead, amount: 500 }   # tarif atelier
# fin du fichier
";

#[test]
fn payout_invoice_and_pay_keep_every_comment_byte_for_byte() {
    let ws = Ws::example();
    ws.write(P06_M5, COMMENTED);
    ws.lint().expect_clean();
    ok(
        &ws,
        &[
            "payout",
            "invoice",
            "--payout",
            "P2026-06-M2026-0005",
            "--date",
            "2026-06-16",
        ],
    );
    // New fields go right after the last field, before the closing comment.
    let invoiced = COMMENTED
        .replace(
            "state: requested   # en attente",
            "state: invoiced   # en attente",
        )
        .replace(
            "# tarif atelier\n",
            "# tarif atelier\nself_invoices:\n  - { person: lucas-bernard, number: AF-lucas-bernard-0004, issued: 2026-06-16, total: 500 }\n",
        );
    assert_eq!(ws.read(P06_M5), invoiced);
    ok(
        &ws,
        &[
            "payout",
            "pay",
            "P2026-06-M2026-0005",
            "--date",
            "2026-06-20",
            "--reference",
            "VIR 2026-06-20: juin",
        ],
    );
    let paid = invoiced
        .replace(
            "state: invoiced   # en attente",
            "state: paid   # en attente",
        )
        .replace(
            "total: 500 }\n",
            "total: 500 }\npaid: { date: 2026-06-20, reference: \"VIR 2026-06-20: juin\" }\n",
        );
    assert_eq!(ws.read(P06_M5), paid);
}

#[test]
fn invoice_commands_keep_every_comment_byte_for_byte() {
    let ws = Ws::example();
    let draft = ws.read(DRAFT_M6);
    ok(&ws, &["invoice", "issue", "I-M2026-0006"]);
    ok(&ws, &["invoice", "send", "F2026-0003"]);
    let issued = draft
        .replace("id: I-M2026-0006", "id: F2026-0003")
        .replace("state: draft", "state: sent")
        + "issued: 2026-06-15\ndue: 2026-07-15\nsent: 2026-06-15\n";
    assert_eq!(ws.read(F3), issued);
}

// --- invoice draft ------------------------------------------------------------------------

#[test]
fn invoice_draft_bills_what_was_held() {
    let ws = Ws::example();
    let demo = ws.read(DRAFT_M6);
    ws.remove(DRAFT_M6);
    let out = ok(
        &ws,
        &[
            "invoice",
            "draft",
            "--mission",
            "M2026-0006",
            "--purchase-order",
            "EJ-2026-00418",
        ],
    );
    let file = ws.read(DRAFT_M6);
    insta::assert_snapshot!("draft_file", file);
    insta::assert_snapshot!("draft_output", out);
    // The same lines as the hand-made draft of the demo (which adds the participants' meals,
    // taxed at 10 %, by hand).
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("  - ") && !l.contains("offer: catering"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(lines(&file), lines(&demo));
}

#[test]
fn invoice_draft_keeps_ordered_quantities_of_free_lines_and_offers_without_sessions() {
    let ws = Ws::example();
    ws.remove(DRAFT_M6);
    ws.edit(
        "requests/2026/R2026-0006.yaml",
        "    - { offer: workshop-online, quantity: 2 }\n",
        "    - { offer: workshop-online, quantity: 3 }\n    - { offer: travel-flat, quantity: 2 }\n    - { label: \"Location de salle, 1 jour\", quantity: 1, unit_price: 80.5 }\n",
    );
    ws.edit(
        M6,
        "  - { offer: workshop-online, quantity: 2, unit_price: 900 }\n",
        "  - { offer: workshop-online, quantity: 3, unit_price: 900 }\n  - { offer: travel-flat, quantity: 2, unit_price: 150 }\n  - { label: \"Location de salle, 1 jour\", quantity: 1, unit_price: 80.5 }\n",
    );
    ws.lint().expect_clean();
    let out = ok(&ws, &["invoice", "draft", "--mission", "M2026-0006"]);
    insta::assert_snapshot!("draft_free_lines_file", ws.read(DRAFT_M6));
    insta::assert_snapshot!("draft_free_lines_output", out);
}

#[test]
fn invoice_draft_refusals() {
    let ws = Ws::example();
    let err = refused(&ws, &["invoice", "draft", "--mission", "M2026-0005"]);
    assert!(
        err.contains("mission M2026-0005 is open") && err.contains("fresk mission close"),
        "{err}"
    );
    let err = refused(&ws, &["invoice", "draft", "--mission", "M2026-0006"]);
    assert!(
        err.contains("already has the draft I-M2026-0006 (invoices/2026/I-M2026-0006.yaml)"),
        "{err}"
    );
    let err = refused(&ws, &["invoice", "draft", "--mission", "M2026-0003"]);
    assert!(
        err.contains("already has the invoice F2026-0001")
            && err.contains("fresk invoice credit F2026-0001"),
        "{err}"
    );
    let err = usage_refused(&ws, &["invoice", "draft"]);
    assert!(err.contains("missing --mission"), "{err}");
}

// --- invoice issue ------------------------------------------------------------------------

#[test]
fn invoice_issue_numbers_renames_and_invoices_the_mission() {
    let ws = Ws::example();
    let out = ok(&ws, &["invoice", "issue", "I-M2026-0006"]);
    assert_eq!(
        out,
        "invoice I-M2026-0006 issued as F2026-0003 on 2026-06-15, due 2026-07-15 (7032.00 excl. VAT); mission M2026-0006 invoiced\n"
    );
    assert!(!ws.path().join(DRAFT_M6).exists());
    insta::assert_snapshot!("issue_file", ws.read(F3));
    assert_eq!(
        ws.read(M6),
        std::fs::read_to_string(manifest_dir().join("examples/demo").join(M6))
            .unwrap()
            .replace("state: closed", "state: invoiced")
    );
}

#[test]
fn invoice_issue_refusals() {
    let ws = Ws::example();
    let err = refused(&ws, &["invoice", "issue", "F2026-0001"]);
    assert!(
        err.contains("invoice F2026-0001 is `paid`, so it cannot become `issued`"),
        "{err}"
    );
    // F2026-0002 was issued on 2026-04-10: the next number cannot be dated before it.
    let err = refused(
        &ws,
        &["invoice", "issue", "I-M2026-0006", "--date", "2026-04-01"],
    );
    assert!(
        err.contains("F2026-0002 was issued on 2026-04-10, after --date 2026-04-01"),
        "{err}"
    );
    // Its mission must be closed.
    ws.edit(M6, "state: closed", "state: open");
    ws.edit(M6, "closed: 2026-06-02\n", "");
    ws.remove(P06_M6);
    ws.lint().expect_clean();
    let err = refused(&ws, &["invoice", "issue", "I-M2026-0006"]);
    assert!(err.contains("mission M2026-0006 is still open"), "{err}");
    let err = refused(&ws, &["invoice", "issue", "I-M2026-0009"]);
    assert!(err.contains("did you mean `I-M2026-0006`"), "{err}");
}

// --- invoice send, remind, pay --------------------------------------------------------------

#[test]
fn invoice_send_remind_and_pay_follow_the_lifecycle() {
    let ws = Ws::example();
    let err = refused(&ws, &["invoice", "send", "I-M2026-0006"]);
    assert!(err.contains("fresk invoice issue I-M2026-0006"), "{err}");
    ok(&ws, &["invoice", "issue", "I-M2026-0006"]);
    // Not sent yet: no reminder, no payment.
    let err = refused(&ws, &["invoice", "remind", "F2026-0003"]);
    assert!(err.contains("fresk invoice send F2026-0003"), "{err}");
    let err = refused(
        &ws,
        &[
            "invoice",
            "pay",
            "F2026-0003",
            "--date",
            "2026-06-20",
            "--reference",
            "X",
        ],
    );
    assert!(
        err.contains("is `issued`, so it cannot become `paid`")
            && err.contains("fresk invoice send F2026-0003"),
        "{err}"
    );
    let out = ok(
        &ws,
        &["invoice", "send", "F2026-0003", "--date", "2026-06-16"],
    );
    assert_eq!(
        out,
        "invoice F2026-0003 sent on 2026-06-16, due 2026-07-15\n"
    );
    let err = refused(&ws, &["invoice", "send", "F2026-0003"]);
    assert!(err.contains("already sent on 2026-06-16"), "{err}");
    // Before and on the due date: refused, naming it.
    let err = refused_at(&ws, "2026-07-15", &["invoice", "remind", "F2026-0003"]);
    assert!(
        err.contains("it is due on 2026-07-15, so the first possible reminded-1 is on 2026-07-16"),
        "{err}"
    );
    let out = ok_at(&ws, "2026-07-20", &["invoice", "remind", "F2026-0003"]);
    assert_eq!(
        out,
        "invoice F2026-0003 reminded-1 on 2026-07-20 (5 days past its due date 2026-07-15)\n"
    );
    // On hold: the next step waits.
    ws.edit(F3, "sent: 2026-06-16\n", "sent: 2026-06-16\nhold: true\n");
    let err = refused_at(&ws, "2026-08-20", &["invoice", "remind", "F2026-0003"]);
    assert!(
        err.contains("on hold (`hold: true`") && err.contains("reminded-2"),
        "{err}"
    );
    ws.edit(F3, "hold: true\n", "hold: false\n");
    ok_at(&ws, "2026-08-20", &["invoice", "remind", "F2026-0003"]);
    let err = usage_refused(
        &ws,
        &["invoice", "pay", "F2026-0003", "--date", "2026-08-25"],
    );
    assert!(err.contains("missing --reference"), "{err}");
    ok(
        &ws,
        &[
            "invoice",
            "pay",
            "F2026-0003",
            "--date",
            "2026-08-25",
            "--reference",
            "Mandat administratif 2026-1234",
        ],
    );
    insta::assert_snapshot!("paid_after_reminders", ws.read(F3));
    let err = refused(&ws, &["invoice", "remind", "F2026-0003"]);
    assert!(err.contains("it is paid"), "{err}");
}

#[test]
fn credit_notes_are_never_dunned() {
    let ws = Ws::example();
    let err = refused(&ws, &["invoice", "remind", "AV2026-0001"]);
    assert!(err.contains("credit notes are never dunned"), "{err}");
}

// --- invoice credit -----------------------------------------------------------------------

#[test]
fn invoice_credit_drafts_a_credit_note_issued_in_its_own_series() {
    let ws = Ws::example();
    let out = ok(
        &ws,
        &[
            "invoice",
            "credit",
            "F2026-0001",
            "--reason",
            "Remise commerciale : un atelier offert",
        ],
    );
    assert!(
        out.contains("fresk invoice issue I-credit-F2026-0001"),
        "{out}"
    );
    let draft = "invoices/2026/I-credit-F2026-0001.yaml";
    insta::assert_snapshot!("credit_draft", ws.read(draft));
    let err = refused(&ws, &["invoice", "credit", "F2026-0001"]);
    assert!(
        err.contains("already has a credit-note draft, I-credit-F2026-0001"),
        "{err}"
    );
    // Credit one workshop only, then issue it: the next credit-note number.
    ws.edit(
        draft,
        "  - { offer: workshop-onsite, quantity: 3, unit_price: 1200 }\n  - { offer: travel-flat, quantity: 3, unit_price: 150 }\n",
        "  - { offer: workshop-onsite, quantity: 1, unit_price: 1200 }\n",
    );
    let out = ok(&ws, &["invoice", "issue", "I-credit-F2026-0001"]);
    assert_eq!(
        out,
        "credit note I-credit-F2026-0001 issued as AV2026-0002 on 2026-06-15, due 2026-07-15 (1200.00 excl. VAT)\n"
    );
    assert!(!ws.path().join(draft).exists());
    insta::assert_snapshot!("credit_issued", ws.read("invoices/2026/AV2026-0002.yaml"));
}

#[test]
fn a_credit_note_for_the_whole_of_an_unpaid_invoice_cancels_it() {
    let ws = Ws::example();
    ok(&ws, &["invoice", "issue", "I-M2026-0006"]);
    ok(&ws, &["invoice", "send", "F2026-0003"]);
    ok(&ws, &["invoice", "credit", "F2026-0003"]);
    let out = ok(&ws, &["invoice", "issue", "I-credit-F2026-0003"]);
    assert!(
        out.contains("issued as AV2026-0002")
            && out.contains("invoice F2026-0003 cancelled in full"),
        "{out}"
    );
    assert!(ws.read(F3).contains("state: cancelled\n"));
    let err = refused(&ws, &["invoice", "credit", "F2026-0003"]);
    assert!(err.contains("already cancelled"), "{err}");
}

#[test]
fn invoice_credit_refusals() {
    let ws = Ws::example();
    let err = refused(&ws, &["invoice", "credit", "I-M2026-0006"]);
    assert!(
        err.contains("is a draft: edit or delete the draft"),
        "{err}"
    );
    let err = refused(&ws, &["invoice", "credit", "AV2026-0001"]);
    assert!(err.contains("AV2026-0001 is a credit note"), "{err}");
}

// --- invoice list -------------------------------------------------------------------------

#[test]
fn invoice_list_filters_and_formats() {
    let ws = Ws::example();
    let err = refused(
        &ws,
        &["invoice", "issue", "I-M2026-0006", "--date", "2026-06-01"],
    );
    assert!(
        err.contains("before mission M2026-0006 was closed (2026-06-02)"),
        "{err}"
    );
    ok(
        &ws,
        &["invoice", "issue", "I-M2026-0006", "--date", "2026-06-02"],
    );
    ok(
        &ws,
        &["invoice", "send", "F2026-0003", "--date", "2026-06-03"],
    );
    // A month later, F2026-0003 is 8 days overdue.
    insta::assert_snapshot!(
        "invoice_list_all",
        ok_at(&ws, "2026-07-10", &["invoice", "list"])
    );
    insta::assert_snapshot!(
        "invoice_list_sent_json",
        ok_at(
            &ws,
            "2026-07-10",
            &["invoice", "list", "--state", "sent", "--format", "json"]
        )
    );
    let out = ok(
        &ws,
        &[
            "invoice",
            "list",
            "--from",
            "2026-04-09",
            "--to",
            "2026-04-30",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        out.lines()
            .map(|l| l.split(',').next().unwrap())
            .collect::<Vec<_>>(),
        ["id", "F2026-0002", "AV2026-0001"]
    );
    let err = usage_refused(&ws, &["invoice", "list", "--state", "reminded"]);
    assert!(err.contains("the states are draft, issued"), "{err}");
}

#[test]
fn payout_and_invoice_lists_refuse_a_from_after_the_to() {
    let ws = Ws::example();
    for list in [["payout", "list"], ["invoice", "list"]] {
        let mut args = list.to_vec();
        args.extend(["--from", "2026-06-01", "--to", "2026-05-01"]);
        let err = usage_refused(&ws, &args);
        assert!(
            err.contains("--from 2026-06-01 is after --to 2026-05-01; give the earlier date first"),
            "{list:?}: {err}"
        );
    }
}

#[track_caller]
fn usage_refused(ws: &Ws, args: &[&str]) -> String {
    usage_refused_at(ws, TODAY, args)
}
