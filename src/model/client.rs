//! An organisation's place in the client relationship, derived from the workspace: a
//! `prospect` (never a client), a `client` (a won request, a mission or an invoice within
//! `crm.former_after_months`, or a mission open that day) or a `former` client (a client once,
//! nothing since). Nothing stores the status: it is computed from requests, missions and
//! invoices and the day it is asked.
//!
//! ```text
//! let status = client::status("mairie-lyon", &requests, &missions, &invoices, today, &config.crm);
//! ```

use super::config::Crm;
use super::invoice::{Invoice, InvoiceKind, InvoiceState};
use super::mission::{Mission, MissionState};
use super::request::{Request, RequestState, Track};
use super::time::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Where an organisation stands in the client relationship.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ClientStatus {
    /// Never a client: no won request, no mission, no invoice.
    Prospect,
    /// A won request, a mission or an invoice within `crm.former_after_months`, or a mission
    /// still open.
    Client,
    /// A client once, nothing for `crm.former_after_months`.
    Former,
}

impl ClientStatus {
    pub const ALL: &'static [ClientStatus] = &[
        ClientStatus::Prospect,
        ClientStatus::Client,
        ClientStatus::Former,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Prospect => "prospect",
            ClientStatus::Client => "client",
            ClientStatus::Former => "former",
        }
    }
}

impl std::fmt::Display for ClientStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The days an organisation acted as a client, from its requests, missions and invoices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// Every day it was a client: a request won (decision date, else received) or assigned on
    /// the introduction track, a mission opened or closed, an invoice issued. Sorted.
    pub days: BTreeSet<Date>,
    /// Its missions' open spans: the day each opened and the day it closed (`None` while it is
    /// open). While one is open, it is a client whatever the other dates say.
    pub missions: Vec<(Date, Option<Date>)>,
}

impl Activity {
    /// The first day it was a client (`None`: never).
    pub fn first(&self) -> Option<Date> {
        self.days.first().copied()
    }

    /// The last day it was a client (`None`: never).
    pub fn last(&self) -> Option<Date> {
        self.days.last().copied()
    }

    /// The years in which it was a client (for new / returning / lost counts).
    pub fn years(&self) -> BTreeSet<i32> {
        self.days.iter().map(|d| d.year()).collect()
    }

    /// Is one of its missions open on `day` (opened on or before it, not closed before it)?
    pub fn mission_open_on(&self, day: Date) -> bool {
        self.missions
            .iter()
            .any(|&(opened, closed)| opened <= day && closed.is_none_or(|c| c >= day))
    }

    /// Its status on `today`: a client while a mission is open or its last client day is less
    /// than `crm.former_after_months` before `today`; former after that; prospect if never.
    /// Days after `today` do not count (a status asked about the past ignores what followed,
    /// missions opened later included).
    pub fn status_on(&self, today: Date, crm: &Crm) -> ClientStatus {
        let Some(last) = self.days.range(..=today).next_back().copied() else {
            return ClientStatus::Prospect;
        };
        if self.mission_open_on(today) || last >= former_threshold(today, crm.former_after_months) {
            ClientStatus::Client
        } else {
            ClientStatus::Former
        }
    }
}

/// The first day that still counts as recent: `months` calendar months before `today`
/// (clamped to the end of a shorter month).
fn former_threshold(today: Date, months: u32) -> Date {
    today
        .0
        .checked_sub_months(chrono::Months::new(months))
        .map(Date)
        .unwrap_or(Date(chrono::NaiveDate::MIN))
}

/// Is a request in a state reached only once the client said yes (or, on the introduction
/// track, once a facilitator took it to contract directly)?
fn request_won(r: &Request) -> bool {
    match r.state {
        RequestState::Won => true,
        RequestState::Published => r.track == Track::Subcontracting,
        RequestState::Assigned => true,
        _ => false,
    }
}

/// The day a won request counts from: its decision, else its assignment, else its arrival.
fn request_day(r: &Request) -> Date {
    r.decision
        .as_ref()
        .map(|d| d.date)
        .or(r.assigned)
        .unwrap_or_else(|| r.received.date())
}

/// What `organisation` (an id in organisations/) did as a client, from the workspace's
/// `requests`, `missions` and `invoices` (all of them; the others' are ignored). Cancelled
/// missions, draft or cancelled invoices and credit notes do not count.
pub fn activity<'a>(
    organisation: &str,
    requests: impl IntoIterator<Item = &'a Request>,
    missions: impl IntoIterator<Item = &'a Mission>,
    invoices: impl IntoIterator<Item = &'a Invoice>,
) -> Activity {
    let mut out = Activity::default();
    for r in requests {
        if r.organisation == organisation && request_won(r) {
            out.days.insert(request_day(r));
        }
    }
    for m in missions {
        if m.organisation != organisation || m.state == MissionState::Cancelled {
            continue;
        }
        out.days.insert(m.opened);
        out.days.extend(m.closed);
        // A mission past `open` without its `closed` date (a finding of its own) counts as
        // open on the day it opened only.
        let until = match m.state {
            MissionState::Open => None,
            _ => Some(m.closed.unwrap_or(m.opened)),
        };
        out.missions.push((m.opened, until));
    }
    for i in invoices {
        let counts = i.organisation == organisation
            && i.kind == InvoiceKind::Invoice
            && !matches!(i.state, InvoiceState::Draft | InvoiceState::Cancelled);
        if counts {
            out.days.extend(i.issued);
        }
    }
    out
}

