//! History rules (`fresk lint --base REV`): what a change may do to the files of its base —
//! lifecycle steps, immutable closed missions and issued documents, numbering only on main,
//! sessions planned before they happen, and payouts requested once.
//!
//! Only the files the change touches are compared; every other file is byte-identical on both
//! sides, so its base version is its working-tree version.

mod frozen;
mod numbers;
mod transitions;

use crate::diagnostics::{At, Finding};
use crate::git::{History, Planned};
use crate::model::Kind;
use crate::model::{Mission, PayoutState};
use crate::workspace::{self, Kinds, Loaded, Workspace};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

use crate::diagnostics::declare_rules;

declare_rules! {
    /// with --base: a state change that is not a step of its lifecycle
    ///
    /// Each kind of file moves through its states by steps (a request from `received` to
    /// `qualified` or `lost`, a session from `planned` to `held` or `cancelled`…), each made by
    /// a fresk command that records what the step needs. With `--base REV`, a file whose state
    /// differs from the base must have moved by steps of its lifecycle — directly, or one step
    /// per commit of the change. The message says where the state may go from there; take one
    /// step at a time, or restore the state.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0007.yaml: `received` on the base
    /// state: won
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0007.yaml: `received` on the base
    /// state: qualified
    /// ```
    ILLEGAL_TRANSITION = "illegal-transition", History, Error;
    /// with --base: a change to a closed, invoiced or cancelled mission, or to its sessions
    ///
    /// A mission closed, invoiced or cancelled on the base is final, and so are its sessions:
    /// payouts and invoices were made from them. A change that edits anything but the `state`
    /// of such a mission (its next step is `illegal-transition`'s business), deletes it, or
    /// adds, edits or deletes one of its sessions is a finding. Restore the files; a correction after
    /// closing goes through staff, e.g. with a credit note.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0003/sessions/M2026-0003-S03.yaml (M2026-0003 invoiced on the base)
    /// participants: { expected: 20, attended: 22 }   # was 19
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0003/sessions/M2026-0003-S03.yaml, as on the base
    /// participants: { expected: 20, attended: 19 }
    /// ```
    CLOSED_MISSION_CHANGED = "closed-mission-changed", History, Error;
    /// with --base: a change to an issued invoice or credit note, or to numbered self-invoices
    ///
    /// An issued invoice or credit note is a legal document: once numbered on the base, only
    /// its follow-up may change — `state`, `sent`, `hold`, `history`, `paid` and `notes` — and
    /// it is never deleted; a correction is a credit note (`fresk invoice credit`). Likewise a
    /// payout whose self-invoices are numbered on the base may only have its `state` and
    /// `paid` change. Restore what the message names.
    ///
    /// Bad:
    /// ```yaml
    /// # invoices/2026/F2026-0001.yaml (issued on the base)
    /// lines:
    ///   - { offer: workshop-onsite, quantity: 3, unit_price: 1200 }
    ///   - { offer: travel-flat, quantity: 2, unit_price: 150 }   # was 3
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # invoices/2026/AV2026-0001.yaml, a credit note for the line billed by mistake
    /// id: AV2026-0001
    /// kind: credit-note
    /// state: draft
    /// corrects: F2026-0001
    /// lines:
    ///   - { offer: travel-flat, quantity: 1, unit_price: 150 }
    /// ```
    ISSUED_DOCUMENT_CHANGED = "issued-document-changed", History, Error;
    /// with --base: a legal number assigned off the main branch (numbering happens on main)
    ///
    /// Two branches numbering at the same time would give two documents one number, or leave
    /// a gap when one is dropped: legal numbers (quote numbers, issued invoices' and credit
    /// notes', self-invoices') are assigned only on the main branch (`--main-branch`, `main` by
    /// default), after the merge. On any other branch — or a detached HEAD, as in pull-request
    /// checkouts — a number in a changed file that is not on the base is a finding. Remove it,
    /// and let staff run the numbering command on main.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml, on branch payout-june
    /// state: invoiced
    /// self_invoices:
    ///   - { person: thomas-girard, number: AF-thomas-girard-0004, issued: 2026-06-12, total: 500 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml, on branch payout-june
    /// state: requested
    /// ```
    NUMBER_ON_BRANCH = "number-on-branch", History, Error;
    /// with --base: a session added by a change made after it started
    ///
    /// Sessions are planned before they happen: that is what lets the network see its
    /// calendar and check bookings. A session that a change adds must start after the commit
    /// that planned it (its author date), or after now when it is not committed yet. One added
    /// afterwards is a finding; if it did take place, staff record it.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S09.yaml, added by a commit of 2026-06-20
    /// id: M2026-0005-S09
    /// state: held
    /// start: 2026-06-19 08:30
    /// end: 2026-06-19 11:30
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S09.yaml, added by a commit of 2026-06-10
    /// id: M2026-0005-S09
    /// state: planned
    /// start: 2026-06-19 08:30
    /// end: 2026-06-19 11:30
    /// ```
    SESSION_PLANNED_LATE = "session-planned-late", History, Error;
    /// with --base: a new payout line for a (session, person) already requested on the base
    ///
    /// A session is paid once per person. A payout the change adds, with a line for a session
    /// and person that a payout on the base (not rejected) already requests, would pay them
    /// twice. Remove the line.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml, new (P2026-05-M2026-0005 on the base pays
    /// # ines-moreau for M2026-0005-S05)
    /// lines:
    ///   - { session: M2026-0005-S05, person: ines-moreau, role: lead, amount: 500 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml, new
    /// lines:
    ///   - { session: M2026-0005-S06, person: thomas-girard, role: lead, amount: 500 }
    /// ```
    PAYOUT_REUSED = "payout-reused", History, Error;
}

