//! GitHub Actions workflow annotations: `::error file=…,line=…::message`.

use super::{Report, Severity};
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&d.file),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            property(&format!("fresk ({})", d.rule)),
            data(&d.message)
        );
    }
    out
}

/// Escape a message (the part after `::`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("50% off\nnext"), "50%25 off%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
