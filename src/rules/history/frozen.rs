//! What may no longer change: closed, invoiced or cancelled missions with their sessions, issued
//! invoices and credit notes, and payouts whose self-invoices are numbered.

use super::{Compare, at_difference, first_difference, json, without};
use crate::diagnostics::{At, Finding};
use crate::lifecycle;
use crate::model::{MissionState, Session};
use crate::workspace::Loaded;

fn is_closed(state: MissionState) -> bool {
    matches!(
        state,
        MissionState::Closed | MissionState::Invoiced | MissionState::Cancelled
    )
}

pub(super) fn closed_missions(cmp: &Compare, out: &mut Vec<Finding>) {
    let (w, b) = (cmp.work, cmp.base);
    for p in cmp.pairs(&w.missions, &b.missions) {
        let Some(x) = p.base.filter(|x| is_closed(x.state)) else {
            continue;
        };
        let state = x.state;
        match p.work {
            None => out.push(Finding::new(
                &super::CLOSED_MISSION_CHANGED,
                p.file,
                At::value(""),
                format!("this change deletes mission {}, which is `{state}` on the base; a {state} mission is kept as it is — restore the file", x.id),
            )),
            Some(y) => {
                // The state itself is checked by illegal-transition (closed → invoiced is a step).
                let route = first_difference(
                    &without(json(&x.value), &["state"]),
                    &without(json(&y.value), &["state"]),
                );
                if let Some(route) = route {
                    out.push(Finding::new(
                        &super::CLOSED_MISSION_CHANGED,
                        p.file,
                        at_difference(Some(route.clone())),
                        format!("mission {} is `{state}` on the base, so nothing in it may change, but this change edits `{route}`; restore it (a correction after closing goes through staff, e.g. a credit note)", x.id),
                    ));
                }
            }
        }
    }
    for p in cmp.pairs(&w.sessions, &b.sessions) {
        let missions = [p.base, p.work]
            .into_iter()
            .flatten()
            .map(|s: &Loaded<Session>| s.mission.as_str());
        let closed = missions
            .filter_map(|m| cmp.base_mission(m))
            .find(|m| is_closed(m.state));
        let Some(m) = closed else { continue };
        let (at, what) = match (p.base, p.work) {
            (None, Some(_)) => (At::value("mission"), "adds a session to it".to_string()),
            (Some(_), None) => (At::value(""), "deletes one of its sessions".to_string()),
            (Some(x), Some(y)) => match first_difference(&json(&x.value), &json(&y.value)) {
                Some(route) => (
                    at_difference(Some(route.clone())),
                    format!("edits `{route}` of one of its sessions"),
                ),
                None => continue,
            },
            (None, None) => continue,
        };
        out.push(Finding::new(
            &super::CLOSED_MISSION_CHANGED,
            p.file,
            at,
            format!(
                "mission {} is `{}` on the base, but this change {what}; sessions of a closed mission are final — restore the file",
                m.id, m.state
            ),
        ));
    }
}

/// Fields of an issued invoice that may still move: its lifecycle after issue.
const INVOICE_MUTABLE: [&str; 6] = ["state", "sent", "hold", "history", "paid", "notes"];
/// Fields of an invoiced payout that may still move: its payment.
const PAYOUT_MUTABLE: [&str; 2] = ["state", "paid"];

pub(super) fn issued_documents(cmp: &Compare, out: &mut Vec<Finding>) {
    let (w, b) = (cmp.work, cmp.base);
    for p in cmp.pairs(&w.invoices, &b.invoices) {
        let Some(x) = p.base.filter(|x| lifecycle::invoice_is_numbered(x.state)) else {
            continue;
        };
        let what = x.kind.as_str().replace('-', " ");
        match p.work {
            None => out.push(Finding::new(
                &super::ISSUED_DOCUMENT_CHANGED,
                p.file,
                At::value(""),
                format!("this change deletes {what} {}, issued on the base; an issued {what} is never deleted — restore it and cancel it with a credit note (`fresk invoice credit {}`)", x.id, x.id),
            )),
            Some(y) => {
                let route = first_difference(
                    &without(json(&x.value), &INVOICE_MUTABLE),
                    &without(json(&y.value), &INVOICE_MUTABLE),
                );
                if let Some(route) = route {
                    out.push(Finding::new(
                        &super::ISSUED_DOCUMENT_CHANGED,
                        p.file,
                        at_difference(Some(route.clone())),
                        format!("{what} {} is issued on the base, so `{route}` may not change; restore it — to correct an issued invoice, draft a credit note (`fresk invoice credit {}`)", x.id, x.id),
                    ));
                }
            }
        }
    }
    for p in cmp.pairs(&w.payouts, &b.payouts) {
        let Some(x) = p.base.filter(|x| !x.self_invoices.is_empty()) else {
            continue;
        };
        match p.work {
            None => out.push(Finding::new(
                &super::ISSUED_DOCUMENT_CHANGED,
                p.file,
                At::value(""),
                format!("this change deletes payout {}, whose self-invoices are numbered on the base; numbered self-invoices are never deleted — restore the file", x.id),
            )),
            Some(y) => {
                let route = first_difference(
                    &without(json(&x.value), &PAYOUT_MUTABLE),
                    &without(json(&y.value), &PAYOUT_MUTABLE),
                );
                if let Some(route) = route {
                    out.push(Finding::new(
                        &super::ISSUED_DOCUMENT_CHANGED,
                        p.file,
                        at_difference(Some(route.clone())),
                        format!("the self-invoices of payout {} are numbered on the base, so `{route}` may not change; restore it (only the payment may still be recorded)", x.id),
                    ));
                }
            }
        }
    }
}
