//! `fresk payout request`: write what is due for a mission now (the model's
//! [`payout_due`](crate::model::payout_due)), within the monthly limit of requests.

use super::{out_table, text_table};
use crate::commands::Error;
use crate::commands::common::{Cx, find, required, schema_header};
use crate::commands::mutate::Plan;
use crate::model::payout_due::{self, Due, Skipped};
use crate::model::{Config, Date, Kind, Mission, Money, Payout, PayoutState, YearMonth};
use crate::workspace::Loaded;

const DUE_HEADERS: [&str; 4] = ["session", "person", "role", "amount"];
const SKIPPED_HEADERS: [&str; 3] = ["session", "person", "not included because"];

fn due_rows(due: &[Due]) -> Vec<Vec<String>> {
    due.iter()
        .map(|d| {
            vec![
                d.session.clone().unwrap_or_else(|| "coordination".into()),
                d.person.clone(),
                match (&d.session, d.role) {
                    (None, _) => format!("{} sessions", d.sessions.unwrap_or(0)),
                    (Some(_), Some(r)) => r.to_string(),
                    (Some(_), None) => String::new(),
                },
                d.amount.to_string(),
            ]
        })
        .collect()
}

fn skipped_rows(skipped: &[Skipped]) -> Vec<Vec<String>> {
    skipped
        .iter()
        .map(|s| vec![s.what.clone(), s.person.clone(), s.why.clone()])
        .collect()
}

pub(super) fn request(
    cx: &mut Cx,
    mission: Option<String>,
    month: Option<&str>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let mission_id = required(mission, "--mission", "Mission (e.g. M2026-0042)")?;
    let mission = find(&cx.ws.missions, &mission_id, "mission", |m| &m.id)?;
    let today = cx.today();
    let this_month = today.month();
    if let Some(text) = month {
        let wanted = YearMonth::parse(text).map_err(|e| Error::usage(format!("--month: {e}")))?;
        if wanted != this_month {
            return Err(Error::refused(format!(
                "--month {wanted}: a payout request is dated the day it is made (today, {today}), so it counts in {this_month}; it cannot be requested for another month. Omit --month, or run the command in {wanted}"
            )));
        }
    }
    let person = |id: &str| cx.ws.person(id).map(|p| &p.value);
    let (due, skipped) = payout_due::payout_due(
        &payout_due::Context {
            person: &person,
            config,
            now: cx.clock.now,
            tz: cx.tz,
        },
        mission,
        cx.ws.sessions.iter().map(|s| &s.value),
        cx.ws.payouts.iter().map(|p| &p.value),
    );
    check_monthly_limit(cx, config, mission, this_month, &due, &skipped)?;
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
        return Err(Error::refused(msg.trim_end().to_string()));
    }

    let (id, rel) = payout_id(cx, mission, today);
    let mut text = schema_header(Kind::Payout, &rel);
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
    print!(
        "{}",
        included(&rel, &coordinator, today, &due, total, &skipped)
    );
    Ok(0)
}

/// payout-monthly-limit: refuse when the mission's requests dated this month (rejected ones
/// aside) already reach the policy's maximum, showing what would be due.
fn check_monthly_limit(
    cx: &Cx,
    config: &Config,
    mission: &Mission,
    this_month: YearMonth,
    due: &[Due],
    skipped: &[Skipped],
) -> Result<(), Error> {
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
    if !usize::try_from(max).is_ok_and(|max| this_months.len() >= max) {
        return Ok(());
    }
    let existing = this_months
        .iter()
        .map(|p| format!("{} (requested {}, {})", p.id, p.requested, p.state))
        .collect::<Vec<_>>()
        .join(", ");
    let next = this_month
        .first_day_after()
        .map_or_else(|| "next month".into(), |d| d.to_string());
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
        msg.push_str(&text_table(&DUE_HEADERS, &due_rows(due)));
    }
    if due.is_empty() && !skipped.is_empty() {
        msg.push_str(&text_table(&SKIPPED_HEADERS, &skipped_rows(skipped)));
    }
    Err(Error::refused(msg.trim_end().to_string()))
}

/// `P<yyyy>-<mm>-<mission>`, then -2, -3… when that id is taken (a rejected request keeps it);
/// and its file.
fn payout_id(cx: &Cx, mission: &Mission, today: Date) -> (String, String) {
    let this_month = today.month();
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
    (id, rel)
}

/// What the request holds and leaves out, printed once it is written.
fn included(
    rel: &str,
    coordinator: &str,
    today: Date,
    due: &[Due],
    total: Money,
    skipped: &[Skipped],
) -> String {
    let mut out = format!("\nIncluded ({rel}, requested by {coordinator} on {today}):\n");
    let mut rows = due_rows(due);
    rows.push(vec![
        "total".into(),
        String::new(),
        String::new(),
        total.to_string(),
    ]);
    out.push_str(&out_table(&DUE_HEADERS, &rows));
    if !skipped.is_empty() {
        out.push_str("\nNot included:\n");
        out.push_str(&out_table(&SKIPPED_HEADERS, &skipped_rows(skipped)));
    }
    out.push_str(
        "\nOpen a pull request with this file: merging it approves the payout; self-invoices are numbered on main (fresk payout invoice).\n",
    );
    out
}
