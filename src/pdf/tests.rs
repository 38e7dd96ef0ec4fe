//! End-to-end tests: HTML in, PDF out, text read back with an independent extractor.

use super::flow::Op;
use super::{PdfOptions, html, html_to_pdf, layout};

#[path = "../../benches/hostile_html.rs"]
mod hostile_html;

fn options() -> PdfOptions {
    PdfOptions {
        title: String::new(),
        author: "Association Fresque Exemple".into(),
        lang: "fr".into(),
        page_label: "Page {page} / {pages}".into(),
        ..PdfOptions::default()
    }
}

/// An invoice shaped like the templates' output, with `lines` lines in its table.
fn invoice(lines: usize) -> String {
    let mut rows = String::new();
    for n in 1..=lines {
        rows.push_str(&format!(
            "<tr><td>Atelier n° {n} (3 h, présentiel)<br><small class=\"muted\">M2026-0042-S{n:02} · 14/03/2026</small></td>\
             <td class=\"num\">{n}</td><td class=\"num\">1\u{202F}200,00\u{A0}€</td>\
             <td class=\"num\">{total}\u{A0}€</td></tr>\n",
            total = format_amount(n * 1200),
        ));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Facture F2026-0012</title>
<style>body {{ font-family: sans-serif; }} .num {{ text-align: right; }}</style></head>
<body>
<header class="doc-header columns">
  <div class="issuer"><strong>Association Fresque Exemple</strong><br>12 rue de l&#x27;Exemple<br>75011 Paris<br><span class="muted">SIRET 684 335 326 71874</span></div>
  <div class="doc-meta right"><h1>Facture</h1><p>N° <strong>F2026-0012</strong><br>Date : 21/05/2026</p></div>
</header>
<section class="parties columns">
  <div class="party box"><h3>Émetteur</h3><p>Association Fresque Exemple<br>12 rue de l&#x27;Exemple<br>75011 Paris</p></div>
  <div class="party box"><h3>Client</h3><p>Société Cliente SAS<br>4 avenue des Tests<br>69003 Lyon<br><em>À l&#x27;attention de Mme Dupont</em></p></div>
</section>
<h2>Objet</h2><p>Ateliers de sensibilisation « climat » réalisés en mars 2026 — voir le détail ci-dessous.</p>
<table class="lines">
  <colgroup><col style="width:50%"><col style="width:10%"><col style="width:20%"><col style="width:20%"></colgroup>
  <thead><tr><th>Désignation</th><th class="num">Qté</th><th class="num">PU HT</th><th class="num">Total HT</th></tr></thead>
  <tbody>{rows}</tbody>
</table>
<table class="totals keep"><tr><th>Total HT</th><td class="num">3 600,00 €</td></tr><tr class="grand"><th>Net à payer</th><td class="num">3 600,00 €</td></tr></table>
<div class="mentions box keep"><p>TVA non applicable, art. 261-4-4° a du CGI</p><p>Paiement à 30 jours. Pénalités de retard : trois fois le taux d&#x27;intérêt légal. Indemnité forfaitaire pour frais de recouvrement : 40 €.</p></div>
<div class="signature columns keep"><div class="box">Bon pour accord<br>Date :<br>Signature :</div><div></div></div>
<footer><p>Association Fresque Exemple · association loi 1901 · SIRET 684 335 326 71874 · Déclaration d&#x27;activité n° 11756543210</p></footer>
</body></html>"#
    )
}

/// `1234567` as `1 234 567,00` with narrow no-break spaces, as the templates format.
fn format_amount(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(digit);
    }
    out + ",00"
}

fn render(html: &str) -> Vec<u8> {
    html_to_pdf(html, &options()).expect("a PDF")
}

/// The text of a PDF, with every kind of space made a plain space so that assertions do
/// not depend on how the extractor renders no-break spaces.
fn extract(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("extractable text");
    text.chars()
        .map(|c| if c == '\u{A0}' { ' ' } else { c })
        .collect()
}

/// The extracted text of each page.
fn pages_text(pdf: &[u8]) -> Vec<String> {
    let text = pdf_extract::extract_text_from_mem_by_pages(pdf).expect("extractable text");
    text.into_iter()
        .map(|page| {
            page.chars()
                .map(|c| if c == '\u{A0}' { ' ' } else { c })
                .collect()
        })
        .collect()
}

