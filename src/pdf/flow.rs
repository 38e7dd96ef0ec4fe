//! Vertical flow: the drawing operations, the unbreakable slices they are grouped in, and
//! the placer that stacks slices top to bottom, on pages or on one endless strip.
//!
//! The layout turns the document into a [`Flow`]: slices (a line of text, a table row, a
//! kept block), collapsible spaces between them, and markers for what spans several
//! slices (a framed box, a table whose header repeats on each page). The [`Placer`] then
//! decides where pages break. The same placer, without a page bottom, also [`flatten`]s a
//! flow into a single slice, which is how table cells, columns and kept blocks become
//! unbreakable.

use super::metrics::{ASCENT, DESCENT, Font};

/// The colour of text and rules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Color {
    /// A shade of grey, from 0 (black) to 1 (white).
    Gray(f32),
}

/// A drawing operation. Coordinates are in points from the top left corner of whatever
/// holds the operation (a slice, then a page), `y` growing downwards.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Op {
    /// Text on one line, `y` being its baseline. The text holds only characters that
    /// the fonts can show (normalised by [`push_printable`](super::metrics::push_printable)).
    Text {
        x: f32,
        y: f32,
        font: Font,
        size: f32,
        color: Color,
        text: String,
    },
    /// A straight line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Color,
    },
    /// The outline of a rectangle whose top left corner is at `x`, `y`.
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        line_width: f32,
        color: Color,
    },
}

impl Op {
    /// The same operation moved down by `dy`.
    pub(crate) fn shifted(mut self, dy: f32) -> Op {
        match &mut self {
            Op::Text { y, .. } | Op::Rect { y, .. } => *y += dy,
            Op::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }

    /// The highest point the operation reaches.
    fn top(&self) -> f32 {
        match self {
            Op::Text { y, size, .. } => y - ASCENT * size,
            Op::Line { y1, y2, .. } => y1.min(*y2),
            Op::Rect { y, .. } => *y,
        }
    }

    /// The lowest point the operation reaches.
    fn bottom(&self) -> f32 {
        match self {
            Op::Text { y, size, .. } => y + DESCENT * size,
            Op::Line { y1, y2, .. } => y1.max(*y2),
            Op::Rect { y, height, .. } => y + height,
        }
    }

    /// For text, where its last glyph ends.
    #[cfg(test)]
    pub(crate) fn text_end(&self) -> Option<f32> {
        match self {
            Op::Text {
                x,
                font,
                size,
                text,
                ..
            } => Some(x + super::metrics::text_width(*font, *size, text)),
            Op::Line { .. } | Op::Rect { .. } => None,
        }
    }
}

/// Operations that stay together on one page, with the height they take.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Slice {
    pub(crate) height: f32,
    pub(crate) ops: Vec<Op>,
    /// Move to the next page with the slice that follows rather than be left alone at the
    /// bottom of a page (headings, table headers).
    pub(crate) keep_with_next: bool,
}

impl Slice {
    /// The baseline of the first line of text in the slice, if it has text.
    pub(crate) fn first_baseline(&self) -> Option<f32> {
        self.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { y, .. } => Some(*y),
                Op::Line { .. } | Op::Rect { .. } => None,
            })
            .reduce(f32::min)
    }

    /// Splits the slice at `cut` (0 < `cut` < height) into what lies above and what lies
    /// below, the latter moved up to start at 0. Text is never cut: the cut moves up to the
    /// top of any line it would cross, unless that leaves nothing above it.
    fn split(self, cut: f32) -> (Slice, Slice) {
        let mut at = cut;
        // A few passes settle lines of neighbouring cells whose baselines differ.
        for _ in 0..8 {
            let crossed = self
                .ops
                .iter()
                .filter(|op| matches!(op, Op::Text { .. }) && op.top() < at && op.bottom() > at)
                .map(Op::top)
                .reduce(f32::min);
            match crossed {
                Some(top) if top > 1.0 => at = top,
                _ => break,
            }
        }
        let (above, below): (Vec<Op>, Vec<Op>) = self.ops.into_iter().partition(|op| op.top() < at);
        let head = Slice {
            height: at,
            ops: above,
            keep_with_next: false,
        };
        let tail = Slice {
            height: (self.height - at).max(0.0),
            ops: below.into_iter().map(|op| op.shifted(-at)).collect(),
            keep_with_next: self.keep_with_next,
        };
        (head, tail)
    }
}

/// A thin rectangle drawn around a run of the flow (a `box`), split into one rectangle
/// per page when the run spans pages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Frame {
    pub(crate) x: f32,
    pub(crate) width: f32,
    /// Space between the border and the content, above and below.
    pub(crate) padding: f32,
    pub(crate) line_width: f32,
    pub(crate) color: Color,
}

