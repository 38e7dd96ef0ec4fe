//! Every document is a PDF/A-3b whose fonts are embedded subsets and whose text reads back
//! exactly, in any script the fonts cover: checked with poppler-utils (pdffonts, pdfinfo,
//! pdftotext) and lopdf.

use crate::support::{self, Ws};

/// The PDF `fresk render <args> -o doc.pdf` writes.
fn render(ws: &Ws, args: &[&str]) -> Vec<u8> {
    support::rendered_pdf(ws, args)
}

/// What a PDF/A-3b checker looks at first: fonts, XMP identification, output intent,
/// document identifier.
#[track_caller]
fn assert_pdfa(what: &str, pdf: &[u8]) {
    // pdffonts: a header, a rule, then a font per line ending with emb, sub, uni, object, id.
    let fonts = support::poppler("pdffonts", &[], pdf);
    let rows: Vec<Vec<&str>> = fonts
        .lines()
        .skip(2)
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert!(!rows.is_empty(), "{what}: no font\n{fonts}");
    for row in &rows {
        let n = row.len();
        assert_eq!(
            row[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "{what}: a font not embedded, subset and mapped to Unicode:\n{fonts}"
        );
        assert!(row[0].contains("+NotoSans-"), "{what}: {fonts}");
    }
    let meta = support::poppler("pdfinfo", &["-meta"], pdf);
    for expected in [
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<xmpMM:DocumentID>",
        "<pdfaExtension:schemas>",
    ] {
        assert!(
            meta.contains(expected),
            "{what}: {expected} missing from the XMP:\n{meta}"
        );
    }
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let catalog = doc.catalog().unwrap();
    let intents = match catalog.get(b"OutputIntents").expect("an output intent") {
        lopdf::Object::Reference(id) => doc.get_object(*id).unwrap(),
        direct => direct,
    }
    .as_array()
    .unwrap();
    let intent = match &intents[0] {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        lopdf::Object::Dictionary(dict) => dict,
        other => panic!("{what}: an output intent is a dictionary, not {other:?}"),
    };
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    assert!(
        intent.get(b"DestOutputProfile").is_ok(),
        "{what}: no ICC profile"
    );
    let ids = doc.trailer.get(b"ID").expect("a document identifier");
    assert_eq!(ids.as_array().unwrap().len(), 2, "{what}");
}

#[test]
fn every_document_is_pdf_a_3b_with_its_fonts_embedded() {
    let ws = Ws::example();
    for args in [
        &["quote", "R2026-0006"][..],
        &["quote", "R2026-0006", "--lang", "en"],
        &["invoice", "F2026-0001"],
        &["credit-note", "AV2026-0001"],
        &["self-invoice", "AF-camille-dupont-0001"],
        &["attendance-sheet", "M2026-0006-S01"],
    ] {
        assert_pdfa(&args.join(" "), &render(&ws, args));
    }
    ws.write("private/rosters/M2026-0006-S01.yaml", crate::render::ROSTER);
    ws.run_ok(&[
        "render",
        "certificate",
        "M2026-0006-S01",
        "--out-dir",
        "att",
    ]);
    let certificate = std::fs::read(ws.path().join("att/ATT-M2026-0006-S01-01.pdf")).unwrap();
    assert_pdfa("certificate", &certificate);
}

#[test]
fn names_in_polish_cyrillic_vietnamese_and_greek_print_exactly() {
    let ws = Ws::example();
    let name = "Łódź Ślusarz — Дмитрий Nguyễn";
    let greek = "Ελένη Παπαδοπούλου, Οδός Ερμού 12, 10563 Αθήνα";
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "name: Mécanique du Rhône SAS",
        &format!("name: {name}"),
    );
    ws.edit(
        "organisations/mecanique-du-rhone.yaml",
        "address: \"42 avenue Jean Jaurès, 69007 Lyon\"",
        &format!("address: \"{greek}\""),
    );
    let pdf = render(&ws, &["invoice", "F2026-0001"]);
    let text = support::pdf_text(&pdf);
    assert!(text.contains(name), "{name} not in:\n{text}");
    assert!(
        text.contains("Ελένη Παπαδοπούλου"),
        "the Greek name is not in:\n{text}"
    );
    assert!(text.contains("Αθήνα"), "{text}");
    assert!(!text.contains('?'), "a character fell back to `?`:\n{text}");
    assert_pdfa("invoice with non-Latin names", &pdf);
}

