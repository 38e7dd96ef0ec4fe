//! Typed records as a tape of the serde visitor calls that built them.
//!
//! Typing a file deserializes a model type from its YAML tree; [`record`] wraps that deserializer
//! and writes down every call it makes on the model's visitors (`visit_str("2026-04-14 09:00")`,
//! `visit_map`, a key, a value, …). [`replay`] makes the very same calls, in the same order, on
//! the visitors of the same type, so it builds the very same value — whatever the model's own
//! `Serialize` impls would have lost (a date-time's seconds, an amount's written scale). The
//! model needs no cache-specific code, and a model change cannot make a replayed value differ
//! from a freshly read one: at worst the tape no longer fits and the file is read again.
//!
//! The tape is bytes: a tag per call, then its data (integers as LEB128 varints, text as a
//! length and UTF-8). Replaying a damaged tape returns an error, never panics.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use std::cell::RefCell;
use std::fmt;

const UNIT: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const I8: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const I128: u8 = 7;
const U8: u8 = 8;
const U16: u8 = 9;
const U32: u8 = 10;
const U64: u8 = 11;
const U128: u8 = 12;
const F32: u8 = 13;
const F64: u8 = 14;
const CHAR: u8 = 15;
const STR: u8 = 16;
const BORROWED_STR: u8 = 17;
const STRING: u8 = 18;
const BYTES: u8 = 19;
const BORROWED_BYTES: u8 = 20;
const BYTE_BUF: u8 = 21;
const NONE: u8 = 22;
const SOME: u8 = 23;
const NEWTYPE: u8 = 24;
const SEQ: u8 = 25;
const MAP: u8 = 26;
/// The end of a sequence or a mapping: the visitor asked for one more and there was none.
const END: u8 = 27;
const ENUM: u8 = 28;
const V_UNIT: u8 = 29;
const V_NEWTYPE: u8 = 30;
const V_TUPLE: u8 = 31;
const V_STRUCT: u8 = 32;
/// `visit_str` of a word of the [`dictionary`]: its index instead of its text.
const WORD: u8 = 33;

/// Every field name and enum word of the schemas: written on a tape as a number. The cache's
/// header names the schemas, so a tape is only ever replayed with the dictionary it was
/// recorded with.
struct Dictionary {
    words: Vec<String>,
    index: std::collections::HashMap<String, u32, foldhash::fast::FixedState>,
}

fn dictionary() -> &'static Dictionary {
    static DICT: std::sync::OnceLock<Dictionary> = std::sync::OnceLock::new();
    DICT.get_or_init(|| {
        fn collect(v: &serde_json::Value, words: &mut std::collections::BTreeSet<String>) {
            match v {
                serde_json::Value::Object(map) => {
                    if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                        words.extend(props.keys().cloned());
                    }
                    if let Some(serde_json::Value::Array(items)) = map.get("enum") {
                        words.extend(items.iter().filter_map(|i| i.as_str().map(String::from)));
                    }
                    map.values().for_each(|v| collect(v, words));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, words)),
                _ => {}
            }
        }
        let mut words = std::collections::BTreeSet::new();
        for kind in crate::model::Kind::ALL {
            collect(crate::schema::for_kind(kind), &mut words);
        }
        let words: Vec<String> = words.into_iter().collect();
        let mut index =
            std::collections::HashMap::with_hasher(foldhash::fast::FixedState::default());
        for (i, w) in words.iter().enumerate() {
            if let Ok(i) = u32::try_from(i) {
                index.insert(w.clone(), i);
            }
        }
        Dictionary { words, index }
    })
}

/// Why a tape could not be replayed (a damaged or foreign cache entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapeError(pub String);

impl fmt::Display for TapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TapeError {}

impl de::Error for TapeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TapeError(msg.to_string())
    }
}

// --- writing --------------------------------------------------------------------------------

