//! Reports: what the files say, computed and laid out, never written back. `fresk report`'s
//! figures (exact decimals for money), and the views of one record the commands print.
//!
//! One module per `fresk report` report; each computes a serde-serializable struct and can
//! describe itself as titled tables ([`Section`]) for the terminal and CSV. The CLI glue is
//! `commands/report.rs`. [`dashboard`] is the mission dashboard (`fresk mission show`),
//! [`request_detail`] one request (`fresk request show`), [`calendar`] sessions as iCalendar,
//! [`client_file`] one organisation (`fresk organisation show`), [`agenda`] the morning screen;
//! [`table`] lays rows out as a table, CSV or JSON for every list.

pub mod activity;
pub mod agenda;
pub mod bpf;
pub mod calendar;
pub mod client_file;
pub mod clients;
pub mod dashboard;
pub mod html;
pub mod margins;
pub mod missions;
pub mod opportunities;
pub mod payouts;
pub mod quality;
pub mod request_detail;
pub mod requests;
pub mod shares;
pub mod table;

use crate::HashMap;
use crate::model::{Config, Date, Mission, Money, Quantity, Session};
use rust_decimal::Decimal;
use serde::Serialize;

/// The dates a report covers, both ends included; `None` is open-ended.
#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct Period {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Period {
    pub fn contains(&self, d: Date) -> bool {
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t)
    }
}

/// One titled table of a report: what the terminal and CSV outputs print.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Columns holding amounts or counts, right-aligned on a terminal.
    pub numeric: Vec<usize>,
}

impl Section {
    pub fn new(title: impl Into<String>, headers: &[&'static str], numeric_from: usize) -> Section {
        Section {
            title: title.into(),
            headers: headers.to_vec(),
            rows: Vec::new(),
            numeric: (numeric_from..headers.len()).collect(),
        }
    }
}

/// The median of whole numbers: the middle value, or the mean of the two middle values rounded
/// down; `None` when there are none.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    if n % 2 == 1 {
        Some(values[n / 2])
    } else {
        Some((values[n / 2 - 1] + values[n / 2]).div_euclid(2))
    }
}

/// Minutes as `3 h 05` (or `45 min`).
pub fn fmt_minutes(minutes: i64) -> String {
    if minutes.abs() < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02}", minutes / 60, (minutes % 60).abs())
    }
}

/// The mean of exact scores, to two decimals (half away from zero).
pub fn mean(sum: Decimal, count: u32) -> Option<Quantity> {
    (count > 0).then(|| {
        Quantity(
            (sum / Decimal::from(count))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )
    })
}

/// What a held session of `mission` is worth: the unit price of the first order line of its
/// offer, else the catalogue price. Shared by `report missions` and `report activity`, so
/// their revenue agrees.
pub fn session_price(config: &Config, mission: Option<&Mission>, session: &Session) -> Money {
    mission
        .and_then(|m| {
            m.order
                .iter()
                .find(|l| l.offer.as_deref() == Some(session.offer.as_str()))
                .map(|l| l.unit_price)
        })
        .or_else(|| config.offer(&session.offer).map(|o| o.unit_price))
        .unwrap_or(Money::ZERO)
}

/// Hours of one session of `offer` (the catalogue's `hours`; 0 when not given).
pub fn offer_hours(config: &Config, offer: &str) -> Decimal {
    config
        .offer(offer)
        .and_then(|o| o.hours)
        .map_or(Decimal::ZERO, |h| h.0)
}

/// Index of records by id.
pub fn by_id<T>(
    items: &[crate::workspace::Loaded<T>],
    id: impl Fn(&T) -> &str,
) -> HashMap<&str, &T> {
    items.iter().map(|x| (id(&x.value), &x.value)).collect()
}

/// A count as a cell.
pub fn n(v: impl ToString) -> String {
    v.to_string()
}

