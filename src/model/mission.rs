//! `missions/<id>/mission.yaml`: the work ordered by a client and run by a coordinator.

use super::common::{Sector, Shares};
use super::money::Money;
use super::time::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    pub enum MissionState {
        /// Sessions are being planned and held.
        Open = "open",
        /// Every session held or cancelled; coordination payout and client invoice may follow.
        Closed = "closed",
        /// The client invoice is issued.
        Invoiced = "invoiced",
        Cancelled = "cancelled",
    }
}

/// A mission.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mission {
    pub id: String,
    pub state: MissionState,
    /// The request (id) this mission fulfils.
    pub request: String,
    pub organisation: String,
    pub sector: Sector,
    /// The coordinator (person id).
    pub coordinator: String,
    pub opened: Date,
    /// Copied from the accepted quote.
    pub order: Vec<OrderLine>,
    #[serde(default)]
    pub closed: Option<Date>,
    #[serde(default)]
    pub shares: Option<Shares>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// One line of the order.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    /// A catalogue offer id; free lines have a `label` instead.
    #[serde(default)]
    pub offer: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    pub quantity: u32,
    pub unit_price: Money,
}
