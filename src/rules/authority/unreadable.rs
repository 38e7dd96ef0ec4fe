//! Changed data files whose typed record cannot be read: judged from their path, their base record
//! and the fields that read as YAML, refusing what cannot be told.

use super::{Actor, Refusals, STAFF, staff_reason};
use crate::diagnostics::At;
use crate::model::{DeclarationState, Kind, PayoutState};
use crate::rules::history::Compare;
use crate::workspace;
use std::path::Path;

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

const UNREAD: &str = "; its typed record cannot be read (see the file's other findings), so this was judged from its path and the fields that can be read";

/// A changed data file one side of which cannot be read: judged from its path (a mission's or
/// session's folder names the mission, a payout's id names it too), from its base record when
/// that reads, and from the fields of the working file that read as YAML. What cannot be told
/// is refused: nothing is granted that fresk cannot see.
pub(super) fn check(cmp: &Compare, actor: &Actor, file: &str, r: &mut Refusals) {
    let parts: Vec<&str> = file.split('/').collect();
    let Some(kind) = workspace::kind_of(&parts) else {
        return;
    };
    let w = cmp.work;
    let on_base = cmp.base.files.iter().any(|(f, _)| f == file);
    let on_work = std::fs::symlink_metadata(w.root.join(file)).is_ok();
    let unread = Unread {
        cmp,
        actor,
        file,
        parts,
        on_base,
        on_work,
        change: match (on_base, on_work) {
            (false, _) => "add",
            (true, false) => "delete",
            (true, true) => "change",
        },
        raw: if on_work {
            raw_fields(&w.root, file)
        } else {
            None
        },
    };
    match kind {
        Kind::Config
        | Kind::Person
        | Kind::Organisation
        | Kind::Request
        | Kind::Invoice
        | Kind::Interactions
        | Kind::Complaint => {
            r.refuse(
                file,
                At::value(""),
                unread.change,
                &format!("{}{UNREAD}", staff_reason(kind)),
                STAFF,
            );
        }
        Kind::Mission => unread.mission(r),
        Kind::Session => unread.session(r),
        Kind::Payout => unread.payout(r),
        Kind::Declaration => unread.declaration(r),
    }
}

fn needs_coordinator(c: &str) -> String {
    if c.is_empty() {
        "being the mission's coordinator, or the `staff` role".to_string()
    } else {
        format!("being its coordinator (`{c}`) or the `staff` role")
    }
}

/// What can be told of a changed file whose typed record cannot be read.
struct Unread<'c, 'a> {
    cmp: &'c Compare<'a>,
    actor: &'c Actor,
    file: &'c str,
    /// The parts of its path.
    parts: Vec<&'c str>,
    on_base: bool,
    on_work: bool,
    /// `add`, `delete` or `change`.
    change: &'static str,
    /// The working file's fields that read as YAML.
    raw: Option<crate::yaml::Node>,
}

impl Unread<'_, '_> {
    /// The text of the working file's top-level `key`, when it reads.
    fn field(&self, key: &str) -> Option<String> {
        self.raw
            .as_ref()
            .and_then(|n| n.get(key))
            .and_then(|e| e.value.as_str())
            .map(|v| v.trim().to_string())
    }

    /// Does the working file have a non-null `key`?
    fn has(&self, key: &str) -> bool {
        self.raw
            .as_ref()
            .and_then(|n| n.get(key))
            .is_some_and(|e| !e.value.is_null())
    }

    fn own(&self, coordinator: &str) -> bool {
        self.actor.coordinator && coordinator == self.actor.id
    }

    /// The coordinator of `mission` on the base.
    fn coordinator_of(&self, mission: &str) -> Option<String> {
        self.cmp
            .base_view(&self.cmp.work.missions, &self.cmp.base.missions)
            .find(|m| m.id == mission)
            .map(|m| m.coordinator.clone())
    }

    /// A mission: its coordinator on the base, or for a new one the `coordinator:` and
    /// `request:` that read.
    fn mission(&self, r: &mut Refusals) {
        let id = self.parts.get(1).copied().unwrap_or_default();
        let base = self.cmp.base.missions.iter().find(|m| m.file == self.file);
        if let Some(m) = base {
            if !self.own(&m.coordinator) {
                r.refuse(
                    self.file,
                    At::value("coordinator"),
                    self.change,
                    &format!("mission {id} is coordinated by `{}`{UNREAD}", m.coordinator),
                    &needs_coordinator(&m.coordinator),
                );
            }
            return;
        }
        if self.on_base {
            // On the base but unreadable there too: whose it is cannot be told.
            let c = self.coordinator_of(id).unwrap_or_default();
            if !self.own(&c) {
                r.refuse(
                    self.file,
                    At::value(""),
                    self.change,
                    &format!("whose mission {id} is cannot be told{UNREAD}"),
                    &needs_coordinator(&c),
                );
            }
            return;
        }
        let coordinator = self.field("coordinator").unwrap_or_default();
        let request = self.field("request").unwrap_or_default();
        let assigned = self
            .cmp
            .base_view(&self.cmp.work.requests, &self.cmp.base.requests)
            .any(|q| q.id == request && q.coordinator.as_deref() == Some(&self.actor.id));
        if !self.own(&coordinator) {
            r.refuse(
                self.file,
                At::value("coordinator"),
                self.change,
                &format!(
                    "a new mission is opened by its own coordinator, and its `coordinator:` (`{coordinator}`) is not you{UNREAD}"
                ),
                "the request assigned to you, or the `staff` role",
            );
        } else if !assigned {
            r.refuse(
                self.file,
                At::value("request"),
                self.change,
                &format!(
                    "request `{request}` is not assigned to `{}` on the base; staff assign a request (`fresk request assign`) before its coordinator opens the mission{UNREAD}",
                    self.actor.id
                ),
                "the request assigned to you, or the `staff` role",
            );
        }
    }

