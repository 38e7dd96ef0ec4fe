//! Files attached to a PDF (PDF/A-3 associated files), and the Factur-X metadata.
//!
//! A Factur-X invoice is a PDF/A-3 carrying its EN 16931 XML as an attachment named
//! `factur-x.xml`, listed in the catalog's `/AF` array and in the `EmbeddedFiles` name
//! tree, and saying so in its XMP metadata with the `fx:` schema (and the PDF/A extension
//! schema that describes it). [`Attachment`] and [`FacturX`] are what the renderer passes
//! in [`PdfOptions`](super::PdfOptions):
//!
//! ```
//! use fresk::pdf::{Attachment, FacturX, PdfOptions, Relationship};
//! let xml = b"<rsm:CrossIndustryInvoice/>".to_vec();
//! let options = PdfOptions {
//!     attachments: vec![Attachment::factur_x(xml, Relationship::Data, "2026-06-15".parse().unwrap())],
//!     facturx: Some(FacturX::en16931()),
//!     ..PdfOptions::default()
//! };
//! let pdf = fresk::pdf::html_to_pdf("<p>Facture</p>", &options).unwrap();
//! assert!(pdf.starts_with(b"%PDF-1.7"));
//! ```

use chrono::NaiveDate;

use super::PdfError;

/// How an attached file relates to the document: the `/AFRelationship` of its file
/// specification (PDF/A-3, ISO 32000-2 §14.13).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relationship {
    /// The document's content was derived from the file (Factur-X's usual choice).
    Data,
    /// The file is an equivalent representation of the document (also allowed by
    /// Factur-X, required by some German receivers for ZUGFeRD).
    Alternative,
    /// The file is the source the document was made from.
    Source,
    /// The file adds to the document.
    Supplement,
    /// No known relationship.
    Unspecified,
}

/// A file carried inside the PDF, listed in the catalog's `/AF` array and in the
/// `EmbeddedFiles` name tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The file name readers show, e.g. `factur-x.xml`. Unique within a document.
    pub name: String,
    /// The MIME type, e.g. `text/xml`.
    pub mime: String,
    /// How the file relates to the document.
    pub relationship: Relationship,
    /// A human-readable description (PDF/A-3 requires one).
    pub description: String,
    /// The file's modification date (PDF/A-3 requires one): the document's date, so that
    /// the same document always gives the same bytes.
    pub modified: NaiveDate,
    /// The file's content.
    pub bytes: Vec<u8>,
}

impl Attachment {
    /// The Factur-X invoice XML, as the Factur-X specification names and describes it.
    pub fn factur_x(xml: Vec<u8>, relationship: Relationship, modified: NaiveDate) -> Attachment {
        Attachment {
            name: FACTUR_X_FILE_NAME.to_owned(),
            mime: "text/xml".to_owned(),
            relationship,
            description: "Factur-X invoice (EN 16931 CII XML)".to_owned(),
            modified,
            bytes: xml,
        }
    }
}

/// The name Factur-X gives the attached XML.
pub const FACTUR_X_FILE_NAME: &str = "factur-x.xml";

/// The Factur-X XMP properties (namespace
/// `urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#`, prefix `fx`), written with the
/// PDF/A extension schema that declares them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacturX {
    /// `fx:DocumentType`: `INVOICE` (also for credit notes and self-invoices).
    pub document_type: String,
    /// `fx:DocumentFileName`: the attachment's name, `factur-x.xml`.
    pub file_name: String,
    /// `fx:Version`: `1.0`.
    pub version: String,
    /// `fx:ConformanceLevel`: the profile, `EN 16931` (or `MINIMUM`, `BASIC WL`, `BASIC`,
    /// `EXTENDED`).
    pub conformance_level: String,
}

impl FacturX {
    /// The properties of a Factur-X 1.0 invoice in the EN 16931 profile.
    pub fn en16931() -> FacturX {
        FacturX {
            document_type: "INVOICE".to_owned(),
            file_name: FACTUR_X_FILE_NAME.to_owned(),
            version: "1.0".to_owned(),
            conformance_level: "EN 16931".to_owned(),
        }
    }

