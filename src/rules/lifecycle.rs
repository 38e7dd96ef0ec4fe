//! Lifecycle rules on the working tree: states that cannot exist, and fields a state requires.

use crate::diagnostics::{At, Finding};
use crate::lifecycle;
use crate::model::{
    Declaration, DeclarationState, Invoice, InvoiceKind, InvoiceState, Mission, MissionState,
    Payout, PayoutState, Request, RequestState, Session, SessionState, Track,
};
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};

use crate::diagnostics::declare_rules;

declare_rules! {
    /// a state this kind of file cannot be in (e.g. a quote state on the introduction track)
    ///
    /// Some states contradict the rest of the file: a request on the `introduction` track is
    /// never `quoted`, `won` or `expired` (the association does not quote there); a mission
    /// with a `closed` date is not `open`; a session with `participants.attended` is `held`; a
    /// payout with numbered self-invoices is past `requested`; a credit note is never reminded,
    /// in formal notice, in litigation or cancelled; and only a credit note has `corrects`. The
    /// message says which of the two to change; the fresk commands set both together.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S04.yaml
    /// id: M2026-0006-S04
    /// mission: M2026-0006
    /// state: planned
    /// offer: workshop-online
    /// start: 2026-06-02 14:00
    /// end: 2026-06-02 17:00
    /// participants: { expected: 15, attended: 14 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S04.yaml
    /// id: M2026-0006-S04
    /// mission: M2026-0006
    /// state: held
    /// offer: workshop-online
    /// start: 2026-06-02 14:00
    /// end: 2026-06-02 17:00
    /// participants: { expected: 15, attended: 14 }
    /// ```
    BAD_STATE = "bad-state", Lifecycle, Error;
    /// a field the state requires is missing (e.g. `held` without `attended`)
    ///
    /// Each step of a lifecycle records something, and the state says the step was taken. A
    /// request qualified, quoted, won, published or assigned has its `first_response`; a
    /// subcontracting request quoted, won, published, assigned or expired has its `quote` with
    /// `number`, `sent`, `valid_until` and lines; a won or lost one its `decision` (with a
    /// `reason` when lost); an assigned one its `coordinator` (subcontracting) or `facilitator`
    /// (introduction). A closed or invoiced mission has its `closed` date; a held session its
    /// `participants.attended`. An invoiced or paid payout has its `self_invoices`, a paid one
    /// its `paid`, a rejected one its `rejection`. An invoice or credit note past `draft` has
    /// `issued` and `due`, one sent or further along `sent`, a paid one `paid`, a reminded one
    /// (or in formal notice, in litigation) the `history` entry of that step; a credit note has
    /// `corrects`. An invoiced or paid declaration has its `invoice`. The fresk command of each
    /// step writes both; by hand, add the field the message names.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S05.yaml
    /// id: M2026-0005-S05
    /// mission: M2026-0005
    /// state: held
    /// offer: workshop-onsite
    /// start: 2026-05-07 08:30
    /// end: 2026-05-07 11:30
    /// participants: { expected: 32 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S05.yaml
    /// id: M2026-0005-S05
    /// mission: M2026-0005
    /// state: held
    /// offer: workshop-onsite
    /// start: 2026-05-07 08:30
    /// end: 2026-05-07 11:30
    /// participants: { expected: 32, attended: 31 }
    /// ```
    MISSING_FOR_STATE = "missing-for-state", Lifecycle, Error;
}

fn missing(out: &mut Vec<Finding>, file: &str, route: &str, state: &str, what: &str) {
    out.push(Finding::new(
        &MISSING_FOR_STATE,
        file,
        At::key(route),
        format!("state `{state}` needs `{route}`: {what}"),
    ));
}

pub fn check(ws: &Workspace, _cx: &Context, out: &mut Vec<Finding>) {
    for r in &ws.requests {
        request(r, out);
    }
    for m in &ws.missions {
        mission(m, out);
    }
    for s in &ws.sessions {
        session(s, out);
    }
    for p in &ws.payouts {
        payout(p, out);
    }
    for inv in &ws.invoices {
        invoice(inv, out);
    }
    for d in &ws.declarations {
        declaration(d, out);
    }
    for c in &ws.complaints {
        complaint(c, out);
    }
}

