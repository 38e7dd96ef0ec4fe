//! `fresk report activity`: what was delivered — hours, sessions, participants and revenue per
//! offer, sector and month; clients, average basket and returning clients; usage-rights fees;
//! the revenue split between internal groups and the common fund where `shares` are set.
//!
//! Held sessions count in the month they started; revenue is valued like `report missions`
//! ([`super::session_price`]), so the two totals agree.

use super::{Period, Section, by_id, dec, n, session_price};
use crate::HashMap;
use crate::model::Kind;
use crate::model::mission::ShareBasis;
use crate::model::{
    Config, Date, DeclarationState, Money, Quantity, SessionState, Share, Shares, YearMonth,
};
use crate::workspace::Workspace;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ActivityReport {
    pub period: Period,
    pub totals: Figures,
    pub by_offer: Vec<Keyed>,
    pub by_sector: Vec<Keyed>,
    pub by_month: Vec<Keyed>,
    pub clients: Vec<Client>,
    /// Revenue delivered per client (total ÷ clients).
    pub average_basket: Option<Money>,
    /// Clients with a request in the period who had asked before.
    pub returning_clients: Vec<String>,
    pub usage_rights: UsageRights,
    pub shares: Vec<ShareRow>,
    /// Revenue, payouts, costs and margin per offer, sector, group and month.
    pub margins: super::margins::Margins,
}

