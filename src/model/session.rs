//! `missions/<mission>/sessions/<id>.yaml`: one workshop or training session.

use super::money::Quantity;
use super::time::{Date, DateTime};
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
    /// A facilitator's part in a session; `lead` and `co` are paid from `rates:`, every role
    /// can be given its own rates per kind of offer in `roles:` of fresk.yaml.
    pub enum FacilitatorRole {
        /// Leads the session.
        Lead = "lead",
        /// Co-facilitates.
        Co = "co",
        /// The référent of an action (a third place's events): it needs `roles.referent` in
        /// fresk.yaml.
        Referent = "referent",
        /// A chargé de mission on an action: it needs `roles.mission` in fresk.yaml.
        Mission = "mission",
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
    /// Facilitator seats in all, once some are open to sign-ups: the seats beyond the bookings
    /// are open, and a facilitator takes one with `fresk session join`.
    #[serde(default)]
    pub seats: Option<u32>,
    /// Further facilitators still welcome (the older form of `seats`: the count of seats still
    /// open, lowered by `fresk session join`).
    #[serde(default)]
    pub open_seats: Option<u32>,
    /// The role of the open seats (`co` when absent for a joiner).
    #[serde(default)]
    pub open_role: Option<FacilitatorRole>,
    /// Participant counts.
    #[serde(default)]
    pub participants: Participants,
    /// Aggregate satisfaction score (0–5) when collected.
    #[serde(default, deserialize_with = "score")]
    #[schemars(schema_with = "score_schema")]
    pub satisfaction: Option<Quantity>,
    /// The anonymous summary of the satisfaction survey, written by `fresk survey import`.
    #[serde(default)]
    pub survey: Option<super::survey::SurveySummary>,
    /// How many participants got each result at the evaluation of what they learnt, counted
    /// from the private roster (no names); written by `fresk participants evaluate`.
    #[serde(default)]
    pub evaluation: Option<EvaluationSummary>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
    /// What `fresk mail` sent the participants: dates and counts, never who (that is in
    /// `private/mail/<session>.yaml`).
    #[serde(default)]
    pub sent: Option<Sent>,
}

/// The evidence that certificates and the survey went out, kept in the tracked session file so
/// that `fresk lint` (in CI, without `private/`) can see it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sent {
    /// The certificates of completion, each to its participant.
    #[serde(default)]
    pub certificates: Option<SentRecord>,
    /// The link to the satisfaction survey.
    #[serde(default)]
    pub survey: Option<SentRecord>,
}

/// One kind of message sent to a session's participants.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SentRecord {
    /// The day of the last sending, `YYYY-MM-DD`.
    pub date: Date,
    /// How many participants have received it so far.
    pub count: u32,
}

impl Session {
    /// The seats still open to facilitators: `seats` less the bookings, or `open_seats`.
    pub fn free_seats(&self) -> u32 {
        match self.seats {
            Some(seats) => {
                seats.saturating_sub(u32::try_from(self.facilitators.len()).unwrap_or(u32::MAX))
            }
            None => self.open_seats.unwrap_or(0),
        }
    }

    /// Whether the session takes sign-ups at all (`seats` or `open_seats` written).
    pub fn has_open_seats(&self) -> bool {
        self.seats.is_some() || self.open_seats.is_some()
    }
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

/// The results of the evaluation of what participants learnt: counts only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSummary {
    /// Participants who acquired what the action teaches.
    #[serde(default)]
    pub acquired: u32,
    /// Participants who partially acquired it.
    #[serde(default)]
    pub partially: u32,
    /// Participants who did not acquire it.
    #[serde(default)]
    pub not_acquired: u32,
    /// Participants evaluated with a score.
    #[serde(default)]
    pub scored: u32,
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
