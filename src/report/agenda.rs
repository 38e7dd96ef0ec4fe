//! The morning screen (`fresk agenda`): what is due on a day, for everyone or one person, each
//! line with the command to run next. Every item comes from a computation that already exists:
//! open callbacks ([`crate::model::interaction`]), the response SLA
//! ([`crate::model::Request::response_due`]), the satisfaction call after a first mission
//! ([`crate::model::client::satisfaction_call_due`]), and what a payout request would hold and
//! whether a mission can close ([`super::dashboard`]). Printed as text, JSON, or iCalendar
//! (to-dos with a due day, and the week's sessions as events).

use super::calendar::{escape_text, render_with};
use super::dashboard;
use crate::lifecycle::invoice_next;
use crate::model::client::satisfaction_call_due;
use crate::model::interaction::open_callbacks;
use crate::model::{
    ComplaintState, Config, Date, Interactions, InvoiceKind, InvoiceState, MissionState,
    RequestState, Session, SessionState,
};
use crate::workspace::Workspace;
use chrono::{DateTime as Instant, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// The kinds of item, in the order the agenda lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Callback,
    Complaint,
    RequestAnswer,
    QuoteExpiring,
    SatisfactionCall,
    SessionToRecord,
    PayoutToRequest,
    MissionToClose,
    Invoice,
}

impl ItemKind {
    pub fn title(self) -> &'static str {
        match self {
            ItemKind::Callback => "Callbacks due",
            ItemKind::Complaint => "Complaints waiting",
            ItemKind::RequestAnswer => "Requests past the answer delay",
            ItemKind::QuoteExpiring => "Quotes expiring this week",
            ItemKind::SatisfactionCall => "Satisfaction calls after a first mission",
            ItemKind::SessionToRecord => "Sessions ended, not recorded",
            ItemKind::PayoutToRequest => "Payouts that can be requested",
            ItemKind::MissionToClose => "Missions that can close",
            ItemKind::Invoice => "Invoices due or overdue",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            ItemKind::Callback => "callback",
            ItemKind::Complaint => "complaint",
            ItemKind::RequestAnswer => "request-answer",
            ItemKind::QuoteExpiring => "quote-expiring",
            ItemKind::SatisfactionCall => "satisfaction-call",
            ItemKind::SessionToRecord => "session-to-record",
            ItemKind::PayoutToRequest => "payout-to-request",
            ItemKind::MissionToClose => "mission-to-close",
            ItemKind::Invoice => "invoice",
        }
    }
}

/// One thing to do.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Item {
    pub kind: ItemKind,
    /// The day it is due, when it has one.
    pub due: Option<Date>,
    /// Past its due day (or delay).
    pub overdue: bool,
    /// The record it is about (an organisation, request, mission, session, invoice, complaint).
    pub subject: String,
    /// What to do, in words.
    pub what: String,
    /// Who should do it, when someone is named.
    pub owner: Option<String>,
    /// The command to run next.
    pub command: String,
    /// A stable id (the iCalendar UID).
    pub uid: String,
}

/// The agenda of one day.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Agenda {
    pub date: Date,
    pub person: Option<String>,
    pub items: Vec<Item>,
    /// Sessions planned from `date` to 7 days later (ids), the ICS's events.
    pub sessions: Vec<String>,
}

/// What [`compute`] reads.
pub struct Inputs<'a> {
    pub ws: &'a Workspace,
    pub config: &'a Config,
    /// The day, and the instant the agenda is computed at (deadlines within the day).
    pub date: Date,
    pub now: Instant<Utc>,
    pub tz: Tz,
    /// Only this person's items (and, for staff, the ones nobody owns).
    pub person: Option<&'a str>,
}

struct Out<'a> {
    inputs: &'a Inputs<'a>,
    items: Vec<Item>,
}

impl Out<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ItemKind,
        due: Option<Date>,
        overdue: bool,
        subject: &str,
        what: String,
        owner: Option<&str>,
        command: String,
    ) {
        let i = self.inputs;
        let mine = match (i.person, owner) {
            (None, _) => true,
            (Some(p), Some(o)) => p == o,
            (Some(p), None) => i.config.is_staff(p),
        };
        if !mine {
            return;
        }
        self.items.push(Item {
            kind,
            due,
            overdue,
            subject: subject.to_string(),
            what,
            owner: owner.map(str::to_string),
            uid: format!("{}-{subject}@fresk", kind.slug()),
            command,
        });
    }
}

