//! Changed data files judged from their typed records, on both sides of the change: who owns a
//! mission, a session, a payout request or a declaration, and which steps are accounting's.

use super::self_service;
use super::{Actor, Refusals, STAFF, change_of, staff_reason};
use crate::diagnostics::At;
use crate::model::{
    Declaration, DeclarationState, Kind, Mission, MissionState, Payout, PayoutState, Request,
    Session,
};
use crate::rules::history::{Compare, Pair, first_difference, json};
use crate::workspace::CONFIG_FILE;
use serde::Serialize;
use std::collections::HashSet;

/// The changed data files both of whose sides could be read (or are absent), judged from their
/// records; each is added to `judged`.
pub(super) fn check(cmp: &Compare, actor: &Actor, r: &mut Refusals, judged: &mut HashSet<String>) {
    let (w, b) = (cmp.work, cmp.base);
    config(cmp, r, judged);
    staff_only(r, judged, cmp.pairs(&w.people, &b.people), Kind::Person);
    staff_only(
        r,
        judged,
        cmp.pairs(&w.organisations, &b.organisations),
        Kind::Organisation,
    );
    for p in cmp.pairs(&w.requests, &b.requests) {
        judged.insert(p.file.to_string());
        request(actor, &p, r);
    }
    staff_only(
        r,
        judged,
        cmp.pairs(&w.invoices, &b.invoices),
        Kind::Invoice,
    );
    staff_only(
        r,
        judged,
        cmp.pairs(&w.interactions, &b.interactions),
        Kind::Interactions,
    );
    staff_only(
        r,
        judged,
        cmp.pairs(&w.complaints, &b.complaints),
        Kind::Complaint,
    );

    let judge = Judge { cmp, actor };
    for p in cmp.pairs(&w.missions, &b.missions) {
        judged.insert(p.file.to_string());
        judge.mission(&p, r);
    }
    for p in cmp.pairs(&w.sessions, &b.sessions) {
        judged.insert(p.file.to_string());
        judge.session(&p, r);
    }
    for p in cmp.pairs(&w.payouts, &b.payouts) {
        judged.insert(p.file.to_string());
        judge.payout(&p, r);
    }
    for p in cmp.pairs(&w.declarations, &b.declarations) {
        judged.insert(p.file.to_string());
        judge.declaration(&p, r);
    }
}

/// fresk.yaml is staff's; it counts as judged unless neither side could be read.
fn config(cmp: &Compare, r: &mut Refusals, judged: &mut HashSet<String>) {
    let (w, b) = (cmp.work, cmp.base);
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
            STAFF,
        );
    }
    // Either side readable (or absent), or already refused: judged. Both unreadable: not.
    let readable = |ws: &crate::workspace::Workspace| {
        ws.config.is_some() || !ws.files.iter().any(|(f, _)| f == CONFIG_FILE)
    };
    if config_change.is_some() || (readable(w) && readable(b)) {
        judged.insert(CONFIG_FILE.to_string());
    }
}

fn needs_coordinator(c: &str) -> String {
    format!("being its coordinator (`{c}`) or the `staff` role")
}

/// The files a coordinator or a facilitator may change, judged for one actor.
struct Judge<'c, 'a> {
    cmp: &'c Compare<'a>,
    actor: &'c Actor,
}

impl Judge<'_, '_> {
    fn own(&self, coordinator: &str) -> bool {
        self.actor.coordinator && coordinator == self.actor.id
    }

    /// The coordinator of `mission` on the base, or else in the working tree.
    fn coordinator_of(&self, mission: &str) -> Option<String> {
        let (w, b) = (self.cmp.work, self.cmp.base);
        self.cmp
            .base_view(&w.missions, &b.missions)
            .chain(w.missions.iter())
            .find(|m| m.id == mission)
            .map(|m| m.coordinator.clone())
    }

    /// The mission `id` as on the base, or else in the working tree.
    fn mission_of(&self, id: &str) -> Option<&Mission> {
        let (w, b) = (self.cmp.work, self.cmp.base);
        self.cmp
            .base_view(&w.missions, &b.missions)
            .chain(w.missions.iter())
            .find(|m| m.id == id)
            .map(|m| &m.value)
    }

