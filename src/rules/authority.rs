//! Authority rules (`fresk lint --base REV --actor WHO`): each changed file checked against what
//! the actor may do. Roles are read from the base, so a change cannot grant itself a role.
//!
//! - staff may change anything;
//! - a coordinator may change their own missions (not mark them invoiced), the sessions of their
//!   missions, and their own payout requests while `requested` (not number, invoice, reject or
//!   mark them paid);
//! - a facilitator may add (and edit, while `declared`) their own usage-rights declarations;
//! - everything else — fresk.yaml, people, organisations, requests, client invoices — is staff's.

use super::history::{Compare, first_difference, json};
use crate::diagnostics::{At, Finding};
use crate::model::{DeclarationState, MissionState, PayoutState, Role};
use crate::rules;
use crate::workspace::{CONFIG_FILE, Loaded};
use serde::Serialize;

/// The person a `--actor` login or e-mail maps to, with their roles on the base.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub staff: bool,
    pub coordinator: bool,
    pub facilitator: bool,
}

impl Actor {
    fn describe(&self) -> String {
        let mut roles = Vec::new();
        if self.staff {
            roles.push("staff");
        }
        if self.coordinator {
            roles.push("coordinator");
        }
        if self.facilitator {
            roles.push("facilitator");
        }
        if roles.is_empty() {
            roles.push("no role");
        }
        format!("`{}` ({})", self.id, roles.join(", "))
    }
}

/// Map `who` (a forge login or commit e-mail) to a person through the `git:` lists of the
/// base's people files. An error says what to do (exit code 2).
pub fn resolve_actor(cmp: &Compare, who: &str) -> Result<Actor, String> {
    let who = who.trim();
    let matches: Vec<&Loaded<crate::model::Person>> = cmp
        .base_view(&cmp.work.people, &cmp.base.people)
        .filter(|p| p.git.iter().any(|g| g.trim().eq_ignore_ascii_case(who)))
        .collect();
    let person = match matches.as_slice() {
        [one] => *one,
        [] => {
            return Err(format!(
                "unknown actor `{who}`: no file in people/ on the base lists it under `git:`; staff add the forge login or commit e-mail to that person's `git:` list (e.g. `git: [{who}]`) and merge it first"
            ));
        }
        several => {
            let files: Vec<&str> = several.iter().map(|p| p.file.as_str()).collect();
            return Err(format!(
                "actor `{who}` is listed under `git:` in several people files ({}); keep it on one person",
                files.join(", ")
            ));
        }
    };
    let config = if cmp.is_changed(CONFIG_FILE) {
        cmp.base.config.as_ref()
    } else {
        cmp.work.config.as_ref()
    };
    let listed_staff = config.is_some_and(|c| c.staff.iter().any(|s| *s == person.id));
    Ok(Actor {
        id: person.id.clone(),
        staff: listed_staff || person.has_role(Role::Staff),
        coordinator: person.has_role(Role::Coordinator),
        facilitator: person.has_role(Role::Facilitator),
    })
}

/// What a change does to a file, for messages, and where it points.
fn change_of<T: Serialize>(
    base: Option<&Loaded<T>>,
    work: Option<&Loaded<T>>,
) -> Option<(String, At)> {
    match (base, work) {
        (None, Some(_)) => Some(("add".to_string(), At::value("id"))),
        (Some(_), None) => Some(("delete".to_string(), At::value(""))),
        (Some(x), Some(y)) => first_difference(&json(&x.value), &json(&y.value))
            .map(|route| (format!("change `{route}` in"), At::value(&route))),
        (None, None) => None,
    }
}

struct Refusals<'a> {
    actor: &'a Actor,
    out: &'a mut Vec<Finding>,
}

impl Refusals<'_> {
    fn refuse(&mut self, file: &str, at: At, change: &str, why: &str, needs: &str) {
        self.out.push(Finding::new(
            &rules::NOT_ALLOWED,
            file,
            at,
            format!(
                "{} may not {change} {file}: {why}; this needs {needs} — ask staff to make this change, or to review and merge it as their own",
                self.actor.describe()
            ),
        ));
    }
}