    /// The XMP description of the values, to add to the document's `rdf:RDF`.
    fn values_xmp(&self) -> String {
        format!(
            "<rdf:Description rdf:about=\"\" xmlns:fx=\"{FX_NAMESPACE}\">\
             <fx:DocumentType>{}</fx:DocumentType>\
             <fx:DocumentFileName>{}</fx:DocumentFileName>\
             <fx:Version>{}</fx:Version>\
             <fx:ConformanceLevel>{}</fx:ConformanceLevel>\
             </rdf:Description>",
            xml_escape(&self.document_type),
            xml_escape(&self.file_name),
            xml_escape(&self.version),
            xml_escape(&self.conformance_level),
        )
    }

    /// The `pdfaSchema` entry that declares the `fx` namespace, for the
    /// `pdfaExtension:schemas` bag PDF/A requires for a namespace it does not predefine.
    fn schema_xmp() -> String {
        let property = |name: &str, description: &str| {
            format!(
                "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
                 <pdfaProperty:valueType>Text</pdfaProperty:valueType>\
                 <pdfaProperty:category>external</pdfaProperty:category>\
                 <pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
            )
        };
        format!(
            "<rdf:li rdf:parseType=\"Resource\">\
             <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\
             <pdfaSchema:namespaceURI>{FX_NAMESPACE}</pdfaSchema:namespaceURI>\
             <pdfaSchema:prefix>fx</pdfaSchema:prefix>\
             <pdfaSchema:property><rdf:Seq>{}{}{}{}</rdf:Seq></pdfaSchema:property>\
             </rdf:li>",
            property("DocumentFileName", "The name of the embedded XML document"),
            property(
                "DocumentType",
                "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"
            ),
            property(
                "Version",
                "The actual version of the standard applying to the embedded XML document"
            ),
            property(
                "ConformanceLevel",
                "The conformance level of the embedded XML document"
            ),
        )
    }

    /// `packet` (an XMP packet) with the Factur-X values and their schema declaration:
    /// the declaration joins the document's `pdfaExtension:schemas` bag when there is one
    /// (a property may appear only once), else comes in a description of its own.
    pub(crate) fn extend_xmp(&self, packet: &str) -> Option<String> {
        const BAG_END: &str = "</rdf:Bag></pdfaExtension:schemas>";
        let mut packet = match packet.find(BAG_END) {
            Some(at) => format!(
                "{}{}{}",
                &packet[..at],
                FacturX::schema_xmp(),
                &packet[at..]
            ),
            None => {
                let close = packet.rfind("</rdf:RDF>")?;
                format!(
                    "{}<rdf:Description rdf:about=\"\" \
                     xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
                     xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
                     xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\
                     <pdfaExtension:schemas><rdf:Bag>{}</rdf:Bag></pdfaExtension:schemas>\
                     </rdf:Description>{}",
                    &packet[..close],
                    FacturX::schema_xmp(),
                    &packet[close..]
                )
            }
        };
        let close = packet.rfind("</rdf:RDF>")?;
        packet.insert_str(close, &self.values_xmp());
        Some(packet)
    }
}