#[test]
fn invoice_round_trip_keeps_labels_amounts_and_accents() {
    let pdf = render(&invoice(60));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = extract(&pdf);
    for expected in [
        "Association Fresque Exemple",
        "12 rue de l'Exemple",
        "SIRET 684 335 326 71874",
        "Facture",
        "F2026-0012",
        "Date : 21/05/2026",
        "Émetteur",
        "Client",
        "Société Cliente SAS",
        "À l'attention de Mme Dupont",
        "Objet",
        "« climat »",
        "Atelier n° 1 (3 h, présentiel)",
        "M2026-0042-S60 · 14/03/2026",
        "1 200,00 €",
        "72 000,00 €",
        "Total HT",
        "Net à payer",
        "3 600,00 €",
        "TVA non applicable, art. 261-4-4° a du CGI",
        "Bon pour accord",
        "Déclaration d'activité n° 11756543210",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn invoice_pages_are_labelled_and_repeat_the_table_header() {
    let pdf = render(&invoice(60));
    let pages = pages_text(&pdf);
    let count = pages.len();
    assert!(count >= 2, "{pages:#?}");
    for (index, page) in pages.iter().enumerate() {
        let label = format!("Page {} / {count}", index + 1);
        assert!(page.contains(&label), "{label} missing from:\n{page}");
        assert!(
            page.contains("Déclaration d'activité"),
            "footer missing:\n{page}"
        );
    }
    // The header row is on every page the table spans, once; the table ends on the page
    // where "Net à payer" is.
    let table_pages = pages
        .iter()
        .position(|page| page.contains("Net à payer"))
        .expect("totals")
        + 1;
    assert!(table_pages >= 2);
    for page in &pages[..table_pages] {
        assert_eq!(page.matches("Désignation").count(), 1, "{page}");
        assert_eq!(page.matches("PU HT").count(), 1, "{page}");
    }
}

#[test]
fn a_two_page_invoice_says_page_1_of_2_and_2_of_2() {
    let pages = pages_text(&render(&invoice(30)));
    assert_eq!(pages.len(), 2, "{pages:#?}");
    assert!(pages[0].contains("Page 1 / 2"));
    assert!(pages[1].contains("Page 2 / 2"));
    assert!(
        pages[1].contains("Désignation"),
        "header not repeated:\n{}",
        pages[1]
    );
}

/// The document information dictionary and the catalog, read back with lopdf.
fn info_and_catalog(pdf: &[u8]) -> (lopdf::Dictionary, lopdf::Dictionary) {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .expect("an /Info dictionary")
        .clone();
    let catalog = doc.catalog().expect("a catalog").clone();
    (info, catalog)
}

fn text_entry(dict: &lopdf::Dictionary, key: &[u8]) -> String {
    let object = dict.get(key).expect("an entry");
    lopdf::decode_text_string(object).expect("a text string")
}

#[test]
fn metadata_is_set() {
    let pdf = render(&invoice(1));
    let (info, catalog) = info_and_catalog(&pdf);
    assert_eq!(text_entry(&info, b"Title"), "Facture F2026-0012");
    assert_eq!(text_entry(&info, b"Author"), "Association Fresque Exemple");
    assert_eq!(text_entry(&catalog, b"Lang"), "fr");
    // PDF/A: XMP metadata and an sRGB output intent; the fonts are embedded subsets.
    assert!(catalog.get(b"Metadata").is_ok() && catalog.get(b"OutputIntents").is_ok());
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("+NotoSans-Regular") && raw.contains("/FontFile2"),
        "{raw}"
    );
    assert!(!raw.contains("Helvetica"));
    // Without a date, a fixed one: the same input gives the same bytes.
    assert!(text_entry(&info, b"CreationDate").starts_with("D:19700101"));
}

#[test]
fn amounts_in_num_cells_end_at_the_same_x() {
    let root = html::parse(&invoice(60));
    let pages = layout::layout(&root, "Page {page} / {pages}", &layout::Branding::default());
    let ends: Vec<f32> = pages
        .iter()
        .flat_map(|page| &page.ops)
        .filter(|op| matches!(op, Op::Text { text, .. } if text.ends_with('€')))
        .filter_map(Op::text_end)
        .collect();
    // 60 lines × 2 amounts, and the two totals.
    assert_eq!(ends.len(), 122);
    // Unit prices end at one x, line totals and totals at another: the right margin less
    // the cell padding.
    let mut columns: Vec<f32> = Vec::new();
    for end in ends {
        if !columns.iter().any(|column| (column - end).abs() < 0.01) {
            columns.push(end);
        }
    }
    columns.sort_by(f32::total_cmp);
    assert_eq!(columns.len(), 2, "{columns:?}");
    let right_edge = layout::PAGE_WIDTH - 48.0 - layout::CELL_PADDING_X;
    assert!((columns[1] - right_edge).abs() < 0.01, "{columns:?}");
    // The quantities, right-aligned in their own column, end together too.
    let quantity_ends: Vec<f32> = pages[0]
        .ops
        .iter()
        .filter(|op| matches!(op, Op::Text { text, .. } if text.parse::<u32>().is_ok()))
        .filter_map(Op::text_end)
        .collect();
    assert!(quantity_ends.len() > 10);
    assert!(
        quantity_ends
            .iter()
            .all(|end| (end - quantity_ends[0]).abs() < 0.01)
    );
}

#[test]
fn rendering_is_deterministic() {
    let html = invoice(60);
    assert_eq!(render(&html), render(&html));
}

#[test]
fn escaped_template_text_is_shown_literally() {
    let pdf = render(
        "<body><p>&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} a&#x2f;b &quot;q&quot;</p></body>",
    );
    let text = extract(&pdf);
    assert!(
        text.contains("<script>alert(1)</script> {{ 7*7 }} a/b \"q\""),
        "{text}"
    );
}

#[test]
fn options_override_the_document_metadata() {
    let options = PdfOptions {
        title: "Devis D2026-0001".into(),
        lang: "en".into(),
        page_label: String::new(),
        ..options()
    };
    let pdf = html_to_pdf(&invoice(1), &options).expect("a PDF");
    let (info, catalog) = info_and_catalog(&pdf);
    assert_eq!(text_entry(&info, b"Title"), "Devis D2026-0001");
    assert_eq!(text_entry(&catalog, b"Lang"), "en");
    assert!(!extract(&pdf).contains("Page"));
}

#[test]
fn page_break_class_starts_a_new_page() {
    let pdf = render("<body><p>one</p><div class=\"page-break\"><p>two</p></div></body>");
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 2);
    assert!(pages[1].contains("two") && !pages[0].contains("two"));
}

