//! One invoice per mission: a second invoice, or a draft beside an invoice or an invoiced mission,
//! would bill the client twice.

use crate::HashMap;
use crate::diagnostics::{At, Finding};
use crate::model::MissionState;
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};

// --- mission-invoiced-twice, draft-of-invoiced-mission -----------------------------------

/// A mission is billed by one invoice: a second one (issued or draft) bills the client twice.
/// `fresk invoice issue` writes the invoice, deletes the draft and marks the mission invoiced;
/// any of those left half-done shows here. Credit notes and cancelled invoices do not count (an
/// invoice cancelled in full by a credit note is replaced by a new one).
pub(super) fn invoiced_once(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    use crate::model::{Invoice, InvoiceKind, InvoiceState};
    let mut by_mission: HashMap<&str, Vec<&Loaded<Invoice>>> = HashMap::default();
    for inv in &ws.invoices {
        if inv.kind == InvoiceKind::Invoice
            && inv.state != InvoiceState::Cancelled
            && let Some(m) = inv.mission.as_deref()
        {
            by_mission.entry(m).or_default().push(inv);
        }
    }
    let mut missions: Vec<_> = by_mission.into_iter().collect();
    missions.sort_by_key(|(m, _)| *m);
    for (mission, mut invoices) in missions {
        // The invoice that stands: issued before drafts, then the first issued.
        invoices.sort_by(|a, b| {
            let key =
                |i: &Loaded<Invoice>| (i.state == InvoiceState::Draft, i.issued, i.file.clone());
            key(a).cmp(&key(b))
        });
        let first = invoices[0];
        for other in &invoices[1..] {
            let what = if other.state == InvoiceState::Draft {
                format!("draft {}", other.id)
            } else {
                format!("invoice {}", other.id)
            };
            let standing = if first.state == InvoiceState::Draft {
                format!("the draft {} ({})", first.id, first.file)
            } else {
                format!("invoice {} ({})", first.id, first.file)
            };
            let fix = match (first.state, other.state) {
                (_, InvoiceState::Draft) => format!(
                    "delete {} (a `fresk invoice issue` interrupted half-way leaves the draft behind)",
                    other.file
                ),
                (InvoiceState::Draft, _) => format!("delete the draft {}", first.file),
                _ => format!(
                    "cancel the one billed by mistake with a credit note (`fresk invoice credit {}`): an issued invoice is never deleted",
                    other.id
                ),
            };
            out.push(Finding::new(
                &super::MISSION_INVOICED_TWICE,
                &other.file,
                At::value("mission"),
                format!(
                    "{what} bills mission {mission} a second time: {standing} already bills it, and a mission has one invoice; {fix}"
                ),
            ));
        }
        // A draft alone beside a mission already invoiced (by an invoice since deleted or
        // never recorded): it would bill the client again.
        if first.state == InvoiceState::Draft
            && let Some(m) = cx.missions.get(mission)
            && m.state == MissionState::Invoiced
        {
            out.push(Finding::new(
                &super::DRAFT_OF_INVOICED_MISSION,
                &first.file,
                At::value("mission"),
                format!(
                    "mission {mission} is already `invoiced` ({}), so draft {} would bill it a second time; delete {} — or, if the mission is not invoiced yet, set it back to `state: closed` in {}",
                    m.file, first.id, first.file, m.file
                ),
            ));
        }
    }
}
