//! Authority rules (`fresk lint --base REV --actor WHO`): each changed file checked against what
//! the actor may do. Roles are read from the base, so a change cannot grant itself a role.
//!
//! - staff may change anything;
//! - a coordinator may change their own missions (not mark them invoiced), the sessions of their
//!   missions, and their own payout requests while `requested` (not number, invoice, reject or
//!   mark them paid);
//! - a facilitator may add (and edit, while `declared`) their own usage-rights declarations;
//! - everything else — fresk.yaml, people, organisations, requests, client invoices, and every
//!   path of the repository that is not a data file (templates and labels, `.gitignore`, CI
//!   settings, force-added `private/` files) — is staff's.
//!
//! A changed data file that cannot be read (syntax or shape errors) is still judged, from its
//! path and the fields that can be read, so that its errors never hide a `not-allowed`.

use super::history::{Compare, first_difference, json};
use crate::diagnostics::{At, Finding};
use crate::git::PathChange;
use crate::model::{DeclarationState, Kind, MissionState, PayoutState, Role};
use crate::rules;
use crate::workspace::{self, CONFIG_FILE, Loaded};
use crate::yaml::{Pos, Span};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

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

const STAFF: &str = "the `staff` role";

/// Why a kind of file that no role is granted is staff's.
fn staff_reason(kind: Kind) -> &'static str {
    match kind {
        Kind::Config => "the configuration (staff, rates, series, policies) is staff's",
        Kind::Person => "people files (roles, `git:` logins, billing) are staff's",
        Kind::Organisation => "client organisations are kept by staff",
        Kind::Request => {
            "logging, qualifying, quoting, winning, losing, publishing and assigning requests is staff's work"
        }
        Kind::Invoice => "client invoices and credit notes are issued and followed by staff",
        _ => "this file is staff's",
    }
}

/// Check every change against what `actor` may do: `paths` is every path of the repository
/// that differs from the base ([`crate::git::changed_paths`]), data files included.
pub fn check(
    cmp: &Compare,
    actor: &Actor,
    paths: &BTreeMap<String, PathChange>,
    out: &mut Vec<Finding>,
) {
    if actor.staff {
        return;
    }
    let mut r = Refusals { actor, out };
    // The changed data files judged from their records; the others cannot be read.
    let mut judged: HashSet<String> = HashSet::new();
    records(cmp, actor, &mut r, &mut judged);
    for file in cmp.changed.iter() {
        if !judged.contains(file.as_str()) {
            unreadable(cmp, actor, file, &mut r);
        }
    }
    for (path, change) in paths {
        let parts: Vec<&str> = path.split('/').collect();
        if workspace::kind_of(&parts).is_none() {
            not_data(&mut r, path, *change);
        }
    }
}

