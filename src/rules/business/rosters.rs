//! `roster-attendance`: the count of a held session against its private roster. Rosters are
//! not part of the loaded workspace (nor of its cache): this check reads them from the disk, or
//! from the files a command is about to write, and runs outside the rules' memo.

use super::ROSTER_ATTENDANCE;
use crate::diagnostics::{At, Finding};
use crate::model::SessionState;
use crate::workspace::{Overlay, Workspace, roster};

/// A finding for each held session whose `participants.attended` differs from the number of
/// participants its roster marks present. Sessions without a roster (or with one that cannot
/// be read: rendering and the participants commands say why) are skipped.
pub fn roster_attendance(ws: &Workspace, overlay: &Overlay) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &ws.sessions {
        if s.state != SessionState::Held {
            continue;
        }
        let Some(attended) = s.participants.attended else {
            continue;
        };
        let Ok(file) = roster::read(&ws.root, s, Some(overlay)) else {
            continue;
        };
        if file.text.is_none() {
            continue;
        }
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
