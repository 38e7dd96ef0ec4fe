//! The sign-in sheet (feuille d'émargement) of a session: the training body, the action, its
//! dates and place, the facilitators; a row per registered participant and a column per
//! half-day to sign in, blank rows for walk-ins, and the facilitators' signatures per half-day.
//! It is printed before the session and kept signed as the evidence of attendance.

use super::document::{Cx, Meta, Missing, Party};
use crate::model::roster::{Roster, half_days};
use crate::model::{OfferKind, Session, SessionState};
use serde::Serialize;

/// A sign-in sheet, ready for `attendance-sheet.html`.
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceSheet {
    pub kind: &'static str,
    pub title: String,
    pub heading: String,
    /// `EMG-<session>`.
    pub number: String,
    pub issuer: Party,
    /// Action, nature, objectives, client, dates, duration, place, facilitators.
    pub details: Vec<Meta>,
    /// The column headings, one per half-day: "10/06/2026 matin".
    pub half_days: Vec<String>,
    /// The widths, in percent of the page, of the name column and of each half-day column
    /// (the number column takes 5).
    pub name_width: u32,
    pub half_day_width: u32,
    /// One per registered participant, in the roster's order.
    pub rows: Vec<SheetRow>,
    /// The numbers of the blank rows for walk-ins.
    pub blank_rows: Vec<usize>,
    /// The facilitators' names, each with a signature cell per half-day.
    pub facilitators: Vec<String>,
    /// What signing means, above the table.
    pub statement: String,
    pub mentions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    pub n: usize,
    pub name: String,
    pub organisation: Option<String>,
}

/// The sign-in sheet of `session`, with the participants of `roster` (none when it has no
/// roster yet) and `blank` rows for walk-ins.
pub fn build(
    cx: &Cx,
    session: &Session,
    roster: &Roster,
    blank: usize,
) -> Result<AttendanceSheet, Missing> {
    let mut missing = Missing::default();
    if session.state == SessionState::Cancelled {
        missing.add(format!(
            "a session that takes place: {} is cancelled",
            session.id
        ));
        return Err(missing);
    }
    let offer = cx.config.offer(&session.offer);
    let training = offer.is_some_and(|o| o.kind == OfferKind::Training);
    let issuer = cx.association(cx.l("training_body"), &mut missing);
    let mut mentions = Vec::new();
    cx.training_mention(training, &mut missing, &mut mentions);
    let details = super::certificate::details(cx, session, offer, training);
    for (i, p) in roster.participants.iter().enumerate() {
        if p.name.trim().is_empty() {
            missing.add(format!("the name of participant {} of the roster", i + 1));
        }
    }
    missing.check()?;
    let columns: Vec<String> = half_days(session)
        .iter()
        .map(|(h, _)| {
            format!(
                "{} {}",
                cx.date(h.date),
                cx.l(if h.afternoon { "afternoon" } else { "morning" })
            )
        })
        .collect();
    let rows: Vec<SheetRow> = roster
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| SheetRow {
            n: i + 1,
            name: p.name.trim().to_string(),
            organisation: p
                .organisation
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_string),
        })
        .collect();
    let first_blank = rows.len() + 1;
    // Half-day columns share 65 % of the width, at most 20 % each.
    let half_day_width = match u32::try_from(columns.len()) {
        Ok(n) if n > 0 => (65 / n).min(20),
        _ => 0,
    };
    let facilitators = session
        .facilitators
        .iter()
        .map(|b| {
            cx.ws
                .person(&b.person)
                .map_or_else(|| b.person.clone(), |p| p.name.clone())
        })
        .collect();
    let heading = cx.l("attendance_sheet").to_string();
    Ok(AttendanceSheet {
        kind: "attendance-sheet",
        title: format!("{heading} — {}", session.id),
        heading,
        number: format!("EMG-{}", session.id),
        issuer,
        details,
        name_width: 95 - half_day_width * u32::try_from(columns.len()).unwrap_or(0),
        half_day_width,
        half_days: columns,
        rows,
        blank_rows: (first_blank..first_blank + blank).collect(),
        facilitators,
        statement: cx.l("attendance_statement").to_string(),
        mentions,
    })
}
