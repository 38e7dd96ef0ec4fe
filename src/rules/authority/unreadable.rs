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

/// A changed data file one side of which cannot be read: judged from its path (a mission's or
/// session's folder names the mission, a payout's id names it too), from its base record when
/// that reads, and from the fields of the working file that read as YAML. What cannot be told
/// is refused: nothing is granted that fresk cannot see.
pub(super) fn check(cmp: &Compare, actor: &Actor, file: &str, r: &mut Refusals) {
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