#[test]
fn keep_blocks_move_to_the_next_page_whole() {
    // Enough lines to fill most of the first page, then a kept box of several lines.
    let filler: String = (0..52).map(|n| format!("<p>filler {n}</p>")).collect();
    let kept: String = (0..8).map(|n| format!("kept {n}<br>")).collect();
    let html = format!("<body>{filler}<div class=\"box keep\">{kept}</div></body>");
    let pages = pages_text(&render(&html));
    assert_eq!(pages.len(), 2, "{pages:#?}");
    assert!(pages[1].contains("kept 0") && pages[1].contains("kept 7"));
    assert!(!pages[0].contains("kept"));
}

#[test]
fn lists_show_markers() {
    let text = extract(&render(
        "<body><ul><li>premier</li><li>second</li></ul><ol start=\"3\"><li>trois</li></ol></body>",
    ));
    assert!(text.contains("• premier"), "{text}");
    assert!(text.contains("• second"), "{text}");
    assert!(text.contains("3. trois"), "{text}");
}

/// Hostile inputs neither panic nor fail: each one makes a PDF. How long they take is
/// measured by `cargo bench --bench render`, not here.
#[test]
fn hostile_inputs_render() {
    for (name, html) in hostile_html::cases() {
        let pdf = html_to_pdf(&html, &options()).expect(name);
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
    }
}

#[test]
fn names_in_any_script_the_fonts_cover_print_exactly() {
    let names = "Łódź Ślusarz — Дмитрий Nguyễn, Ελένη Παπαδοπούλου, Győr";
    let text = extract(&render(&format!("<p>{names}</p><p>日本</p>")));
    assert!(text.contains(names), "{text}");
    // Scripts outside the embedded fonts show as `?`, never as a missing glyph.
    assert!(text.contains("??"), "{text}");
}

