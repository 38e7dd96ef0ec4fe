//! `organisations/<id>.yaml`: clients and prospects.

use super::common::{Contact, Sector};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A client or prospect.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub sector: Sector,
    #[serde(default)]
    pub address: Option<String>,
    /// ISO 3166 country code.
    #[serde(default = "default_country")]
    pub country: String,
    /// 9 digits, for French organisations.
    #[serde(default)]
    pub siren: Option<String>,
    /// 14 digits, for French organisations.
    #[serde(default)]
    pub siret: Option<String>,
    #[serde(default)]
    pub vat_number: Option<String>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_country() -> String {
    "FR".into()
}
