//! The mailing list (`fresk export contacts`): organisations' contacts as CSV for a spreadsheet
//! or a mail merge, or as vCard 4.0 (RFC 6350) for an address book. Only the `contacts` of
//! organisations/ — never participants, whose names live in private/ rosters — and never a
//! contact who opted out (`marketing: false` on the contact, or on the organisation for all of
//! its contacts).

use crate::model::client::ClientStatus;
use crate::model::{Contact, Organisation, Sector};

/// One contact to write, with what the mailing needs of their organisation.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub organisation: &'a Organisation,
    pub status: ClientStatus,
    pub contact: &'a Contact,
}

/// The contacts of `orgs` that may receive mailings, with each organisation's status, filtered
/// by status and sector (an empty filter keeps all), in the organisations' order.
pub fn rows<'a>(
    orgs: impl IntoIterator<Item = (&'a Organisation, ClientStatus)>,
    statuses: &[ClientStatus],
    sectors: &[Sector],
) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for (org, status) in orgs {
        let wanted = (statuses.is_empty() || statuses.contains(&status))
            && (sectors.is_empty() || sectors.contains(&org.sector))
            && org.marketing != Some(false);
        if !wanted {
            continue;
        }
        for contact in &org.contacts {
            if contact.marketing != Some(false) {
                out.push(Row {
                    organisation: org,
                    status,
                    contact,
                });
            }
        }
    }
    out
}

/// The CSV columns, in order.
pub const CSV_HEADERS: &[&str] = &[
    "organisation",
    "organisation_name",
    "sector",
    "status",
    "name",
    "given_name",
    "family_name",
    "role",
    "email",
    "phone",
    "address",
    "country",
];

/// The rows as CSV (RFC 4180, CRLF line ends) preceded by a UTF-8 byte-order mark: without it,
/// Excel — the usual source of a Word mail merge — reads a UTF-8 file in the legacy code page
/// and mangles every accent; LibreOffice, Google Sheets and Python's `utf-8-sig` read the mark
/// as what it is. A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
/// prefixed with `'` so that a spreadsheet shows it as text instead of running it as a formula.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: &[&str]| -> String {
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        cells.join(",") + "\r\n"
    };
    out.push_str(&line(CSV_HEADERS));
    for r in rows {
        let (given, family) = split_name(&r.contact.name);
        let o = r.organisation;
        out.push_str(&line(&[
            &o.id,
            &o.name,
            o.sector.as_str(),
            r.status.as_str(),
            &r.contact.name,
            given,
            family,
            r.contact.role.as_deref().unwrap_or_default(),
            r.contact.email.as_deref().unwrap_or_default(),
            r.contact.phone.as_deref().unwrap_or_default(),
            o.address.as_deref().unwrap_or_default(),
            &o.country,
        ]));
    }
    out
}

/// One CSV cell: neutralised when a spreadsheet would read it as a formula, quoted when needed.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// `Marie-Claire Dupont` → (`Marie-Claire`, `Dupont`): the last word is the family name. A
/// name of one word is a family name.
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((given, family)) => (given.trim(), family),
        None => ("", name),
    }
}

/// The rows as vCard 4.0 (RFC 6350): one card per contact, CRLF line ends, lines folded at 75
/// octets, text escaped. FN, N, ORG, TITLE, EMAIL, TEL, ADR (the organisation's address as the
/// street, with its country) and CATEGORIES (the status and sector) when known.
pub fn vcard(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        let o = r.organisation;
        let c = r.contact;
        let (given, family) = split_name(&c.name);
        let mut lines = vec![
            "BEGIN:VCARD".to_string(),
            "VERSION:4.0".to_string(),
            format!("FN:{}", escape(&c.name)),
            format!("N:{};{};;;", escape(family), escape(given)),
            format!("ORG:{}", escape(&o.name)),
        ];
        if let Some(role) = &c.role {
            lines.push(format!("TITLE:{}", escape(role)));
        }
        if let Some(email) = &c.email {
            lines.push(format!("EMAIL;TYPE=work:{}", escape(email.trim())));
        }
        if let Some(phone) = &c.phone {
            lines.push(format!("TEL;VALUE=text;TYPE=work:{}", escape(phone.trim())));
        }
        if let Some(address) = &o.address {
            lines.push(format!(
                "ADR;TYPE=work:;;{};;;;{}",
                escape(address),
                escape(&o.country)
            ));
        }
        lines.push(format!(
            "CATEGORIES:{},{}",
            r.status.as_str(),
            o.sector.as_str()
        ));
        lines.push("END:VCARD".to_string());
        for l in lines {
            out.push_str(&fold(&l));
        }
    }
    out
}

/// A text value escaped as RFC 6350 §3.4 asks: backslash, comma, semicolon and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded as RFC 6350 §3.2 asks: at most 75 octets per physical line (never
/// inside a UTF-8 sequence), continuation lines starting with a space, CRLF after each.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for ch in line.chars() {
        if width + ch.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += ch.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_cutting_a_character() {
        let line = format!("NOTE:{}", "é".repeat(60));
        let folded = fold(&line);
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn text_is_escaped_and_formulas_are_neutralised() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+33 4 65"), "'+33 4 65");
        assert_eq!(csv_cell("@sum"), "'@sum");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("Dupont, Marie"), "\"Dupont, Marie\"");
        assert_eq!(
            split_name("Marie-Claire Dupont"),
            ("Marie-Claire", "Dupont")
        );
        assert_eq!(split_name("Cher"), ("", "Cher"));
    }
}
