//! Inline text: collapsing whitespace as HTML does, breaking it into lines that fit a
//! width, and measuring the narrowest and widest a run of text can be (for table columns).

use super::flow::{Color, Op, Slice};
use super::metrics::{ASCENT, DESCENT, Font, char_width, push_printable, text_width};

/// Line height as a multiple of the font size.
pub(crate) const LINE_HEIGHT: f32 = 1.35;

/// How text is set: face, size and colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TextStyle {
    pub(crate) size: f32,
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    pub(crate) color: Color,
}

impl TextStyle {
    pub(crate) fn font(&self) -> Font {
        Font::new(self.bold, self.italic)
    }

    pub(crate) fn line_height(&self) -> f32 {
        self.size * LINE_HEIGHT
    }

    /// The width of `text` set in this style.
    pub(crate) fn width(&self, text: &str) -> f32 {
        text_width(self.font(), self.size, text)
    }
}

/// Horizontal alignment of the lines of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// A piece of inline content.
#[derive(Clone, Debug, PartialEq)]
enum Atom {
    /// Text with no breakable space in it (no-break spaces are text).
    Text(TextStyle, String),
    /// A collapsed run of whitespace: where a line may break.
    Space(TextStyle),
    /// A forced line break (`<br>`).
    Break(TextStyle),
}

/// The inline content of one block, whitespace already collapsed.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Inline {
    atoms: Vec<Atom>,
}

impl Inline {
    /// Adds raw text: runs of whitespace become one space (none at the start of the block
    /// or of a line), and characters are normalised to what the fonts can show.
    pub(crate) fn push_text(&mut self, style: TextStyle, raw: &str) {
        let mut word = String::new();
        for c in raw.chars() {
            if is_breakable_space(c) {
                self.push_word(style, &mut word);
                if matches!(self.atoms.last(), Some(Atom::Text(..))) {
                    self.atoms.push(Atom::Space(style));
                }
            } else {
                push_printable(c, &mut word);
            }
        }
        self.push_word(style, &mut word);
    }

    fn push_word(&mut self, style: TextStyle, word: &mut String) {
        if word.is_empty() {
            return;
        }
        match self.atoms.last_mut() {
            Some(Atom::Text(last_style, text)) if *last_style == style => text.push_str(word),
            _ => self.atoms.push(Atom::Text(style, word.clone())),
        }
        word.clear();
    }

    /// Adds a forced line break. A space just before it is dropped.
    pub(crate) fn push_break(&mut self, style: TextStyle) {
        if matches!(self.atoms.last(), Some(Atom::Space(_))) {
            self.atoms.pop();
        }
        self.atoms.push(Atom::Break(style));
    }

    /// Whether there is nothing to show (no text, no line break).
    pub(crate) fn is_blank(&self) -> bool {
        self.atoms.iter().all(|atom| matches!(atom, Atom::Space(_)))
    }

    /// Lays the content out in lines of at most `width` points starting at `x`, one slice
    /// per line so that pages can break between lines.
    pub(crate) fn lines(&self, x: f32, width: f32, align: Align) -> Vec<Slice> {
        break_lines(&self.atoms, width.max(1.0))
            .into_iter()
            .map(|line| line.into_slice(x, width, align))
            .collect()
    }

    /// The width of the longest word and of the longest line if nothing wrapped: the
    /// narrowest and widest the content can be laid out.
    pub(crate) fn min_max_width(&self) -> (f32, f32) {
        let (mut min, mut max) = (0.0_f32, 0.0_f32);
        let (mut word, mut line) = (0.0, 0.0);
        for atom in &self.atoms {
            match atom {
                Atom::Text(style, text) => {
                    let width = style.width(text);
                    word += width;
                    line += width;
                }
                Atom::Space(style) => {
                    min = min.max(word);
                    word = 0.0;
                    line += style.width(" ");
                }
                Atom::Break(_) => {
                    min = min.max(word);
                    max = max.max(line);
                    word = 0.0;
                    line = 0.0;
                }
            }
        }
        (min.max(word), max.max(line))
    }

