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
    /// The identifier; the file is named after it and it never changes.
    pub id: String,
    /// Where this file stands in its lifecycle.
    pub state: MissionState,
    /// The request (id) this mission fulfils.
    pub request: String,
    /// The client organisation (id in organisations/).
    pub organisation: String,
    /// The client's sector.
    pub sector: Sector,
    /// The coordinator (person id).
    pub coordinator: String,
    /// The date the mission was opened.
    pub opened: Date,
    /// Copied from the accepted quote.
    pub order: Vec<OrderLine>,
    /// The date the mission was closed.
    #[serde(default)]
    pub closed: Option<Date>,
    /// Revenue split between internal groups and the common fund.
    #[serde(default)]
    pub shares: Option<Shares>,
    /// Who pays for its training, as the yearly BPF groups revenue (`company`, `opco`,
    /// `public`, `individual`, `training-body`, `other`); by default from the sector.
    #[serde(default)]
    pub funder: Option<super::bpf::Funder>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
}

impl Mission {
    /// How many of `offer` the order holds (several lines of one offer share its sessions).
    pub fn ordered(&self, offer: &str) -> u64 {
        self.order
            .iter()
            .filter(|l| l.offer.as_deref() == Some(offer))
            .map(|l| u64::from(l.quantity))
            .sum()
    }
}

/// One line of the order.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    /// A catalogue offer id; free lines have a `label` instead.
    #[serde(default)]
    pub offer: Option<String>,
    /// Text of a free line (or of an offer).
    #[serde(default)]
    pub label: Option<String>,
    /// How many units.
    pub quantity: u32,
    /// Price of one unit, excl. VAT.
    pub unit_price: Money,
}
