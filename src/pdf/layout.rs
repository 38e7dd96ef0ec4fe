//! From the element tree to positioned drawing operations on A4 pages.
//!
//! The [`Builder`] walks the tree once, turning blocks into a [`Flow`] of unbreakable
//! slices (lines of text, table rows, kept blocks, rows of columns); the flow is then
//! paginated, and each page gets the document footer and the page label.

use super::flow::{Color, Flow, Frame, Item, Op, Slice, flatten, paginate};
use super::html::{Element, Node};
use super::metrics::push_printable;
use super::text::{Align, Inline, TextStyle, baseline};

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 48.0;
const MARGIN_TOP: f32 = 45.0;
const MARGIN_BOTTOM: f32 = 36.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

const BODY_SIZE: f32 = 9.5;
const FOOTER_SIZE: f32 = 7.5;
/// `<small>` and `.small` relative to the surrounding text.
const SMALL_RATIO: f32 = 0.85;
/// The smallest size nested `<small>`s can reach.
const MIN_SIZE: f32 = 4.0;

const BLACK: Color = Color::Gray(0.0);
/// `#666`, for `.muted` text and the footer.
const MUTED: Color = Color::Gray(0.4);
/// `#ccc`, for light separators.
pub(super) const LIGHT_RULE: Color = Color::Gray(0.8);
/// Box borders, a little darker than separators so that boxes read as boxes.
const BORDER: Color = Color::Gray(0.7);
/// Rules that structure a table: under its header, above its grand total.
pub(super) const STRONG_RULE: Color = Color::Gray(0.35);

/// Space between the columns of a `.columns` block.
const GUTTER: f32 = 18.0;
const BOX_PADDING_X: f32 = 8.0;
const BOX_PADDING_Y: f32 = 6.0;
pub(super) const CELL_PADDING_X: f32 = 4.0;
pub(super) const CELL_PADDING_Y: f32 = 3.0;
const LIST_INDENT: f32 = 14.0;
/// A footer taller than this is cut: the body needs the page.
const FOOTER_MAX_HEIGHT: f32 = 120.0;
/// Space between the body and the rule above the footer.
const FOOTER_GAP: f32 = 16.0;
/// Space between the footer rule and the footer text.
const FOOTER_RULE_GAP: f32 = 5.0;

/// One laid-out page: its drawing operations, from the top left corner.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Page {
    pub(crate) ops: Vec<Op>,
}

/// Lays out a parsed document. `page_label` is drawn at the bottom right of each page,
/// with `{page}` and `{pages}` replaced; an empty label draws nothing.
pub(crate) fn layout(root: &Element, page_label: &str) -> Vec<Page> {
    let body = root.find("body").unwrap_or(root);
    let footer_element = body.elements().find(|element| element.name == "footer");
    let footer = Footer::new(footer_element, page_label);
    let body_bottom = footer.top - FOOTER_GAP;
    let builder = Builder {
        page_height: body_bottom - MARGIN_TOP,
    };
    let mut flow = Flow::default();
    let content = body
        .children
        .iter()
        .filter(|node| match (node, footer_element) {
            (Node::Element(element), Some(footer)) => !std::ptr::eq(element, footer),
            _ => true,
        });
    builder.nodes(content, &Ctx::page(), &mut flow);
    let pages = paginate(&flow, MARGIN_TOP, body_bottom);
    let count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(index, mut ops)| {
            footer.draw(&mut ops, index + 1, count);
            Page { ops }
        })
        .collect()
}

/// What the bottom of every page shows: the document's `<footer>` in small grey text, and
/// the page label at the right of its first line.
struct Footer<'a> {
    /// The footer content, laid out from 0.
    content: Option<Slice>,
    label: &'a str,
    style: TextStyle,
    /// Where the footer starts on the page.
    top: f32,
}

