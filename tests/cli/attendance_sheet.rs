//! `fresk render attendance-sheet`: the feuille d'émargement, read back from the PDF and the
//! HTML — the names, one row per participant, a column per half-day.

use crate::attendance::{ROSTER, SESSION, two_day_session};
use crate::support::{Ws, tree};

/// The text of the PDF `fresk render ARGS… -o doc.pdf` writes, spaces collapsed.
pub fn pdf_text(ws: &Ws, args: &[&str]) -> String {
    crate::support::rendered_pdf_text(ws, args)
}

#[track_caller]
fn in_order(text: &str, parts: &[&str]) {
    let mut at = 0;
    for part in parts {
        match text[at..].find(part) {
            Some(i) => at += i + part.len(),
            None => panic!("`{part}` not found (in this order) in:\n{text}"),
        }
    }
}

#[test]
fn the_pdf_has_a_row_per_participant_and_a_column_per_half_day() {
    let ws = two_day_session();
    let pdf =
        crate::support::rendered_pdf(&ws, &["attendance-sheet", SESSION, "--blank-rows", "2"]);
    // Three participants, two walk-in rows and both facilitators' signatures on one page: the
    // header names the organisation only, its address and numbers are in the footer.
    let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
    assert_eq!(pages, 1, "the sheet fits on one page");
    let text = crate::support::pdf_text(&pdf);
    in_order(
        &text,
        &[
            "Organisme de formation",
            "Fresques en Rhône",
            "N° EMG-M2026-0005-S08",
            "Feuille d'émargement",
            "Formation animateur·ice (1 jour)",
            "Action de formation (art. L6313-1 du Code du travail)",
            "du 10/06/2026 au 11/06/2026, chaque jour de 09:00 à 17:00",
            "16 heure(s)",
            "Lycée des Canuts, 5 rue Pierre Dupont, 69001 Lyon",
            "Inès Moreau, Sophie Lambert",
            // The header row: a column per half-day of the two days.
            "Participant·e",
            "10/06/2026 matin",
            "10/06/2026 après-midi",
            "11/06/2026 matin",
            "11/06/2026 après-midi",
            // One numbered row per registered participant, in the roster's order.
            "1 Élise Durand",
            "Lycée Ampère",
            "2 Bob Martin",
            "3 Zoé Roy",
            // Then the blank rows for walk-ins.
            "Participant·es non inscrit·es",
            "4",
            "5",
            // The facilitators sign each half-day too.
            "Formateur·ices",
            "10/06/2026 matin",
            "11/06/2026 après-midi",
            "Inès Moreau",
            "Sophie Lambert",
            "84691234569",
        ],
    );
    assert_eq!(text.matches("Élise Durand").count(), 1, "one row each");
    // Two blank rows, no more.
    in_order(&text, &["structure 4 5 ", "Formateur·ices Nom"]);
    assert!(!text.contains("structure 4 5 6"), "{text}");
    assert!(
        !text.contains("elise@example.org"),
        "no e-mail on the sheet"
    );
}

#[test]
fn the_html_in_english_has_a_signature_cell_per_participant_and_half_day() {
    let ws = two_day_session();
    let html = ws.run_ok(&[
        "render",
        "attendance-sheet",
        SESSION,
        "--lang",
        "en",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert!(
        html.contains("<h1 class=\"center\">Attendance sheet</h1>"),
        "{html}"
    );
    assert_eq!(
        html.matches(" morning</th>").count(),
        4,
        "2 days × 2 tables"
    );
    assert_eq!(html.matches(" afternoon</th>").count(), 4);
    // (3 participants + 3 blank rows + 2 facilitators) × 4 half-days, and the number cell of
    // the walk-ins' heading row.
    assert_eq!(html.matches("<td></td>").count(), 32 + 1);
    assert!(html.contains("<strong>Zoé Roy</strong>"));
}

#[test]
fn sheets_go_under_private_and_need_no_roster_but_a_session_that_takes_place() {
    let ws = two_day_session();
    ws.run_ok(&["render", "attendance-sheet", SESSION]);
    assert!(
        ws.path()
            .join("private/attendance-sheets/EMG-M2026-0005-S08.pdf")
            .is_file()
    );
    // Without a roster: the sheet has only blank rows.
    ws.remove(ROSTER);
    let text = pdf_text(&ws, &["attendance-sheet", SESSION]);
    in_order(&text, &["Participant·es non inscrit·es", "1", "2", "3"]);
    // A cancelled session has no sheet.
    let before = tree(&ws);
    let out = ws.run(&["render", "attendance-sheet", "M2026-0005-S03"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is cancelled"));
    assert_eq!(before, tree(&ws));
}
