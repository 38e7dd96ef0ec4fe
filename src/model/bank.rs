//! Bank accounts: the association's (in fresk.yaml) and the facilitators' (in
//! `private/bank/<person>.yaml`, git-ignored), with their IBAN checked by country length and
//! the ISO 13616 mod-97 key, and their BIC by its ISO 9362 shape.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A bank account transfers are made from or to.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankAccount {
    /// The IBAN (spaces allowed), checked with its country length and mod-97 key.
    pub iban: String,
    /// The bank's BIC (8 or 11 characters); optional for SEPA transfers.
    #[serde(default)]
    pub bic: Option<String>,
    /// The account holder's name as the bank knows it; the association's (or the person's)
    /// name when absent.
    #[serde(default)]
    pub holder: Option<String>,
}

/// `private/bank/<person>.yaml`: a facilitator's bank details, outside git.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankDetails {
    /// The person (id in people/) the file is for; the file name when absent.
    #[serde(default)]
    pub person: Option<String>,
    /// The IBAN (spaces allowed).
    pub iban: String,
    /// The bank's BIC.
    #[serde(default)]
    pub bic: Option<String>,
    /// The account holder's name.
    #[serde(default)]
    pub holder: Option<String>,
}

/// IBAN lengths per country, from the SWIFT IBAN registry.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// The length of an IBAN of `country`, if the registry knows the country.
pub fn iban_length(country: &str) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|(_, n)| *n)
}

/// The IBAN in `text`, upper-cased without spaces, or what is wrong with it (for a message
/// that begins "IBAN `…` …").
pub fn check_iban(text: &str) -> Result<String, String> {
    let iban: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if let Some(bad) = iban.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "contains `{bad}`: an IBAN has letters and digits only (spaces are allowed)"
        ));
    }
    let country = iban.get(..2).unwrap_or_default();
    if country.len() < 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err("does not start with a two-letter country code (e.g. FR76…)".into());
    }
    let Some(want) = iban_length(country) else {
        return Err(format!(
            "starts with `{country}`, which is not a country of the IBAN registry"
        ));
    };
    if iban.len() != want {
        return Err(format!(
            "has {} characters; an IBAN of {country} has {want}",
            iban.len()
        ));
    }
    if !iban.as_bytes()[2..4].iter().all(u8::is_ascii_digit) {
        return Err("has no two-digit check key after the country code".into());
    }
    if mod97(&iban) != 1 {
        return Err(
            "fails its check key (mod 97): there is a typo; copy it again from the bank's RIB"
                .into(),
        );
    }
    Ok(iban)
}

/// ISO 13616: the first four characters moved to the end, letters as 10..35, mod 97.
fn mod97(iban: &str) -> u32 {
    let (head, tail) = iban.split_at(4);
    let mut rest = 0u32;
    for c in tail.chars().chain(head.chars()) {
        let value = c.to_digit(36).unwrap_or(0);
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    rest
}

/// The BIC in `text`, upper-cased, or what is wrong with it: 4 letters (the bank), 2 letters
/// (the country), 2 letters or digits (the place), and optionally 3 (the branch).
pub fn check_bic(text: &str) -> Result<String, String> {
    let bic: String = text
        .trim()
        .chars()
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if bic.len() != 8 && bic.len() != 11 {
        return Err(format!(
            "has {} characters; a BIC has 8 or 11",
            bic.chars().count()
        ));
    }
    let b = bic.as_bytes();
    let shape =
        b[..6].iter().all(u8::is_ascii_uppercase) && b[6..].iter().all(u8::is_ascii_alphanumeric);
    if !shape {
        return Err(
            "is not a BIC: 4 letters for the bank, 2 for the country, then 2 or 5 letters or digits"
                .into(),
        );
    }
    Ok(bic)
}

/// The IBAN written in groups of four, as banks print it.
pub fn iban_grouped(iban: &str) -> String {
    iban.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ibans_pass_and_are_normalised() {
        for (text, want) in [
            (
                "FR76 3000 6000 0112 3456 7890 189",
                "FR7630006000011234567890189",
            ),
            ("fr1420041010050500013m02606", "FR1420041010050500013M02606"),
            ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
            ("GB29NWBK60161331926819", "GB29NWBK60161331926819"),
            ("BE68539007547034", "BE68539007547034"),
            ("NO9386011117947", "NO9386011117947"),
            (
                "MT84MALT011000012345MTLCAST001S",
                "MT84MALT011000012345MTLCAST001S",
            ),
        ] {
            assert_eq!(check_iban(text).as_deref(), Ok(want), "{text}");
        }
    }

    #[test]
    fn invalid_ibans_say_why() {
        let typo = check_iban("FR76 3000 6000 0112 3456 7890 188").unwrap_err();
        assert!(typo.contains("mod 97"), "{typo}");
        let short = check_iban("FR76 3000 6000 0112 3456 7890 18").unwrap_err();
        assert!(
            short.contains("26 characters") && short.contains("27"),
            "{short}"
        );
        let country = check_iban("ZZ76 3000 6000 0112 3456 7890 189").unwrap_err();
        assert!(country.contains("`ZZ`"), "{country}");
        let bad = check_iban("FR76-3000").unwrap_err();
        assert!(bad.contains("`-`"), "{bad}");
        assert!(check_iban("").is_err());
        assert!(check_iban("F").is_err());
        assert!(check_iban("FRAB30006000011234567890189").is_err());
        assert!(check_iban("1276300060000112345678901").is_err());
        assert!(check_iban("FR76 3000 6000 0112 3456 7890 1é9").is_err());
    }

    #[test]
    fn every_single_digit_typo_is_caught() {
        let good = "FR7630006000011234567890189";
        for i in 4..good.len() {
            let c = good.as_bytes()[i];
            if !c.is_ascii_digit() {
                continue;
            }
            for d in b'0'..=b'9' {
                if d == c {
                    continue;
                }
                let mut typo = good.as_bytes().to_vec();
                typo[i] = d;
                let typo = String::from_utf8(typo).unwrap();
                assert!(check_iban(&typo).is_err(), "{typo}");
            }
        }
    }

    #[test]
    fn bics() {
        assert_eq!(check_bic("bnpafrpp").as_deref(), Ok("BNPAFRPP"));
        assert_eq!(check_bic("AGRIFRPP882").as_deref(), Ok("AGRIFRPP882"));
        assert!(check_bic("BNPAFRP").is_err());
        assert!(check_bic("BNP1FRPP").is_err());
        assert!(check_bic("BNPAFRPP88").is_err());
        assert!(check_bic("BNPAFRPP8é2").is_err());
    }

    #[test]
    fn grouped() {
        assert_eq!(
            iban_grouped("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }
}
