//! The lifecycle tables as data: which state of each kind of file may follow which.

use crate::model::{
    ComplaintState, DeclarationState, InvoiceKind, InvoiceState, MissionState, PayoutState,
    RequestState, SessionState, Track,
};

/// States a request may move to from `from`, on its track.
pub fn request_next(from: RequestState, track: Track) -> &'static [RequestState] {
    use RequestState::*;
    match (from, track) {
        (Received, _) => &[Qualified, Lost],
        (Qualified, Track::Subcontracting) => &[Quoted, Lost],
        (Qualified, Track::Introduction) => &[Published, Lost],
        (Quoted, _) => &[Won, Lost, Expired],
        (Won, _) => &[Published],
        (Published, _) => &[Assigned],
        (Assigned | Lost | Expired, _) => &[],
    }
}

/// Can a request on `track` ever be in `state`?
pub fn request_state_on_track(state: RequestState, track: Track) -> bool {
    use RequestState::*;
    !matches!(
        (state, track),
        (Quoted | Won | Expired, Track::Introduction)
    )
}

pub fn mission_next(from: MissionState) -> &'static [MissionState] {
    use MissionState::*;
    match from {
        Open => &[Closed, Cancelled],
        Closed => &[Invoiced],
        Invoiced | Cancelled => &[],
    }
}

pub fn session_next(from: SessionState) -> &'static [SessionState] {
    use SessionState::*;
    match from {
        Planned => &[Held, Cancelled],
        Held | Cancelled => &[],
    }
}

pub fn payout_next(from: PayoutState) -> &'static [PayoutState] {
    use PayoutState::*;
    match from {
        Requested => &[Invoiced, Rejected],
        Invoiced => &[Ordered, Paid],
        Ordered => &[Paid],
        Paid | Rejected => &[],
    }
}

/// Client invoices: draft → issued → sent → paid, with dunning steps on unpaid ones.
pub fn invoice_next(from: InvoiceState, kind: InvoiceKind) -> &'static [InvoiceState] {
    use InvoiceState::*;
    if kind == InvoiceKind::CreditNote {
        return match from {
            Draft => &[Issued],
            Issued => &[Sent],
            Sent => &[Paid],
            _ => &[],
        };
    }
    match from {
        Draft => &[Issued],
        Issued => &[Sent, Cancelled],
        Sent => &[Paid, Reminded1, Cancelled],
        Reminded1 => &[Paid, Reminded2, Cancelled],
        Reminded2 => &[Paid, FormalNotice, Cancelled],
        FormalNotice => &[Paid, Litigation, Cancelled],
        Litigation => &[Paid, Cancelled],
        Paid | Cancelled => &[],
    }
}

/// Can an invoice of `kind` ever be in `state`? (Credit notes are never dunned.)
pub fn invoice_state_for_kind(state: InvoiceState, kind: InvoiceKind) -> bool {
    use InvoiceState::*;
    kind == InvoiceKind::Invoice || matches!(state, Draft | Issued | Sent | Paid)
}

pub fn declaration_next(from: DeclarationState) -> &'static [DeclarationState] {
    use DeclarationState::*;
    match from {
        Declared => &[Invoiced],
        Invoiced => &[Paid],
        Paid => &[],
    }
}

/// Complaints: received → acknowledged → resolved → closed, one step at a time (the charter's
/// procedure: every complaint is acknowledged, answered with an action, then closed).
pub fn complaint_next(from: ComplaintState) -> &'static [ComplaintState] {
    use ComplaintState::*;
    match from {
        Received => &[Acknowledged],
        Acknowledged => &[Resolved],
        Resolved => &[Closed],
        Closed => &[],
    }
}

/// Is an invoice in this state numbered (issued or later)?
pub fn invoice_is_numbered(state: InvoiceState) -> bool {
    state != InvoiceState::Draft
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_state_is_reachable_from_received() {
        for track in Track::ALL {
            let mut seen = vec![RequestState::Received];
            let mut i = 0;
            while i < seen.len() {
                for next in request_next(seen[i], *track) {
                    if !seen.contains(next) {
                        seen.push(*next);
                    }
                }
                i += 1;
            }
            for s in RequestState::ALL {
                assert_eq!(
                    seen.contains(s),
                    request_state_on_track(*s, *track),
                    "{s} on {track}"
                );
            }
        }
    }
}
