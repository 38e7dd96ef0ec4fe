//! Serialises laid-out pages as a PDF/A-3b file with `krilla`.
//!
//! krilla embeds the fonts of [`metrics`](super::metrics) as subsets (only the glyphs the
//! document uses, with a `ToUnicode` map so that text extracts back as written), writes
//! the XMP metadata, the sRGB output intent and the document identifiers PDF/A requires,
//! attaches files, and refuses to write anything PDF/A forbids. Glyphs are placed at the
//! advances the layout measured with, so what is drawn is what was measured.
//!
//! The file holds no date and no random identifier: the same pages always give the same
//! bytes (the identifiers are hashes of the content).

use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder, Validator};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata as KrillaMetadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Paint, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font as KrillaFont, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use super::PdfError;
use super::attach::{Attachment, Relationship};
use super::flow::{Color, Op};
use super::layout::{PAGE_HEIGHT, PAGE_WIDTH, Page};
use super::metrics::{Font, glyph, glyph_advance};

/// What the document says about itself.
pub(crate) struct Metadata<'a> {
    pub(crate) title: &'a str,
    pub(crate) author: &'a str,
    pub(crate) lang: &'a str,
    pub(crate) date: chrono::NaiveDate,
}

/// Writes `pages` as a PDF/A-3b file carrying `attachments`.
pub(crate) fn write_pdf(
    pages: &[Page],
    metadata: &Metadata,
    attachments: &[Attachment],
) -> Result<Vec<u8>, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .set_validator(Validator::A(Archival::A3_B))
        .finish()
        .map_err(|e| PdfError(format!("PDF/A-3b configuration: {e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        // The layout tags nothing: PDF/A-3b does not ask for a structure tree.
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let mut info = KrillaMetadata::new()
        .producer("fresk".to_owned())
        .creation_date(midnight_utc(metadata.date));
    if !metadata.title.is_empty() {
        info = info.title(metadata.title.to_owned());
    }
    if !metadata.author.is_empty() {
        info = info.authors(vec![metadata.author.to_owned()]);
    }
    if !metadata.lang.is_empty() {
        info = info.language(metadata.lang.to_owned());
    }
    document.set_metadata(info);

    let fonts: Vec<KrillaFont> = Font::ALL
        .iter()
        .map(|font| {
            KrillaFont::new(font.data().into(), 0)
                .ok_or_else(|| PdfError(format!("the embedded font {font:?} does not parse")))
        })
        .collect::<Result<_, _>>()?;
    let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| PdfError("invalid page size".to_owned()))?;
    for page in pages {
        let mut writer = document.start_page_with(page_settings.clone());
        let mut surface = writer.surface();
        draw_page(&mut surface, page, &fonts);
        surface.finish();
        writer.finish();
    }
    for attachment in attachments {
        document
            .embed_file(embedded_file(attachment)?)
            .ok_or_else(|| PdfError(format!("two attachments are named {}", attachment.name)))?;
    }
    document
        .finish()
        .map_err(|e| PdfError(format!("the PDF could not be written: {e:?}")))
}

/// An attachment as krilla embeds it.
fn embedded_file(attachment: &Attachment) -> Result<EmbeddedFile, PdfError> {
    let mime_type = MimeType::new(&attachment.mime).ok_or_else(|| {
        PdfError(format!(
            "{:?} is not a MIME type (attachment {})",
            attachment.mime, attachment.name
        ))
    })?;
    let modification_date = midnight_utc(attachment.modified);
    Ok(EmbeddedFile {
        path: attachment.name.clone(),
        mime_type: Some(mime_type),
        description: Some(attachment.description.clone()),
        association_kind: match attachment.relationship {
            Relationship::Data => AssociationKind::Data,
            Relationship::Alternative => AssociationKind::Alternative,
            Relationship::Source => AssociationKind::Source,
            Relationship::Supplement => AssociationKind::Supplement,
            Relationship::Unspecified => AssociationKind::Unspecified,
        },
        data: attachment.bytes.clone().into(),
        modification_date: Some(modification_date),
        compress: Some(true),
        location: None,
    })
}

/// Midnight UTC on `date`, as krilla writes dates.
fn midnight_utc(date: chrono::NaiveDate) -> DateTime {
    use chrono::Datelike;
    DateTime::new(u16::try_from(date.year()).unwrap_or(1970))
        .month(u8::try_from(date.month()).unwrap_or(1))
        .day(u8::try_from(date.day()).unwrap_or(1))
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// The paint of a layout colour.
fn paint(color: Color) -> Paint {
    match color {
        Color::Gray(gray) => luma::Color::new(channel(gray)).into(),
    }
}

/// A 0–1 shade as a byte.
fn channel(value: f32) -> u8 {
    // Clamped to 0–255 first, so the cast cannot truncate.
    (value.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// Draws the operations of a page: rules and frames first, then the text.
fn draw_page(surface: &mut Surface, page: &Page, fonts: &[KrillaFont]) {
    for op in &page.ops {
        let (path, width, color) = match *op {
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                let mut builder = PathBuilder::new();
                builder.move_to(x1, y1);
                builder.line_to(x2, y2);
                (builder.finish(), width, color)
            }
            Op::Rect {
                x,
                y,
                width,
                height,
                line_width,
                color,
            } => {
                let mut builder = PathBuilder::new();
                builder.move_to(x, y);
                builder.line_to(x + width, y);
                builder.line_to(x + width, y + height);
                builder.line_to(x, y + height);
                builder.close();
                (builder.finish(), line_width, color)
            }
            Op::Text { .. } => continue,
        };
        let Some(path) = path else { continue };
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: paint(color),
            width,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
    }
    surface.set_stroke(None);
    for op in &page.ops {
        if let Op::Text {
            x,
            y,
            font,
            size,
            color,
            text,
        } = op
        {
            surface.set_fill(Some(Fill {
                paint: paint(*color),
                ..Fill::default()
            }));
            let glyphs = glyphs(*font, text);
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &glyphs,
                fonts[font.index()].clone(),
                text,
                *size,
                false,
            );
        }
    }
}

/// The glyphs of `text`, each at the advance the layout measured it with.
fn glyphs(font: Font, text: &str) -> Vec<KrillaGlyph> {
    text.char_indices()
        .map(|(start, c)| {
            let id = glyph(font, c).or_else(|| glyph(font, '?'));
            KrillaGlyph {
                glyph_id: GlyphId::new(id.map_or(0, |id| id.to_u32())),
                text_range: start..start + c.len_utf8(),
                x_advance: glyph_advance(font, id),
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            }
        })
        .collect()
}