impl<'a> Footer<'a> {
    fn new(element: Option<&Element>, label: &'a str) -> Footer<'a> {
        let page = Ctx::page();
        let style = TextStyle {
            size: FOOTER_SIZE,
            color: MUTED,
            ..page.text
        };
        // Digits all have the same width, so four of them reserve room for any page count
        // below 10,000 before the count is known.
        let label_room = if label.is_empty() {
            0.0
        } else {
            let widest = label.replace("{page}", "0000").replace("{pages}", "0000");
            style.width(&widest) + GUTTER
        };
        let ctx = Ctx {
            width: (CONTENT_WIDTH - label_room).max(CONTENT_WIDTH / 2.0),
            text: style,
            ..page
        };
        // The footer is laid out before the page height is known; nothing in it is kept.
        let builder = Builder {
            page_height: f32::INFINITY,
        };
        let content = element.map(|element| builder.footer(element, &ctx));
        let height = content
            .as_ref()
            .map_or(0.0, |content| content.height)
            .max(style.line_height());
        Footer {
            content,
            label,
            style,
            top: PAGE_HEIGHT - MARGIN_BOTTOM - height,
        }
    }

    /// Adds the footer of page `page` of `count` to its operations.
    fn draw(&self, ops: &mut Vec<Op>, page: usize, count: usize) {
        if let Some(content) = &self.content {
            let rule = self.top - FOOTER_RULE_GAP;
            ops.push(Op::Line {
                x1: MARGIN_X,
                y1: rule,
                x2: MARGIN_X + CONTENT_WIDTH,
                y2: rule,
                width: 0.5,
                color: LIGHT_RULE,
            });
            ops.extend(content.ops.iter().map(|op| op.clone().shifted(self.top)));
        }
        let label = self
            .label
            .replace("{page}", &page.to_string())
            .replace("{pages}", &count.to_string());
        if label.is_empty() {
            return;
        }
        let y = self
            .content
            .as_ref()
            .and_then(Slice::first_baseline)
            .unwrap_or_else(|| baseline(self.style.line_height(), self.style.size));
        let text = printable(&label);
        ops.push(Op::Text {
            x: MARGIN_X + CONTENT_WIDTH - self.style.width(&text),
            y: self.top + y,
            font: self.style.font(),
            size: self.style.size,
            color: self.style.color,
            text,
        });
    }
}

/// `text` normalised to what the fonts can show.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_printable(c, &mut out);
    }
    out
}

/// Where and how the content of a block is set: the horizontal band it fills and the
/// inherited text properties.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Ctx {
    pub(super) x: f32,
    pub(super) width: f32,
    pub(super) text: TextStyle,
    pub(super) align: Align,
}

impl Ctx {
    /// The page's content band, in body text.
    fn page() -> Ctx {
        Ctx {
            x: MARGIN_X,
            width: CONTENT_WIDTH,
            text: TextStyle {
                size: BODY_SIZE,
                bold: false,
                italic: false,
                color: BLACK,
            },
            align: Align::Left,
        }
    }

    /// The band narrowed by `left` and `right` points (never below one point wide).
    pub(super) fn inset(&self, left: f32, right: f32) -> Ctx {
        Ctx {
            x: self.x + left,
            width: (self.width - left - right).max(1.0),
            ..*self
        }
    }

    /// The context inside `element`: its tag's and classes' effect on text and alignment.
    pub(super) fn enter(&self, element: &Element) -> Ctx {
        let mut ctx = *self;
        let text = &mut ctx.text;
        match element.name.as_str() {
            "strong" | "b" => text.bold = true,
            "em" | "i" | "cite" | "var" | "dfn" | "address" => text.italic = true,
            "small" => text.size *= SMALL_RATIO,
            "h1" => (text.size, text.bold) = (18.0, true),
            "h2" => (text.size, text.bold) = (12.0, true),
            "h3" => (text.size, text.bold) = (10.0, true),
            "h4" | "h5" | "h6" => (text.size, text.bold) = (BODY_SIZE, true),
            "center" => ctx.align = Align::Center,
            _ => {}
        }
        if element.has_class("muted") {
            ctx.text.color = MUTED;
        }
        if element.has_class("small") {
            ctx.text.size *= SMALL_RATIO;
        }
        ctx.text.size = ctx.text.size.max(MIN_SIZE);
        if element.has_class("right") || element.has_class("num") {
            ctx.align = Align::Right;
        } else if element.has_class("center") {
            ctx.align = Align::Center;
        }
        match element
            .style("text-align")
            .or_else(|| element.attr("align"))
        {
            Some("right" | "end") => ctx.align = Align::Right,
            Some("center") => ctx.align = Align::Center,
            Some("left" | "start") => ctx.align = Align::Left,
            _ => {}
        }
        ctx
    }
}

