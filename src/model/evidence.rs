//! The Qualiopi evidence of a held session that is due: its certificates and its survey, sent
//! within `evidence:`'s delays (fresk.yaml). `fresk lint` warns of what is late, and `fresk
//! report quality` lists it.

use super::config::Evidence;
use super::session::{Session, SessionState};
use super::time::Date;

named_enum! {
    /// A piece of evidence a held session owes.
    pub enum Due {
        /// The certificates, sent by `fresk mail certificates`.
        Certificates = "certificates",
        /// The survey, sent by `fresk mail survey`.
        Survey = "survey",
    }
}

/// What `session` owes on `today` and has not sent, with the day it was due: nothing for a
/// session that is not held, that nobody attended, or that ended before `evidence.since`.
pub fn overdue(session: &Session, evidence: &Evidence, today: Date) -> Vec<(Due, Date)> {
    if session.state != SessionState::Held || session.participants.attended == Some(0) {
        return Vec::new();
    }
    let ended = session.end.date();
    if evidence.since.is_some_and(|since| ended < since) {
        return Vec::new();
    }
    let sent = session.sent.as_ref();
    let mut out = Vec::new();
    for (due, days, record) in [
        (
            Due::Certificates,
            evidence.certificates_days,
            sent.and_then(|s| s.certificates.as_ref()),
        ),
        (
            Due::Survey,
            evidence.survey_days,
            sent.and_then(|s| s.survey.as_ref()),
        ),
    ] {
        let by = ended.add_days(i64::from(days));
        if today > by && record.is_none_or(|r| r.count == 0) {
            out.push((due, by));
        }
    }
    out
}