/// The working tree, the base versions of the files that differ from it, and the change's
/// circumstances.
pub struct Compare<'a> {
    pub work: &'a Workspace,
    /// Only the base versions of the changed files (see [`crate::workspace::load_texts`]).
    pub base: &'a Workspace,
    /// Every workspace file that differs between base and working tree.
    pub changed: &'a BTreeSet<String>,
    /// The branch HEAD is on (`None`: detached, as in pull-request checkouts).
    pub branch: Option<&'a str>,
    /// The branch where numbering happens.
    pub main_branch: &'a str,
    /// The time of what is not committed yet (the time of the run); with `now_pinned`
    /// (`FRESK_NOW`), the time of every change, committed or not.
    pub now: DateTime<Utc>,
    pub now_pinned: bool,
    pub tz: chrono_tz::Tz,
    /// What the commits of the change say: the states changed files went through commit by
    /// commit since the base, and when new sessions were planned.
    pub history: &'a History,
}

/// One file as it is on the base and in the working tree; `None` when absent on that side.
pub struct Pair<'a, T> {
    pub file: &'a str,
    pub base: Option<&'a Loaded<T>>,
    pub work: Option<&'a Loaded<T>>,
}

impl<'a> Compare<'a> {
    pub fn is_changed(&self, file: &str) -> bool {
        self.changed.contains(file)
    }

    /// The changed files of one kind, paired by path (a file's path is its id). A side whose
    /// file exists but could not be read is left out: its syntax and shape findings say why.
    pub fn pairs<T>(&self, work: &'a [Loaded<T>], base: &'a [Loaded<T>]) -> Vec<Pair<'a, T>> {
        let mut out: Vec<Pair<'a, T>> = Vec::new();
        let base_by_file: HashMap<&str, &Loaded<T>> =
            base.iter().map(|b| (b.file.as_str(), b)).collect();
        let mut seen = HashSet::new();
        for w in work.iter().filter(|w| self.is_changed(&w.file)) {
            seen.insert(w.file.as_str());
            let b = base_by_file.get(w.file.as_str()).copied();
            if b.is_none() && self.base.files.iter().any(|(f, _)| *f == w.file) {
                continue;
            }
            out.push(Pair {
                file: &w.file,
                base: b,
                work: Some(w),
            });
        }
        for b in base {
            if seen.contains(b.file.as_str()) || self.work.files.iter().any(|(f, _)| *f == b.file) {
                continue;
            }
            out.push(Pair {
                file: &b.file,
                base: Some(b),
                work: None,
            });
        }
        out
    }

    /// The base workspace's records of one kind: base versions of changed files, and the
    /// working-tree records of unchanged files.
    pub fn base_view<T>(
        &self,
        work: &'a [Loaded<T>],
        base: &'a [Loaded<T>],
    ) -> impl Iterator<Item = &'a Loaded<T>> + use<'a, '_, T> {
        base.iter()
            .chain(work.iter().filter(|w| !self.is_changed(&w.file)))
    }

    fn base_mission(&self, id: &str) -> Option<&'a Loaded<Mission>> {
        self.base_view(&self.work.missions, &self.base.missions)
            .find(|m| m.id == id)
    }

    /// Is `file` on the base but unreadable there (syntax or shape errors)? What it held is
    /// unknown, so nothing in it counts as new.
    fn base_unreadable(&self, file: &str) -> bool {
        let b = self.base;
        let read = b.config.iter().any(|x| x.file == file)
            || b.people.iter().any(|x| x.file == file)
            || b.organisations.iter().any(|x| x.file == file)
            || b.requests.iter().any(|x| x.file == file)
            || b.missions.iter().any(|x| x.file == file)
            || b.sessions.iter().any(|x| x.file == file)
            || b.payouts.iter().any(|x| x.file == file)
            || b.invoices.iter().any(|x| x.file == file)
            || b.declarations.iter().any(|x| x.file == file);
        !read && b.files.iter().any(|(f, _)| f == file)
    }

    fn on_main(&self) -> bool {
        self.branch == Some(self.main_branch)
    }
}

