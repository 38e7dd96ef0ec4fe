//! The rules of `fresk lint`: every rule's id, family, severity and one-line description, and
//! the checks, one file per family. Checks read the loaded workspace and return findings; they
//! never print.

pub mod authority;
pub mod business;
pub mod history;
pub mod legal;
pub mod lifecycle;
pub mod privacy;
pub mod references;

use crate::diagnostics::Finding;
use crate::model::{Clock, Config, Date, Mission, Organisation, Payout, Person, Request, Session};
use crate::workspace::{Loaded, Workspace};
pub use crate::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};

use crate::diagnostics::declare_rules;
pub use crate::diagnostics::{Family, Rule};
pub use crate::document::{
    BAD_DATE, BAD_ENUM, BAD_MONEY, DUPLICATE_KEY, ENCODING, ID_FILENAME, MERGE_CONFLICT,
    MISSING_FIELD, NOT_A_MAPPING, UNKNOWN_FIELD, WRONG_TYPE, YAML_SYNTAX,
};
pub use crate::workspace::{FILE_TOO_LARGE, MISPLACED_FILE, STATE_FILE, SYMLINK_ESCAPE};

declare_rules! {
    BAD_LANGUAGE = "bad-language", Shape, Error, "an entry of `languages` in fresk.yaml that is not a language code (fr, en, pt-BR)";
    UNKNOWN_PERSON = "unknown-person", References, Error, "a person id with no file in people/";
    UNKNOWN_ORGANISATION = "unknown-organisation", References, Error, "an organisation id with no file in organisations/";
    UNKNOWN_REQUEST = "unknown-request", References, Error, "a request id with no file in requests/";
    UNKNOWN_MISSION = "unknown-mission", References, Error, "a mission id with no folder in missions/";
    UNKNOWN_SESSION = "unknown-session", References, Error, "a session id with no file in the mission's sessions/";
    UNKNOWN_OFFER = "unknown-offer", References, Error, "an offer id that is not in the catalogue of fresk.yaml";
    UNKNOWN_LEVEL = "unknown-level", References, Error, "a qualification level that is not in `levels` of fresk.yaml";
    UNKNOWN_INVOICE = "unknown-invoice", References, Error, "a credit note correcting an invoice number that does not exist";
    DUPLICATE_ID = "duplicate-id", References, Error, "two files of the same kind share an id";
    BAD_PATH = "bad-path", References, Error, "a path that leaves the workspace or points outside private/";
    BAD_STATE = "bad-state", Lifecycle, Error, "a state this kind of file cannot be in (e.g. a quote state on the introduction track)";
    MISSING_FOR_STATE = "missing-for-state", Lifecycle, Error, "a field the state requires is missing (e.g. `held` without `attended`)";
    MISSING_ROLE = "missing-role", Business, Error, "a person used in a role they do not have (facilitator, coordinator, staff)";
    LEVEL_TOO_LOW = "level-too-low", Business, Error, "a person below the level the mission's sector requires";
    BAD_SHARES = "bad-shares", Business, Error, "revenue shares that exceed 100% or use `rest` twice";
    SESSION_TIMES = "session-times", Business, Error, "a session that ends before it starts, or is held before its end";
    OVER_PLANNED = "over-planned", Business, Warning, "more sessions of an offer planned than ordered";
    VOLUNTEER_NOT_ALLOWED = "volunteer-not-allowed", Business, Error, "a volunteer facilitator on a mission outside `volunteer_sectors`";
    DOUBLE_BOOKED = "double-booked", Business, Warning, "a person booked on two overlapping sessions";
    ORDER_MISMATCH = "order-mismatch", Business, Error, "a mission's order differs from its accepted quote, or a price from the catalogue";
    PAYOUT_TOO_EARLY = "payout-too-early", Business, Error, "a payout line for a session not held or not yet ended at the request date";
    PAYOUT_DUPLICATE = "payout-duplicate", Business, Error, "the same (session, person) in two payout lines";
    PAYOUT_MONTHLY_LIMIT = "payout-monthly-limit", Business, Error, "more payout requests for a mission in a month than the policy allows";
    PAYOUT_AMOUNT = "payout-amount", Business, Error, "a payout amount that differs from the rate card without `override_reason`, or a wrong total";
    PAYOUT_NOT_PAYABLE = "payout-not-payable", Business, Error, "a payout line for a facilitator whose status is not `paid`";
    COORDINATION_BEFORE_CLOSE = "coordination-before-close", Business, Error, "a coordination line before the mission is closed, or twice";
    CLOSE_INCOMPLETE = "close-incomplete", Business, Error, "a closed mission with sessions still planned or paid facilitators not requested";
    FEE_AMOUNT = "fee-amount", Business, Error, "a usage-rights fee that is not `usage_rights.percent` of the revenue";
    QUOTE_EXPIRED = "quote-expired", Business, Warning, "a quote past its validity date still in state `quoted`";
    RESPONSE_OVERDUE = "response-overdue", Business, Warning, "a request without a first response past the response SLA";
    MISSION_INVOICED_TWICE = "mission-invoiced-twice", Business, Error, "two invoices, or an invoice and a draft, for one mission (credit notes and cancelled invoices aside)";
    DRAFT_OF_INVOICED_MISSION = "draft-of-invoiced-mission", Business, Error, "an invoice draft for a mission already `invoiced`";
    FEE_INVOICED_TWICE = "fee-invoiced-twice", Business, Error, "a usage-rights fee billed twice: a month's revenue declared twice, or a declaration on two fee invoices";
    NUMBERING_GAP = "numbering-gap", Legal, Error, "a missing number in a legal series (quotes, invoices, credit notes, self-invoices)";
    NUMBERING_DUPLICATE = "numbering-duplicate", Legal, Error, "the same legal number used twice";
    NUMBERING_ORDER = "numbering-order", Legal, Error, "numbers that do not follow the order of issue dates";
    NUMBERING_FORMAT = "numbering-format", Legal, Error, "a number that does not match its series pattern in fresk.yaml";
    BAD_SERIES_PATTERN = "bad-series-pattern", Legal, Error, "a series pattern in fresk.yaml that cannot number: a bad placeholder, or characters a file name must not have (`/`, `..`)";
    SERIES_MIXED = "series-mixed", Legal, Error, "a self-invoice number outside the facilitator's own series, or in the association's";
    MISSING_MANDATE = "missing-mandate", Legal, Error, "a self-invoiced person without a self-billing mandate, or based outside France";
    MISSING_LEGAL_MENTION = "missing-legal-mention", Legal, Error, "an identity or mention that documents must print is missing (address, SIRET, …)";
    SIRET_CHECKSUM = "siret-checksum", Legal, Error, "a SIRET or SIREN with the wrong length or a failing Luhn key";
    VAT_MENTION = "vat-mention", Legal, Error, "VAT exemption without its mention, or standard VAT without a rate";
    SOLE_TRADER_EI = "sole-trader-ei", Legal, Error, "a sole trader's legal name without \"EI\"";
    PERSONAL_DATA_TRACKED = "personal-data-tracked", Privacy, Error, "an e-mail, phone number or IBAN outside the fields meant for them";
    PRIVATE_EXPOSED = "private-exposed", Privacy, Error, "private/ is a symbolic link, is not ignored by git, or has files git tracks";
    ILLEGAL_TRANSITION = "illegal-transition", History, Error, "with --base: a state change that is not a step of its lifecycle";
    CLOSED_MISSION_CHANGED = "closed-mission-changed", History, Error, "with --base: a change to a closed, invoiced or cancelled mission, or to its sessions";
    ISSUED_DOCUMENT_CHANGED = "issued-document-changed", History, Error, "with --base: a change to an issued invoice or credit note, or to numbered self-invoices";
    NUMBER_ON_BRANCH = "number-on-branch", History, Error, "with --base: a legal number assigned off the main branch (numbering happens on main)";
    SESSION_PLANNED_LATE = "session-planned-late", History, Error, "with --base: a session added by a change made after it started";
    PAYOUT_REUSED = "payout-reused", History, Error, "with --base: a new payout line for a (session, person) already requested on the base";
    NOT_ALLOWED = "not-allowed", Authority, Error, "with --actor: a change the actor's role does not allow (names the role it needs)";
}

/// Every rule of fresk, by family, in the order `fresk lint --rules` lists them.
pub fn all() -> &'static [&'static Rule] {
    static ALL: std::sync::LazyLock<Vec<&'static Rule>> = std::sync::LazyLock::new(|| {
        let mut all: Vec<&'static Rule> = crate::document::RULES
            .iter()
            .chain(crate::workspace::RULES)
            .chain(RULES)
            .copied()
            .collect();
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
    if std::env::var_os("FRESK_STATS").is_some() {
        eprintln!(
            "fresk-rules: {} (ms, each family on its own)",
            took.join(" ")
        );
    }
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

#[cfg(test)]
mod readme_tests {
    #[test]
    fn readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        for rule in super::all() {
            assert!(
                readme.contains(&format!("  {} ", rule.id)),
                "README.md lacks rule `{}`: paste `fresk lint --rules`",
                rule.id
            );
        }
    }
}
