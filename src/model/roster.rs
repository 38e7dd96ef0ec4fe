//! A session's roster, `private/rosters/<session>.yaml`: who registered and who attended, with
//! their contact details and the evaluation of what they learnt. It lives under the git-ignored
//! `private/`: tracked files only hold counts (`participants.attended`, `evaluation`).
//!
//! ```yaml
//! session: M2026-0005-S01
//! participants:
//!   - { name: Élise Durand, email: elise@example.org, organisation: Lycée Ampère }
//!   - name: Bob Martin
//!     email: bob@example.org
//!     phone: "+33 6 12 34 56 78"
//!     attended: true
//!     half_days: [2026-06-10 am, 2026-06-10 pm]
//!     evaluation: acquired        # or partially, not-acquired, a score: 14/20, 3.5
//! ```
//!
//! Rosters written before these fields stay valid: `attended` still defaults to true.

use super::Session;
use super::money::Quantity;
use super::time::Date;
use chrono::{NaiveTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::fmt;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// The session this roster belongs to, when written (checked against the session).
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Their employer or organisation, printed on the certificate when given.
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Absent participants get no certificate; registrations not yet held are `false`.
    #[serde(default = "yes")]
    pub attended: bool,
    /// The half-days they signed in for; when given, it decides `attended` (not empty) and
    /// the duration on their certificate.
    #[serde(default)]
    pub half_days: Option<Vec<HalfDay>>,
    /// The evaluation of what they learnt.
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
}

fn yes() -> bool {
    true
}

impl Participant {
    /// A registration: not attended yet.
    pub fn registered(name: &str, email: Option<&str>) -> Participant {
        Participant {
            name: name.to_string(),
            email: email.map(str::to_string),
            organisation: None,
            phone: None,
            attended: false,
            half_days: None,
            evaluation: None,
        }
    }

    /// Did they attend: their half-days when recorded, else `attended`.
    pub fn present(&self) -> bool {
        match &self.half_days {
            Some(days) => !days.is_empty(),
            None => self.attended,
        }
    }

    /// Their e-mail, compared without case.
    pub fn email_key(&self) -> Option<String> {
        self.email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
    }

    /// The one-line flow mapping this participant is written as in a roster.
    pub fn to_flow(&self) -> String {
        let mut fields = vec![format!("name: {}", flow_scalar(&self.name))];
        let mut opt = |key: &str, v: &Option<String>| {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                fields.push(format!("{key}: {}", flow_scalar(v)));
            }
        };
        opt("email", &self.email);
        opt("organisation", &self.organisation);
        opt("phone", &self.phone);
        fields.push(format!("attended: {}", self.present()));
        if let Some(days) = &self.half_days {
            let days: Vec<String> = days.iter().map(HalfDay::to_string).collect();
            fields.push(format!("half_days: [{}]", days.join(", ")));
        }
        if let Some(e) = &self.evaluation {
            fields.push(format!("evaluation: {}", flow_scalar(&e.to_string())));
        }
        format!("{{ {} }}", fields.join(", "))
    }
}

