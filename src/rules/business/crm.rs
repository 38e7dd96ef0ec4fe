//! The client relationship: interactions well formed and naming the organisation's own
//! contacts, complaints acknowledged within the charter's delay, no mission closed on an open
//! complaint.

use crate::diagnostics::declare_rules;
use crate::diagnostics::{At, Finding};
use crate::model::{ComplaintState, MissionState};
use crate::rules::Context;
use crate::workspace::Workspace;

declare_rules! {
    /// an entry of an interactions file that is neither an interaction nor the end of a callback, or not of the file's year
    ///
    /// `interactions/<organisation>/<year>.yaml` holds one line per entry: an interaction
    /// (`fresk contact log`: `channel` and `summary`, perhaps a `callback`) or the end of the
    /// open callback (`fresk callback done`: `callback_done: true`, perhaps a `note`). An entry
    /// with neither says nothing the agenda or the client file could show; an entry dated in
    /// another year belongs to that year's file (the files are split by year so that each stays
    /// small and git merges appends to different years without conflict).
    ///
    /// Bad:
    /// ```yaml
    /// # interactions/biscuiterie-lafont/2026.yaml
    /// entries:
    ///   - { at: 2025-12-30 10:00, owner: claire-fontaine }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # interactions/biscuiterie-lafont/2026.yaml
    /// entries:
    ///   - { at: 2026-01-05 10:00, owner: claire-fontaine, channel: phone, summary: Wishes and the spring workshop }
    /// ```
    INTERACTION_ENTRY = "interaction-entry", Business, Error;
    /// an interaction's `contact` that is not one of the organisation's contacts
    ///
    /// The people we talk to at a client are personal data: their name, role, e-mail and phone
    /// live in one place only, the organisation's `contacts` (so that they can be corrected or
    /// erased once). An interaction names one of them by its `name`; a name found nowhere else is
    /// a typo or a contact not recorded yet: add them with `fresk organisation edit ORG
    /// --contact NAME`, or fix the name.
    ///
    /// Bad:
    /// ```yaml
    /// # interactions/biscuiterie-lafont/2026.yaml
    /// entries:
    ///   - { at: 2026-06-02 10:00, channel: phone, summary: Autumn dates, contact: Damien Lafon }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # interactions/biscuiterie-lafont/2026.yaml (organisations/biscuiterie-lafont.yaml lists Damien Lafont)
    /// entries:
    ///   - { at: 2026-06-02 10:00, channel: phone, summary: Autumn dates, contact: Damien Lafont }
    /// ```
    UNKNOWN_CONTACT = "unknown-contact", Privacy, Error;
    /// a complaint still `received` after the charter's acknowledgement delay
    ///
    /// The client-relationship charter promises that every complaint is acknowledged — the
    /// client told we have it and who handles it — within `crm.complaint_acknowledge_hours`
    /// (48 h by default) of receiving it. Tell the client, then record it with `fresk complaint
    /// acknowledge ID`.
    ///
    /// Bad:
    /// ```yaml
    /// # complaints/2026/C2026-0001.yaml, three days later
    /// state: received
    /// received: 2026-06-10 09:00
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # complaints/2026/C2026-0001.yaml
    /// state: acknowledged
    /// received: 2026-06-10 09:00
    /// acknowledged: 2026-06-10 17:30
    /// ```
    COMPLAINT_NOT_ACKNOWLEDGED = "complaint-not-acknowledged", Business, Warning;
    /// a mission closed while a complaint about it is still open
    ///
    /// Closing a mission says the work is over, and invoicing follows; a complaint about it
    /// that is not closed yet may change what is owed (a session to run again, a discount).
    /// Resolve and close the complaint (`fresk complaint resolve` / `close`), or reopen the
    /// matter with the client before invoicing.
    ///
    /// Bad:
    /// ```yaml
    /// # complaints/2026/C2026-0002.yaml (missions/M2026-0003/mission.yaml is closed)
    /// state: acknowledged
    /// mission: M2026-0003
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # complaints/2026/C2026-0002.yaml
    /// state: closed
    /// mission: M2026-0003
    /// ```
    COMPLAINT_OPEN_MISSION_CLOSED = "complaint-open-mission-closed", Business, Warning;
}

