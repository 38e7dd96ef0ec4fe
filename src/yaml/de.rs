//! Deserialize typed models straight from a [`Node`] tree, reading scalars as the text the
//! user wrote (so money and dates are never routed through a float); [`from_text`] reads a
//! whole text, saying where a problem lies.

use super::node::{Entry, Node, Pos, Span, Style, Value, is_null_text};
use super::{Route, Seg};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::fmt;

/// A deserialization error; shape validation runs first, so these are rare. It prints as its
/// message; where it lies is filled in on its way out of the tree, for [`from_text`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    message: String,
    /// Boxed: the place is only known on the way out of an error, and every call of the
    /// deserializer returns a `Result` of this type.
    place: Option<Box<Place>>,
}

/// Where an error lies: the route from the node deserialized (innermost step first) and the
/// span of the innermost node known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Place {
    steps: Vec<Seg>,
    span: Option<Span>,
}

impl Error {
    fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            place: None,
        }
    }

    /// The error met inside `span`, reached from its parent by `step` (none for a key).
    fn within(mut self, step: Option<Seg>, span: Span) -> Error {
        let place = self.place.get_or_insert_with(Box::default);
        place.span.get_or_insert(span);
        place.steps.extend(step);
        self
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(msg.to_string())
    }
}

pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, Error> {
    T::deserialize(NodeDeserializer(node))
}

/// Why a text could not be read as a value: the problem, the route to the value at fault and
/// where it starts, as in `participants[0].attended: expected true or false, found `maybe` at
/// line 2 column 26`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    pub route: Route,
    pub message: String,
    pub at: Option<Pos>,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.route.0.is_empty() {
            write!(f, "{}: ", self.route)?;
        }
        f.write_str(&self.message)?;
        if let Some(at) = self.at {
            write!(f, " at line {} column {}", at.line, at.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for TextError {}

/// Read the YAML `text` (one document; no key twice in a mapping) as a `T`. An empty text
/// reads as null.
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, TextError> {
    let parsed = super::parse(text);
    if let Some(problem) = parsed.problems.first() {
        return Err(TextError {
            route: Route::root(),
            message: problem.message.clone(),
            at: Some(problem.span.start),
        });
    }
    let empty = Node {
        value: Value::Scalar {
            text: String::new(),
            style: Style::Plain,
        },
        span: Span::default(),
    };
    let root = parsed.root.as_ref().unwrap_or(&empty);
    from_node(root).map_err(|e| {
        let e = e.within(None, root.span);
        let place = e.place.unwrap_or_default();
        TextError {
            route: Route(place.steps.into_iter().rev().collect()),
            message: e.message,
            at: place.span.map(|s| s.start).filter(|p| p.line > 0),
        }
    })
}

#[derive(Clone, Copy)]
pub struct NodeDeserializer<'a>(pub &'a Node);

impl NodeDeserializer<'_> {
    fn scalar(&self) -> Result<(&str, Style), Error> {
        match &self.0.value {
            Value::Scalar { text, style } => Ok((text, *style)),
            _ => Err(Error::new(format!(
                "expected a value, found a {}",
                self.0.kind_name()
            ))),
        }
    }

    /// A number written as YAML writes numbers: plain (a quoted `"14"` is text, as JSON Schema
    /// and every other YAML reader see it).
    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, Error> {
        let (text, style) = self.scalar()?;
        if style != Style::Plain {
            return Err(Error::new(format!(
                "expected {what}, found the text \"{text}\"; write it without quotes"
            )));
        }
        text.parse()
            .map_err(|_| Error::new(format!("expected {what}, found `{text}`")))
    }
}