/// Each step of the complaints procedure leaves its trace: when acknowledged, when and how
/// resolved, when closed.
fn complaint(c: &Loaded<crate::model::Complaint>, out: &mut Vec<Finding>) {
    use crate::model::ComplaintState::*;
    let state = c.state.as_str();
    let past = |s| c.state >= s;
    if past(Acknowledged) && c.acknowledged.is_none() {
        missing(
            out,
            &c.file,
            "acknowledged",
            state,
            "when the client was told we have it",
        );
    }
    if past(Resolved) {
        if c.resolved.is_none() {
            missing(
                out,
                &c.file,
                "resolved",
                state,
                "the day an action answered it",
            );
        }
        if c.action.as_deref().is_none_or(|a| a.trim().is_empty()) {
            missing(out, &c.file, "action", state, "what was done about it");
        }
    }
    if past(Closed) && c.closed.is_none() {
        missing(out, &c.file, "closed", state, "the day it was closed");
    }
}

fn request(r: &Loaded<Request>, out: &mut Vec<Finding>) {
    let f = r.file.as_str();
    let state = r.state.as_str();
    use RequestState::*;
    if !lifecycle::request_state_on_track(r.state, r.track) {
        out.push(Finding::new(
            &BAD_STATE,
            f,
            At::value("state"),
            format!(
                "a request on the `{}` track is never `{state}` (no quote on that track); use `published` then `assigned`",
                r.track
            ),
        ));
    }
    if matches!(r.state, Qualified | Quoted | Won | Published | Assigned)
        && r.first_response.is_none()
    {
        missing(
            out,
            f,
            "first_response",
            state,
            "when the first answer was sent (YYYY-MM-DD HH:MM)",
        );
    }
    quote(r, out);
    if matches!(r.state, Won | Lost) && r.decision.is_none() {
        missing(
            out,
            f,
            "decision",
            state,
            "`{ date: YYYY-MM-DD, reason: … }`",
        );
    }
    if r.state == Lost && r.decision.as_ref().is_some_and(|d| d.reason.is_none()) {
        missing(
            out,
            f,
            "decision.reason",
            state,
            "why it was lost, for the reports",
        );
    }
    if r.state == Assigned {
        match r.track {
            Track::Subcontracting if r.coordinator.is_none() => missing(
                out,
                f,
                "coordinator",
                state,
                "the coordinator (person id) who takes the mission",
            ),
            Track::Introduction if r.facilitator.is_none() => missing(
                out,
                f,
                "facilitator",
                state,
                "the facilitator (person id) who contracts directly",
            ),
            _ => {}
        }
    }
}

/// The quote a subcontracting request has from `quoted` on.
fn quote(r: &Loaded<Request>, out: &mut Vec<Finding>) {
    use RequestState::*;
    if r.track != Track::Subcontracting
        || !matches!(r.state, Quoted | Won | Published | Assigned | Expired)
    {
        return;
    }
    let (f, state) = (r.file.as_str(), r.state.as_str());
    let Some(q) = &r.quote else {
        missing(
            out,
            f,
            "quote",
            state,
            "the quote sent, with number, sent, valid_until and lines",
        );
        return;
    };
    if q.number.is_none() {
        missing(
            out,
            f,
            "quote.number",
            state,
            "the quote's number, assigned when it is sent",
        );
    }
    if q.sent.is_none() {
        missing(out, f, "quote.sent", state, "the date the quote was sent");
    }
    if q.valid_until.is_none() {
        missing(
            out,
            f,
            "quote.valid_until",
            state,
            "the last day the quote may be accepted",
        );
    }
    if q.lines.is_empty() {
        missing(out, f, "quote.lines", state, "at least one line");
    }
}

fn mission(m: &Loaded<Mission>, out: &mut Vec<Finding>) {
    if matches!(m.state, MissionState::Closed | MissionState::Invoiced) && m.closed.is_none() {
        missing(
            out,
            &m.file,
            "closed",
            m.state.as_str(),
            "the date the mission was closed",
        );
    }
    if m.state == MissionState::Open && m.closed.is_some() {
        out.push(Finding::new(
            &BAD_STATE,
            &m.file,
            At::value("state"),
            "this mission has a `closed` date but is still `open`; set `state: closed` (fresk mission close) or remove the date",
        ));
    }
}

