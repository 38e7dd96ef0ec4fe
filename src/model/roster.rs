//! A session's roster, `private/rosters/<session>.yaml`: participants' names live here, outside
//! git, and only attendance certificates read them.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// The session this roster belongs to, when written (checked against the session).
    #[serde(default)]
    pub session: Option<String>,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Their employer or organisation, printed on the certificate when given.
    #[serde(default)]
    pub organisation: Option<String>,
    /// Absent participants get no certificate.
    #[serde(default = "yes")]
    pub attended: bool,
}

fn yes() -> bool {
    true
}