/// A record as JSON, for comparing and finding the first field that differs.
pub fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The route (`lines[1].amount`) of the first place where `after` differs from `before`, in the
/// order of `after`'s fields; `None` when they are equal.
pub fn first_difference(before: &Value, after: &Value) -> Option<String> {
    fn walk(a: &Value, b: &Value, route: &str) -> Option<String> {
        if a == b {
            return None;
        }
        let join = |k: &str| {
            if route.is_empty() {
                k.to_string()
            } else {
                format!("{route}.{k}")
            }
        };
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (k, vb) in y {
                    let va = x.get(k).unwrap_or(&Value::Null);
                    if let Some(r) = walk(va, vb, &join(k)) {
                        return Some(r);
                    }
                }
                for (k, va) in x {
                    if !y.contains_key(k) && !va.is_null() {
                        return Some(join(k));
                    }
                }
                Some(route.to_string())
            }
            (Value::Array(x), Value::Array(y)) => {
                for (i, vb) in y.iter().enumerate() {
                    match x.get(i) {
                        Some(va) => {
                            if let Some(r) = walk(va, vb, &format!("{route}[{i}]")) {
                                return Some(r);
                            }
                        }
                        None => return Some(format!("{route}[{i}]")),
                    }
                }
                Some(route.to_string())
            }
            _ => Some(route.to_string()),
        }
    }
    walk(before, after, "")
}

/// `value` with the top-level `fields` removed.
pub fn without(mut value: Value, fields: &[&str]) -> Value {
    if let Value::Object(map) = &mut value {
        for f in fields {
            map.remove(*f);
        }
    }
    value
}

/// Where a finding about a difference points: the first differing value, or the file's start.
pub(super) fn at_difference(route: Option<String>) -> At {
    match route {
        Some(r) if !r.is_empty() => At::value(&r),
        _ => At::value(""),
    }
}

