//! Small hand-written scanners (no regex) for e-mail addresses, phone numbers and IBANs in free
//! text: a byte pass per field, with a fast exit for text that has neither `@` nor a digit.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    Email,
    Phone,
    Iban,
}

impl DataKind {
    pub fn name(self) -> &'static str {
        match self {
            DataKind::Email => "an e-mail address",
            DataKind::Phone => "a phone number",
            DataKind::Iban => "an IBAN",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'t> {
    pub kind: DataKind,
    pub text: &'t str,
}

/// Every e-mail address, phone number and IBAN in `text`, in order of appearance.
pub fn find_personal_data(text: &str) -> Vec<Hit<'_>> {
    let b = text.as_bytes();
    let has_at = b.contains(&b'@');
    if !has_at && !b.iter().any(u8::is_ascii_digit) {
        return Vec::new();
    }
    let mut spans: Vec<(usize, usize, DataKind)> = Vec::new();
    if has_at {
        for (i, &c) in b.iter().enumerate() {
            if c == b'@'
                && let Some((s, e)) = email_at(b, i)
            {
                spans.push((s, e, DataKind::Email));
            }
        }
    }
    let mut i = 0;
    while i < b.len() {
        if spans.iter().any(|&(s, e, _)| (s..e).contains(&i)) {
            i += 1;
            continue;
        }
        if let Some(end) = iban_at(b, i) {
            spans.push((i, end, DataKind::Iban));
            i = end;
            continue;
        }
        match phone_at(b, i) {
            Step::Found(end) => {
                spans.push((i, end, DataKind::Phone));
                i = end;
            }
            Step::Skip(end) => i = end.max(i + 1),
        }
    }
    spans.sort_by_key(|&(s, _, _)| s);
    spans
        .into_iter()
        // Spans start and end on ASCII bytes, so they are char boundaries.
        .filter_map(|(s, e, kind)| text.get(s..e).map(|t| Hit { kind, text: t }))
        .collect()
}

/// Letters, digits and `_`: what glues a number to a word (R2026-0042, x0612345678).
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn before_is_word(b: &[u8], i: usize) -> bool {
    i > 0 && is_word(b[i - 1])
}

fn local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// The e-mail address around the `@` at `at`: `local@domain.tld` with a TLD of 2+ letters.
fn email_at(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut start = at;
    while start > 0 && local_char(b[start - 1]) {
        start -= 1;
    }
    while start < at && matches!(b[start], b'.' | b'-' | b'+') {
        start += 1;
    }
    let mut end = at + 1;
    while end < b.len() && domain_char(b[end]) {
        end += 1;
    }
    while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    if start == at || end <= at + 1 {
        return None;
    }
    let domain = &b[at + 1..end];
    let dot = domain.iter().rposition(|&c| c == b'.')?;
    let tld = &domain[dot + 1..];
    let labels_ok = domain.split(|&c| c == b'.').all(|l| !l.is_empty());
    (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic) && labels_ok).then_some((start, end))
}

/// Length of a digit-group separator at `j`: space, `.`, `-`, no-break space, narrow no-break
/// space; 0 when there is none.
fn sep_len(b: &[u8], j: usize) -> usize {
    match b.get(j) {
        Some(b' ' | b'.' | b'-') => 1,
        Some(0xC2) if b.get(j + 1) == Some(&0xA0) => 2,
        Some(0xE2) if b.get(j + 1..j + 3) == Some(&[0x80, 0xAF][..]) => 3,
        _ => 0,
    }
}

fn digits_at(b: &[u8], j: usize) -> usize {
    b[j.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// Digit groups joined by single separators, from `start` (a digit): group spans and the
/// separator before each group but the first.
struct Run<'b> {
    groups: Vec<(usize, usize)>,
    seps: Vec<&'b [u8]>,
    end: usize,
}

fn digit_run(b: &[u8], start: usize) -> Run<'_> {
    let mut groups = Vec::new();
    let mut seps = Vec::new();
    let mut j = start;
    loop {
        let n = digits_at(b, j);
        groups.push((j, j + n));
        j += n;
        let s = sep_len(b, j);
        if s > 0 && digits_at(b, j + s) > 0 {
            seps.push(&b[j..j + s]);
            j += s;
        } else {
            break;
        }
    }
    Run {
        groups,
        seps,
        end: j,
    }
}