/// The status of `organisation` on `today`: [`activity`] then [`Activity::status_on`].
pub fn status<'a>(
    organisation: &str,
    requests: impl IntoIterator<Item = &'a Request>,
    missions: impl IntoIterator<Item = &'a Mission>,
    invoices: impl IntoIterator<Item = &'a Invoice>,
    today: Date,
    crm: &Crm,
) -> ClientStatus {
    activity(organisation, requests, missions, invoices).status_on(today, crm)
}

/// The first mission of `organisation` (the earliest opened, not cancelled), once it is closed,
/// when no interaction with `satisfaction: true` happened on or after the day it closed: the
/// charter's call to measure the client's satisfaction is still to make. Returns the mission
/// and the day it closed.
pub fn satisfaction_call_due<'a>(
    organisation: &str,
    missions: impl IntoIterator<Item = &'a Mission>,
    interactions: impl IntoIterator<Item = &'a super::interaction::Interactions>,
) -> Option<(&'a Mission, Date)> {
    let first = missions
        .into_iter()
        .filter(|m| m.organisation == organisation && m.state != MissionState::Cancelled)
        .min_by(|a, b| (a.opened, &a.id).cmp(&(b.opened, &b.id)))?;
    let closed = first.closed?;
    let called = super::interaction::entries_of(organisation, interactions)
        .into_iter()
        .any(|e| e.satisfaction && e.at.date() >= closed);
    (!called).then_some((first, closed))
}

/// A request of an organisation that ended without work: lost, or its quote expired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LostRequest {
    /// The request's id.
    pub request: String,
    /// `lost` or `expired`.
    pub state: RequestState,
    /// The decision's date, else the quote's last valid day, else the day it arrived.
    pub date: Date,
    /// The reason written in its decision, if any.
    pub reason: Option<String>,
}

