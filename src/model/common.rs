//! Small types shared by several kinds of file.

use super::money::Quantity;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// The sector of a client organisation; rules about volunteers and levels depend on it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    Business,
    Education,
    Public,
    NonProfit,
}

impl Sector {
    pub const ALL: &'static [Sector] = &[
        Sector::Business,
        Sector::Education,
        Sector::Public,
        Sector::NonProfit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Business => "business",
            Sector::Education => "education",
            Sector::Public => "public",
            Sector::NonProfit => "non-profit",
        }
    }
}

/// How VAT applies to an issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VatRegime {
    /// Exempt activity (e.g. training, art. 261-4-4° a du CGI).
    Exempt,
    /// Small-business franchise (art. 293 B du CGI).
    Franchise,
    /// VAT charged at `rate`.
    Standard,
}

/// VAT status of an issuer, with the mention printed on its documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vat {
    /// The VAT regime.
    pub regime: VatRegime,
    /// The exact wording printed on documents (required when exempt or under franchise).
    #[serde(default)]
    pub mention: Option<String>,
    /// VAT rate in percent, required for the `standard` regime (e.g. 20).
    #[serde(default)]
    pub rate: Option<Quantity>,
    /// Intra-community VAT number, when there is one.
    #[serde(default)]
    pub number: Option<String>,
    /// The VATEX code of the exemption in e-invoices (EN 16931 BT-121), e.g.
    /// `VATEX-EU-132-1I` for training (art. 261-4-4° du CGI); `VATEX-FR-FRANCHISE` is implied
    /// by the `franchise` regime.
    #[serde(default)]
    pub exemption: Option<String>,
}

/// A person to talk to at an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Full name as printed on documents.
    pub name: String,
    /// Role or job title.
    #[serde(default)]
    pub role: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// `false`: this person asked not to receive mailings (`fresk export contacts` leaves
    /// them out).
    #[serde(default)]
    pub marketing: Option<bool>,
}

/// Text per language code: `{ fr: "Atelier", en: "Workshop" }`.
pub type Label = BTreeMap<String, String>;

/// One part of a revenue split: a percentage, or `rest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    Percent(Quantity),
    Rest,
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Share, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Share;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a percentage or `rest`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Share, E> {
                if v.trim() == "rest" {
                    return Ok(Share::Rest);
                }
                Quantity::parse(v).map(Share::Percent).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Share, E> {
                Ok(Share::Percent(Quantity(v.into())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Share, E> {
                Ok(Share::Percent(Quantity(v.into())))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Share::Rest => s.serialize_str("rest"),
            Share::Percent(q) => q.serialize(s),
        }
    }
}

impl JsonSchema for Share {
    fn schema_name() -> Cow<'static, str> {
        "Share".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A percentage of the revenue, or `rest` for what the other parts leave.",
            "type": ["number", "string"],
            "format": "share"
        })
    }
}

/// Revenue split between internal groups and the common fund: `{ kitchen: 20, commons: rest }`.
pub type Shares = BTreeMap<String, Share>;
