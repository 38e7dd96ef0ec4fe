//! `session hold --present …` and `--from-roster`: the attendance recorded in the private
//! roster (who, which half-days), and the count written in the session file from it.

use super::Error;
use crate::commands::common::Cx;
use crate::commands::participants::{find_participant, private_writable, read_roster, roster_text};
use crate::model::Session;
use crate::model::roster::{HalfDay, Participant, half_days};

/// The attendance taken from the roster: the count, and the roster's new text when it changed.
pub(super) struct FromRoster {
    pub count: u32,
    pub registered: usize,
    pub rel: String,
    pub text: Option<String>,
}

/// Mark `present` (names or e-mails, each optionally `=HALF-DAY,HALF-DAY`) as attending — and
/// everyone else as absent — or, with an empty `present`, take the roster as it is; in both
/// cases a participant present without half-days gets every half-day of the session.
pub(super) fn attendance(cx: &Cx, s: &Session, present: &[String]) -> Result<FromRoster, Error> {
    let file = read_roster(cx, s)?;
    if file.text.is_none() {
        return Err(Error::refused(format!(
            "session {} has no roster ({}); add its participants with `fresk participants import {} --csv FILE`, or give the count with --attended N",
            s.id, file.rel, s.id
        )));
    }
    let all: Vec<HalfDay> = half_days(s).into_iter().map(|(h, _)| h).collect();
    let mut roster = file.roster.clone();
    if !present.is_empty() {
        let mut marked: Vec<Option<Vec<HalfDay>>> = vec![None; roster.participants.len()];
        for who in present {
            let (who, days) = split_half_days(who, &all)?;
            let i = find_participant(&roster.participants, who, &s.id).map_err(|e| Error {
                message: format!("--present {}", e.message),
                ..e
            })?;
            marked[i] = Some(days.unwrap_or_else(|| all.clone()));
        }
        for (p, days) in roster.participants.iter_mut().zip(marked) {
            p.attended = days.is_some();
            p.half_days = Some(days.unwrap_or_default());
        }
    } else {
        for p in &mut roster.participants {
            if p.present() && p.half_days.is_none() {
                p.half_days = Some(all.clone());
            }
        }
    }
    let count = roster.participants.iter().filter(|p| p.present()).count();
    let changes: Vec<(Option<usize>, &Participant)> = roster
        .participants
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            let old = &file.roster.participants[*i];
            old.present() != p.present() || old.half_days != p.half_days
        })
        .map(|(i, p)| (Some(i), p))
        .collect();
    let text = if changes.is_empty() {
        None
    } else {
        private_writable(cx)?;
        Some(roster_text(&file, &s.id, &changes)?)
    };
    Ok(FromRoster {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        registered: roster.participants.len(),
        rel: file.rel,
        text,
    })
}

/// `WHO=2026-06-10 am,2026-06-10 pm` → (`WHO`, the half-days); without `=` (or when what
/// follows is not half-days) the whole text is `WHO`.
fn split_half_days<'a>(
    text: &'a str,
    all: &[HalfDay],
) -> Result<(&'a str, Option<Vec<HalfDay>>), Error> {
    let Some((who, days)) = text.rsplit_once('=') else {
        return Ok((text.trim(), None));
    };
    let parsed: Result<Vec<HalfDay>, String> = days.split(',').map(HalfDay::parse).collect();
    let Ok(parsed) = parsed else {
        return Ok((text.trim(), None));
    };
    let listed: Vec<String> = all.iter().map(ToString::to_string).collect();
    if let Some(bad) = parsed.iter().find(|d| !all.contains(d)) {
        return Err(Error::refused(format!(
            "--present {text}: {bad} is not a half-day of the session; its half-days are {}",
            listed.join(", ")
        )));
    }
    Ok((who.trim(), Some(parsed)))
}