enum Step {
    Found(usize),
    /// Nothing here; go on from this byte.
    Skip(usize),
}

/// A phone number starting at `i`: `+CC` and 9+ digits (optionally `(0)`), or a French national
/// number, 10 digits `0X…` written in one block or as five pairs with the same separator.
fn phone_at(b: &[u8], i: usize) -> Step {
    let c = b[i];
    if c == b'+' {
        if before_is_word(b, i) || digits_at(b, i + 1) == 0 {
            return Step::Skip(i + 1);
        }
        // Country code, then an optional "(0)" trunk prefix, then the national number.
        let cc = digit_run(b, i + 1);
        let mut total: usize = cc.groups.iter().map(|(s, e)| e - s).sum();
        let mut end = cc.end;
        let mut j = end + sep_len(b, end);
        if cc.groups.len() == 1 && b.get(j..j + 3) == Some(&b"(0)"[..]) {
            j += 3;
            j += sep_len(b, j);
            if digits_at(b, j) > 0 {
                let rest = digit_run(b, j);
                total += rest.groups.iter().map(|(s, e)| e - s).sum::<usize>();
                end = rest.end;
            }
        }
        let bounded = !b.get(end).is_some_and(|&c| is_word(c));
        return if bounded && (10..=15).contains(&total) {
            Step::Found(end)
        } else {
            Step::Skip(end)
        };
    }
    if !c.is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
        return Step::Skip(i + 1);
    }
    let run = digit_run(b, i);
    if before_is_word(b, i) || (i > 0 && b[i - 1] == b'+') {
        return Step::Skip(run.end);
    }
    let after_ok = |end: usize| !b.get(end).is_some_and(|&c| is_word(c));
    let (g0s, g0e) = run.groups[0];
    let national_start =
        b[g0s] == b'0' && b.get(g0s + 1).is_some_and(|d| (b'1'..=b'9').contains(d));
    if national_start {
        if g0e - g0s == 10 && after_ok(g0e) {
            return Step::Found(g0e);
        }
        let g = &run.groups;
        if g.len() >= 5
            && g[..5].iter().all(|(s, e)| e - s == 2)
            && run.seps[..4].iter().all(|s| *s == run.seps[0])
            && (g.len() == 5 || run.seps[4] != run.seps[0])
            && after_ok(g[4].1)
        {
            return Step::Found(g[4].1);
        }
    }
    Step::Skip(run.end)
}

/// An IBAN starting at `i`: 2 capital letters, 2 check digits, 11 to 30 letters or digits
/// (spaces between groups allowed), valid under the mod-97 check.
fn iban_at(b: &[u8], i: usize) -> Option<usize> {
    let head = b.get(i..i + 4)?;
    if before_is_word(b, i)
        || !head[0].is_ascii_uppercase()
        || !head[1].is_ascii_uppercase()
        || !head[2].is_ascii_digit()
        || !head[3].is_ascii_digit()
    {
        return None;
    }
    let mut chars: Vec<u8> = Vec::with_capacity(34);
    // (characters so far, byte end) where a group ends: the only places an IBAN may end.
    let mut ends: Vec<(usize, usize)> = Vec::new();
    let mut j = i;
    loop {
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            if chars.len() == 34 {
                // Longer than any IBAN: this group cannot end one.
                return ends
                    .iter()
                    .rev()
                    .find(|(n, _)| (15..=34).contains(n) && iban_valid(&chars[..*n]))
                    .map(|&(_, e)| e);
            }
            chars.push(b[j].to_ascii_uppercase());
            j += 1;
        }
        let glued = b.get(j).is_some_and(|&c| c == b'_');
        if !glued {
            ends.push((chars.len(), j));
        }
        if !glued && b.get(j) == Some(&b' ') && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            j += 1;
        } else {
            break;
        }
    }
    ends.iter()
        .rev()
        .find(|(n, _)| (15..=34).contains(n) && iban_valid(&chars[..*n]))
        .map(|&(_, e)| e)
}

