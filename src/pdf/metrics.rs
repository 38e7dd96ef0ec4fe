//! The four faces of Noto Sans, compiled into the binary: which characters they can show,
//! and how wide each one is.
//!
//! The fonts live in `fonts/` at the root of the repository with their licence (SIL Open
//! Font License 1.1). They cover Latin with its extensions, Greek, Cyrillic and Vietnamese.
//! Text is measured with the advance widths of the font's `hmtx` table, and the writer
//! places every glyph at exactly those advances: measuring and drawing agree to the point.
//!
//! Text is normalised once, when it enters the layout ([`push_printable`]): invisible
//! characters go, the space variants are unified, and characters the fonts have no glyph
//! for become `?`.

use std::sync::OnceLock;

use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider};

/// The no-break space every no-break space variant becomes: it is drawn like a space but
/// never breaks a line.
pub(crate) const NBSP: char = '\u{A0}';

/// One of the faces of the family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Font {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Font {
    /// Every face, in index order.
    pub(crate) const ALL: [Font; 4] = [Font::Regular, Font::Bold, Font::Italic, Font::BoldItalic];

    /// The face for a weight and a slant.
    pub(crate) fn new(bold: bool, italic: bool) -> Font {
        match (bold, italic) {
            (false, false) => Font::Regular,
            (true, false) => Font::Bold,
            (false, true) => Font::Italic,
            (true, true) => Font::BoldItalic,
        }
    }

    /// Position in [`Font::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The OpenType file of the face.
    pub(crate) fn data(self) -> &'static [u8] {
        match self {
            Font::Regular => include_bytes!("../../fonts/NotoSans-Regular.ttf"),
            Font::Bold => include_bytes!("../../fonts/NotoSans-Bold.ttf"),
            Font::Italic => include_bytes!("../../fonts/NotoSans-Italic.ttf"),
            Font::BoldItalic => include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"),
        }
    }
}

/// Height of the ascenders above the baseline, in em (the top of Noto Sans's `d`).
pub(crate) const ASCENT: f32 = 0.76;
/// Depth of the descenders below the baseline, in em (the bottom of Noto Sans's `p`).
pub(crate) const DESCENT: f32 = 0.24;

/// A face ready to answer questions about glyphs.
struct Face {
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
    /// The glyph (0 for none) and advance (in em) of every character below
    /// [`TABLE_END`], looked up once: the layout measures each character many times.
    table: Vec<(u32, f32)>,
}

/// The characters [`Face::table`] covers: Latin, Greek, Cyrillic and the punctuation
/// blocks up to the arrows.
const TABLE_END: u32 = 0x2200;

/// The faces, in [`Font::ALL`] order, parsed on first use.
fn face(font: Font) -> &'static Face {
    static FACES: OnceLock<Vec<Face>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        Font::ALL
            .iter()
            .map(|font| {
                // The files are compiled in and checked by the tests: only a broken build
                // can make this fail.
                let data = FontRef::new(font.data()).expect("the embedded fonts parse");
                let metrics = data.glyph_metrics(Size::unscaled(), LocationRef::default());
                let units_per_em = f32::from(
                    data.metrics(Size::unscaled(), LocationRef::default())
                        .units_per_em,
                );
                let charmap = data.charmap();
                let table = (0..TABLE_END)
                    .map(|code| {
                        let id = char::from_u32(code)
                            .and_then(|c| charmap.map(c))
                            .map_or(0, GlyphId::to_u32);
                        let advance = metrics.advance_width(GlyphId::new(id)).unwrap_or(0.0);
                        (id, advance / units_per_em)
                    })
                    .collect();
                Face {
                    charmap,
                    metrics,
                    units_per_em,
                    table,
                }
            })
            .collect()
    });
    &faces[font.index()]
}

/// The glyph `font` draws `c` with, if it has one.
pub(crate) fn glyph(font: Font, c: char) -> Option<GlyphId> {
    let face = face(font);
    let id = match face.table.get(c as usize) {
        Some(&(id, _)) => id,
        None => face.charmap.map(c).map_or(0, GlyphId::to_u32),
    };
    (id != 0).then(|| GlyphId::new(id))
}

/// Width of `c` at a size of 1 pt. Characters without a glyph measure as `?`, which is
/// what normalised text has in their place.
pub(crate) fn char_width(font: Font, c: char) -> f32 {
    match face(font).table.get(c as usize) {
        Some(&(id, advance)) if id != 0 => advance,
        _ => glyph_advance(font, glyph(font, c).or_else(|| glyph(font, '?'))),
    }
}