    /// A session: the coordinators of the missions its folder, its base record and its
    /// `mission:` name.
    fn session(&self, r: &mut Refusals) {
        let mut missions: Vec<String> = self
            .parts
            .get(1)
            .map(|m| m.to_string())
            .into_iter()
            .collect();
        missions.extend(
            self.cmp
                .base
                .sessions
                .iter()
                .filter(|s| s.file == self.file)
                .map(|s| s.mission.clone()),
        );
        missions.extend(self.field("mission"));
        for mission in missions {
            let c = self.coordinator_of(&mission).unwrap_or_default();
            if !self.own(&c) {
                let who = if c.is_empty() {
                    "no known coordinator".to_string()
                } else {
                    format!("coordinator `{c}`")
                };
                r.refuse(
                    self.file,
                    At::value("mission"),
                    self.change,
                    &format!("its mission {mission} has {who}{UNREAD}"),
                    &needs_coordinator(&c),
                );
                return;
            }
        }
    }

    /// A payout: whose mission and who requested it, and whether it is still `requested`.
    fn payout(&self, r: &mut Refusals) {
        let base = self.cmp.base.payouts.iter().find(|p| p.file == self.file);
        // `P2026-05-M2026-0042`: the id names the mission after the month.
        let from_id = self
            .parts
            .last()
            .and_then(|f| f.strip_suffix(".yaml"))
            .and_then(|id| id.get(9..))
            .map(str::to_string);
        let mut missions: Vec<String> = Vec::new();
        missions.extend(base.map(|p| p.mission.clone()));
        missions.extend(self.field("mission"));
        if missions.is_empty() {
            missions.extend(from_id);
        }
        let mut requesters: Vec<String> = Vec::new();
        requesters.extend(base.map(|p| p.requested_by.clone()));
        requesters.extend(self.field("requested_by"));
        let mission = missions.first().cloned().unwrap_or_default();
        let c = self.coordinator_of(&mission).unwrap_or_default();
        let mine = !missions.is_empty()
            && missions
                .iter()
                .all(|m| self.own(&self.coordinator_of(m).unwrap_or_default()))
            && !requesters.is_empty()
            && requesters.iter().all(|x| *x == self.actor.id);
        if !mine {
            r.refuse(
                self.file,
                At::value("requested_by"),
                self.change,
                &format!(
                    "payout for mission {mission}, coordinated by `{c}`, requested by `{}`{UNREAD}",
                    requesters.join("`, `")
                ),
                &needs_coordinator(&c),
            );
            return;
        }
        let requested = |state: Option<&str>| state.is_none_or(|s| s == "requested");
        let still_requested = base.is_none_or(|p| p.state == PayoutState::Requested)
            && (!self.on_work
                || (requested(self.field("state").as_deref())
                    && !self.has("self_invoices")
                    && !self.has("paid")));
        if !still_requested {
            r.refuse(
                self.file,
                At::value("state"),
                self.change,
                &format!(
                    "numbering, paying or moving a payout past `requested` is accounting's{UNREAD}"
                ),
                STAFF,
            );
        }
    }

    /// A declaration: whose it is, and whether it is still `declared`.
    fn declaration(&self, r: &mut Refusals) {
        let base = self
            .cmp
            .base
            .declarations
            .iter()
            .find(|d| d.file == self.file);
        let mut people: Vec<String> = Vec::new();
        people.extend(base.map(|d| d.person.clone()));
        people.extend(self.field("person"));
        let mine = self.actor.facilitator
            && !people.is_empty()
            && people.iter().all(|p| *p == self.actor.id);
        let declared = base.is_none_or(|d| d.state == DeclarationState::Declared)
            && self.on_work
            && self.field("state").is_none_or(|s| s == "declared")
            && !self.has("invoice");
        if !mine {
            r.refuse(
                self.file,
                At::value("person"),
                self.change,
                &format!(
                    "a facilitator declares only their own revenue, and this declaration is `{}`'s{UNREAD}",
                    people.join("`, `")
                ),
                "being its facilitator or the `staff` role",
            );
        } else if !declared {
            r.refuse(
                self.file,
                At::value("state"),
                self.change,
                &format!(
                    "withdrawing a declaration, and invoicing and recording the payment of usage-rights fees, are staff's{UNREAD}"
                ),
                STAFF,
            );
        }
    }
}