/// One element of a flow.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Item {
    /// Space between blocks: it collapses with the spaces next to it (the largest wins),
    /// and vanishes at the top of a page.
    Space(f32),
    Slice(Slice),
    /// Start a new page, unless the current one is still empty.
    PageBreak,
    /// The flow up to the matching [`Item::FrameEnd`] is drawn inside a frame.
    FrameStart(Frame),
    FrameEnd,
    /// Until the matching [`Item::RepeatEnd`], each new page starts with this slice (the
    /// header row of a table).
    RepeatStart(Slice),
    RepeatEnd,
}

/// A sequence of items under construction.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Flow {
    pub(crate) items: Vec<Item>,
}

impl Flow {
    /// Adds vertical space, collapsing it with a space just before.
    pub(crate) fn space(&mut self, height: f32) {
        if height <= 0.0 {
            return;
        }
        match self.items.last_mut() {
            Some(Item::Space(last)) => *last = last.max(height),
            _ => self.items.push(Item::Space(height)),
        }
    }

    pub(crate) fn slice(&mut self, slice: Slice) {
        self.items.push(Item::Slice(slice));
    }

    pub(crate) fn page_break(&mut self) {
        self.items.push(Item::PageBreak);
    }

    /// Appends `other`, collapsing the spaces where the two meet.
    pub(crate) fn append(&mut self, other: Flow) {
        for item in other.items {
            match item {
                Item::Space(height) => self.space(height),
                item => self.items.push(item),
            }
        }
    }

    /// Removes the spaces at both ends, as the content of a box or cell has no margin
    /// against its edges.
    pub(crate) fn trim(&mut self) {
        while matches!(self.items.last(), Some(Item::Space(_))) {
            self.items.pop();
        }
        let leading = self
            .items
            .iter()
            .take_while(|item| matches!(item, Item::Space(_)))
            .count();
        self.items.drain(..leading);
    }

    /// Marks every slice to stay with what follows it.
    pub(crate) fn keep_with_next(&mut self) {
        for item in &mut self.items {
            if let Item::Slice(slice) = item {
                slice.keep_with_next = true;
            }
        }
    }

    /// Wraps the (trimmed) flow in `frame`.
    pub(crate) fn framed(mut self, frame: Frame) -> Flow {
        self.trim();
        let mut items = Vec::with_capacity(self.items.len() + 2);
        items.push(Item::FrameStart(frame));
        items.append(&mut self.items);
        items.push(Item::FrameEnd);
        Flow { items }
    }

    /// The first slice of the flow, to hang a list marker on.
    pub(crate) fn first_slice_mut(&mut self) -> Option<&mut Slice> {
        self.items.iter_mut().find_map(|item| match item {
            Item::Slice(slice) => Some(slice),
            _ => None,
        })
    }
}

/// Stacks the items of a flow into one slice, as if on an endless page.
pub(crate) fn flatten(flow: &Flow) -> Slice {
    let mut placer = Placer::new(0.0, f32::INFINITY);
    placer.run(&flow.items);
    let height = placer.y;
    let ops = placer.finish().pop().unwrap_or_default();
    Slice {
        height,
        ops,
        keep_with_next: false,
    }
}

/// Places a flow on pages whose usable band runs from `top` to `bottom`, and returns the
/// operations of each page.
pub(crate) fn paginate(flow: &Flow, top: f32, bottom: f32) -> Vec<Vec<Op>> {
    let mut placer = Placer::new(top, bottom);
    placer.run(&flow.items);
    placer.finish()
}

/// Below this much room, a slice too tall for a page is drawn as is rather than split:
/// splitting could not make progress.
const MIN_SPLIT_ROOM: f32 = 20.0;

/// A frame open at the current position.
struct OpenFrame {
    frame: Frame,
    /// Where its rectangle starts on the current page.
    start: f32,
    /// Whether any slice was placed inside it on the current page.
    used: bool,
}

/// Stacks slices down a page and opens new pages as needed.
struct Placer<'a> {
    top: f32,
    bottom: f32,
    y: f32,
    /// Space waiting to be added before the next slice (dropped at the top of a page).
    pending: f32,
    /// Whether nothing has been placed on the current page yet.
    fresh: bool,
    ops: Vec<Op>,
    pages: Vec<Vec<Op>>,
    frames: Vec<OpenFrame>,
    header: Option<&'a Slice>,
}

