//! A tolerant parser for the HTML the document templates produce.
//!
//! It builds a plain element tree and never fails: unknown tags are kept as elements,
//! stray end tags are dropped, unclosed elements are closed at the end, and the handful
//! of implied end tags that hand-written HTML relies on (`<p>`, `<li>`, table rows and
//! cells) are applied. Nesting deeper than [`MAX_DEPTH`] is flattened so that the layout,
//! which recurses over the tree, has a bounded depth.

/// Elements nested deeper than this are not opened: their content goes to the element at
/// the limit. Real templates nest about ten levels.
pub(crate) const MAX_DEPTH: usize = 40;

/// A node of the tree: an element or a run of decoded text (whitespace not yet collapsed).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// An element with its lowercased name, its attributes (names lowercased, values decoded)
/// and its children.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Node>,
}

impl Element {
    fn new(name: String, attrs: Vec<(String, String)>) -> Element {
        Element {
            name,
            attrs,
            children: Vec::new(),
        }
    }

    /// The value of attribute `name`, if present.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Whether the `class` attribute lists `class`.
    pub(crate) fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class))
    }

    /// The value of property `name` in the `style` attribute (`style="width: 20%"`).
    pub(crate) fn style(&self, name: &str) -> Option<&str> {
        self.attr("style")?.split(';').find_map(|declaration| {
            let (key, value) = declaration.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }

    /// The child elements, in order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The first element named `name` in document order, this one included.
    pub(crate) fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.elements().find_map(|child| child.find(name))
    }

    /// All the text inside, concatenated.
    pub(crate) fn text_content(&self) -> String {
        let mut text = String::new();
        self.push_text(&mut text);
        text
    }

    fn push_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Node::Text(text) => out.push_str(text),
                Node::Element(element) => element.push_text(out),
            }
        }
    }
}

/// Parses `html` into a tree under a nameless root element.
pub(crate) fn parse(html: &str) -> Element {
    let mut builder = TreeBuilder::default();
    let mut rest = html;
    while !rest.is_empty() {
        rest = match rest.find('<') {
            Some(0) => builder.markup(rest),
            Some(at) => {
                builder.text(&decode_entities(&rest[..at]));
                &rest[at..]
            }
            None => {
                builder.text(&decode_entities(rest));
                ""
            }
        };
    }
    builder.finish()
}

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noframes"];

/// Start tags that close an open `<p>`, as in HTML.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Builds the tree from tags and text, keeping a stack of open elements. The root sits at
/// the bottom of the stack and is never popped before [`TreeBuilder::finish`].
struct TreeBuilder {
    stack: Vec<Element>,
}

impl Default for TreeBuilder {
    fn default() -> Self {
        TreeBuilder {
            stack: vec![Element::default()],
        }
    }
}

