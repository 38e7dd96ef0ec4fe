//! `requests/<year>/<id>.yaml`: what an organisation asked for, from first contact to decision.

use super::common::Contact;
use super::config::Config;
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

/// An incoming request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The identifier; the file is named after it and it never changes.
    pub id: String,
    /// Where this file stands in its lifecycle.
    pub state: RequestState,
    /// Subcontracting (the association contracts) or client introduction (the facilitator does).
    pub track: Track,
    /// When the request arrived; the response SLA runs from here.
    pub received: DateTime,
    /// How the request reached us.
    pub channel: Channel,
    /// How they heard of us, when it is one origin (the older form of `origins`; write one or
    /// the other, not both).
    #[serde(default)]
    pub origin: Option<String>,
    /// How they heard of us: one or more of `origins` in fresk.yaml (`word-of-mouth/client`,
    /// `press`, a group such as `town-hall`).
    #[serde(default)]
    pub origins: Vec<String>,
    /// The organisation (id) asking.
    pub organisation: String,
    /// The person who asked.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The staff member in charge — the *bienveillant*, who may be assigned without applying
    /// (référent priority).
    #[serde(default)]
    pub owner: Option<String>,
    /// The internal group that carries it (one of `groups` in fresk.yaml).
    #[serde(default)]
    pub group: Option<String>,
    /// When we first answered; the SLA clock stops here.
    #[serde(default)]
    pub first_response: Option<DateTime>,
    /// What the client needs.
    #[serde(default)]
    pub need: Option<Need>,
    /// The quote sent to the client.
    #[serde(default)]
    pub quote: Option<Quote>,
    /// The client's decision.
    #[serde(default)]
    pub decision: Option<Decision>,
    /// The coordinator assigned (subcontracting).
    #[serde(default)]
    pub coordinator: Option<String>,
    /// The facilitator who contracts directly (client introduction).
    #[serde(default)]
    pub facilitator: Option<String>,
    /// The day the request was published to the network (`fresk request publish`).
    #[serde(default)]
    pub published: Option<Date>,
    /// The last day to apply, once published; a later application is refused.
    #[serde(default)]
    pub apply_until: Option<Date>,
    /// Who applied to take the request (coordinators, or facilitators on the introduction
    /// track), in the order they applied (`fresk request apply`).
    #[serde(default)]
    pub applications: Vec<Application>,
    /// The day the coordinator or facilitator was chosen (`fresk request assign`).
    #[serde(default)]
    pub assigned: Option<Date>,
    /// Why the person assigned did not apply (required when they are not among `applications`).
    #[serde(default)]
    pub without_application: Option<String>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
}

/// An application to take a published request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The person applying (id in people/).
    pub person: String,
    /// The day they applied; on or before `apply_until`.
    pub date: Date,
    /// What they say to staff (availability, experience); no personal data of third parties.
    #[serde(default)]
    pub message: Option<String>,
}

impl Request {
    /// Every origin written, `origin:` first then `origins:`.
    pub fn origin_refs(&self) -> impl Iterator<Item = &str> {
        self.origin.iter().chain(&self.origins).map(String::as_str)
    }

    /// The assignee: the coordinator (subcontracting) or the facilitator (introduction).
    pub fn assignee(&self) -> Option<&str> {
        match self.track {
            Track::Subcontracting => self.coordinator.as_deref(),
            Track::Introduction => self.facilitator.as_deref(),
        }
    }

    /// When the first answer to this request is due, while it is awaited (received and not
    /// answered): `hours` (`response_sla_hours`) after it arrived, its date-time read in `tz`.
    pub fn response_due(
        &self,
        hours: u32,
        tz: chrono_tz::Tz,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        if self.state != RequestState::Received || self.first_response.is_some() {
            return None;
        }
        self.received
            .instant(tz)
            .checked_add_signed(chrono::Duration::hours(i64::from(hours)))
    }

    /// Whether `person` applied.
    pub fn applied(&self, person: &str) -> bool {
        self.applications.iter().any(|a| a.person == person)
    }

    /// Whether `person` may be assigned without a recorded reason: they applied, or they are
    /// the request's owner (the *bienveillant*, with référent priority).
    pub fn may_take_without_reason(&self, person: &str) -> bool {
        self.applied(person) || self.owner.as_deref() == Some(person)
    }
}

/// What the client needs.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// One line describing the need.
    pub summary: String,
    /// Participant counts.
    #[serde(default)]
    pub participants: Option<u32>,
    /// Language of the sessions (fr, en, …).
    #[serde(default)]
    pub language: Option<String>,
    /// Where it takes place.
    #[serde(default)]
    pub location: Option<String>,
    /// Dates the client would like.
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
    /// The date it was sent.
    #[serde(default)]
    pub sent: Option<Date>,
    /// The last day the quote may be accepted.
    #[serde(default)]
    pub valid_until: Option<Date>,
    /// The lines, in order.
    #[serde(default)]
    pub lines: Vec<QuoteLine>,
}

/// A quote line: a catalogue offer (unit price from the catalogue) or a free line.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteLine {
    /// A catalogue offer id.
    #[serde(default)]
    pub offer: Option<String>,
    /// Text of a free line (or of an offer).
    #[serde(default)]
    pub label: Option<String>,
    /// How many units.
    pub quantity: Quantity,
    /// Required on free lines; on offer lines it overrides the catalogue only with `override_reason`.
    #[serde(default)]
    pub unit_price: Option<Money>,
    /// Why a computed amount is overridden; required for any override.
    #[serde(default)]
    pub override_reason: Option<String>,
}

impl QuoteLine {
    /// The unit price: written on the line, else the catalogue's (`None` when neither is known).
    pub fn unit_price_in(&self, config: Option<&Config>) -> Option<Money> {
        self.unit_price.or_else(|| {
            let offer = self.offer.as_deref()?;
            config?.offer(offer).map(|o| o.unit_price)
        })
    }

    /// Unit price × quantity, unrounded; `None` when the unit price is not known.
    pub fn amount_in(&self, config: Option<&Config>) -> Option<Money> {
        self.unit_price_in(config).map(|p| p.times(self.quantity.0))
    }
}

impl Quote {
    /// The total excl. VAT of the lines whose price is known, unrounded.
    pub fn total_in(&self, config: Option<&Config>) -> Money {
        self.lines.iter().filter_map(|l| l.amount_in(config)).sum()
    }
}

/// The client's decision.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The date.
    pub date: Date,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
}