pub fn put_uvarint(out: &mut Vec<u8>, mut v: u128) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub fn put_ivarint(out: &mut Vec<u8>, v: i128) {
    // Zigzag: small negative numbers stay short.
    put_uvarint(out, ((v << 1) ^ (v >> 127)) as u128);
}

pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_uvarint(out, bytes.len() as u128);
    out.extend_from_slice(bytes);
}

// --- reading --------------------------------------------------------------------------------

/// A cursor over bytes that never reads past the end.
#[derive(Debug, Clone)]
pub struct Reader<'de> {
    buf: &'de [u8],
    pos: usize,
}

impl<'de> Reader<'de> {
    pub fn new(buf: &'de [u8]) -> Reader<'de> {
        Reader { buf, pos: 0 }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn short() -> TapeError {
        TapeError("truncated".into())
    }

    pub fn byte(&mut self) -> Result<u8, TapeError> {
        let b = *self.buf.get(self.pos).ok_or_else(Self::short)?;
        self.pos += 1;
        Ok(b)
    }

    fn peek(&self) -> Result<u8, TapeError> {
        self.buf.get(self.pos).copied().ok_or_else(Self::short)
    }

    pub fn take(&mut self, n: usize) -> Result<&'de [u8], TapeError> {
        let end = self.pos.checked_add(n).ok_or_else(Self::short)?;
        let s = self.buf.get(self.pos..end).ok_or_else(Self::short)?;
        self.pos = end;
        Ok(s)
    }

    pub fn uvarint(&mut self) -> Result<u128, TapeError> {
        let mut v: u128 = 0;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            v |= u128::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(TapeError("varint too long".into()))
    }

    pub fn ivarint(&mut self) -> Result<i128, TapeError> {
        let u = self.uvarint()?;
        Ok(((u >> 1) as i128) ^ -((u & 1) as i128))
    }

    pub fn usize(&mut self) -> Result<usize, TapeError> {
        usize::try_from(self.uvarint()?).map_err(|_| TapeError("length out of range".into()))
    }

    pub fn u64(&mut self) -> Result<u64, TapeError> {
        u64::try_from(self.uvarint()?).map_err(|_| TapeError("number out of range".into()))
    }

    pub fn bytes(&mut self) -> Result<&'de [u8], TapeError> {
        let n = self.usize()?;
        self.take(n)
    }

    pub fn str(&mut self) -> Result<&'de str, TapeError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| TapeError("text is not UTF-8".into()))
    }

    fn num<T: TryFrom<i128>>(&mut self) -> Result<T, TapeError> {
        T::try_from(self.ivarint()?).map_err(|_| TapeError("number out of range".into()))
    }

    fn unum<T: TryFrom<u128>>(&mut self) -> Result<T, TapeError> {
        T::try_from(self.uvarint()?).map_err(|_| TapeError("number out of range".into()))
    }
}

// --- recording ------------------------------------------------------------------------------

type Tape = RefCell<Vec<u8>>;

/// Deserialize a `T` from `de`, writing down every visitor call; the tape is returned only when
/// the value was built.
pub fn record<'de, T, D>(de: D) -> (Result<T, D::Error>, Vec<u8>)
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    let mut first = Vec::with_capacity(512);
    first.push(u8::from(de.is_human_readable()));
    let tape = RefCell::new(first);
    let value = T::deserialize(Rec {
        inner: de,
        tape: &tape,
    });
    (value, tape.into_inner())
}

fn push(tape: &Tape, tag: u8) {
    tape.borrow_mut().push(tag);
}

/// A deserializer that records what its inner deserializer makes the visitor do.
struct Rec<'t, D> {
    inner: D,
    tape: &'t Tape,
}

/// A visitor that records each call before passing it on.
struct RecVisitor<'t, V> {
    inner: V,
    tape: &'t Tape,
}

struct RecSeed<'t, S> {
    inner: S,
    tape: &'t Tape,
}

