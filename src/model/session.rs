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
    pub id: String,
    pub mission: String,
    pub state: SessionState,
    /// The catalogue offer delivered.
    pub offer: String,
    pub start: DateTime,
    pub end: DateTime,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub online: Option<bool>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub facilitators: Vec<Booking>,
    /// Further facilitators still welcome.
    #[serde(default)]
    pub open_seats: Option<u32>,
    #[serde(default)]
    pub participants: Participants,
    /// Aggregate satisfaction score (0–5) when collected.
    #[serde(default)]
    pub satisfaction: Option<Quantity>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A facilitator booked on a session.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Booking {
    pub person: String,
    pub role: FacilitatorRole,
    pub status: FacilitatorStatus,
}

/// Participant counts; names live in the private roster.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participants {
    #[serde(default)]
    pub expected: Option<u32>,
    /// Set when the session is recorded as held.
    #[serde(default)]
    pub attended: Option<u32>,
    /// Path of the roster under `private/` (git-ignored).
    #[serde(default)]
    pub roster: Option<String>,
}