/// Elements laid out as blocks; everything else not [`hidden`] is inline.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dl",
    "dt",
    "div",
    "fieldset",
    "figcaption",
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
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

fn is_block(element: &Element) -> bool {
    BLOCKS.contains(&element.name.as_str())
}

/// Elements that show nothing: document metadata, scripts, and things with no text.
fn hidden(element: &Element) -> bool {
    matches!(
        element.name.as_str(),
        "head"
            | "title"
            | "style"
            | "script"
            | "template"
            | "meta"
            | "link"
            | "base"
            | "img"
            | "input"
            | "select"
            | "textarea"
            | "iframe"
            | "object"
            | "svg"
            | "canvas"
            | "colgroup"
            | "col"
    )
}

fn is_heading(element: &Element) -> bool {
    matches!(
        element.name.as_str(),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    )
}

/// Space above and below a block, in points.
fn margins(element: &Element) -> (f32, f32) {
    let (top, mut bottom): (f32, f32) = match element.name.as_str() {
        "h1" => (0.0, 8.0),
        "h2" => (14.0, 5.0),
        "h3" => (9.0, 3.0),
        "h4" | "h5" | "h6" => (6.0, 2.0),
        "p" | "ul" | "ol" | "dl" | "blockquote" | "pre" => (0.0, 5.0),
        "li" => (0.0, 2.0),
        "hr" => (6.0, 6.0),
        "table" if element.has_class("lines") => (4.0, 10.0),
        "table" => (0.0, 8.0),
        _ => (0.0, 0.0),
    };
    if element.has_class("columns") {
        bottom = bottom.max(14.0);
    }
    if element.has_class("box") {
        bottom = bottom.max(8.0);
    }
    (top, bottom)
}

/// Turns elements into a flow.
pub(super) struct Builder {
    /// The height of a page's body: a kept block taller than this is split anyway.
    page_height: f32,
}

