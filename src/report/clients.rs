//! `fresk report clients`: the client relationship in figures, as the marketing plan asks —
//! organisations by status, the pipeline from first contact to client, lost prospects with
//! their reasons, clients per year (new, returning, lost), the typology by sector, revenue and
//! hours by client type per month, hours sold per offer per month, the average basket, the
//! share of requests answered within the SLA, origins by month and year, and the satisfaction
//! after each client's first mission.
//!
//! Definitions (docs/reports.md repeats them):
//! - status (`prospect`, `client`, `former`) is [`crate::model::client`]'s, on the period's last
//!   day (today when the period is open or ends later);
//! - a *contact* is an organisation whose first request arrived in the period; it *converted*
//!   when it has a won request (or a mission, or an invoice) since;
//! - revenue and hours are those of held sessions (valued like `report activity`, in the month
//!   they started); the average basket is that revenue ÷ the clients served;
//! - hours sold are the hours of the sessions ordered (mission order lines × the offer's
//!   `hours`), in the month the mission opened;
//! - a request counts for the answer rate once answered, or once the SLA has passed unanswered.

use super::{Period, Section, dec, mean, n, offer_hours, session_price};
use crate::model::client::{self, Activity, ClientStatus};
use crate::model::origin;
use crate::model::{Config, Date, Kind, Money, Quantity, Request, RequestState, SessionState};
use crate::workspace::Workspace;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The kinds this report reads.
pub const KINDS: &[Kind] = &[
    Kind::Config,
    Kind::Organisation,
    Kind::Request,
    Kind::Mission,
    Kind::Session,
    Kind::Invoice,
];

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClientsReport {
    pub period: Period,
    /// The day statuses are taken on.
    pub as_of: Date,
    pub by_status: Vec<StatusRow>,
    pub funnel: Funnel,
    pub lost_prospects: Vec<LostProspect>,
    pub per_year: Vec<YearRow>,
    pub by_sector: Vec<SectorRow>,
    pub monthly: Vec<MonthSector>,
    pub hours_sold: Vec<MonthOffer>,
    pub basket: Basket,
    pub response: Response,
    pub origins_by_month: Vec<OriginCount>,
    pub origins_by_year: Vec<OriginCount>,
    pub satisfaction: Vec<FirstMission>,
}

/// Organisations and their contacts with one status.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StatusRow {
    pub status: ClientStatus,
    pub organisations: u32,
    pub contacts: u32,
    /// Contacts who may receive mailings (no `marketing: false`).
    pub mailable: u32,
}

/// From first contact to client: organisations whose first request arrived in the period.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Funnel {
    pub contacts: u32,
    /// … of which a quote was sent to.
    pub quoted: u32,
    /// … of which became clients.
    pub converted: u32,
    /// converted ÷ contacts, in percent (one decimal).
    pub conversion_percent: Option<Quantity>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LostProspect {
    pub organisation: String,
    pub request: String,
    pub state: RequestState,
    pub date: Date,
    pub reason: Option<String>,
}

/// Clients in a year: `new` for the first time, `returning` who were clients before, `lost`
/// who were clients the year before and not this one.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct YearRow {
    pub year: i32,
    pub clients: u32,
    pub new: u32,
    pub returning: u32,
    pub lost: u32,
}

/// The typology: organisations per sector and status, with what was delivered.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SectorRow {
    pub sector: String,
    pub prospects: u32,
    pub clients: u32,
    pub former: u32,
    pub revenue: Money,
    pub hours: Quantity,
}

/// Revenue and hours delivered to one client type (sector) in one month.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MonthSector {
    pub month: String,
    pub sector: String,
    pub sessions: u32,
    pub hours: Quantity,
    pub revenue: Money,
}

/// Hours sold (ordered) of one offer in one month.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MonthOffer {
    pub month: String,
    pub offer: String,
    pub sessions: u32,
    pub hours: Quantity,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Basket {
    /// Revenue of the held sessions of the period.
    pub revenue: Money,
    /// Organisations with a held session in the period.
    pub clients: u32,
    /// revenue ÷ clients, to the cent.
    pub average: Option<Money>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Response {
    pub sla_hours: u32,
    /// Requests answered, or past the SLA unanswered.
    pub counted: u32,
    pub within_sla: u32,
    /// within_sla ÷ counted, in percent (one decimal).
    pub rate_percent: Option<Quantity>,
}

/// Requests naming one origin in one month (`2026-03`) or year (`2026`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OriginCount {
    pub period: String,
    pub origin: String,
    pub label: String,
    pub requests: u32,
}

