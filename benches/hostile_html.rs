//! HTML a template could make that must neither panic the PDF writer nor take long: deep
//! nesting, megabytes in one cell, a table of 200 × 999 999 columns… The PDF unit tests render
//! each one (no panic, a PDF comes out); `cargo bench --bench render` times them.

/// Each case: its name and its HTML.
pub fn cases() -> Vec<(&'static str, String)> {
    let deep = "<div>".repeat(10_000) + "deep" + &"</div>".repeat(10_000);
    let deep_inline = "<span><b>".repeat(5_000) + "deep";
    let big_text = "lorem ipsum dolor sit amet ".repeat(200_000);
    let unbroken = "x".repeat(1_000_000);
    let wide_table = format!(
        "<table><tr>{}</tr></table>",
        "<td colspan=\"999999\">cell</td>".repeat(200)
    );
    vec![
        ("empty", String::new()),
        (
            "unclosed tags",
            "<div><p><b>unclosed <table><tr><td>cell".into(),
        ),
        (
            "table without rows",
            "<table></table><table><tbody></tbody></table>".into(),
        ),
        (
            "empty colgroup",
            "<table class=\"lines\"><colgroup></colgroup></table>".into(),
        ),
        ("deep nesting", deep),
        ("deep inline nesting", deep_inline),
        ("5 MB of text", big_text),
        ("1 MB without a space", unbroken),
        (
            "invalid entities",
            "&; &#; &#x; &#xZZ; &#99999999999; &unknown; &amp".into(),
        ),
        (
            "stray end tags",
            "</x></div></table></td></body></html>text</p>".into(),
        ),
        (
            "control characters",
            "a\u{0}b\u{7}c\u{1b}[31md\u{7f}e\u{85}f".into(),
        ),
        ("lone brackets", "< <<>> </ <! <? <!-- unterminated".into()),
        ("wide table", wide_table),
        (
            "huge footer",
            format!("<footer>{}</footer>", "mention ".repeat(50_000)),
        ),
        (
            "tall cell",
            format!(
                "<table><tr><td>{}</td></tr></table>",
                "ligne<br>".repeat(2_000)
            ),
        ),
        (
            "tall columns",
            format!(
                "<div class=\"columns\"><div>{}</div><div class=\"box\">b</div></div>",
                "ligne<br>".repeat(2_000)
            ),
        ),
        ("nested small", "<small>".repeat(200) + "tiny"),
        (
            "5 MB in a cell",
            format!(
                "<table><tr><td>{}</td></tr></table>",
                "mot ".repeat(1_250_000)
            ),
        ),
        (
            "5 MB heading",
            format!("<h2>{}</h2><p>after</p>", "mot ".repeat(1_250_000)),
        ),
        (
            "5 MB in a kept box",
            format!("<div class=\"box keep\">{}</div>", "mot ".repeat(1_250_000)),
        ),
        ("emoji and CJK", "🎉 日本語 ĳ ł ő".into()),
        (
            "nested tables",
            "<table class=\"lines\"><thead><tr><th>h</th></tr></thead><tr><td>".repeat(100) + "x",
        ),
        (
            "nested kept boxes",
            "<div class=\"box keep columns\"><div class=\"box\">".repeat(100)
                + &"mot ".repeat(10_000),
        ),
    ]
}