/// The pixels of the first page, rendered by poppler's pdftoppm at 36 dpi: (width, height,
/// RGB bytes).
fn first_page_pixels(pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    let ppm = support::poppler_bytes("pdftoppm", &["-f", "1", "-l", "1", "-r", "36"], pdf);
    // P6 <width> <height> 255 <RGB bytes>
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (width, height) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (width, height, ppm[at + 1..].to_vec())
}

/// Whether the top left of the page (where the logo goes) has a pixel of `rgb`.
fn top_left_has(pdf: &[u8], rgb: [u8; 3]) -> bool {
    let (width, height, pixels) = first_page_pixels(pdf);
    (0..height / 8).any(|y| {
        (0..width / 3).any(|x| {
            let i = 3 * (y * width + x);
            pixels[i..i + 3]
                .iter()
                .zip(rgb)
                .all(|(&a, b)| a.abs_diff(b) <= 6)
        })
    })
}

const BLUE: [u8; 3] = [0x1a, 0x52, 0x76];

#[test]
fn the_logo_and_colour_are_on_every_document_in_pdf_and_html() {
    let ws = Ws::example();
    ws.write("private/rosters/M2026-0006-S01.yaml", crate::render::ROSTER);
    for args in [
        &["quote", "R2026-0006"][..],
        &["invoice", "F2026-0001"],
        &["credit-note", "AV2026-0001"],
        &["self-invoice", "AF-camille-dupont-0001"],
        &["attendance-sheet", "M2026-0006-S01"],
    ] {
        let pdf = render(&ws, args);
        assert!(
            top_left_has(&pdf, BLUE),
            "{args:?}: no logo at the top left"
        );
        assert_pdfa(&args.join(" "), &pdf);
        let mut html_args = vec!["render"];
        html_args.extend_from_slice(args);
        html_args.extend_from_slice(&["--format", "html", "-o", "-"]);
        let html = ws.run_ok(&html_args);
        assert!(
            html.contains("<img class=\"logo\" src=\"data:image&#x2f;svg+xml;base64,PHN2Zy"),
            "{args:?}: {html}"
        );
        assert!(html.contains("h1, h2, h3 { color: #1a5276; }"), "{args:?}");
    }
    ws.run_ok(&[
        "render",
        "certificate",
        "M2026-0006-S01",
        "--out-dir",
        "att",
    ]);
    let certificate = std::fs::read(ws.path().join("att/ATT-M2026-0006-S01-01.pdf")).unwrap();
    assert!(top_left_has(&certificate, BLUE), "certificate: no logo");

    // Without branding, no logo and black headings.
    let plain = Ws::example();
    plain.edit(
        "fresk.yaml",
        "branding: { logo: templates/logo.svg, colour: \"#1a5276\" }",
        "",
    );
    let pdf = render(&plain, &["invoice", "F2026-0001"]);
    assert!(!top_left_has(&pdf, BLUE));
    let html = plain.run_ok(&[
        "render",
        "invoice",
        "F2026-0001",
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert!(
        !html.contains("<img class") && !html.contains("#1a5276"),
        "{html}"
    );
}

#[test]
fn a_png_logo_is_drawn_too() {
    let ws = Ws::example();
    ws.write_bytes("templates/logo.png", crate::rules_paths::PNG);
    ws.edit("fresk.yaml", "templates/logo.svg", "templates/logo.png");
    let pdf = render(&ws, &["invoice", "F2026-0001"]);
    // The 1 × 1 PNG is #1a5276, scaled to a 40 pt square.
    assert!(top_left_has(&pdf, BLUE), "no PNG logo at the top left");
    let images = support::poppler("pdfimages", &["-list"], &pdf);
    assert_eq!(images.lines().count(), 3, "one image:\n{images}");
    assert_pdfa("invoice with a PNG logo", &pdf);
}