/// A client's first mission and the satisfaction of its held sessions.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FirstMission {
    pub organisation: String,
    pub mission: String,
    /// The day its last held session started.
    pub ended: Date,
    pub scored_sessions: u32,
    pub satisfaction: Option<Quantity>,
}

/// `part` ÷ `whole` in percent, one decimal (half away from zero).
fn percent(part: u32, whole: u32) -> Option<Quantity> {
    (whole > 0).then(|| {
        Quantity(
            (Decimal::from(part) * Decimal::from(100) / Decimal::from(whole))
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )
    })
}

pub fn compute(
    ws: &Workspace,
    config: &Config,
    period: Period,
    today: Date,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> ClientsReport {
    debug_assert!(KINDS.iter().all(|k| ws.kinds.has(*k)), "{:?}", ws.kinds);
    let as_of = period.to.map_or(today, |t| t.min(today));
    let requests: Vec<&Request> = ws.requests.iter().map(|r| &r.value).collect();
    let activity: BTreeMap<&str, Activity> = ws
        .organisations
        .iter()
        .map(|o| {
            let a = client::activity(
                &o.id,
                requests.iter().copied(),
                ws.missions.iter().map(|m| &m.value),
                ws.invoices.iter().map(|i| &i.value),
            );
            (o.id.as_str(), a)
        })
        .collect();
    let status = |id: &str| {
        activity
            .get(id)
            .map_or(ClientStatus::Prospect, |a| a.status_on(as_of, &config.crm))
    };
    let delivered = delivered(ws, config, period);
    ClientsReport {
        period,
        as_of,
        by_status: by_status(ws, &status),
        funnel: funnel(&requests, &activity, period),
        lost_prospects: lost_prospects(ws, &requests, &status, period),
        per_year: per_year(&activity, period, as_of),
        by_sector: by_sector(ws, &status, &delivered),
        basket: basket(&delivered),
        monthly: delivered.monthly.into_values().collect(),
        hours_sold: hours_sold(ws, config, period),
        response: response(config, &requests, period, now, tz),
        origins_by_month: origins(config, &requests, period, |d| d.month().to_string()),
        origins_by_year: origins(config, &requests, period, |d| d.year().to_string()),
        satisfaction: satisfaction(ws, period),
    }
}

fn by_status(ws: &Workspace, status: &dyn Fn(&str) -> ClientStatus) -> Vec<StatusRow> {
    ClientStatus::ALL
        .iter()
        .map(|&s| {
            let orgs: Vec<_> = ws
                .organisations
                .iter()
                .filter(|o| status(&o.id) == s)
                .collect();
            let contacts = orgs.iter().map(|o| o.contacts.len() as u32).sum();
            let mailable = orgs
                .iter()
                .filter(|o| o.marketing != Some(false))
                .flat_map(|o| &o.contacts)
                .filter(|c| c.marketing != Some(false))
                .count() as u32;
            StatusRow {
                status: s,
                organisations: orgs.len() as u32,
                contacts,
                mailable,
            }
        })
        .collect()
}

fn funnel(requests: &[&Request], activity: &BTreeMap<&str, Activity>, period: Period) -> Funnel {
    // Each organisation's first request: it became a contact that day.
    let mut first: BTreeMap<&str, Date> = BTreeMap::new();
    for r in requests {
        let d = r.received.date();
        let e = first.entry(r.organisation.as_str()).or_insert(d);
        *e = (*e).min(d);
    }
    let mut f = Funnel::default();
    for (org, day) in first {
        if !period.contains(day) {
            continue;
        }
        f.contacts += 1;
        let quoted = requests
            .iter()
            .any(|r| r.organisation == org && r.quote.as_ref().is_some_and(|q| q.sent.is_some()));
        let converted = activity.get(org).is_some_and(|a| a.first().is_some());
        f.quoted += u32::from(quoted || converted);
        f.converted += u32::from(converted);
    }
    f.conversion_percent = percent(f.converted, f.contacts);
    f
}

fn lost_prospects(
    ws: &Workspace,
    requests: &[&Request],
    status: &dyn Fn(&str) -> ClientStatus,
    period: Period,
) -> Vec<LostProspect> {
    let mut out = Vec::new();
    for o in &ws.organisations {
        if status(&o.id) != ClientStatus::Prospect {
            continue;
        }
        for l in client::lost_requests(&o.id, requests.iter().copied()) {
            if period.contains(l.date) {
                out.push(LostProspect {
                    organisation: o.id.clone(),
                    request: l.request,
                    state: l.state,
                    date: l.date,
                    reason: l.reason,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.date, &a.request).cmp(&(b.date, &b.request)));
    out
}

fn per_year(activity: &BTreeMap<&str, Activity>, period: Period, as_of: Date) -> Vec<YearRow> {
    let years: Vec<BTreeSet<i32>> = activity
        .values()
        .map(|a| a.days.range(..=as_of).map(|d| d.year()).collect())
        .collect();
    let Some(first) = years.iter().filter_map(|y| y.first().copied()).min() else {
        return Vec::new();
    };
    let from = period.from.map_or(first, |f| f.year().max(first));
    (from..=as_of.year())
        .map(|year| {
            let mut row = YearRow {
                year,
                clients: 0,
                new: 0,
                returning: 0,
                lost: 0,
            };
            for y in &years {
                if y.contains(&year) {
                    row.clients += 1;
                    if y.first() == Some(&year) {
                        row.new += 1;
                    } else {
                        row.returning += 1;
                    }
                } else if y.contains(&(year - 1)) {
                    row.lost += 1;
                }
            }
            row
        })
        .collect()
}

/// What the held sessions of the period delivered.
#[derive(Default)]
struct Delivered {
    /// Per (month, sector).
    monthly: BTreeMap<(String, String), MonthSector>,
    /// Per sector: revenue and hours.
    sectors: BTreeMap<String, (Money, Decimal)>,
    /// Organisations served.
    clients: BTreeSet<String>,
    revenue: Money,
}

fn delivered(ws: &Workspace, config: &Config, period: Period) -> Delivered {
    let missions = super::by_id(&ws.missions, |m| &m.id);
    let mut out = Delivered::default();
    for s in &ws.sessions {
        if s.state != SessionState::Held || !period.contains(s.start.date()) {
            continue;
        }
        let mission = missions.get(s.mission.as_str()).copied();
        let revenue = session_price(config, mission, s);
        let hours = offer_hours(config, &s.offer);
        let sector = mission.map_or("unknown", |m| m.sector.as_str()).to_string();
        let month = s.start.date().month().to_string();
        let row = out
            .monthly
            .entry((month.clone(), sector.clone()))
            .or_insert_with(|| MonthSector {
                month,
                sector: sector.clone(),
                sessions: 0,
                hours: Quantity(Decimal::ZERO),
                revenue: Money::ZERO,
            });
        row.sessions += 1;
        row.hours.0 += hours;
        row.revenue += revenue;
        let per = out
            .sectors
            .entry(sector)
            .or_insert((Money::ZERO, Decimal::ZERO));
        per.0 += revenue;
        per.1 += hours;
        out.revenue += revenue;
        if let Some(m) = mission {
            out.clients.insert(m.organisation.clone());
        }
    }
    out
}

fn by_sector(
    ws: &Workspace,
    status: &dyn Fn(&str) -> ClientStatus,
    delivered: &Delivered,
) -> Vec<SectorRow> {
    let mut rows: BTreeMap<String, SectorRow> = BTreeMap::new();
    let blank = |sector: &str| SectorRow {
        sector: sector.to_string(),
        prospects: 0,
        clients: 0,
        former: 0,
        revenue: Money::ZERO,
        hours: Quantity(Decimal::ZERO),
    };
    for o in &ws.organisations {
        let row = rows
            .entry(o.sector.as_str().to_string())
            .or_insert_with(|| blank(o.sector.as_str()));
        match status(&o.id) {
            ClientStatus::Prospect => row.prospects += 1,
            ClientStatus::Client => row.clients += 1,
            ClientStatus::Former => row.former += 1,
        }
    }
    for (sector, (revenue, hours)) in &delivered.sectors {
        let row = rows.entry(sector.clone()).or_insert_with(|| blank(sector));
        row.revenue = *revenue;
        row.hours = Quantity(*hours);
    }
    rows.into_values().collect()
}

fn basket(delivered: &Delivered) -> Basket {
    let clients = delivered.clients.len() as u32;
    Basket {
        revenue: delivered.revenue,
        clients,
        average: (clients > 0).then(|| {
            Money(
                (delivered.revenue.0 / Decimal::from(clients)).round_dp_with_strategy(
                    2,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                ),
            )
        }),
    }
}

fn hours_sold(ws: &Workspace, config: &Config, period: Period) -> Vec<MonthOffer> {
    let mut rows: BTreeMap<(String, String), MonthOffer> = BTreeMap::new();
    for m in &ws.missions {
        if m.state == crate::model::MissionState::Cancelled || !period.contains(m.opened) {
            continue;
        }
        for line in &m.order {
            let Some(offer) = line.offer.as_deref() else {
                continue;
            };
            let month = m.opened.month().to_string();
            let row = rows
                .entry((month.clone(), offer.to_string()))
                .or_insert_with(|| MonthOffer {
                    month,
                    offer: offer.to_string(),
                    sessions: 0,
                    hours: Quantity(Decimal::ZERO),
                });
            row.sessions += line.quantity;
            row.hours.0 += offer_hours(config, offer) * Decimal::from(line.quantity);
        }
    }
    rows.into_values().collect()
}

fn response(
    config: &Config,
    requests: &[&Request],
    period: Period,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> Response {
    let sla = chrono::Duration::hours(i64::from(config.response_sla_hours));
    let (mut counted, mut within) = (0, 0);
    for r in requests {
        if !period.contains(r.received.date()) {
            continue;
        }
        let received = r.received.instant(tz);
        match r.first_response {
            Some(answer) => {
                counted += 1;
                within += u32::from(answer.instant(tz) - received <= sla);
            }
            None if now - received > sla => counted += 1,
            None => {}
        }
    }
    Response {
        sla_hours: config.response_sla_hours,
        counted,
        within_sla: within,
        rate_percent: percent(within, counted),
    }
}

fn origins(
    config: &Config,
    requests: &[&Request],
    period: Period,
    bucket: impl Fn(Date) -> String,
) -> Vec<OriginCount> {
    let mut counts: BTreeMap<(String, String), u32> = BTreeMap::new();
    for r in requests {
        let day = r.received.date();
        if !period.contains(day) {
            continue;
        }
        for key in super::requests::origin_keys(config, r) {
            *counts.entry((bucket(day), key)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((period, key), requests)| OriginCount {
            period,
            label: origin::label_of(&config.origins, &key),
            origin: key,
            requests,
        })
        .collect()
}

fn satisfaction(ws: &Workspace, period: Period) -> Vec<FirstMission> {
    // Each organisation's first mission (by opening day, then id), not cancelled.
    let mut first: BTreeMap<&str, &crate::model::Mission> = BTreeMap::new();
    for m in &ws.missions {
        if m.state == crate::model::MissionState::Cancelled {
            continue;
        }
        let e = first.entry(m.organisation.as_str()).or_insert(&m.value);
        if (m.opened, &m.id) < (e.opened, &e.id) {
            *e = &m.value;
        }
    }
    let mut out = Vec::new();
    for (org, m) in first {
        let held: Vec<_> = ws
            .sessions
            .iter()
            .filter(|s| s.mission == m.id && s.state == SessionState::Held)
            .collect();
        let Some(ended) = held.iter().map(|s| s.start.date()).max() else {
            continue;
        };
        if !period.contains(ended) {
            continue;
        }
        let scores: Vec<Decimal> = held
            .iter()
            .filter_map(|s| s.satisfaction)
            .map(|q| q.0)
            .collect();
        out.push(FirstMission {
            organisation: org.to_string(),
            mission: m.id.clone(),
            ended,
            scored_sessions: scores.len() as u32,
            satisfaction: mean(scores.iter().sum(), scores.len() as u32),
        });
    }
    out.sort_by(|a, b| (a.ended, &a.organisation).cmp(&(b.ended, &b.organisation)));
    out
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl ClientsReport {
    pub fn sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        let mut s = Section::new(
            "Organisations by status",
            &["status", "organisations", "contacts", "mailable"],
            1,
        );
        s.rows = self
            .by_status
            .iter()
            .map(|r| {
                vec![
                    r.status.to_string(),
                    n(r.organisations),
                    n(r.contacts),
                    n(r.mailable),
                ]
            })
            .collect();
        out.push(s);
        let f = &self.funnel;
        let mut s = Section::new(
            "From first contact to client",
            &["contacts", "quoted", "converted", "conversion %"],
            0,
        );
        s.rows = vec![vec![
            n(f.contacts),
            n(f.quoted),
            n(f.converted),
            opt(&f.conversion_percent),
        ]];
        out.push(s);
        let mut s = Section::new(
            "Lost prospects",
            &["organisation", "request", "state", "date", "reason"],
            5,
        );
        s.rows = self
            .lost_prospects
            .iter()
            .map(|l| {
                vec![
                    l.organisation.clone(),
                    l.request.clone(),
                    l.state.to_string(),
                    l.date.to_string(),
                    opt(&l.reason),
                ]
            })
            .collect();
        out.push(s);
        let mut s = Section::new(
            "Clients per year",
            &["year", "clients", "new", "returning", "lost"],
            1,
        );
        s.rows = self
            .per_year
            .iter()
            .map(|y| vec![n(y.year), n(y.clients), n(y.new), n(y.returning), n(y.lost)])
            .collect();
        out.push(s);
        out.extend(self.activity_sections());
        out.extend(self.origin_sections());
        out
    }

    fn activity_sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        let mut s = Section::new(
            "Typology by sector",
            &[
                "sector",
                "prospects",
                "clients",
                "former",
                "revenue",
                "hours",
            ],
            1,
        );
        s.rows = self
            .by_sector
            .iter()
            .map(|r| {
                vec![
                    r.sector.clone(),
                    n(r.prospects),
                    n(r.clients),
                    n(r.former),
                    r.revenue.to_string(),
                    dec(r.hours.0),
                ]
            })
            .collect();
        out.push(s);
        let mut s = Section::new(
            "Revenue and hours by client type and month",
            &["month", "sector", "sessions", "hours", "revenue"],
            2,
        );
        s.rows = self
            .monthly
            .iter()
            .map(|r| {
                vec![
                    r.month.clone(),
                    r.sector.clone(),
                    n(r.sessions),
                    dec(r.hours.0),
                    r.revenue.to_string(),
                ]
            })
            .collect();
        out.push(s);
        let mut s = Section::new(
            "Hours sold per offer and month",
            &["month", "offer", "sessions", "hours"],
            2,
        );
        s.rows = self
            .hours_sold
            .iter()
            .map(|r| {
                vec![
                    r.month.clone(),
                    r.offer.clone(),
                    n(r.sessions),
                    dec(r.hours.0),
                ]
            })
            .collect();
        out.push(s);
        let b = &self.basket;
        let mut s = Section::new("Average basket", &["revenue", "clients", "average"], 0);
        s.rows = vec![vec![b.revenue.to_string(), n(b.clients), opt(&b.average)]];
        out.push(s);
        let r = &self.response;
        let mut s = Section::new(
            "First answer within the SLA",
            &["sla hours", "requests", "within sla", "rate %"],
            0,
        );
        s.rows = vec![vec![
            n(r.sla_hours),
            n(r.counted),
            n(r.within_sla),
            opt(&r.rate_percent),
        ]];
        out.push(s);
        out
    }

    fn origin_sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        for (title, what, rows) in [
            ("Origins by month", "month", &self.origins_by_month),
            ("Origins by year", "year", &self.origins_by_year),
        ] {
            let mut s = Section::new(title, &[what, "origin", "label", "requests"], 3);
            s.rows = rows
                .iter()
                .map(|o| {
                    vec![
                        o.period.clone(),
                        o.origin.clone(),
                        o.label.clone(),
                        n(o.requests),
                    ]
                })
                .collect();
            out.push(s);
        }
        let mut s = Section::new(
            "Satisfaction after the first mission",
            &[
                "organisation",
                "mission",
                "ended",
                "scored sessions",
                "satisfaction",
            ],
            3,
        );
        s.rows = self
            .satisfaction
            .iter()
            .map(|f| {
                vec![
                    f.organisation.clone(),
                    f.mission.clone(),
                    f.ended.to_string(),
                    n(f.scored_sessions),
                    opt(&f.satisfaction),
                ]
            })
            .collect();
        out.push(s);
        out
    }
}
