//! PDF output: lays out the HTML subset the document templates use, without a browser.
//!
//! [`html_to_pdf`] parses the HTML tolerantly ([`html`]), lays it out on A4 pages with
//! the embedded Noto Sans faces and their real metrics ([`layout`], [`table`], [`text`],
//! [`flow`], [`metrics`]), and writes a PDF/A-3b file whose text can be searched and
//! copied, with the fonts subsetted and embedded ([`write`], through `krilla`). Files can
//! be attached, with the Factur-X XMP metadata ([`Attachment`], [`FacturX`]). The output
//! depends on the input only: no dates but the ones passed in, no random identifiers.
//!
//! # The HTML subset
//!
//! - Blocks: `h1`–`h3` (`h4`–`h6` as bold body text), `p`, `div`, `section`, `header`,
//!   `footer`, `table`, `ul`, `ol`, `li`, `hr`; other block tags as `div`.
//! - Inline: `strong`/`b` (bold), `em`/`i` (italic), `small`, `span`, `a` (as text),
//!   `br`; other tags are shown as their text. `<head>`, `<style>`, `<script>` are
//!   ignored.
//! - Classes: `columns`, `right`, `center`, `num`, `muted`, `small`, `box`, `keep`,
//!   `page-break`, `grand` (on `tr`), `lines` and `totals` (on `table`).
//! - Tables: `<col style="width:NN%">`, `colspan`, `thead` repeated on each page.
//! - `<footer>` as a child of `<body>`: at the bottom of every page, with the page label.

mod attach;
mod flow;
mod html;
mod layout;
mod metrics;
mod table;
mod text;
mod write;

use std::fmt;

pub use attach::{Attachment, FACTUR_X_FILE_NAME, FacturX, Relationship};

/// What the PDF says about itself, and how pages are labelled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// The document title in the PDF metadata; when empty, the HTML `<title>`.
    pub title: String,
    /// The document author in the PDF metadata: the organisation's name.
    pub author: String,
    /// The document language (`"fr"`, `"en"`…); when empty, the `lang` of `<html>`.
    pub lang: String,
    /// Footer page label with `{page}` and `{pages}` placeholders, e.g.
    /// `"Page {page} / {pages}"`. Empty for no label.
    pub page_label: String,
    /// The PDF's creation date (PDF/A requires one): the day the document was made. When
    /// `None`, 1970-01-01, so that the same input still gives the same bytes.
    pub date: Option<chrono::NaiveDate>,
    /// Files to attach (PDF/A-3 associated files), e.g. [`Attachment::factur_x`].
    pub attachments: Vec<Attachment>,
    /// The Factur-X XMP properties to declare ([`FacturX::en16931`]), for an invoice
    /// carrying its `factur-x.xml`.
    pub facturx: Option<FacturX>,
}

/// Why a PDF could not be made.
///
/// The layout itself never fails: constructs outside the supported subset are shown as
/// text or ignored. This is kept for failures a caller must be told about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PdfError(pub String);

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PdfError {}

/// Renders `html` (a document from the templates) as an A4 PDF.
///
/// Any input gives a PDF: unknown tags show their text, broken markup is repaired as
/// browsers would. The same input and options always give the same bytes.
pub fn html_to_pdf(html: &str, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let root = html::parse(html);
    let pages = layout::layout(&root, &options.page_label);
    let title = if options.title.is_empty() {
        root.find("title")
            .map(|title| collapse_whitespace(&title.text_content()))
            .unwrap_or_default()
    } else {
        options.title.clone()
    };
    let lang = if options.lang.is_empty() {
        root.find("html")
            .and_then(|html| html.attr("lang"))
            .unwrap_or_default()
            .trim()
            .to_owned()
    } else {
        options.lang.clone()
    };
    let metadata = write::Metadata {
        title: &title,
        author: &options.author,
        lang: &lang,
        date: options.date.unwrap_or_default(),
    };
    let pdf = write::write_pdf(&pages, &metadata, &options.attachments)?;
    match &options.facturx {
        Some(facturx) => attach::add_facturx_xmp(pdf, facturx),
        None => Ok(pdf),
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
