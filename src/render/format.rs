//! Numbers, amounts and dates as a reader of each language expects them on a document.
//!
//! Formatting happens here, in Rust, so that templates only place text.

use crate::model::{Date, Money, Quantity};
use rust_decimal::Decimal;

/// U+202F NARROW NO-BREAK SPACE: the French thousands separator.
const NNBSP: char = '\u{202f}';
/// U+00A0 NO-BREAK SPACE: between a French amount and its currency sign.
const NBSP: char = '\u{a0}';

/// How one language writes numbers and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `1 200,50 €`, `21/05/2026`: French and most of continental Europe.
    French,
    /// `€1,200.50`, `21 May 2026`.
    English,
}

impl Style {
    pub fn for_lang(lang: &str) -> Style {
        match lang {
            "en" => Style::English,
            _ => Style::French,
        }
    }
}

/// The sign of a currency, or its code when it has no common sign.
fn currency_sign(code: &str) -> &str {
    match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    }
}

/// Digits of a non-negative integer part grouped by thousands with `sep`.
fn group(int_part: &str, sep: char) -> String {
    let mut out = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal with exactly `places` decimals (rounded half away from zero), grouped.
fn number(value: Decimal, places: u32, style: Style) -> String {
    let rounded =
        value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", places as usize, rounded.abs());
    let (int_part, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (sep, point) = match style {
        Style::French => (NNBSP, ','),
        Style::English => (',', '.'),
    };
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group(int_part, sep));
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// An amount with two decimals and the currency: `1 200,00 €` / `€1,200.00`.
pub fn money(amount: Money, currency: &str, style: Style) -> String {
    let sign = currency_sign(currency);
    let digits = number(amount.0, 2, style);
    match (style, sign.chars().count()) {
        (Style::English, 1) => match digits.strip_prefix('-') {
            Some(rest) => format!("-{sign}{rest}"),
            None => format!("{sign}{digits}"),
        },
        _ => format!("{digits}{NBSP}{sign}"),
    }
}

/// A quantity as written, without trailing zeros: `3`, `1,5` / `1.5`.
pub fn quantity(q: Quantity, style: Style) -> String {
    let d = q.0.normalize();
    number(d, d.scale(), style)
}

/// A percentage rate: `20` / `5,5`.
pub fn rate(q: Quantity, style: Style) -> String {
    quantity(q, style)
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as printed: `21/05/2026` / `21 May 2026` (never ambiguous).
pub fn date(d: Date, style: Style) -> String {
    use chrono::Datelike;
    let n = d.0;
    match style {
        Style::French => format!("{:02}/{:02}/{}", n.day(), n.month(), n.year()),
        Style::English => format!(
            "{} {} {}",
            n.day(),
            MONTHS_EN[n.month0() as usize],
            n.year()
        ),
    }
}

/// A time of day: `09:00` / `9:00 am`.
pub fn time(t: chrono::NaiveTime, style: Style) -> String {
    use chrono::Timelike;
    match style {
        Style::French => format!("{:02}:{:02}", t.hour(), t.minute()),
        Style::English => {
            let (pm, h) = t.hour12();
            format!("{h}:{:02} {}", t.minute(), if pm { "pm" } else { "am" })
        }
    }
}

/// A SIRET/SIREN as people read it: `839 412 756 00026`, `839 412 756`.
pub fn siret(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 14 || digits.len() == 9 {
        let (siren, nic) = digits.split_at(9);
        let mut out = format!("{} {} {}", &siren[0..3], &siren[3..6], &siren[6..9]);
        if !nic.is_empty() {
            out.push(' ');
            out.push_str(nic);
        }
        out
    } else {
        s.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn amounts_per_language() {
        assert_eq!(
            money(m("1200"), "EUR", Style::French),
            "1\u{202f}200,00\u{a0}€"
        );
        assert_eq!(
            money(m("1234567.5"), "EUR", Style::English),
            "€1,234,567.50"
        );
        assert_eq!(money(m("0"), "EUR", Style::English), "€0.00");
        assert_eq!(money(m("-150"), "EUR", Style::English), "-€150.00");
        assert_eq!(money(m("-150"), "EUR", Style::French), "-150,00\u{a0}€");
        assert_eq!(money(m("999.99"), "CHF", Style::English), "999.99\u{a0}CHF");
    }

    #[test]
    fn quantities_keep_what_was_written() {
        let q = |s: &str| Quantity::parse(s).unwrap();
        assert_eq!(quantity(q("3"), Style::French), "3");
        assert_eq!(quantity(q("1.50"), Style::French), "1,5");
        assert_eq!(quantity(q("1000"), Style::English), "1,000");
    }

    #[test]
    fn dates_and_times() {
        let d = Date::parse("2026-05-01").unwrap();
        assert_eq!(date(d, Style::French), "01/05/2026");
        assert_eq!(date(d, Style::English), "1 May 2026");
        let t = chrono::NaiveTime::from_hms_opt(14, 5, 0).unwrap();
        assert_eq!(time(t, Style::French), "14:05");
        assert_eq!(time(t, Style::English), "2:05 pm");
    }

    #[test]
    fn sirets_are_grouped() {
        assert_eq!(siret("83941275600026"), "839 412 756 00026");
        assert_eq!(siret("839412756"), "839 412 756");
        assert_eq!(siret("12"), "12");
    }
}
