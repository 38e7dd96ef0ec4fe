//! `fresk render`: documents from the example workspace, their mandatory mentions, refusals,
//! escaping, template overrides, and PDF that reads back as the same text.

use crate::support::{Ws, tree};

pub(crate) const ROSTER: &str = "session: M2026-0006-S01\nparticipants:\n  - { name: Jeanne Martin, email: jeanne.martin@example.org, organisation: Mairie d'Anse, attended: true }\n  - { name: Karim Haddad, attended: false }\n  - { name: Léa Rousseau }\n";

/// `fresk render ARGS… --format html -o -`: the HTML on standard output.
fn html(ws: &Ws, args: &[&str]) -> String {
    let args: Vec<&str> = ["render"]
        .iter()
        .chain(args)
        .chain(&["--format", "html", "-o", "-"])
        .copied()
        .collect();
    ws.run_ok(&args)
}

/// What a reader sees: the text of the HTML body, tags dropped, entities decoded, spaces
/// collapsed, one block per line.
fn visible(html: &str) -> String {
    let body = html.split("<body>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name = tag
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                if matches!(
                    name,
                    "p" | "br" | "tr" | "h1" | "h2" | "h3" | "div" | "td" | "th"
                ) {
                    out.push('\n');
                }
            }
            _ if in_tag => tag.push(c),
            _ => out.push(c),
        }
    }
    let decoded = out
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace(['\u{a0}', '\u{202f}'], " ");
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_has(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "missing {n:?} in:\n{text}");
    }
}

#[test]
fn invoice_in_french_has_every_mandatory_mention() {
    let ws = Ws::example();
    let page = html(&ws, &["invoice", "F2026-0001"]);
    insta::assert_snapshot!("invoice_fr", page);
    let text = visible(&page);
    assert_has(
        &text,
        &[
            "Facture",
            "N° F2026-0001",
            "Date : 08/04/2026",
            "Date d'échéance : 08/05/2026",
            "Votre commande n° : BC-26-0187",
            // Seller and buyer identities.
            "Fresques en Rhône",
            "27 rue Sébastien Gryphe",
            "SIRET 839 412 756 00026",
            "Mécanique du Rhône SAS",
            "42 avenue Jean Jaurès",
            "SIRET 402 173 868 00017",
            // Lines: quantity, unit price excl. VAT, line total; held sessions.
            "Atelier (3 h, présentiel)",
            "Sessions : 10/03/2026 ×2, 17/03/2026",
            "1 200,00 €",
            "3 600,00 €",
            "450,00 €",
            // Totals (3 × 1200 + 3 × 150), the VAT exemption wording from fresk.yaml.
            "Total HT\n4 050,00 €",
            "Net à payer\n4 050,00 €",
            "TVA non applicable, art. 261-4-4° a du CGI",
            // Payment terms, penalties, indemnity, discount, training declaration.
            "au plus tard le 08/05/2026",
            "pénalités",
            "40,00 €",
            "Pas d'escompte pour paiement anticipé.",
            "Catégorie de l'opération : prestation de services.",
            "84691234569",
        ],
    );
}

#[test]
fn invoice_in_english() {
    let ws = Ws::example();
    let page = html(&ws, &["invoice", "F2026-0001", "--lang", "en"]);
    insta::assert_snapshot!("invoice_en", page);
    let text = visible(&page);
    assert!(page.contains("<html lang=\"en\">"));
    assert_has(
        &text,
        &[
            "Invoice",
            "Due date: 8 May 2026",
            "Workshop (3 h, on site)",
            "€1,200.00",
            "Amount due\n€4,050.00",
            "No discount for early payment.",
        ],
    );
}

