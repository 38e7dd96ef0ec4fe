//! Who may do what: the roles a person needs for what they are listed as, the qualification level a
//! mission's sector requires, and where volunteers may facilitate.

use super::config_file;
use crate::diagnostics::{At, Finding};
use crate::model::session::FacilitatorStatus;
use crate::model::{Config, MissionState, Person, Role, SessionState};
use crate::rules::Context;
use crate::workspace::Workspace;

// --- missing-role -------------------------------------------------------------------------

pub(super) fn roles(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    // `route` is built only when there is a finding.
    let need = |out: &mut Vec<Finding>,
                file: &str,
                route: &dyn Fn() -> String,
                id: &str,
                role: Role,
                as_what: &str| {
        let Some(person) = cx.people.get(id) else {
            return;
        };
        if person.has_role(role) {
            return;
        }
        let has = if person.roles.is_empty() {
            "no role".to_string()
        } else {
            let names: Vec<&str> = person.roles.iter().map(|r| r.as_str()).collect();
            format!("roles [{}]", names.join(", "))
        };
        out.push(Finding::new(
            &super::MISSING_ROLE,
            file,
            At::value(&route()),
            format!(
                "`{id}` is {as_what} but has {has}, not `{role}`; add `{role}` to `roles` in {} or choose someone who has it",
                person.file,
                role = role.as_str(),
            ),
        ));
    };
    if let Some(config) = cx.config {
        let file = config_file(ws);
        for (i, id) in config.staff.iter().enumerate() {
            need(
                out,
                file,
                &|| format!("staff[{i}]"),
                id,
                Role::Staff,
                "listed as staff",
            );
        }
    }
    for r in &ws.requests {
        if let Some(owner) = &r.owner {
            need(
                out,
                &r.file,
                &|| "owner".to_string(),
                owner,
                Role::Staff,
                "the request's owner",
            );
        }
        if let Some(coordinator) = &r.coordinator {
            need(
                out,
                &r.file,
                &|| "coordinator".to_string(),
                coordinator,
                Role::Coordinator,
                "the request's coordinator",
            );
        }
        if let Some(facilitator) = &r.facilitator {
            need(
                out,
                &r.file,
                &|| "facilitator".to_string(),
                facilitator,
                Role::Facilitator,
                "the request's facilitator",
            );
        }
        let (role, as_what) = match r.track {
            crate::model::Track::Subcontracting => (Role::Coordinator, "applying to coordinate"),
            crate::model::Track::Introduction => (Role::Facilitator, "applying to facilitate"),
        };
        for (i, a) in r.applications.iter().enumerate() {
            need(
                out,
                &r.file,
                &|| format!("applications[{i}].person"),
                &a.person,
                role,
                as_what,
            );
        }
    }
    for m in &ws.missions {
        need(
            out,
            &m.file,
            &|| "coordinator".to_string(),
            &m.coordinator,
            Role::Coordinator,
            "the mission's coordinator",
        );
    }
    for s in &ws.sessions {
        for (i, b) in s.facilitators.iter().enumerate() {
            need(
                out,
                &s.file,
                &|| format!("facilitators[{i}].person"),
                &b.person,
                Role::Facilitator,
                "booked as a facilitator",
            );
        }
    }
}

// --- level-too-low ------------------------------------------------------------------------

/// Why `person` is below `needed`, or `None` when they are not (or a level is unknown, which
/// `unknown-level` reports).
pub(crate) fn below(config: &Config, person: &Person, needed: &str) -> Option<String> {
    let needed_rank = config.level_rank(needed)?;
    match &person.level {
        None => Some(format!("`{}` has no level", person.id)),
        Some(level) => {
            let rank = config.level_rank(level)?;
            (rank < needed_rank).then(|| format!("`{}` is level `{level}`", person.id))
        }
    }
}

pub(super) fn levels(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    if config.requirements.is_empty() {
        return;
    }
    let scale = config.levels.join(" < ");
    for m in &ws.missions {
        if m.state == MissionState::Cancelled {
            continue;
        }
        let Some(req) = config.requirements.get(&m.sector) else {
            continue;
        };
        if let (Some(needed), Some(person)) =
            (&req.coordinate, cx.people.get(m.coordinator.as_str()))
            && let Some(why) = below(config, person, needed)
        {
            out.push(Finding::new(
                &super::LEVEL_TOO_LOW,
                &m.file,
                At::value("coordinator"),
                format!(
                    "{why}, but coordinating a {sector} mission requires `{needed}` or higher (requirements.{sector}.coordinate; levels: {scale}); choose a coordinator of that level, or update their `level` in {file} if they have qualified",
                    sector = m.sector.as_str(),
                    file = person.file,
                ),
            ));
        }
    }
    for s in &ws.sessions {
        if s.state == SessionState::Cancelled {
            continue;
        }
        let Some(m) = cx.missions.get(s.mission.as_str()) else {
            continue;
        };
        let Some(needed) = config
            .requirements
            .get(&m.sector)
            .and_then(|r| r.facilitate.as_ref())
        else {
            continue;
        };
        for (i, b) in s.facilitators.iter().enumerate() {
            let Some(person) = cx.people.get(b.person.as_str()) else {
                continue;
            };
            if let Some(why) = below(config, person, needed) {
                out.push(Finding::new(
                    &super::LEVEL_TOO_LOW,
                    &s.file,
                    At::value(&format!("facilitators[{i}].person")),
                    format!(
                        "{why}, but facilitating on mission {mission} ({sector}) requires `{needed}` or higher (requirements.{sector}.facilitate; levels: {scale}); book a facilitator of that level, or update their `level` in {file} if they have qualified",
                        mission = m.id,
                        sector = m.sector.as_str(),
                        file = person.file,
                    ),
                ));
            }
        }
    }
}

// --- volunteer-not-allowed ----------------------------------------------------------------

pub(super) fn volunteers(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    for s in &ws.sessions {
        if s.state == SessionState::Cancelled {
            continue;
        }
        let Some(m) = cx.missions.get(s.mission.as_str()) else {
            continue;
        };
        if config.volunteer_sectors.contains(&m.sector) {
            continue;
        }
        for (i, b) in s.facilitators.iter().enumerate() {
            if b.status == FacilitatorStatus::Volunteer {
                let allowed = if config.volunteer_sectors.is_empty() {
                    "no sector (volunteer_sectors is empty)".to_string()
                } else {
                    let names: Vec<&str> = config
                        .volunteer_sectors
                        .iter()
                        .map(|s| s.as_str())
                        .collect();
                    names.join(", ")
                };
                out.push(Finding::new(
                    &super::VOLUNTEER_NOT_ALLOWED,
                    &s.file,
                    At::value(&format!("facilitators[{i}].status")),
                    format!(
                        "`{}` is a volunteer on mission {} of sector {}, but volunteers are allowed only on {allowed} (volunteer_sectors in fresk.yaml); make the booking `paid` or `internal`, or book someone else",
                        b.person,
                        m.id,
                        m.sector.as_str()
                    ),
                ));
            }
        }
    }
}
