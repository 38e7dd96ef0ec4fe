//! Attendance certificates (attestation de participation / de fin de formation): one per
//! participant of a held session, from the session's private roster — what Qualiopi auditors
//! ask for: who, what, when, how long, where, by whom, and the training body's identity.

mod realisation;

use super::document::{Cx, Meta, Missing, Party};
use crate::model::roster::{Participant, Roster};
use crate::model::{Offer, OfferKind, Session, SessionState};
use crate::workspace::Loaded;
use serde::Serialize;
use std::path::Path;

/// One participant's certificate, ready for `certificate.html`.
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub kind: &'static str,
    pub title: String,
    pub heading: String,
    /// `ATT-<session>-<NN>`: the participant's place in the roster, never their name.
    pub number: String,
    pub issuer: Party,
    pub participant: String,
    pub participant_organisation: Option<String>,
    pub statement: String,
    /// For training (certificat de réalisation): the natures of action of art. L6313-1, the
    /// one of this action ticked (`[X] …`, `[ ] …`).
    pub natures: Vec<String>,
    pub details: Vec<Meta>,
    pub mentions: Vec<String>,
    pub done: String,
    /// "Pour …, signature et cachet", then the signatory's name and capacity when configured.
    pub signatory: Vec<String>,
}

pub use crate::workspace::roster::RosterError;

/// The roster of a held session, read from `private/`; there must be one.
pub fn roster(root: &Path, session: &Loaded<Session>) -> Result<(String, Roster), RosterError> {
    let file = crate::workspace::roster::read(root, session, None)?;
    if file.text.is_none() {
        return Err(RosterError::Absent {
            session: session.id.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "there is no such file"),
            rel: file.rel,
        });
    }
    Ok((file.rel, file.roster))
}

/// The certificates of every participant who attended `session`.
pub fn build(
    cx: &Cx,
    session: &Loaded<Session>,
    roster: &Roster,
    rel: &str,
) -> Result<Vec<Certificate>, Missing> {
    build_for(cx, session, roster, rel, None)
}

/// The certificate of the participant at `index` in `roster` (who must have attended).
pub fn build_one(
    cx: &Cx,
    session: &Loaded<Session>,
    roster: &Roster,
    rel: &str,
    index: usize,
) -> Result<Certificate, Missing> {
    let mut certs = build_for(cx, session, roster, rel, Some(index))?;
    certs
        .pop()
        .ok_or_else(|| Missing(vec![format!("participant {} of {rel}", index + 1)]))
}

/// The certificates of `session`: every attendee's, or only the one at `only`.
fn build_for(
    cx: &Cx,
    session: &Loaded<Session>,
    roster: &Roster,
    rel: &str,
    only: Option<usize>,
) -> Result<Vec<Certificate>, Missing> {
    let mut missing = Missing::default();
    if session.state != SessionState::Held {
        missing.add(format!(
            "a held session: {} is `{}`, and certificates are for sessions that took place (`fresk session hold {} --attended N`)",
            session.id, session.state, session.id
        ));
        return Err(missing);
    }
    let offer = cx.config.offer(&session.offer);
    let training = offer.is_some_and(|o| o.kind == OfferKind::Training);
    let heading = cx
        .l(if training {
            "certificate_training"
        } else {
            "certificate_workshop"
        })
        .to_string();
    let issuer = cx.association(cx.l("issuer"), &mut missing);
    let mut mentions = Vec::new();
    cx.training_mention(training, &mut missing, &mut mentions);
    let details = details(cx, session, offer, training);
    let mut attended = attended(roster, rel, &mut missing);
    if let Some(only) = only {
        attended.retain(|(i, _)| *i == only);
        if attended.is_empty() {
            missing.add(format!(
                "participant {} of {rel} as an attendee: there is no such participant, or they did not attend",
                only + 1
            ));
        }
    }
    let signatory_name = cx
        .config
        .documents
        .signatory
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if training && signatory_name.is_none() {
        missing.add(
            "who signs the certificat de réalisation (`documents.signatory` in fresk.yaml, e.g. \"Claire Fontaine, présidente\")",
        );
    }
    missing.check()?;
    let org = &cx.config.organisation;
    let (done, signatory) = closing(cx);
    Ok(attended
        .into_iter()
        .map(|(i, p)| {
            let number = format!("ATT-{}-{:02}", session.id, i + 1);
            let name = p.name.trim();
            let organisation = p.organisation.clone().filter(|o| !o.trim().is_empty());
            let (statement, natures, details) = if training {
                let statement =
                    realisation::statement(cx, session, p, signatory_name.unwrap_or_default());
                let details = realisation::details(cx, session, p, &details);
                (statement, realisation::natures(cx), details)
            } else {
                let statement = cx.fill(
                    "certificate_statement",
                    &[("issuer", &org.name), ("participant", name)],
                );
                (statement, Vec::new(), details.clone())
            };
            Certificate {
                kind: "certificate",
                title: format!("{heading} — {name}"),
                heading: heading.clone(),
                number,
                issuer: issuer.clone(),
                participant: name.to_string(),
                participant_organisation: organisation,
                statement,
                natures,
                details,
                mentions: mentions.clone(),
                done: done.clone(),
                signatory: signatory.clone(),
            }
        })
        .collect())
}