    pub(crate) fn clear(&mut self) {
        self.atoms.clear();
    }
}

/// Whitespace that collapses and where lines may break: HTML's ASCII whitespace and the
/// Unicode spaces that are not no-break spaces.
fn is_breakable_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{C}' | '\u{1680}' | '\u{2000}'..='\u{2006}'
            | '\u{2008}'..='\u{200A}' | '\u{205F}' | '\u{3000}'
    )
}

/// Text of one style within a line.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    style: TextStyle,
    text: String,
    width: f32,
}

/// One laid-out line.
#[derive(Clone, Debug, Default, PartialEq)]
struct Line {
    runs: Vec<Run>,
    width: f32,
    /// Height of an empty line (from a `<br>`), taken from the break's style.
    empty_height: f32,
}

impl Line {
    fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    fn push(&mut self, style: TextStyle, text: &str, width: f32) {
        self.width += width;
        match self.runs.last_mut() {
            Some(run) if run.style == style => {
                run.text.push_str(text);
                run.width += width;
            }
            _ => self.runs.push(Run {
                style,
                text: text.to_owned(),
                width,
            }),
        }
    }

    /// Positions the runs and returns the line as a slice. The baseline is placed so that
    /// the largest text's ascender and descender sit in the middle of the line height.
    fn into_slice(self, x: f32, width: f32, align: Align) -> Slice {
        let size = self
            .runs
            .iter()
            .map(|run| run.style.size)
            .fold(0.0, f32::max);
        let height = self
            .runs
            .iter()
            .map(|run| run.style.line_height())
            .fold(self.empty_height, f32::max);
        let baseline = baseline(height, size);
        let offset = match align {
            Align::Left => 0.0,
            Align::Center => (width - self.width) / 2.0,
            Align::Right => width - self.width,
        };
        let mut pen = x + offset.max(0.0);
        let mut ops = Vec::with_capacity(self.runs.len());
        for run in self.runs {
            ops.push(Op::Text {
                x: pen,
                y: baseline,
                font: run.style.font(),
                size: run.style.size,
                color: run.style.color,
                text: run.text,
            });
            pen += run.width;
        }
        Slice {
            height,
            ops,
            keep_with_next: false,
        }
    }
}

/// Where the baseline of text of `size` goes in a line `height` tall: the ascender and
/// descender centred in the line, as CSS centres the content area in the line box.
pub(crate) fn baseline(height: f32, size: f32) -> f32 {
    height / 2.0 + (ASCENT - DESCENT) / 2.0 * size
}

/// Tolerance for rounding when checking that a line fits.
const EPSILON: f32 = 0.01;

