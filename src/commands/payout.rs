//! `fresk payout`: request what is due for a mission, number the self-invoices on main, record
//! the payment, list.
//!
//! `payout request` computes its lines itself from the held sessions and the rate card. It is
//! dated today, and the monthly limit counts requests by the month of their date, so `--month`
//! only confirms the month the request falls in: any month but the current one is refused (a
//! request is never back- or forward-dated).

use super::Error;
use super::common::{Cx, Globals, date_or_today, find, print_rows, required};
use super::mutate::Plan;
use crate::cli::{ListArgs, ListFormat, PayoutCommand};
use crate::diagnostics::did_you_mean;
use crate::lifecycle;
use crate::model::config::OfferKind;
use crate::model::payout::PayoutLine;
use crate::model::session::{FacilitatorRole, FacilitatorStatus};
use crate::model::{
    Config, Date, Kind, MissionState, Money, Payout, PayoutState, SessionState, YearMonth,
};
use crate::report::table::format_rows;
use crate::rules::legal::Pattern;
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::Path;

pub fn run(start: &Path, cmd: PayoutCommand, globals: Globals) -> Result<u8, Error> {
    match cmd {
        PayoutCommand::Request { mission, month } => {
            let mut cx = Cx::open(start, globals)?;
            request(&mut cx, mission, month.as_deref())
        }
        PayoutCommand::Invoice { payouts, date } => {
            let mut cx = Cx::open(start, globals)?;
            invoice(&mut cx, &payouts, date.as_deref())
        }
        PayoutCommand::Pay {
            payout,
            date,
            reference,
        } => {
            let mut cx = Cx::open(start, globals)?;
            pay(&mut cx, &payout, date, reference)
        }
        PayoutCommand::List {
            state,
            mission,
            person,
            list,
        } => {
            let cx = Cx::open(start, globals)?;
            list_payouts(
                &cx,
                state.as_deref(),
                mission.as_deref(),
                person.as_deref(),
                &list,
            )
        }
    }
}

// --- helpers shared with `fresk invoice` ----------------------------------------------------

/// An amount as written in files: an integer when whole (`500`), else two decimals (`12.50`).
pub(super) fn money_yaml(m: Money) -> String {
    if m.0.fract().is_zero() {
        m.0.trunc().normalize().to_string()
    } else {
        m.to_string()
    }
}

/// A state word given to `--state`, or an error listing the states.
pub(super) fn parse_state<T: Copy + std::fmt::Display>(
    text: &str,
    all: &[T],
    what: &str,
) -> Result<T, Error> {
    if let Some(s) = all.iter().find(|s| s.to_string() == text) {
        return Ok(*s);
    }
    let words: Vec<String> = all.iter().map(ToString::to_string).collect();
    let hint = did_you_mean(text, words.iter().map(String::as_str))
        .map(|w| format!("did you mean `{w}`? "))
        .unwrap_or_default();
    Err(Error(format!(
        "--state: `{text}` is not a {what} state; {hint}the states are {}",
        words.join(", ")
    )))
}

/// `--from` / `--to` of a list, parsed.
pub(super) fn date_range(list: &ListArgs) -> Result<(Option<Date>, Option<Date>), Error> {
    let parse = |v: &Option<String>, flag: &str| {
        v.as_deref()
            .map(|t| Date::parse(t).map_err(|e| Error(format!("{flag}: {e}"))))
            .transpose()
    };
    Ok((parse(&list.from, "--from")?, parse(&list.to, "--to")?))
}

/// The states a file may move to from `state`, for refusal messages.
pub(super) fn next_states<T: std::fmt::Display>(next: &[T]) -> String {
    if next.is_empty() {
        "none: it is final".to_string()
    } else {
        next.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The first day of the month after `month`.
fn month_after(month: YearMonth) -> Option<Date> {
    let (y, m) = if month.month >= 12 {
        (month.year + 1, 1)
    } else {
        (month.year, month.month + 1)
    };
    chrono::NaiveDate::from_ymd_opt(y, m, 1).map(Date)
}

/// A plain-text table (for messages), whatever the terminal.
fn text_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    format_rows(headers, rows, ListFormat::Table, false)
}

/// A table for stdout: framed on a terminal, plain otherwise.
fn out_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    format_rows(
        headers,
        rows,
        ListFormat::Table,
        std::io::stdout().is_terminal(),
    )
}