/// Decimal quantity as people write it (`44`, `1.5`).
pub fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [72, 144, 120, 168]), Some(132));
        assert_eq!(median(&mut [1, 2]), Some(1));
    }

    #[test]
    fn minutes() {
        assert_eq!(fmt_minutes(388), "6 h 28");
        assert_eq!(fmt_minutes(45), "45 min");
        assert_eq!(fmt_minutes(120), "2 h 00");
    }

    /// Every report's figures are the same whether the workspace was loaded whole or only the
    /// kinds the report declares: a kind missing from a report's `KINDS` would show here.
    #[test]
    fn partial_loads_give_the_figures_of_a_full_load() {
        use crate::workspace::{self, Workspace};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let full = workspace::load(&root).expect("demo loads");
        let tz = full.config.as_ref().expect("fresk.yaml").tz();
        let now = chrono::DateTime::parse_from_rfc3339("2026-06-17T10:00:00Z")
            .expect("date")
            .with_timezone(&chrono::Utc);
        fn json<T: Serialize>(v: &T) -> String {
            serde_json::to_string(v).expect("serializable")
        }
        let periods = [
            Period::default(),
            Period {
                from: Date::parse("2026-03-01").ok(),
                to: Date::parse("2026-05-31").ok(),
            },
        ];
        let partial = |kinds| workspace::load_kinds(&root, kinds).expect("demo loads");
        let config = |ws: &Workspace| ws.config.as_ref().expect("fresk.yaml").value.clone();
        let (rq, ms, po, ac) = (
            partial(requests::KINDS),
            partial(missions::KINDS),
            partial(payouts::KINDS),
            partial(activity::KINDS),
        );
        assert!(rq.sessions.is_empty() && rq.payouts.is_empty() && rq.missions.is_empty());
        // The missions report reads payouts too: its margins subtract them.
        assert!(!ms.payouts.is_empty() && ms.requests.is_empty() && ms.people.is_empty());
        assert!(!full.sessions.is_empty() && !full.payouts.is_empty());
        let cfg = config(&full);
        for period in periods {
            assert_eq!(
                json(&requests::compute(&full, &cfg, period, now, tz)),
                json(&requests::compute(&rq, &config(&rq), period, now, tz))
            );
            assert_eq!(
                json(&missions::compute(&full, &cfg, period)),
                json(&missions::compute(&ms, &config(&ms), period))
            );
            for person in [None, Some("camille-dupont")] {
                assert_eq!(
                    json(&payouts::compute(&full, &cfg, period, person)),
                    json(&payouts::compute(&po, &config(&po), period, person))
                );
            }
            assert_eq!(
                json(&activity::compute(&full, &cfg, period)),
                json(&activity::compute(&ac, &config(&ac), period))
            );
            let qu = partial(quality::KINDS);
            let today = Date::parse("2026-06-17").expect("date");
            assert_eq!(
                json(&quality::compute(&full, &cfg, period, today, None)),
                json(&quality::compute(&qu, &config(&qu), period, today, None))
            );
        }
        let bp = partial(bpf::KINDS);
        assert_eq!(
            json(&bpf::compute(&full, &cfg, 2026)),
            json(&bpf::compute(&bp, &config(&bp), 2026))
        );
        let cal = partial(calendar::KINDS);
        let all = |ws: &Workspace| -> Vec<Session> {
            ws.sessions.iter().map(|s| s.value.clone()).collect()
        };
        let (a, b) = (all(&full), all(&cal));
        let full_sessions: Vec<&Session> = a.iter().collect();
        let cal_sessions: Vec<&Session> = b.iter().collect();
        assert_eq!(
            calendar::render(&full, Some(&cfg), &full_sessions, "demo", now, tz),
            calendar::render(&cal, Some(&config(&cal)), &cal_sessions, "demo", now, tz)
        );
        // Missions without sessions: the sessions' folders are not walked at all.
        let only = partial(&[Kind::Mission]);
        assert_eq!(only.missions.len(), full.missions.len());
        assert!(only.sessions.is_empty());
        assert!(
            only.files
                .iter()
                .all(|(f, k)| !f.contains("/sessions/") && *k != Kind::Session)
        );
        assert!(only.config.is_some());
    }

    #[test]
    fn means_are_exact_then_rounded() {
        let sum: Decimal = "53.7".parse().unwrap();
        assert_eq!(mean(sum, 12).unwrap().to_string(), "4.48");
        assert!(mean(Decimal::ZERO, 0).is_none());
    }
}
