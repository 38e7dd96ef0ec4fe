//! The dashboard as text: tables (framed on a terminal) and what to do next; and the rows of
//! its sessions, which are also its CSV.

use super::Dashboard;
use crate::cli::ListFormat;
use crate::model::MissionState;
use crate::report::table::format_rows;
use std::fmt::Write as _;

/// The dashboard as text: tables (boxed on a terminal) and what to do next.
pub fn render(d: &Dashboard, terminal: bool) -> String {
    let mut out = heading(d);
    out.push_str("\nOrder\n");
    out.push_str(&order(d, terminal));
    out.push_str("\nSessions\n");
    if d.sessions.is_empty() {
        let _ = writeln!(
            out,
            "  none yet; plan one with `fresk session new --mission {}`",
            d.mission
        );
    } else {
        out.push_str(&format_rows(
            &SESSION_HEADERS,
            &session_rows(d, false),
            ListFormat::Table,
            terminal,
        ));
    }
    out.push_str(&open_seats(d));
    if !d.payouts.is_empty() {
        out.push_str("\nPayouts\n");
        out.push_str(&payouts(d, terminal));
    }
    out.push_str(&requestable(d, terminal));
    out.push_str(&closing(d));
    out
}

/// The sessions still taking facilitators, and how to take a seat.
fn open_seats(d: &Dashboard) -> String {
    let mut out = String::new();
    for s in d.sessions.iter().filter(|s| !s.ended) {
        let Some(n) = s.open_seats.filter(|n| *n > 0) else {
            continue;
        };
        if out.is_empty() {
            out.push_str("\nOpen seats\n");
        }
        let role = s.open_role.map_or("co", |r| r.as_str());
        let _ = writeln!(
            out,
            "  {} ({}, {}): {n} {role} seat(s) open — fresk session join {} --person PERSON",
            s.id, s.offer, s.start, s.id
        );
    }
    out
}

/// The mission, its client, and the moment described.
fn heading(d: &Dashboard) -> String {
    let mut out = String::new();
    let org = match &d.organisation_name {
        Some(name) => format!("{name} ({}, {})", d.organisation, d.sector.as_str()),
        None => format!("{} ({})", d.organisation, d.sector.as_str()),
    };
    let _ = writeln!(out, "Mission {} — {} — {org}", d.mission, d.state);
    let closed = d
        .closed
        .map(|c| format!(", closed {c}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Request {} · coordinator {} · opened {}{closed} · as of {}",
        d.request, d.coordinator, d.opened, d.as_of
    );
    if !d.applicants.is_empty() {
        let who: Vec<String> = d
            .applicants
            .iter()
            .map(|a| format!("{} ({})", a.person, a.date))
            .collect();
        let _ = writeln!(out, "Applicants: {}", who.join(", "));
    }
    if let Some(why) = &d.without_application {
        let _ = writeln!(out, "Chosen without applying: {why}");
    }
    out
}

/// Order progress: a row per order line, counts only where sessions deliver it.
fn order(d: &Dashboard, terminal: bool) -> String {
    let rows: Vec<Vec<String>> = d
        .order
        .iter()
        .map(|r| {
            let what = match (&r.offer, &r.label) {
                (Some(o), _) if r.ordered == 0 => format!("{o} (not ordered)"),
                (Some(o), _) => o.clone(),
                (None, Some(l)) => l.clone(),
                (None, None) => "?".into(),
            };
            let sessions = r.to_plan.is_some() || r.planned + r.held + r.cancelled > 0;
            let n = |v: u32| {
                if sessions {
                    v.to_string()
                } else {
                    String::new()
                }
            };
            vec![
                what,
                r.unit_price.map(|p| p.to_string()).unwrap_or_default(),
                r.ordered.to_string(),
                n(r.planned),
                n(r.held),
                n(r.cancelled),
                match r.to_plan {
                    Some(t) if t < 0 => format!("{t} (over-planned)"),
                    Some(t) => t.to_string(),
                    None => String::new(),
                },
            ]
        })
        .collect();
    format_rows(
        &[
            "offer",
            "unit price",
            "ordered",
            "planned",
            "held",
            "cancelled",
            "to plan",
        ],
        &rows,
        ListFormat::Table,
        terminal,
    )
}

fn payouts(d: &Dashboard, terminal: bool) -> String {
    let rows: Vec<Vec<String>> = d
        .payouts
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.state.to_string(),
                p.requested.to_string(),
                p.lines.to_string(),
                p.total.to_string(),
            ]
        })
        .collect();
    format_rows(
        &["payout", "state", "requested", "lines", "total"],
        &rows,
        ListFormat::Table,
        terminal,
    )
}