/// The Factur-X XMP namespace.
const FX_NAMESPACE: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `pdf` with the Factur-X properties added to its XMP metadata.
///
/// The metadata stream is found through the trailer's `/Root` and the catalog's
/// `/Metadata`, rewritten with the new descriptions, and the cross-reference table shifted
/// to match: the file stays a single revision, as krilla wrote it.
pub(crate) fn add_facturx_xmp(pdf: Vec<u8>, facturx: &FacturX) -> Result<Vec<u8>, PdfError> {
    let broken = |what: &str| PdfError(format!("cannot add the Factur-X metadata: {what}"));
    let xref_offset = startxref(&pdf).ok_or_else(|| broken("no startxref"))?;
    let xref = XrefTable::parse(&pdf, xref_offset).ok_or_else(|| broken("no xref table"))?;
    let trailer = &pdf[xref.end..];
    let root = reference_after(trailer, b"/Root").ok_or_else(|| broken("no /Root"))?;
    let catalog_start = xref
        .offset(&pdf, root)
        .ok_or_else(|| broken("no catalog"))?;
    let catalog_end = find(&pdf[catalog_start..], b"endobj").ok_or_else(|| broken("catalog"))?;
    let catalog = &pdf[catalog_start..catalog_start + catalog_end];
    let meta = reference_after(catalog, b"/Metadata").ok_or_else(|| broken("no /Metadata"))?;
    let start = xref
        .offset(&pdf, meta)
        .ok_or_else(|| broken("no metadata object"))?;
    let object_len = find(&pdf[start..], b"endobj").ok_or_else(|| broken("metadata object"))?;
    let end = start + object_len + b"endobj".len();
    let object = &pdf[start..end];
    let data_start = find(object, b"stream\n").ok_or_else(|| broken("metadata stream"))? + 7;
    let data_end = find(object, b"\nendstream").ok_or_else(|| broken("metadata stream end"))?;
    let packet = std::str::from_utf8(&object[data_start..data_end])
        .map_err(|_| broken("metadata is not UTF-8"))?;
    let packet = facturx
        .extend_xmp(packet)
        .ok_or_else(|| broken("no rdf:RDF"))?;
    let new_object = format!(
        "{meta} 0 obj\n<<\n  /Length {}\n  /Type /Metadata\n  /Subtype /XML\n>>\nstream\n{packet}\nendstream\nendobj",
        packet.len()
    );
    let delta = new_object.len() as i64 - (end - start) as i64;
    let mut out = Vec::with_capacity(pdf.len() + new_object.len());
    out.extend_from_slice(&pdf[..start]);
    out.extend_from_slice(new_object.as_bytes());
    out.extend_from_slice(&pdf[end..xref.entries]);
    let shift = |offset: usize| -> usize {
        if offset > start {
            (offset as i64 + delta) as usize
        } else {
            offset
        }
    };
    // The entries of the table, each `oooooooooo ggggg n\r\n`, with shifted offsets.
    let mut cursor = xref.entries;
    for line in pdf[xref.entries..xref.end].split_inclusive(|&b| b == b'\n') {
        if line.len() == 20 && line[18] == b'\r' && line[17] == b'n' {
            let offset = parse_number(&line[..10]).ok_or_else(|| broken("xref entry"))?;
            out.extend_from_slice(format!("{:010}", shift(offset)).as_bytes());
            out.extend_from_slice(&line[10..]);
        } else {
            out.extend_from_slice(line);
        }
        cursor += line.len();
    }
    let tail = std::str::from_utf8(&pdf[cursor..]).map_err(|_| broken("trailer"))?;
    let startxref_at = tail.rfind("startxref").ok_or_else(|| broken("startxref"))?;
    out.extend_from_slice(&tail.as_bytes()[..startxref_at]);
    out.extend_from_slice(format!("startxref\n{}\n%%EOF", shift(xref_offset)).as_bytes());
    if tail.ends_with('\n') {
        out.push(b'\n');
    }
    Ok(out)
}

/// The classic cross-reference table krilla (pdf-writer) writes.
struct XrefTable {
    /// Where the subsections start (after `xref\n`).
    entries: usize,
    /// Where the `trailer` keyword starts.
    end: usize,
    /// `(first object number, entries offset, count)` of each subsection.
    sections: Vec<(usize, usize, usize)>,
}

