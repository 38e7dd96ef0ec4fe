//! Dates, date-times and months as written in workspace files, and the pinned "now".

use chrono::{
    DateTime as ChronoDateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::borrow::Cow;
use std::fmt;

macro_rules! from_str_serde {
    ($ty:ty, $expecting:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        <$ty>::parse(v).map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

/// Why a date, date-time or month written in a file or on the command line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("`{0}` is not a date; write YYYY-MM-DD, e.g. 2026-03-14")]
    NotADate(String),
    #[error("`{0}` is not a valid date; write YYYY-MM-DD, e.g. 2026-03-14")]
    InvalidDate(String),
    #[error(
        "`{0}` is not a date-time; write `YYYY-MM-DD HH:MM` (workspace time zone) or RFC 3339 with an offset, e.g. 2026-03-14 09:00"
    )]
    NotADateTime(String),
    #[error("`{0}` is not a month; write YYYY-MM, e.g. 2026-05")]
    NotAMonth(String),
}

/// Why the pinned clock (`FRESK_NOW`, `FRESK_TODAY`) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("FRESK_NOW: {0}")]
    Now(TimeError),
    #[error("FRESK_TODAY: {0}")]
    Today(TimeError),
}

/// `YYYY-MM-DD` read directly (dates are parsed for every file of a large workspace).
fn fast_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two_digits(&b[0..2])? * 100 + two_digits(&b[2..4])?;
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        two_digits(&b[5..7])?,
        two_digits(&b[8..10])?,
    )
}

/// `DDDD-DD-DD`: a date's shape, whether or not the day exists.
fn date_shaped(b: &[u8]) -> bool {
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A real calendar day `YYYY-MM-DD` as a regular expression (months of 28–31 days, 29
/// February in leap years only): the JSON Schemas' pattern, the grammar [`Date::parse`] reads.
pub const DATE_PATTERN: &str = concat!(
    "(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)",
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
);

/// `HH:MM`, optional `:SS`, optional offset `Z` or `±HH:MM`, after a date and a space or `T`:
/// the grammar [`DateTime::parse`] reads.
pub const TIME_PATTERN: &str =
    "[ T](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?";

fn two_digits(b: &[u8]) -> Option<u32> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(c - b'0')),
        _ => None,
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Exactly `YYYY-MM-DD`, a real calendar day ([`DATE_PATTERN`] says the same to editors).
    pub fn parse(text: &str) -> Result<Date, TimeError> {
        if let Some(d) = fast_date(text.as_bytes()) {
            return Ok(Date(d));
        }
        if date_shaped(text.as_bytes()) {
            Err(TimeError::InvalidDate(text.to_string()))
        } else {
            Err(TimeError::NotADate(text.to_string()))
        }
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> YearMonth {
        YearMonth {
            year: self.0.year(),
            month: self.0.month(),
        }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + chrono::Duration::days(days))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}
from_str_serde!(Date, "a date YYYY-MM-DD");

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar date, YYYY-MM-DD.",
            "type": "string",
            "format": "date",
            "pattern": format!("^{DATE_PATTERN}$")
        })
    }
}

/// A date-time: `YYYY-MM-DD HH:MM` in the workspace time zone, or RFC 3339 with an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    pub local: NaiveDateTime,
    /// Seconds east of UTC when the file gave an explicit offset.
    pub offset: Option<i32>,
}

