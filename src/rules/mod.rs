//! The rules of `fresk lint`: the checks across files, one module per family, each declaring its
//! rules with their documentation; [`all`] lists every rule. Checks read the loaded workspace
//! and return findings; they never print.

pub mod authority;
pub mod business;
pub mod history;
pub mod legal;
pub mod lifecycle;
pub mod origins;
pub mod privacy;
pub mod references;

use crate::diagnostics::Finding;
use crate::model::{Clock, Config, Date, Mission, Organisation, Payout, Person, Request, Session};
use crate::workspace::{Loaded, Workspace};
pub use crate::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};

pub use crate::diagnostics::{Family, Rule};

/// Every rule of fresk, by family, in the order `fresk lint --rules` lists them.
pub fn all() -> &'static [&'static Rule] {
    static ALL: std::sync::LazyLock<Vec<&'static Rule>> = std::sync::LazyLock::new(|| {
        let declared: [&[&'static Rule]; 14] = [
            crate::document::RULES,
            crate::workspace::RULES,
            references::RULES,
            origins::RULES,
            lifecycle::RULES,
            business::RULES,
            business::APPLICATION_RULES,
            business::EVIDENCE_RULES,
            business::CRM_RULES,
            business::BRANDING_RULES,
            legal::RULES,
            privacy::RULES,
            history::RULES,
            authority::RULES,
        ];
        let mut all: Vec<&'static Rule> = declared.into_iter().flatten().copied().collect();
        all.sort_by_key(|r| r.family);
        all
    });
    &ALL
}

pub fn find(id: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| r.id == id)
}

/// What checks may look at besides the workspace: the clock, the configuration and indexes.
///
/// The clock is asked, never read: [`Context::today`], [`Context::is_past`] and
/// [`Context::now_quoted`] answer, and record the first instant at which one of the answers
/// given could change. That instant, [`Context::valid_until`], is how long the findings hold
/// if no file changes: the rules' memo keeps them that long, and no rule can read the clock
/// without saying so.
pub struct Context<'a> {
    clock: Clock,
    pub tz: chrono_tz::Tz,
    /// `None` when fresk.yaml itself could not be read: rules that need it are skipped.
    pub config: Option<&'a Config>,
    pub people: HashMap<&'a str, &'a Loaded<Person>>,
    pub organisations: HashMap<&'a str, &'a Loaded<Organisation>>,
    pub requests: HashMap<&'a str, &'a Loaded<Request>>,
    pub missions: HashMap<&'a str, &'a Loaded<Mission>>,
    pub sessions: HashMap<&'a str, &'a Loaded<Session>>,
    /// Sessions of each mission, in file order.
    pub sessions_by_mission: HashMap<&'a str, Vec<&'a Loaded<Session>>>,
    /// Payouts of each mission, in file order.
    pub payouts_by_mission: HashMap<&'a str, Vec<&'a Loaded<Payout>>>,
    /// The first instant an answer given so far could change (nanoseconds since the epoch).
    turns_at: AtomicI64,
}

impl<'a> Context<'a> {
    pub fn new(ws: &'a Workspace, clock: Clock) -> Context<'a> {
        let config = ws.config.as_ref().map(|c| &c.value);
        let tz = config.map_or(chrono_tz::Europe::Paris, Config::tz);
        let mut sessions_by_mission: HashMap<&str, Vec<&Loaded<Session>>> = HashMap::default();
        for s in &ws.sessions {
            sessions_by_mission
                .entry(s.mission.as_str())
                .or_default()
                .push(s);
        }
        let mut payouts_by_mission: HashMap<&str, Vec<&Loaded<Payout>>> = HashMap::default();
        for p in &ws.payouts {
            payouts_by_mission
                .entry(p.mission.as_str())
                .or_default()
                .push(p);
        }
        Context {
            clock,
            tz,
            config,
            people: ws.people.iter().map(|x| (x.id.as_str(), x)).collect(),
            organisations: ws
                .organisations
                .iter()
                .map(|x| (x.id.as_str(), x))
                .collect(),
            requests: ws.requests.iter().map(|x| (x.id.as_str(), x)).collect(),
            missions: ws.missions.iter().map(|x| (x.id.as_str(), x)).collect(),
            sessions: ws.sessions.iter().map(|x| (x.id.as_str(), x)).collect(),
            sessions_by_mission,
            payouts_by_mission,
            turns_at: AtomicI64::new(i64::MAX),
        }
    }

    /// The answer just given may change at `t`.
    fn turns(&self, t: chrono::DateTime<chrono::Utc>) {
        let nanos = t.timestamp_nanos_opt().unwrap_or(i64::MIN);
        self.turns_at.fetch_min(nanos, Ordering::Relaxed);
    }

    /// Today in the workspace time zone; the answer holds until the next midnight there.
    pub fn today(&self) -> Date {
        let today = self.clock.today(self.tz);
        use chrono::TimeZone;
        let midnight = today
            .0
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| self.tz.from_local_datetime(&t).earliest());
        match midnight {
            Some(t) => self.turns(t.with_timezone(&chrono::Utc)),
            None => self.turns(self.clock.now),
        }
        today
    }