pub fn check(cmp: &Compare, actor: &Actor, out: &mut Vec<Finding>) {
    if actor.staff {
        return;
    }
    let mut r = Refusals { actor, out };
    let (w, b) = (cmp.work, cmp.base);
    let staff = "the `staff` role";

    let config = |ws: &crate::workspace::Workspace| ws.config.as_ref().map(|c| json(&c.value));
    let config_change = cmp
        .is_changed(CONFIG_FILE)
        .then(|| {
            first_difference(
                &config(b).unwrap_or_default(),
                &config(w).unwrap_or_default(),
            )
        })
        .flatten();
    if let Some(route) = config_change {
        r.refuse(
            CONFIG_FILE,
            At::value(&route),
            &format!("change `{route}` in"),
            "the configuration (staff, rates, series, policies) is staff's",
            staff,
        );
    }
    staff_only(
        &mut r,
        cmp.pairs(&w.people, &b.people),
        "people files (roles, `git:` logins, billing) are staff's",
    );
    staff_only(
        &mut r,
        cmp.pairs(&w.organisations, &b.organisations),
        "client organisations are kept by staff",
    );
    staff_only(
        &mut r,
        cmp.pairs(&w.requests, &b.requests),
        "logging, qualifying, quoting, winning, losing, publishing and assigning requests is staff's work",
    );
    staff_only(
        &mut r,
        cmp.pairs(&w.invoices, &b.invoices),
        "client invoices and credit notes are issued and followed by staff",
    );

    let own = |coordinator: &str| actor.coordinator && coordinator == actor.id;
    let coordinator_of = |mission: &str| {
        cmp.base_view(&w.missions, &b.missions)
            .chain(w.missions.iter())
            .find(|m| m.id == mission)
            .map(|m| m.coordinator.clone())
    };
    let needs_coordinator = |c: &str| format!("being its coordinator (`{c}`) or the `staff` role");

    for p in cmp.pairs(&w.missions, &b.missions) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            continue;
        };
        let sides = [p.base, p.work];
        if let Some(m) = sides.into_iter().flatten().find(|m| !own(&m.coordinator)) {
            let at = if p.base.is_none() || p.work.is_some_and(|y| y.coordinator != m.coordinator) {
                At::value("coordinator")
            } else {
                at
            };
            r.refuse(
                p.file,
                at,
                &change,
                &format!("mission {} is coordinated by `{}`", m.id, m.coordinator),
                &needs_coordinator(&m.coordinator),
            );
        } else if let Some(y) = p.work.filter(|y| {
            p.base.is_none()
                && !cmp
                    .base_view(&w.requests, &b.requests)
                    .any(|r| r.id == y.request && r.coordinator.as_deref() == Some(&actor.id))
        }) {
            r.refuse(
                p.file,
                At::value("request"),
                &change,
                &format!(
                    "request {} is not assigned to `{}` on the base; staff assign a request (`fresk request assign`) before its coordinator opens the mission",
                    y.request, actor.id
                ),
                "the request assigned to you, or the `staff` role",
            );
        } else if let Some(y) = p.work.filter(|y| {
            y.state == MissionState::Invoiced
                && p.base.is_none_or(|x| x.state != MissionState::Invoiced)
        }) {
            r.refuse(
                p.file,
                At::value("state"),
                "change `state` in",
                &format!(
                    "marking mission {} invoiced is accounting's (`fresk invoice issue` on main)",
                    y.id
                ),
                staff,
            );
        }
    }

    for p in cmp.pairs(&w.sessions, &b.sessions) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            continue;
        };
        let missions = [p.base, p.work]
            .into_iter()
            .flatten()
            .map(|s| s.mission.as_str());
        for mission in missions {
            let coordinator = coordinator_of(mission).unwrap_or_default();
            if !own(&coordinator) {
                let who = if coordinator.is_empty() {
                    "no known coordinator".to_string()
                } else {
                    format!("coordinator `{coordinator}`")
                };
                let at = if p.base.is_none() {
                    At::value("mission")
                } else {
                    at
                };
                r.refuse(
                    p.file,
                    at,
                    &change,
                    &format!("its mission {mission} has {who}"),
                    &needs_coordinator(&coordinator),
                );
                break;
            }
        }
    }

    for p in cmp.pairs(&w.payouts, &b.payouts) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            continue;
        };
        let sides: Vec<_> = [p.base, p.work].into_iter().flatten().collect();
        let mut refused = false;
        for side in &sides {
            let coordinator = coordinator_of(&side.mission).unwrap_or_default();
            if !own(&coordinator) || side.requested_by != actor.id {
                let at = if p.base.is_none() {
                    At::value("requested_by")
                } else {
                    at.clone()
                };
                r.refuse(p.file, at, &change, &format!("payout {} is for mission {}, coordinated by `{coordinator}`, requested by `{}`", side.id, side.mission, side.requested_by), &needs_coordinator(&coordinator));
                refused = true;
                break;
            }
        }
        if refused {
            continue;
        }
        let Some(y) = p.work else {
            if p.base.is_some_and(|x| x.state != PayoutState::Requested) {
                r.refuse(
                    p.file,
                    At::value(""),
                    "delete",
                    "only a payout still `requested` may be withdrawn by its coordinator",
                    staff,
                );
            }
            continue;
        };
        let numbered = p.base.map_or(!y.self_invoices.is_empty(), |x| {
            json(&x.self_invoices) != json(&y.self_invoices)
        });
        if numbered {
            r.refuse(
                p.file,
                At::value("self_invoices"),
                "change `self_invoices` in",
                "numbering self-invoices is accounting's (`fresk payout invoice` on main)",
                staff,
            );
        } else if p
            .base
            .map_or(y.paid.is_some(), |x| json(&x.paid) != json(&y.paid))
        {
            r.refuse(
                p.file,
                At::value("paid"),
                "change `paid` in",
                "recording a payment is accounting's (`fresk payout pay` on main)",
                staff,
            );
        } else if y.state != PayoutState::Requested
            || p.base.is_some_and(|x| x.state != PayoutState::Requested)
        {
            r.refuse(
                p.file,
                At::value("state"),
                "change `state` in",
                &format!("moving a payout to `{}` is accounting's", y.state),
                staff,
            );
        }
    }

    for p in cmp.pairs(&w.declarations, &b.declarations) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            continue;
        };
        let needs = "being its facilitator or the `staff` role";
        let Some(y) = p.work else {
            r.refuse(
                p.file,
                at,
                &change,
                "a declaration, once made, is withdrawn by staff",
                staff,
            );
            continue;
        };
        if let Some(d) = [p.base, p.work]
            .into_iter()
            .flatten()
            .find(|d| !(actor.facilitator && d.person == actor.id))
        {
            r.refuse(
                p.file,
                At::value("person"),
                &change,
                &format!(
                    "declaration {} is `{}`'s; a facilitator declares only their own revenue",
                    d.id, d.person
                ),
                needs,
            );
        } else if y.state != DeclarationState::Declared
            || y.invoice.is_some()
            || p.base
                .is_some_and(|x| x.state != DeclarationState::Declared)
        {
            r.refuse(
                p.file,
                At::value("state"),
                &change,
                "invoicing and recording the payment of usage-rights fees is accounting's",
                staff,
            );
        }
    }
}

fn staff_only<T: Serialize>(r: &mut Refusals, pairs: Vec<super::history::Pair<'_, T>>, why: &str) {
    for p in pairs {
        if let Some((change, at)) = change_of(p.base, p.work) {
            r.refuse(p.file, at, &change, why, "the `staff` role");
        }
    }
}
