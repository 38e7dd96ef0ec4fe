//! The Qualiopi evidence of held sessions: certificates and survey sent in time (declared here,
//! checked in `sessions.rs`), and `roster-attendance` and `roster-evaluation`, the counts of a
//! session against its private roster. Rosters are not part of the loaded workspace (nor of its
//! cache): this check reads them from the disk, or from the files a command is about to write,
//! and runs outside the rules' memo.

use crate::diagnostics::declare_rules;
use crate::diagnostics::{At, Finding};
use crate::model::SessionState;
use crate::model::roster::evaluation_summary;
use crate::workspace::{Overlay, Workspace, roster};

declare_rules! {
    /// a held session whose certificates were not sent within `evidence.certificates_days`
    ///
    /// A training body audited for Qualiopi gives every trainee a certificate of completion.
    /// When fresk.yaml has an `evidence:` section, a held session that participants attended
    /// must record, `evidence.certificates_days` days (7 by default) after its end, that its
    /// certificates went out: `fresk mail certificates SESSION` sends them and writes
    /// `sent.certificates` (a date and a count, no names) into the session file. Sessions that
    /// ended before `evidence.since` are not checked.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S01.yaml (ended 2026-04-14; today 2026-06-15)
    /// state: held
    /// participants: { attended: 15 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S01.yaml
    /// state: held
    /// participants: { attended: 15 }
    /// sent: { certificates: { date: 2026-04-15, count: 15 } }
    /// ```
    CERTIFICATES_NOT_SENT = "certificates-not-sent", Business, Warning;
    /// a held session whose satisfaction survey was not sent within `evidence.survey_days`
    ///
    /// Qualiopi asks that satisfaction be collected after every action. When fresk.yaml has an
    /// `evidence:` section, a held session that participants attended must record,
    /// `evidence.survey_days` days (7 by default) after its end, that the survey went out:
    /// `fresk mail survey SESSION` sends the link and writes `sent.survey` (a date and a count)
    /// into the session file. Sessions that ended before `evidence.since` are not checked.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S01.yaml (ended 2026-04-14; today 2026-06-15)
    /// state: held
    /// participants: { attended: 15 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S01.yaml
    /// state: held
    /// participants: { attended: 15 }
    /// sent: { survey: { date: 2026-04-15, count: 15 } }
    /// ```
    SURVEY_NOT_SENT = "survey-not-sent", Business, Warning;
    /// a held session whose `attended` differs from the attendees of its roster
    ///
    /// When a session has a roster under private/ (`fresk participants import`), the
    /// participants marked there as present are the sign-in sheet auditors check; the count in
    /// the session file (`participants.attended`) is what reports and invoices use. The two
    /// must agree. Record the attendance with `fresk session hold SESSION --present NAME|EMAIL…`
    /// or `--from-roster`, which set both; or correct the roster (`attended`, `half_days`) or the
    /// count. The finding names the session's line and the roster's.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S01.yaml (its roster marks 11 present)
    /// participants: { expected: 12, attended: 12 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S01.yaml
    /// participants: { expected: 12, attended: 11 }
    /// ```
    ROSTER_ATTENDANCE = "roster-attendance", Business, Error;
    /// a session's `evaluation` counts differ from the results recorded in its roster
    ///
    /// The evaluation of what participants learnt is recorded per participant in the private
    /// roster (`evaluation: acquired`, `partially`, `not-acquired` or a score), and only its
    /// counts go to the session file, for reports. `fresk participants evaluate` keeps both in
    /// step; counts edited by hand, or a roster edited after, disagree. Record results with
    /// `fresk participants evaluate`, or correct the counts.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S08.yaml (its roster records 2 acquired)
    /// evaluation: { acquired: 3, partially: 0, not_acquired: 0, scored: 0 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S08.yaml
    /// evaluation: { acquired: 2, partially: 0, not_acquired: 0, scored: 0 }
    /// ```
    ROSTER_EVALUATION = "roster-evaluation", Business, Warning;
}

/// A finding for each held session whose `participants.attended` differs from the number of
/// participants its roster marks present, and for each session whose `evaluation` counts differ
/// from the results its roster records. Sessions without a roster (or with one that cannot
/// be read: rendering and the participants commands say why) are skipped.
pub fn roster_attendance(ws: &Workspace, overlay: &Overlay) -> Vec<Finding> {
    let mut out = Vec::new();
    // Every roster is under private/ (a planned one may not be on the disk yet).
    let planned = overlay.keys().any(|p| crate::workspace::is_private_path(p));
    if !planned && !ws.root.join("private").is_dir() {
        return out;
    }
    for s in &ws.sessions {
        let held = s.state == SessionState::Held;
        if !(held && s.participants.attended.is_some()) && s.evaluation.is_none() {
            continue;
        }
        let Ok(file) = roster::read(&ws.root, s, Some(overlay)) else {
            continue;
        };
        if file.text.is_none() {
            continue;
        }
        if let Some(counted) = &s.evaluation {
            let recorded = evaluation_summary(&file.roster).unwrap_or_default();
            if *counted != recorded {
                out.push(
                    Finding::new(
                        &ROSTER_EVALUATION,
                        &s.file,
                        At::value("evaluation"),
                        format!(
                            "session {} counts {} acquired, {} partially, {} not acquired, {} scored, but its roster {} records {} acquired, {} partially, {} not acquired, {} scored; record results with `fresk participants evaluate {}`, or correct the counts",
                            s.id,
                            counted.acquired,
                            counted.partially,
                            counted.not_acquired,
                            counted.scored,
                            file.rel,
                            recorded.acquired,
                            recorded.partially,
                            recorded.not_acquired,
                            recorded.scored,
                            s.id
                        ),
                    )
                    .related(
                        &file.rel,
                        At::key("participants"),
                        "the results recorded per participant",
                    ),
                );
            }
        }
        let Some(attended) = s.participants.attended.filter(|_| held) else {
            continue;
        };
        let present = file
            .roster
            .participants
            .iter()
            .filter(|p| p.present())
            .count();
        if u32::try_from(present).ok() == Some(attended) {
            continue;
        }
        out.push(
            Finding::new(
                &ROSTER_ATTENDANCE,
                &s.file,
                At::value("participants.attended"),
                format!(
                    "session {} records {attended} attended, but its roster {} marks {present} of {} participant(s) present; make them agree: correct `attended` here, or who is marked present in the roster (`attended`, `half_days`; `fresk participants list {}` shows them)",
                    s.id,
                    file.rel,
                    file.roster.participants.len(),
                    s.id
                ),
            )
            .related(
                &file.rel,
                At::key("participants"),
                format!("{present} present in the roster"),
            ),
        );
    }
    out
}