fn session(s: &Loaded<Session>, out: &mut Vec<Finding>) {
    if s.state == SessionState::Held && s.participants.attended.is_none() {
        missing(
            out,
            &s.file,
            "participants.attended",
            "held",
            "how many participants attended",
        );
    }
    if s.state != SessionState::Held && s.participants.attended.is_some() {
        out.push(Finding::new(
            &BAD_STATE,
            &s.file,
            At::value("participants.attended"),
            format!("attendance is recorded but the session is `{}`; set `state: held` (fresk session hold) or remove `attended`", s.state),
        ));
    }
}

fn payout(p: &Loaded<Payout>, out: &mut Vec<Finding>) {
    let state = p.state.as_str();
    if matches!(
        p.state,
        PayoutState::Invoiced | PayoutState::Ordered | PayoutState::Paid
    ) && p.self_invoices.is_empty()
    {
        missing(
            out,
            &p.file,
            "self_invoices",
            state,
            "one self-invoice per person paid (fresk payout invoice writes them)",
        );
    }
    if p.state == PayoutState::Ordered && p.ordered.is_none() {
        missing(
            out,
            &p.file,
            "ordered",
            state,
            "`{ date: YYYY-MM-DD, execution: YYYY-MM-DD, message: … }` (fresk payout transfer writes it)",
        );
    }
    if p.state == PayoutState::Paid && p.paid.is_none() {
        missing(
            out,
            &p.file,
            "paid",
            state,
            "`{ date: YYYY-MM-DD, reference: … }`",
        );
    }
    if p.state == PayoutState::Rejected && p.rejection.is_none() {
        missing(
            out,
            &p.file,
            "rejection",
            state,
            "`{ reason: … }` so the coordinator knows why",
        );
    }
    if p.state == PayoutState::Requested && !p.self_invoices.is_empty() {
        out.push(Finding::new(
            &BAD_STATE,
            &p.file,
            At::value("state"),
            "self-invoices are numbered but the payout is still `requested`; set `state: invoiced` (fresk payout invoice does both)",
        ));
    }
}

fn invoice(inv: &Loaded<Invoice>, out: &mut Vec<Finding>) {
    let state = inv.state.as_str();
    let f = inv.file.as_str();
    if !lifecycle::invoice_state_for_kind(inv.state, inv.kind) {
        out.push(Finding::new(
            &BAD_STATE,
            f,
            At::value("state"),
            format!("a credit note is never `{state}`; it is draft, issued, sent or paid"),
        ));
    }
    if lifecycle::invoice_is_numbered(inv.state) {
        if inv.issued.is_none() {
            missing(out, f, "issued", state, "the issue date");
        }
        if inv.due.is_none() {
            missing(
                out,
                f,
                "due",
                state,
                "the due date (a date, never a formula)",
            );
        }
    }
    if inv.state != InvoiceState::Draft
        && inv.state != InvoiceState::Issued
        && inv.state != InvoiceState::Cancelled
        && inv.sent.is_none()
    {
        missing(out, f, "sent", state, "the date it was sent to the client");
    }
    if inv.state == InvoiceState::Paid && inv.paid.is_none() {
        missing(
            out,
            f,
            "paid",
            state,
            "`{ date: YYYY-MM-DD, reference: … }`",
        );
    }
    if inv.kind == InvoiceKind::CreditNote && inv.corrects.is_none() {
        missing(
            out,
            f,
            "corrects",
            state,
            "the number of the invoice this credit note corrects",
        );
    }
    if inv.kind == InvoiceKind::Invoice && inv.corrects.is_some() {
        out.push(Finding::new(
            &BAD_STATE,
            f,
            At::key("corrects"),
            "only a credit note corrects an invoice; set `kind: credit-note` or remove `corrects`",
        ));
    }
    let dunning: Vec<&str> = inv.history.iter().map(|h| h.step.as_str()).collect();
    if matches!(
        inv.state,
        InvoiceState::Reminded1
            | InvoiceState::Reminded2
            | InvoiceState::FormalNotice
            | InvoiceState::Litigation
    ) && !dunning.contains(&state)
    {
        missing(
            out,
            f,
            "history",
            state,
            &format!("a `{{ step: {state}, date: … }}` entry recording when it was taken"),
        );
    }
}

fn declaration(d: &Loaded<Declaration>, out: &mut Vec<Finding>) {
    if matches!(d.state, DeclarationState::Invoiced | DeclarationState::Paid) && d.invoice.is_none()
    {
        missing(
            out,
            &d.file,
            "invoice",
            d.state.as_str(),
            "the number of the fee invoice",
        );
    }
}
