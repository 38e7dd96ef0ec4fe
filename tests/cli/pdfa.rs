//! Every document is a PDF/A-3b whose fonts are embedded subsets and whose text reads back
//! exactly, in any script the fonts cover: checked with poppler-utils (pdffonts, pdfinfo,
//! pdftotext) and lopdf.

use crate::support::{self, Ws};

/// The PDF `fresk render <args> -o doc.pdf` writes.
fn render(ws: &Ws, args: &[&str]) -> Vec<u8> {
    let file = ws.path().join("doc.pdf");
    let out = ws
        .command()
        .arg("render")
        .args(args)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&file).unwrap()
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
