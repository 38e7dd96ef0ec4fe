//! Authority rules (`fresk lint --base REV --actor WHO`): each changed file checked against what
//! the actor may do. Roles are read from the base, so a change cannot grant itself a role.
//!
//! - staff may change anything;
//! - a coordinator may change their own missions (not mark them invoiced), the sessions of their
//!   missions, and their own payout requests while `requested` (not number, invoice, reject or
//!   mark them paid);
//! - a facilitator may add (and edit, while `declared`) their own usage-rights declarations;
//! - a facilitator (a coordinator, on the subcontracting track) may add or withdraw their own
//!   application on a published request, and a facilitator may take or leave an open seat on a
//!   planned session of an open mission before it starts — nothing else in those files;
//! - everything else — fresk.yaml, people, organisations, requests, client invoices, and every
//!   path of the repository that is not a data file (templates and labels, `.gitignore`, CI
//!   settings, force-added `private/` files) — is staff's.
//!
//! A changed data file that cannot be read (syntax or shape errors) is still judged, from its
//! path and the fields that can be read, so that its errors never hide a `not-allowed`.

mod records;
mod self_service;
mod unreadable;

use super::history::{Compare, first_difference, json};
use crate::diagnostics::{At, Finding};
use crate::git::PathChange;
use crate::model::{Kind, Role};
use crate::workspace::{self, CONFIG_FILE, Loaded};
use crate::yaml::{Pos, Span};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

use crate::diagnostics::declare_rules;

declare_rules! {
    /// with --actor: a change the actor's role does not allow (names the role it needs)
    ///
    /// In a pull request, `fresk lint --base REV --actor WHO` checks each change against what
    /// its author may do; WHO (a forge login or commit e-mail) is found in the `git:` lists of
    /// people/, and roles are read from the base, so a change cannot grant itself one. Staff
    /// may change anything. A coordinator may change their own missions (not mark them
    /// invoiced), the sessions of their missions, and their own payout requests while
    /// `requested`; a facilitator may add and edit their own declarations while `declared`,
    /// add or withdraw their own application on a published request (a coordinator too, on the
    /// subcontracting track), and take or leave an open seat (`seats`, `open_seats`) on a
    /// planned session of an open mission before it starts — nothing else in those files.
    /// Everything else — fresk.yaml, people, organisations, requests, invoices, templates, CI
    /// settings, any other file — is staff's. The message names the role the change needs: ask
    /// staff to make it, or to review and merge it as theirs.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/mission.yaml, changed by antoine-roux (coordinator of M2026-0006
    /// # only)
    /// coordinator: antoine-roux
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/mission.yaml, changed by antoine-roux, its coordinator
    /// coordinator: antoine-roux
    /// notes: Second training day moved to 21 May.
    /// ```
    NOT_ALLOWED = "not-allowed", Authority, Error;
}

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
    let mut matches: Vec<&Loaded<crate::model::Person>> = cmp
        .base_view(&cmp.work.people, &cmp.base.people)
        .filter(|p| p.git.iter().any(|g| g.trim().eq_ignore_ascii_case(who)))
        .collect();
    // A commit e-mail (the pre-commit hook's actor) not listed under `git:` is the person's
    // `email:`; a forge login has no `@`, so it never matches here.
    if matches.is_empty() && who.contains('@') {
        matches = cmp
            .base_view(&cmp.work.people, &cmp.base.people)
            .filter(|p| {
                p.email
                    .as_deref()
                    .is_some_and(|e| e.trim().eq_ignore_ascii_case(who))
            })
            .collect();
    }
    let person = match matches.as_slice() {
        [one] => *one,
        [] => {
            return Err(format!(
                "unknown actor `{who}`: no file in people/ on the base lists it under `git:` (nor as `email:`); staff add the forge login or commit e-mail to that person's `git:` list (e.g. `git: [{who}]`) and merge it first"
            ));
        }
        several => {
            let files: Vec<&str> = several.iter().map(|p| p.file.as_str()).collect();
            return Err(format!(
                "actor `{who}` is listed in several people files ({}); keep it on one person",
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
            &NOT_ALLOWED,
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
        Kind::Interactions => {
            "the history of contacts with clients and its callbacks is kept by staff"
        }
        Kind::Complaint => "complaints are handled by staff",
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
    records::check(cmp, actor, &mut r, &mut judged);
    for file in cmp.changed.iter() {
        if !judged.contains(file.as_str()) {
            unreadable::check(cmp, actor, file, &mut r);
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
