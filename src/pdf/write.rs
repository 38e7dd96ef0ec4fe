//! Serialises laid-out pages as a PDF file with `pdf-writer`.
//!
//! The file uses the four Helvetica faces of the standard 14 fonts with WinAnsiEncoding,
//! so that nothing is embedded and text extracts back as written. It holds no date and
//! no file identifier: the same pages always give the same bytes.

use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::flow::{Gray, Op};
use super::layout::{PAGE_HEIGHT, PAGE_WIDTH, Page};
use super::metrics::{Font, encode_lossy};

/// What the document says about itself.
pub(crate) struct Metadata<'a> {
    pub(crate) title: &'a str,
    pub(crate) author: &'a str,
    pub(crate) lang: &'a str,
}

/// The name each face has in page resources, in [`Font::ALL`] order.
const FONT_NAMES: [&[u8]; 4] = [b"F1", b"F2", b"F3", b"F4"];

/// Flate level for content streams: the default, a good size for little time.
const COMPRESSION_LEVEL: u8 = 6;

/// Writes `pages` as a PDF file.
pub(crate) fn write_pdf(pages: &[Page], metadata: &Metadata) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let info_id = Ref::new(3);
    let font_ids: Vec<Ref> = (0..Font::ALL.len())
        .map(|index| Ref::new(4 + index as i32))
        .collect();
    let first_page_id = 4 + Font::ALL.len() as i32;
    // Each page takes two ids: the page, then its content stream.
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|index| Ref::new(first_page_id + 2 * index as i32))
        .collect();

    let mut pdf = Pdf::new();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(tree_id);
    if !metadata.lang.is_empty() {
        catalog.lang(TextStr(metadata.lang));
    }
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();

    let mut info = pdf.document_info(info_id);
    if !metadata.title.is_empty() {
        info.title(TextStr(metadata.title));
    }
    if !metadata.author.is_empty() {
        info.author(TextStr(metadata.author));
    }
    info.producer(TextStr("fresk"));
    info.finish();

    for (font, &id) in Font::ALL.iter().zip(&font_ids) {
        pdf.type1_font(id)
            .base_font(Name(font.base_name().as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"))
            .first_char(32)
            .last_char(255)
            .widths(font.widths()[32..].iter().map(|&width| f32::from(width)));
    }

    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    for (page, &page_id) in pages.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut writer = pdf.page(page_id);
        writer
            .parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_id);
        let mut resources = writer.resources();
        let mut fonts = resources.fonts();
        for (name, &id) in FONT_NAMES.iter().zip(&font_ids) {
            fonts.pair(Name(name), id);
        }
        fonts.finish();
        resources.finish();
        writer.finish();

        let compressed = compress_to_vec_zlib(&content(page), COMPRESSION_LEVEL);
        pdf.stream(content_id, &compressed)
            .filter(Filter::FlateDecode);
    }
    pdf.finish()
}

/// The content stream of a page: rules and frames first, then the text in one text
/// object, setting font and colour only when they change.
fn content(page: &Page) -> Vec<u8> {
    let mut content = Content::new();
    let flip = |y: f32| PAGE_HEIGHT - y;
    for op in &page.ops {
        match *op {
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color: Gray(gray),
            } => {
                content
                    .set_line_width(width)
                    .set_stroke_gray(gray)
                    .move_to(x1, flip(y1))
                    .line_to(x2, flip(y2))
                    .stroke();
            }
            Op::Rect {
                x,
                y,
                width,
                height,
                line_width,
                color: Gray(gray),
            } => {
                content
                    .set_line_width(line_width)
                    .set_stroke_gray(gray)
                    .rect(x, flip(y + height), width, height)
                    .stroke();
            }
            Op::Text { .. } => {}
        }
    }
    let mut font_state: Option<(Font, f32)> = None;
    let mut color_state: Option<f32> = None;
    let mut texts = page.ops.iter().filter_map(|op| match op {
        Op::Text {
            x,
            y,
            font,
            size,
            color: Gray(gray),
            text,
        } => Some((*x, *y, *font, *size, *gray, text)),
        Op::Line { .. } | Op::Rect { .. } => None,
    });
    if let Some(first) = texts.next() {
        content.begin_text();
        for (x, y, font, size, gray, text) in std::iter::once(first).chain(texts) {
            if font_state != Some((font, size)) {
                content.set_font(Name(FONT_NAMES[font.index()]), size);
                font_state = Some((font, size));
            }
            if color_state != Some(gray) {
                content.set_fill_gray(gray);
                color_state = Some(gray);
            }
            content
                .set_text_matrix([1.0, 0.0, 0.0, 1.0, x, flip(y)])
                .show(Str(&encode_lossy(text)));
        }
        content.end_text();
    }
    content.finish().into_vec()
}
