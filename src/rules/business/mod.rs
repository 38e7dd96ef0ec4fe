//! Business rules: who may do what (roles, levels), what was ordered and planned, when sessions
//! happen, what is paid to whom and how much, and the deadlines of requests and quotes.
//!
//! Every check looks records up through the [`Context`] indexes or through maps built once here,
//! so the family stays O(n log n) on a workspace of 100 000 sessions. A check that needs a record
//! that does not exist (an unknown person, session or offer) skips it quietly: the references
//! rules already report it.

mod applications;
mod branding;
mod config;
mod crm;
mod fees;
mod invoices;
mod orders;
mod payouts;
mod requests;
mod roles;
mod rosters;
mod sessions;

pub use applications::{
    ASSIGNED_WITHOUT_APPLICATION, LATE_APPLICATION, OVER_BOOKED, RULES as APPLICATION_RULES,
    UNDEFINED_ROLE,
};
pub use branding::{BAD_BRANDING, RULES as BRANDING_RULES};
pub use crm::RULES as CRM_RULES;
pub(crate) use roles::below;
pub use rosters::roster_attendance;
pub use rosters::{
    CERTIFICATES_NOT_SENT, ROSTER_ATTENDANCE, ROSTER_EVALUATION, RULES as EVIDENCE_RULES,
    SURVEY_NOT_SENT,
};

use crate::diagnostics::Finding;
use crate::rules::Context;
use crate::workspace::Workspace;
use chrono::{DateTime, Utc};

use crate::diagnostics::declare_rules;