/// The requests of `organisation` that ended without work (lost or expired), oldest first,
/// with the reason given: what a lost prospect's file shows.
pub fn lost_requests<'a>(
    organisation: &str,
    requests: impl IntoIterator<Item = &'a Request>,
) -> Vec<LostRequest> {
    let mut out: Vec<LostRequest> = requests
        .into_iter()
        .filter(|r| r.organisation == organisation)
        .filter(|r| matches!(r.state, RequestState::Lost | RequestState::Expired))
        .map(|r| LostRequest {
            request: r.id.clone(),
            state: r.state,
            date: r
                .decision
                .as_ref()
                .map(|d| d.date)
                .or_else(|| r.quote.as_ref().and_then(|q| q.valid_until))
                .unwrap_or_else(|| r.received.date()),
            reason: r.decision.as_ref().and_then(|d| d.reason.clone()),
        })
        .collect();
    out.sort_by(|a, b| (a.date, &a.request).cmp(&(b.date, &b.request)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn request(id: &str, org: &str, state: &str, extra: &str) -> Request {
        yaml(&format!(
            "id: {id}\nstate: {state}\ntrack: subcontracting\nreceived: 2024-01-10 09:00\n\
             channel: email\norigin: other\norganisation: {org}\n{extra}"
        ))
    }

    fn mission(org: &str, state: &str, opened: &str, closed: Option<&str>) -> Mission {
        let closed = closed.map(|c| format!("closed: {c}\n")).unwrap_or_default();
        yaml(&format!(
            "id: M1\nstate: {state}\nrequest: R1\norganisation: {org}\nsector: business\n\
             coordinator: alice\nopened: {opened}\norder: []\n{closed}"
        ))
    }

    fn invoice(org: &str, state: &str, kind: &str, issued: &str) -> Invoice {
        yaml(&format!(
            "id: F1\nkind: {kind}\nstate: {state}\norganisation: {org}\nissued: {issued}\nlines: []\n"
        ))
    }

    /// The crate's YAML reader, as the loader uses it.
    fn yaml<T: serde::de::DeserializeOwned>(text: &str) -> T {
        crate::yaml::de::from_text(text).unwrap()
    }

    const CRM: Crm = Crm {
        former_after_months: 24,
        complaint_acknowledge_hours: 48,
    };

    #[test]
    fn never_a_client_is_a_prospect() {
        let reqs = [
            request("R1", "acme", "received", ""),
            request("R2", "acme", "lost", "decision: { date: 2024-02-01 }\n"),
            request("R3", "other", "won", ""),
        ];
        let invs = [invoice("acme", "draft", "invoice", "2024-03-01")];
        let s = status("acme", &reqs, &[], &invs, d("2026-06-15"), &CRM);
        assert_eq!(s, ClientStatus::Prospect);
    }

    #[test]
    fn a_won_request_makes_a_client_until_the_period_passes() {
        let reqs = [request(
            "R1",
            "acme",
            "won",
            "decision: { date: 2024-06-15 }\n",
        )];
        // Exactly 24 months later: still a client; the day after: former.
        assert_eq!(
            status("acme", &reqs, &[], &[], d("2026-06-15"), &CRM),
            ClientStatus::Client
        );
        assert_eq!(
            status("acme", &reqs, &[], &[], d("2026-06-16"), &CRM),
            ClientStatus::Former
        );
        let short = Crm {
            former_after_months: 6,
            ..CRM
        };
        assert_eq!(
            status("acme", &reqs, &[], &[], d("2025-01-01"), &short),
            ClientStatus::Former
        );
    }

    #[test]
    fn a_won_request_without_decision_counts_from_its_arrival() {
        let reqs = [request("R1", "acme", "published", "")];
        let a = activity("acme", &reqs, &[], &[]);
        assert_eq!(a.first(), Some(d("2024-01-10")));
    }

    #[test]
    fn introduction_counts_once_assigned_not_when_published() {
        let mut r = request("R1", "acme", "published", "");
        r.track = Track::Introduction;
        assert_eq!(activity("acme", [&r], [], []).first(), None);
        r.state = RequestState::Assigned;
        r.assigned = Some(d("2024-05-02"));
        assert_eq!(
            activity("acme", [&r], [], []).first(),
            Some(d("2024-05-02"))
        );
    }

    #[test]
    fn an_open_mission_keeps_a_client_however_old() {
        let ms = [mission("acme", "open", "2020-01-01", None)];
        assert_eq!(
            status("acme", &[], &ms, &[], d("2026-06-15"), &CRM),
            ClientStatus::Client
        );
        let closed = [mission("acme", "closed", "2020-01-01", Some("2024-07-01"))];
        let a = activity("acme", &[], &closed, &[]);
        assert_eq!(a.last(), Some(d("2024-07-01")));
        assert_eq!(a.status_on(d("2026-06-15"), &CRM), ClientStatus::Client);
        assert_eq!(a.status_on(d("2026-07-02"), &CRM), ClientStatus::Former);
        let cancelled = [mission("acme", "cancelled", "2026-01-01", None)];
        assert_eq!(
            status("acme", &[], &cancelled, &[], d("2026-06-15"), &CRM),
            ClientStatus::Prospect
        );
    }

    /// A past period sees the missions open then: not one opened later, and one that was
    /// open then even if it has closed since.
    #[test]
    fn a_status_in_the_past_sees_the_missions_open_then() {
        let ms = [
            mission("acme", "open", "2026-03-01", None),
            mission("acme", "closed", "2019-01-10", Some("2022-06-30")),
        ];
        let a = activity("acme", &[], &ms, &[]);
        // Open from 2019 to mid-2022: a client all along, though its days are years apart.
        assert_eq!(a.status_on(d("2021-06-30"), &CRM), ClientStatus::Client);
        // Two years after it closed (former_after_months: 24), before the next one opened.
        assert_eq!(a.status_on(d("2024-07-01"), &CRM), ClientStatus::Former);
        assert_eq!(a.status_on(d("2026-06-15"), &CRM), ClientStatus::Client);
        // Before anything: the mission open today did not exist yet.
        assert_eq!(a.status_on(d("2018-12-31"), &CRM), ClientStatus::Prospect);
    }

    #[test]
    fn invoices_count_when_issued_and_not_credit_notes() {
        let invs = [
            invoice("acme", "paid", "invoice", "2023-03-01"),
            invoice("acme", "issued", "credit-note", "2025-03-01"),
            invoice("acme", "cancelled", "invoice", "2025-04-01"),
        ];
        let a = activity("acme", &[], &[], &invs);
        assert_eq!(a.days.len(), 1);
        assert_eq!(a.years(), BTreeSet::from([2023]));
        assert_eq!(a.status_on(d("2026-06-15"), &CRM), ClientStatus::Former);
    }

    #[test]
    fn the_future_does_not_count() {
        let reqs = [request(
            "R1",
            "acme",
            "won",
            "decision: { date: 2026-07-01 }\n",
        )];
        assert_eq!(
            status("acme", &reqs, &[], &[], d("2026-06-15"), &CRM),
            ClientStatus::Prospect
        );
    }

    #[test]
    fn lost_requests_with_their_reasons_oldest_first() {
        let reqs = [
            request(
                "R2",
                "acme",
                "lost",
                "decision: { date: 2025-02-01, reason: budget }\n",
            ),
            request(
                "R1",
                "acme",
                "expired",
                "quote: { valid_until: 2024-03-01 }\n",
            ),
            request("R3", "acme", "won", ""),
            request("R4", "other", "lost", ""),
        ];
        let lost = lost_requests("acme", &reqs);
        assert_eq!(
            lost,
            vec![
                LostRequest {
                    request: "R1".into(),
                    state: RequestState::Expired,
                    date: d("2024-03-01"),
                    reason: None,
                },
                LostRequest {
                    request: "R2".into(),
                    state: RequestState::Lost,
                    date: d("2025-02-01"),
                    reason: Some("budget".into()),
                },
            ]
        );
    }

    #[test]
    fn statuses_are_kebab_case() {
        for s in ClientStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
