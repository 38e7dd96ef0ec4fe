//! Human output: `file:line:col: severity[rule]: message` with the offending span underlined,
//! and a note for each related place.

use super::{Diagnostic, Report, Severity};
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

/// Render every diagnostic with a snippet of its file, then a summary line.
pub fn render(report: &Report, root: &Path, color: bool) -> String {
    render_with(report, root, &crate::store::Changes::new(), color)
}

/// Render, reading files as `overlay` would leave them.
pub fn render_with(
    report: &Report,
    root: &Path,
    overlay: &crate::store::Changes,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    let mut out = String::new();
    for d in &report.diagnostics {
        let source = sources
            .entry(d.file.as_str())
            .or_insert_with(|| {
                let bytes = match overlay.get(&d.file) {
                    Some(Some(text)) => Some(text.clone().into_bytes()),
                    _ => read_inside(root, &d.file),
                };
                bytes
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .filter(|t| t.len() <= crate::yaml::MAX_FILE_BYTES as usize)
            })
            .as_deref();
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.rule);
        // The other places the finding involves, as `= note: file:line:col: what is there`.
        let notes = d.related.iter().map(|r| {
            Level::NOTE.message(format!("{}:{}:{}: {}", r.file, r.line, r.column, r.message))
        });
        let text = match source.and_then(|s| byte_range(s, d).map(|r| (s, r))) {
            Some((source, range)) => {
                let snippet = Snippet::source(source)
                    .line_start(1)
                    .path(d.file.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(range));
                renderer.render(&[title.element(snippet).elements(notes)])
            }
            None => {
                let snippet = Snippet::<annotate_snippets::Annotation>::source("")
                    .path(format!("{}:{}:{}", d.file, d.line, d.column));
                renderer.render(&[title.element(snippet).elements(notes)])
            }
        };
        out.push_str(&text);
        out.push_str("\n\n");
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// The bytes of `rel` for a snippet: only a file that really lies inside the workspace and
/// outside `private/`. A symbolic link out of the workspace (a `symlink-escape` finding) or a
/// roster named by a finding must never have its first line printed.
fn read_inside(root: &Path, rel: &str) -> Option<Vec<u8>> {
    if crate::model::is_private_path(rel) {
        return None;
    }
    let real = root.join(rel).canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    if !real.starts_with(&root) || real.starts_with(root.join("private")) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

/// `2 errors, 1 warning in 214 files` or `no findings in 214 files`.
pub fn summary(report: &Report) -> String {
    let (e, w) = (report.errors(), report.warnings());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if e == 0 && w == 0 {
        format!("no findings in {}", plural(report.files, "file"))
    } else {
        format!(
            "{}, {} in {}",
            plural(e, "error"),
            plural(w, "warning"),
            plural(report.files, "file")
        )
    }
}

/// The byte range of a diagnostic's span in `source` (line/column count characters).
pub fn byte_range(source: &str, d: &Diagnostic) -> Option<std::ops::Range<usize>> {
    let start = offset(source, d.line, d.column)?;
    let end = offset(source, d.end_line, d.end_column)
        .unwrap_or(start)
        .max(start);
    // Keep the underline on real characters: stop at the end of the text, never mid-CRLF.
    let end = end.min(source.len());
    if start >= source.len() {
        return Some(source.len()..source.len());
    }
    Some(start..end.max(start + source[start..].chars().next().map_or(0, char::len_utf8)))
}

fn offset(source: &str, line: u32, column: u32) -> Option<usize> {
    let mut pos = 0usize;
    for _ in 1..line {
        pos += source[pos..].find('\n')? + 1;
    }
    let line_text = &source[pos..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    let mut chars = line_text[..line_end].char_indices();
    let col = usize::try_from(column.saturating_sub(1)).ok()?;
    match chars.nth(col) {
        Some((i, _)) => Some(pos + i),
        None => Some(pos + line_end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(line: u32, column: u32, end_line: u32, end_column: u32) -> Diagnostic {
        Diagnostic {
            rule: "x",
            severity: Severity::Error,
            file: "f".into(),
            line,
            column,
            end_line,
            end_column,
            message: String::new(),
            related: Vec::new(),
        }
    }

    #[test]
    fn byte_ranges_count_characters() {
        let src = "a: é\nbé: 2\n";
        assert_eq!(byte_range(src, &diag(2, 1, 2, 3)), Some(6..9));
        assert_eq!(&src[byte_range(src, &diag(1, 4, 1, 5)).unwrap()], "é");
    }
}
