//! `fresk survey import`: a form's CSV export into private raw answers and an anonymous summary.

use crate::support::{Ws, tree};

const SESSION_FILE: &str = "missions/M2026-0006/sessions/M2026-0006-S01.yaml";

fn workspace() -> Ws {
    let ws = Ws::example();
    let config = ws.read("fresk.yaml");
    ws.write(
        "fresk.yaml",
        &format!(
            "{config}survey:\n  link: \"https://forms.example.org/avis?session={{session}}\"\n  scale: 5\n  questions:\n    - {{ id: content, column: \"Contenu de la formation\" }}\n    - {{ id: facilitation, column: \"Qualité de l'animation\" }}\n  nps: {{ column: \"Recommanderiez-vous cette formation ?\" }}\n  comments: {{ column: \"Commentaires\" }}\n"
        ),
    );
    ws
}

/// A French spreadsheet export: BOM, `;`, quoted fields with `;` and line breaks inside, a
/// blank row, and a row about another session.
const EXPORT: &str = "\u{feff}Horodateur;Session;Contenu de la formation;Qualité de l'animation;Recommanderiez-vous cette formation ?;Commentaires\n\
14/04/2026 17:02;M2026-0006-S01;5;5;10;\"Très concret ; merci Jeanne Martin !\"\n\
14/04/2026 17:05;M2026-0006-S01;4 - Bien;5;9;\n\
;;;;;\n\
14/04/2026 18:40;M2026-0006-S01;3;4/5;6;\"Un peu long\nl'après-midi\"\n\
15/04/2026 09:00;M2026-0005-S02;1;1;0;autre session\n";

#[test]
fn import_writes_raw_answers_privately_and_a_summary_in_the_session() {
    let ws = workspace();
    ws.write("export.csv", EXPORT);
    let out = ws.run_ok(&["survey", "import", "M2026-0006-S01", "--csv", "export.csv"]);
    assert!(
        out.contains("survey of 3 response(s) imported (3 of 15 who attended)"),
        "{out}"
    );
    // By hand: content (5 + 4 + 3) / 3 = 4; facilitation (5 + 5 + 4) / 3 = 4.67;
    // NPS: 2 promoters (10, 9), 1 detractor (6) of 3 → 33.
    let session = ws.read(SESSION_FILE);
    assert!(
        session.contains(
            "survey: { responses: 3, averages: { content: 4, facilitation: 4.67 }, nps: 33, scale: 5 }"
        ),
        "{session}"
    );
    // The old single number is still there and still read.
    assert!(session.contains("satisfaction: 4.6"), "{session}");
    // Comments, which may name people, stay private.
    assert!(!session.contains("Jeanne"), "{session}");
    let raw = ws.read("private/surveys/M2026-0006-S01.yaml");
    assert!(
        raw.contains("Très concret ; merci Jeanne Martin !"),
        "{raw}"
    );
    assert!(raw.contains("line: 5"), "{raw}");
    assert!(!raw.contains("autre session"), "{raw}");
    ws.lint().expect_clean();
    // Importing the same export again changes nothing.
    let before = tree(&ws);
    ws.run_ok(&["survey", "import", "M2026-0006-S01", "--csv", "export.csv"]);
    assert_eq!(tree(&ws), before);
}

#[test]
fn a_latin1_export_reads_and_bad_answers_are_refused_with_their_line() {
    let ws = workspace();
    let latin1: Vec<u8> = "Contenu de la formation,Qualité de l'animation,Recommanderiez-vous cette formation ?,Commentaires\n4,5,8,Très bien\n"
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    ws.write_bytes("latin1.csv", &latin1);
    ws.run_ok(&["survey", "import", "M2026-0006-S01", "--csv", "latin1.csv"]);
    assert!(
        ws.read("private/surveys/M2026-0006-S01.yaml")
            .contains("Très bien")
    );
    assert!(
        ws.read(SESSION_FILE).contains(
            "survey: { responses: 1, averages: { content: 4, facilitation: 5 }, nps: 0, scale: 5 }"
        ),
        "one passive answer (8): a score of 0"
    );

    let before = tree(&ws);
    ws.write(
        "bad.csv",
        "Contenu de la formation,Qualité de l'animation,Recommanderiez-vous cette formation ?\n4,5,9\n7,5,9\n4,bien,11\n",
    );
    let out = ws.run(&["survey", "import", "M2026-0006-S01", "--csv", "bad.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3: `7` for content is not a rating from 1 to 5"),
        "{err}"
    );
    assert!(err.contains("line 4: `bien` for facilitation"), "{err}");
    assert!(
        err.contains("line 4: `11` for the recommendation question"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    ws.remove("bad.csv");
    assert_eq!(tree(&ws), before, "a refused import writes nothing");

    // A missing column is named, with the headers found.
    ws.write("missing.csv", "Contenu de la formation;Note\n4;5\n");
    let out = ws.run(&["survey", "import", "M2026-0006-S01", "--csv", "missing.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 1: no column for `facilitation`"),
        "{err}"
    );
}

#[test]
fn import_needs_a_survey_section_and_a_held_session() {
    let ws = Ws::example();
    ws.write("export.csv", EXPORT);
    let out = ws.run(&["survey", "import", "M2026-0006-S01", "--csv", "export.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no `survey:` section"));
    let ws = workspace();
    ws.write("export.csv", EXPORT);
    let out = ws.run(&["survey", "import", "M2026-0005-S08", "--csv", "export.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("took place"));
}

#[test]
fn dry_run_writes_neither_the_session_nor_the_private_answers() {
    let ws = workspace();
    ws.write("export.csv", EXPORT);
    let before = tree(&ws);
    let out = ws.run_ok(&[
        "--dry-run",
        "survey",
        "import",
        "M2026-0006-S01",
        "--csv",
        "export.csv",
    ]);
    assert!(out.contains("+survey: { responses: 3"), "{out}");
    assert_eq!(tree(&ws), before);
}
