//! `organisations/<id>.yaml`: clients and prospects.

use super::common::{Contact, Sector};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A client or prospect.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The identifier; the file is named after it and it never changes.
    pub id: String,
    /// Full name as printed on documents.
    pub name: String,
    /// The client's sector.
    pub sector: Sector,
    /// Postal address as printed on documents.
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
    /// Intra-community VAT number.
    #[serde(default)]
    pub vat_number: Option<String>,
    /// A public buyer's service code (*code service* in Chorus Pro), which routes its invoices
    /// to the right department: the buyer reference (BT-10) of its e-invoices. The order or
    /// legal commitment number (*numéro d'engagement*) is the invoice's `purchase_order`.
    #[serde(default)]
    pub service_code: Option<String>,
    /// People to talk to there.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Where this client came from, when it is known beyond its requests' origins (same words
    /// as a request's `origins:`).
    #[serde(default)]
    pub origins: Vec<String>,
    /// `false`: none of its contacts receives mailings (`fresk export contacts` leaves them
    /// out). A contact's own `marketing: false` leaves out that contact only.
    #[serde(default)]
    pub marketing: Option<bool>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_country() -> String {
    "FR".into()
}