impl<'a> Placer<'a> {
    fn new(top: f32, bottom: f32) -> Placer<'a> {
        Placer {
            top,
            bottom,
            y: top,
            pending: 0.0,
            fresh: true,
            ops: Vec::new(),
            pages: Vec::new(),
            frames: Vec::new(),
            header: None,
        }
    }

    /// Whether pages have a bottom, i.e. this placer paginates rather than flattens.
    fn paged(&self) -> bool {
        self.bottom.is_finite()
    }

    fn run(&mut self, items: &'a [Item]) {
        for (at, item) in items.iter().enumerate() {
            match item {
                Item::Space(height) => self.pending = self.pending.max(*height),
                Item::PageBreak => {
                    if self.paged() && !self.fresh {
                        self.new_page();
                    }
                }
                Item::FrameStart(frame) => {
                    self.settle();
                    self.frames.push(OpenFrame {
                        frame: *frame,
                        start: self.y,
                        used: false,
                    });
                    self.y += frame.padding;
                }
                Item::FrameEnd => {
                    if let Some(open) = self.frames.pop() {
                        self.y += open.frame.padding;
                        self.draw_frame(&open);
                    }
                }
                Item::RepeatStart(header) => self.header = Some(header),
                Item::RepeatEnd => self.header = None,
                Item::Slice(slice) => {
                    let follow = if slice.keep_with_next && self.paged() {
                        following_height(&items[at + 1..], self.bottom - self.top)
                    } else {
                        0.0
                    };
                    self.place(slice, follow);
                }
            }
        }
    }

    /// Places `slice`, moving to a new page first if it (and the `follow` height that must
    /// stay with it) does not fit in what is left of this one.
    fn place(&mut self, slice: &Slice, follow: f32) {
        let gap = if self.fresh { 0.0 } else { self.pending };
        if self.paged() && !self.fresh && self.y + gap + slice.height + follow > self.bottom {
            self.new_page();
        }
        self.settle();
        if self.fresh
            && let Some(header) = self.header
        {
            self.emit(header);
        }
        if self.paged() && self.y + slice.height > self.bottom {
            self.place_split(slice.clone());
        } else {
            self.emit(slice);
        }
    }

    /// Places a slice taller than the room left on a fresh page, over as many pages as it
    /// takes.
    fn place_split(&mut self, mut rest: Slice) {
        loop {
            let room = self.bottom - self.y;
            if rest.height <= room || room < MIN_SPLIT_ROOM {
                self.emit(&rest);
                return;
            }
            let (head, tail) = rest.split(room);
            self.emit(&head);
            self.new_page();
            rest = tail;
        }
    }

    /// Adds the pending space unless at the top of a page.
    fn settle(&mut self) {
        if !self.fresh {
            self.y += self.pending;
        }
        self.pending = 0.0;
    }

    fn emit(&mut self, slice: &Slice) {
        let dy = self.y;
        self.ops
            .extend(slice.ops.iter().map(|op| op.clone().shifted(dy)));
        self.y += slice.height;
        self.fresh = false;
        for open in &mut self.frames {
            open.used = true;
        }
    }

    fn draw_frame(&mut self, open: &OpenFrame) {
        let frame = open.frame;
        self.ops.push(Op::Rect {
            x: frame.x,
            y: open.start,
            width: frame.width,
            height: self.y - open.start,
            line_width: frame.line_width,
            color: frame.color,
        });
    }

    /// Closes the current page, ending the open frames on it, and reopens them at the top
    /// of the next one.
    fn new_page(&mut self) {
        let frames = std::mem::take(&mut self.frames);
        for open in frames.iter().filter(|open| open.used) {
            self.y += open.frame.padding;
            self.draw_frame(open);
        }
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = self.top;
        self.pending = 0.0;
        self.fresh = true;
        self.frames = frames;
        for open in &mut self.frames {
            open.start = self.y;
            open.used = false;
            self.y += open.frame.padding;
        }
    }

    /// The pages, the last one included, with any frame left open closed.
    fn finish(mut self) -> Vec<Vec<Op>> {
        while let Some(open) = self.frames.pop() {
            self.y += open.frame.padding;
            self.draw_frame(&open);
        }
        let last = std::mem::take(&mut self.ops);
        if !last.is_empty() || self.pages.is_empty() {
            self.pages.push(last);
        }
        self.pages
    }
}

