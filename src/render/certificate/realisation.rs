//! The certificat de réalisation of a training action (the official model of the Ministry of
//! Labour): who signs for the training body, that the trainee followed the action, its nature
//! among those of art. L6313-1 of the Labour Code, its dates, the duration actually followed
//! and, when recorded, the result of the evaluation of what was learnt.

use crate::model::Session;
use crate::model::roster::{Evaluation, Participant, hours, minutes_followed, session_minutes};
use crate::render::document::{Cx, Meta};

/// "Je soussigné·e …, atteste que … a suivi l'action …, du … au …, pour une durée de … heures."
pub(super) fn statement(cx: &Cx, session: &Session, p: &Participant, signatory: &str) -> String {
    let action = cx
        .offer_label(&session.offer)
        .unwrap_or_else(|| session.offer.clone());
    let (first, last) = (session.start.date(), session.end.date());
    let dates = if first == last {
        cx.fill("completion_on", &[("date", &cx.date(first))])
    } else {
        cx.fill(
            "completion_from_to",
            &[("date", &cx.date(first)), ("last", &cx.date(last))],
        )
    };
    let employer = p
        .organisation
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| cx.fill("completion_employer", &[("organisation", o)]))
        .unwrap_or_default();
    let followed = cx.quantity(hours(minutes_followed(session, p)));
    cx.fill(
        "completion_statement",
        &[
            ("signatory", signatory),
            ("issuer", &cx.config.organisation.name),
            ("participant", p.name.trim()),
            ("employer", &employer),
            ("action", &action),
            ("dates", &dates),
            ("hours", &followed),
        ],
    )
}

/// The four natures of action of art. L6313-1, this one (a training action) ticked.
pub(super) fn natures(cx: &Cx) -> Vec<String> {
    [
        ("completion_nature_training", true),
        ("completion_nature_assessment", false),
        ("completion_nature_vae", false),
        ("completion_nature_apprenticeship", false),
    ]
    .iter()
    .map(|(key, ticked)| format!("[{}] {}", if *ticked { "X" } else { " " }, cx.l(key)))
    .collect()
}

/// The action's details, with the duration this participant followed and their evaluation
/// after the action's own duration.
pub(super) fn details(cx: &Cx, session: &Session, p: &Participant, common: &[Meta]) -> Vec<Meta> {
    let mut out = common.to_vec();
    let at = out
        .iter()
        .position(|m| m.label == cx.l("certificate_duration"))
        .map_or(out.len(), |i| i + 1);
    let mut extra = Vec::new();
    let followed = minutes_followed(session, p);
    if followed != session_minutes(session) {
        extra.push(Meta::new(
            cx.l("completion_followed"),
            cx.fill(
                "certificate_hours",
                &[("hours", &cx.quantity(hours(followed)))],
            ),
        ));
    }
    if let Some(e) = &p.evaluation {
        let result = match e {
            Evaluation::Acquired => cx.l("evaluation_acquired").to_string(),
            Evaluation::Partially => cx.l("evaluation_partially").to_string(),
            Evaluation::NotAcquired => cx.l("evaluation_not_acquired").to_string(),
            Evaluation::Score(score) => score.clone(),
        };
        extra.push(Meta::new(cx.l("completion_evaluation"), result));
    }
    out.splice(at..at, extra);
    out
}