#[test]
fn credit_note_names_the_invoice_it_corrects() {
    let ws = Ws::example();
    let page = html(&ws, &["invoice", "AV2026-0001"]);
    insta::assert_snapshot!("credit_note_fr", page);
    let text = visible(&page);
    assert_has(
        &text,
        &[
            "Avoir",
            "N° AV2026-0001",
            "Avoir sur la facture n° F2026-0001 du 08/04/2026.",
            "Motif : Troisième forfait de déplacement",
            "Montant de l'avoir\n150,00 €",
        ],
    );
    let en = html(&ws, &["credit-note", "AV2026-0001", "--lang", "en"]);
    insta::assert_snapshot!("credit_note_en", en);
    let en = visible(&en);
    assert_has(
        &en,
        &["Credit note against invoice no. F2026-0001 of 8 April 2026."],
    );
}

#[test]
fn quote_has_validity_lines_and_acceptance_block() {
    let ws = Ws::example();
    let page = html(&ws, &["quote", "R2026-0006"]);
    insta::assert_snapshot!("quote_fr", page);
    let text = visible(&page);
    assert_has(
        &text,
        &[
            "Devis",
            "N° D2026-0005",
            "Date : 24/02/2026",
            "Valable jusqu'au : 26/03/2026",
            "À l'attention de Julien Perrin, Chargé de mission PCAET",
            "Formation animateur·ice (1 jour)",
            // 2 × 2400 + 2 × 900
            "4 800,00 €",
            "1 800,00 €",
            "Total\n6 600,00 €",
            "Devis valable jusqu'au 26/03/2026.",
            "Bon pour accord",
            "Signature :",
            "Déclaration d'activité enregistrée sous le n° 84691234569",
        ],
    );
    // By quote number too, and in English.
    let en = html(&ws, &["quote", "D2026-0005", "--lang", "en"]);
    insta::assert_snapshot!("quote_en", en);
    let en = visible(&en);
    assert_has(
        &en,
        &[
            "Quote",
            "Valid until: 26 March 2026",
            "Accepted",
            "€6,600.00",
        ],
    );
}

#[test]
fn self_invoices_are_issued_on_behalf_of_each_facilitator() {
    let ws = Ws::example();
    let page = html(
        &ws,
        &[
            "self-invoice",
            "P2026-03-M2026-0003",
            "--person",
            "camille-dupont",
        ],
    );
    insta::assert_snapshot!("self_invoice_fr", page);
    let text = visible(&page);
    assert_has(
        &text,
        &[
            "Autofacturation",
            "N° AF-camille-dupont-0001",
            "Vendeur (prestataire)",
            "Camille Dupont EI",
            "SIRET 902 158 344 00017",
            "Acheteur",
            "Facture émise par Fresques en Rhône au nom et pour le compte de Camille Dupont EI, en application du mandat d'autofacturation signé le 01/06/2024.",
            "TVA non applicable, art. 293 B du CGI",
            "Session M2026-0003-S01 du 10/03/2026",
            "Net à payer\n1 000,00 €",
        ],
    );
    // By number, in English.
    let en = visible(&html(
        &ws,
        &["self-invoice", "AF-lucas-bernard-0001", "--lang", "en"],
    ));
    assert_has(
        &en,
        &[
            "Self-billing",
            "in the name and on behalf of",
            "Amount due\n€750.00",
        ],
    );
    insta::assert_snapshot!(
        "self_invoice_en",
        html(
            &ws,
            &["self-invoice", "AF-camille-dupont-0001", "--lang", "en"]
        )
    );
}

