//! SIRET and SIREN: their length, their Luhn key (and La Poste's exception), and an
//! organisation's SIRET starting with its SIREN.

use crate::diagnostics::{At, Finding};
use crate::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Id {
    Siren,
    Siret,
}

impl Id {
    fn name(self) -> &'static str {
        match self {
            Id::Siren => "SIREN",
            Id::Siret => "SIRET",
        }
    }

    fn len(self) -> usize {
        match self {
            Id::Siren => 9,
            Id::Siret => 14,
        }
    }
}

pub(super) fn digits_of(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Luhn key: from the right, every second digit doubled (minus 9 above 9); the sum is a
/// multiple of 10. `digits` must be ASCII digits.
pub fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Is this SIREN/SIRET well formed? `Err` says why not. Spaces are ignored.
pub fn check_identifier(text: &str, id: Id) -> Result<(), String> {
    let name = id.name();
    let digits = digits_of(text);
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(format!(
            "{name} `{text}` contains `{bad}`: write digits only (spaces are allowed)"
        ));
    }
    if digits.len() != id.len() {
        let what = match id {
            Id::Siren => "a SIREN has 9",
            Id::Siret => "a SIRET has 14 (the 9-digit SIREN and a 5-digit establishment number)",
        };
        return Err(format!(
            "{name} `{text}` has {} digits; {what}",
            digits.len()
        ));
    }
    // La Poste's establishments share one SIREN (356 000 000) and, but for the head office,
    // use another key: the sum of the digits is a multiple of 5.
    let la_poste = id == Id::Siret && digits.starts_with("356000000");
    let ok = luhn_ok(&digits)
        || (la_poste
            && digits
                .bytes()
                .map(|b| u32::from(b - b'0'))
                .sum::<u32>()
                .is_multiple_of(5));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name} `{text}` fails its check key (Luhn): there is a typo; copy it again from the company directory (annuaire-entreprises.data.gouv.fr)"
        ))
    }
}

/// Check one identifier, reporting what is wrong; `true` when valid.
pub(super) fn identifier(
    file: &str,
    route: &str,
    text: &str,
    id: Id,
    out: &mut Vec<Finding>,
) -> bool {
    match check_identifier(text, id) {
        Ok(()) => true,
        Err(message) => {
            out.push(Finding::new(
                &super::SIRET_CHECKSUM,
                file,
                At::value(route),
                message,
            ));
            false
        }
    }
}

/// Each organisation's SIREN and SIRET, and the SIRET starting with the SIREN.
pub(super) fn organisations(ws: &Workspace, out: &mut Vec<Finding>) {
    for o in &ws.organisations {
        let siren_ok = o
            .siren
            .as_deref()
            .is_some_and(|s| identifier(&o.file, "siren", s, Id::Siren, out));
        let siret_ok = o
            .siret
            .as_deref()
            .is_some_and(|s| identifier(&o.file, "siret", s, Id::Siret, out));
        if let (true, true, Some(siren), Some(siret)) =
            (siren_ok, siret_ok, o.siren.as_deref(), o.siret.as_deref())
        {
            let (siren, siret) = (digits_of(siren), digits_of(siret));
            if !siret.starts_with(&siren) {
                out.push(Finding::new(
                    &super::SIRET_CHECKSUM,
                    &o.file,
                    At::value("siret"),
                    format!(
                        "SIRET `{siret}` does not start with the SIREN `{siren}` of this organisation: a SIRET is the SIREN followed by the 5-digit establishment number; one of the two is wrong — check both in the company directory (annuaire-entreprises.data.gouv.fr)"
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_identifiers() {
        assert!(luhn_ok("73282932000074"));
        assert!(luhn_ok("732829320"));
        assert!(!luhn_ok("73282932000075"));
        assert!(check_identifier("732 829 320 00074", Id::Siret).is_ok());
        assert!(check_identifier("732829320", Id::Siren).is_ok());
        assert!(
            check_identifier("73282932000075", Id::Siret)
                .unwrap_err()
                .contains("Luhn")
        );
        assert!(
            check_identifier("7328293200007", Id::Siret)
                .unwrap_err()
                .contains("13 digits")
        );
        assert!(
            check_identifier("73282932000074", Id::Siren)
                .unwrap_err()
                .contains("14 digits")
        );
        assert!(
            check_identifier("732-829-320", Id::Siren)
                .unwrap_err()
                .contains("`-`")
        );
        assert!(check_identifier("", Id::Siren).is_err());
    }

    #[test]
    fn la_poste_sirets_use_the_digit_sum() {
        // La Poste: 356 000 000 SIREN, establishment keys by digit sum multiple of 5.
        assert!(check_identifier("35600000000048", Id::Siret).is_ok()); // head office, Luhn-valid
        assert!(check_identifier("35600000049837", Id::Siret).is_ok()); // sum 45
        assert!(!luhn_ok("35600000049837"));
        assert!(check_identifier("35600000049838", Id::Siret).is_err());
        assert!(check_identifier("356000000", Id::Siren).is_ok());
    }
}