pub fn compute(i: &Inputs) -> Agenda {
    let mut out = Out {
        inputs: i,
        items: Vec::new(),
    };
    relationship(i, &mut out);
    requests(i, &mut out);
    missions(i, &mut out);
    invoices(i, &mut out);
    let mut items = out.items;
    items.sort_by(|a, b| (a.kind, a.due, &a.subject).cmp(&(b.kind, b.due, &b.subject)));
    let week_end = i.date.add_days(7);
    let mut sessions: Vec<&Session> =
        i.ws.sessions
            .iter()
            .map(|s| &s.value)
            .filter(|s| s.state == SessionState::Planned)
            .filter(|s| (i.date..=week_end).contains(&s.start.date()))
            .filter(|s| i.person.is_none_or(|p| involved(i.ws, s, p)))
            .collect();
    sessions.sort_by(|a, b| (a.start.local, &a.id).cmp(&(b.start.local, &b.id)));
    Agenda {
        date: i.date,
        person: i.person.map(str::to_string),
        items,
        sessions: sessions.iter().map(|s| s.id.clone()).collect(),
    }
}

/// Is `person` a facilitator of session `s` or the coordinator of its mission?
fn involved(ws: &Workspace, s: &Session, person: &str) -> bool {
    s.facilitators.iter().any(|b| b.person == person)
        || ws
            .missions
            .iter()
            .any(|m| m.id == s.mission && m.coordinator == person)
}

/// Callbacks, complaints, satisfaction calls.
fn relationship(i: &Inputs, out: &mut Out) {
    let files: Vec<&Interactions> = i.ws.interactions.iter().map(|f| &f.value).collect();
    for c in open_callbacks(&files)
        .into_iter()
        .filter(|c| c.due <= i.date)
    {
        out.push(
            ItemKind::Callback,
            Some(c.due),
            c.due < i.date,
            &c.organisation,
            format!("call {} back: {}", c.organisation, c.reason),
            c.owner.as_deref(),
            format!("fresk callback done {} --note \"…\"", c.organisation),
        );
    }
    let hours = i64::from(i.config.crm.complaint_acknowledge_hours);
    for c in i.ws.complaints.iter().filter(|c| c.is_open()) {
        let (what, command, due) = match c.state {
            ComplaintState::Received => {
                let due = c.received.instant(i.tz) + chrono::Duration::hours(hours);
                (
                    format!("acknowledge {}'s complaint: {}", c.organisation, c.summary),
                    format!("fresk complaint acknowledge {}", c.id),
                    Some(due),
                )
            }
            ComplaintState::Acknowledged => (
                format!(
                    "answer {}'s complaint with an action: {}",
                    c.organisation, c.summary
                ),
                format!("fresk complaint resolve {} --action \"…\"", c.id),
                None,
            ),
            _ => (
                format!(
                    "close {}'s complaint once the client agrees: {}",
                    c.organisation, c.summary
                ),
                format!("fresk complaint close {}", c.id),
                None,
            ),
        };
        out.push(
            ItemKind::Complaint,
            due.map(|d| Date(d.with_timezone(&i.tz).date_naive())),
            due.is_some_and(|d| d < i.now),
            &c.id,
            what,
            c.owner.as_deref(),
            command,
        );
    }
    for org in &i.ws.organisations {
        let missions = i.ws.missions.iter().map(|m| &m.value);
        if let Some((m, closed)) = satisfaction_call_due(&org.id, missions, files.iter().copied())
            && closed <= i.date
        {
            let owner =
                i.ws.requests
                    .iter()
                    .find(|r| r.id == m.request)
                    .and_then(|r| r.owner.as_deref());
            out.push(
                ItemKind::SatisfactionCall,
                Some(closed),
                false,
                &org.id,
                format!(
                    "first mission {} closed on {closed}: call {} to measure their satisfaction",
                    m.id, org.id
                ),
                owner,
                format!(
                    "fresk contact log {} --channel phone --satisfaction --summary \"…\"",
                    org.id
                ),
            );
        }
    }
}

