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
    /// The identifier; the file is named after it and it never changes.
    pub id: String,
    /// Where this file stands in its lifecycle.
    pub state: DeclarationState,
    /// The client-introduction request (id).
    pub request: String,
    /// A person (id in people/).
    pub person: String,
    /// The month the revenue was made, YYYY-MM.
    pub period: YearMonth,
    /// Number of sessions.
    pub sessions: u32,
    /// Participant counts.
    pub participants: u32,
    /// Excl. VAT, invoiced by the facilitator to the client.
    pub revenue: Money,
    /// `usage_rights.percent` of the revenue.
    pub fee: Money,
    /// Why a computed amount is overridden; required for any override.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// The fee invoice's number, once invoiced.
    #[serde(default)]
    pub invoice: Option<String>,
}

/// Whether the invoice `id` bills usage-rights fees: one of `declarations` names it. Such an
/// invoice takes the fees' VAT treatment (`usage_rights.vat`), never the training exemption.
pub fn bills_fees<'a, D>(declarations: impl IntoIterator<Item = &'a D>, id: &str) -> bool
where
    D: std::ops::Deref<Target = Declaration> + 'a,
{
    declarations
        .into_iter()
        .any(|d| d.invoice.as_deref() == Some(id))
}