/// What a payout request would hold now, and whether one can be made.
fn requestable(d: &Dashboard, terminal: bool) -> String {
    let r = &d.requestable;
    if r.lines.is_empty() {
        return "\nCan be requested now: nothing\n".to_string();
    }
    let mut out = format!(
        "\nCan be requested now: {} line(s), {}\n",
        r.lines.len(),
        r.total
    );
    let rows: Vec<Vec<String>> = r
        .lines
        .iter()
        .map(|l| {
            vec![
                if l.coordination {
                    format!("coordination ({} held)", l.sessions.unwrap_or(0))
                } else {
                    l.session.clone().unwrap_or_default()
                },
                l.person.clone(),
                l.role.map(|r| r.to_string()).unwrap_or_default(),
                l.amount
                    .map_or_else(|| "no rate".to_string(), |a| a.to_string()),
            ]
        })
        .collect();
    out.push_str(&format_rows(
        &["for", "person", "role", "amount"],
        &rows,
        ListFormat::Table,
        terminal,
    ));
    match &r.blocked {
        Some(why) => {
            let _ = writeln!(out, "Not this month: {why}.");
        }
        None => {
            let _ = writeln!(out, "→ fresk payout request --mission {}", d.mission);
        }
    }
    out
}

/// Whether the mission can be closed, and if not why.
fn closing(d: &Dashboard) -> String {
    let mut out = String::new();
    if d.close.possible {
        let _ = writeln!(
            out,
            "\nClosing: possible → fresk mission close {}",
            d.mission
        );
    } else if d.state != MissionState::Open {
        let _ = writeln!(out, "\nClosing: done ({})", d.state);
    } else {
        out.push_str("\nClosing: not yet\n");
        for reason in &d.close.reasons {
            let _ = writeln!(out, "  - {reason}");
        }
    }
    out
}

pub const SESSION_HEADERS: [&str; 10] = [
    "session",
    "start",
    "end",
    "offer",
    "state",
    "attended",
    "facilitator",
    "role",
    "status",
    "payout",
];

/// One row per booking; a session's own cells only on its first row unless `repeat` (CSV).
pub fn session_rows(d: &Dashboard, repeat: bool) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for s in &d.sessions {
        let end = match (s.start.split_once(' '), s.end.split_once(' ')) {
            (Some((d1, _)), Some((d2, time))) if d1 == d2 && !repeat => time.to_string(),
            _ => s.end.clone(),
        };
        let attended = match (s.attended, s.expected) {
            (Some(a), Some(e)) => format!("{a}/{e}"),
            (Some(a), None) => a.to_string(),
            (None, Some(e)) if repeat => format!("/{e}"),
            (None, Some(e)) => format!("({e} expected)"),
            (None, None) => String::new(),
        };
        let head = vec![
            s.id.clone(),
            s.start.clone(),
            end,
            s.offer.clone(),
            s.state.to_string(),
            attended,
        ];
        if s.facilitators.is_empty() {
            let mut row = head.clone();
            row.extend(["(none)".into(), String::new(), String::new(), String::new()]);
            rows.push(row);
        }
        for (i, f) in s.facilitators.iter().enumerate() {
            let mut row = if i == 0 || repeat {
                head.clone()
            } else {
                vec![String::new(); head.len()]
            };
            let mut payout = f.payout.as_str().to_string();
            if let Some(id) = &f.payout_id {
                payout.push_str(&format!(" ({id})"));
            }
            if !f.rejected_in.is_empty() {
                payout.push_str(&format!(" ({} rejected)", f.rejected_in.join(", ")));
            }
            row.extend([
                f.person.clone(),
                f.role.to_string(),
                f.status.to_string(),
                payout,
            ]);
            rows.push(row);
        }
    }
    rows
}