#[test]
fn a_payout_renders_one_self_invoice_per_facilitator() {
    let ws = Ws::example();
    let out_dir = "out";
    ws.run_ok(&[
        "render",
        "self-invoice",
        "P2026-03-M2026-0003",
        "--format",
        "html",
        "--out-dir",
        out_dir,
    ]);
    let mut names: Vec<String> = std::fs::read_dir(ws.path().join(out_dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "AF-camille-dupont-0001.html",
            "AF-lucas-bernard-0001.html",
            "AF-thomas-girard-0001.html"
        ]
    );
    // -o names one file: with three documents it is refused.
    let out = ws.run(&[
        "render",
        "self-invoice",
        "P2026-03-M2026-0003",
        "-o",
        "x.pdf",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out-dir"));
}

#[test]
fn certificates_one_per_participant_who_attended() {
    let ws = Ws::example();
    ws.write("private/rosters/M2026-0006-S01.yaml", ROSTER);
    let out_dir = "certificates";
    ws.run_ok(&[
        "render",
        "certificate",
        "M2026-0006-S01",
        "--format",
        "html",
        "--out-dir",
        out_dir,
    ]);
    let first = ws.read("certificates/ATT-M2026-0006-S01-01.html");
    assert!(
        !ws.path()
            .join("certificates/ATT-M2026-0006-S01-02.html")
            .exists(),
        "Karim did not attend"
    );
    let third = ws.read("certificates/ATT-M2026-0006-S01-03.html");
    insta::assert_snapshot!("certificate_fr", first);
    assert_has(
        &visible(&first),
        &[
            "Certificat de réalisation",
            "Je soussigné·e Claire Fontaine, coordinatrice administrative, représentant le dispensateur de l'action concourant au développement des compétences Fresques en Rhône, atteste que Jeanne Martin, salarié·e de Mairie d'Anse, a suivi l'action « Formation animateur·ice (1 jour) », qui s'est déroulée le 14/04/2026, pour une durée de 7 heure(s).",
            "[X] action de formation",
            "Mairie d'Anse",
            "Formation animateur·ice (1 jour)",
            "Nature\nAction de formation (art. L6313-1 du Code du travail)",
            "Objectifs\nAnimer un atelier de bout en bout",
            "Communauté de communes",
            "14/04/2026, de 09:00 à 16:00",
            "7 heure(s)",
            "Salle du conseil communautaire",
            "Antoine Roux, Claire Fontaine",
            "Fait à Lyon, le 15/06/2026",
            "84691234569",
        ],
    );
    assert!(visible(&third).contains("Léa Rousseau"));
    ws.run_ok(&[
        "render",
        "certificate",
        "M2026-0006-S01",
        "--lang",
        "en",
        "--format",
        "html",
        "--out-dir",
        "en",
    ]);
    let en = ws.read("en/ATT-M2026-0006-S01-01.html");
    insta::assert_snapshot!("certificate_en", en);
    let en = visible(&en);
    assert_has(
        &en,
        &["Certificate of completion", "from 9:00 am to 4:00 pm"],
    );
}

#[test]
fn certificates_go_under_private_by_default() {
    let ws = Ws::example();
    ws.write("private/rosters/M2026-0006-S01.yaml", ROSTER);
    ws.run_ok(&["render", "certificate", "M2026-0006-S01"]);
    // Names never land in the folder the command ran in (here the workspace root, tracked).
    assert!(
        ws.path()
            .join("private/certificates/ATT-M2026-0006-S01-01.pdf")
            .is_file()
    );
    assert!(
        ws.path()
            .join("private/certificates/ATT-M2026-0006-S01-03.pdf")
            .is_file()
    );
    assert!(!ws.path().join("ATT-M2026-0006-S01-01.pdf").exists());
    assert!(
        ws.read(".gitignore")
            .lines()
            .any(|l| l.trim() == "private/")
    );
}

#[test]
fn certificates_need_a_held_session_and_a_roster() {
    let ws = Ws::example();
    let before = tree(&ws);
    let out = ws.run(&["render", "certificate", "M2026-0006-S01"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("private/rosters/M2026-0006-S01.yaml"), "{err}");
    // A planned session has no certificates yet.
    let out = ws.run(&["render", "certificate", "M2026-0005-S08"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("held session"));
    assert_eq!(before, tree(&ws), "nothing was written");
}

#[test]
fn a_broken_roster_or_labels_file_says_where() {
    let ws = Ws::example();
    ws.write(
        "private/rosters/M2026-0006-S01.yaml",
        "participants:\n  - { name: Jeanne Martin, attended: maybe }\n",
    );
    let out = ws.run(&["render", "certificate", "M2026-0006-S01"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fresk: private/rosters/M2026-0006-S01.yaml: participants[0].attended: expected true or false, found `maybe` at line 2 column 38; a roster is `participants:` followed by `- { name: …, attended: true }` lines\n"
    );
    ws.write(
        "templates/labels/fr.yaml",
        "invoice: Facture\ninvoice: Note\n",
    );
    let out = ws.run(&["render", "invoice", "F2026-0001"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fresk: templates/labels/fr.yaml: duplicate key `invoice` (first set on line 1); keep only one at line 2 column 1; a labels file is a flat mapping of `key: text` lines\n"
    );
}

#[test]
fn a_document_missing_a_mention_is_refused_and_nothing_is_written() {
    let ws = Ws::example();
    ws.edit("fresk.yaml", "  siret: \"83941275600026\"\n", "");
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "address: \"42 avenue Jean Jaurès, 69007 Lyon\"\n",
        "",
    );
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "siren: \"402173868\"\n",
        "",
    );
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "siret: \"40217386800017\"\n",
        "",
    );
    let before = tree(&ws);
    let out = ws.run(&[
        "render",
        "invoice",
        "F2026-0001",
        "AV2026-0001",
        "--out-dir",
        "out",
    ]);
    let err =
        String::from_utf8_lossy(&out.stderr).replace(&ws.path().display().to_string(), "<ws>");
    assert_eq!(out.status.code(), Some(1), "{err}");
    insta::assert_snapshot!("refused_missing_mentions", err);
    assert_eq!(before, tree(&ws), "a refused render writes nothing");
}

#[test]
fn drafts_and_unknown_documents() {
    let ws = Ws::example();
    let out = ws.run(&["render", "invoice", "I-M2026-0006"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fresk invoice issue I-M2026-0006"));
    let out = ws.run(&["render", "invoice", "F2099-0001"]);
    assert_eq!(out.status.code(), Some(2));
    let out = ws.run(&["render", "invoice", "F2026-0001", "--lang", "it"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("templates/labels/it.yaml"));
}

#[test]
fn data_is_printed_literally_never_as_markup_or_template() {
    let ws = Ws::example();
    let evil = "<script>alert(1)</script> {{ 7*7 }} {% if true %}x{% endif %} &amp;";
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "name: Mécanique du Rhône SAS",
        &format!("name: '{evil}'"),
    );
    let page = html(&ws, &["invoice", "F2026-0001"]);
    assert!(!page.contains("<script>"), "markup must be escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(
        page.contains("{{ 7*7 }}") && !page.contains(">49<"),
        "data is not a template"
    );
    assert!(visible(&page).contains(evil));
}

#[test]
fn a_workspace_template_overrides_the_built_in_one() {
    let ws = Ws::example();
    ws.write(
        "templates/invoice.html",
        "{% extends \"layout.html\" %}{% block body %}<h1>{{ t.invoice }} {{ doc.number }}</h1><p>Custom: {{ doc.totals[-1].amount }}</p>{% endblock %}",
    );
    ws.write("templates/labels/fr.yaml", "invoice: Note d'honoraires\n");
    let text = visible(&html(&ws, &["invoice", "F2026-0001"]));
    assert_has(
        &text,
        &["Note d'honoraires F2026-0001", "Custom: 4 050,00 €"],
    );
    // A broken template is an error that names it, not a panic.
    ws.write("templates/invoice.html", "{% if %}");
    let out = ws.run(&[
        "render",
        "invoice",
        "F2026-0001",
        "-o",
        "-",
        "--format",
        "html",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("templates/invoice.html"));
    // A template that includes itself stops at minijinja's recursion limit, said once.
    ws.write("templates/invoice.html", "{% include \"invoice.html\" %}");
    let out = ws.run(&[
        "render",
        "invoice",
        "F2026-0001",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("recursion limit") && err.lines().count() == 1,
        "{err}"
    );
}

/// `fresk render ARGS… -o FILE.pdf`, then the PDF's text as a text extractor reads it, spaces
/// collapsed (a PDF has no notion of lines of a table, only of text on a page).
fn pdf_text(ws: &Ws, args: &[&str]) -> String {
    crate::support::rendered_pdf_text(ws, args)
}

#[test]
fn pdf_invoice_reads_back_with_every_mention_and_total() {
    let ws = Ws::example();
    let text = pdf_text(&ws, &["invoice", "F2026-0001"]);
    assert_has(
        &text,
        &[
            "Facture",
            "F2026-0001",
            "Date : 08/04/2026",
            "Date d'échéance : 08/05/2026",
            "BC-26-0187",
            "SIRET 839 412 756 00026",
            "Mécanique du Rhône SAS",
            "42 avenue Jean Jaurès",
            "SIRET 402 173 868 00017",
            "Atelier (3 h, présentiel)",
            "1 200,00 €",
            "3 600,00 €",
            "Total HT 4 050,00 €",
            "Net à payer 4 050,00 €",
            "TVA non applicable, art. 261-4-4° a du CGI",
            "au plus tard le 08/05/2026",
            "40,00 €",
            "Pas d'escompte pour paiement anticipé.",
            "84691234569",
            "Page 1 / 1",
        ],
    );
}

#[test]
fn pdf_quote_self_invoice_credit_note_and_certificate_read_back() {
    let ws = Ws::example();
    let quote = pdf_text(&ws, &["quote", "R2026-0006", "--lang", "en"]);
    assert_has(
        &quote,
        &[
            "Quote",
            "D2026-0005",
            "Valid until: 26 March 2026",
            "Total €6,600.00",
            "Accepted",
            "Signature:",
            "Page 1 of 1",
        ],
    );
    let si = pdf_text(&ws, &["self-invoice", "AF-camille-dupont-0001"]);
    assert_has(
        &si,
        &[
            "Autofacturation",
            "AF-camille-dupont-0001",
            "Camille Dupont EI",
            "au nom et pour le compte de Camille Dupont EI",
            "mandat d'autofacturation signé le 01/06/2024",
            "TVA non applicable, art. 293 B du CGI",
            "Net à payer 1 000,00 €",
        ],
    );
    let credit = pdf_text(&ws, &["credit-note", "AV2026-0001"]);
    assert_has(
        &credit,
        &[
            "Avoir",
            "AV2026-0001",
            "Avoir sur la facture n° F2026-0001 du 08/04/2026.",
            "Montant de l'avoir 150,00 €",
        ],
    );
    ws.write("private/rosters/M2026-0006-S01.yaml", ROSTER);
    ws.run_ok(&[
        "render",
        "certificate",
        "M2026-0006-S01",
        "--out-dir",
        "att",
    ]);
    let bytes = std::fs::read(ws.path().join("att/ATT-M2026-0006-S01-01.pdf")).unwrap();
    let cert = crate::support::pdf_text(&bytes);
    assert_has(
        &cert,
        &[
            "Certificat de réalisation",
            "Jeanne Martin",
            "7 heure(s)",
            "84691234569",
        ],
    );
}

#[test]
fn pdf_prints_malicious_values_literally() {
    let ws = Ws::example();
    let evil = "<script>alert(1)</script> {{ 7*7 }}";
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "name: Mécanique du Rhône SAS",
        &format!("name: '{evil}'"),
    );
    let text = pdf_text(&ws, &["invoice", "F2026-0001"]);
    assert_has(&text, &[evil]);
}

#[test]
fn pdf_of_a_long_invoice_has_numbered_pages() {
    let ws = Ws::example();
    let mut lines = String::new();
    for i in 1..=60 {
        lines.push_str(&format!(
            "  - {{ label: Prestation {i}, quantity: 1, unit_price: 10 }}\n"
        ));
    }
    ws.edit(
        "invoices/2026/F2026-0002.yaml",
        "  - { label: \"Droits d'utilisation, mars 2026 (déclaration U2026-0001, 10 % de 1 900 €)\", quantity: 1, unit_price: 190 }\n",
        &lines,
    );
    let pdf = pdf_text(&ws, &["invoice", "F2026-0002"]);
    assert_has(
        &pdf,
        &["Prestation 1 ", "Prestation 60", "Net à payer 600,00 €"],
    );
    // Every page is numbered out of the total.
    let pages: usize = pdf
        .split("Page 1 / ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a page label");
    assert!(pages >= 2, "60 lines do not fit on one A4 page: {pdf}");
    for page in 1..=pages {
        assert_has(&pdf, &[&format!("Page {page} / {pages}")]);
    }
    // The table's header row is repeated at the top of the page where it continues.
    assert!(pdf.matches("Désignation").count() >= 2, "{pdf}");
}

#[test]
fn a_broken_file_is_named_not_reported_missing() {
    let ws = Ws::example();
    ws.edit(
        "invoices/2026/F2026-0001.yaml",
        "state: paid",
        "state: payed",
    );
    let out = ws.run(&["render", "invoice", "F2026-0001"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invoices/2026/F2026-0001.yaml cannot be read") && err.contains("fresk lint"),
        "{err}"
    );
}

#[test]
fn dry_run_checks_everything_and_writes_nothing() {
    let ws = Ws::example();
    let before = tree(&ws);
    let out = ws.run(&["--dry-run", "render", "self-invoice", "P2026-03-M2026-0003"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("would write AF-").count(), 3, "{err}");
    assert_eq!(before, tree(&ws));
    // A refused document is refused under --dry-run too.
    ws.edit("fresk.yaml", "  siret: \"83941275600026\"\n", "");
    let out = ws.run(&["--dry-run", "render", "invoice", "F2026-0001"]);
    assert_eq!(out.status.code(), Some(1));
    // Documents are not committed.
    let out = ws.run(&["render", "invoice", "F2026-0001", "--commit"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not kept in git"));
}

// --- limits of a template ------------------------------------------------------------------

/// `fresk render invoice F2026-0001 --format html -o -` with `templates/invoice.html` set to
/// `template`: it must be refused (exit 2) within `seconds`, naming the template, having
/// written nothing; its message.
#[track_caller]
fn refused_template(template: &str, seconds: u64) -> String {
    let ws = Ws::example();
    ws.write("templates/invoice.html", template);
    let before = tree(&ws);
    let started = std::time::Instant::now();
    let out = ws.run(&[
        "render",
        "invoice",
        "F2026-0001",
        "--out-dir",
        "out",
        "--format",
        "html",
    ]);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        took < std::time::Duration::from_secs(seconds),
        "took {took:?}: {err}"
    );
    assert!(
        err.contains("templates/invoice.html (the workspace's)"),
        "{err}"
    );
    assert_eq!(before, tree(&ws), "nothing was written");
    err
}

#[test]
fn a_template_loop_of_a_hundred_million_steps_stops_quickly() {
    let err = refused_template(
        "{% for a in range(10000) %}{% for b in range(10000) %}{{ b }}{% endfor %}{% endfor %}",
        20,
    );
    assert!(
        err.contains("nothing was written") && err.contains("million steps"),
        "{err}"
    );
}

#[test]
fn a_template_that_writes_without_end_is_stopped() {
    let line = "x".repeat(1000);
    let err = refused_template(
        &format!(
            "{{% for a in range(100000) %}}{{% for b in range(1000) %}}{line}{{% endfor %}}{{% endfor %}}"
        ),
        20,
    );
    assert!(
        err.contains("nothing was written") && err.contains("MiB of HTML"),
        "{err}"
    );
}

#[test]
fn a_template_that_doubles_a_string_is_stopped_by_its_memory() {
    let err = refused_template(
        "{% set ns = namespace(s='0123456789abcdef') %}{% for i in range(62) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        20,
    );
    assert!(
        err.contains("nothing was written") && err.contains("MiB of memory"),
        "{err}"
    );
}

#[test]
fn a_macro_calling_itself_stops_at_the_recursion_limit() {
    let err = refused_template(
        "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}",
        20,
    );
    assert!(err.contains("recursion"), "{err}");
}

// --- what a render reads: only inside the workspace ----------------------------------------

/// A file outside the workspace whose content must never show up in a message.
const SECRET: &str = "root-password: hunter2-SECRET\n";

fn outside_file(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, SECRET).unwrap();
    (dir, path)
}

#[track_caller]
fn refused_without_reading(ws: &Ws, args: &[&str], names: &str) {
    let out = ws.run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(names), "the message names {names}: {err}");
    assert!(
        !err.contains("hunter2") && !String::from_utf8_lossy(&out.stdout).contains("hunter2"),
        "the outside file was read: {err}"
    );
}

#[test]
fn labels_linked_out_of_the_workspace_are_never_read() {
    let ws = Ws::example();
    let (_keep, secret) = outside_file("de.yaml");
    std::fs::create_dir_all(ws.path().join("templates/labels")).unwrap();
    std::os::unix::fs::symlink(&secret, ws.path().join("templates/labels/fr.yaml")).unwrap();
    let args = [
        "render",
        "invoice",
        "F2026-0001",
        "--format",
        "html",
        "-o",
        "-",
    ];
    refused_without_reading(&ws, &args, "templates/labels/fr.yaml");

    // The whole labels folder linked out.
    let ws = Ws::example();
    std::fs::create_dir_all(ws.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(secret.parent().unwrap(), ws.path().join("templates/labels"))
        .unwrap();
    refused_without_reading(
        &ws,
        &["render", "invoice", "F2026-0001", "--lang", "de", "-o", "-"],
        "templates/labels/de.yaml",
    );
}

#[test]
fn templates_linked_out_of_the_workspace_are_never_read() {
    let ws = Ws::example();
    let (_keep, secret) = outside_file("invoice.html");
    std::fs::create_dir_all(ws.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(&secret, ws.path().join("templates/invoice.html")).unwrap();
    let args = [
        "render",
        "invoice",
        "F2026-0001",
        "--format",
        "html",
        "-o",
        "-",
    ];
    refused_without_reading(&ws, &args, "templates/invoice.html");

    let ws = Ws::example();
    // The example's own templates/ (its logo) makes way for the link.
    std::fs::remove_dir_all(ws.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(secret.parent().unwrap(), ws.path().join("templates")).unwrap();
    refused_without_reading(&ws, &args, "templates");

    // A link that stays inside the workspace is followed.
    let ws = Ws::example();
    ws.write("shared/invoice.html", "<p>Shared {{ doc.number }}</p>");
    std::fs::create_dir_all(ws.path().join("templates")).unwrap();
    std::os::unix::fs::symlink(
        "../shared/invoice.html",
        ws.path().join("templates/invoice.html"),
    )
    .unwrap();
    assert!(html(&ws, &["invoice", "F2026-0001"]).contains("Shared F2026-0001"));
}

#[test]
fn a_language_is_a_code_never_a_path() {
    let ws = Ws::example();
    let (_keep, secret) = outside_file("x.yaml");
    let stem = secret.with_extension("");
    let relative = format!("../../../../../../../../..{}", stem.display());
    for lang in [relative.as_str(), "../fr", "fr/../en", "FR", ""] {
        refused_without_reading(
            &ws,
            &["render", "invoice", "F2026-0001", "--lang", lang, "-o", "-"],
            "not a language code",
        );
    }
    // The default language comes from fresk.yaml, and is checked the same way.
    ws.edit(
        "fresk.yaml",
        "languages: [fr, en]",
        &format!("languages: [\"{relative}\", en]"),
    );
    refused_without_reading(
        &ws,
        &["render", "invoice", "F2026-0001", "-o", "-"],
        "not a language code",
    );
}
