//! `complaints/<year>/<id>.yaml`: a client's complaint, from receipt to closing (the charter's
//! complaints procedure).

use super::time::{Date, DateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

named_enum! {
    /// Where a complaint stands.
    pub enum ComplaintState {
        /// Logged, not yet acknowledged to the client.
        Received = "received",
        /// The client was told we have it and are on it (within `crm.complaint_acknowledge_hours`).
        Acknowledged = "acknowledged",
        /// An action answers it (`action`).
        Resolved = "resolved",
        /// The client agreed, or the matter is over.
        Closed = "closed",
    }
}

/// A client's complaint.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    /// The identifier (C2026-0001); the file is named after it and it never changes.
    pub id: String,
    /// Where this file stands in its lifecycle.
    pub state: ComplaintState,
    /// The organisation complaining (id in organisations/).
    pub organisation: String,
    /// When the complaint reached us; the acknowledgement delay runs from here.
    pub received: DateTime,
    /// What the client complains about (no personal data of third parties).
    pub summary: String,
    /// The mission concerned (id in missions/).
    #[serde(default)]
    pub mission: Option<String>,
    /// The session concerned (id of a session of `mission`).
    #[serde(default)]
    pub session: Option<String>,
    /// The staff member handling it (person id).
    #[serde(default)]
    pub owner: Option<String>,
    /// When the client was told we have it (`fresk complaint acknowledge`).
    #[serde(default)]
    pub acknowledged: Option<DateTime>,
    /// The day an action answered it (`fresk complaint resolve`).
    #[serde(default)]
    pub resolved: Option<Date>,
    /// What was done about it.
    #[serde(default)]
    pub action: Option<String>,
    /// The day it was closed (`fresk complaint close`).
    #[serde(default)]
    pub closed: Option<Date>,
    /// Free notes (no personal data of third parties).
    #[serde(default)]
    pub notes: Option<String>,
}

impl Complaint {
    /// Is it still waiting for something from us (not closed)?
    pub fn is_open(&self) -> bool {
        self.state != ComplaintState::Closed
    }
}
