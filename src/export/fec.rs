//! The FEC (*fichier des écritures comptables*, article A47 A-1 of the *livre des procédures
//! fiscales*): one line per posting, the 18 columns in the official order, `|`-separated,
//! dates `YYYYMMDD`, amounts with a decimal comma, encoded in ISO 8859-15.

use crate::model::Money;
use crate::model::ledger::{Chart, Entry, Posting};
use std::fmt::Write;

/// The 18 columns, in the order of article A47 A-1.
pub const COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// `SIRENFECYYYYMMDD.txt`, the name the norm gives the file (the date closes the year).
pub fn file_name(siren: &str, year: i32) -> String {
    format!("{siren}FEC{year:04}1231.txt")
}

/// The label of an account of `chart` (`CompteLib`).
fn account_label(chart: &Chart, account: &str) -> &'static str {
    let labels = [
        (&chart.clients, "Clients"),
        (&chart.suppliers, "Fournisseurs"),
        (&chart.sales, "Prestations de services"),
        (&chart.fees, "Honoraires des animateurs"),
        (&chart.costs, "Frais de mission"),
        (&chart.bank, "Banque"),
        (&chart.vat_collected, "TVA collectée"),
        (&chart.vat_deductible, "TVA déductible"),
    ];
    labels
        .iter()
        .find(|(a, _)| a.as_str() == account)
        .map_or("Compte", |(_, l)| l)
}

/// An amount with a decimal comma and no thousands separator.
pub fn amount(m: Money) -> String {
    m.to_string().replace('.', ",")
}

/// A text field: no separator, no line break.
fn field(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '|' | '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The FEC text of `entries` (numbered in their order).
pub fn fec(entries: &[Entry], chart: &Chart) -> String {
    let mut out = COLUMNS.join("|");
    out.push_str("\r\n");
    for (n, e) in entries.iter().enumerate() {
        let date = e.date.0.format("%Y%m%d").to_string();
        let piece_date = e.piece_date.0.format("%Y%m%d").to_string();
        for p in &e.postings {
            let Posting {
                account,
                aux,
                debit,
                credit,
            } = p;
            let (aux_num, aux_lib) = aux
                .as_ref()
                .map_or((String::new(), String::new()), |(id, name)| {
                    (field(id), field(name))
                });
            let _ = write!(
                out,
                "{}|{}|{}|{date}|{}|{}|{aux_num}|{aux_lib}|{}|{piece_date}|{}|{}|{}|||{date}||\r\n",
                e.journal.code(),
                e.journal.name(),
                n + 1,
                field(account),
                account_label(chart, account),
                field(&e.piece),
                field(&e.label),
                amount(*debit),
                amount(*credit),
            );
        }
    }
    out
}

/// `text` in ISO 8859-15 (what the FEC is read in); a character it lacks becomes `?`.
pub fn latin9(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0xA4,
            'Š' => 0xA6,
            'š' => 0xA8,
            'Ž' => 0xB4,
            'ž' => 0xB8,
            'Œ' => 0xBC,
            'œ' => 0xBD,
            'Ÿ' => 0xBE,
            '’' | '‘' => b'\'',
            c => match u8::try_from(u32::from(c)) {
                Ok(b) if !matches!(b, 0xA4 | 0xA6 | 0xA8 | 0xB4 | 0xB8 | 0xBC | 0xBD | 0xBE) => b,
                _ => b'?',
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_names_and_encoding() {
        assert_eq!(amount(Money::parse("1200.5").unwrap()), "1200,50");
        assert_eq!(amount(Money::ZERO), "0,00");
        assert_eq!(file_name("839412756", 2026), "839412756FEC20261231.txt");
        assert_eq!(latin9("é€œ✓"), vec![0xE9, 0xA4, 0xBD, b'?']);
        assert_eq!(field("a|b\nc"), "a b c");
    }
}