impl Builder {
    /// Lays out a sequence of nodes as blocks: runs of inline content between block
    /// elements become anonymous paragraphs.
    pub(super) fn nodes<'a>(
        &self,
        nodes: impl IntoIterator<Item = &'a Node>,
        ctx: &Ctx,
        flow: &mut Flow,
    ) {
        let mut inline = Inline::default();
        for node in nodes {
            match node {
                Node::Text(text) => inline.push_text(ctx.text, text),
                Node::Element(element) if hidden(element) => {}
                Node::Element(element) if is_block(element) => {
                    self.paragraph(&mut inline, ctx, flow);
                    self.block(element, ctx, flow);
                }
                Node::Element(element) => collect_inline(element, ctx, &mut inline),
            }
        }
        self.paragraph(&mut inline, ctx, flow);
    }

    /// Lays out the children of `element` as blocks.
    pub(super) fn children(&self, element: &Element, ctx: &Ctx, flow: &mut Flow) {
        self.nodes(&element.children, ctx, flow);
    }

    /// Emits the pending inline content as lines, and empties it.
    fn paragraph(&self, inline: &mut Inline, ctx: &Ctx, flow: &mut Flow) {
        if inline.is_blank() {
            inline.clear();
            return;
        }
        for line in inline.lines(ctx.x, ctx.width, ctx.align) {
            flow.slice(line);
        }
        inline.clear();
    }

    /// Lays out a block element with its margins, frame and page-break behaviour.
    pub(super) fn block(&self, element: &Element, ctx: &Ctx, flow: &mut Flow) {
        self.block_framed(element, ctx, flow, true);
    }

    /// Lays out a block element; `frame` says whether a `.box` draws its own border
    /// (columns draw it themselves, to stretch it to the height of the row).
    fn block_framed(&self, element: &Element, ctx: &Ctx, flow: &mut Flow, frame: bool) {
        if hidden(element) {
            return;
        }
        if element.has_class("page-break") {
            flow.page_break();
        }
        let ctx = ctx.enter(element);
        let boxed = frame && element.has_class("box") && element.name != "hr";
        let content = if boxed {
            ctx.inset(BOX_PADDING_X, BOX_PADDING_X)
        } else {
            ctx
        };
        let mut inner = Flow::default();
        match element.name.as_str() {
            "hr" => inner.slice(rule(&ctx)),
            "table" => self.table(element, &content, &mut inner),
            "ul" | "ol" => self.list(element, &content, &mut inner),
            _ if element.has_class("columns") => self.columns(element, &content, &mut inner),
            _ => self.children(element, &content, &mut inner),
        }
        if is_heading(element) {
            inner.keep_with_next();
        }
        if boxed {
            inner = inner.framed(box_frame(&ctx));
        }
        if element.has_class("keep") {
            inner = self.kept(inner);
        }
        let (top, bottom) = margins(element);
        flow.space(top);
        flow.append(inner);
        flow.space(bottom);
    }

    /// The flow as one unbreakable slice if it fits on a page, else unchanged.
    fn kept(&self, mut flow: Flow) -> Flow {
        flow.trim();
        let mut slice = flatten(&flow);
        if slice.height > self.page_height {
            return flow;
        }
        // A kept heading still stays with what follows it.
        slice.keep_with_next = flow.items.iter().rev().find_map(|item| match item {
            Item::Slice(last) => Some(last.keep_with_next),
            _ => None,
        }) == Some(true);
        Flow {
            items: vec![Item::Slice(slice)],
        }
    }

    /// Lays out a block's content as one unbreakable slice, without outer margins.
    pub(super) fn cell(&self, element: &Element, ctx: &Ctx) -> Slice {
        let mut flow = Flow::default();
        self.children(element, ctx, &mut flow);
        flow.trim();
        flatten(&flow)
    }

    /// Lays out the children of a `.columns` block side by side, in equal widths, as one
    /// unbreakable row. Boxes among them stretch to the height of the row.
    fn columns(&self, element: &Element, ctx: &Ctx, flow: &mut Flow) {
        let columns: Vec<&Node> = element
            .children
            .iter()
            .filter(|node| match node {
                Node::Text(text) => !text.trim().is_empty(),
                Node::Element(element) => !hidden(element),
            })
            .collect();
        if columns.is_empty() {
            return;
        }
        let count = columns.len() as f32;
        let width = ((ctx.width - GUTTER * (count - 1.0)) / count).max(1.0);
        let mut cells = Vec::with_capacity(columns.len());
        for (index, node) in columns.into_iter().enumerate() {
            let column = Ctx {
                x: ctx.x + index as f32 * (width + GUTTER),
                width,
                ..*ctx
            };
            let boxed = matches!(node, Node::Element(element) if element.has_class("box"));
            let content = if boxed {
                column.inset(BOX_PADDING_X, BOX_PADDING_X)
            } else {
                column
            };
            let mut inner = Flow::default();
            match node {
                Node::Element(element) if is_block(element) => {
                    self.block_framed(element, &content, &mut inner, false);
                }
                node => self.nodes([node], &content, &mut inner),
            }
            inner.trim();
            let padding = if boxed { BOX_PADDING_Y } else { 0.0 };
            cells.push((column, boxed, padding, flatten(&inner)));
        }
        let height = cells
            .iter()
            .map(|(_, _, padding, slice)| slice.height + 2.0 * padding)
            .fold(0.0, f32::max);
        let mut ops = Vec::new();
        for (column, boxed, padding, slice) in cells {
            ops.extend(slice.ops.into_iter().map(|op| op.shifted(padding)));
            if boxed {
                let frame = box_frame(&column);
                ops.push(Op::Rect {
                    x: frame.x,
                    y: 0.0,
                    width: frame.width,
                    height,
                    line_width: frame.line_width,
                    color: frame.color,
                });
            }
        }
        flow.slice(Slice {
            height,
            ops,
            keep_with_next: false,
        });
    }

    /// Lays out `<ul>` and `<ol>`: each item indented, its bullet or number hanging in
    /// the indent on its first line.
    fn list(&self, element: &Element, ctx: &Ctx, flow: &mut Flow) {
        let ordered = element.name == "ol";
        let mut number: i64 = element
            .attr("start")
            .and_then(|start| start.trim().parse().ok())
            .unwrap_or(1);
        let mut stray = Vec::new();
        for node in &element.children {
            let item = match node {
                Node::Element(item) if item.name == "li" => item,
                node => {
                    stray.push(node);
                    continue;
                }
            };
            self.nodes(stray.drain(..), ctx, flow);
            let item_ctx = ctx.enter(item);
            let marker = if ordered {
                format!("{number}.")
            } else {
                "•".to_owned()
            };
            number = number.saturating_add(1);
            let mut inner = Flow::default();
            self.children(item, &item_ctx.inset(LIST_INDENT, 0.0), &mut inner);
            inner.trim();
            if inner.first_slice_mut().is_none() {
                inner.slice(Slice {
                    height: item_ctx.text.line_height(),
                    ops: Vec::new(),
                    keep_with_next: false,
                });
            }
            if let Some(first) = inner.first_slice_mut() {
                let style = item_ctx.text;
                let y = first
                    .first_baseline()
                    .unwrap_or_else(|| baseline(style.line_height(), style.size));
                // First in the slice, so that text extraction reads it before the item.
                let marker = Op::Text {
                    x: ctx.x + LIST_INDENT - 4.0 - style.width(&marker),
                    y,
                    font: style.font(),
                    size: style.size,
                    color: style.color,
                    text: marker,
                };
                first.ops.insert(0, marker);
            }
            let (top, bottom) = margins(item);
            flow.space(top);
            flow.append(inner);
            flow.space(bottom);
        }
        self.nodes(stray, ctx, flow);
    }

    /// Lays out the document footer as one slice, cut to [`FOOTER_MAX_HEIGHT`].
    fn footer(&self, footer: &Element, ctx: &Ctx) -> Slice {
        let mut slice = self.cell(footer, &ctx.enter(footer));
        if slice.height > FOOTER_MAX_HEIGHT {
            slice.height = FOOTER_MAX_HEIGHT;
            slice.ops.retain(|op| match op {
                Op::Text { y, .. } => *y <= FOOTER_MAX_HEIGHT,
                Op::Line { y1, y2, .. } => y1.max(*y2) <= FOOTER_MAX_HEIGHT,
                Op::Rect { y, height, .. } => y + height <= FOOTER_MAX_HEIGHT,
            });
        }
        slice
    }
}

