//! `declarations/<year>/<id>.yaml`: usage-rights fees declared on client-introduction work.

use super::money::Money;
use super::time::YearMonth;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    pub enum DeclarationState {
        Declared = "declared",
        Invoiced = "invoiced",
        Paid = "paid",
    }
}

/// A facilitator's declaration of revenue made directly with a client.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    pub id: String,
    pub state: DeclarationState,
    /// The client-introduction request (id).
    pub request: String,
    pub person: String,
    pub period: YearMonth,
    pub sessions: u32,
    pub participants: u32,
    /// Excl. VAT, invoiced by the facilitator to the client.
    pub revenue: Money,
    /// `usage_rights.percent` of the revenue.
    pub fee: Money,
    #[serde(default)]
    pub override_reason: Option<String>,
    /// The fee invoice's number, once invoiced.
    #[serde(default)]
    pub invoice: Option<String>,
}
