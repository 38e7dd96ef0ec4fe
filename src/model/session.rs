//! `missions/<mission>/sessions/<id>.yaml`: one workshop or training session.

use super::money::Quantity;
use super::time::DateTime;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    pub enum SessionState {
        Planned = "planned",
        /// Took place; `participants.attended` is recorded.
        Held = "held",
        Cancelled = "cancelled",
    }
}

named_enum! {
    pub enum FacilitatorRole {
        Lead = "lead",
        Co = "co",
    }
}

named_enum! {
    /// How a facilitator takes part.
    pub enum FacilitatorStatus {
        /// Paid through a payout.
        Paid = "paid",
        /// Staff or member, not paid per session.
        Internal = "internal",
        /// Unpaid; only on missions of a `volunteer_sectors` sector.
        Volunteer = "volunteer",
    }
}

/// A session.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The identifier; the file is named after it and it never changes.
    pub id: String,
    /// The mission (id in missions/).
    pub mission: String,
    /// Where this file stands in its lifecycle.
    pub state: SessionState,
    /// The catalogue offer delivered.
    pub offer: String,
    /// Start, `YYYY-MM-DD HH:MM`.
    pub start: DateTime,
    /// End, `YYYY-MM-DD HH:MM`; after the start.
    pub end: DateTime,
    /// Where it takes place.
    #[serde(default)]
    pub location: Option<String>,
    /// True for an online session (instead of a location).
    #[serde(default)]
    pub online: Option<bool>,
    /// Language of the sessions (fr, en, …).
    #[serde(default)]
    pub language: Option<String>,
    /// The facilitators booked.
    #[serde(default)]
    pub facilitators: Vec<Booking>,
    /// Further facilitators still welcome.
    #[serde(default)]
    pub open_seats: Option<u32>,
    /// Participant counts.
    #[serde(default)]
    pub participants: Participants,
    /// Aggregate satisfaction score (0–5) when collected.
    #[serde(default, deserialize_with = "score")]
    #[schemars(schema_with = "score_schema")]
    pub satisfaction: Option<Quantity>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
}

/// A facilitator booked on a session.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    /// A person (id in people/).
    pub person: String,
    /// `lead` or `co`: the facilitator's part in the session, which sets what they are paid.
    pub role: FacilitatorRole,
    /// How the facilitator takes part (paid, internal, volunteer).
    pub status: FacilitatorStatus,
}

/// Participant counts; names live in the private roster.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participants {
    /// Participants expected.
    #[serde(default)]
    pub expected: Option<u32>,
    /// Set when the session is recorded as held.
    #[serde(default)]
    pub attended: Option<u32>,
    /// Path of the roster under `private/` (git-ignored).
    #[serde(default)]
    pub roster: Option<String>,
}

/// A satisfaction score: a number from 0 to 5.
fn score<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Quantity>, D::Error> {
    let q = Option::<Quantity>::deserialize(d)?;
    if let Some(q) = &q
        && (q.0 < rust_decimal::Decimal::ZERO || q.0 > rust_decimal::Decimal::from(5))
    {
        return Err(serde::de::Error::custom(format!(
            "satisfaction {q} is outside the 0–5 scale"
        )));
    }
    Ok(q)
}

fn score_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Aggregate satisfaction score (0–5) when collected.",
        "type": ["number", "null"],
        "format": "decimal",
        "minimum": 0,
        "maximum": 5
    })
}