/// A document using every construct of the subset once.
fn every_construct() -> String {
    let long_box: String = (1..=40)
        .map(|n| format!("<p>Paragraphe {n} d&#x27;une longue attestation encadrée.</p>"))
        .collect();
    format!(
        r#"<html lang="fr"><head><title>Attestation</title></head><body>
<h1 class="center">Attestation de présence</h1>
<p class="center muted">Document délivré à la demande de l&#x27;intéressée</p>
<hr>
<h2>Texte</h2>
<p>Du texte <strong>gras</strong>, <em>italique</em>, <strong><em>gras italique</em></strong>,
<small>petit</small>, <span class="muted">discret</span>, <a href="https://example.org">un lien</a>,
et des caractères : «&nbsp;guillemets&nbsp;» – tiret — œuvre Œ ’ … · ° € ½ ß Ÿ.</p>
<p class="right">Aligné à droite</p>
<h3>Listes</h3>
<ul><li>Premier point</li><li>Second point, assez long pour passer à la ligne : Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</li>
<li>Imbriqué<ul><li>sous-point</li></ul></li></ul>
<ol><li>un</li><li>deux</li><li>trois</li></ol>
<h3>Colonnes</h3>
<div class="columns"><div class="box"><h3>Un</h3>court</div><div class="box"><h3>Deux</h3>un peu<br>plus<br>long</div><div><h3>Trois</h3>sans cadre</div></div>
<h3>Tableau sans largeurs</h3>
<table class="lines"><thead><tr><th>Date</th><th>Session</th><th>Lieu</th><th class="num">Heures</th></tr></thead>
<tbody>
<tr><td>14/03/2026</td><td>Atelier Fresque du Climat, animation en présentiel pour une équipe de direction</td><td>Paris</td><td class="num">3</td></tr>
<tr><td>21/03/2026</td><td>Atelier</td><td>Lyon (salle « Rhône », 2<sup>e</sup> étage)</td><td class="num">3,5</td></tr>
<tr><td colspan="3" class="right"><strong>Total</strong></td><td class="num"><strong>6,5</strong></td></tr>
</tbody></table>
<table class="totals"><tr><th>Sous-total</th><td class="num">100,00 €</td></tr><tr><th>Remise</th><td class="num">−10,00 €</td></tr><tr class="grand"><th>Total TTC</th><td class="num">90,00 €</td></tr></table>
<div class="box">{long_box}</div>
<div class="page-break"><h2>Nouvelle page</h2><p>Après un saut de page.</p></div>
<footer><p>Pied de page de l&#x27;attestation</p></footer>
</body></html>"#
    )
}

#[test]
fn every_construct_renders_its_text() {
    let pdf = render(&every_construct());
    let pages = pages_text(&pdf);
    let text = pages.concat();
    for expected in [
        "Attestation de présence",
        "gras italique",
        "« guillemets » – tiret — œuvre Œ ’",
        "… ·",
        "€ ½ ß Ÿ",
        "Aligné à droite",
        "• Premier point",
        "• sous-point",
        "3. trois",
        "sans cadre",
        "Atelier Fresque du Climat",
        "Total 6,5",
        "Total TTC 90,00 €",
        "-10,00 €",
        "Paragraphe 40",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    let last = pages.last().expect("pages");
    assert!(last.contains("Nouvelle page") && !last.contains("Paragraphe"));
}

/// Writes the sample documents to the temporary directory, to look at.
#[test]
#[ignore = "writes files; run by hand to inspect the output"]
fn write_samples() {
    for (name, html) in [
        ("invoice", invoice(60)),
        ("every-construct", every_construct()),
    ] {
        let path = std::env::temp_dir().join(format!("sample-{name}.pdf"));
        std::fs::write(&path, render(&html)).expect("writable temp dir");
        println!("{}", path.display());
    }
    // A Factur-X shaped invoice, for pdfdetach -list and the factur-x package.
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 15).expect("a date");
    let options = PdfOptions {
        date: Some(date),
        attachments: vec![super::Attachment::factur_x(
            b"<?xml version=\"1.0\"?><rsm:CrossIndustryInvoice/>".to_vec(),
            super::Relationship::Data,
            date,
        )],
        facturx: Some(super::FacturX::en16931()),
        ..options()
    };
    let path = std::env::temp_dir().join("sample-facturx.pdf");
    let pdf = html_to_pdf(&invoice(3), &options).expect("a PDF");
    std::fs::write(&path, pdf).expect("writable temp dir");
    println!("{}", path.display());
}

mod properties {
    use proptest::prelude::*;

    use super::super::{PdfOptions, html_to_pdf};

    /// Fragments that make plausible and implausible HTML when concatenated.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<div class=\"box keep\">".to_owned()),
            Just("<div class=\"columns\">".to_owned()),
            Just("</div>".to_owned()),
            Just(
                "<table class=\"lines\"><thead><tr><th>A</th><th class=\"num\">B</th></tr></thead>"
                    .to_owned()
            ),
            Just("<tr class=\"grand\"><td colspan=\"3\">x</td>".to_owned()),
            Just("<td>".to_owned()),
            Just("</table>".to_owned()),
            Just("<ul><li>".to_owned()),
            Just("<br>".to_owned()),
            Just("<h2>".to_owned()),
            Just("<footer>".to_owned()),
            Just("<col style=\"width:70%\">".to_owned()),
            Just("&amp;&#x27;&#0;&bogus".to_owned()),
            Just("<p class=\"page-break\">".to_owned()),
            "[a-zé€ <>&;/\"=]{0,40}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_markup_renders(fragments in prop::collection::vec(fragment(), 0..40)) {
            let html = fragments.concat();
            let pdf = html_to_pdf(&html, &PdfOptions::default());
            prop_assert!(pdf.is_ok_and(|pdf| pdf.starts_with(b"%PDF-")));
        }
    }
}