/// Breaks atoms into lines no wider than `width`, at spaces; a word wider than a whole
/// line is broken between characters. Spaces at line ends are dropped, and a trailing
/// `<br>` adds no empty line.
fn break_lines(atoms: &[Atom], width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::default();
    let mut space: Option<TextStyle> = None;
    let mut at = 0;
    while at < atoms.len() {
        match &atoms[at] {
            Atom::Space(style) => {
                if !line.is_empty() {
                    space = Some(*style);
                }
                at += 1;
            }
            Atom::Break(style) => {
                line.empty_height = style.line_height();
                lines.push(std::mem::take(&mut line));
                space = None;
                at += 1;
            }
            Atom::Text(..) => {
                let end = atoms[at..]
                    .iter()
                    .position(|atom| !matches!(atom, Atom::Text(..)))
                    .map_or(atoms.len(), |len| at + len);
                let word = &atoms[at..end];
                let word_width: f32 = word.iter().map(atom_width).sum();
                let space_width = space.map_or(0.0, |style| style.width(" "));
                if !line.is_empty() && line.width + space_width + word_width > width + EPSILON {
                    lines.push(std::mem::take(&mut line));
                    space = None;
                }
                if let Some(style) = space.take() {
                    line.push(style, " ", space_width);
                }
                if line.is_empty() && word_width > width + EPSILON {
                    break_word(word, width, &mut line, &mut lines);
                } else {
                    for atom in word {
                        if let Atom::Text(style, text) = atom {
                            line.push(*style, text, style.width(text));
                        }
                    }
                }
                at = end;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn atom_width(atom: &Atom) -> f32 {
    match atom {
        Atom::Text(style, text) => style.width(text),
        Atom::Space(_) | Atom::Break(_) => 0.0,
    }
}

/// Sets a word too wide for any line character by character, starting a new line
/// whenever the next character would overflow. The last part stays in `line`.
fn break_word(word: &[Atom], width: f32, line: &mut Line, lines: &mut Vec<Line>) {
    let mut buf = [0; 4];
    for atom in word {
        let Atom::Text(style, text) = atom else {
            continue;
        };
        let font = style.font();
        for c in text.chars() {
            let advance = char_width(font, c) * style.size;
            if !line.is_empty() && line.width + advance > width + EPSILON {
                lines.push(std::mem::take(line));
            }
            line.push(*style, c.encode_utf8(&mut buf), advance);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::metrics::NBSP;

    const STYLE: TextStyle = TextStyle {
        size: 10.0,
        bold: false,
        italic: false,
        color: Color::Gray(0.0),
    };

    fn texts(slices: &[Slice]) -> Vec<String> {
        slices
            .iter()
            .map(|slice| {
                slice
                    .ops
                    .iter()
                    .filter_map(|op| match op {
                        Op::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn whitespace_collapses_and_breaks_stay() {
        let mut inline = Inline::default();
        inline.push_text(STYLE, "  Bon \n pour\taccord ");
        inline.push_break(STYLE);
        inline.push_text(STYLE, " Date :");
        assert_eq!(
            texts(&inline.lines(0.0, 500.0, Align::Left)),
            ["Bon pour accord", "Date :"]
        );
    }

    #[test]
    fn lines_wrap_at_spaces_but_not_at_no_break_spaces() {
        let mut inline = Inline::default();
        // "1 200,00 €" with narrow no-break spaces must stay whole.
        inline.push_text(STYLE, "Total 1\u{202F}200,00\u{202F}€ dû");
        let width = STYLE.width("Total 1 200,0");
        let lines = texts(&inline.lines(0.0, width, Align::Left));
        assert_eq!(lines, ["Total", "1\u{A0}200,00\u{A0}€", "dû"]);
        assert!(lines[1].chars().filter(|&c| c == NBSP).count() == 2);
    }

    #[test]
    fn long_words_break_between_characters() {
        let mut inline = Inline::default();
        inline.push_text(STYLE, &"x".repeat(100));
        let width = STYLE.width(&"x".repeat(30));
        let lines = texts(&inline.lines(0.0, width, Align::Left));
        assert_eq!(lines.len(), 4);
        assert_eq!(lines.concat(), "x".repeat(100));
    }

    #[test]
    fn right_aligned_lines_end_at_the_right_edge() {
        let mut inline = Inline::default();
        inline.push_text(STYLE, "3 600,00 €");
        for slice in inline.lines(100.0, 200.0, Align::Right) {
            let end = slice.ops[0].text_end().expect("text");
            assert!((end - 300.0).abs() < 0.001, "{end}");
        }
    }

    #[test]
    fn styles_make_separate_runs_with_real_spaces() {
        let bold = TextStyle {
            bold: true,
            ..STYLE
        };
        let mut inline = Inline::default();
        inline.push_text(STYLE, "N° ");
        inline.push_text(bold, "F2026-0012");
        inline.push_text(STYLE, " du 21/05");
        let lines = inline.lines(0.0, 500.0, Align::Left);
        assert_eq!(texts(&lines), ["N° F2026-0012 du 21/05"]);
        assert_eq!(lines[0].ops.len(), 3);
    }

    #[test]
    fn min_and_max_widths_bound_the_content() {
        let mut inline = Inline::default();
        inline.push_text(STYLE, "ab abcd");
        inline.push_break(STYLE);
        inline.push_text(STYLE, "a");
        let (min, max) = inline.min_max_width();
        assert!((min - STYLE.width("abcd")).abs() < 0.001);
        assert!((max - STYLE.width("ab abcd")).abs() < 0.001);
    }
}