impl DateTime {
    /// `YYYY-MM-DD HH:MM` (or `T` between them), optional `:SS`, optional offset `Z` or
    /// `±HH:MM` (RFC 3339); nothing else ([`DATE_PATTERN`] and [`TIME_PATTERN`] say the same to
    /// editors).
    pub fn parse(text: &str) -> Result<DateTime, TimeError> {
        let err = || TimeError::NotADateTime(text.to_string());
        let b = text.as_bytes();
        if b.len() < 16 || !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' {
            return Err(err());
        }
        let date = fast_date(&b[..10]).ok_or_else(|| {
            if date_shaped(&b[..10]) {
                TimeError::InvalidDate(text.to_string())
            } else {
                err()
            }
        })?;
        let (h, m) = (two_digits(&b[11..13]), two_digits(&b[14..16]));
        let mut rest = &b[16..];
        let mut second = Some(0);
        if let [b':', s @ ..] = rest {
            second = s.get(..2).and_then(two_digits);
            rest = s.get(2..).unwrap_or_default();
        }
        let offset = match rest {
            [] => None,
            [b'Z'] => Some(0),
            [sign @ (b'+' | b'-'), oh @ .., b':', m1, m2] if oh.len() == 2 => {
                let (oh, om) = (
                    two_digits(oh).ok_or_else(err)?,
                    two_digits(&[*m1, *m2]).ok_or_else(err)?,
                );
                if oh > 23 || om > 59 {
                    return Err(err());
                }
                let seconds = i32::try_from(oh * 3600 + om * 60).map_err(|_| err())?;
                Some(if *sign == b'-' { -seconds } else { seconds })
            }
            _ => return Err(err()),
        };
        let time = match (h, m, second) {
            (Some(h), Some(m), Some(s)) => NaiveTime::from_hms_opt(h, m, s).ok_or_else(err)?,
            _ => return Err(err()),
        };
        Ok(DateTime {
            local: date.and_time(time),
            offset,
        })
    }

    /// The instant this denotes, reading offset-less values in `tz`.
    pub fn instant(&self, tz: Tz) -> ChronoDateTime<Utc> {
        match self.offset.and_then(FixedOffset::east_opt) {
            Some(off) => off.from_local_datetime(&self.local).single().map_or_else(
                || Utc.from_utc_datetime(&self.local),
                |d| d.with_timezone(&Utc),
            ),
            None => tz
                .from_local_datetime(&self.local)
                .earliest()
                // A local time skipped by a DST change: read it as the hour after.
                .or_else(|| {
                    tz.from_local_datetime(&(self.local + chrono::Duration::hours(1)))
                        .earliest()
                })
                .map_or_else(
                    || Utc.from_utc_datetime(&self.local),
                    |d| d.with_timezone(&Utc),
                ),
        }
    }

    pub fn date(&self) -> Date {
        Date(self.local.date())
    }

    pub fn from_date(date: Date) -> DateTime {
        DateTime {
            local: date.0.and_time(NaiveTime::MIN),
            offset: None,
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset.and_then(FixedOffset::east_opt) {
            Some(off) => match off.from_local_datetime(&self.local).single() {
                Some(dt) => write!(f, "{}", dt.to_rfc3339()),
                None => write!(f, "{}", self.local.format("%Y-%m-%d %H:%M")),
            },
            None => write!(f, "{}", self.local.format("%Y-%m-%d %H:%M")),
        }
    }
}
from_str_serde!(DateTime, "a date-time YYYY-MM-DD HH:MM");

impl JsonSchema for DateTime {
    fn schema_name() -> Cow<'static, str> {
        "DateTime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date-time: `YYYY-MM-DD HH:MM` in the workspace time zone, or RFC 3339 with an offset.",
            "type": "string",
            "format": "fresk-date-time",
            "pattern": format!("^{DATE_PATTERN}{TIME_PATTERN}$")
        })
    }
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn parse(text: &str) -> Result<YearMonth, TimeError> {
        let t = text.trim();
        let err = || TimeError::NotAMonth(text.to_string());
        let (y, m) = t.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year = y.parse().map_err(|_| err())?;
        let month = m.parse().map_err(|_| err())?;
        if !(1..=12).contains(&month) {
            return Err(err());
        }
        Ok(YearMonth { year, month })
    }
}

impl YearMonth {
    /// The first day of the month after this one.
    pub fn first_day_after(self) -> Option<Date> {
        let (y, m) = if self.month >= 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).map(Date)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}
from_str_serde!(YearMonth, "a month YYYY-MM");

impl JsonSchema for YearMonth {
    fn schema_name() -> Cow<'static, str> {
        "YearMonth".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar month, YYYY-MM.",
            "type": "string",
            "format": "year-month",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"
        })
    }
}

/// "Now" for this run: the system clock, or `FRESK_NOW` / `FRESK_TODAY` when set.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: ChronoDateTime<Utc>,
}

