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
    /// What `shares` split: `revenue` (the default) or `margin` (revenue − payouts − costs).
    #[serde(default)]
    pub shares_of: Option<ShareBasis>,
    /// What the mission cost besides its facilitators: travel, room, materials, catering
    /// (`fresk mission cost`).
    #[serde(default)]
    pub costs: Vec<Cost>,
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

named_enum! {
    /// What a cost was for.
    pub enum CostCategory {
        Travel = "travel",
        Room = "room",
        Materials = "materials",
        Catering = "catering",
        Other = "other",
    }
}

named_enum! {
    /// What `shares` split between the groups and the commons.
    pub enum ShareBasis {
        /// The revenue delivered.
        Revenue = "revenue",
        /// The margin: revenue − payouts to facilitators − costs.
        Margin = "margin",
    }
}

/// A cost of a mission.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    /// What it was, e.g. "Train Lyon–Grenoble".
    pub label: String,
    /// The amount, excl. VAT.
    pub amount: Money,
    /// The deductible VAT on it, when the supplier charged some.
    #[serde(default)]
    pub vat: Option<Money>,
    /// Who was paid (a name or an organisation id).
    #[serde(default)]
    pub supplier: Option<String>,
    /// What it was for.
    pub category: CostCategory,
    /// The day of the expense (default: when the mission closed, else opened).
    #[serde(default)]
    pub date: Option<Date>,
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