declare_rules! {
    /// an entry of `languages` in fresk.yaml that is not a language code (fr, en, pt-BR)
    ///
    /// `languages` lists the languages documents are rendered in, the first being the default
    /// of `fresk render`. Each entry is a language code — 2 or 3 lowercase letters, then
    /// optional `-` subtags of 2 to 8 letters or digits (`fr`, `en`, `pt-BR`) — because each
    /// names its labels file, `templates/labels/<code>.yaml`. A name, or anything with `/` or
    /// `..`, would name no file, or a file outside the templates.
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml
    /// languages: [fr, English]
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// languages: [fr, en]
    /// ```
    BAD_LANGUAGE = "bad-language", Shape, Error;
    /// a person used in a role they do not have (facilitator, coordinator, staff)
    ///
    /// Roles (`roles:` in people/) say who may do what. The people listed as `staff` in
    /// fresk.yaml and a request's `owner` need `staff`; a request's or a mission's
    /// `coordinator` needs `coordinator`; a request's `facilitator` and everyone booked on a
    /// session need `facilitator`; an applicant needs the role they apply for (`coordinator`,
    /// or `facilitator` on the introduction track). Someone without the role was chosen by mistake, or their
    /// roles are out of date: choose someone who has it, or (staff) add the role to their file.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// facilitators:
    ///   - { person: claire-fontaine, role: lead, status: internal }  # roles: [staff]
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// facilitators:
    ///   - { person: ines-moreau, role: lead, status: paid }  # roles: [facilitator, coordinator]
    /// ```
    MISSING_ROLE = "missing-role", Business, Error;
    /// a person below the level the mission's sector requires
    ///
    /// `requirements` in fresk.yaml gives, per sector, the lowest level (of `levels`, lowest
    /// first) to `coordinate` a mission and to `facilitate` its sessions. A mission's
    /// coordinator, and the facilitators of its sessions, below that level — or with no
    /// `level` at all — are findings; cancelled missions and sessions are left out. Choose
    /// someone of that level, or update the person's `level` once they have qualified.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0003/mission.yaml (sector business: coordinate needs green)
    /// id: M2026-0003
    /// sector: business
    /// coordinator: lucas-bernard        # level: orange
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0003/mission.yaml
    /// id: M2026-0003
    /// sector: business
    /// coordinator: camille-dupont       # level: blue
    /// ```
    LEVEL_TOO_LOW = "level-too-low", Business, Error;
    /// revenue shares that exceed 100% or use `rest` twice
    ///
    /// An offer of the catalogue, or a mission, may split its revenue with `shares`: a
    /// percentage from 0 to 100 for each part, and at most one `rest` taking what is left. A
    /// negative share, a second `rest`, or percentages totalling more than 100 cannot be paid
    /// out. Fix the percentages so that they add up to 100 at most.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/mission.yaml
    /// shares: { common-fund: 30, lyon-group: 80, coordination: rest }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/mission.yaml
    /// shares: { common-fund: 30, lyon-group: 60, coordination: rest }
    /// ```
    BAD_SHARES = "bad-shares", Business, Error;
    /// a session that ends before it starts, or is held before its end
    ///
    /// A session's `end` must come after its `start` (both in the workspace's time zone). And a
    /// session can be recorded `held` only once it has ended: one `held` while its end is still
    /// to come was recorded in advance, or has the wrong date. Fix `start` or `end`, or set it
    /// back to `planned` and record it with `fresk session hold` after it ends.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S08.yaml
    /// state: planned
    /// start: 2026-06-25 09:00
    /// end: 2026-06-25 07:00
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S08.yaml
    /// state: planned
    /// start: 2026-06-25 09:00
    /// end: 2026-06-25 17:00
    /// ```
    SESSION_TIMES = "session-times", Business, Error;
    /// more sessions of an offer planned than ordered
    ///
    /// A mission's `order` says how many sessions of each offer the client bought. Sessions of
    /// an offer that are not cancelled (planned or held) beyond that quantity would not be paid
    /// for: each one past the quantity, in the order they happen, is a warning. Cancel the
    /// extra session, or amend the order (after the client agreed, through the quote).
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/mission.yaml orders 2 × workshop-online, and sessions S02, S03
    /// # and this one are all workshop-online, none cancelled
    /// # missions/M2026-0006/sessions/M2026-0006-S05.yaml
    /// id: M2026-0006-S05
    /// state: planned
    /// offer: workshop-online
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/sessions/M2026-0006-S05.yaml
    /// id: M2026-0006-S05
    /// state: cancelled
    /// offer: workshop-online
    /// ```
    OVER_PLANNED = "over-planned", Business, Warning;
    /// a volunteer facilitator on a mission outside `volunteer_sectors`
    ///
    /// Facilitating for free (`status: volunteer`) is allowed only on missions of the sectors
    /// listed in `volunteer_sectors` of fresk.yaml — schools, say — so that paid missions are
    /// not run on unpaid work. A volunteer booking on a session (not cancelled) of another
    /// sector's mission is a finding: make the booking `paid` or `internal`, or book someone
    /// else.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0003/sessions/M2026-0003-S02.yaml (mission sector: business)
    /// facilitators:
    ///   - { person: camille-dupont, role: lead, status: paid }
    ///   - { person: sophie-lambert, role: co, status: volunteer }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0003/sessions/M2026-0003-S02.yaml
    /// facilitators:
    ///   - { person: camille-dupont, role: lead, status: paid }
    ///   - { person: thomas-girard, role: co, status: paid }
    /// ```
    VOLUNTEER_NOT_ALLOWED = "volunteer-not-allowed", Business, Error;
    /// a person booked on two overlapping sessions
    ///
    /// Nobody facilitates two sessions at once. A person booked on two sessions (not cancelled)
    /// whose times overlap — or twice on the same session — is a warning on the booking of the
    /// session that starts later, with the other booking as a related location. Book someone
    /// else, or move one of the sessions.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// start: 2026-06-18 08:30
    /// end: 2026-06-18 11:30
    /// facilitators:
    ///   - { person: ines-moreau, role: lead, status: paid }
    /// # and missions/M2026-0003/sessions/M2026-0003-S05.yaml books ines-moreau
    /// # on 2026-06-18 from 10:00 to 13:00
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// start: 2026-06-18 08:30
    /// end: 2026-06-18 11:30
    /// facilitators:
    ///   - { person: thomas-girard, role: lead, status: paid }
    /// ```
    DOUBLE_BOOKED = "double-booked", Business, Warning;
    /// a mission's order differs from its accepted quote, or a price from the catalogue
    ///
    /// What the client accepted is the quote; the mission's `order` copies it, and invoices are
    /// made from the order. Each order line (by offer, or by label for a free line) must be in
    /// the quote of the mission's request with the same quantity and unit price (the quoted
    /// price, or the catalogue price the quote uses), and every quote line in the order. A
    /// quote line priced away from the catalogue needs an `override_reason`; without a quote,
    /// the order uses catalogue prices. Copy the order from the quote, or amend the quote
    /// first.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/mission.yaml (quote D2026-0004: 6 × workshop-onsite, 1 × training-day)
    /// order:
    ///   - { offer: workshop-onsite, quantity: 8, unit_price: 1200 }
    ///   - { offer: training-day, quantity: 1, unit_price: 2200 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/mission.yaml
    /// order:
    ///   - { offer: workshop-onsite, quantity: 6, unit_price: 1200 }
    ///   - { offer: training-day, quantity: 1, unit_price: 2400 }
    /// ```
    ORDER_MISMATCH = "order-mismatch", Business, Error;
    /// a payout line for a session not held or not yet ended at the request date
    ///
    /// A facilitator is paid for a session once it has happened: a payout line may only name a
    /// session that is `held`, and that ended on or before the payout's `requested` date.
    /// Remove the line and request it in a later payout, once the session is held.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml (M2026-0005-S07 is still planned)
    /// requested: 2026-06-10
    /// lines:
    ///   - { session: M2026-0005-S07, person: ines-moreau, role: lead, amount: 500 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml
    /// requested: 2026-06-10
    /// lines:
    ///   - { session: M2026-0005-S06, person: thomas-girard, role: lead, amount: 500 }
    /// ```
    PAYOUT_TOO_EARLY = "payout-too-early", Business, Error;
    /// the same (session, person) in two payout lines
    ///
    /// A session is paid once per person. Among the payouts that are not rejected, taken in
    /// the order they were requested, the first line paying a person for a session stands and
    /// every later one — in the same payout or another — is a finding, with the first as a
    /// related location. Remove the later line.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml
    /// lines:
    ///   - { session: M2026-0005-S05, person: ines-moreau, role: lead, amount: 500 }
    /// # and payouts/2026/P2026-05-M2026-0005.yaml already pays ines-moreau for M2026-0005-S05
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml
    /// lines:
    ///   - { session: M2026-0005-S06, person: thomas-girard, role: lead, amount: 500 }
    /// ```
    PAYOUT_DUPLICATE = "payout-duplicate", Business, Error;
    /// more payout requests for a mission in a month than the policy allows
    ///
    /// `payout_policy.max_requests_per_month` in fresk.yaml caps how many payout requests a
    /// mission may have in one calendar month (of `requested`), so that accounting handles
    /// them in batches. Rejected payouts do not count. The requests past the cap, in order of
    /// request, are findings: add their lines to the month's earlier request, or request them
    /// next month.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005-2.yaml (max_requests_per_month: 1, and
    /// # P2026-06-M2026-0005 was requested on 2026-06-04)
    /// id: P2026-06-M2026-0005-2
    /// mission: M2026-0005
    /// requested: 2026-06-12
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # the lines added to payouts/2026/P2026-06-M2026-0005.yaml instead, or:
    /// id: P2026-07-M2026-0005
    /// mission: M2026-0005
    /// requested: 2026-07-01
    /// ```
    PAYOUT_MONTHLY_LIMIT = "payout-monthly-limit", Business, Error;
    /// a payout amount that differs from the rate card without `override_reason`, or a wrong total
    ///
    /// The rate card (`rates` in fresk.yaml) fixes what a session pays: by kind of offer and by
    /// role, `lead` or `co` — the role the person is booked in on the session, which a line's
    /// `role`, when written, must match. A coordination line pays `coordination_per_session`
    /// times the mission's held sessions, and its `sessions`, when written, must be that count.
    /// An amount away from the rate card needs an `override_reason` saying why. Each
    /// self-invoice's `total` is the sum of its person's lines in the payout.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-05-M2026-0005.yaml (rates: workshop: { lead: 500, co: 250 })
    /// lines:
    ///   - { session: M2026-0005-S05, person: lucas-bernard, role: co, amount: 300 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-05-M2026-0005.yaml
    /// lines:
    ///   - { session: M2026-0005-S05, person: lucas-bernard, role: co, amount: 250 }
    ///   # or, when agreed: amount: 300, override_reason: "two classes merged, 60 pupils"
    /// ```
    PAYOUT_AMOUNT = "payout-amount", Business, Error;
    /// a payout line for a facilitator whose status is not `paid`
    ///
    /// Only facilitators booked on the session with `status: paid` are paid through payouts;
    /// `internal` people (staff, members) and volunteers are not. A line for someone booked
    /// with another status, or not booked on that session at all, is a finding: remove it, or
    /// fix the booking if it is wrong.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-04-M2026-0005.yaml (sophie-lambert is a volunteer on S01)
    /// lines:
    ///   - { session: M2026-0005-S01, person: sophie-lambert, role: co, amount: 250 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-04-M2026-0005.yaml
    /// lines:
    ///   - { session: M2026-0005-S01, person: ines-moreau, role: lead, amount: 500 }
    /// ```
    PAYOUT_NOT_PAYABLE = "payout-not-payable", Business, Error;
    /// a coordination line before the mission is closed, or twice
    ///
    /// Coordination is paid once per mission, to its coordinator, after the mission is closed
    /// (`fresk mission close`). A coordination line (`coordination: true`) for a mission still
    /// open or cancelled, in a payout requested before the mission's `closed` date, for a
    /// mission that already has one in a payout not rejected, or paying someone other than the
    /// mission's `coordinator`, is a finding.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-05-M2026-0006.yaml (M2026-0006 closed on 2026-06-02)
    /// requested: 2026-05-20
    /// lines:
    ///   - { coordination: true, person: antoine-roux, sessions: 4, amount: 400 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0006.yaml
    /// requested: 2026-06-04
    /// lines:
    ///   - { coordination: true, person: antoine-roux, sessions: 4, amount: 400 }
    /// ```
    COORDINATION_BEFORE_CLOSE = "coordination-before-close", Business, Error;
    /// a closed mission with sessions still planned or paid facilitators not requested
    ///
    /// Closing a mission says its work is done and paid for: every session is held or
    /// cancelled, and every facilitator booked `paid` on a held session — when self-billed
    /// (with a mandate, based in France) — is in a payout request that is not rejected. A closed or invoiced
    /// mission with a planned session, or with such a facilitator not requested, is a finding.
    /// Hold or cancel the sessions and request the payouts, then close.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0006/mission.yaml, while M2026-0006-S04 is still planned
    /// state: closed
    /// closed: 2026-06-02
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/mission.yaml, every session held or cancelled and requested
    /// state: closed
    /// closed: 2026-06-02
    /// ```
    CLOSE_INCOMPLETE = "close-incomplete", Business, Error;
    /// a usage-rights fee that is not `usage_rights.percent` of the revenue
    ///
    /// On the introduction track a facilitator contracts with the client directly and owes the
    /// association a usage-rights fee: `usage_rights.percent` (fresk.yaml) of the revenue they
    /// declare, rounded to the cent. A declaration whose `fee` is another amount needs an
    /// `override_reason`; otherwise write the computed fee (`fresk declaration new` computes
    /// it).
    ///
    /// Bad:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml (usage_rights: { percent: 10 })
    /// revenue: 950
    /// fee: 90
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml
    /// revenue: 950
    /// fee: 95
    /// ```
    FEE_AMOUNT = "fee-amount", Business, Error;
    /// a usage-rights fee declared more than six months ago and still not invoiced
    ///
    /// Declared fees wait until together they reach `usage_rights.min_invoice`, so that no
    /// fee invoice is tiny. A fee still `declared` more than 180 days after the end of its
    /// month is one nobody will invoice unless told: invoice it with the person's other
    /// declared fees (`fresk report activity` lists them), even under the minimum, or record
    /// why not. It is a warning: the files agree, but money owed is being forgotten.
    ///
    /// Bad:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml, today 2027-01-15
    /// state: declared
    /// period: 2026-05
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml
    /// state: invoiced
    /// period: 2026-05
    /// invoice: F2026-0004
    /// ```
    FEE_NOT_INVOICED = "fee-not-invoiced", Business, Warning;
    /// a quote past its validity date still in state `quoted`
    ///
    /// A quote may be accepted until its `valid_until` date. A request still `quoted` after
    /// that day waits for a decision nobody recorded: record it (`fresk request win` or
    /// `fresk request lose`), or set `state: expired`. It is a warning: the files agree with
    /// each other, but the pipeline report counts a quote nobody can accept any more.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0012.yaml, today 2026-07-10
    /// state: quoted
    /// quote:
    ///   number: D2026-0008
    ///   valid_until: 2026-07-05
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0012.yaml
    /// state: expired
    /// quote:
    ///   number: D2026-0008
    ///   valid_until: 2026-07-05
    /// ```
    QUOTE_EXPIRED = "quote-expired", Business, Warning;
    /// a request without a first response past the response SLA
    ///
    /// `response_sla_hours` in fresk.yaml promises a first answer to every request within
    /// that many hours of its `received` time. A request still `received`, with no
    /// `first_response`, once that time has passed is a warning: answer the client and record
    /// when (`first_response`, or `fresk request qualify`).
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0014.yaml (response_sla_hours: 48), three days later
    /// state: received
    /// received: 2026-06-14 16:20
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0014.yaml
    /// state: qualified
    /// received: 2026-06-14 16:20
    /// first_response: 2026-06-15 10:05
    /// ```
    RESPONSE_OVERDUE = "response-overdue", Business, Warning;
    /// two invoices, or an invoice and a draft, for one mission (credit notes and cancelled invoices aside)
    ///
    /// A mission is billed by one invoice. `fresk invoice issue` numbers the draft, deletes it
    /// and marks the mission invoiced; a second invoice or draft naming the same `mission`
    /// bills the client twice — often the trace of an interrupted issue. Credit notes and
    /// cancelled invoices do not count (an invoice cancelled by a credit note is replaced by a
    /// new one). The invoice that stands is the first issued; each other one is a finding: a
    /// leftover draft is deleted, an issued invoice billed by mistake is cancelled with a
    /// credit note (`fresk invoice credit`), never deleted.
    ///
    /// Bad:
    /// ```yaml
    /// # invoices/2026/I-M2026-0003.yaml, a draft left after F2026-0001 was issued
    /// id: I-M2026-0003
    /// kind: invoice
    /// state: draft
    /// mission: M2026-0003
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # invoices/2026/F2026-0001.yaml, the only invoice of M2026-0003 (the draft deleted)
    /// id: F2026-0001
    /// kind: invoice
    /// state: paid
    /// mission: M2026-0003
    /// ```
    MISSION_INVOICED_TWICE = "mission-invoiced-twice", Business, Error;
    /// an invoice draft for a mission already `invoiced`
    ///
    /// A mission is marked `invoiced` when its invoice is issued. A draft for it — with no
    /// issued invoice beside it — would bill the client again once issued: the mission was
    /// invoiced by an invoice since deleted, or marked invoiced by mistake. Delete the draft,
    /// or set the mission back to `state: closed` if it is not invoiced yet.
    ///
    /// Bad:
    /// ```yaml
    /// # invoices/2026/I-M2026-0006.yaml, while missions/M2026-0006/mission.yaml says
    /// # state: invoiced
    /// id: I-M2026-0006
    /// kind: invoice
    /// state: draft
    /// mission: M2026-0006
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0006/mission.yaml, until the draft is issued
    /// id: M2026-0006
    /// state: closed
    /// ```
    DRAFT_OF_INVOICED_MISSION = "draft-of-invoiced-mission", Business, Error;
    /// a usage-rights fee billed twice: a month's revenue declared twice, or a declaration on two fee invoices
    ///
    /// A facilitator declares their revenue with a client once per request and month, and each
    /// declaration's fee is billed by one invoice: the one its `invoice:` names, which names
    /// the declaration on its lines (`fresk declaration new` refuses a second declaration). Two
    /// declarations of one request, person and month (the later one is reported), or a
    /// declaration named on the lines of an invoice other than its own — or, before it has
    /// one, of two invoices — bill the fee twice. Merge the declarations, remove the extra
    /// line, and cancel an issued invoice's line with a credit note.
    ///
    /// Bad:
    /// ```yaml
    /// # declarations/2026/U2026-0003.yaml, while U2026-0001 declares the same
    /// id: U2026-0003
    /// request: R2026-0004
    /// person: lucas-bernard
    /// period: 2026-03
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # declarations/2026/U2026-0001.yaml, the one declaration of March (U2026-0003 deleted)
    /// id: U2026-0001
    /// request: R2026-0004
    /// person: lucas-bernard
    /// period: 2026-03
    /// ```
    FEE_INVOICED_TWICE = "fee-invoiced-twice", Business, Error;
}

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    roles::roles(ws, cx, out);
    roles::levels(ws, cx, out);
    config::shares(ws, cx, out);
    sessions::session_times(ws, cx, out);
    sessions::over_planned(ws, cx, out);
    roles::volunteers(ws, cx, out);
    sessions::double_booked(ws, cx, out);
    sessions::evidence(ws, cx, out);
    orders::orders(ws, cx, out);
    fees::fees(ws, cx, out);
    fees::not_invoiced(ws, cx, out);
    requests::requests(ws, cx, out);
    config::languages(ws, cx, out);
    branding::branding(ws, cx, out);
    invoices::invoiced_once(ws, cx, out);
    fees::declared_once(ws, out);
    applications::applications(ws, cx, out);
    applications::over_booked(ws, out);
    applications::undefined_roles(ws, cx, out);
    crm::interactions(ws, cx, out);
    crm::complaints(ws, cx, out);
}

/// The payout rules (payout-too-early, -duplicate, -monthly-limit, -amount, -not-payable,
/// coordination-before-close, close-incomplete): the largest part of the family, run as a task
/// of its own.
pub fn check_payouts(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    payouts::payouts(ws, cx, out);
}

fn config_file(ws: &Workspace) -> &str {
    ws.config.as_ref().map_or("fresk.yaml", |c| c.file.as_str())
}

/// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `a, b, c` for at most `max` items, then `and N more`.
fn listing<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut text = items
        .iter()
        .take(max)
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        text.push_str(&format!(" and {} more", items.len() - max));
    }
    text
}

fn fmt_instant(cx: &Context, t: DateTime<Utc>) -> String {
    t.with_timezone(&cx.tz).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn listings_are_capped() {
        assert_eq!(listing(&["a", "b"], 5), "a, b");
        assert_eq!(listing(&["a", "b", "c"], 2), "a, b and 1 more");
    }
}