impl TreeBuilder {
    /// Handles the markup at the start of `rest` (which starts with `<`) and returns what
    /// follows it.
    fn markup<'a>(&mut self, rest: &'a str) -> &'a str {
        let after = &rest[1..];
        if let Some(comment) = after.strip_prefix("!--") {
            return comment.find("-->").map_or("", |end| &comment[end + 3..]);
        }
        if after.starts_with(['!', '?']) {
            return after.find('>').map_or("", |end| &after[end + 1..]);
        }
        if let Some(end_tag) = after.strip_prefix('/') {
            if end_tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let (tag, rest) = parse_tag(end_tag);
                self.end_tag(&tag.name);
                return rest;
            }
            // `</>` and `</ 3` are not tags: drop `</>`, keep the rest as text.
            if let Some(rest) = end_tag.strip_prefix('>') {
                return rest;
            }
        } else if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let (tag, rest) = parse_tag(after);
            return self.start_tag(tag, rest);
        }
        self.text("<");
        after
    }

    fn start_tag<'a>(&mut self, tag: Tag, rest: &'a str) -> &'a str {
        let name = tag.name.as_str();
        self.close_implied(name);
        let element = Element::new(tag.name.clone(), tag.attrs);
        if RAW_TEXT.contains(&name) && !tag.self_closing {
            let (content, rest) = raw_text(rest, name);
            let mut element = element;
            // Title and textarea content is text with entities; script and style content
            // is never shown, so it is dropped here.
            if matches!(name, "title" | "textarea") {
                element.children.push(Node::Text(decode_entities(content)));
            }
            self.append(Node::Element(element));
            return rest;
        }
        if VOID.contains(&name) || tag.self_closing {
            self.append(Node::Element(element));
        } else if self.stack.len() <= MAX_DEPTH {
            self.stack.push(element);
        }
        rest
    }

    /// Closes the elements a start tag `name` implicitly ends, as HTML does.
    fn close_implied(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close_within("p", &["table", "td", "th", "caption", "button"]);
        }
        match name {
            "li" => self.close_within("li", &["ul", "ol", "table"]),
            "dt" | "dd" => {
                self.close_within("dt", &["dl", "table"]);
                self.close_within("dd", &["dl", "table"]);
            }
            "tr" => {
                self.close_cells();
                self.close_within("tr", &["table", "thead", "tbody", "tfoot"]);
            }
            "td" | "th" => self.close_cells(),
            "thead" | "tbody" | "tfoot" => {
                self.close_cells();
                self.close_within("tr", &["table", "thead", "tbody", "tfoot"]);
                for section in ["thead", "tbody", "tfoot"] {
                    self.close_within(section, &["table"]);
                }
            }
            _ => {}
        }
    }

    fn close_cells(&mut self) {
        self.close_within("td", &["tr", "table"]);
        self.close_within("th", &["tr", "table"]);
    }

    /// Closes the innermost open `name` and everything inside it, unless a `boundary`
    /// element is met first.
    fn close_within(&mut self, name: &str, boundaries: &[&str]) {
        for depth in (1..self.stack.len()).rev() {
            let open = self.stack[depth].name.as_str();
            if open == name {
                self.close_to(depth);
                return;
            }
            if boundaries.contains(&open) {
                return;
            }
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            // Content after `</body>` or `</html>` still belongs to the body, as in HTML.
            "body" | "html" => {}
            "br" => self.append(Node::Element(Element::new("br".into(), Vec::new()))),
            _ => {
                if let Some(depth) = (1..self.stack.len())
                    .rev()
                    .find(|&depth| self.stack[depth].name == name)
                {
                    self.close_to(depth);
                }
            }
        }
    }

    /// Pops elements until the one at `depth` is closed.
    fn close_to(&mut self, depth: usize) {
        while self.stack.len() > depth.max(1) {
            self.pop();
        }
    }

    fn pop(&mut self) {
        if self.stack.len() > 1
            && let Some(element) = self.stack.pop()
        {
            self.append(Node::Element(element));
        }
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(Node::Text(last)) = self.current().children.last_mut() {
            last.push_str(text);
        } else {
            self.append(Node::Text(text.to_owned()));
        }
    }

    fn append(&mut self, node: Node) {
        self.current().children.push(node);
    }

    fn current(&mut self) -> &mut Element {
        if self.stack.is_empty() {
            self.stack.push(Element::default());
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn finish(mut self) -> Element {
        while self.stack.len() > 1 {
            self.pop();
        }
        self.stack.pop().unwrap_or_default()
    }
}

/// A start or end tag, as read.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    self_closing: bool,
}

/// Reads a tag from just after `<` or `</` (which starts with a letter) up to its `>`,
/// and returns it with what follows. A tag cut off by the end of input reads to the end.
fn parse_tag(input: &str) -> (Tag, &str) {
    let name_len = input
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(input.len());
    let mut tag = Tag {
        name: input[..name_len].to_ascii_lowercase(),
        attrs: Vec::new(),
        self_closing: false,
    };
    let mut rest = &input[name_len..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(after) = rest.strip_prefix('>') {
            return (tag, after);
        }
        if let Some(after) = rest.strip_prefix("/>") {
            tag.self_closing = true;
            return (tag, after);
        }
        if let Some(after) = rest.strip_prefix('/') {
            rest = after;
            continue;
        }
        if rest.is_empty() {
            return (tag, rest);
        }
        let (attr, after) = parse_attribute(rest);
        if !tag.attrs.iter().any(|(name, _)| *name == attr.0) {
            tag.attrs.push(attr);
        }
        rest = after;
    }
}

/// Reads `name`, `name=value`, `name="value"` or `name='value'` from a non-empty `input`
/// that does not start with whitespace, `/` or `>`.
fn parse_attribute(input: &str) -> ((String, String), &str) {
    let name_len = input
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c.is_ascii_whitespace() || c == '/' || c == '>' || c == '=')
        .map_or(input.len(), |(at, _)| at);
    let name = input[..name_len].to_ascii_lowercase();
    let rest = input[name_len..].trim_start_matches(|c: char| c.is_ascii_whitespace());
    let Some(value_start) = rest.strip_prefix('=') else {
        return ((name, String::new()), rest);
    };
    let value_start = value_start.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (raw, rest) = match value_start.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &value_start[1..];
            match inner.find(quote) {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            }
        }
        _ => {
            let end = value_start
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(value_start.len());
            (&value_start[..end], &value_start[end..])
        }
    };
    ((name, decode_entities(raw)), rest)
}

/// Splits `input` (just after the start tag of raw-text element `name`) into the raw
/// content and what follows the end tag. Without an end tag, the content runs to the end.
fn raw_text<'a>(input: &'a str, name: &str) -> (&'a str, &'a str) {
    let mut from = 0;
    while let Some(found) = input[from..].find("</") {
        let at = from + found;
        let after = &input[at + 2..];
        let is_end_tag = after
            .get(..name.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name))
            && after[name.len()..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>');
        if is_end_tag {
            let rest = &after[name.len()..];
            let rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            return (&input[..at], rest);
        }
        from = at + 2;
    }
    (input, "")
}