pub(super) fn listing<T: std::fmt::Display>(states: &[T]) -> String {
    states
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kinds of which the history and authority rules read every record, and not only the
/// changed files' ones, for a change touching `changed`: the configuration, the people (who the
/// actor is) and the missions (the state and coordinator of a changed session's or payout's
/// mission) always; the numbered series — requests, invoices, payouts — when a file of one of
/// them changed (the numbers on the base, the sessions already requested); the requests when a
/// mission changed (is its request assigned to the actor?).
///
/// When every other rule's findings come from the memo, `fresk lint --base` builds only these
/// records and the changed files'. A rule reading more must say so here: the CLI tests run every
/// `--base` case both ways and compare.
pub fn kinds_read_whole(changed: &BTreeSet<String>) -> Kinds {
    let mut kinds = vec![Kind::Person, Kind::Mission];
    for path in changed {
        let parts: Vec<&str> = path.split('/').collect();
        match workspace::kind_of(&parts) {
            Some(Kind::Request | Kind::Invoice | Kind::Payout) => {
                kinds.extend([Kind::Request, Kind::Invoice, Kind::Payout]);
            }
            Some(Kind::Mission) => kinds.push(Kind::Request),
            _ => {}
        }
    }
    Kinds::of(&kinds)
}

/// Every history rule. An error (exit 2) when a verdict depends on commits the repository does
/// not have (a shallow clone): guessing would give a false finding or miss a real one.
pub fn check(cmp: &Compare, out: &mut Vec<Finding>) -> Result<(), String> {
    let mut needs = Vec::new();
    transitions::check(cmp, out, &mut needs);
    frozen::closed_missions(cmp, out);
    frozen::issued_documents(cmp, out);
    if !cmp.on_main() {
        numbers::numbers_on_branch(cmp, out);
    }
    late_sessions(cmp, out, &mut needs);
    reused_payouts(cmp, out);
    let Some(why) = cmp.history.missing.as_deref() else {
        return Ok(());
    };
    let Some(first) = needs.first() else {
        return Ok(());
    };
    let more = match needs.len() {
        1 => String::new(),
        n => format!(" (and {} more file(s) need them too)", n - 1),
    };
    Err(format!(
        "checking this change needs its commits, because {first}{more}; but {why}"
    ))
}

/// Why a file's verdict depends on the commits of the change.
pub(super) type Needs = Vec<String>;

/// A session the change adds must start after it was planned: after the commit that gave it
/// the start it has (its author time, which a rebase or a merge made later keeps), or after now
/// when that is not committed yet.
fn late_sessions(cmp: &Compare, out: &mut Vec<Finding>, needs: &mut Needs) {
    for p in cmp.pairs(&cmp.work.sessions, &cmp.base.sessions) {
        let (None, Some(s)) = (p.base, p.work) else {
            continue;
        };
        let (time, by) = if cmp.now_pinned {
            (cmp.now, None)
        } else {
            match cmp.history.planned(p.file) {
                Ok(Planned::Commit { commit, time }) => (*time, Some(commit)),
                Ok(Planned::Uncommitted) => (cmp.now, None),
                Err(_) => {
                    needs.push(format!(
                        "{} is a new session, planned in time only if the commit that planned it is older than its start",
                        p.file
                    ));
                    continue;
                }
            }
        };
        if s.start.instant(cmp.tz) < time {
            let local = time.with_timezone(&cmp.tz).format("%Y-%m-%d %H:%M");
            let when = match by {
                Some(commit) => format!("commit {commit}, {local}"),
                None => local.to_string(),
            };
            out.push(Finding::new(
                &SESSION_PLANNED_LATE,
                p.file,
                At::value("start"),
                format!("this session starts {}, before the change that adds it ({when}); sessions are planned before they happen — if it did take place, ask staff to record it", s.start),
            ));
        }
    }
}

fn reused_payouts(cmp: &Compare, out: &mut Vec<Finding>) {
    let (w, b) = (cmp.work, cmp.base);
    let mut requested: HashMap<(&str, &str), &str> = HashMap::new();
    for p in cmp
        .base_view(&w.payouts, &b.payouts)
        .filter(|p| p.state != PayoutState::Rejected)
    {
        for line in &p.lines {
            if let Some(session) = &line.session {
                requested
                    .entry((session.as_str(), line.person.as_str()))
                    .or_insert(p.id.as_str());
            }
        }
    }
    for p in cmp.pairs(&w.payouts, &b.payouts) {
        let (None, Some(y)) = (p.base, p.work) else {
            continue;
        };
        for (i, line) in y.lines.iter().enumerate() {
            let Some(session) = &line.session else {
                continue;
            };
            if let Some(other) = requested.get(&(session.as_str(), line.person.as_str()))
                && *other != y.id
            {
                out.push(Finding::new(
                    &PAYOUT_REUSED,
                    p.file,
                    At::value(&format!("lines[{i}].session")),
                    format!("`{}` was already requested for session {session} by payout {other} on the base; a session is paid once per person — remove this line", line.person),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_kinds_read_whole_follow_the_change() {
        let of = |paths: &[&str]| kinds_read_whole(&paths.iter().map(|p| p.to_string()).collect());
        let always = Kinds::of(&[Kind::Person, Kind::Mission]);
        assert_eq!(of(&[]), always);
        assert_eq!(of(&["missions/M1/sessions/M1-S01.yaml"]), always);
        let series = Kinds::of(&[
            Kind::Person,
            Kind::Mission,
            Kind::Request,
            Kind::Invoice,
            Kind::Payout,
        ]);
        for path in [
            "payouts/2026/P2026-05-M1.yaml",
            "invoices/2026/F2026-0001.yaml",
            "requests/2026/R2026-0001.yaml",
        ] {
            assert_eq!(of(&[path]), series, "{path}");
        }
        assert_eq!(
            of(&["missions/M1/mission.yaml"]),
            Kinds::of(&[Kind::Person, Kind::Mission, Kind::Request])
        );
    }

    #[test]
    fn first_difference_finds_the_deepest_route() {
        let a = json!({"id": "x", "lines": [{"amount": "1"}, {"amount": "2"}]});
        let b = json!({"id": "x", "lines": [{"amount": "1"}, {"amount": "3"}]});
        assert_eq!(first_difference(&a, &b).as_deref(), Some("lines[1].amount"));
        assert_eq!(first_difference(&a, &a), None);
        let c = json!({"id": "x", "lines": [{"amount": "1"}]});
        assert_eq!(first_difference(&c, &a).as_deref(), Some("lines[1]"));
        assert_eq!(first_difference(&a, &c).as_deref(), Some("lines"));
        let d = json!({"id": "x", "lines": [{"amount": "1"}, {"amount": "2"}], "notes": "n"});
        assert_eq!(first_difference(&d, &a).as_deref(), Some("notes"));
    }
}
