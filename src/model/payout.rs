//! `payouts/<year>/<id>.yaml`: a coordinator's request to pay the facilitators of a mission.

use super::money::Money;
use super::session::FacilitatorRole;
use super::time::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    pub enum PayoutState {
        /// Asked for; approved by merging its pull request.
        Requested = "requested",
        /// Self-invoices numbered and issued.
        Invoiced = "invoiced",
        Paid = "paid",
        Rejected = "rejected",
    }
}

/// A payout request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payout {
    pub id: String,
    pub mission: String,
    pub state: PayoutState,
    /// The coordinator who asked.
    pub requested_by: String,
    pub requested: Date,
    pub lines: Vec<PayoutLine>,
    /// Written on main by `fresk payout invoice`.
    #[serde(default)]
    pub self_invoices: Vec<SelfInvoice>,
    #[serde(default)]
    pub paid: Option<Payment>,
    #[serde(default)]
    pub rejection: Option<Rejection>,
}

/// What one person is owed for one session, or for coordinating the mission.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutLine {
    /// The session (id); absent on the coordination line.
    #[serde(default)]
    pub session: Option<String>,
    pub person: String,
    #[serde(default)]
    pub role: Option<FacilitatorRole>,
    pub amount: Money,
    /// The coordinator's line, once the mission is closed.
    #[serde(default)]
    pub coordination: bool,
    /// Sessions held, on the coordination line.
    #[serde(default)]
    pub sessions: Option<u32>,
    /// Why the amount differs from the rate card.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A self-invoice issued in a facilitator's name.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfInvoice {
    pub person: String,
    /// In the facilitator's own series, e.g. AF-camille-dupont-0007.
    pub number: String,
    pub issued: Date,
    pub total: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub date: Date,
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    #[serde(default)]
    pub date: Option<Date>,
    pub reason: String,
}