/// Named character references worth knowing in business documents, besides the five
/// that HTML escaping produces.
const NAMED_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{A0}'),
    ("euro", '€'),
    ("copy", '©'),
    ("reg", '®'),
    ("deg", '°'),
    ("middot", '·'),
    ("bull", '•'),
    ("hellip", '…'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("times", '×'),
    ("shy", '\u{AD}'),
    ("thinsp", '\u{2009}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("ecirc", 'ê'),
    ("agrave", 'à'),
    ("ccedil", 'ç'),
    ("Eacute", 'É'),
];

/// Replaces character references in `text`. References that are not recognised, or that
/// name no valid character, are kept literally (`&foo;`) or become U+FFFD (`&#0;`).
pub(crate) fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match decode_reference(after) {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the reference at the start of `input` (just after `&`): the character and the
/// length of the reference read, `;` included.
fn decode_reference(input: &str) -> Option<(char, usize)> {
    if let Some(numeric) = input.strip_prefix('#') {
        let (radix, digits_at) = match numeric.as_bytes().first() {
            Some(b'x' | b'X') => (16, 2),
            _ => (10, 1),
        };
        let digits = &input[digits_at..];
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        let value = match len {
            1..=8 => u32::from_str_radix(&digits[..len], radix).unwrap_or(u32::MAX),
            _ => u32::MAX,
        };
        let c = match char::from_u32(value) {
            Some('\0') | None => '\u{FFFD}',
            Some(c) => c,
        };
        let semicolon = usize::from(digits[len..].starts_with(';'));
        return Some((c, digits_at + len + semicolon));
    }
    // Known names are short: look no further than that for the `;`.
    let end = input.bytes().take(9).position(|b| b == b';')?;
    let name = &input[..end];
    NAMED_ENTITIES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|&(_, c)| (c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> Element {
        let root = parse(html);
        root.find("body").cloned().unwrap_or(root)
    }

    fn names(element: &Element) -> Vec<&str> {
        element.elements().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn entities_from_html_escaping_are_decoded() {
        assert_eq!(
            decode_entities("&lt;script&gt; &amp; &quot;x&quot; &#x27;y&#39; a&#x2f;b &nbsp;"),
            "<script> & \"x\" 'y' a/b \u{A0}"
        );
        assert_eq!(decode_entities("&#8364;&#x20AC;&euro;"), "€€€");
    }

    #[test]
    fn invalid_entities_stay_literal() {
        assert_eq!(
            decode_entities("a & b &bogus; &#; &"),
            "a & b &bogus; &#; &"
        );
        assert_eq!(
            decode_entities("&#0;&#xD800;&#99999999999;"),
            "\u{FFFD}\u{FFFD}\u{FFFD}"
        );
    }

    #[test]
    fn attributes_are_read_in_every_quoting_style() {
        let root = parse(r#"<td class="num right" colspan=2 data-x='a&amp;b' hidden>"#);
        let td = root.find("td").expect("td");
        assert!(td.has_class("num") && td.has_class("right") && !td.has_class("nu"));
        assert_eq!(td.attr("colspan"), Some("2"));
        assert_eq!(td.attr("data-x"), Some("a&b"));
        assert_eq!(td.attr("hidden"), Some(""));
    }

    #[test]
    fn style_properties_are_found() {
        let root = parse(r#"<col style="color: red; WIDTH : 20%">"#);
        let col = root.find("col").expect("col");
        assert_eq!(col.style("width"), Some("20%"));
        assert_eq!(col.style("height"), None);
    }

    #[test]
    fn implied_end_tags_are_applied() {
        let body = body("<body><p>a<p>b<div>c</div><ul><li>1<li>2</ul></body>");
        assert_eq!(names(&body), ["p", "p", "div", "ul"]);
        let list = body.find("ul").expect("ul");
        assert_eq!(names(list), ["li", "li"]);

        let table = parse("<table><tr><td>1<td>2<tr><th>3</table>");
        let table = table.find("table").expect("table");
        assert_eq!(names(table), ["tr", "tr"]);
        assert_eq!(names(table.elements().next().expect("tr")), ["td", "td"]);
    }

    #[test]
    fn raw_text_is_skipped_and_title_kept() {
        let root = parse(
            "<head><title>A &amp; B</title><style>p { x: '</p>' }</style></head>\
             <script>if (a < b) {}</SCRIPT >after",
        );
        assert_eq!(root.find("title").expect("title").text_content(), "A & B");
        assert_eq!(root.find("style").expect("style").children, []);
        assert_eq!(root.text_content(), "A & Bafter");
    }

    #[test]
    fn stray_markup_is_tolerated() {
        let root = parse("a < b </x> <!-- c --> <!doctype html> </> <3 <p unclosed");
        assert_eq!(root.text_content(), "a < b     <3 ");
        assert!(root.find("p").is_some());
    }

    #[test]
    fn nesting_is_capped() {
        let html = "<div>".repeat(10_000) + "deep" + &"</div>".repeat(10_000);
        let root = parse(&html);
        let mut depth = 0;
        let mut element = &root;
        while let Some(child) = element.elements().next() {
            depth += 1;
            element = child;
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(root.text_content(), "deep");
    }
}