    /// Is instant `t` already past? Until it is, the answer holds until `t`.
    pub fn is_past(&self, t: chrono::DateTime<chrono::Utc>) -> bool {
        let past = t < self.clock.now;
        if !past {
            self.turns(t);
        }
        past
    }

    /// Now, to be quoted in a finding: such findings hold for no time at all.
    pub fn now_quoted(&self) -> chrono::DateTime<chrono::Utc> {
        self.turns(self.clock.now);
        self.clock.now
    }

    /// Until when (excluded) the answers given so far stay the same: `None` when one of them
    /// holds for no time (see [`Context`]).
    pub fn valid_until(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let at = self.turns_at.load(Ordering::Relaxed);
        let now = self.clock.now.timestamp_nanos_opt()?;
        if at <= now {
            return None;
        }
        Some(if at == i64::MAX {
            chrono::DateTime::<chrono::Utc>::MAX_UTC
        } else {
            chrono::DateTime::from_timestamp_nanos(at)
        })
    }
}

/// Run every cross-file rule over a loaded workspace.
pub fn check(ws: &Workspace, cx: &Context) -> Vec<Finding> {
    // Business is split in two so that no one task takes most of the time.
    type Check = fn(&Workspace, &Context, &mut Vec<Finding>);
    let families: [(&str, Check); 6] = [
        ("payouts", business::check_payouts),
        ("references", references::check),
        ("business", business::check),
        ("legal", legal::check),
        ("privacy", privacy::check),
        ("lifecycle", lifecycle::check),
    ];
    // Families are independent: run them on all cores.
    use rayon::prelude::*;
    let (findings, took): (Vec<Vec<Finding>>, Vec<String>) = families
        .par_iter()
        .map(|(name, family)| {
            let t = std::time::Instant::now();
            let mut out = Vec::new();
            family(ws, cx, &mut out);
            (out, format!("{name}={}", t.elapsed().as_millis()))
        })
        .unzip();
    crate::stats::line(|| {
        format!(
            "fresk-rules: {} (ms, each family on its own)",
            took.join(" ")
        )
    });
    findings.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::Clock;

    fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(text)
            .expect("a time")
            .with_timezone(&chrono::Utc)
    }

    /// The context records how long the answers it gave hold: the next midnight for today, the
    /// instant asked about while it is still to come, no time for a quoted now.
    #[test]
    fn answers_from_the_clock_say_how_long_they_hold() {
        let ws = Workspace::default();
        let clock = Clock {
            now: at("2026-03-10T09:00:00Z"),
        };
        let cx = Context::new(&ws, clock);
        assert_eq!(
            cx.valid_until(),
            Some(chrono::DateTime::<chrono::Utc>::MAX_UTC)
        );
        assert!(cx.is_past(at("2026-03-10T08:00:00Z")));
        assert_eq!(
            cx.valid_until(),
            Some(chrono::DateTime::<chrono::Utc>::MAX_UTC)
        );
        assert!(!cx.is_past(at("2026-03-12T08:00:00Z")));
        assert_eq!(cx.valid_until(), Some(at("2026-03-12T08:00:00Z")));
        // Paris is UTC+1 in March: the next midnight there is 23:00 UTC.
        cx.today();
        assert_eq!(cx.valid_until(), Some(at("2026-03-10T23:00:00Z")));
        assert!(!cx.is_past(at("2026-03-10T12:00:00Z")));
        assert_eq!(cx.valid_until(), Some(at("2026-03-10T12:00:00Z")));
        cx.now_quoted();
        assert_eq!(cx.valid_until(), None);
    }

    /// Every rule carries its documentation, laid out as `declare_rules!` says, with examples
    /// that are YAML (the bad example of a syntax rule may be broken on purpose).
    #[test]
    fn every_rule_is_documented_with_yaml_examples() {
        for r in all() {
            let doc = r.try_doc().unwrap_or_else(|e| panic!("{}: {e}", r.id));
            assert!(
                !r.summary.is_empty() && !r.summary.ends_with('.'),
                "{}",
                r.id
            );
            assert_ne!(doc.bad, doc.good, "{}", r.id);
            for (which, text) in [("good", &doc.good), ("bad", &doc.bad)] {
                if which == "bad" && r.family == Family::Syntax {
                    continue;
                }
                let parsed = crate::yaml::parse(text);
                assert!(
                    parsed.problems.is_empty(),
                    "{}: the {which} example is not YAML: {:?}",
                    r.id,
                    parsed.problems
                );
            }
        }
    }

    #[test]
    fn rule_ids_are_unique_kebab_case() {
        let mut seen = HashSet::default();
        for r in all() {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
        }
    }
}