/// A scalar safe inside a flow mapping: plain when it is ordinary text, else double-quoted.
fn flow_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " .-_@+'()/".contains(c))
        && !text.starts_with(['-', '@', '\'', '+', '('])
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "on" | "off" | "y" | "n"
        )
        && text.parse::<f64>().is_err();
    if plain {
        return text.to_string();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A morning or an afternoon of a day: `2026-06-10 am`, `2026-06-10 pm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfDay {
    pub date: Date,
    pub afternoon: bool,
}

/// Mornings end, and afternoons start, at 13:00.
pub const NOON: NaiveTime = match NaiveTime::from_hms_opt(13, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

impl HalfDay {
    pub fn parse(text: &str) -> Result<HalfDay, String> {
        let bad = || {
            format!("`{text}` is not a half-day; write the date and am or pm, e.g. `2026-06-10 am`")
        };
        let (date, part) = text.trim().split_once(' ').ok_or_else(bad)?;
        let date = Date::parse(date).map_err(|_| bad())?;
        let afternoon = match part.trim() {
            "am" => false,
            "pm" => true,
            _ => return Err(bad()),
        };
        Ok(HalfDay { date, afternoon })
    }
}

impl fmt::Display for HalfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.date,
            if self.afternoon { "pm" } else { "am" }
        )
    }
}

impl<'de> Deserialize<'de> for HalfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        HalfDay::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for HalfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The half-days `session` covers, each with the minutes of the session in it. A session over
/// several days runs each day from its start time to its end time.
pub fn half_days(session: &Session) -> Vec<(HalfDay, i64)> {
    let (start, end) = (session.start.local, session.end.local);
    let mut out = Vec::new();
    let mut day = start.date();
    let (from, to) = (start.time(), end.time());
    while day <= end.date() && out.len() < 2 * 366 {
        let (a, b) = if start.date() == end.date() || to > from {
            (from, to)
        } else {
            // Overnight or odd times: the first day from its start, the last until its end.
            (
                if day == start.date() {
                    from
                } else {
                    NaiveTime::MIN
                },
                if day == end.date() { to } else { last_minute() },
            )
        };
        for (afternoon, lo, hi) in [(false, NaiveTime::MIN, NOON), (true, NOON, last_minute())] {
            let minutes = overlap(a, b, lo, hi);
            if minutes > 0 {
                out.push((
                    HalfDay {
                        date: Date(day),
                        afternoon,
                    },
                    minutes,
                ));
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

fn last_minute() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
}

fn overlap(a: NaiveTime, b: NaiveTime, lo: NaiveTime, hi: NaiveTime) -> i64 {
    let (s, e) = (a.max(lo), b.min(hi));
    let minutes = |t: NaiveTime| i64::from(t.hour() * 60 + t.minute()) + i64::from(t.second() / 59);
    (minutes(e) - minutes(s)).max(0)
}

/// The minutes of `session` (each of its half-days).
pub fn session_minutes(session: &Session) -> i64 {
    half_days(session).iter().map(|(_, m)| m).sum()
}

/// The minutes `p` followed: the session's half-days they signed in for, or all of it.
pub fn minutes_followed(session: &Session, p: &Participant) -> i64 {
    let all = half_days(session);
    match &p.half_days {
        Some(days) => all
            .iter()
            .filter(|(h, _)| days.contains(h))
            .map(|(_, m)| m)
            .sum(),
        None if p.attended => all.iter().map(|(_, m)| m).sum(),
        None => 0,
    }
}

/// Hours, to the hundredth, of `minutes`.
pub fn hours(minutes: i64) -> Quantity {
    Quantity(Decimal::new(minutes * 100 / 60, 2).round_dp(2))
}

/// The evaluation of what a participant learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluation {
    Acquired,
    Partially,
    NotAcquired,
    /// A score as written: `14/20`, `3.5`.
    Score(String),
}

impl Evaluation {
    pub fn parse(text: &str) -> Result<Evaluation, String> {
        let t = text.trim();
        match t {
            "acquired" => return Ok(Evaluation::Acquired),
            "partially" => return Ok(Evaluation::Partially),
            "not-acquired" => return Ok(Evaluation::NotAcquired),
            _ => {}
        }
        let number = |s: &str| {
            s.trim()
                .parse::<Decimal>()
                .ok()
                .filter(|d| !d.is_sign_negative())
        };
        let valid = match t.split_once('/') {
            Some((score, out_of)) => match (number(score), number(out_of)) {
                (Some(s), Some(o)) => !o.is_zero() && s <= o,
                _ => false,
            },
            None => number(t).is_some(),
        };
        if valid {
            Ok(Evaluation::Score(t.to_string()))
        } else {
            Err(format!(
                "`{t}` is not an evaluation; write acquired, partially, not-acquired, or a score such as 14/20"
            ))
        }
    }

    /// The counter of the session's summary this result falls in.
    pub fn key(&self) -> &'static str {
        match self {
            Evaluation::Acquired => "acquired",
            Evaluation::Partially => "partially",
            Evaluation::NotAcquired => "not_acquired",
            Evaluation::Score(_) => "scored",
        }
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Evaluation::Acquired => "acquired",
            Evaluation::Partially => "partially",
            Evaluation::NotAcquired => "not-acquired",
            Evaluation::Score(s) => s,
        })
    }
}

impl<'de> Deserialize<'de> for Evaluation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Evaluation::parse(&text).map_err(de::Error::custom)
    }
}

/// The anonymous counts of the evaluation results of `roster`; `None` when no one was evaluated.
pub fn evaluation_summary(roster: &Roster) -> Option<super::session::EvaluationSummary> {
    let mut sum = super::session::EvaluationSummary::default();
    let mut any = false;
    for e in roster
        .participants
        .iter()
        .filter_map(|p| p.evaluation.as_ref())
    {
        any = true;
        match e {
            Evaluation::Acquired => sum.acquired += 1,
            Evaluation::Partially => sum.partially += 1,
            Evaluation::NotAcquired => sum.not_acquired += 1,
            Evaluation::Score(_) => sum.scored += 1,
        }
    }
    any.then_some(sum)
}

impl super::session::EvaluationSummary {
    /// The summary as a one-line YAML mapping.
    pub fn to_flow(&self) -> String {
        format!(
            "{{ acquired: {}, partially: {}, not_acquired: {}, scored: {} }}",
            self.acquired, self.partially, self.not_acquired, self.scored
        )
    }
}

/// Is `email` shaped like an address: one `@`, something before it, a dotted domain after it,
/// no spaces or characters mail software refuses.
pub fn email_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let ok = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    !local.is_empty()
        && local.len() <= 64
        && local.chars().all(ok)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && domain.len() <= 255
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(start: &str, end: &str) -> Session {
        let text =
            format!("id: S1\nmission: M\nstate: planned\noffer: o\nstart: {start}\nend: {end}\n");
        crate::yaml::de::from_text(&text).unwrap()
    }

    #[test]
    fn half_days_of_one_morning_a_full_day_and_two_days() {
        let morning = session("2026-06-10 09:00", "2026-06-10 12:30");
        let h = half_days(&morning);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].0.to_string(), "2026-06-10 am");
        assert_eq!(h[0].1, 210);

        let day = session("2026-06-10 09:00", "2026-06-10 17:00");
        let h: Vec<String> = half_days(&day).iter().map(|(d, _)| d.to_string()).collect();
        assert_eq!(h, ["2026-06-10 am", "2026-06-10 pm"]);
        assert_eq!(session_minutes(&day), 480);

        let two = session("2026-06-10 09:00", "2026-06-11 17:00");
        assert_eq!(half_days(&two).len(), 4);
        assert_eq!(session_minutes(&two), 960);
    }

    #[test]
    fn minutes_followed_come_from_half_days() {
        let day = session("2026-06-10 09:00", "2026-06-10 17:00");
        let mut p = Participant::registered("A", None);
        assert_eq!(minutes_followed(&day, &p), 0);
        p.attended = true;
        assert_eq!(minutes_followed(&day, &p), 480);
        p.half_days = Some(vec![HalfDay::parse("2026-06-10 pm").unwrap()]);
        assert_eq!(minutes_followed(&day, &p), 240);
        assert_eq!(hours(240).to_string(), "4");
    }

    #[test]
    fn old_rosters_stay_valid_and_new_fields_read() {
        let old: Roster = crate::yaml::de::from_text(
            "participants:\n  - name: A\n  - { name: B, attended: false }\n",
        )
        .unwrap();
        assert!(old.participants[0].present());
        assert!(!old.participants[1].present());
        let new: Roster = crate::yaml::de::from_text(
            "session: S1\nparticipants:\n  - { name: A, email: a@x.org, phone: '+33 6', half_days: [2026-06-10 am], evaluation: 14/20 }\n  - { name: B, evaluation: not-acquired }\n",
        )
        .unwrap();
        assert_eq!(
            new.participants[0].evaluation,
            Some(Evaluation::Score("14/20".into()))
        );
        assert_eq!(
            new.participants[1].evaluation,
            Some(Evaluation::NotAcquired)
        );
        let bad = crate::yaml::de::from_text::<Roster>(
            "participants:\n  - { name: A, evaluation: great }\n",
        );
        assert!(bad.unwrap_err().to_string().contains("not an evaluation"));
    }

    #[test]
    fn written_participants_read_back() {
        let mut p = Participant::registered("Durand, Élise \"Lili\"", Some("e@x.org"));
        p.organisation = Some("true".into());
        p.phone = Some("+33 6 12".into());
        p.half_days = Some(vec![HalfDay::parse("2026-06-10 am").unwrap()]);
        p.evaluation = Some(Evaluation::Partially);
        let text = format!("participants:\n  - {}\n", p.to_flow());
        let r: Roster = crate::yaml::de::from_text(&text).unwrap();
        let q = &r.participants[0];
        assert_eq!(q.name, p.name);
        assert_eq!(q.organisation.as_deref(), Some("true"));
        assert_eq!(q.phone.as_deref(), Some("+33 6 12"));
        assert!(q.present());
        assert_eq!(q.evaluation, Some(Evaluation::Partially));
    }

    #[test]
    fn emails() {
        assert!(email_valid("elise.durand+fresk@example.org"));
        for bad in [
            "",
            "a",
            "a@b",
            "a b@example.org",
            "@example.org",
            "a@-x.org",
            "a@@x.org",
            "a@x..org",
        ] {
            assert!(!email_valid(bad), "{bad}");
        }
    }
}