/// Requests past the answer delay, quotes expiring.
fn requests(i: &Inputs, out: &mut Out) {
    let week_end = i.date.add_days(6);
    for r in &i.ws.requests {
        if let Some(due) = r.response_due(i.config.response_sla_hours, i.tz)
            && due < i.now
        {
            out.push(
                ItemKind::RequestAnswer,
                Some(Date(due.with_timezone(&i.tz).date_naive())),
                true,
                &r.id,
                format!(
                    "{} asked on {}: answer within {} h was due by {}",
                    r.organisation,
                    r.received,
                    i.config.response_sla_hours,
                    due.with_timezone(&i.tz).format("%Y-%m-%d %H:%M")
                ),
                r.owner.as_deref(),
                format!("fresk request qualify {}", r.id),
            );
        }
        if r.state == RequestState::Quoted
            && let Some(until) = r.quote.as_ref().and_then(|q| q.valid_until)
            && until <= week_end
        {
            let number = r
                .quote
                .as_ref()
                .and_then(|q| q.number.as_deref())
                .unwrap_or(&r.id);
            let what = if until < i.date {
                format!(
                    "quote {number} to {} expired on {until}: record the decision",
                    r.organisation
                )
            } else {
                format!(
                    "quote {number} to {} is valid until {until}: ask for the decision",
                    r.organisation
                )
            };
            out.push(
                ItemKind::QuoteExpiring,
                Some(until),
                until < i.date,
                &r.id,
                what,
                r.owner.as_deref(),
                format!(
                    "fresk request win {} (or fresk request lose {} --reason …)",
                    r.id, r.id
                ),
            );
        }
    }
}

/// Sessions to record, payouts to request, missions to close: from the missions' dashboards.
fn missions(i: &Inputs, out: &mut Out) {
    for s in &i.ws.sessions {
        if s.state == SessionState::Planned && s.end.instant(i.tz) < i.now {
            let owner =
                i.ws.missions
                    .iter()
                    .find(|m| m.id == s.mission)
                    .map(|m| m.coordinator.as_str());
            out.push(
                ItemKind::SessionToRecord,
                Some(s.end.date()),
                true,
                &s.id,
                format!("session {} ended on {}: record its attendance", s.id, s.end),
                owner,
                format!("fresk session hold {} --attended N", s.id),
            );
        }
    }
    for m in &i.ws.missions {
        if !matches!(m.state, MissionState::Open | MissionState::Closed) {
            continue;
        }
        let d = dashboard::compute(i.ws, i.config, m, i.now, i.tz);
        if !d.requestable.lines.is_empty() && d.requestable.blocked.is_none() {
            out.push(
                ItemKind::PayoutToRequest,
                None,
                false,
                &m.id,
                format!(
                    "{} line(s) of mission {} can be requested for payout ({})",
                    d.requestable.lines.len(),
                    m.id,
                    d.requestable.total
                ),
                Some(&m.coordinator),
                format!("fresk payout request --mission {}", m.id),
            );
        }
        if m.state == MissionState::Open && d.close.possible {
            out.push(
                ItemKind::MissionToClose,
                None,
                false,
                &m.id,
                format!(
                    "every session of mission {} is held or cancelled: close it",
                    m.id
                ),
                Some(&m.coordinator),
                format!("fresk mission close {}", m.id),
            );
        }
    }
}