macro_rules! number {
    ($method:ident, $visit:ident, $ty:ty, $what:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.parse::<$ty>($what)?)
        }
    };
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Scalar { text, style } => {
                if *style == Style::Plain {
                    if is_null_text(text) {
                        return visitor.visit_unit();
                    }
                    match text.as_str() {
                        "true" | "True" | "TRUE" => return visitor.visit_bool(true),
                        "false" | "False" | "FALSE" => return visitor.visit_bool(false),
                        _ => {}
                    }
                    if let Ok(n) = text.parse::<i64>() {
                        return visitor.visit_i64(n);
                    }
                }
                visitor.visit_str(text)
            }
            Value::Seq(_) => self.deserialize_seq(visitor),
            Value::Map(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.scalar()? {
            ("true" | "True" | "TRUE", Style::Plain) => visitor.visit_bool(true),
            ("false" | "False" | "FALSE", Style::Plain) => visitor.visit_bool(false),
            (text, _) => Err(Error::new(format!(
                "expected true or false, found `{text}`"
            ))),
        }
    }

    number!(deserialize_i8, visit_i8, i8, "a whole number");
    number!(deserialize_i16, visit_i16, i16, "a whole number");
    number!(deserialize_i32, visit_i32, i32, "a whole number");
    number!(deserialize_i64, visit_i64, i64, "a whole number");
    number!(deserialize_u8, visit_u8, u8, "a whole number");
    number!(deserialize_u16, visit_u16, u16, "a whole number");
    number!(deserialize_u32, visit_u32, u32, "a whole number");
    number!(deserialize_u64, visit_u64, u64, "a whole number");
    number!(deserialize_f32, visit_f32, f32, "a number");
    number!(deserialize_f64, visit_f64, f64, "a number");

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(self.scalar()?.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() {
            visitor.visit_unit()
        } else {
            Err(Error::new("expected null"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Seq(items) => visitor.visit_seq(Items(items.iter().enumerate())),
            _ if self.0.is_null() => visitor.visit_seq(Items([].iter().enumerate())),
            _ => Err(Error::new(format!(
                "expected a list, found a {}",
                self.0.kind_name()
            ))),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                entry: None,
            }),
            _ if self.0.is_null() => visitor.visit_map(Entries {
                entries: [].iter(),
                entry: None,
            }),
            _ => Err(Error::new(format!(
                "expected a mapping, found a {}",
                self.0.kind_name()
            ))),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.0.value {
            Value::Scalar { text, .. } => visitor.visit_enum(text.as_str().into_deserializer()),
            Value::Map(entries) if entries.len() == 1 => visitor.visit_enum(Variant(&entries[0])),
            _ => Err(Error::new(format!(
                "expected one of the allowed values, found a {}",
                self.0.kind_name()
            ))),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct Items<'a>(std::iter::Enumerate<std::slice::Iter<'a, Node>>);

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|(i, node)| {
                seed.deserialize(NodeDeserializer(node))
                    .map_err(|e| e.within(Some(Seg::Index(i)), node.span))
            })
            .transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a> {
    entries: std::slice::Iter<'a, Entry>,
    /// The entry whose key was just read.
    entry: Option<&'a Entry>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            None => Ok(None),
            Some(entry) => {
                self.entry = Some(entry);
                seed.deserialize(NodeDeserializer(&entry.key))
                    .map(Some)
                    .map_err(|e| e.within(None, entry.key.span))
            }
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let entry = self
            .entry
            .take()
            .ok_or_else(|| Error::new("a value without a key"))?;
        let key = entry.key.as_str().unwrap_or("?");
        seed.deserialize(NodeDeserializer(&entry.value))
            .map_err(|e| e.within(Some(Seg::Key(key.to_string())), entry.value.span))
    }
}

struct Variant<'a>(&'a Entry);

impl<'de, 'a> EnumAccess<'de> for Variant<'a> {
    type Error = Error;
    type Variant = NodeDeserializer<'a>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let tag = seed.deserialize(NodeDeserializer(&self.0.key))?;
        Ok((tag, NodeDeserializer(&self.0.value)))
    }
}

impl<'de> VariantAccess<'de> for NodeDeserializer<'_> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Roster {
        participants: Vec<Participant>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Participant {
        name: String,
        #[serde(default)]
        attended: bool,
    }

    fn error(text: &str) -> String {
        from_text::<Roster>(text).unwrap_err().to_string()
    }

    #[test]
    fn a_text_reads_as_its_type() {
        let roster: Roster =
            from_text("participants:\n  - { name: Léa, attended: true }\n  - name: Karim\n")
                .unwrap();
        let read: Vec<(&str, bool)> = roster
            .participants
            .iter()
            .map(|p| (p.name.as_str(), p.attended))
            .collect();
        assert_eq!(read, [("Léa", true), ("Karim", false)]);
    }

    #[test]
    fn errors_say_the_route_and_the_line() {
        assert_eq!(
            error("participants:\n  - { name: x, attended: maybe }\n"),
            "participants[0].attended: expected true or false, found `maybe` at line 2 column 26"
        );
        assert_eq!(
            error("participants:\n  - { name: x, age: 3 }\n"),
            "participants[0]: unknown field `age`, expected `name` or `attended` at line 2 column 16"
        );
        assert_eq!(
            error("participants: 3\n"),
            "participants: expected a list, found a scalar at line 1 column 15"
        );
        assert_eq!(error(""), "missing field `participants`");
    }

    #[test]
    fn what_the_parser_refuses_is_refused() {
        assert_eq!(
            error("participants: []\nparticipants: []\n"),
            "duplicate key `participants` (first set on line 1); keep only one at line 2 column 1"
        );
        assert!(error("participants: [ { name: x\n").ends_with("at line 2 column 1"));
    }

    #[test]
    fn flat_mappings_read_every_scalar_as_text() {
        let map: BTreeMap<String, String> = from_text("a: 12\nb: true\nc: text\n").unwrap();
        assert_eq!(map["a"], "12");
        assert_eq!(map["b"], "true");
        assert_eq!(map["c"], "text");
        let empty: BTreeMap<String, String> = from_text("# nothing\n").unwrap();
        assert!(empty.is_empty());
    }
}