    /// A coordinator's own missions, opened from a request assigned to them, never marked
    /// invoiced.
    fn mission(&self, p: &Pair<Mission>, r: &mut Refusals) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            return;
        };
        let sides = [p.base, p.work];
        if let Some(m) = sides
            .into_iter()
            .flatten()
            .find(|m| !self.own(&m.coordinator))
        {
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
                && !self
                    .cmp
                    .base_view(&self.cmp.work.requests, &self.cmp.base.requests)
                    .any(|r| r.id == y.request && r.coordinator.as_deref() == Some(&self.actor.id))
        }) {
            r.refuse(
            p.file,
            At::value("request"),
            &change,
            &format!(
                "request {} is not assigned to `{}` on the base; STAFF assign a request (`fresk request assign`) before its coordinator opens the mission",
                y.request, self.actor.id
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
                STAFF,
            );
        }
    }

    /// The sessions of a coordinator's own missions.
    fn session(&self, p: &Pair<Session>, r: &mut Refusals) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            return;
        };
        let missions = [p.base, p.work]
            .into_iter()
            .flatten()
            .map(|s| s.mission.as_str());
        for mission in missions {
            let coordinator = self.coordinator_of(mission).unwrap_or_default();
            if !self.own(&coordinator)
                && let (Some(x), Some(y)) = (p.base, p.work)
                && self.actor.facilitator
                && x.mission == y.mission
                && self_service::only(&x.value, &y.value, &["facilitators", "open_seats"])
            {
                // A facilitator's own seat, or why not.
                let m = self.mission_of(mission);
                if let Err(why) = self_service::seat(self.actor, x, y, m, self.cmp.now, self.cmp.tz)
                {
                    r.refuse(
                        p.file,
                        At::value("facilitators"),
                        &change,
                        &why,
                        &needs_coordinator(&coordinator),
                    );
                }
                break;
            }
            if !self.own(&coordinator) {
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

    /// A coordinator's own payout requests, while `requested`.
    fn payout(&self, p: &Pair<Payout>, r: &mut Refusals) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            return;
        };
        let sides: Vec<_> = [p.base, p.work].into_iter().flatten().collect();
        let mut refused = false;
        for side in &sides {
            let coordinator = self.coordinator_of(&side.mission).unwrap_or_default();
            if !self.own(&coordinator) || side.requested_by != self.actor.id {
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
            return;
        }
        let Some(y) = p.work else {
            if p.base.is_some_and(|x| x.state != PayoutState::Requested) {
                r.refuse(
                    p.file,
                    At::value(""),
                    "delete",
                    "only a payout still `requested` may be withdrawn by its coordinator",
                    STAFF,
                );
            }
            return;
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
                STAFF,
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
                STAFF,
            );
        } else if y.state != PayoutState::Requested
            || p.base.is_some_and(|x| x.state != PayoutState::Requested)
        {
            r.refuse(
                p.file,
                At::value("state"),
                "change `state` in",
                &format!("moving a payout to `{}` is accounting's", y.state),
                STAFF,
            );
        }
    }

    /// A facilitator's own declarations, while `declared`.
    fn declaration(&self, p: &Pair<Declaration>, r: &mut Refusals) {
        let Some((change, at)) = change_of(p.base, p.work) else {
            return;
        };
        let needs = "being its facilitator or the `staff` role";
        let Some(y) = p.work else {
            r.refuse(
                p.file,
                at,
                &change,
                "a declaration, once made, is withdrawn by staff",
                STAFF,
            );
            return;
        };
        if let Some(d) = [p.base, p.work]
            .into_iter()
            .flatten()
            .find(|d| !(self.actor.facilitator && d.person == self.actor.id))
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
                STAFF,
            );
        }
    }
}

/// Requests are staff's, except a person's own application on a published request.
fn request(actor: &Actor, p: &Pair<Request>, r: &mut Refusals) {
    let Some((change, at)) = change_of(p.base, p.work) else {
        return;
    };
    if let (Some(x), Some(y)) = (p.base, p.work)
        && (actor.facilitator || actor.coordinator)
        && self_service::only(&x.value, &y.value, &["applications"])
    {
        if let Err(why) = self_service::application(actor, x, y) {
            let needs = "the `staff` role (a facilitator or coordinator changes only their own application, while the request is published)";
            r.refuse(p.file, At::value("applications"), &change, &why, needs);
        }
        return;
    }
    r.refuse(p.file, at, &change, staff_reason(Kind::Request), STAFF);
}

fn staff_only<T: Serialize>(
    r: &mut Refusals,
    judged: &mut HashSet<String>,
    pairs: Vec<Pair<'_, T>>,
    kind: Kind,
) {
    for p in pairs {
        judged.insert(p.file.to_string());
        if let Some((change, at)) = change_of(p.base, p.work) {
            r.refuse(p.file, at, &change, staff_reason(kind), STAFF);
        }
    }
}