/// What every certificate of `session` says of the action: what it was (and, for training,
/// its nature and objectives), for whom, when, how long, where and by whom.
pub(super) fn details(
    cx: &Cx,
    session: &Session,
    offer: Option<&Offer>,
    training: bool,
) -> Vec<Meta> {
    let action = cx
        .offer_label(&session.offer)
        .unwrap_or_else(|| session.offer.clone());
    let mut details = vec![Meta::new(cx.l("certificate_action"), action)];
    if training {
        details.push(Meta::new(
            cx.l("certificate_nature"),
            cx.l("certificate_training_action"),
        ));
    }
    if let Some(objectives) = offer.and_then(|o| o.objectives.as_ref()).and_then(|l| {
        let first = cx.config.languages.first().map(String::as_str);
        l.get(cx.lang).or_else(|| first.and_then(|f| l.get(f)))
    }) {
        details.push(Meta::new(cx.l("certificate_objectives"), objectives.trim()));
    }
    if let Some(mission) = cx.ws.missions.iter().find(|m| m.id == session.mission)
        && let Some(org) = cx
            .ws
            .organisations
            .iter()
            .find(|o| o.id == mission.organisation)
    {
        details.push(Meta::new(cx.l("certificate_client"), org.name.clone()));
    }
    details.extend(when(cx, session));
    let place = if session.online == Some(true) {
        Some(cx.l("online").to_string())
    } else {
        session.location.clone().filter(|l| !l.trim().is_empty())
    };
    if let Some(place) = place {
        details.push(Meta::new(cx.l("certificate_location"), place));
    }
    let names: Vec<String> = session
        .facilitators
        .iter()
        .map(|b| {
            cx.ws
                .person(&b.person)
                .map_or_else(|| b.person.clone(), |p| p.name.clone())
        })
        .collect();
    if !names.is_empty() {
        details.push(Meta::new(
            cx.l("certificate_facilitators"),
            names.join(", "),
        ));
    }
    details
}

/// The day (or days) and hours of `session`, and how long it lasted: the hours of each of its
/// days ([`crate::model::roster::half_days`]).
fn when(cx: &Cx, session: &Session) -> [Meta; 2] {
    let start = session.start.local;
    let end = session.end.local;
    let times = [
        ("date", cx.date(session.start.date())),
        ("last", cx.date(session.end.date())),
        ("start", super::format::time(start.time(), cx.style)),
        ("end", super::format::time(end.time(), cx.style)),
    ];
    let times: Vec<(&str, &str)> = times.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let key = if start.date() == end.date() {
        "certificate_time"
    } else {
        "certificate_time_days"
    };
    let dates = Meta::new(cx.l("certificate_dates"), cx.fill(key, &times));
    let hours = crate::model::roster::hours(crate::model::roster::session_minutes(session));
    let duration = Meta::new(
        cx.l("certificate_duration"),
        cx.fill("certificate_hours", &[("hours", &cx.quantity(hours))]),
    );
    [dates, duration]
}

/// The participants of `roster` (the file `rel`) who attended, with their place in it; what
/// is missing to certify them goes to `missing`.
fn attended<'r>(
    roster: &'r Roster,
    rel: &str,
    missing: &mut Missing,
) -> Vec<(usize, &'r Participant)> {
    let attended: Vec<(usize, &Participant)> = roster
        .participants
        .iter()
        .enumerate()
        .filter(|(_, p)| p.present())
        .collect();
    if attended.is_empty() {
        missing.add(format!(
            "participants: no one in {rel} has `attended: true`"
        ));
    }
    for (i, p) in &attended {
        if p.name.trim().is_empty() {
            missing.add(format!("the name of participant {} in {rel}", i + 1));
        }
    }
    attended
}

/// "Fait à Lyon, le …" and the signature block: "Pour …, signature et cachet", then the
/// signatory's name and capacity when configured.
fn closing(cx: &Cx) -> (String, Vec<String>) {
    let org = &cx.config.organisation;
    let docs = &cx.config.documents;
    // "Fait à Lyon": the configured place, else the town of the association's address.
    let place = docs
        .place
        .clone()
        .filter(|p| !p.trim().is_empty())
        .or_else(|| town_of(&org.address));
    let done = match place {
        Some(place) => cx.fill(
            "certificate_done",
            &[("place", place.trim()), ("date", &cx.date(cx.today))],
        ),
        None => cx.fill("certificate_done_no_place", &[("date", &cx.date(cx.today))]),
    };
    let mut signatory = vec![cx.fill("certificate_signatory", &[("issuer", &org.name)])];
    signatory.extend(
        docs.signatory
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    );
    (done, signatory)
}

/// The town of a French address: `27 rue X, 69007 Lyon` → `Lyon`.
fn town_of(address: &str) -> Option<String> {
    let last = address.rsplit([',', '\n']).next()?.trim();
    let town = last.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    (!town.is_empty() && town.len() < last.len()).then(|| town.to_string())
}

#[cfg(test)]
mod tests {
    use super::town_of;

    #[test]
    fn towns_come_after_the_postcode() {
        assert_eq!(
            town_of("27 rue Sébastien Gryphe, 69007 Lyon").as_deref(),
            Some("Lyon")
        );
        assert_eq!(
            town_of("3 place Colbert\n69001 Lyon 1er").as_deref(),
            Some("Lyon 1er")
        );
        assert_eq!(town_of("Somewhere without postcode"), None);
    }
}
