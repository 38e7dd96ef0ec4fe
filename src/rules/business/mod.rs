//! Business rules: who may do what (roles, levels), what was ordered and planned, when sessions
//! happen, what is paid to whom and how much, and the deadlines of requests and quotes.
//!
//! Every check looks records up through the [`Context`] indexes or through maps built once here,
//! so the family stays O(n log n) on a workspace of 100 000 sessions. A check that needs a record
//! that does not exist (an unknown person, session or offer) skips it quietly: the references
//! rules already report it.

mod config;
mod fees;
mod invoices;
mod orders;
mod payouts;
mod requests;
mod roles;
mod sessions;

pub(crate) use roles::below;

use crate::diagnostics::Finding;
use crate::rules::Context;
use crate::workspace::Workspace;
use chrono::{DateTime, Utc};

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    roles::roles(ws, cx, out);
    roles::levels(ws, cx, out);
    config::shares(ws, cx, out);
    sessions::session_times(ws, cx, out);
    sessions::over_planned(ws, cx, out);
    roles::volunteers(ws, cx, out);
    sessions::double_booked(ws, cx, out);
    orders::orders(ws, cx, out);
    fees::fees(ws, cx, out);
    requests::requests(ws, cx, out);
    config::languages(ws, cx, out);
    invoices::invoiced_once(ws, cx, out);
    fees::declared_once(ws, out);
}

/// The payout rules (payout-too-early, -duplicate, -monthly-limit, -amount, -not-payable,
/// coordination-before-close, close-incomplete): the largest part of the family, run as a task
/// of its own.
pub fn check_payouts(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    payouts::payouts(ws, cx, out);
}

fn config_file(ws: &Workspace) -> &str {
    ws.config.as_ref().map_or("fresk.yaml", |c| c.file.as_str())
}

/// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `a, b, c` for at most `max` items, then `and N more`.
fn listing<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut text = items
        .iter()
        .take(max)
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        text.push_str(&format!(" and {} more", items.len() - max));
    }
    text
}

fn fmt_instant(cx: &Context, t: DateTime<Utc>) -> String {
    t.with_timezone(&cx.tz).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn listings_are_capped() {
        assert_eq!(listing(&["a", "b"], 5), "a, b");
        assert_eq!(listing(&["a", "b", "c"], 2), "a, b and 1 more");
    }
}
