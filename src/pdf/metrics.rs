//! The four Helvetica faces of the PDF standard 14 fonts: which characters they can show
//! through WinAnsiEncoding, and how wide each one is.
//!
//! Text is normalised once, when it enters the layout ([`push_printable`]), so that every
//! string the layout measures and the writer encodes holds only characters that have a
//! WinAnsi code: measuring and drawing then agree to the point.

use super::afm::{TRANSLITERATIONS, WIDTHS, WIN_ANSI_HIGH};

/// The no-break space every no-break space variant becomes: it is drawn like a space but
/// never breaks a line.
pub(crate) const NBSP: char = '\u{A0}';

/// One of the Helvetica faces. The order is the order of the [`WIDTHS`] table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Font {
    Regular,
    Bold,
    Oblique,
    BoldOblique,
}

impl Font {
    /// Every face, in table order.
    pub(crate) const ALL: [Font; 4] = [Font::Regular, Font::Bold, Font::Oblique, Font::BoldOblique];

    /// The face for a weight and a slant.
    pub(crate) fn new(bold: bool, italic: bool) -> Font {
        match (bold, italic) {
            (false, false) => Font::Regular,
            (true, false) => Font::Bold,
            (false, true) => Font::Oblique,
            (true, true) => Font::BoldOblique,
        }
    }

    /// Position in [`Font::ALL`] and in the width table.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The PostScript name a PDF reader knows the face by.
    pub(crate) fn base_name(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
            Font::Oblique => "Helvetica-Oblique",
            Font::BoldOblique => "Helvetica-BoldOblique",
        }
    }

    /// Advance widths of codes 0..=255 in 1/1000 em, as a PDF `/Widths` array wants them.
    pub(crate) fn widths(self) -> &'static [u16; 256] {
        &WIDTHS[self.index()]
    }
}

/// Height of the font's ascender above the baseline, in em (Helvetica's AFM `Ascender`).
pub(crate) const ASCENT: f32 = 0.718;
/// Depth of the font's descender below the baseline, in em (Helvetica's AFM `Descender`).
pub(crate) const DESCENT: f32 = 0.207;

/// The WinAnsiEncoding code of `c`, if the encoding has a glyph for it.
pub(crate) fn encode(c: char) -> Option<u8> {
    let code = u32::from(c);
    match code {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).ok(),
        _ => WIN_ANSI_HIGH
            .iter()
            .find(|&&(high, _)| high == c)
            .map(|&(_, byte)| byte),
    }
}

/// Width of `c` at a size of 1 pt. Characters without a code measure as `?`, which is
/// what [`encode_lossy`] draws in their place.
pub(crate) fn char_width(font: Font, c: char) -> f32 {
    let code = encode(c).unwrap_or(b'?');
    f32::from(font.widths()[usize::from(code)]) / 1000.0
}

/// Width of `text` set in `font` at `size` pt.
pub(crate) fn text_width(font: Font, size: f32, text: &str) -> f32 {
    text.chars().map(|c| char_width(font, c)).sum::<f32>() * size
}

/// `text` as WinAnsi bytes, with `?` for any character the encoding lacks (normalised text
/// has none).
pub(crate) fn encode_lossy(text: &str) -> Vec<u8> {
    text.chars().map(|c| encode(c).unwrap_or(b'?')).collect()
}

/// Appends to `out` a spelling of `c` that WinAnsiEncoding can show.
///
/// No-break spaces of every width become [`NBSP`]; invisible characters (controls, soft
/// hyphens, zero-width spaces and joiners) vanish; Unicode spaces become a plain space;
/// letters outside the encoding lose their accents or get spelled out (`ł` → `l`,
/// `ﬁ` → `fi`); anything else becomes `?`.
pub(crate) fn push_printable(c: char, out: &mut String) {
    match c {
        '\u{A0}' | '\u{202F}' | '\u{2007}' => out.push(NBSP),
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {}
        '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => out.push(' '),
        c if c.is_control() => {}
        c if encode(c).is_some() => out.push(c),
        c => match TRANSLITERATIONS.binary_search_by_key(&c, |&(from, _)| from) {
            Ok(i) => out.push_str(TRANSLITERATIONS[i].1),
            Err(_) => out.push('?'),
        },
    }
}

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
    fn known_widths_match_the_adobe_metrics() {
        assert_eq!(text_width(Font::Regular, 1000.0, "a"), 556.0);
        assert_eq!(text_width(Font::Regular, 1000.0, " "), 278.0);
        assert_eq!(text_width(Font::Bold, 1000.0, "W"), 944.0);
        assert_eq!(text_width(Font::Regular, 1000.0, "€"), 556.0);
        assert_eq!(text_width(Font::Oblique, 1000.0, "é"), 556.0);
        assert_eq!(text_width(Font::BoldOblique, 1000.0, "—"), 1000.0);
    }

    #[test]
    fn french_text_is_encodable() {
        for c in "éèêëàâçôöœŒ«»€’‘“”–—…·°ÉÈÀÇ".chars() {
            assert!(encode(c).is_some(), "{c} has no WinAnsi code");
        }
        assert_eq!(encode('€'), Some(0x80));
        assert_eq!(encode('’'), Some(0x92));
        assert_eq!(encode('é'), Some(0xE9));
    }

    #[test]
    fn text_is_normalised_to_the_encoding() {
        assert_eq!(printable("Łódź ő ﬁn"), "Lódz o fin");
        assert_eq!(printable("1\u{202F}200\u{A0}€"), "1\u{A0}200\u{A0}€");
        assert_eq!(printable("a\u{200B}b\u{AD}c\u{7}d\u{FEFF}"), "abcd");
        assert_eq!(printable("日本"), "??");
        assert_eq!(printable("a\u{2009}b"), "a b");
    }
}
