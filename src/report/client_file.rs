//! One organisation's client file (`fresk organisation show`): identity, contacts, status, and
//! every request, quote, mission, invoice, payment, interaction, callback, complaint and
//! satisfaction figure the workspace holds about it, with its revenue per year. Computed here
//! as a value (printed as JSON as it is), rendered as text by [`render`].

use super::Section;
use crate::model::client::{self, ClientStatus, LostRequest};
use crate::model::interaction::{InteractionChannel, OpenCallback, entries_of, open_callback};
use crate::model::{
    ComplaintState, Config, Contact, Date, InvoiceKind, InvoiceState, MissionState, Money,
    Organisation, Quantity, RequestState, SessionState,
};
use crate::workspace::{Loaded, Workspace};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClientFile {
    pub id: String,
    pub name: String,
    pub sector: String,
    pub address: Option<String>,
    pub country: String,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub contacts: Vec<Contact>,
    pub notes: Option<String>,
    /// `prospect`, `client` or `former`, on `as_of`.
    pub status: ClientStatus,
    pub as_of: Date,
    /// The first and last days it acted as a client.
    pub client_since: Option<Date>,
    pub last_client_day: Option<Date>,
    pub requests: Vec<RequestRow>,
    /// Its requests that ended without work, with their reasons.
    pub lost: Vec<LostRequest>,
    pub missions: Vec<MissionRow>,
    pub invoices: Vec<InvoiceRow>,
    pub payments: Vec<PaymentRow>,
    pub interactions: Vec<InteractionRow>,
    pub open_callback: Option<OpenCallback>,
    pub complaints: Vec<ComplaintRow>,
    pub satisfaction: Vec<SatisfactionRow>,
    /// Per year: invoiced excl. VAT (invoices less credit notes, by issue date) and paid (by
    /// payment date).
    pub revenue: Vec<YearRevenue>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RequestRow {
    pub id: String,
    pub state: RequestState,
    pub received: String,
    pub origin: String,
    pub owner: Option<String>,
    pub quote: Option<String>,
    pub quote_sent: Option<Date>,
    pub quote_valid_until: Option<Date>,
    /// The quote's total excl. VAT.
    pub quote_total: Option<Money>,
    pub decision: Option<Date>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MissionRow {
    pub id: String,
    pub state: MissionState,
    pub request: String,
    pub opened: Date,
    pub closed: Option<Date>,
    pub sessions_held: u32,
    pub attended: u32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InvoiceRow {
    pub id: String,
    pub kind: InvoiceKind,
    pub state: InvoiceState,
    pub mission: Option<String>,
    pub issued: Option<Date>,
    pub due: Option<Date>,
    /// Excl. VAT.
    pub total: Money,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PaymentRow {
    pub invoice: String,
    pub date: Date,
    pub reference: Option<String>,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InteractionRow {
    pub at: String,
    pub owner: Option<String>,
    pub channel: Option<InteractionChannel>,
    pub summary: Option<String>,
    pub contact: Option<String>,
    pub satisfaction: bool,
    pub callback_due: Option<Date>,
    pub callback_reason: Option<String>,
    pub callback_done: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ComplaintRow {
    pub id: String,
    pub state: ComplaintState,
    pub received: String,
    pub summary: String,
    pub mission: Option<String>,
    pub action: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SatisfactionRow {
    pub session: String,
    pub mission: String,
    pub date: Date,
    pub attended: Option<u32>,
    pub responses: Option<u32>,
    /// The survey's average per question.
    pub averages: BTreeMap<String, Quantity>,
    pub nps: Option<i32>,
    /// The old single satisfaction score, when recorded.
    pub score: Option<Quantity>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct YearRevenue {
    pub year: i32,
    pub invoiced: Money,
    pub paid: Money,
}

/// The client file of `org` on `today`.
pub fn compute(
    ws: &Workspace,
    config: &Config,
    org: &Loaded<Organisation>,
    today: Date,
) -> ClientFile {
    let id = org.id.as_str();
    let requests: Vec<_> = ws
        .requests
        .iter()
        .filter(|r| r.organisation == id)
        .collect();
    let missions: Vec<_> = ws
        .missions
        .iter()
        .filter(|m| m.organisation == id)
        .collect();
    let invoices: Vec<_> = ws
        .invoices
        .iter()
        .filter(|i| i.organisation == id)
        .collect();
    let activity = client::activity(
        id,
        requests.iter().map(|r| &r.value),
        missions.iter().map(|m| &m.value),
        invoices.iter().map(|i| &i.value),
    );
    let mut file = ClientFile {
        id: org.id.clone(),
        name: org.name.clone(),
        sector: org.sector.as_str().to_string(),
        address: org.address.clone(),
        country: org.country.clone(),
        siren: org.siren.clone(),
        siret: org.siret.clone(),
        vat_number: org.vat_number.clone(),
        contacts: org.contacts.clone(),
        notes: org.notes.clone(),
        status: activity.status_on(today, &config.crm),
        as_of: today,
        client_since: activity.first(),
        last_client_day: activity.last(),
        requests: requests
            .iter()
            .map(|r| RequestRow {
                id: r.id.clone(),
                state: r.state,
                received: r.received.to_string(),
                origin: r.origin_refs().collect::<Vec<_>>().join(", "),
                owner: r.owner.clone(),
                quote: r.quote.as_ref().and_then(|q| q.number.clone()),
                quote_sent: r.quote.as_ref().and_then(|q| q.sent),
                quote_valid_until: r.quote.as_ref().and_then(|q| q.valid_until),
                quote_total: r.quote.as_ref().map(|q| q.total_in(Some(config)).round()),
                decision: r.decision.as_ref().map(|d| d.date),
                reason: r.decision.as_ref().and_then(|d| d.reason.clone()),
            })
            .collect(),
        lost: client::lost_requests(id, requests.iter().map(|r| &r.value)),
        missions: missions
            .iter()
            .map(|m| {
                let held = ws
                    .sessions
                    .iter()
                    .filter(|s| s.mission == m.id && s.state == SessionState::Held);
                let (n, attended) = held.fold((0, 0), |(n, a), s| {
                    (n + 1, a + s.participants.attended.unwrap_or(0))
                });
                MissionRow {
                    id: m.id.clone(),
                    state: m.state,
                    request: m.request.clone(),
                    opened: m.opened,
                    closed: m.closed,
                    sessions_held: n,
                    attended,
                }
            })
            .collect(),
        invoices: Vec::new(),
        payments: Vec::new(),
        interactions: Vec::new(),
        open_callback: open_callback(id, ws.interactions.iter().map(|f| &f.value)),
        complaints: Vec::new(),
        satisfaction: Vec::new(),
        revenue: Vec::new(),
    };
    money(&mut file, config, &invoices);
    file.interactions = entries_of(id, ws.interactions.iter().map(|f| &f.value))
        .into_iter()
        .map(|e| InteractionRow {
            at: e.at.to_string(),
            owner: e.owner.clone(),
            channel: e.channel,
            summary: e.summary.clone(),
            contact: e.contact.clone(),
            satisfaction: e.satisfaction,
            callback_due: e.callback.as_ref().map(|c| c.due),
            callback_reason: e.callback.as_ref().map(|c| c.reason.clone()),
            callback_done: e.callback_done,
            note: e.note.clone(),
        })
        .collect();
    file.complaints = ws
        .complaints
        .iter()
        .filter(|c| c.organisation == id)
        .map(|c| ComplaintRow {
            id: c.id.clone(),
            state: c.state,
            received: c.received.to_string(),
            summary: c.summary.clone(),
            mission: c.mission.clone(),
            action: c.action.clone(),
        })
        .collect();
    let ids: Vec<&str> = file.missions.iter().map(|m| m.id.as_str()).collect();
    let mut sat: Vec<SatisfactionRow> = ws
        .sessions
        .iter()
        .filter(|s| ids.contains(&s.mission.as_str()))
        .filter(|s| s.survey.is_some() || s.satisfaction.is_some())
        .map(|s| SatisfactionRow {
            session: s.id.clone(),
            mission: s.mission.clone(),
            date: s.start.date(),
            attended: s.participants.attended,
            responses: s.survey.as_ref().map(|v| v.responses),
            averages: s
                .survey
                .as_ref()
                .map(|v| v.averages.clone())
                .unwrap_or_default(),
            nps: s.survey.as_ref().and_then(|v| v.nps),
            score: s.satisfaction,
        })
        .collect();
    sat.sort_by(|a, b| (a.date, &a.session).cmp(&(b.date, &b.session)));
    file.satisfaction = sat;
    file
}

/// Invoices, payments and revenue per year.
fn money(file: &mut ClientFile, config: &Config, invoices: &[&Loaded<crate::model::Invoice>]) {
    let mut years: BTreeMap<i32, YearRevenue> = BTreeMap::new();
    fn year(years: &mut BTreeMap<i32, YearRevenue>, y: i32) -> &mut YearRevenue {
        years.entry(y).or_insert(YearRevenue {
            year: y,
            invoiced: Money::ZERO,
            paid: Money::ZERO,
        })
    }
    for inv in invoices {
        let total = inv.total(config);
        file.invoices.push(InvoiceRow {
            id: inv.id.clone(),
            kind: inv.kind,
            state: inv.state,
            mission: inv.mission.clone(),
            issued: inv.issued,
            due: inv.due,
            total,
        });
        if inv.state == InvoiceState::Draft {
            continue;
        }
        let sign = |m: Money| {
            if inv.kind == InvoiceKind::CreditNote {
                Money::ZERO - m
            } else {
                m
            }
        };
        if let Some(issued) = inv.issued {
            let y = year(&mut years, issued.year());
            y.invoiced += sign(total);
        }
        if let Some(p) = &inv.paid {
            let y = year(&mut years, p.date.year());
            y.paid += sign(total);
            file.payments.push(PaymentRow {
                invoice: inv.id.clone(),
                date: p.date,
                reference: p.reference.clone(),
                amount: sign(total),
            });
        }
    }
    file.payments
        .sort_by(|a, b| (a.date, &a.invoice).cmp(&(b.date, &b.invoice)));
    file.revenue = years.into_values().collect();
}

/// The client file as text: a header of identity lines, then one table per section.
pub fn render(f: &ClientFile) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<16}{value}\n"));
    line("organisation", format!("{} — {}", f.id, f.name));
    line("sector", f.sector.clone());
    let since = match (f.client_since, f.last_client_day) {
        (Some(a), Some(b)) => format!(" (client days {a} to {b})"),
        _ => String::new(),
    };
    line("status", format!("{} on {}{since}", f.status, f.as_of));
    if let Some(a) = &f.address {
        line("address", format!("{a} ({})", f.country));
    }
    for (label, v) in [
        ("siren", &f.siren),
        ("siret", &f.siret),
        ("vat number", &f.vat_number),
    ] {
        if let Some(v) = v {
            line(label, v.clone());
        }
    }
    for c in &f.contacts {
        let mut s = c.name.clone();
        for part in [&c.role, &c.email, &c.phone].into_iter().flatten() {
            s.push_str(&format!(", {part}"));
        }
        line("contact", s);
    }
    if let Some(c) = &f.open_callback {
        line(
            "callback",
            format!(
                "due {}: {}{}",
                c.due,
                c.reason,
                c.owner
                    .as_ref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default()
            ),
        );
    }
    if let Some(n) = &f.notes {
        line("notes", n.clone());
    }
    for s in sections(f) {
        out.push('\n');
        out.push_str(&format!("{}\n", s.title));
        if s.rows.is_empty() {
            out.push_str("  none\n");
            continue;
        }
        out.push_str(&super::table::format_rows(
            &s.headers,
            &s.rows,
            crate::cli::ListFormat::Table,
            false,
        ));
    }
    out
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The tables of the client file.
pub fn sections(f: &ClientFile) -> Vec<Section> {
    let mut requests = Section::new(
        "Requests and quotes",
        &[
            "request",
            "state",
            "received",
            "origin",
            "quote",
            "sent",
            "valid until",
            "decision",
            "reason",
            "total",
        ],
        9,
    );
    for r in &f.requests {
        requests.rows.push(vec![
            r.id.clone(),
            r.state.to_string(),
            r.received.clone(),
            r.origin.clone(),
            opt(&r.quote),
            opt(&r.quote_sent),
            opt(&r.quote_valid_until),
            opt(&r.decision),
            opt(&r.reason),
            opt(&r.quote_total),
        ]);
    }
    let mut missions = Section::new(
        "Missions",
        &[
            "mission",
            "state",
            "request",
            "opened",
            "closed",
            "sessions held",
            "attended",
        ],
        5,
    );
    for m in &f.missions {
        missions.rows.push(vec![
            m.id.clone(),
            m.state.to_string(),
            m.request.clone(),
            m.opened.to_string(),
            opt(&m.closed),
            m.sessions_held.to_string(),
            m.attended.to_string(),
        ]);
    }
    let mut invoices = Section::new(
        "Invoices",
        &[
            "invoice",
            "kind",
            "state",
            "mission",
            "issued",
            "due",
            "total excl. VAT",
        ],
        6,
    );
    for i in &f.invoices {
        invoices.rows.push(vec![
            i.id.clone(),
            i.kind.to_string(),
            i.state.to_string(),
            opt(&i.mission),
            opt(&i.issued),
            opt(&i.due),
            i.total.to_string(),
        ]);
    }
    let mut payments = Section::new("Payments", &["date", "invoice", "reference", "amount"], 3);
    for p in &f.payments {
        payments.rows.push(vec![
            p.date.to_string(),
            p.invoice.clone(),
            opt(&p.reference),
            p.amount.to_string(),
        ]);
    }
    let mut lost = Section::new("Lost requests", &["request", "state", "date", "reason"], 4);
    for l in &f.lost {
        lost.rows.push(vec![
            l.request.clone(),
            l.state.to_string(),
            l.date.to_string(),
            opt(&l.reason),
        ]);
    }
    let mut out = vec![requests, lost, missions, invoices, payments];
    out.extend(relationship_sections(f));
    out
}

/// The tables of the relationship: interactions, complaints, satisfaction, revenue.
fn relationship_sections(f: &ClientFile) -> Vec<Section> {
    let mut interactions = Section::new(
        "Interactions",
        &["at", "owner", "channel", "contact", "what", "callback"],
        6,
    );
    for e in &f.interactions {
        let what = if e.callback_done {
            format!(
                "callback done{}",
                e.note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            )
        } else {
            let mut s = e.summary.clone().unwrap_or_default();
            if e.satisfaction {
                s.push_str(" (satisfaction call)");
            }
            s
        };
        let callback = match (&e.callback_due, &e.callback_reason) {
            (Some(d), Some(r)) => format!("{d}: {r}"),
            _ => String::new(),
        };
        interactions.rows.push(vec![
            e.at.clone(),
            opt(&e.owner),
            opt(&e.channel),
            opt(&e.contact),
            what,
            callback,
        ]);
    }
    let mut complaints = Section::new(
        "Complaints",
        &[
            "complaint",
            "state",
            "received",
            "mission",
            "summary",
            "action",
        ],
        6,
    );
    for c in &f.complaints {
        complaints.rows.push(vec![
            c.id.clone(),
            c.state.to_string(),
            c.received.clone(),
            opt(&c.mission),
            c.summary.clone(),
            opt(&c.action),
        ]);
    }
    let mut satisfaction = Section::new(
        "Satisfaction",
        &[
            "session",
            "date",
            "attended",
            "responses",
            "averages",
            "nps",
            "score",
        ],
        2,
    );
    for s in &f.satisfaction {
        let averages: Vec<String> = s.averages.iter().map(|(k, v)| format!("{k} {v}")).collect();
        satisfaction.rows.push(vec![
            s.session.clone(),
            s.date.to_string(),
            opt(&s.attended),
            opt(&s.responses),
            averages.join(", "),
            opt(&s.nps),
            opt(&s.score),
        ]);
    }
    let mut revenue = Section::new(
        "Revenue per year",
        &["year", "invoiced excl. VAT", "paid"],
        1,
    );
    for y in &f.revenue {
        revenue.rows.push(vec![
            y.year.to_string(),
            y.invoiced.to_string(),
            y.paid.to_string(),
        ]);
    }
    vec![interactions, complaints, satisfaction, revenue]
}