/// The shape of every interactions file's entries, and their contacts.
pub(super) fn interactions(ws: &Workspace, _cx: &Context, out: &mut Vec<Finding>) {
    for f in &ws.interactions {
        let org = ws.organisations.iter().find(|o| o.id == f.organisation);
        for (i, e) in f.entries.iter().enumerate() {
            let is_interaction = e.channel.is_some() && e.summary.is_some();
            if !is_interaction && !e.callback_done {
                out.push(Finding::new(
                    &INTERACTION_ENTRY,
                    &f.file,
                    At::value(&format!("entries[{i}]")),
                    "this entry is neither an interaction (`channel` and `summary`) nor the end of a callback (`callback_done: true`); complete it, or log it again with `fresk contact log`",
                ));
            }
            if e.at.date().year() != f.year {
                out.push(Finding::new(
                    &INTERACTION_ENTRY,
                    &f.file,
                    At::value(&format!("entries[{i}].at")),
                    format!(
                        "{} is not in {}: move this entry to interactions/{}/{}.yaml",
                        e.at,
                        f.year,
                        f.organisation,
                        e.at.date().year()
                    ),
                ));
            }
            if let (Some(org), Some(contact)) = (org, &e.contact)
                && !org.contacts.iter().any(|c| c.name.trim() == contact.trim())
            {
                let hint = crate::diagnostics::did_you_mean(
                    contact,
                    org.contacts.iter().map(|c| c.name.as_str()),
                )
                .map(|m| format!("did you mean `{m}`? "))
                .unwrap_or_default();
                out.push(
                    Finding::new(
                        &UNKNOWN_CONTACT,
                        &f.file,
                        At::value(&format!("entries[{i}].contact")),
                        format!(
                            "`{contact}` is not one of {}'s contacts; {hint}add them with `fresk organisation edit {} --contact \"{contact}\"`, or fix the name",
                            org.id, org.id
                        ),
                    )
                    .related(&org.file, At::key("contacts"), "the organisation's contacts"),
                );
            }
        }
    }
}

/// Complaints acknowledged in time, and not left open on a closed mission.
pub(super) fn complaints(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let hours = cx.config.map_or(48, |c| c.crm.complaint_acknowledge_hours);
    for c in &ws.complaints {
        if c.state == ComplaintState::Received
            && let Some(due) = c
                .received
                .instant(cx.tz)
                .checked_add_signed(chrono::Duration::hours(i64::from(hours)))
            && cx.is_past(due)
        {
            out.push(Finding::new(
                &COMPLAINT_NOT_ACKNOWLEDGED,
                &c.file,
                At::value("state"),
                format!(
                    "received {} and not acknowledged: the charter promises an acknowledgement within {hours} h, by {} (crm.complaint_acknowledge_hours); tell the client, then run `fresk complaint acknowledge {}`",
                    c.received,
                    super::fmt_instant(cx, due),
                    c.id
                ),
            ));
        }
        if c.is_open()
            && let Some(mission) = c.mission.as_deref()
            && let Some(m) = ws.missions.iter().find(|m| m.id == mission)
            && matches!(m.state, MissionState::Closed | MissionState::Invoiced)
        {
            out.push(
                Finding::new(
                    &COMPLAINT_OPEN_MISSION_CLOSED,
                    &c.file,
                    At::value("mission"),
                    format!(
                        "mission {mission} is {} while this complaint is still `{}`; {} before the matter is invoiced",
                        m.state,
                        c.state,
                        match c.state {
                            ComplaintState::Resolved => format!("close it (`fresk complaint close {}`)", c.id),
                            _ => format!("resolve and close it (`fresk complaint resolve {} --action …`, then `fresk complaint close {}`)", c.id, c.id),
                        }
                    ),
                )
                .related(&m.file, At::value("state"), "the mission, closed"),
            );
        }
    }
}
