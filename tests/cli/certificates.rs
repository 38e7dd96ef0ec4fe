//! The certificat de réalisation of training actions (duration followed, evaluation), the
//! attendance certificate of workshops, `participants evaluate`, and the certificate of one
//! participant as a library call.

use crate::attendance::{FILE, ROSTER, SESSION, two_day_session};
use crate::attendance_sheet::pdf_text;
use crate::support::{TODAY, Ws, tree};

/// The two-day training session, held: Élise all of it, Bob the first day.
fn held() -> Ws {
    let ws = two_day_session();
    ws.run_ok(&[
        "session",
        "hold",
        SESSION,
        "--present",
        "elise@example.org",
        "--present",
        "bob@example.org=2026-06-10 am,2026-06-10 pm",
    ]);
    ws
}

#[test]
fn training_gets_the_certificat_de_realisation_with_the_duration_followed_and_the_evaluation() {
    let ws = held();
    let out = ws.run_ok(&[
        "participants",
        "evaluate",
        SESSION,
        "--participant",
        "bob@example.org",
        "--result",
        "partially",
    ]);
    assert!(
        out.contains("evaluation of participant 2 recorded (0 acquired, 1 partially"),
        "{out}"
    );
    assert!(!out.contains("Bob"), "no name in the summary");
    ws.run_ok(&[
        "participants",
        "evaluate",
        SESSION,
        "--participant",
        "Élise Durand",
        "--result",
        "14/20",
    ]);
    // The session file holds counts only.
    let session = ws.read(FILE);
    assert!(
        session.contains("evaluation: { acquired: 0, partially: 1, not_acquired: 0, scored: 1 }"),
        "{session}"
    );
    assert!(!session.contains("Bob") && !session.contains("example.org"));
    ws.lint().expect_clean();
    // Counts edited by hand disagree with the roster: a warning pointing at both.
    ws.edit(
        FILE,
        "acquired: 0, partially: 1",
        "acquired: 2, partially: 1",
    );
    let lint = ws.lint();
    let f = lint.expect("roster-evaluation", FILE, 18, 13);
    assert!(
        f.message.contains("counts 2 acquired, 1 partially"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("records 0 acquired, 1 partially"),
        "{}",
        f.message
    );
    f.related_at(ROSTER, 2, 1);
}

#[test]
fn the_pdf_of_each_trainee_reads_as_the_official_model() {
    let ws = held();
    ws.run_ok(&[
        "participants",
        "evaluate",
        SESSION,
        "--participant",
        "bob@example.org",
        "--result",
        "partially",
    ]);
    ws.run_ok(&["render", "certificate", SESSION, "--out-dir", "certs"]);
    let read = |n: &str| {
        let bytes =
            std::fs::read(ws.path().join(format!("certs/ATT-M2026-0005-S08-{n}.pdf"))).unwrap();
        crate::support::pdf_text(&bytes)
    };
    let bob = read("02");
    for part in [
        "Certificat de réalisation",
        "Je soussigné·e Claire Fontaine, coordinatrice administrative, représentant le dispensateur de l'action concourant au développement des compétences Fresques en Rhône, atteste que Bob Martin a suivi l'action « Formation animateur·ice (1 jour) », qui s'est déroulée du 10/06/2026 au 11/06/2026, pour une durée de 8 heure(s).",
        "[X] action de formation",
        "[ ] bilan de compétences",
        "[ ] action de validation des acquis de l'expérience",
        "[ ] action de formation par apprentissage",
        "Durée 16 heure(s)",
        "Durée suivie 8 heure(s)",
        "Évaluation des acquis Partiellement acquis",
        "Fait à Lyon, le 15/06/2026",
    ] {
        assert!(bob.contains(part), "`{part}` not in:\n{bob}");
    }
    let elise = read("01");
    assert!(
        elise.contains("atteste que Élise Durand, salarié·e de Lycée Ampère, a suivi l'action"),
        "{elise}"
    );
    assert!(elise.contains("pour une durée de 16 heure(s)"));
    assert!(!elise.contains("Durée suivie"), "she followed all of it");
    assert!(!elise.contains("Évaluation des acquis"), "not evaluated");
    assert!(
        !ws.path().join("certs/ATT-M2026-0005-S08-03.pdf").exists(),
        "Zoé did not attend"
    );
}

#[test]
fn workshops_keep_the_attendance_certificate() {
    let ws = Ws::example();
    ws.write(
        "private/rosters/M2026-0005-S01.yaml",
        "participants:\n  - { name: Ada Lovelace, email: ada@example.org }\n",
    );
    let text = pdf_text(&ws, &["certificate", "M2026-0005-S01"]);
    assert!(text.contains("Attestation de participation"), "{text}");
    assert!(text.contains("atteste que Ada Lovelace a participé à l'action suivante"));
    assert!(!text.contains("Certificat de réalisation"));
}

#[test]
fn evaluate_refuses_bad_results_and_unknown_participants() {
    let ws = held();
    let before = tree(&ws);
    // A value that is not an evaluation is a usage error (2); an unknown participant, a refusal (1).
    for (args, says, code) in [
        (
            ["--participant", "bob@example.org", "--result", "great"],
            "--result: `great` is not an evaluation",
            2,
        ),
        (
            [
                "--participant",
                "nobody@example.org",
                "--result",
                "acquired",
            ],
            "--participant nobody@example.org: no participant",
            1,
        ),
        (
            ["--participant", "bob@example.org", "--result", "21/20"],
            "not an evaluation",
            2,
        ),
    ] {
        let mut all = vec!["participants", "evaluate", SESSION];
        all.extend(args);
        let out = ws.run(&all);
        assert_eq!(out.status.code(), Some(code), "{all:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }
    assert_eq!(before, tree(&ws));
    assert!(ws.read(ROSTER).contains("bob@example.org"));
}

#[test]
fn one_participants_certificate_is_a_library_call() {
    let ws = held();
    let loaded = fresk::workspace::load_uncached(ws.path()).unwrap();
    let today = fresk::model::Date::parse(TODAY).unwrap();
    let doc = fresk::render::participant_certificate(
        ws.path(),
        &loaded,
        today,
        SESSION,
        "BOB@example.org",
        Some("en"),
    )
    .unwrap();
    assert_eq!(doc.stem, "ATT-M2026-0005-S08-02");
    assert!(doc.html.contains("Bob Martin"));
    assert!(doc.html.contains("Certificate of completion"));
    let pdf = fresk::render::pdf(&loaded, &doc).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Someone who did not attend gets none.
    let refused = fresk::render::participant_certificate(
        ws.path(),
        &loaded,
        today,
        SESSION,
        "zoe@example.org",
        None,
    );
    assert!(refused.is_err());
}