impl XrefTable {
    fn parse(pdf: &[u8], offset: usize) -> Option<XrefTable> {
        let rest = pdf.get(offset..)?;
        if !rest.starts_with(b"xref") {
            return None;
        }
        let mut at = offset + 4;
        while pdf.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let entries = at;
        let mut sections = Vec::new();
        while !pdf.get(at..)?.starts_with(b"trailer") {
            let line_end = at + find(&pdf[at..], b"\n")?;
            let header = std::str::from_utf8(&pdf[at..line_end]).ok()?;
            let mut numbers = header.split_whitespace().map(str::parse::<usize>);
            let first = numbers.next()?.ok()?;
            let count = numbers.next()?.ok()?;
            sections.push((first, line_end + 1, count));
            at = line_end + 1 + 20 * count;
        }
        Some(XrefTable {
            entries,
            end: at,
            sections,
        })
    }

    /// The offset of object `id`.
    fn offset(&self, pdf: &[u8], id: usize) -> Option<usize> {
        let &(first, start, _) = self
            .sections
            .iter()
            .find(|(first, _, count)| (*first..first + count).contains(&id))?;
        let entry = start + 20 * (id - first);
        parse_number(pdf.get(entry..entry + 10)?)
    }
}

/// The offset after the last `startxref`.
fn startxref(pdf: &[u8]) -> Option<usize> {
    let tail_start = pdf.len().saturating_sub(64);
    let tail = &pdf[tail_start..];
    let at = tail.windows(9).rposition(|window| window == b"startxref")?;
    let digits: Vec<u8> = tail[at + 9..]
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(u8::is_ascii_digit)
        .collect();
    parse_number(&digits)
}

