//! A YAML document as a small tree of nodes that remember where they came from.
//! Built from saphyr-parser events; guards against alias bombs, deep nesting and duplicate keys.

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};

/// A 1-based position; the column counts characters, not bytes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A range of the source: `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn point(pos: Pos) -> Span {
        Span {
            start: pos,
            end: Pos {
                line: pos.line,
                column: pos.column + 1,
            },
        }
    }
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Debug, Clone)]
pub enum Value {
    Scalar { text: String, style: Style },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// The key's text when it is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_str()
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, style: Style::Plain } if is_null_text(text))
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key_str() == Some(key))
    }

    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => "null",
            Value::Scalar { .. } => "scalar",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }

    fn count(&self) -> usize {
        match &self.value {
            Value::Scalar { .. } => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|e| e.key.count() + e.value.count())
                    .sum::<usize>()
            }
        }
    }
}

pub fn is_null_text(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Why a document could not be read, or a problem found while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The text is not YAML (fatal).
    Syntax,
    /// The same key twice in a mapping (the document is still read; the first wins).
    DuplicateKey,
}

/// The outcome of parsing: the first document (if any could be built) and every problem.
#[derive(Debug, Default)]
pub struct Parsed {
    pub root: Option<Node>,
    pub problems: Vec<Problem>,
}

/// Deeper nesting than this is refused: no fresk file needs more than a handful of levels.
pub const MAX_DEPTH: usize = 64;
/// Total nodes a document may expand to, aliases included (defuses "billion laughs").
pub const MAX_NODES: usize = 200_000;

fn pos(m: &Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
    }
}

/// A collection being read: its start, its anchor, and what it holds so far.
enum Frame {
    Seq {
        start: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Pos,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
    },
}

/// Parse the first YAML document of `text`.
pub fn parse(text: &str) -> Parsed {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::default();
    while let Some(next) = parser.next_event() {
        let stopped = match next {
            Ok((event, span)) => builder.event(event, &span),
            Err(err) => {
                let at = pos(err.marker());
                Err(builder.fail(Span::point(at), err.info().to_string()))
            }
        };
        if stopped.is_err() {
            break;
        }
    }
    builder.parsed
}

/// Parsing stopped; the problem is recorded.
struct Stop;

/// The tree built from the parser's events, with the counts that guard it.
#[derive(Default)]
struct Builder {
    parsed: Parsed,
    /// The collections open around the next node, innermost last.
    stack: Vec<Frame>,
    /// Every anchored node: (anchor id, node, its node count).
    anchors: Vec<(usize, Node, usize)>,
    /// Nodes so far, aliases expanded.
    total_nodes: usize,
    documents: usize,
}

impl Builder {
    /// Record that the text is not YAML at `span`: no tree.
    fn fail(&mut self, span: Span, message: String) -> Stop {
        self.parsed.root = None;
        self.parsed.problems.push(Problem {
            kind: ProblemKind::Syntax,
            span,
            message,
        });
        Stop
    }

