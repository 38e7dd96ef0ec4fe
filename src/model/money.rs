//! Exact amounts of money: decimals with at most two places, read from the text the user wrote.

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::borrow::Cow;
use std::fmt;

/// An amount in the workspace currency, exact to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn new(d: Decimal) -> Money {
        Money(d)
    }

    pub fn from_int(n: i64) -> Money {
        Money::cents(Decimal::from(n))
    }

    /// `d` written with exactly two places, so that equal amounts read from different texts
    /// (`1200`, `1200.5`, `"1200.50"`) are the same value down to their representation.
    fn cents(mut d: Decimal) -> Money {
        d.rescale(2);
        Money(d)
    }

    /// Read `1200`, `1200.5` or `1200.50` exactly; refuse more than two decimal places.
    pub fn parse(text: &str) -> Result<Money, NumberError> {
        let t = text.trim();
        let d = parse_decimal(t).ok_or_else(|| NumberError::NotAnAmount(text.to_string()))?;
        if d.scale() > 2 && d.normalize().scale() > 2 {
            return Err(NumberError::PastTheCent(text.to_string()));
        }
        Ok(Money::cents(d))
    }

    /// The amount as fresk writes it in YAML files: an integer when whole (`1200`), else two
    /// decimals (`1200.50`).
    pub fn to_yaml(self) -> String {
        if self.0.fract().is_zero() {
            self.0.trunc().normalize().to_string()
        } else {
            self.to_string()
        }
    }

    /// Rounded to cents, half away from zero (used for computed fees and VAT).
    pub fn round(self) -> Money {
        Money(
            self.0
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn times(self, quantity: Decimal) -> Money {
        Money(self.0 * quantity)
    }
}

/// Why a written amount or number cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error(
        "`{0}` is not an amount; write digits with an optional `.` and up to 2 decimals, e.g. 1200 or 1200.50"
    )]
    NotAnAmount(String),
    #[error("`{0}` has more than 2 decimal places; amounts are exact to the cent")]
    PastTheCent(String),
    #[error("`{0}` is not a number; write digits with an optional `.`")]
    NotANumber(String),
}

/// A plain decimal number as people write it (no exponent, no thousands separator).
pub fn parse_decimal(t: &str) -> Option<Decimal> {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        || digits.matches('.').count() > 1
        || digits.starts_with('.')
        || digits.ends_with('.')
    {
        return None;
    }
    t.strip_prefix('+').unwrap_or(t).parse::<Decimal>().ok()
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Money {
    /// Always two decimals: `1200.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.0;
        d.rescale(2);
        write!(f, "{d}")
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount such as 1200 or 1200.50")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                Ok(Money::from_int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                Ok(Money::cents(Decimal::from(v)))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact amount in the workspace currency, at most 2 decimal places (1200, 1200.5 or \"1200.50\").",
            "type": ["number", "string"],
            "format": "money",
            "pattern": "^[-+]?[0-9]+(\\.[0-9]{1,2}0*)?$"
        })
    }
}

/// An exact decimal quantity or percentage (not money: more places allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(pub Decimal);

impl Quantity {
    pub fn parse(text: &str) -> Result<Quantity, NumberError> {
        parse_decimal(text.trim())
            .map(|d| Quantity(d.normalize()))
            .ok_or_else(|| NumberError::NotANumber(text.to_string()))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Quantity, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity(Decimal::from(v)))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Quantity {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact decimal number (3, 1.5).",
            "type": ["number", "string"],
            "format": "decimal",
            "pattern": "^[-+]?[0-9]+(\\.[0-9]+)?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        let a = Money::parse("0.1").unwrap() + Money::parse("0.2").unwrap();
        assert_eq!(a, Money::parse("0.30").unwrap());
        assert_eq!(a.to_string(), "0.30");
        assert_eq!(
            Money::parse("1200").unwrap(),
            Money::parse("1200.50").unwrap() - Money::parse("0.5").unwrap()
        );
    }

    #[test]
    fn money_is_written_as_an_integer_when_whole() {
        assert_eq!(Money::parse("1200").unwrap().to_yaml(), "1200");
        assert_eq!(Money::parse("1200.00").unwrap().to_yaml(), "1200");
        assert_eq!(Money::parse("1200.5").unwrap().to_yaml(), "1200.50");
        assert_eq!(Money::parse("0").unwrap().to_yaml(), "0");
    }

    #[test]
    fn bad_amounts_are_refused() {
        for bad in ["12,50", "1e3", "1.234", "", "abc", ".5", "5.", "1.2.3"] {
            assert!(Money::parse(bad).is_err(), "{bad}");
        }
        assert!(
            Money::parse("1.230").is_ok(),
            "trailing zero is still cents"
        );
        assert_eq!(
            Money::parse("12,50").unwrap_err().to_string(),
            "`12,50` is not an amount; write digits with an optional `.` and up to 2 decimals, e.g. 1200 or 1200.50"
        );
        assert_eq!(
            Money::parse("1.234").unwrap_err().to_string(),
            "`1.234` has more than 2 decimal places; amounts are exact to the cent"
        );
        assert_eq!(
            Quantity::parse("x").unwrap_err().to_string(),
            "`x` is not a number; write digits with an optional `.`"
        );
    }
}