#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct Figures {
    pub sessions: u32,
    pub hours: Quantity,
    pub participants: u32,
    pub revenue: Money,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Keyed {
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Client {
    pub organisation: String,
    pub sector: String,
    pub missions: u32,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UsageRights {
    pub percent: Option<Quantity>,
    pub min_invoice: Option<Money>,
    pub declarations: Vec<DeclarationRow>,
    pub revenue_declared: Money,
    pub fees: Money,
    /// Fees declared, not yet invoiced.
    pub fees_to_invoice: Money,
    /// Fees invoiced, not yet paid.
    pub fees_invoiced_unpaid: Money,
    pub fees_paid: Money,
    /// Fee invoices to issue now: each person's declared fees, grouped oldest first until the
    /// group reaches `min_invoice`.
    pub invoices_to_issue: Vec<FeeGroup>,
    /// Declared fees waiting because together they stay under `min_invoice`.
    pub waiting: Vec<FeeGroup>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DeclarationRow {
    pub id: String,
    pub person: String,
    pub period: YearMonth,
    pub state: DeclarationState,
    pub revenue: Money,
    pub fee: Money,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FeeGroup {
    pub person: String,
    pub declarations: Vec<String>,
    pub total: Money,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ShareRow {
    pub group: String,
    pub amount: Money,
}

impl Figures {
    fn add(&mut self, hours: Decimal, participants: u32, revenue: Money) {
        self.sessions += 1;
        self.hours.0 += hours;
        self.participants += participants;
        self.revenue += revenue;
    }
}

/// Split `amount` by `shares`: each percentage rounded to the cent, `rest` takes what is left.
pub fn split(amount: Money, shares: &Shares) -> Vec<(String, Money)> {
    let mut out = Vec::new();
    let mut given = Money::ZERO;
    let mut rest = None;
    for (group, share) in shares {
        match share {
            Share::Percent(p) => {
                let part = Money(amount.0 * p.0 / Decimal::from(100)).round();
                given += part;
                out.push((group.clone(), part));
            }
            Share::Rest => rest = Some(group.clone()),
        }
    }
    if let Some(group) = rest {
        out.push((group, amount - given));
    }
    out
}

/// The kinds of file this report reads: held sessions, their missions (price, sector, client, shares), organisations (client sector), requests (returning clients), declarations (usage rights). A report loads only these
/// ([`crate::workspace::load_kinds`]); a kind missing here would silently count as none.
pub const KINDS: &[Kind] = &[
    Kind::Config,
    Kind::Organisation,
    Kind::Request,
    Kind::Mission,
    Kind::Session,
    Kind::Declaration,
    Kind::Payout,
];

pub fn compute(ws: &Workspace, config: &Config, period: Period) -> ActivityReport {
    debug_assert!(KINDS.iter().all(|k| ws.kinds.has(*k)), "{:?}", ws.kinds);
    let missions = by_id(&ws.missions, |m| &m.id);
    let orgs = by_id(&ws.organisations, |o| &o.id);
    let mut totals = Figures::default();
    let mut by_offer: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_sector: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_month: BTreeMap<YearMonth, Figures> = BTreeMap::new();
    let mut clients: BTreeMap<String, (Figures, BTreeSet<&str>)> = BTreeMap::new();
    let mut shares: BTreeMap<String, Money> = BTreeMap::new();
    for s in &ws.sessions {
        if s.state != SessionState::Held || !period.contains(s.start.date()) {
            continue;
        }
        let mission = missions.get(s.mission.as_str()).copied();
        let revenue = session_price(config, mission, s);
        let hours = super::offer_hours(config, &s.offer);
        let people = s.participants.attended.unwrap_or(0);
        totals.add(hours, people, revenue);
        by_offer
            .entry(s.offer.clone())
            .or_default()
            .add(hours, people, revenue);
        let sector = mission.map_or("unknown", |m| m.sector.as_str());
        by_sector
            .entry(sector.to_string())
            .or_default()
            .add(hours, people, revenue);
        by_month
            .entry(s.start.date().month())
            .or_default()
            .add(hours, people, revenue);
        let org = mission.map_or("unknown", |m| m.organisation.as_str());
        let client = clients.entry(org.to_string()).or_default();
        client.0.add(hours, people, revenue);
        client.1.insert(s.mission.as_str());
        // Shares of the margin are `report shares`' (and the margin tables'), not revenue's.
        let split_by = match mission.filter(|m| m.shares.is_some()) {
            Some(m) => m
                .shares
                .as_ref()
                .filter(|_| m.shares_of != Some(ShareBasis::Margin)),
            None => config
                .offer(&s.offer)
                .filter(|o| o.shares_of != Some(ShareBasis::Margin))
                .and_then(|o| o.shares.as_ref()),
        };
        if let Some(by) = split_by {
            for (group, amount) in split(revenue, by) {
                *shares.entry(group).or_default() += amount;
            }
        }
    }
    let keyed = |m: BTreeMap<String, Figures>| -> Vec<Keyed> {
        m.into_iter()
            .map(|(key, figures)| Keyed { key, figures })
            .collect()
    };
    let clients: Vec<Client> = clients
        .into_iter()
        .map(|(organisation, (figures, missions))| Client {
            sector: orgs
                .get(organisation.as_str())
                .map_or("unknown", |o| o.sector.as_str())
                .to_string(),
            organisation,
            missions: u32::try_from(missions.len()).unwrap_or(u32::MAX),
            figures,
        })
        .collect();
    let average_basket = u32::try_from(clients.len())
        .ok()
        .filter(|c| *c > 0)
        .map(|c| Money(totals.revenue.0 / Decimal::from(c)).round());

    // Returning clients: a request in the period, and an earlier one.
    let mut first_request: HashMap<&str, Date> = HashMap::default();
    for r in &ws.requests {
        let d = r.received.date();
        first_request
            .entry(r.organisation.as_str())
            .and_modify(|f| *f = (*f).min(d))
            .or_insert(d);
    }
    let returning: BTreeSet<String> = ws
        .requests
        .iter()
        .filter(|r| period.contains(r.received.date()))
        .filter(|r| {
            first_request
                .get(r.organisation.as_str())
                .is_some_and(|f| *f < r.received.date())
        })
        .map(|r| r.organisation.clone())
        .collect();

    ActivityReport {
        period,
        totals,
        by_offer: keyed(by_offer),
        by_sector: keyed(by_sector),
        by_month: by_month
            .into_iter()
            .map(|(k, figures)| Keyed {
                key: k.to_string(),
                figures,
            })
            .collect(),
        clients,
        average_basket,
        returning_clients: returning.into_iter().collect(),
        usage_rights: usage_rights(ws, config, period),
        shares: shares
            .into_iter()
            .map(|(group, amount)| ShareRow { group, amount })
            .collect(),
        margins: super::margins::compute(ws, config, period),
    }
}

fn usage_rights(ws: &Workspace, config: &Config, period: Period) -> UsageRights {
    let in_period = |m: YearMonth| {
        let first = chrono::NaiveDate::from_ymd_opt(m.year, m.month, 1).map(Date);
        let last = first.map(|d| {
            let next = if m.month == 12 {
                chrono::NaiveDate::from_ymd_opt(m.year + 1, 1, 1)
            } else {
                chrono::NaiveDate::from_ymd_opt(m.year, m.month + 1, 1)
            };
            next.map_or(d, |n| Date(n).add_days(-1))
        });
        match (first, last) {
            (Some(f), Some(l)) => {
                period.from.is_none_or(|from| l >= from) && period.to.is_none_or(|to| f <= to)
            }
            _ => false,
        }
    };
    let mut rows: Vec<DeclarationRow> = ws
        .declarations
        .iter()
        .filter(|d| in_period(d.period))
        .map(|d| DeclarationRow {
            id: d.id.clone(),
            person: d.person.clone(),
            period: d.period,
            state: d.state,
            revenue: d.revenue,
            fee: d.fee,
        })
        .collect();
    rows.sort_by(|a, b| (a.period, &a.id).cmp(&(b.period, &b.id)));
    let sum = |state: Option<DeclarationState>| -> Money {
        rows.iter()
            .filter(|d| state.is_none_or(|s| d.state == s))
            .map(|d| d.fee)
            .sum()
    };
    let min = config.usage_rights.as_ref().map(|u| u.min_invoice);
    let mut per_person: BTreeMap<&str, Vec<&DeclarationRow>> = BTreeMap::new();
    for d in rows
        .iter()
        .filter(|d| d.state == DeclarationState::Declared)
    {
        per_person.entry(d.person.as_str()).or_default().push(d);
    }
    let mut ready = Vec::new();
    let mut waiting = Vec::new();
    for (person, decls) in per_person {
        let mut group = FeeGroup {
            person: person.to_string(),
            declarations: Vec::new(),
            total: Money::ZERO,
        };
        for d in decls {
            group.declarations.push(d.id.clone());
            group.total += d.fee;
            if min.is_none_or(|m| group.total >= m) {
                ready.push(std::mem::replace(
                    &mut group,
                    FeeGroup {
                        person: person.to_string(),
                        declarations: Vec::new(),
                        total: Money::ZERO,
                    },
                ));
            }
        }
        if !group.declarations.is_empty() {
            waiting.push(group);
        }
    }
    UsageRights {
        percent: config.usage_rights.as_ref().map(|u| u.percent),
        min_invoice: min,
        revenue_declared: rows.iter().map(|d| d.revenue).sum(),
        fees: sum(None),
        fees_to_invoice: sum(Some(DeclarationState::Declared)),
        fees_invoiced_unpaid: sum(Some(DeclarationState::Invoiced)),
        fees_paid: sum(Some(DeclarationState::Paid)),
        declarations: rows,
        invoices_to_issue: ready,
        waiting,
    }
}

const FIGURES: [&str; 4] = ["sessions", "hours", "participants", "revenue"];

fn figures_row(key: &str, f: &Figures) -> Vec<String> {
    vec![
        key.to_string(),
        n(f.sessions),
        dec(f.hours.0),
        n(f.participants),
        f.revenue.to_string(),
    ]
}

impl ActivityReport {
    pub fn sections(&self) -> Vec<Section> {
        let mut out = Vec::new();
        for (title, first, rows) in [
            ("Held sessions by offer", "offer", &self.by_offer),
            ("By sector", "sector", &self.by_sector),
            ("By month", "month", &self.by_month),
        ] {
            let mut headers = vec![first];
            headers.extend(FIGURES);
            let mut s = Section::new(title, &headers, 1);
            s.rows = rows
                .iter()
                .map(|k| figures_row(&k.key, &k.figures))
                .collect();
            s.rows.push(figures_row("total", &self.totals));
            out.push(s);
        }
        out.push(self.clients());
        let mut s = Section::new("Returning clients", &["organisation"], 1);
        s.rows = self
            .returning_clients
            .iter()
            .map(|c| vec![c.clone()])
            .collect();
        out.push(s);
        out.extend(self.usage_rights());
        let mut s = Section::new(
            "Revenue shares (where `shares` are set)",
            &["group", "amount"],
            1,
        );
        s.rows = self
            .shares
            .iter()
            .map(|r| vec![r.group.clone(), r.amount.to_string()])
            .collect();
        out.push(s);
        out.extend(
            self.margins
                .sections(&["offer", "sector", "group", "month"]),
        );
        out
    }

    /// Each client's figures, and the average basket.
    fn clients(&self) -> Section {
        let mut s = Section::new(
            "Clients",
            &[
                "organisation",
                "sector",
                "missions",
                "sessions",
                "hours",
                "participants",
                "revenue",
            ],
            2,
        );
        s.rows = self
            .clients
            .iter()
            .map(|c| {
                let mut row = vec![c.organisation.clone(), c.sector.clone(), n(c.missions)];
                row.extend(figures_row("", &c.figures).into_iter().skip(1));
                row
            })
            .collect();
        s.rows.push(vec![
            "average basket per client".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            self.average_basket
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ]);
        s
    }

    /// The usage-rights declarations, then the fees to invoice.
    fn usage_rights(&self) -> [Section; 2] {
        let u = &self.usage_rights;
        let mut s = Section::new(
            "Usage-rights declarations",
            &["declaration", "person", "period", "state", "revenue", "fee"],
            4,
        );
        s.rows = u
            .declarations
            .iter()
            .map(|d| {
                vec![
                    d.id.clone(),
                    d.person.clone(),
                    d.period.to_string(),
                    d.state.to_string(),
                    d.revenue.to_string(),
                    d.fee.to_string(),
                ]
            })
            .collect();
        s.rows.push(vec![
            "total".into(),
            String::new(),
            String::new(),
            String::new(),
            u.revenue_declared.to_string(),
            u.fees.to_string(),
        ]);
        let declarations = s;
        let mut s = Section::new(
            match u.min_invoice {
                Some(m) => format!("Usage-rights fees to invoice (no invoice under {m})"),
                None => "Usage-rights fees to invoice".to_string(),
            },
            &["person", "declarations", "status", "fee"],
            3,
        );
        for (groups, status) in [
            (&u.invoices_to_issue, "invoice now"),
            (&u.waiting, "waiting: under the minimum"),
        ] {
            for g in groups {
                s.rows.push(vec![
                    g.person.clone(),
                    g.declarations.join(" "),
                    status.into(),
                    g.total.to_string(),
                ]);
            }
        }
        s.rows.push(vec![
            "invoiced, unpaid".into(),
            String::new(),
            String::new(),
            u.fees_invoiced_unpaid.to_string(),
        ]);
        s.rows.push(vec![
            "paid".into(),
            String::new(),
            String::new(),
            u.fees_paid.to_string(),
        ]);
        [declarations, s]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_rounds_parts_and_rest_takes_the_remainder() {
        let mut shares = Shares::new();
        shares.insert(
            "kitchen".into(),
            Share::Percent(Quantity(Decimal::from(20))),
        );
        shares.insert(
            "garden".into(),
            Share::Percent(Quantity("33.33".parse().unwrap())),
        );
        shares.insert("commons".into(), Share::Rest);
        let parts = split(Money::parse("100.01").unwrap(), &shares);
        let total: Money = parts.iter().map(|(_, m)| *m).sum();
        assert_eq!(total, Money::parse("100.01").unwrap());
        let get = |g: &str| parts.iter().find(|(k, _)| k == g).unwrap().1.to_string();
        assert_eq!(get("kitchen"), "20.00");
        assert_eq!(get("garden"), "33.33");
        assert_eq!(get("commons"), "46.68");
    }
}