    /// Take the parser's next event.
    fn event(&mut self, event: Event, span: &saphyr_parser::Span) -> Result<(), Stop> {
        let start = pos(&span.start);
        let end = pos(&span.end);
        let complete = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    // The first document stays read.
                    self.parsed.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        span: Span::point(start),
                        message: "a second YAML document (`---`) in the same file; keep one document per file"
                            .into(),
                    });
                    return Err(Stop);
                }
                None
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    _ => Style::Block,
                };
                let value = Value::Scalar {
                    text: text.into_owned(),
                    style,
                };
                let node = Node {
                    value,
                    span: Span { start, end },
                };
                Some((node, anchor))
            }
            Event::Alias(id) => Some((self.alias(id, Span { start, end })?, 0)),
            Event::SequenceStart(anchor, _) => {
                let items = Vec::new();
                self.open(Frame::Seq {
                    start,
                    anchor,
                    items,
                })?;
                None
            }
            Event::MappingStart(anchor, _) => {
                let entries = Vec::new();
                self.open(Frame::Map {
                    start,
                    anchor,
                    entries,
                    pending_key: None,
                })?;
                None
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span, start, end),
        };
        match complete {
            Some((node, anchor)) => self.attach(node, anchor),
            None => Ok(()),
        }
    }

    /// A copy of the node anchored as `id`, placed at `span`.
    fn alias(&mut self, id: usize, span: Span) -> Result<Node, Stop> {
        let Some(found) = self.anchors.iter().rposition(|(a, _, _)| *a == id) else {
            return Err(self.fail(span, "alias to an unknown anchor".into()));
        };
        let (_, node, count) = &self.anchors[found];
        self.total_nodes += count;
        if self.total_nodes > MAX_NODES {
            return Err(self.fail(
                span,
                format!(
                    "aliases expand this document past {MAX_NODES} nodes; write the values out instead of nesting aliases"
                ),
            ));
        }
        let mut node = node.clone();
        node.span = span;
        Ok(node)
    }

    /// A collection starts.
    fn open(&mut self, frame: Frame) -> Result<(), Stop> {
        if self.stack.len() >= MAX_DEPTH {
            let (Frame::Seq { start, .. } | Frame::Map { start, .. }) = frame;
            return Err(self.fail(
                Span::point(start),
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.total_nodes += 1;
        self.stack.push(frame);
        Ok(())
    }

    /// The innermost collection ends (its end token at `span`, from `start` to `end`): the node
    /// it makes, and its anchor.
    fn close(&mut self, span: &saphyr_parser::Span, start: Pos, end: Pos) -> Option<(Node, usize)> {
        // Block collections end with an empty token; flow ones with their `]` or `}` (whose
        // token also swallows the spaces and comment after it: keep only the bracket).
        let flow_end = span.end.index() > span.start.index();
        let bracket_end = Pos {
            line: start.line,
            column: start.column + 1,
        };
        let (start, anchor, value, last_end) = match self.stack.pop()? {
            // A flow list ends at its `]`; a block list at its last item.
            Frame::Seq {
                start,
                anchor,
                items,
            } => {
                let last = items.last().map(|n| n.span.end);
                (start, anchor, Value::Seq(items), last)
            }
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => {
                let last = entries.last().map(|e| e.value.span.end);
                (start, anchor, Value::Map(entries), last)
            }
        };
        let end = if flow_end {
            bracket_end
        } else {
            last_end.unwrap_or(end)
        };
        Some((
            Node {
                value,
                span: Span { start, end },
            },
            anchor,
        ))
    }

    /// A node is complete: count it, remember it under its anchor, and place it in the
    /// collection around it (or as the root).
    fn attach(&mut self, node: Node, anchor: usize) -> Result<(), Stop> {
        if matches!(node.value, Value::Scalar { .. }) {
            self.total_nodes += 1;
            if self.total_nodes > MAX_NODES {
                return Err(self.fail(node.span, format!("document larger than {MAX_NODES} nodes")));
            }
        }
        if anchor != 0 {
            let count = node.count();
            self.anchors.push((anchor, node.clone(), count));
        }
        match self.stack.last_mut() {
            None => {
                if self.parsed.root.is_none() {
                    self.parsed.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => {
                    let duplicate = key.as_str().and_then(|k| {
                        entries
                            .iter()
                            .find(|e| e.key_str() == Some(k))
                            .map(|e| e.key.span.start.line)
                    });
                    match duplicate {
                        Some(first_line) => self.parsed.problems.push(Problem {
                            kind: ProblemKind::DuplicateKey,
                            span: key.span,
                            message: format!(
                                "duplicate key `{}` (first set on line {first_line}); keep only one",
                                key.as_str().unwrap_or_default()
                            ),
                        }),
                        None => entries.push(Entry { key, value: node }),
                    }
                }
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let parsed = parse("id: a\nlist:\n  - x\n  - { k: 1 }\n");
        let root = parsed.root.unwrap();
        let list = root.get("list").unwrap();
        assert_eq!(list.key.span.start, Pos { line: 2, column: 1 });
        let Value::Seq(items) = &list.value.value else {
            panic!()
        };
        assert_eq!(
            items[1].get("k").unwrap().value.span.start,
            Pos {
                line: 4,
                column: 10
            }
        );
    }

    #[test]
    fn flow_collections_span_their_brackets() {
        let root = parse("a: { x: 1 }\nb: [1, 2]\nc:\n  d: 1\n").root.unwrap();
        assert_eq!(
            root.get("a").unwrap().value.span.end,
            Pos {
                line: 1,
                column: 12
            }
        );
        assert_eq!(
            root.get("b").unwrap().value.span.end,
            Pos {
                line: 2,
                column: 10
            }
        );
        assert_eq!(
            root.get("c").unwrap().value.span.end,
            Pos { line: 4, column: 7 }
        );
    }

    #[test]
    fn duplicate_keys_are_reported_and_first_kept() {
        let parsed = parse("a: 1\nb: 2\na: 3\n");
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].kind, ProblemKind::DuplicateKey);
        assert_eq!(parsed.problems[0].span.start, Pos { line: 3, column: 1 });
        assert_eq!(
            parsed.root.unwrap().get("a").unwrap().value.as_str(),
            Some("1")
        );
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let parsed = parse(&text);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.problems[0].kind, ProblemKind::Syntax);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        let parsed = parse(&text);
        assert!(parsed.root.is_none());
        assert!(!parsed.problems.is_empty());
    }

    #[test]
    fn syntax_error_has_a_position() {
        let parsed = parse("a: 1\nb: c: d\n");
        assert!(parsed.root.is_none());
        assert_eq!(parsed.problems[0].span.start.line, 2);
    }
}
