//! Who may take a published request: the role its track needs, the level the client's sector
//! requires, the language it is run in; and whether applications are still open.

use super::config::Config;
use super::person::{Person, Role};
use super::request::{Request, Track};
use super::time::Date;
use super::{RequestState, Sector};

/// The role an applicant needs: a coordinator on the subcontracting track, a facilitator (who
/// contracts directly) on the introduction track.
pub fn applicant_role(track: Track) -> Role {
    match track {
        Track::Subcontracting => Role::Coordinator,
        Track::Introduction => Role::Facilitator,
    }
}

/// The field of the request the chosen applicant goes to.
pub fn assignee_field(track: Track) -> &'static str {
    match track {
        Track::Subcontracting => "coordinator",
        Track::Introduction => "facilitator",
    }
}

/// The lowest level `requirements` asks of whoever takes a request of `sector`.
pub fn required_level(config: &Config, sector: Sector, track: Track) -> Option<&str> {
    let req = config.requirements.get(&sector)?;
    match track {
        Track::Subcontracting => req.coordinate.as_deref(),
        Track::Introduction => req.facilitate.as_deref(),
    }
}

/// Why `person` may not take `r` (role, then level), or `None` when they may.
pub fn unfit(
    config: &Config,
    person: &Person,
    r: &Request,
    sector: Option<Sector>,
) -> Option<String> {
    let role = applicant_role(r.track);
    if !person.has_role(role) {
        let has: Vec<&str> = person.roles.iter().map(|r| r.as_str()).collect();
        return Some(format!(
            "`{}` has roles [{}], not `{role}`, which taking a request on the {} track needs",
            person.id,
            has.join(", "),
            r.track
        ));
    }
    let sector = sector?;
    let needed = required_level(config, sector, r.track)?;
    let needed_rank = config.level_rank(needed)?;
    let rank = person.level.as_deref().and_then(|l| config.level_rank(l));
    if rank.is_some_and(|rank| rank >= needed_rank) {
        return None;
    }
    let is = person
        .level
        .as_deref()
        .map_or_else(|| "has no level".into(), |l| format!("is level `{l}`"));
    Some(format!(
        "`{}` {is}, but a {} client requires `{needed}` or higher (requirements.{}.{} in fresk.yaml; levels: {})",
        person.id,
        sector.as_str(),
        sector.as_str(),
        if r.track == Track::Subcontracting {
            "coordinate"
        } else {
            "facilitate"
        },
        config.levels.join(" < ")
    ))
}

/// Whether `person` works in the request's language (any, when either is not said).
pub fn speaks(person: &Person, r: &Request) -> bool {
    match r.need.as_ref().and_then(|n| n.language.as_deref()) {
        Some(lang) => person.languages.is_empty() || person.languages.iter().any(|l| l == lang),
        None => true,
    }
}

/// Whether applications to `r` are open on `today`: published, and not past `apply_until`.
pub fn open_on(r: &Request, today: Date) -> bool {
    r.state == RequestState::Published && r.apply_until.is_none_or(|u| today <= u)
}
