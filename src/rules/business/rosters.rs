//! `roster-attendance` and `roster-evaluation`: the counts of a session against its private
//! roster. Rosters are
//! not part of the loaded workspace (nor of its cache): this check reads them from the disk, or
//! from the files a command is about to write, and runs outside the rules' memo.

use super::{ROSTER_ATTENDANCE, ROSTER_EVALUATION};
use crate::diagnostics::{At, Finding};
use crate::model::SessionState;
use crate::model::roster::evaluation_summary;
use crate::workspace::{Overlay, Workspace, roster};

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