/// Every path that is not a data file is staff's: nothing else is granted to a role.
fn not_data(r: &mut Refusals, path: &str, change: PathChange) {
    let verb = match change {
        PathChange::Added => "add",
        PathChange::Modified => "change",
        PathChange::Deleted => "delete",
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    let why = if path.starts_with("../") {
        "it lies outside the workspace, in the repository that holds it, and only workspace files are granted to roles"
    } else if workspace::is_private_path(path) || path == "private" {
        "private/ holds rosters, bank details and certificates, which must never be committed; take it out of the branch (`git rm -r --cached private`, the files stay on disk)"
    } else if path.starts_with("templates/labels/") {
        "labels are the words every rendered document prints"
    } else if path.starts_with("templates/") {
        "templates decide what every rendered document prints, mandatory mentions included"
    } else if name == ".gitignore" || name == ".gitattributes" {
        "it decides what git keeps out of the repository (private/ with its rosters) and how files are stored"
    } else if path.starts_with(".github/")
        || path.starts_with(".gitlab")
        || path.starts_with(".forgejo/")
        || name == "CODEOWNERS"
    {
        "CI and review settings decide what checks and who approves a pull request"
    } else if path.starts_with("schema/") {
        "the schemas are generated by fresk (`fresk schema --write`)"
    } else {
        "only workspace data files are granted to roles (a coordinator's own missions, sessions and payout requests, a facilitator's own declarations); every other file is staff's"
    };
    // Never a route: the file is not read (it may be large, binary, or a roster).
    r.refuse(
        path,
        At::Span(Span::point(Pos { line: 1, column: 1 })),
        verb,
        why,
        STAFF,
    );
}

/// The changed data files both of whose sides could be read (or are absent), judged from their
/// records; each is added to `judged`.
fn records(cmp: &Compare, actor: &Actor, r: &mut Refusals, judged: &mut HashSet<String>) {
    let (w, b) = (cmp.work, cmp.base);
    let staff = STAFF;

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
    if let Some(route) = &config_change {
        r.refuse(
            CONFIG_FILE,
            At::value(route),
            &format!("change `{route}` in"),
            staff_reason(Kind::Config),
            staff,
        );
    }
    // Either side readable (or absent), or already refused: judged. Both unreadable: not.
    let readable = |ws: &crate::workspace::Workspace| {
        ws.config.is_some() || !ws.files.iter().any(|(f, _)| f == CONFIG_FILE)
    };
    if config_change.is_some() || (readable(w) && readable(b)) {
        judged.insert(CONFIG_FILE.to_string());
    }
    staff_only(r, judged, cmp.pairs(&w.people, &b.people), Kind::Person);
    staff_only(
        r,
        judged,
        cmp.pairs(&w.organisations, &b.organisations),
        Kind::Organisation,
    );
    staff_only(
        r,
        judged,
        cmp.pairs(&w.requests, &b.requests),
        Kind::Request,
    );
    staff_only(
        r,
        judged,
        cmp.pairs(&w.invoices, &b.invoices),
        Kind::Invoice,
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
        judged.insert(p.file.to_string());
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
        judged.insert(p.file.to_string());
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
        judged.insert(p.file.to_string());
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
        judged.insert(p.file.to_string());
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

fn staff_only<T: Serialize>(
    r: &mut Refusals,
    judged: &mut HashSet<String>,
    pairs: Vec<super::history::Pair<'_, T>>,
    kind: Kind,
) {
    for p in pairs {
        judged.insert(p.file.to_string());
        if let Some((change, at)) = change_of(p.base, p.work) {
            r.refuse(p.file, at, &change, staff_reason(kind), STAFF);
        }
    }
}

/// The fields of the working file `file` that can be read as YAML, when its typed record could
/// not be built (shape errors). Only a file that lies inside the workspace is read.
fn raw_fields(root: &Path, file: &str) -> Option<crate::yaml::Node> {
    let real = root.join(file).canonicalize().ok()?;
    if !real.starts_with(root.canonicalize().ok()?) {
        return None;
    }
    if std::fs::metadata(&real).ok()?.len() > crate::yaml::MAX_FILE_BYTES {
        return None;
    }
    let text = crate::yaml::decode(std::fs::read(&real).ok()?).ok()?.text;
    crate::yaml::parse(&text).root
}

/// A changed data file one side of which cannot be read: judged from its path (a mission's or
/// session's folder names the mission, a payout's id names it too), from its base record when
/// that reads, and from the fields of the working file that read as YAML. What cannot be told
/// is refused: nothing is granted that fresk cannot see.
fn unreadable(cmp: &Compare, actor: &Actor, file: &str, r: &mut Refusals) {
    let parts: Vec<&str> = file.split('/').collect();
    let Some(kind) = workspace::kind_of(&parts) else {
        return;
    };
    let (w, b) = (cmp.work, cmp.base);
    let on_base = b.files.iter().any(|(f, _)| f == file);
    let on_work = std::fs::symlink_metadata(w.root.join(file)).is_ok();
    let change = match (on_base, on_work) {
        (false, _) => "add",
        (true, false) => "delete",
        (true, true) => "change",
    };
    let raw = if on_work {
        raw_fields(&w.root, file)
    } else {
        None
    };
    let field = |key: &str| -> Option<String> {
        raw.as_ref()
            .and_then(|n| n.get(key))
            .and_then(|e| e.value.as_str())
            .map(|v| v.trim().to_string())
    };
    let has = |key: &str| {
        raw.as_ref()
            .and_then(|n| n.get(key))
            .is_some_and(|e| !e.value.is_null())
    };
    let unread = "; its typed record cannot be read (see the file's other findings), so this was judged from its path and the fields that can be read";
    let own = |coordinator: &str| actor.coordinator && coordinator == actor.id;
    let coordinator_of = |mission: &str| {
        cmp.base_view(&w.missions, &b.missions)
            .find(|m| m.id == mission)
            .map(|m| m.coordinator.clone())
    };
    let needs_coordinator = |c: &str| {
        if c.is_empty() {
            "being the mission's coordinator, or the `staff` role".to_string()
        } else {
            format!("being its coordinator (`{c}`) or the `staff` role")
        }
    };
    let top = At::value("");
    match kind {
        Kind::Config | Kind::Person | Kind::Organisation | Kind::Request | Kind::Invoice => {
            r.refuse(
                file,
                top,
                change,
                &format!("{}{unread}", staff_reason(kind)),
                STAFF,
            );
        }
        Kind::Mission => {
            let id = parts.get(1).copied().unwrap_or_default();
            let base = b.missions.iter().find(|m| m.file == file);
            if let Some(m) = base {
                if !own(&m.coordinator) {
                    r.refuse(
                        file,
                        At::value("coordinator"),
                        change,
                        &format!("mission {id} is coordinated by `{}`{unread}", m.coordinator),
                        &needs_coordinator(&m.coordinator),
                    );
                }
                return;
            }
            if on_base {
                // On the base but unreadable there too: whose it is cannot be told.
                let c = coordinator_of(id).unwrap_or_default();
                if !own(&c) {
                    r.refuse(
                        file,
                        top,
                        change,
                        &format!("whose mission {id} is cannot be told{unread}"),
                        &needs_coordinator(&c),
                    );
                }
                return;
            }
            let coordinator = field("coordinator").unwrap_or_default();
            let request = field("request").unwrap_or_default();
            let assigned = cmp
                .base_view(&w.requests, &b.requests)
                .any(|q| q.id == request && q.coordinator.as_deref() == Some(&actor.id));
            if !own(&coordinator) {
                r.refuse(
                    file,
                    At::value("coordinator"),
                    change,
                    &format!(
                        "a new mission is opened by its own coordinator, and its `coordinator:` (`{coordinator}`) is not you{unread}"
                    ),
                    "the request assigned to you, or the `staff` role",
                );
            } else if !assigned {
                r.refuse(
                    file,
                    At::value("request"),
                    change,
                    &format!(
                        "request `{request}` is not assigned to `{}` on the base; staff assign a request (`fresk request assign`) before its coordinator opens the mission{unread}",
                        actor.id
                    ),
                    "the request assigned to you, or the `staff` role",
                );
            }
        }
        Kind::Session => {
            let mut missions: Vec<String> =
                parts.get(1).map(|m| m.to_string()).into_iter().collect();
            missions.extend(
                b.sessions
                    .iter()
                    .filter(|s| s.file == file)
                    .map(|s| s.mission.clone()),
            );
            missions.extend(field("mission"));
            for mission in missions {
                let c = coordinator_of(&mission).unwrap_or_default();
                if !own(&c) {
                    let who = if c.is_empty() {
                        "no known coordinator".to_string()
                    } else {
                        format!("coordinator `{c}`")
                    };
                    r.refuse(
                        file,
                        At::value("mission"),
                        change,
                        &format!("its mission {mission} has {who}{unread}"),
                        &needs_coordinator(&c),
                    );
                    return;
                }
            }
        }
        Kind::Payout => {
            let base = b.payouts.iter().find(|p| p.file == file);
            // `P2026-05-M2026-0042`: the id names the mission after the month.
            let from_id = parts
                .last()
                .and_then(|f| f.strip_suffix(".yaml"))
                .and_then(|id| id.get(9..))
                .map(str::to_string);
            let mut missions: Vec<String> = Vec::new();
            missions.extend(base.map(|p| p.mission.clone()));
            missions.extend(field("mission"));
            if missions.is_empty() {
                missions.extend(from_id);
            }
            let mut requesters: Vec<String> = Vec::new();
            requesters.extend(base.map(|p| p.requested_by.clone()));
            requesters.extend(field("requested_by"));
            let mission = missions.first().cloned().unwrap_or_default();
            let c = coordinator_of(&mission).unwrap_or_default();
            let mine = !missions.is_empty()
                && missions
                    .iter()
                    .all(|m| own(&coordinator_of(m).unwrap_or_default()))
                && !requesters.is_empty()
                && requesters.iter().all(|x| *x == actor.id);
            if !mine {
                r.refuse(
                    file,
                    At::value("requested_by"),
                    change,
                    &format!(
                        "payout for mission {mission}, coordinated by `{c}`, requested by `{}`{unread}",
                        requesters.join("`, `")
                    ),
                    &needs_coordinator(&c),
                );
                return;
            }
            let requested = |state: Option<&str>| state.is_none_or(|s| s == "requested");
            let still_requested = base.is_none_or(|p| p.state == PayoutState::Requested)
                && (!on_work
                    || (requested(field("state").as_deref())
                        && !has("self_invoices")
                        && !has("paid")));
            if !still_requested {
                r.refuse(
                    file,
                    At::value("state"),
                    change,
                    &format!(
                        "numbering, paying or moving a payout past `requested` is accounting's{unread}"
                    ),
                    STAFF,
                );
            }
        }
        Kind::Declaration => {
            let base = b.declarations.iter().find(|d| d.file == file);
            let mut people: Vec<String> = Vec::new();
            people.extend(base.map(|d| d.person.clone()));
            people.extend(field("person"));
            let mine =
                actor.facilitator && !people.is_empty() && people.iter().all(|p| *p == actor.id);
            let declared = base.is_none_or(|d| d.state == DeclarationState::Declared)
                && on_work
                && field("state").is_none_or(|s| s == "declared")
                && !has("invoice");
            if !mine {
                r.refuse(
                    file,
                    At::value("person"),
                    change,
                    &format!(
                        "a facilitator declares only their own revenue, and this declaration is `{}`'s{unread}",
                        people.join("`, `")
                    ),
                    "being its facilitator or the `staff` role",
                );
            } else if !declared {
                r.refuse(
                    file,
                    At::value("state"),
                    change,
                    &format!(
                        "withdrawing a declaration, and invoicing and recording the payment of usage-rights fees, are staff's{unread}"
                    ),
                    STAFF,
                );
            }
        }
    }
}