struct RecAccess<'t, A> {
    inner: A,
    tape: &'t Tape,
}

macro_rules! rec_forward {
    ($($method:ident),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method(RecVisitor { inner: visitor, tape: self.tape })
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Rec<'_, D> {
    type Error = D::Error;

    rec_forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let v = RecVisitor {
            inner: visitor,
            tape: self.tape,
        };
        self.inner.deserialize_unit_struct(name, v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let v = RecVisitor {
            inner: visitor,
            tape: self.tape,
        };
        self.inner.deserialize_newtype_struct(name, v)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let v = RecVisitor {
            inner: visitor,
            tape: self.tape,
        };
        self.inner.deserialize_tuple(len, v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let v = RecVisitor {
            inner: visitor,
            tape: self.tape,
        };
        self.inner.deserialize_tuple_struct(name, len, v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let v = RecVisitor {
            inner: visitor,
            tape: self.tape,
        };
        self.inner.deserialize_struct(name, fields, v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let v = RecVisitor {
            inner: visitor,
            tape: self.tape,
        };
        self.inner.deserialize_enum(name, variants, v)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! rec_signed {
    ($($method:ident: $ty:ty => $tag:expr),* $(,)?) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            let mut t = self.tape.borrow_mut();
            t.push($tag);
            put_ivarint(&mut t, i128::from(v));
            drop(t);
            self.inner.$method(v)
        })*
    };
}

macro_rules! rec_unsigned {
    ($($method:ident: $ty:ty => $tag:expr),* $(,)?) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            let mut t = self.tape.borrow_mut();
            t.push($tag);
            put_uvarint(&mut t, u128::from(v));
            drop(t);
            self.inner.$method(v)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for RecVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        push(self.tape, if v { TRUE } else { FALSE });
        self.inner.visit_bool(v)
    }

    rec_signed!(visit_i8: i8 => I8, visit_i16: i16 => I16, visit_i32: i32 => I32, visit_i64: i64 => I64, visit_i128: i128 => I128);
    rec_unsigned!(visit_u8: u8 => U8, visit_u16: u16 => U16, visit_u32: u32 => U32, visit_u64: u64 => U64, visit_u128: u128 => U128);

    fn visit_f32<E: de::Error>(self, v: f32) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(F32);
        t.extend_from_slice(&v.to_bits().to_le_bytes());
        drop(t);
        self.inner.visit_f32(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(F64);
        t.extend_from_slice(&v.to_bits().to_le_bytes());
        drop(t);
        self.inner.visit_f64(v)
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(CHAR);
        put_uvarint(&mut t, u128::from(u32::from(v)));
        drop(t);
        self.inner.visit_char(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        match dictionary().index.get(v) {
            Some(&i) => {
                t.push(WORD);
                put_uvarint(&mut t, u128::from(i));
            }
            None => {
                t.push(STR);
                put_bytes(&mut t, v.as_bytes());
            }
        }
        drop(t);
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(BORROWED_STR);
        put_bytes(&mut t, v.as_bytes());
        drop(t);
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(STRING);
        put_bytes(&mut t, v.as_bytes());
        drop(t);
        self.inner.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(BYTES);
        put_bytes(&mut t, v);
        drop(t);
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(BORROWED_BYTES);
        put_bytes(&mut t, v);
        drop(t);
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        let mut t = self.tape.borrow_mut();
        t.push(BYTE_BUF);
        put_bytes(&mut t, &v);
        drop(t);
        self.inner.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        push(self.tape, NONE);
        self.inner.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        push(self.tape, SOME);
        self.inner.visit_some(Rec {
            inner: d,
            tape: self.tape,
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        push(self.tape, UNIT);
        self.inner.visit_unit()
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        push(self.tape, NEWTYPE);
        self.inner.visit_newtype_struct(Rec {
            inner: d,
            tape: self.tape,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let mut t = self.tape.borrow_mut();
        t.push(SEQ);
        put_uvarint(&mut t, seq.size_hint().map_or(0, |n| n as u128 + 1));
        drop(t);
        self.inner.visit_seq(RecAccess {
            inner: seq,
            tape: self.tape,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let mut t = self.tape.borrow_mut();
        t.push(MAP);
        put_uvarint(&mut t, map.size_hint().map_or(0, |n| n as u128 + 1));
        drop(t);
        self.inner.visit_map(RecAccess {
            inner: map,
            tape: self.tape,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        push(self.tape, ENUM);
        self.inner.visit_enum(RecAccess {
            inner: data,
            tape: self.tape,
        })
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for RecSeed<'_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Rec {
            inner: d,
            tape: self.tape,
        })
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for RecAccess<'_, A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let next = self.inner.next_element_seed(RecSeed {
            inner: seed,
            tape: self.tape,
        })?;
        if next.is_none() {
            push(self.tape, END);
        }
        Ok(next)
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for RecAccess<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let next = self.inner.next_key_seed(RecSeed {
            inner: seed,
            tape: self.tape,
        })?;
        if next.is_none() {
            push(self.tape, END);
        }
        Ok(next)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(RecSeed {
            inner: seed,
            tape: self.tape,
        })
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, 't, A: EnumAccess<'de>> EnumAccess<'de> for RecAccess<'t, A> {
    type Error = A::Error;
    type Variant = RecAccess<'t, A::Variant>;
    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.inner.variant_seed(RecSeed {
            inner: seed,
            tape: self.tape,
        })?;
        Ok((
            value,
            RecAccess {
                inner: variant,
                tape: self.tape,
            },
        ))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for RecAccess<'_, A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        push(self.tape, V_UNIT);
        self.inner.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        push(self.tape, V_NEWTYPE);
        self.inner.newtype_variant_seed(RecSeed {
            inner: seed,
            tape: self.tape,
        })
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        push(self.tape, V_TUPLE);
        self.inner.tuple_variant(
            len,
            RecVisitor {
                inner: visitor,
                tape: self.tape,
            },
        )
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        push(self.tape, V_STRUCT);
        self.inner.struct_variant(
            fields,
            RecVisitor {
                inner: visitor,
                tape: self.tape,
            },
        )
    }
}

// --- replaying ------------------------------------------------------------------------------

/// Build a `T` by making again the visitor calls written on `tape`.
pub fn replay<'de, T: de::Deserialize<'de>>(tape: &'de [u8]) -> Result<T, TapeError> {
    let mut r = Replay {
        reader: Reader::new(tape),
        human: true,
        depth: 0,
    };
    r.human = r.reader.byte()? != 0;
    let value = T::deserialize(&mut r)?;
    if !r.reader.is_empty() {
        return Err(TapeError("trailing bytes".into()));
    }
    Ok(value)
}

struct Replay<'de> {
    reader: Reader<'de>,
    human: bool,
    /// Nesting depth, bounded so that a damaged tape cannot exhaust the stack.
    depth: usize,
}

const MAX_DEPTH: usize = 256;

impl<'de> Replay<'de> {
    fn expect(&mut self, tag: u8) -> Result<(), TapeError> {
        let got = self.reader.byte()?;
        if got == tag {
            Ok(())
        } else {
            Err(TapeError(format!("expected tag {tag}, found {got}")))
        }
    }

    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, TapeError>,
    ) -> Result<T, TapeError> {
        if self.depth >= MAX_DEPTH {
            return Err(TapeError("nested too deep".into()));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn hint(&mut self) -> Result<Option<usize>, TapeError> {
        let n = self.reader.usize()?;
        Ok(n.checked_sub(1))
    }

    fn float_bytes<const N: usize>(&mut self) -> Result<[u8; N], TapeError> {
        let b = self.reader.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(b);
        Ok(out)
    }

    fn dispatch<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, TapeError> {
        let tag = self.reader.byte()?;
        let r = &mut self.reader;
        match tag {
            UNIT => visitor.visit_unit(),
            FALSE => visitor.visit_bool(false),
            TRUE => visitor.visit_bool(true),
            I8 => visitor.visit_i8(r.num()?),
            I16 => visitor.visit_i16(r.num()?),
            I32 => visitor.visit_i32(r.num()?),
            I64 => visitor.visit_i64(r.num()?),
            I128 => visitor.visit_i128(r.ivarint()?),
            U8 => visitor.visit_u8(r.unum()?),
            U16 => visitor.visit_u16(r.unum()?),
            U32 => visitor.visit_u32(r.unum()?),
            U64 => visitor.visit_u64(r.unum()?),
            U128 => visitor.visit_u128(r.uvarint()?),
            F32 => {
                let b = self.float_bytes::<4>()?;
                visitor.visit_f32(f32::from_bits(u32::from_le_bytes(b)))
            }
            F64 => {
                let b = self.float_bytes::<8>()?;
                visitor.visit_f64(f64::from_bits(u64::from_le_bytes(b)))
            }
            CHAR => {
                let c =
                    char::from_u32(r.unum()?).ok_or_else(|| TapeError("not a character".into()))?;
                visitor.visit_char(c)
            }
            STR => visitor.visit_str(r.str()?),
            WORD => {
                let i: usize = r.unum()?;
                let word = dictionary()
                    .words
                    .get(i)
                    .ok_or_else(|| TapeError("no such word".into()))?;
                visitor.visit_str(word)
            }
            BORROWED_STR => visitor.visit_borrowed_str(r.str()?),
            STRING => visitor.visit_string(r.str()?.to_owned()),
            BYTES => visitor.visit_bytes(r.bytes()?),
            BORROWED_BYTES => visitor.visit_borrowed_bytes(r.bytes()?),
            BYTE_BUF => visitor.visit_byte_buf(r.bytes()?.to_vec()),
            NONE => visitor.visit_none(),
            SOME => self.nested(|s| visitor.visit_some(s)),
            NEWTYPE => self.nested(|s| visitor.visit_newtype_struct(s)),
            SEQ => {
                let hint = self.hint()?;
                self.nested(|s| visitor.visit_seq(Items { r: s, hint }))
            }
            MAP => {
                let hint = self.hint()?;
                self.nested(|s| visitor.visit_map(Items { r: s, hint }))
            }
            ENUM => self.nested(|s| visitor.visit_enum(Variant { r: s })),
            other => Err(TapeError(format!("unknown tag {other}"))),
        }
    }
}

impl<'de> Deserializer<'de> for &mut Replay<'de> {
    type Error = TapeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeError> {
        self.dispatch(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.human
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The items of a sequence, or the entries of a mapping, up to their END tag.
struct Items<'a, 'de> {
    r: &'a mut Replay<'de>,
    hint: Option<usize>,
}

impl Items<'_, '_> {
    fn at_end(&mut self) -> Result<bool, TapeError> {
        if self.r.reader.peek()? == END {
            self.r.reader.byte()?;
            return Ok(true);
        }
        self.hint = None;
        Ok(false)
    }
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = TapeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TapeError> {
        if self.at_end()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        self.hint
    }
}

impl<'de> MapAccess<'de> for Items<'_, 'de> {
    type Error = TapeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TapeError> {
        if self.at_end()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TapeError> {
        seed.deserialize(&mut *self.r)
    }
    fn size_hint(&self) -> Option<usize> {
        self.hint
    }
}

struct Variant<'a, 'de> {
    r: &'a mut Replay<'de>,
}

impl<'de, 'a> EnumAccess<'de> for Variant<'a, 'de> {
    type Error = TapeError;
    type Variant = Variant<'a, 'de>;
    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), TapeError> {
        let value = seed.deserialize(&mut *self.r)?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, 'de> {
    type Error = TapeError;
    fn unit_variant(self) -> Result<(), TapeError> {
        self.r.expect(V_UNIT)
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, TapeError> {
        self.r.expect(V_NEWTYPE)?;
        seed.deserialize(&mut *self.r)
    }
    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TapeError> {
        self.r.expect(V_TUPLE)?;
        self.r.dispatch(visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TapeError> {
        self.r.expect(V_STRUCT)?;
        self.r.dispatch(visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Config, Mission, Payout, Request, Session};
    use crate::yaml;

    fn typed_and_replayed<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) {
        let parsed = yaml::parse(text);
        let root = parsed.root.expect("parses");
        let direct: T = yaml::de::from_node(&root).expect("types");
        let (recorded, tape) = record::<T, _>(yaml::de::NodeDeserializer(&root));
        let recorded = recorded.expect("types while recording");
        let replayed: T = replay(&tape).expect("replays");
        // Debug shows what Serialize would lose: seconds, the written scale of amounts.
        assert_eq!(format!("{direct:?}"), format!("{recorded:?}"));
        assert_eq!(format!("{direct:?}"), format!("{replayed:?}"));
    }

    #[test]
    fn a_session_replays_exactly_even_what_serialize_would_lose() {
        typed_and_replayed::<Session>(
            "id: M2026-0001-S01\nmission: M2026-0001\nstate: held\noffer: workshop-onsite\nstart: 2026-04-14 09:00:30\nend: 2026-04-14T12:00:00+02:00\nfacilitators:\n  - { person: cleo, role: lead, status: paid }\nparticipants: { expected: 15, attended: 14 }\nsatisfaction: 4.50\nnotes: ~\n",
        );
    }

    #[test]
    fn the_demo_workspace_replays_exactly() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.expect("walks");
            let Ok(rel) = entry.path().strip_prefix(&root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let parts: Vec<&str> = rel.split('/').collect();
            let Some(kind) = crate::workspace::kind_of(&parts) else {
                continue;
            };
            let text = std::fs::read_to_string(entry.path()).expect("reads");
            use crate::model::Kind;
            match kind {
                Kind::Config => typed_and_replayed::<Config>(&text),
                Kind::Request => typed_and_replayed::<Request>(&text),
                Kind::Mission => typed_and_replayed::<Mission>(&text),
                Kind::Session => typed_and_replayed::<Session>(&text),
                Kind::Payout => typed_and_replayed::<Payout>(&text),
                _ => {}
            }
            seen += 1;
        }
        assert!(seen > 20, "{seen}");
    }

    #[test]
    fn damaged_tapes_are_errors_not_panics() {
        let parsed = yaml::parse(
            "id: M2026-0001-S01\nmission: M2026-0001\nstate: held\noffer: o\nstart: 2026-04-14 09:00\nend: 2026-04-14 12:00\n",
        );
        let root = parsed.root.expect("parses");
        let (value, tape) = record::<Session, _>(yaml::de::NodeDeserializer(&root));
        assert!(value.is_ok());
        for cut in 0..tape.len() {
            assert!(replay::<Session>(&tape[..cut]).is_err(), "cut at {cut}");
        }
        for i in 0..tape.len() {
            for b in [0u8, 0x7f, 0x80, 0xff, END, SEQ, MAP] {
                let mut t = tape.clone();
                t[i] = b;
                let _ = replay::<Session>(&t);
            }
        }
        let deep = vec![SEQ; 10_000];
        assert!(replay::<Session>(&deep).is_err());
    }

    #[test]
    fn varints_round_trip() {
        for v in [
            0i128,
            1,
            -1,
            63,
            -64,
            64,
            i128::from(i64::MAX),
            i128::MIN,
            i128::MAX,
        ] {
            let mut out = Vec::new();
            put_ivarint(&mut out, v);
            assert_eq!(Reader::new(&out).ivarint(), Ok(v));
        }
    }
}
