//! iCalendar (RFC 5545) export of sessions, for `fresk session list --format ics`: one VEVENT
//! per session, times in UTC, CRLF line endings, lines folded at 75 octets, text escaped.

use crate::HashMap;
use crate::model::Kind;
use crate::model::{Config, Person, Session, SessionState};
use crate::workspace::Workspace;
use chrono::{DateTime as Instant, Utc};
use chrono_tz::Tz;

/// Escape a TEXT value: backslash, `;`, `,` and newlines (RFC 5545 §3.3.11).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line so no physical line exceeds 75 octets (continuations start with a space),
/// never splitting a UTF-8 character; each physical line ends with CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

fn stamp(t: Instant<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The kinds of file a calendar reads: the sessions, their missions (coordinator, client),
/// organisations (the client's name), people (names) and fresk.yaml (offer labels).
pub const KINDS: &[Kind] = &[
    Kind::Config,
    Kind::Person,
    Kind::Organisation,
    Kind::Mission,
    Kind::Session,
];

/// The calendar of `sessions` (already filtered and sorted). `name` titles the calendar.
pub fn render(
    ws: &Workspace,
    config: Option<&Config>,
    sessions: &[&Session],
    name: &str,
    now: Instant<Utc>,
    tz: Tz,
) -> String {
    render_with(ws, config, sessions, name, now, tz, &[])
}

/// [`render`], with `components` (content lines, unfolded, e.g. a `BEGIN:VTODO` … `END:VTODO`
/// block) after the sessions' events.
pub fn render_with(
    ws: &Workspace,
    config: Option<&Config>,
    sessions: &[&Session],
    name: &str,
    now: Instant<Utc>,
    tz: Tz,
    components: &[String],
) -> String {
    debug_assert!(KINDS.iter().all(|k| ws.kinds.has(*k)), "{:?}", ws.kinds);
    let people: HashMap<&str, &Person> = ws
        .people
        .iter()
        .map(|p| (p.id.as_str(), &p.value))
        .collect();
    let missions: HashMap<&str, &crate::model::Mission> = ws
        .missions
        .iter()
        .map(|m| (m.id.as_str(), &m.value))
        .collect();
    let orgs: HashMap<&str, &str> = ws
        .organisations
        .iter()
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect();
    let lang = config
        .and_then(|c| c.languages.first())
        .map_or("fr", String::as_str);
    let mut out = String::new();
    let mut line = |l: String| out.push_str(&fold_line(&l));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//fresk//sessions//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    let dtstamp = stamp(now);
    for s in sessions {
        let offer = config
            .and_then(|c| c.offer(&s.offer))
            .and_then(|o| o.label.get(lang).or_else(|| o.label.values().next()))
            .map_or(s.offer.as_str(), String::as_str);
        let mission = missions.get(s.mission.as_str());
        let org = mission
            .and_then(|m| orgs.get(m.organisation.as_str()).copied())
            .or(mission.map(|m| m.organisation.as_str()));
        let summary = match org {
            Some(org) => format!("{offer} — {} ({org})", s.mission),
            None => format!("{offer} — {}", s.mission),
        };
        let location = match (&s.location, s.online) {
            (Some(l), _) => Some(l.clone()),
            (None, Some(true)) => Some("online".to_string()),
            _ => None,
        };
        let mut description = vec![format!("Session {} of mission {}", s.id, s.mission)];
        if let Some(m) = mission {
            description.push(format!("Coordinator: {}", name_of(&people, &m.coordinator)));
        }
        if s.facilitators.is_empty() {
            description.push("Facilitators: none yet".into());
        } else {
            description.push("Facilitators:".into());
            for b in &s.facilitators {
                description.push(format!(
                    "- {} ({}, {})",
                    name_of(&people, &b.person),
                    b.role,
                    b.status
                ));
            }
        }
        if let Some(e) = s.participants.expected {
            description.push(format!("Participants expected: {e}"));
        }
        if let Some(seats) = Some(s.free_seats()).filter(|n| *n > 0) {
            description.push(format!("Open seats for facilitators: {seats}"));
        }
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}@fresk", s.id));
        line(format!("DTSTAMP:{dtstamp}"));
        line(format!("DTSTART:{}", stamp(s.start.instant(tz))));
        line(format!("DTEND:{}", stamp(s.end.instant(tz))));
        line(format!("SUMMARY:{}", escape_text(&summary)));
        if let Some(l) = location {
            line(format!("LOCATION:{}", escape_text(&l)));
        }
        line(format!(
            "DESCRIPTION:{}",
            escape_text(&description.join("\n"))
        ));
        line(format!(
            "STATUS:{}",
            if s.state == SessionState::Cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        line("END:VEVENT".into());
    }
    for c in components {
        line(c.clone());
    }
    line("END:VCALENDAR".into());
    out
}

fn name_of(people: &HashMap<&str, &Person>, id: &str) -> String {
    people
        .get(id)
        .map_or_else(|| id.to_string(), |p| format!("{} ({id})", p.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape_text("x\r\ny"), "x\\ny");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold_line(&line);
        assert!(folded.ends_with("\r\n"));
        for physical in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold_line("SHORT"), "SHORT\r\n");
    }
}
