//! certificates-not-sent and survey-not-sent: the Qualiopi evidence of held sessions, read from
//! the `sent:` record `fresk mail` writes into the tracked session file.

use crate::support::*;

const S06: &str = "missions/M2026-0005/sessions/M2026-0005-S06.yaml";
const S05: &str = "missions/M2026-0005/sessions/M2026-0005-S05.yaml";

fn with_evidence(evidence: &str) -> Ws {
    let ws = Ws::example();
    let config = ws.read("fresk.yaml");
    ws.write("fresk.yaml", &format!("{config}evidence: {evidence}\n"));
    ws
}

#[test]
fn late_certificates_and_survey_are_warnings() {
    // Today is 2026-06-15; since 2026-05-15: four held sessions count, among them S05 (ended
    // 2026-05-19) and S06 (2026-06-02).
    let ws = with_evidence("{ since: 2026-05-15 }");
    let lint = ws.lint();
    let f = lint.expect("certificates-not-sent", S05, 4, 8);
    assert_eq!(f.severity, "warning");
    assert!(
        f.message.contains("due to be sent by 2026-05-26"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("fresk mail certificates M2026-0005-S05"),
        "{}",
        f.message
    );
    lint.expect("survey-not-sent", S05, 4, 8);
    lint.expect("certificates-not-sent", S06, 4, 8);
    assert_eq!(
        lint.of("certificates-not-sent").len(),
        4,
        "{}",
        lint.listing()
    );
    assert_eq!(lint.of("survey-not-sent").len(), 4, "{}", lint.listing());

    // What fresk mail records clears them, one kind at a time.
    let text = ws.read(S05);
    ws.write(
        S05,
        &format!("{text}sent: {{ certificates: {{ date: 2026-05-20, count: 20 }} }}\n"),
    );
    let lint = ws.lint();
    assert!(
        lint.of("certificates-not-sent")
            .iter()
            .all(|f| f.file != S05)
    );
    lint.expect("survey-not-sent", S05, 4, 8);
}

#[test]
fn the_delay_and_the_section_decide() {
    // A longer delay: S06, ended 2026-06-02, is not late before 2026-06-22.
    let ws = with_evidence("{ since: 2026-05-15, certificates_days: 20, survey_days: 20 }");
    let lint = ws.lint();
    assert!(
        lint.of("certificates-not-sent")
            .iter()
            .all(|f| f.file != S06)
    );
    lint.expect("certificates-not-sent", S05, 4, 8);
    // Without `evidence:` nothing is checked (the demo lints clean).
    Ws::example().lint().expect_clean();
}