/// The object number of the `N 0 R` reference that follows `key` in `dict`.
fn reference_after(dict: &[u8], key: &[u8]) -> Option<usize> {
    let at = find(dict, key)? + key.len();
    let digits: Vec<u8> = dict[at..]
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(u8::is_ascii_digit)
        .collect();
    parse_number(&digits)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn parse_number(digits: &[u8]) -> Option<usize> {
    std::str::from_utf8(digits).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use lopdf::{Document, Object};

    use super::*;
    use crate::pdf::{PdfOptions, html_to_pdf};

    const XML: &[u8] = b"<?xml version=\"1.0\"?><rsm:CrossIndustryInvoice/>";

    fn invoice_pdf(relationship: Relationship) -> Vec<u8> {
        let date = NaiveDate::from_ymd_opt(2026, 6, 15).expect("a date");
        let options = PdfOptions {
            title: "Facture F2026-0001".into(),
            author: "Fresques en Rhône".into(),
            date: Some(date),
            attachments: vec![Attachment::factur_x(XML.to_vec(), relationship, date)],
            facturx: Some(FacturX::en16931()),
            ..PdfOptions::default()
        };
        html_to_pdf("<h1>Facture</h1><p>Łódź Ślusarz</p>", &options).expect("a PDF")
    }

    fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
        match object {
            Object::Reference(id) => doc.get_object(*id).expect("a referenced object"),
            other => other,
        }
    }

    /// The file specifications of the catalog's `/AF` array and of its `EmbeddedFiles`
    /// name tree.
    fn file_specs(pdf: &[u8]) -> (Document, Vec<Object>, Vec<(String, Object)>) {
        let doc = Document::load_mem(pdf).expect("lopdf reads the PDF");
        let catalog = doc.catalog().expect("a catalog");
        let af = resolve(&doc, catalog.get(b"AF").expect("/AF in the catalog"))
            .as_array()
            .expect("an array")
            .clone();
        let names = resolve(&doc, catalog.get(b"Names").expect("/Names"))
            .as_dict()
            .expect("a dictionary");
        let tree = resolve(&doc, names.get(b"EmbeddedFiles").expect("/EmbeddedFiles"))
            .as_dict()
            .expect("a name tree");
        let pairs = resolve(&doc, tree.get(b"Names").expect("a leaf name tree"))
            .as_array()
            .expect("an array");
        let entries = pairs
            .chunks(2)
            .map(|pair| {
                let name = pair[0]
                    .as_str()
                    .map(|name| String::from_utf8_lossy(name).into_owned());
                (name.expect("a name"), pair[1].clone())
            })
            .collect();
        (doc, af, entries)
    }

    #[test]
    fn an_attachment_is_in_the_af_array_and_the_embedded_files_tree() {
        let pdf = invoice_pdf(Relationship::Data);
        let (doc, af, entries) = file_specs(&pdf);
        assert_eq!(af.len(), 1);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].0, "factur-x.xml");
        assert_eq!(
            entries[0].1, af[0],
            "the tree and /AF name the same file specification"
        );
        let spec = resolve(&doc, &af[0])
            .as_dict()
            .expect("a file specification");
        assert_eq!(
            spec.get(b"AFRelationship").and_then(Object::as_name).ok(),
            Some(&b"Data"[..])
        );
        assert_eq!(
            spec.get(b"UF").and_then(Object::as_str).ok(),
            Some(&b"factur-x.xml"[..])
        );
        assert!(spec.get(b"Desc").is_ok(), "PDF/A-3 wants a description");
        let ef = resolve(&doc, spec.get(b"EF").expect("/EF"))
            .as_dict()
            .expect("a dictionary");
        let Object::Stream(stream) = resolve(&doc, ef.get(b"F").expect("/F")) else {
            panic!("the embedded file is a stream");
        };
        assert_eq!(
            stream.dict.get(b"Subtype").and_then(Object::as_name).ok(),
            Some(&b"text/xml"[..])
        );
        assert_eq!(stream.decompressed_content().expect("inflates"), XML);
    }

    #[test]
    fn the_relationship_can_be_alternative() {
        let pdf = invoice_pdf(Relationship::Alternative);
        let (doc, af, _) = file_specs(&pdf);
        let spec = resolve(&doc, &af[0])
            .as_dict()
            .expect("a file specification");
        assert_eq!(
            spec.get(b"AFRelationship").and_then(Object::as_name).ok(),
            Some(&b"Alternative"[..])
        );
    }

    #[test]
    fn the_xmp_declares_factur_x_and_its_extension_schema() {
        let pdf = invoice_pdf(Relationship::Data);
        let doc = Document::load_mem(&pdf).expect("lopdf reads the patched PDF");
        let catalog = doc.catalog().expect("a catalog");
        let Object::Stream(stream) = resolve(&doc, catalog.get(b"Metadata").expect("/Metadata"))
        else {
            panic!("the metadata is a stream");
        };
        let xmp = String::from_utf8(stream.content.clone()).expect("UTF-8 XMP");
        for expected in [
            "<fx:DocumentType>INVOICE</fx:DocumentType>",
            "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
            "<fx:Version>1.0</fx:Version>",
            "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
            "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>",
            "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
            "<pdfaProperty:name>ConformanceLevel</pdfaProperty:name>",
            "<pdfaid:part>3</pdfaid:part>",
        ] {
            assert!(xmp.contains(expected), "{expected} missing from {xmp}");
        }
        assert_eq!(xmp.matches("<pdfaExtension:schemas>").count(), 1, "{xmp}");
        // Well-formed XML, with the values where an XMP reader looks for them.
        let tree = usvg::roxmltree::Document::parse(&xmp).expect("well-formed XMP");
        let fx = tree
            .descendants()
            .find(|node| node.tag_name().name() == "ConformanceLevel")
            .expect("fx:ConformanceLevel");
        assert_eq!(fx.tag_name().namespace(), Some(FX_NAMESPACE));
        assert_eq!(fx.text(), Some("EN 16931"));
        // The file stays readable as a whole: pdf-extract finds the text.
        let text = pdf_extract::extract_text_from_mem(&pdf).expect("text");
        assert!(text.contains("Łódź Ślusarz"), "{text}");
    }

    #[test]
    fn without_factur_x_the_xmp_is_krillas() {
        let options = PdfOptions::default();
        let pdf = html_to_pdf("<p>Devis</p>", &options).expect("a PDF");
        assert!(!String::from_utf8_lossy(&pdf).contains("fx:"));
    }
}
