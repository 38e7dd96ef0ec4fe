//! Registrations: participants read from a form export (CSV) and merged into a roster, one
//! person per e-mail address.

use super::roster::{Participant, Roster, email_valid};
use crate::csv_table::{self, Column, CsvError};

/// The columns of a registration export, with the headers form tools and spreadsheets use
/// (English and French; compared without case, accents or punctuation).
pub const COLUMNS: &[Column<'static>] = &[
    Column {
        key: "name",
        aliases: &[
            "name",
            "full name",
            "your name",
            "participant",
            "nom complet",
            "nom et prenom",
            "nom prenom",
            "prenom et nom",
            "prenom nom",
            "votre nom",
        ],
        required: false,
    },
    Column {
        key: "first",
        aliases: &["first name", "firstname", "given name", "prenom"],
        required: false,
    },
    Column {
        key: "last",
        aliases: &[
            "last name",
            "lastname",
            "surname",
            "family name",
            "nom",
            "nom de famille",
        ],
        required: false,
    },
    Column {
        key: "email",
        aliases: &[
            "email",
            "e-mail",
            "email address",
            "e-mail address",
            "mail",
            "adresse e-mail",
            "adresse email",
            "adresse mail",
            "adresse electronique",
            "courriel",
        ],
        required: true,
    },
    Column {
        key: "organisation",
        aliases: &[
            "organisation",
            "organization",
            "company",
            "employer",
            "structure",
            "entreprise",
            "etablissement",
            "employeur",
            "organisme",
            "societe",
        ],
        required: false,
    },
    Column {
        key: "phone",
        aliases: &[
            "phone",
            "phone number",
            "telephone",
            "tel",
            "mobile",
            "portable",
            "numero de telephone",
        ],
        required: false,
    },
];

/// A row that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub line: usize,
    pub reason: String,
}

/// Each valid row of an export with its line, and the rows refused.
pub type Registrations = (Vec<(usize, Participant)>, Vec<Rejected>);

/// The registrations of a CSV export: each valid row with its line, and the rows refused.
pub fn from_csv(bytes: &[u8]) -> Result<Registrations, CsvError> {
    let table = csv_table::read(bytes, COLUMNS)?;
    let has_name = ["name", "first", "last"]
        .iter()
        .any(|k| table.index(k).is_some());
    if !has_name {
        return Err(CsvError::MissingColumns {
            line: table.header_line,
            missing: vec![(
                "name".into(),
                ["name", "first name + last name", "nom", "prénom"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            )],
            headers: table.headers.clone(),
        });
    }
    let mut taken = Vec::new();
    let mut rejected = Vec::new();
    for row in &table.rows {
        let name = match table.get(row, "name") {
            Some(name) => Some(name.to_string()),
            None => {
                let parts: Vec<&str> = [table.get(row, "first"), table.get(row, "last")]
                    .into_iter()
                    .flatten()
                    .collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            }
        };
        let name = name.map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "));
        let email = table.get(row, "email");
        let reason = match (&name, email) {
            (_, None) => Some("no e-mail address".to_string()),
            (_, Some(e)) if !email_valid(e) => Some(format!(
                "`{e}` is not an e-mail address; correct it in the export and import again"
            )),
            (None, _) => Some("no name".to_string()),
            _ => None,
        };
        if let Some(reason) = reason {
            rejected.push(Rejected {
                line: row.line,
                reason,
            });
            continue;
        }
        let mut p = Participant::registered(&name.unwrap_or_default(), email);
        p.organisation = table.get(row, "organisation").map(str::to_string);
        p.phone = table.get(row, "phone").map(str::to_string);
        taken.push((row.line, p));
    }
    Ok((taken, rejected))
}

/// What a merge did to a roster: the places of the participants added and updated (with the
/// line or label they came from), those already as given.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Merged {
    pub added: Vec<(usize, usize)>,
    pub updated: Vec<(usize, usize)>,
    pub unchanged: Vec<(usize, usize)>,
    /// Rows repeating an e-mail of an earlier row of the same import: (line, earlier line).
    pub repeated: Vec<(usize, usize)>,
}

