//! YAML as fresk reads it: decoding raw bytes, a span-aware node tree, locating a field by its
//! route, and deserializing typed models from the tree.

pub mod de;
pub mod edit;
pub mod node;

pub use node::{Entry, Node, Pos, Span, Style, Value, parse};

/// Files larger than this are refused before parsing: no fresk file comes near it.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// One step of a route from the document root to a value: `lines[2].amount`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A route from the document root, written like `lines[2].amount`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Route(pub Vec<Seg>);

impl Route {
    pub fn root() -> Route {
        Route(Vec::new())
    }

    /// Parse `a.b[2].c`; keys are slugs so no quoting is needed.
    pub fn parse(text: &str) -> Route {
        let mut segs = Vec::new();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let mut rest = part;
            if let Some(open) = rest.find('[') {
                if open > 0 {
                    segs.push(Seg::Key(rest[..open].to_string()));
                }
                rest = &rest[open..];
                while let Some(stripped) = rest.strip_prefix('[') {
                    let close = stripped.find(']').unwrap_or(stripped.len());
                    if let Ok(i) = stripped[..close].parse() {
                        segs.push(Seg::Index(i));
                    }
                    rest = stripped.get(close + 1..).unwrap_or("");
                }
            } else {
                segs.push(Seg::Key(rest.to_string()));
            }
        }
        Route(segs)
    }

    pub fn key(&self, key: &str) -> Route {
        let mut r = self.clone();
        r.0.push(Seg::Key(key.to_string()));
        r
    }

    pub fn index(&self, i: usize) -> Route {
        let mut r = self.clone();
        r.0.push(Seg::Index(i));
        r
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Which part of a mapping entry a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Target {
    Key,
    Value,
}

/// The span of the value (or key) at `route`; when the route goes further than the document,
/// the deepest part that exists (so a missing field points at its parent's key).
pub fn locate(root: &Node, route: &Route, target: Target) -> Span {
    let mut node = root;
    let mut key_span: Option<Span> = None;
    for seg in &route.0 {
        let next = match (seg, &node.value) {
            (Seg::Key(k), Value::Map(_)) => node.get(k).map(|e| (e.key.span, &e.value)),
            (Seg::Index(i), Value::Seq(items)) => items.get(*i).map(|n| (n.span, n)),
            _ => None,
        };
        match next {
            Some((span, child)) => {
                key_span = Some(span);
                node = child;
            }
            None => return key_span.unwrap_or_else(|| first_line(root)),
        }
    }
    match target {
        Target::Key => key_span.unwrap_or(node.span),
        Target::Value => node.span,
    }
}

fn first_line(root: &Node) -> Span {
    match root.entries().first() {
        Some(e) => e.key.span,
        None => root.span,
    }
}

/// Raw file bytes turned into text, or why they cannot be.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub had_bom: bool,
    pub crlf: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    InvalidUtf8 { pos: Pos },
}

pub fn decode(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(DecodeError::InvalidUtf8 {
                pos: Pos {
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    column: u32::try_from(column).unwrap_or(u32::MAX),
                },
            });
        }
    };
    let (text, had_bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest.to_string(), true),
        None => (text, false),
    };
    let crlf = text.contains("\r\n");
    Ok(Decoded {
        text,
        had_bom,
        crlf,
    })
}

/// Lines left over from an unresolved git merge (`<<<<<<<`, `=======`, `>>>>>>>`).
pub fn conflict_markers(text: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_end_matches('\r');
            line.starts_with("<<<<<<<")
                || line.starts_with(">>>>>>>")
                || line == "======="
                || line.starts_with("||||||| ")
        })
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_round_trips() {
        let r = Route::parse("lines[2].amount");
        assert_eq!(
            r.0,
            vec![
                Seg::Key("lines".into()),
                Seg::Index(2),
                Seg::Key("amount".into())
            ]
        );
        assert_eq!(r.to_string(), "lines[2].amount");
    }

    #[test]
    fn locate_falls_back_to_the_deepest_existing_part() {
        let doc = parse("id: x\nquote:\n  sent: 2026-01-01\n").root.unwrap();
        let span = locate(&doc, &Route::parse("quote.number"), Target::Key);
        assert_eq!(span.start, Pos { line: 2, column: 1 });
        let span = locate(&doc, &Route::parse("quote.sent"), Target::Value);
        assert_eq!(span.start, Pos { line: 3, column: 9 });
    }

    #[test]
    fn invalid_utf8_has_a_position() {
        let err = decode(b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(
            err,
            DecodeError::InvalidUtf8 {
                pos: Pos { line: 2, column: 4 }
            }
        );
    }

    #[test]
    fn bom_and_crlf_are_noticed() {
        let d = decode("\u{feff}a: 1\r\n".as_bytes().to_vec()).unwrap();
        assert!(d.had_bom && d.crlf);
        assert_eq!(d.text, "a: 1\r\n");
    }
}