/// The advance of `glyph` at a size of 1 pt (the missing glyph's when `None`).
pub(crate) fn glyph_advance(font: Font, glyph: Option<GlyphId>) -> f32 {
    let face = face(font);
    let id = glyph.unwrap_or(GlyphId::NOTDEF);
    face.metrics.advance_width(id).unwrap_or(0.0) / face.units_per_em
}

/// Width of `text` set in `font` at `size` pt.
pub(crate) fn text_width(font: Font, size: f32, text: &str) -> f32 {
    text.chars().map(|c| char_width(font, c)).sum::<f32>() * size
}

/// Appends to `out` a spelling of `c` that the fonts can show.
///
/// No-break spaces of every width become [`NBSP`]; invisible characters (controls, soft
/// hyphens, zero-width spaces and joiners) vanish; Unicode spaces become a plain space;
/// characters the regular face has no glyph for become `?`.
pub(crate) fn push_printable(c: char, out: &mut String) {
    match c {
        '\u{A0}' | '\u{202F}' | '\u{2007}' => out.push(NBSP),
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {}
        '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => out.push(' '),
        c if c.is_control() => {}
        c if glyph(Font::Regular, c).is_some() => out.push(c),
        c => match SUBSTITUTES.iter().find(|&&(from, _)| from == c) {
            Some(&(_, to)) => out.push(to),
            None => out.push('?'),
        },
    }
}

/// Characters the fonts lack, and the look-alike they have.
const SUBSTITUTES: [(char, char); 6] = [
    ('\u{2212}', '-'), // MINUS SIGN
    ('\u{2010}', '-'), // HYPHEN
    ('\u{2011}', '-'), // NON-BREAKING HYPHEN
    ('\u{2012}', '–'), // FIGURE DASH
    ('\u{2015}', '—'), // HORIZONTAL BAR
    ('\u{2043}', '-'), // HYPHEN BULLET
];

#[cfg(test)]
mod tests {
    use super::*;

    fn printable(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            push_printable(c, &mut out);
        }
        out
    }

    #[test]
    fn every_face_parses_and_measures() {
        for font in Font::ALL {
            assert!(char_width(font, 'a') > 0.4, "{font:?}");
            assert!(char_width(font, 'W') > char_width(font, 'i'), "{font:?}");
        }
        assert!(char_width(Font::Bold, 'a') > char_width(Font::Regular, 'a'));
        assert_eq!(
            text_width(Font::Regular, 10.0, "ab"),
            10.0 * (char_width(Font::Regular, 'a') + char_width(Font::Regular, 'b'))
        );
    }

    #[test]
    fn names_in_every_script_the_network_meets_have_glyphs() {
        let names = "Łódź Ślusarz — Дмитрий Nguyễn Ἀθηνᾶ Ελένη Παπαδοπούλου Győr ẞ œ € ’ « » …";
        for font in Font::ALL {
            for c in names.chars().filter(|c| *c != ' ') {
                assert!(glyph(font, c).is_some(), "{font:?} lacks {c:?}");
            }
        }
        assert_eq!(printable(names), names);
    }

    #[test]
    fn text_is_normalised_to_what_the_fonts_show() {
        assert_eq!(printable("Łódź ő ﬁn"), "Łódź ő ﬁn");
        assert_eq!(printable("1\u{202F}200\u{A0}€"), "1\u{A0}200\u{A0}€");
        assert_eq!(printable("a\u{200B}b\u{AD}c\u{7}d\u{FEFF}"), "abcd");
        assert_eq!(printable("日本"), "??");
        assert_eq!(printable("a\u{2009}b"), "a b");
        assert_eq!(printable("\u{2212}10"), "-10");
    }

    #[test]
    fn ascent_and_descent_match_the_glyphs() {
        let face = face(Font::Regular);
        let top = |c| {
            let bounds = face
                .metrics
                .bounds(glyph(Font::Regular, c).expect("glyph"))
                .expect("bounds");
            (
                bounds.y_max / face.units_per_em,
                bounds.y_min / face.units_per_em,
            )
        };
        assert!((top('d').0 - ASCENT).abs() < 0.01, "{:?}", top('d'));
        assert!((-top('p').1 - DESCENT).abs() < 0.01, "{:?}", top('p'));
    }
}