impl Clock {
    /// `FRESK_NOW` (a date-time) wins; `FRESK_TODAY` alone means the start of that day.
    pub fn from_env(tz: Tz) -> Result<Clock, ClockError> {
        if let Ok(now) = std::env::var("FRESK_NOW") {
            let dt = DateTime::parse(&now).map_err(ClockError::Now)?;
            return Ok(Clock {
                now: dt.instant(tz),
            });
        }
        if let Ok(today) = std::env::var("FRESK_TODAY") {
            let d = Date::parse(&today).map_err(ClockError::Today)?;
            return Ok(Clock {
                now: DateTime::from_date(d).instant(tz),
            });
        }
        Ok(Clock { now: Utc::now() })
    }

    pub fn at(now: ChronoDateTime<Utc>) -> Clock {
        Clock { now }
    }

    pub fn today(&self, tz: Tz) -> Date {
        Date(self.now.with_timezone(&tz).date_naive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_follow_one_grammar() {
        for ok in [
            "2026-06-22 09:00",
            "2026-06-22T09:00",
            "2026-06-22 09:00:30",
            "2026-06-22T09:00:00+02:00",
            "2026-06-22 07:00Z",
            "2024-02-29 23:59",
        ] {
            assert!(DateTime::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-06-22 09:00 tomorrow",
            "2026-13-22 09:00",
            "2026-02-29 09:00",
            "2026-06-22 9:00",
            "2026-06-22 24:00",
            "2026-06-22 09:00+24:00",
            " 2026-06-22 09:00",
            "2026-06-22 09:00:60",
        ] {
            assert!(DateTime::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DateTime::parse("2026-06-22T09:00-01:30").unwrap().offset,
            Some(-5400)
        );
        assert!(matches!(
            Date::parse("2026-02-30"),
            Err(TimeError::InvalidDate(_))
        ));
        assert!(matches!(
            Date::parse("2026-2-3"),
            Err(TimeError::NotADate(_))
        ));
    }

    #[test]
    fn dates_are_strict() {
        assert!(Date::parse("2026-02-29").is_err());
        assert!(Date::parse("2026-2-3").is_err());
        assert_eq!(Date::parse("2026-03-14").unwrap().to_string(), "2026-03-14");
    }

    #[test]
    fn local_date_times_use_the_workspace_zone() {
        let dt = DateTime::parse("2026-03-14 09:00").unwrap();
        let utc = dt.instant(chrono_tz::Europe::Paris);
        assert_eq!(utc.to_rfc3339(), "2026-03-14T08:00:00+00:00");
        let dt = DateTime::parse("2026-07-14T09:00:00+02:00").unwrap();
        assert_eq!(
            dt.instant(chrono_tz::Europe::Paris).to_rfc3339(),
            "2026-07-14T07:00:00+00:00"
        );
    }

    #[test]
    fn months() {
        assert_eq!(YearMonth::parse("2026-05").unwrap().to_string(), "2026-05");
        assert!(YearMonth::parse("2026-13").is_err());
        let first = |t: &str| {
            YearMonth::parse(t)
                .unwrap()
                .first_day_after()
                .unwrap()
                .to_string()
        };
        assert_eq!(first("2026-05"), "2026-06-01");
        assert_eq!(first("2026-12"), "2027-01-01");
    }

    #[test]
    fn errors_say_what_to_write() {
        assert_eq!(
            Date::parse("2026-2-3").unwrap_err().to_string(),
            "`2026-2-3` is not a date; write YYYY-MM-DD, e.g. 2026-03-14"
        );
        assert_eq!(
            Date::parse("2026-02-30").unwrap_err().to_string(),
            "`2026-02-30` is not a valid date; write YYYY-MM-DD, e.g. 2026-03-14"
        );
        assert_eq!(
            YearMonth::parse("May").unwrap_err().to_string(),
            "`May` is not a month; write YYYY-MM, e.g. 2026-05"
        );
        assert_eq!(
            ClockError::Today(Date::parse("x").unwrap_err()).to_string(),
            "FRESK_TODAY: `x` is not a date; write YYYY-MM-DD, e.g. 2026-03-14"
        );
    }
}