/// Merge `incoming` (each with the line it came from) into `roster`: a participant with the
/// same e-mail (without case) — or, for hand-written entries without one, the same name — is
/// updated with the contact details given (attendance and evaluation are kept); others are
/// added at the end. Rows of `incoming` with the same e-mail are one participant (the later
/// values win).
pub fn merge(roster: &mut Roster, incoming: Vec<(usize, Participant)>) -> Merged {
    let mut out = Merged::default();
    // Rows repeating an e-mail are folded into the first one, the later values winning.
    let mut rows: Vec<(String, usize, Participant)> = Vec::new();
    for (line, new) in incoming {
        let key = new.email_key().unwrap_or_default();
        match rows.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, first, p)) => {
                out.repeated.push((line, *first));
                p.name = new.name;
                p.email = new.email;
                p.organisation = new.organisation.or(p.organisation.take());
                p.phone = new.phone.or(p.phone.take());
            }
            None => rows.push((key, line, new)),
        }
    }
    for (key, line, new) in rows {
        let found = roster
            .participants
            .iter()
            .position(|p| p.email_key().as_deref() == Some(key.as_str()))
            .or_else(|| {
                roster.participants.iter().position(|p| {
                    p.email_key().is_none() && p.name.trim().eq_ignore_ascii_case(new.name.trim())
                })
            });
        match found {
            None => {
                roster.participants.push(new);
                out.added.push((roster.participants.len() - 1, line));
            }
            Some(i) => {
                let p = &mut roster.participants[i];
                let before = (
                    p.name.clone(),
                    p.email.clone(),
                    p.organisation.clone(),
                    p.phone.clone(),
                );
                if p.email_key() != new.email_key() {
                    p.email = new.email;
                }
                p.name = new.name;
                if new.organisation.is_some() {
                    p.organisation = new.organisation;
                }
                if new.phone.is_some() {
                    p.phone = new.phone;
                }
                let after = (
                    p.name.clone(),
                    p.email.clone(),
                    p.organisation.clone(),
                    p.phone.clone(),
                );
                let list = if before == after {
                    &mut out.unchanged
                } else {
                    &mut out.updated
                };
                list.push((i, line));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_and_last_names_join_and_bad_rows_say_their_line() {
        let csv = "Prénom;Nom;E-mail;Structure\nÉlise;Durand;elise@example.org;Lycée\nBob;;bob@;\n;;anon@example.org;\nZoé;Roy;;\n";
        let (taken, rejected) = from_csv(csv.as_bytes()).unwrap();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].0, 2);
        assert_eq!(taken[0].1.name, "Élise Durand");
        assert_eq!(taken[0].1.organisation.as_deref(), Some("Lycée"));
        let lines: Vec<(usize, &str)> = rejected
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(lines[0].0, 3);
        assert!(lines[0].1.contains("`bob@` is not an e-mail address"));
        assert_eq!(lines[1], (4, "no name"));
        assert_eq!(lines[2], (5, "no e-mail address"));
    }

    #[test]
    fn no_name_column_is_an_error() {
        let err = from_csv(b"email,phone\na@example.org,1\n").unwrap_err();
        assert!(err.to_string().contains("no column for `name`"), "{err}");
    }

    #[test]
    fn merge_dedupes_by_email_and_fills_hand_written_entries() {
        let mut roster: Roster = crate::yaml::de::from_text(
            "participants:\n  - { name: Ada Lovelace, attended: true }\n  - { name: Bob, email: BOB@example.org }\n",
        )
        .unwrap();
        let p = |name: &str, email: &str| Participant::registered(name, Some(email));
        let merged = merge(
            &mut roster,
            vec![
                (2, p("Ada Lovelace", "ada@example.org")),
                (3, p("Bob", "bob@example.org")),
                (4, p("Cleo", "cleo@example.org")),
                (5, p("Cleo Dupont", "Cleo@example.org")),
            ],
        );
        assert_eq!(roster.participants.len(), 3);
        assert_eq!(
            roster.participants[0].email.as_deref(),
            Some("ada@example.org")
        );
        assert!(roster.participants[0].present(), "attendance is kept");
        assert_eq!(roster.participants[2].name, "Cleo Dupont");
        assert_eq!(merged.added, vec![(2, 4)]);
        assert_eq!(
            roster.participants[2].email.as_deref(),
            Some("Cleo@example.org")
        );
        assert_eq!(merged.updated, vec![(0, 2)]);
        assert_eq!(merged.unchanged, vec![(1, 3)]);
        assert_eq!(merged.repeated, vec![(5, 4)]);
    }
}