// --- payout request -----------------------------------------------------------------------

/// A line that will be requested.
struct Due {
    session: Option<String>,
    person: String,
    role: Option<FacilitatorRole>,
    amount: Money,
    /// Held sessions, on the coordination line.
    sessions: Option<u32>,
}

impl Due {
    fn yaml(&self) -> String {
        match &self.session {
            Some(session) => format!(
                "{{ session: {session}, person: {}, role: {}, amount: {} }}",
                self.person,
                self.role.map_or("lead", FacilitatorRole::as_str),
                money_yaml(self.amount)
            ),
            None => format!(
                "{{ coordination: true, person: {}, sessions: {}, amount: {} }}",
                self.person,
                self.sessions.unwrap_or(0),
                money_yaml(self.amount)
            ),
        }
    }

    fn row(&self) -> Vec<String> {
        vec![
            self.session
                .clone()
                .unwrap_or_else(|| "coordination".into()),
            self.person.clone(),
            match (&self.session, self.role) {
                (None, _) => format!("{} sessions", self.sessions.unwrap_or(0)),
                (Some(_), Some(r)) => r.to_string(),
                (Some(_), None) => String::new(),
            },
            self.amount.to_string(),
        ]
    }
}

/// What is not requested, and why.
struct Skipped {
    what: String,
    person: String,
    why: String,
}

impl Skipped {
    fn row(&self) -> Vec<String> {
        vec![self.what.clone(), self.person.clone(), self.why.clone()]
    }
}

/// Why the association may not self-bill `person` (they are then left out of the request).
fn not_self_billable(cx: &Cx, person: &str) -> Option<String> {
    let Some(p) = cx.ws.person(person) else {
        return Some(format!(
            "no file people/{person}.yaml: add the person before requesting"
        ));
    };
    let own = "they must send their own invoice";
    match &p.billing {
        None => Some(format!(
            "no billing details, no self-billing mandate ({own})"
        )),
        Some(b) if !b.country.trim().eq_ignore_ascii_case("FR") => Some(format!(
            "based outside France (billing.country: {}), not self-billed ({own})",
            b.country
        )),
        Some(b) if b.mandate.is_none() => Some(format!("no self-billing mandate ({own})")),
        Some(_) => None,
    }
}

fn offer_kind_name(kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Workshop => "workshop",
        OfferKind::Training => "training",
        OfferKind::Other => "other",
    }
}

/// The rate of `role` on a session of `offer`, or why there is none.
fn rate(config: &Config, offer: &str, role: FacilitatorRole) -> Result<Money, String> {
    let Some(o) = config.offer(offer) else {
        return Err(format!(
            "offer `{offer}` is not in the catalogue of fresk.yaml, so it has no rate"
        ));
    };
    let kind = offer_kind_name(o.kind);
    let pay = config.rates.for_kind(o.kind);
    let amount = match role {
        FacilitatorRole::Lead => pay.map(|p| p.lead),
        FacilitatorRole::Co => pay.and_then(|p| p.co),
    };
    amount.ok_or_else(|| {
        format!(
            "no rate for a {kind} {role} (rates.{kind}.{role} in fresk.yaml): add it, or write the line by hand with `override_reason:`"
        )
    })
}