/// The height that must follow a keep-with-next slice onto its page: the following slices
/// up to and including the first one that is not keep-with-next, with the spaces between.
/// Zero when that run is taller than `limit` (it cannot be kept together anyway) or a page
/// break comes first.
fn following_height(items: &[Item], limit: f32) -> f32 {
    let mut height = 0.0;
    let mut pending: f32 = 0.0;
    for item in items {
        match item {
            Item::Space(space) => pending = pending.max(*space),
            Item::FrameStart(frame) => height += frame.padding,
            Item::Slice(slice) => {
                height += pending + slice.height;
                pending = 0.0;
                if !slice.keep_with_next {
                    return if height <= limit { height } else { 0.0 };
                }
            }
            Item::PageBreak => return 0.0,
            Item::FrameEnd | Item::RepeatStart(_) | Item::RepeatEnd => {}
        }
        if height > limit {
            return 0.0;
        }
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(y: f32, label: &str) -> Op {
        Op::Text {
            x: 0.0,
            y,
            font: Font::Regular,
            size: 10.0,
            color: Color::Gray(0.0),
            text: label.into(),
        }
    }

    fn line(label: &str, keep_with_next: bool) -> Item {
        Item::Slice(Slice {
            height: 12.0,
            ops: vec![text(9.0, label)],
            keep_with_next,
        })
    }

    fn labels(page: &[Op]) -> Vec<&str> {
        page.iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn slices_fill_pages_and_spaces_vanish_at_the_top() {
        let mut flow = Flow::default();
        for n in 0..10 {
            flow.space(30.0);
            flow.append(Flow {
                items: vec![line(&n.to_string(), false)],
            });
        }
        // Each line takes 42 pt but the first of a page only 12: 12 + 2 * 42 <= 100.
        let pages = paginate(&flow, 0.0, 100.0);
        assert_eq!(pages.len(), 4);
        assert_eq!(labels(&pages[0]), ["0", "1", "2"]);
        assert_eq!(pages[1].first(), Some(&text(9.0, "3")));
    }

    #[test]
    fn a_heading_moves_with_the_next_slice() {
        let flow = Flow {
            items: vec![
                line("a", false),
                line("b", false),
                line("heading", true),
                line("c", false),
            ],
        };
        let pages = paginate(&flow, 0.0, 40.0);
        assert_eq!(labels(&pages[0]), ["a", "b"]);
        assert_eq!(labels(&pages[1]), ["heading", "c"]);
    }

    #[test]
    fn the_repeated_slice_opens_each_new_page() {
        let header = Slice {
            height: 12.0,
            ops: vec![text(9.0, "header")],
            keep_with_next: true,
        };
        let mut items = vec![Item::Slice(header.clone()), Item::RepeatStart(header)];
        items.extend((0..5).map(|n| line(&n.to_string(), false)));
        items.push(Item::RepeatEnd);
        items.push(line("after", false));
        let pages = paginate(&Flow { items }, 0.0, 40.0);
        let pages: Vec<_> = pages.iter().map(|page| labels(page)).collect();
        assert_eq!(
            pages,
            [
                vec!["header", "0", "1"],
                vec!["header", "2", "3"],
                vec!["header", "4", "after"],
            ]
        );
    }

    #[test]
    fn a_slice_taller_than_a_page_is_split_between_lines() {
        let tall = Slice {
            height: 120.0,
            ops: (0..10).map(|n| text(n as f32 * 12.0 + 9.0, "x")).collect(),
            keep_with_next: false,
        };
        let pages = paginate(
            &Flow {
                items: vec![Item::Slice(tall)],
            },
            0.0,
            50.0,
        );
        assert_eq!(pages.len(), 3);
        for page in &pages {
            for op in page {
                // Within the page, give or take the rounding of the shifts.
                assert!(op.top() >= -0.001 && op.bottom() <= 50.001, "{op:?}");
            }
        }
        assert_eq!(pages.iter().map(Vec::len).sum::<usize>(), 10);
    }

    #[test]
    fn a_frame_is_drawn_on_each_page_it_spans() {
        let frame = Frame {
            x: 0.0,
            width: 100.0,
            padding: 5.0,
            line_width: 0.5,
            color: Color::Gray(0.7),
        };
        let mut inner = Flow::default();
        for n in 0..6 {
            inner.items.push(line(&n.to_string(), false));
        }
        let pages = paginate(&inner.framed(frame), 0.0, 50.0);
        let rects = pages.iter().map(|page| {
            page.iter()
                .filter(|op| matches!(op, Op::Rect { .. }))
                .count()
        });
        assert!(rects.clone().all(|count| count == 1), "{pages:?}");
        assert!(pages.len() >= 2);
    }

    #[test]
    fn flattening_trims_nothing_but_the_leading_space() {
        let mut flow = Flow::default();
        flow.space(10.0);
        flow.items.push(line("a", false));
        flow.space(4.0);
        flow.items.push(line("b", false));
        let slice = flatten(&flow);
        assert_eq!(slice.height, 28.0);
        assert_eq!(slice.first_baseline(), Some(9.0));
    }
}
