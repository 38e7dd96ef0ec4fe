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
    let mut parsed = Parsed::default();
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<(usize, Node, usize)> = Vec::new(); // (id, node, node count)
    let mut total_nodes = 0usize;
    let mut documents = 0usize;
    let mut last_end = Pos { line: 1, column: 1 };

    let fail = |parsed: &mut Parsed, span: Span, message: String| {
        parsed.root = None;
        parsed.problems.push(Problem {
            kind: ProblemKind::Syntax,
            span,
            message,
        });
    };

    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(ev)) => ev,
            Some(Err(err)) => {
                let at = pos(err.marker());
                fail(&mut parsed, Span::point(at), err.info().to_string());
                return parsed;
            }
        };
        let start = pos(&span.start);
        let end = pos(&span.end);
        // Block collections end with an empty token; flow ones with their `]` or `}` (whose
        // token also swallows the spaces and comment after it: keep only the bracket).
        let flow_end = span.end.index() > span.start.index();
        let bracket_end = Pos {
            line: start.line,
            column: start.column + 1,
        };
        let complete: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    parsed.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        span: Span::point(start),
                        message: "a second YAML document (`---`) in the same file; keep one document per file"
                            .into(),
                    });
                    return parsed;
                }
                None
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    _ => Style::Block,
                };
                Some((
                    Node {
                        value: Value::Scalar {
                            text: text.into_owned(),
                            style,
                        },
                        span: Span { start, end },
                    },
                    anchor,
                ))
            }
            Event::Alias(id) => {
                let Some((_, node, count)) = anchors.iter().rev().find(|(a, _, _)| *a == id) else {
                    fail(
                        &mut parsed,
                        Span { start, end },
                        "alias to an unknown anchor".into(),
                    );
                    return parsed;
                };
                total_nodes += count;
                if total_nodes > MAX_NODES {
                    fail(
                        &mut parsed,
                        Span { start, end },
                        format!(
                            "aliases expand this document past {MAX_NODES} nodes; write the values out instead of nesting aliases"
                        ),
                    );
                    return parsed;
                }
                let mut node = node.clone();
                node.span = Span { start, end };
                Some((node, 0))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    fail(
                        &mut parsed,
                        Span::point(start),
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    );
                    return parsed;
                }
                total_nodes += 1;
                if matches!(event, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq {
                        start,
                        anchor,
                        items: Vec::new(),
                    });
                } else {
                    stack.push(Frame::Map {
                        start,
                        anchor,
                        entries: Vec::new(),
                        pending_key: None,
                    });
                }
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                }) => {
                    // A flow list ends at its `]`; a block list at its last item.
                    let end = if flow_end {
                        bracket_end
                    } else {
                        items.last().map_or(end, |n| n.span.end)
                    };
                    Some((
                        Node {
                            value: Value::Seq(items),
                            span: Span { start, end },
                        },
                        anchor,
                    ))
                }
                Some(Frame::Map {
                    start,
                    anchor,
                    entries,
                    ..
                }) => {
                    let end = if flow_end {
                        bracket_end
                    } else {
                        entries.last().map_or(end, |e| e.value.span.end)
                    };
                    Some((
                        Node {
                            value: Value::Map(entries),
                            span: Span { start, end },
                        },
                        anchor,
                    ))
                }
                None => None,
            },
        };
        let Some((node, anchor)) = complete else {
            continue;
        };
        if matches!(node.value, Value::Scalar { .. }) {
            total_nodes += 1;
            if total_nodes > MAX_NODES {
                fail(
                    &mut parsed,
                    node.span,
                    format!("document larger than {MAX_NODES} nodes"),
                );
                return parsed;
            }
        }
        if anchor != 0 {
            let count = node.count();
            anchors.push((anchor, node.clone(), count));
        }
        last_end = node.span.end;
        match stack.last_mut() {
            None => {
                if parsed.root.is_none() {
                    parsed.root = Some(node);
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
                        Some(first_line) => parsed.problems.push(Problem {
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
    }
    let _ = last_end;
    parsed
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