/// Adds the text of an inline element, with its style, to `inline`.
fn collect_inline(element: &Element, ctx: &Ctx, inline: &mut Inline) {
    if element.name == "br" {
        inline.push_break(ctx.text);
        return;
    }
    if hidden(element) {
        return;
    }
    let ctx = ctx.enter(element);
    for child in &element.children {
        match child {
            Node::Text(text) => inline.push_text(ctx.text, text),
            Node::Element(child) => collect_inline(child, &ctx, inline),
        }
    }
}

/// The content of an element as inline text, as if no element inside were a block, to
/// measure it.
pub(super) fn collect_all(element: &Element, ctx: &Ctx, inline: &mut Inline) {
    for child in &element.children {
        match child {
            Node::Text(text) => inline.push_text(ctx.text, text),
            Node::Element(child) if hidden(child) => {}
            Node::Element(child) if child.name == "br" => inline.push_break(ctx.text),
            Node::Element(child) if is_block(child) => {
                inline.push_break(ctx.text);
                collect_all(child, &ctx.enter(child), inline);
                inline.push_break(ctx.text);
            }
            Node::Element(child) => collect_all(child, &ctx.enter(child), inline),
        }
    }
}

/// The frame of a `.box` filling the band of `ctx`.
fn box_frame(ctx: &Ctx) -> Frame {
    Frame {
        x: ctx.x,
        width: ctx.width,
        padding: BOX_PADDING_Y,
        line_width: 0.6,
        color: BORDER,
    }
}

/// An `<hr>`: a light rule across the band.
fn rule(ctx: &Ctx) -> Slice {
    Slice {
        height: 1.0,
        ops: vec![Op::Line {
            x1: ctx.x,
            y1: 0.5,
            x2: ctx.x + ctx.width,
            y2: 0.5,
            width: 0.6,
            color: LIGHT_RULE,
        }],
        keep_with_next: false,
    }
}