/// ISO 13616 check: the first four characters moved to the end, letters as 10–35, mod 97 = 1.
pub fn iban_valid(chars: &[u8]) -> bool {
    if chars.len() < 5 {
        return false;
    }
    let mut r: u32 = 0;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        r = match c {
            b'0'..=b'9' => (r * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => (r * 100 + u32::from(c - b'A') + 10) % 97,
            _ => return false,
        };
    }
    r == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(DataKind, &str)> {
        find_personal_data(text)
            .into_iter()
            .map(|h| (h.kind, h.text))
            .collect()
    }

    #[test]
    fn emails() {
        assert_eq!(
            found("écrire à jeanne.martin@acme.example."),
            [(DataKind::Email, "jeanne.martin@acme.example")]
        );
        assert_eq!(
            found("<a.b+tag@sub.domain.fr>, x@y.co"),
            [
                (DataKind::Email, "a.b+tag@sub.domain.fr"),
                (DataKind::Email, "x@y.co")
            ]
        );
        assert!(found("@camilled on the forge").is_empty());
        assert!(found("user@localhost").is_empty());
        assert!(found("a@b.c1").is_empty());
        assert!(found("rdv @ 10h").is_empty());
        assert!(found("a@.example").is_empty());
    }

    #[test]
    fn phones() {
        for text in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33612345678",
            "+33 (0)6 12 34 56 78",
            "+41 22 123 45 67",
            "06\u{a0}12\u{a0}34\u{a0}56\u{a0}78",
        ] {
            let f = found(text);
            assert_eq!(f, [(DataKind::Phone, text)], "{text}");
        }
        assert_eq!(
            found("appeler Karim au 06 39 98 21 47 avant 18 h"),
            [(DataKind::Phone, "06 39 98 21 47")]
        );
        assert_eq!(
            found("tél. : 0639982147."),
            [(DataKind::Phone, "0639982147")]
        );
    }

    #[test]
    fn no_false_phones() {
        for text in [
            "2026-03-14",
            "le 14.03.2026 à 10.30",
            "01.02.2026 10:00",
            "R2026-0042 et M2026-0042-S03",
            "AF-camille-dupont-0007",
            "SIRET 732 829 320 00074",
            "73282932000074",
            "1 200,50 € ; 12 000 €",
            "00 12 34 56 78",
            "06 12 34 56",
            "06 12 34 56 78 90",
            "x0612345678",
            "06123456789",
            "+33 6 12",
            "2+2=4",
            "BC-26-0187, PO-88123, EJ-2026-00418",
            "Droits d'utilisation, mars 2026 (déclaration U2026-0001, 10 % de 1 900 €)",
            "VIR-2026-03-31",
            "84691234569",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn ibans() {
        assert_eq!(
            found("RIB : FR76 3000 6000 0112 3456 7890 189 (compte courant)"),
            [(DataKind::Iban, "FR76 3000 6000 0112 3456 7890 189")]
        );
        assert_eq!(
            found("FR7630006000011234567890189"),
            [(DataKind::Iban, "FR7630006000011234567890189")]
        );
        assert_eq!(
            found("GB82 WEST 1234 5698 7654 32 AND MORE"),
            [(DataKind::Iban, "GB82 WEST 1234 5698 7654 32")]
        );
        assert_eq!(
            found("DE89370400440532013000"),
            [(DataKind::Iban, "DE89370400440532013000")]
        );
        // Wrong check digits, VAT numbers and short codes are not IBANs.
        assert!(found("FR77 3000 6000 0112 3456 7890 189").is_empty());
        assert!(found("FR40813552072").is_empty());
        assert!(found("XFR7630006000011234567890189").is_empty());
        assert!(iban_valid(b"FR7630006000011234567890189"));
        assert!(!iban_valid(b"FR76"));
    }

    #[test]
    fn mixed_and_overlapping() {
        assert_eq!(
            found("jean.0612345678@x.example ou 06 12 34 56 78"),
            [
                (DataKind::Email, "jean.0612345678@x.example"),
                (DataKind::Phone, "06 12 34 56 78")
            ]
        );
        assert!(found("").is_empty());
        assert!(found("Atelier (3 h, présentiel)").is_empty());
    }
}