/// Invoices to send, due this week, or overdue with their next dunning step.
fn invoices(i: &Inputs, out: &mut Out) {
    let week_end = i.date.add_days(6);
    for inv in &i.ws.invoices {
        if inv.kind != InvoiceKind::Invoice || inv.hold {
            continue;
        }
        if inv.state == InvoiceState::Issued {
            out.push(
                ItemKind::Invoice,
                inv.issued,
                false,
                &inv.id,
                format!(
                    "invoice {} to {} is issued, not sent",
                    inv.id, inv.organisation
                ),
                None,
                format!("fresk invoice send {}", inv.id),
            );
            continue;
        }
        let unpaid = matches!(
            inv.state,
            InvoiceState::Sent
                | InvoiceState::Reminded1
                | InvoiceState::Reminded2
                | InvoiceState::FormalNotice
                | InvoiceState::Litigation
        );
        let Some(due) = inv.due.filter(|d| unpaid && *d <= week_end) else {
            continue;
        };
        let total = inv.total(i.config);
        let next = invoice_next(inv.state, inv.kind)
            .iter()
            .find(|s| !matches!(s, InvoiceState::Paid | InvoiceState::Cancelled));
        let (what, command) = match next {
            Some(step) if due < i.date => (
                format!(
                    "invoice {} to {} ({total} excl. VAT) was due on {due}: next step `{step}`",
                    inv.id, inv.organisation
                ),
                format!(
                    "fresk invoice remind {} (or fresk invoice pay {} once paid)",
                    inv.id, inv.id
                ),
            ),
            _ => (
                format!(
                    "invoice {} to {} ({total} excl. VAT) is due on {due}",
                    inv.id, inv.organisation
                ),
                format!("fresk invoice pay {} once paid", inv.id),
            ),
        };
        out.push(
            ItemKind::Invoice,
            Some(due),
            due < i.date,
            &inv.id,
            what,
            None,
            command,
        );
    }
}

/// The agenda as text: one block per kind of item, each line with its command.
pub fn render(a: &Agenda) -> String {
    let mut out = format!(
        "Agenda for {}{}\n",
        a.date,
        a.person
            .as_ref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default()
    );
    if a.items.is_empty() {
        out.push_str("\nNothing due.\n");
    }
    let mut kind = None;
    for item in &a.items {
        if kind != Some(item.kind) {
            kind = Some(item.kind);
            out.push_str(&format!("\n{}\n", item.kind.title()));
        }
        let when = match (item.due, item.overdue) {
            (Some(d), true) => format!("overdue {d}"),
            (Some(d), false) => format!("{d}"),
            (None, _) => "now".to_string(),
        };
        let owner = item
            .owner
            .as_ref()
            .map(|o| format!(" [{o}]"))
            .unwrap_or_default();
        out.push_str(&format!("  {when:<18} {}{owner}\n", item.what));
        out.push_str(&format!("  {:<18} $ {}\n", "", item.command));
    }
    if !a.sessions.is_empty() {
        out.push_str(&format!(
            "\nSessions planned from {} to {}\n",
            a.date,
            a.date.add_days(7)
        ));
        for s in &a.sessions {
            out.push_str(&format!("  {s}\n"));
        }
    }
    out
}

/// The agenda as iCalendar: a VTODO per item (DUE on its day, or the agenda's day), and the
/// week's sessions as the VEVENTs of [`super::calendar`].
pub fn ics(i: &Inputs, a: &Agenda) -> String {
    let stamp = i.now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut todos = Vec::new();
    for item in &a.items {
        let due = item.due.filter(|d| *d >= a.date).unwrap_or(a.date);
        todos.push("BEGIN:VTODO".to_string());
        todos.push(format!("UID:{}", item.uid));
        todos.push(format!("DTSTAMP:{stamp}"));
        todos.push(format!("DUE;VALUE=DATE:{}", due.0.format("%Y%m%d")));
        todos.push(format!("SUMMARY:{}", escape_text(&item.what)));
        todos.push(format!(
            "DESCRIPTION:{}",
            escape_text(&format!("{}\nNext: {}", item.kind.title(), item.command))
        ));
        todos.push(format!("CATEGORIES:{}", item.kind.slug()));
        if item.overdue {
            todos.push("PRIORITY:1".to_string());
        }
        todos.push("STATUS:NEEDS-ACTION".to_string());
        todos.push("END:VTODO".to_string());
    }
    let sessions: Vec<&Session> = a
        .sessions
        .iter()
        .filter_map(|id| i.ws.sessions.iter().find(|s| &s.id == id).map(|s| &s.value))
        .collect();
    let name = match &a.person {
        Some(p) => format!("fresk agenda ({p})"),
        None => "fresk agenda".to_string(),
    };
    render_with(i.ws, Some(i.config), &sessions, &name, i.now, i.tz, &todos)
}
