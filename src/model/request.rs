//! `requests/<year>/<id>.yaml`: what an organisation asked for, from first contact to decision.

use super::common::Contact;
use super::money::{Money, Quantity};
use super::time::{Date, DateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    /// Where a request stands.
    pub enum RequestState {
        /// Logged, not yet answered.
        Received = "received",
        /// Need understood, track chosen.
        Qualified = "qualified",
        /// Quote sent (number, date, validity).
        Quoted = "quoted",
        /// The client accepted the quote.
        Won = "won",
        /// Open to coordinator applications.
        Published = "published",
        /// Coordinator chosen, or the facilitator contracts directly.
        Assigned = "assigned",
        /// Closed without work.
        Lost = "lost",
        /// The quote's validity passed without a decision.
        Expired = "expired",
    }
}

named_enum! {
    /// Who contracts with the client.
    pub enum Track {
        /// The association quotes, contracts and invoices.
        Subcontracting = "subcontracting",
        /// A facilitator contracts directly and pays a usage-rights fee.
        Introduction = "introduction",
    }
}

named_enum! {
    /// How the request reached us.
    pub enum Channel {
        Email = "email",
        Phone = "phone",
        Form = "form",
        Social = "social",
        Visit = "visit",
        Other = "other",
    }
}

named_enum! {
    /// How they heard of us.
    pub enum Origin {
        WordOfMouth = "word-of-mouth",
        TownHall = "town-hall",
        Internet = "internet",
        Event = "event",
        Returning = "returning",
        Partner = "partner",
        Other = "other",
    }
}

/// An incoming request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub id: String,
    pub state: RequestState,
    pub track: Track,
    /// When the request arrived; the response SLA runs from here.
    pub received: DateTime,
    pub channel: Channel,
    pub origin: Origin,
    /// The organisation (id) asking.
    pub organisation: String,
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The staff member in charge.
    #[serde(default)]
    pub owner: Option<String>,
    /// When we first answered; the SLA clock stops here.
    #[serde(default)]
    pub first_response: Option<DateTime>,
    #[serde(default)]
    pub need: Option<Need>,
    #[serde(default)]
    pub quote: Option<Quote>,
    #[serde(default)]
    pub decision: Option<Decision>,
    /// The coordinator assigned (subcontracting).
    #[serde(default)]
    pub coordinator: Option<String>,
    /// The facilitator who contracts directly (client introduction).
    #[serde(default)]
    pub facilitator: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// What the client needs.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Need {
    pub summary: String,
    #[serde(default)]
    pub participants: Option<u32>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub wished_dates: Vec<Date>,
}

/// The quote (devis) sent to the client.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// Assigned when sent, in the `quote` series.
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub sent: Option<Date>,
    #[serde(default)]
    pub valid_until: Option<Date>,
    #[serde(default)]
    pub lines: Vec<QuoteLine>,
}

/// A quote line: a catalogue offer (unit price from the catalogue) or a free line.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteLine {
    #[serde(default)]
    pub offer: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    pub quantity: Quantity,
    /// Required on free lines; on offer lines it overrides the catalogue only with `override_reason`.
    #[serde(default)]
    pub unit_price: Option<Money>,
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// The client's decision.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub date: Date,
    #[serde(default)]
    pub reason: Option<String>,
}