/// What a request for `mission` made now would hold, and what it would leave out.
fn compute_due(cx: &Cx, config: &Config, mission_id: &str) -> (Vec<Due>, Vec<Skipped>) {
    let ws = &cx.ws;
    let Some(mission) = ws.missions.iter().find(|m| m.id == mission_id) else {
        return (Vec::new(), Vec::new());
    };
    // (session, person) and coordination lines already in a payout that is not rejected.
    let mut covered: HashMap<(&str, &str), &str> = HashMap::new();
    let mut coordination: Option<&str> = None;
    for p in ws
        .payouts
        .iter()
        .filter(|p| p.mission == mission_id && p.state != PayoutState::Rejected)
    {
        for line in &p.lines {
            if line.coordination {
                coordination.get_or_insert(p.id.as_str());
            } else if let Some(s) = &line.session {
                covered
                    .entry((s.as_str(), line.person.as_str()))
                    .or_insert(p.id.as_str());
            }
        }
    }
    let mut sessions: Vec<_> = ws
        .sessions
        .iter()
        .filter(|s| s.mission == mission_id)
        .collect();
    sessions.sort_by(|a, b| a.id.cmp(&b.id));

    let now = cx.clock.now;
    let mut due = Vec::new();
    let mut skipped = Vec::new();
    let mut held = 0u32;
    for s in &sessions {
        let everyone = || {
            s.facilitators
                .iter()
                .map(|b| b.person.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let ended = s.end.instant(cx.tz) <= now;
        let why = match s.state {
            SessionState::Cancelled => Some("cancelled: nothing to pay".to_string()),
            SessionState::Planned if ended => Some(format!(
                "ended on {} but not recorded as held: run `fresk session hold {}` first",
                s.end.date(),
                s.id
            )),
            SessionState::Planned => Some(format!("not held yet (planned for {})", s.start)),
            SessionState::Held if !ended => Some(format!("not ended yet (ends {})", s.end)),
            SessionState::Held => None,
        };
        if s.state == SessionState::Held {
            held += 1;
        }
        if let Some(why) = why {
            skipped.push(Skipped {
                what: s.id.clone(),
                person: everyone(),
                why,
            });
            continue;
        }
        for b in &s.facilitators {
            let skip = |why: String| Skipped {
                what: s.id.clone(),
                person: b.person.clone(),
                why,
            };
            if b.status != FacilitatorStatus::Paid {
                skipped.push(skip(format!(
                    "status `{}`: not a paid facilitator, not paid through payouts",
                    b.status
                )));
                continue;
            }
            if let Some(p) = covered.get(&(s.id.as_str(), b.person.as_str())) {
                skipped.push(skip(format!("already requested in {p}")));
                continue;
            }
            if let Some(why) = not_self_billable(cx, &b.person) {
                skipped.push(skip(why));
                continue;
            }
            match rate(config, &s.offer, b.role) {
                Ok(amount) => due.push(Due {
                    session: Some(s.id.clone()),
                    person: b.person.clone(),
                    role: Some(b.role),
                    amount,
                    sessions: None,
                }),
                Err(why) => skipped.push(skip(why)),
            }
        }
    }

    let coordinator = mission.coordinator.clone();
    let skip = |why: String| Skipped {
        what: "coordination".into(),
        person: coordinator.clone(),
        why,
    };
    match mission.state {
        MissionState::Open => skipped.push(skip(format!(
            "mission is open: coordination is requested once it is closed (fresk mission close {mission_id})"
        ))),
        MissionState::Cancelled => skipped.push(skip(
            "mission is cancelled: no coordination is paid".to_string(),
        )),
        MissionState::Closed | MissionState::Invoiced => {
            if let Some(p) = coordination {
                skipped.push(skip(format!("already requested in {p}")));
            } else if held == 0 {
                skipped.push(skip("no held session to coordinate".to_string()));
            } else if let Some(why) = not_self_billable(cx, &coordinator) {
                skipped.push(skip(why));
            } else {
                let amount = config
                    .rates
                    .coordination_per_session
                    .times(rust_decimal::Decimal::from(held));
                due.push(Due {
                    session: None,
                    person: coordinator.clone(),
                    role: None,
                    amount,
                    sessions: Some(held),
                });
            }
        }
    }
    (due, skipped)
}

const DUE_HEADERS: [&str; 4] = ["session", "person", "role", "amount"];
const SKIPPED_HEADERS: [&str; 3] = ["session", "person", "not included because"];

fn due_rows(due: &[Due]) -> Vec<Vec<String>> {
    due.iter().map(Due::row).collect()
}

fn skipped_rows(skipped: &[Skipped]) -> Vec<Vec<String>> {
    skipped.iter().map(Skipped::row).collect()
}

fn request(cx: &mut Cx, mission: Option<String>, month: Option<&str>) -> Result<u8, Error> {
    let config = cx.config()?;
    let mission_id = required(mission, "--mission", "Mission (e.g. M2026-0042)")?;
    let mission = find(&cx.ws.missions, &mission_id, "mission", |m| &m.id)?;
    let today = cx.today();
    let this_month = today.month();
    if let Some(text) = month {
        let wanted = YearMonth::parse(text).map_err(|e| Error(format!("--month: {e}")))?;
        if wanted != this_month {
            return Err(Error(format!(
                "--month {wanted}: a payout request is dated the day it is made (today, {today}), so it counts in {this_month}; it cannot be requested for another month. Omit --month, or run the command in {wanted}"
            )));
        }
    }
    let (due, skipped) = compute_due(cx, config, &mission.id);

    // payout-monthly-limit: requests of this mission dated this month, rejected ones aside.
    let max = config.payout_policy.max_requests_per_month;
    let mut this_months: Vec<&Loaded<Payout>> = cx
        .ws
        .payouts
        .iter()
        .filter(|p| {
            p.mission == mission.id
                && p.state != PayoutState::Rejected
                && p.requested.month() == this_month
        })
        .collect();
    this_months.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
    if usize::try_from(max).is_ok_and(|max| this_months.len() >= max) {
        let existing = this_months
            .iter()
            .map(|p| format!("{} (requested {}, {})", p.id, p.requested, p.state))
            .collect::<Vec<_>>()
            .join(", ");
        let next = month_after(this_month).map_or_else(|| "next month".into(), |d| d.to_string());
        let mut msg = format!(
            "mission {} already has {} payout request(s) in {this_month}: {existing}; the policy allows {max} per month (payout_policy.max_requests_per_month in fresk.yaml). The next request is possible from {next}; nothing was changed.",
            mission.id,
            this_months.len()
        );
        if due.is_empty() {
            msg.push_str("\n\nNothing would be due anyway:\n");
        } else {
            msg.push_str(&format!(
                "\n\nDue now, to request from {next} (or to add to {} while it is still `requested`):\n",
                this_months[this_months.len() - 1].id
            ));
            msg.push_str(&text_table(&DUE_HEADERS, &due_rows(&due)));
        }
        if due.is_empty() && !skipped.is_empty() {
            msg.push_str(&text_table(&SKIPPED_HEADERS, &skipped_rows(&skipped)));
        }
        return Err(Error(msg.trim_end().to_string()));
    }

    if due.is_empty() {
        let mut msg = format!(
            "nothing to request for mission {}: no line is due; nothing was changed",
            mission.id
        );
        if skipped.is_empty() {
            msg.push_str(" (the mission has no session yet)");
        } else {
            msg.push_str(".\n\n");
            msg.push_str(&text_table(&SKIPPED_HEADERS, &skipped_rows(&skipped)));
        }
        return Err(Error(msg.trim_end().to_string()));
    }

    // P<yyyy>-<mm>-<mission>, then -2, -3… when that id is taken (a rejected request keeps it).
    let base = format!(
        "P{:04}-{:02}-{}",
        this_month.year, this_month.month, mission.id
    );
    let folder = format!("payouts/{:04}", today.year());
    let taken = |id: &str| {
        cx.ws.has_id(Kind::Payout, id)
            || cx.ws.payouts.iter().any(|p| p.id == id)
            || cx.root.join(format!("{folder}/{id}.yaml")).exists()
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let rel = format!("{folder}/{id}.yaml");
    let mut text = super::common::schema_header(Kind::Payout, &rel);
    text.push_str(&format!(
        "id: {id}\nmission: {}\nstate: requested\nrequested_by: {}\nrequested: {today}\nlines:\n",
        mission.id, mission.coordinator
    ));
    for d in &due {
        text.push_str(&format!("  - {}\n", d.yaml()));
    }
    let total: Money = due.iter().map(|d| d.amount).sum();
    let mut plan = Plan::new(format!(
        "payout {id} requested for mission {}: {} line(s), {total}",
        mission.id,
        due.len()
    ));
    plan.write(&rel, text);
    let coordinator = mission.coordinator.clone();
    cx.apply(&plan)?;

    let mut out = format!("\nIncluded ({rel}, requested by {coordinator} on {today}):\n");
    let mut rows = due_rows(&due);
    rows.push(vec![
        "total".into(),
        String::new(),
        String::new(),
        total.to_string(),
    ]);
    out.push_str(&out_table(&DUE_HEADERS, &rows));
    if !skipped.is_empty() {
        out.push_str("\nNot included:\n");
        out.push_str(&out_table(&SKIPPED_HEADERS, &skipped_rows(&skipped)));
    }
    out.push_str(
        "\nOpen a pull request with this file: merging it approves the payout; self-invoices are numbered on main (fresk payout invoice).\n",
    );
    print!("{out}");
    Ok(0)
}

// --- payout invoice -----------------------------------------------------------------------

/// The last number of one person's self-invoice series: its sequence and issue date.
#[derive(Default, Clone)]
struct SeriesEnd {
    seq: u32,
    last: Option<(Date, String)>,
}

fn invoice(cx: &mut Cx, selected: &[String], date: Option<&str>) -> Result<u8, Error> {
    let config = cx.config()?;
    let date = date_or_today(cx, date, "--date")?;
    let pattern = Pattern::parse(&config.series.self_invoice).map_err(|e| {
        Error(format!(
            "series.self_invoice in fresk.yaml (`{}`) cannot number self-invoices: {e}; fix it first",
            config.series.self_invoice
        ))
    })?;
    if !pattern.has_person() {
        return Err(Error(format!(
            "series.self_invoice in fresk.yaml (`{}`) has no `{{person}}`: the law requires one gapless series per facilitator, e.g. `AF-{{person}}-{{seq:04}}`; fix it first",
            config.series.self_invoice
        )));
    }

    let mut targets: Vec<&Loaded<Payout>> = Vec::new();
    if selected.is_empty() {
        targets.extend(
            cx.ws
                .payouts
                .iter()
                .filter(|p| p.state == PayoutState::Requested),
        );
        if targets.is_empty() {
            println!("nothing to number: no payout is `requested`");
            return Ok(0);
        }
    } else {
        let mut seen = HashSet::new();
        for id in selected {
            if !seen.insert(id.as_str()) {
                continue;
            }
            let p = find(&cx.ws.payouts, id, "payout", |p| &p.id)?;
            if p.state != PayoutState::Requested {
                return Err(Error(format!(
                    "payout {} is `{}`, not `requested`: only requested payouts get self-invoice numbers (from `{}` it may go to {}); nothing was numbered",
                    p.id,
                    p.state,
                    p.state,
                    next_states(lifecycle::payout_next(p.state))
                )));
            }
            targets.push(p);
        }
    }
    targets.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));

    // Where each person's series stands: every self-invoice of every payout counts, so a number
    // once given is never given again.
    let year = date.year();
    let mut ends: HashMap<&str, SeriesEnd> = HashMap::new();
    for p in &cx.ws.payouts {
        for si in &p.self_invoices {
            let Some(parts) = pattern.matches_person(&si.number, &si.person) else {
                continue;
            };
            if parts.year.is_some_and(|y| y != year) {
                continue;
            }
            let end = ends.entry(si.person.as_str()).or_default();
            end.seq = end.seq.max(parts.seq);
            if end.last.as_ref().is_none_or(|(d, _)| si.issued > *d) {
                end.last = Some((si.issued, si.number.clone()));
            }
        }
    }

    let mut plan = Plan::new(String::new());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for p in &targets {
        if p.lines.is_empty() {
            return Err(Error(format!(
                "payout {} has no lines: there is nothing to self-invoice; reject it or add its lines; nothing was numbered",
                p.id
            )));
        }
        if !p.self_invoices.is_empty() {
            return Err(Error(format!(
                "payout {} is `requested` but already has self-invoices ({}): set `state: invoiced` by hand if they were really issued; nothing was numbered",
                p.id,
                p.self_invoices
                    .iter()
                    .map(|s| s.number.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if date < p.requested {
            return Err(Error(format!(
                "--date {date} is before payout {} was requested ({}): self-invoices are issued after the request is approved; nothing was numbered",
                p.id, p.requested
            )));
        }
        // Totals per person, in the order people first appear in the lines.
        let mut totals: Vec<(&str, Money)> = Vec::new();
        for line in &p.lines {
            match totals.iter_mut().find(|(who, _)| *who == line.person) {
                Some((_, t)) => *t += line.amount,
                None => totals.push((line.person.as_str(), line.amount)),
            }
        }
        let mut doc = Document::new(cx.read(&p.file)?);
        let edit_err = |e: crate::yaml::edit::EditError| {
            Error(format!("cannot edit {}: {e}; nothing was numbered", p.file))
        };
        let mut entries = Vec::new();
        for (person, total) in totals {
            check_self_billable(cx, p, person, date)?;
            let end = ends.entry(person).or_default();
            if let Some((last, number)) = &end.last
                && date < *last
            {
                return Err(Error(format!(
                    "`{person}`'s last self-invoice {number} was issued on {last}, after --date {date}: numbers follow the order of issue dates; use --date {last} or later; nothing was numbered"
                )));
            }
            let seq = end.seq + 1;
            let number = pattern.format(Some(year), Some(person), seq);
            end.seq = seq;
            end.last = Some((date, number.clone()));
            entries.push(format!(
                "{{ person: {person}, number: {}, issued: {date}, total: {} }}",
                scalar(&number),
                money_yaml(total)
            ));
            rows.push(vec![
                p.id.clone(),
                person.to_string(),
                number,
                total.to_string(),
            ]);
        }
        doc.set(&Route::parse("state"), "invoiced")
            .map_err(edit_err)?;
        let list = Route::parse("self_invoices");
        for (i, entry) in entries.iter().enumerate() {
            if let Err(e) = doc.push(&list, entry) {
                // `self_invoices: []` written by hand: replace the empty list.
                if i == 0 {
                    doc.set(&list, &format!("[{}]", entries.join(", ")))
                        .map_err(|_| edit_err(e))?;
                    break;
                }
                return Err(edit_err(e));
            }
        }
        plan.write(&p.file, doc.into_text());
    }
    let numbers: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    plan.summary = format!(
        "{} self-invoice(s) issued on {date} for {} payout(s) ({}): {}",
        rows.len(),
        targets.len(),
        targets
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        numbers.join(", ")
    );
    cx.apply(&plan)?;
    if !cx.globals.dry_run {
        print!(
            "{}",
            out_table(&["payout", "person", "number", "total"], &rows)
        );
    }
    Ok(0)
}

/// Refuse to self-invoice a person the association may not self-bill on `date`.
fn check_self_billable(cx: &Cx, p: &Loaded<Payout>, person: &str, date: Date) -> Result<(), Error> {
    if let Some(why) = not_self_billable(cx, person) {
        return Err(Error(format!(
            "payout {} pays `{person}`, who cannot be self-billed: {why}. Reject the payout, or remove their lines and pay them against their own invoice (other payouts can be numbered meanwhile with --payout); nothing was numbered",
            p.id
        )));
    }
    let signed = cx
        .ws
        .person(person)
        .and_then(|x| x.billing.as_ref())
        .and_then(|b| b.mandate.as_ref())
        .map(|m| m.signed);
    if let Some(signed) = signed
        && date < signed
    {
        return Err(Error(format!(
            "`{person}` signed the self-billing mandate on {signed}, after --date {date}: a self-invoice is valid only under a mandate signed beforehand; use --date {signed} or later; nothing was numbered"
        )));
    }
    Ok(())
}

// --- payout pay ---------------------------------------------------------------------------

fn pay(
    cx: &mut Cx,
    id: &str,
    date: Option<String>,
    reference: Option<String>,
) -> Result<u8, Error> {
    let p = find(&cx.ws.payouts, id, "payout", |p| &p.id)?;
    if !lifecycle::payout_next(p.state).contains(&PayoutState::Paid) {
        let why = match p.state {
            PayoutState::Requested => format!(
                "its self-invoices are not numbered yet: run `fresk payout invoice --payout {}` on main first",
                p.id
            ),
            PayoutState::Paid => match &p.paid {
                Some(paid) => format!(
                    "it was already paid on {}{}",
                    paid.date,
                    paid.reference
                        .as_deref()
                        .map(|r| format!(" (reference {r})"))
                        .unwrap_or_default()
                ),
                None => "it is already paid".into(),
            },
            PayoutState::Rejected => "it was rejected: nothing is paid".into(),
            PayoutState::Invoiced => String::new(),
        };
        return Err(Error(format!(
            "payout {} is `{}`, so it cannot be marked paid: {why} (from `{}` it may go to {})",
            p.id,
            p.state,
            p.state,
            next_states(lifecycle::payout_next(p.state))
        )));
    }
    let date = required(date, "--date", "Payment date (YYYY-MM-DD)")?;
    let date = Date::parse(&date).map_err(|e| Error(format!("--date: {e}")))?;
    let reference = required(
        reference,
        "--reference",
        "Payment reference (transfer id, cheque number)",
    )?;
    if let Some(last) = p.self_invoices.iter().map(|s| s.issued).max()
        && date < last
    {
        return Err(Error(format!(
            "--date {date} is before the self-invoices of payout {} were issued ({last}): a payout is paid against its self-invoices; check the date",
            p.id
        )));
    }
    let mut doc = Document::new(cx.read(&p.file)?);
    let edit_err = |e: crate::yaml::edit::EditError| Error(format!("cannot edit {}: {e}", p.file));
    doc.set(&Route::parse("state"), "paid").map_err(edit_err)?;
    doc.set(
        &Route::parse("paid"),
        &format!(
            "{{ date: {date}, reference: {} }}",
            scalar(reference.trim())
        ),
    )
    .map_err(edit_err)?;
    let total: Money = p.lines.iter().map(|l| l.amount).sum();
    let mut plan = Plan::new(format!(
        "payout {} paid on {date} ({total}, reference {})",
        p.id,
        reference.trim()
    ));
    plan.write(&p.file, doc.into_text());
    cx.apply(&plan)
}

// --- payout list --------------------------------------------------------------------------

fn list_payouts(
    cx: &Cx,
    state: Option<&str>,
    mission: Option<&str>,
    person: Option<&str>,
    list: &ListArgs,
) -> Result<u8, Error> {
    let state = state
        .map(|s| parse_state(s, PayoutState::ALL, "payout"))
        .transpose()?;
    let (from, to) = date_range(list)?;
    let mut payouts: Vec<&Loaded<Payout>> = cx
        .ws
        .payouts
        .iter()
        .filter(|p| state.is_none_or(|s| p.state == s))
        .filter(|p| mission.is_none_or(|m| p.mission == m))
        .filter(|p| {
            person.is_none_or(|who| {
                p.lines.iter().any(|l| l.person == who)
                    || p.self_invoices.iter().any(|s| s.person == who)
            })
        })
        .filter(|p| from.is_none_or(|d| p.requested >= d))
        .filter(|p| to.is_none_or(|d| p.requested <= d))
        .collect();
    payouts.sort_by(|a, b| (a.requested, &a.id).cmp(&(b.requested, &b.id)));
    let rows: Vec<Vec<String>> = payouts
        .iter()
        .map(|p| {
            // With --person, the lines and total of that person only.
            let lines: Vec<&PayoutLine> = p
                .lines
                .iter()
                .filter(|l| person.is_none_or(|who| l.person == who))
                .collect();
            let total: Money = lines.iter().map(|l| l.amount).sum();
            vec![
                p.id.clone(),
                p.mission.clone(),
                p.state.to_string(),
                p.requested.to_string(),
                p.requested_by.clone(),
                lines.len().to_string(),
                total.to_string(),
                p.self_invoices
                    .iter()
                    .filter(|s| person.is_none_or(|who| s.person == who))
                    .map(|s| s.number.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                p.paid
                    .as_ref()
                    .map(|x| x.date.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        &[
            "id",
            "mission",
            "state",
            "requested",
            "requested_by",
            "lines",
            "total",
            "self_invoices",
            "paid",
        ],
        &rows,
        list.format,
    );
    Ok(0)
}
