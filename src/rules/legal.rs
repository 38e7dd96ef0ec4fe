//! Legal rules: the numbering series (quotes, invoices, credit notes, self-invoices), the
//! self-billing mandate, the identities and mentions documents must print, SIRET/SIREN keys, VAT
//! mentions and the "EI" of sole traders.
//!
//! Everything here is linear in the size of the workspace: numbers are bucketed per series, year
//! and person in hash maps, then each bucket is sorted once.

use crate::diagnostics::{At, Finding, Severity};
use crate::model::person::{Billing, Entity};
use crate::model::{
    Config, Date, InvoiceKind, InvoiceState, OfferKind, PayoutState, Person, Sector, Vat, VatRegime,
};
use crate::rules::{self, Context};
use crate::workspace::{CONFIG_FILE, Loaded, Workspace};
use crate::{HashMap, HashSet};

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let config_file = ws.config.as_ref().map_or(CONFIG_FILE, |c| c.file.as_str());
    if let Some(config) = cx.config {
        numbering(ws, cx, config, config_file, out);
        config_mentions(config, config_file, out);
        let org = &config.organisation;
        if let Some(siret) = &org.siret {
            identifier(config_file, "organisation.siret", siret, Id::Siret, out);
        }
        vat(config_file, "organisation.vat", &org.vat, out);
    }
    mandates(ws, cx, out);
    billing_mentions(ws, out);
    client_mentions(ws, cx, out);
    for p in &ws.people {
        if let Some(b) = &p.billing {
            if let Some(siret) = &b.siret {
                identifier(&p.file, "billing.siret", siret, Id::Siret, out);
            }
            vat(&p.file, "billing.vat", &b.vat, out);
            sole_trader(&p.file, b, out);
        }
    }
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
                    &rules::SIRET_CHECKSUM,
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

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

// --- series patterns -----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Lit(String),
    Year,
    /// The sequence number, zero-padded to this width.
    Seq(usize),
    Person,
}

/// A numbering pattern from `series:` in fresk.yaml, e.g. `AF-{person}-{seq:04}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    segs: Vec<Seg>,
}

/// What a number says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts<'n> {
    pub year: Option<i32>,
    pub person: Option<&'n str>,
    pub seq: u32,
}

/// Longest number the matcher looks at; numbers are a few dozen characters at most.
const MAX_NUMBER_LEN: usize = 128;

/// Longest series pattern (its numbers stay well under [`MAX_NUMBER_LEN`]).
const MAX_PATTERN_LEN: usize = 40;

impl Pattern {
    /// Parse a pattern: literal text with `{year}` (4 digits), `{seq}` or `{seq:04}` (the
    /// sequence, zero-padded to the width) and `{person}` (a person id). Exactly one `{seq}`.
    ///
    /// A number becomes a file name (`invoices/<year>/<number>.yaml`, `<number>.pdf`), so the
    /// literal text is only ASCII letters, digits, `-`, `_` and `.` (not first), and short: a
    /// pattern such as `../../outside/F{year}-{seq:04}` is refused here, by lint
    /// (`bad-series-pattern`) and by every command that numbers.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        if text.chars().count() > MAX_PATTERN_LEN {
            return Err(format!(
                "it is {} characters long; a series pattern has at most {MAX_PATTERN_LEN}",
                text.chars().count()
            ));
        }
        if let Some(c) = text
            .chars()
            .filter(|c| !matches!(c, '{' | '}'))
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        {
            return Err(format!(
                "`{}` cannot be part of a number: a number becomes a file name (invoices/<year>/<number>.yaml, <number>.pdf); use only letters A–Z, digits, `-`, `_` and `.` around the placeholders",
                c.escape_debug()
            ));
        }
        if text.starts_with('.') {
            return Err(
                "it starts with `.`: the number would name a hidden file; start it with a letter or a digit"
                    .into(),
            );
        }
        let mut segs = Vec::new();
        let mut lit = String::new();
        let (mut years, mut seqs, mut persons) = (0, 0, 0);
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match c {
                '{' => {
                    let Some(close) = rest.find('}') else {
                        return Err("a `{` without its closing `}`".into());
                    };
                    let name = &rest[1..close];
                    let seg = match name {
                        "year" => {
                            years += 1;
                            Seg::Year
                        }
                        "person" => {
                            persons += 1;
                            Seg::Person
                        }
                        "seq" => {
                            seqs += 1;
                            Seg::Seq(1)
                        }
                        _ => match name.strip_prefix("seq:") {
                            Some(w) => {
                                let width = w
                                    .parse::<usize>()
                                    .ok()
                                    .filter(|w| (1..=9).contains(w))
                                    .ok_or_else(|| {
                                        format!("`{{{name}}}`: the width after `seq:` must be a number from 1 to 9, e.g. `{{seq:04}}`")
                                    })?;
                                seqs += 1;
                                Seg::Seq(width)
                            }
                            None => {
                                return Err(format!(
                                    "unknown placeholder `{{{name}}}`; the placeholders are {{year}}, {{seq:04}} and {{person}}"
                                ));
                            }
                        },
                    };
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit)));
                    }
                    segs.push(seg);
                    rest = &rest[close + 1..];
                }
                '}' => return Err("a `}` without its opening `{`".into()),
                ':' => {
                    return Err(
                        "`:` belongs only in `{seq:04}`, never in the number itself (a file name)"
                            .into(),
                    );
                }
                _ => {
                    lit.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !lit.is_empty() {
            segs.push(Seg::Lit(lit));
        }
        if seqs != 1 {
            return Err(if seqs == 0 {
                "it has no `{seq:04}`: a series needs the sequence number".into()
            } else {
                "`{seq}` appears more than once".into()
            });
        }
        if years > 1 || persons > 1 {
            return Err("`{year}` and `{person}` may appear at most once".into());
        }
        Ok(Pattern { segs })
    }

    pub fn has_person(&self) -> bool {
        self.segs.contains(&Seg::Person)
    }

    /// The parts of `number`, or `None` when it does not match the pattern.
    pub fn matches<'n>(&self, number: &'n str) -> Option<Parts<'n>> {
        self.match_with(number, None)
    }

    /// Like [`Pattern::matches`], with `{person}` standing for exactly `person`.
    pub fn matches_person<'n>(&self, number: &'n str, person: &str) -> Option<Parts<'n>> {
        self.match_with(number, Some(person))
    }

    fn match_with<'n>(&self, number: &'n str, person: Option<&str>) -> Option<Parts<'n>> {
        if number.len() > MAX_NUMBER_LEN {
            return None;
        }
        let mut parts = Parts::default();
        self.match_from(0, number, person, &mut parts)
            .then_some(parts)
    }

    /// Backtracking match of `segs[i..]` against `s` (greedy, like a regex).
    fn match_from<'n>(
        &self,
        i: usize,
        s: &'n str,
        fixed: Option<&str>,
        parts: &mut Parts<'n>,
    ) -> bool {
        let Some(seg) = self.segs.get(i) else {
            return s.is_empty();
        };
        match seg {
            Seg::Lit(l) => s
                .strip_prefix(l.as_str())
                .is_some_and(|r| self.match_from(i + 1, r, fixed, parts)),
            Seg::Year => {
                let Some(y) = s.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit())) else {
                    return false;
                };
                parts.year = y.parse().ok();
                self.match_from(i + 1, &s[4..], fixed, parts)
            }
            Seg::Seq(width) => {
                let digits = s.bytes().take_while(u8::is_ascii_digit).count().min(9);
                for len in (*width..=digits).rev() {
                    let d = &s[..len];
                    // Canonical form only: exactly the width, or wider without a leading zero.
                    if len > *width && d.starts_with('0') {
                        continue;
                    }
                    let Ok(seq) = d.parse::<u32>() else { continue };
                    if seq == 0 {
                        continue;
                    }
                    parts.seq = seq;
                    if self.match_from(i + 1, &s[len..], fixed, parts) {
                        return true;
                    }
                }
                false
            }
            Seg::Person => match fixed {
                Some(p) => match s.strip_prefix(p) {
                    Some(r) if !p.is_empty() => {
                        parts.person = Some(&s[..p.len()]);
                        self.match_from(i + 1, r, fixed, parts)
                    }
                    _ => false,
                },
                None => {
                    let max = s
                        .bytes()
                        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
                        .count();
                    for len in (1..=max).rev() {
                        parts.person = Some(&s[..len]);
                        if self.match_from(i + 1, &s[len..], fixed, parts) {
                            return true;
                        }
                    }
                    false
                }
            },
        }
    }

    /// The number with these parts (`{year}`/`{person}` stay as they are when not given).
    pub fn format(&self, year: Option<i32>, person: Option<&str>, seq: u32) -> String {
        let mut s = String::new();
        for seg in &self.segs {
            match seg {
                Seg::Lit(l) => s.push_str(l),
                Seg::Year => match year {
                    Some(y) => s.push_str(&format!("{y:04}")),
                    None => s.push_str("{year}"),
                },
                Seg::Seq(w) => s.push_str(&format!("{seq:0w$}", w = *w)),
                Seg::Person => s.push_str(person.unwrap_or("{person}")),
            }
        }
        s
    }
}

// --- numbering -----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum SeriesKind {
    Quote,
    Invoice,
    CreditNote,
    SelfInvoice,
}

impl SeriesKind {
    const ALL: [SeriesKind; 4] = [
        SeriesKind::Quote,
        SeriesKind::Invoice,
        SeriesKind::CreditNote,
        SeriesKind::SelfInvoice,
    ];

    fn key(self) -> &'static str {
        match self {
            SeriesKind::Quote => "quote",
            SeriesKind::Invoice => "invoice",
            SeriesKind::CreditNote => "credit_note",
            SeriesKind::SelfInvoice => "self_invoice",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            SeriesKind::Quote => "quote",
            SeriesKind::Invoice => "invoice",
            SeriesKind::CreditNote => "credit note",
            SeriesKind::SelfInvoice => "self-invoice",
        }
    }

    /// The verb of the date numbers follow.
    fn dated(self) -> &'static str {
        match self {
            SeriesKind::Quote => "sent",
            _ => "issued",
        }
    }

    fn pattern(self, config: &Config) -> &str {
        match self {
            SeriesKind::Quote => &config.series.quote,
            SeriesKind::Invoice => &config.series.invoice,
            SeriesKind::CreditNote => &config.series.credit_note,
            SeriesKind::SelfInvoice => &config.series.self_invoice,
        }
    }
}

/// Where a numbered document keeps its number and date.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// `quote.number` / `quote.sent` of a request.
    Quote,
    /// `id` / `issued` of an invoice or credit note.
    Invoice,
    /// `self_invoices[i].number` / `.issued` of a payout.
    SelfInvoice(usize),
}

impl Place {
    fn number(self) -> String {
        match self {
            Place::Quote => "quote.number".into(),
            Place::Invoice => "id".into(),
            Place::SelfInvoice(i) => format!("self_invoices[{i}].number"),
        }
    }
}

struct Numbered<'a> {
    file: &'a str,
    place: Place,
    number: &'a str,
    date: Option<Date>,
    seq: u32,
}

/// One gapless series: the series, the year in the number (when the pattern has one) and the
/// person (self-invoices).
type GroupKey<'a> = (SeriesKind, Option<i32>, Option<&'a str>);

struct Series {
    patterns: [Option<Pattern>; 4],
}

impl Series {
    fn get(&self, kind: SeriesKind) -> Option<&Pattern> {
        self.patterns[kind as usize].as_ref()
    }

    /// The first of the association's own series (or any, with `self_invoice`) that `number`
    /// matches, other than `except`.
    fn other_match(&self, number: &str, except: SeriesKind, with_self: bool) -> Option<SeriesKind> {
        SeriesKind::ALL.into_iter().find(|&k| {
            k != except
                && (with_self || k != SeriesKind::SelfInvoice)
                && self.get(k).is_some_and(|p| p.matches(number).is_some())
        })
    }
}

fn series_patterns(config: &Config, file: &str, out: &mut Vec<Finding>) -> Series {
    let mut patterns: [Option<Pattern>; 4] = Default::default();
    for kind in SeriesKind::ALL {
        let text = kind.pattern(config);
        let route = format!("series.{}", kind.key());
        let problem = match Pattern::parse(text) {
            Err(e) => Some(e),
            Ok(p) if kind == SeriesKind::SelfInvoice && !p.has_person() => Some(
                "it has no `{person}`: the law requires one gapless series per facilitator, e.g. `AF-{person}-{seq:04}`".into(),
            ),
            Ok(p) if kind != SeriesKind::SelfInvoice && p.has_person() => Some(
                "`{person}` only belongs in the self-invoice series; the association's own series is one per year".into(),
            ),
            Ok(p) => {
                patterns[kind as usize] = Some(p);
                None
            }
        };
        if let Some(problem) = problem {
            out.push(Finding::new(
                &rules::BAD_SERIES_PATTERN,
                file,
                At::value(&route),
                format!(
                    "the {} series `{text}` cannot number documents: {problem}; {} numbers are not checked until it is fixed",
                    kind.noun(),
                    kind.noun()
                ),
            ));
        }
    }
    Series { patterns }
}

fn format_finding(file: &str, place: Place, message: String) -> Finding {
    Finding::new(
        &rules::NUMBERING_FORMAT,
        file,
        At::value(&place.number()),
        message,
    )
}

/// The year a document's number is expected to carry: the year of its date, else today's.
fn year_of(date: Option<Date>, cx: &Context) -> i32 {
    date.unwrap_or_else(|| cx.today()).year()
}

/// A number that matches its pattern but carries another year than its date.
fn year_mismatch(
    kind: SeriesKind,
    file: &str,
    place: Place,
    number: &str,
    parts: Parts,
    date: Option<Date>,
    out: &mut Vec<Finding>,
) {
    if let (Some(year), Some(date)) = (parts.year, date)
        && year != date.year()
    {
        out.push(format_finding(
            file,
            place,
            format!(
                "{} number `{number}` carries the year {year}, but the {} was {} on {date}: numbers carry the year they are {} in; fix whichever of the number and the date is wrong",
                kind.noun(),
                kind.noun(),
                kind.dated(),
                kind.dated(),
            ),
        ));
    }
}

fn numbering(
    ws: &Workspace,
    cx: &Context,
    config: &Config,
    config_file: &str,
    out: &mut Vec<Finding>,
) {
    let series = series_patterns(config, config_file, out);
    let mut groups: HashMap<GroupKey, Vec<Numbered>> = HashMap::default();

    if let Some(pat) = series.get(SeriesKind::Quote) {
        let kind = SeriesKind::Quote;
        for r in &ws.requests {
            let Some(q) = &r.quote else { continue };
            let Some(number) = q.number.as_deref() else {
                continue;
            };
            let place = Place::Quote;
            match pat.matches(number) {
                Some(parts) => {
                    year_mismatch(kind, &r.file, place, number, parts, q.sent, out);
                    groups
                        .entry((kind, parts.year, None))
                        .or_default()
                        .push(Numbered {
                            file: &r.file,
                            place,
                            number,
                            date: q.sent,
                            seq: parts.seq,
                        });
                }
                None => out.push(format_finding(
                    &r.file,
                    place,
                    mismatch_message(kind, number, pat, &series, year_of(q.sent, cx), None),
                )),
            }
        }
    }

    for inv in &ws.invoices {
        let place = Place::Invoice;
        let number = inv.id.as_str();
        if inv.state == InvoiceState::Draft {
            if let Some(k) = [SeriesKind::Invoice, SeriesKind::CreditNote]
                .into_iter()
                .find(|&k| series.get(k).is_some_and(|p| p.matches(number).is_some()))
            {
                let draft = inv
                    .mission
                    .as_deref()
                    .map_or_else(|| "I-<mission>".to_string(), |m| format!("I-{m}"));
                out.push(format_finding(
                    &inv.file,
                    place,
                    format!(
                        "this {} is a draft, but its id `{number}` is a number of the {} series: drafts have no number until `fresk invoice issue` assigns the next one on main; name it `{draft}` (file and id)",
                        noun_of(inv.kind),
                        k.noun()
                    ),
                ));
            }
            continue;
        }
        let kind = match inv.kind {
            InvoiceKind::Invoice => SeriesKind::Invoice,
            InvoiceKind::CreditNote => SeriesKind::CreditNote,
        };
        let Some(pat) = series.get(kind) else {
            continue;
        };
        match pat.matches(number) {
            Some(parts) => {
                year_mismatch(kind, &inv.file, place, number, parts, inv.issued, out);
                groups
                    .entry((kind, parts.year, None))
                    .or_default()
                    .push(Numbered {
                        file: &inv.file,
                        place,
                        number,
                        date: inv.issued,
                        seq: parts.seq,
                    });
            }
            None => {
                let self_series = series
                    .get(SeriesKind::SelfInvoice)
                    .and_then(|p| p.matches(number));
                if let Some(parts) = self_series {
                    out.push(Finding::new(
                        &rules::SERIES_MIXED,
                        &inv.file,
                        At::value("id"),
                        format!(
                            "`{number}` is a number of the self-invoice series (that of `{}`), but this is the association's own {}: self-invoices are issued in a facilitator's name and never share numbers with the association's documents; number it in the {} series `{}` (e.g. `{}`)",
                            parts.person.unwrap_or("?"),
                            kind.noun(),
                            kind.noun(),
                            kind.pattern(config),
                            pat.format(Some(year_of(inv.issued, cx)), None, 1)
                        ),
                    ));
                } else {
                    out.push(format_finding(
                        &inv.file,
                        place,
                        mismatch_message(kind, number, pat, &series, year_of(inv.issued, cx), None),
                    ));
                }
            }
        }
    }

    if let Some(pat) = series.get(SeriesKind::SelfInvoice) {
        let kind = SeriesKind::SelfInvoice;
        for p in &ws.payouts {
            for (i, si) in p.self_invoices.iter().enumerate() {
                let place = Place::SelfInvoice(i);
                let number = si.number.as_str();
                let person = si.person.as_str();
                if let Some(parts) = pat.matches_person(number, person) {
                    year_mismatch(kind, &p.file, place, number, parts, Some(si.issued), out);
                    groups
                        .entry((kind, parts.year, Some(person)))
                        .or_default()
                        .push(Numbered {
                            file: &p.file,
                            place,
                            number,
                            date: Some(si.issued),
                            seq: parts.seq,
                        });
                    continue;
                }
                let own = pat.format(Some(si.issued.year()), Some(person), 1);
                let other_person = pat
                    .matches(number)
                    .and_then(|parts| parts.person)
                    .filter(|other| cx.people.contains_key(other));
                if let Some(other) = other_person {
                    out.push(Finding::new(
                        &rules::SERIES_MIXED,
                        &p.file,
                        At::value(&place.number()),
                        format!(
                            "self-invoice `{number}` is numbered in `{other}`'s series, but it is issued in the name of `{person}`: each facilitator has their own gapless series; give it the next number of `{person}`'s series (of the form `{own}`)"
                        ),
                    ));
                } else if let Some(k) = series.other_match(number, kind, false) {
                    out.push(Finding::new(
                        &rules::SERIES_MIXED,
                        &p.file,
                        At::value(&place.number()),
                        format!(
                            "self-invoice `{number}` is numbered in the association's {} series: self-invoices are issued in the facilitator's name and have their own series, separate from the association's; give it the next number of `{person}`'s series (of the form `{own}`)",
                            k.noun()
                        ),
                    ));
                } else {
                    out.push(format_finding(
                        &p.file,
                        place,
                        mismatch_message(
                            kind,
                            number,
                            pat,
                            &series,
                            si.issued.year(),
                            Some(person),
                        ),
                    ));
                }
            }
        }
    }

    for (key, mut entries) in groups {
        // Groups only exist for parsed patterns.
        let Some(pat) = series.get(key.0) else {
            continue;
        };
        entries.sort_by_key(|e| e.seq);
        check_group(key, &entries, pat, out);
    }
}

fn noun_of(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Invoice => "invoice",
        InvoiceKind::CreditNote => "credit note",
    }
}

fn mismatch_message(
    kind: SeriesKind,
    number: &str,
    pat: &Pattern,
    series: &Series,
    year: i32,
    person: Option<&str>,
) -> String {
    let example = pat.format(Some(year), person, 1);
    let hint = match series.other_match(number, kind, true) {
        Some(SeriesKind::Invoice) if kind == SeriesKind::CreditNote => {
            " It is an invoice number: if this document is an invoice, set `kind: invoice`.".to_string()
        }
        Some(SeriesKind::CreditNote) if kind == SeriesKind::Invoice => {
            " It is a credit-note number: if this document is a credit note, set `kind: credit-note` and `corrects:`.".to_string()
        }
        Some(other) => format!(" It looks like a number of the {} series.", other.noun()),
        None => String::new(),
    };
    format!(
        "{} number `{number}` does not match the {} series of fresk.yaml, `{}` (numbers of the form `{example}`): use the number fresk assigned in that series.{hint}",
        kind.noun(),
        kind.noun(),
        pat_text(pat),
    )
}

/// The pattern written back as in fresk.yaml.
fn pat_text(pat: &Pattern) -> String {
    let mut s = String::new();
    for seg in &pat.segs {
        match seg {
            Seg::Lit(l) => s.push_str(l),
            Seg::Year => s.push_str("{year}"),
            Seg::Seq(1) => s.push_str("{seq}"),
            Seg::Seq(w) => s.push_str(&format!("{{seq:{w:02}}}")),
            Seg::Person => s.push_str("{person}"),
        }
    }
    s
}

fn describe_group(key: GroupKey) -> String {
    let (kind, year, person) = key;
    let mut s = match person {
        Some(p) => format!("`{p}`'s self-invoice series"),
        None => format!("the {} series", kind.noun()),
    };
    if let Some(y) = year {
        s.push_str(&format!(" of {y}"));
    }
    s
}

fn where_is(e: &Numbered) -> String {
    format!("{} at `{}`", e.file, e.place.number())
}

/// Duplicates, gaps and order within one series (entries sorted by sequence number, file order
/// kept among equal numbers).
fn check_group(key: GroupKey, entries: &[Numbered], pat: &Pattern, out: &mut Vec<Finding>) {
    let (kind, year, person) = key;
    // Invoice ids are file ids: a second file with the same id is already `duplicate-id`.
    let report_duplicates = matches!(kind, SeriesKind::Quote | SeriesKind::SelfInvoice);
    let mut first: Option<&Numbered> = None;
    let mut last_seq = 0u32;
    let mut last_dated: Option<(&Numbered, Date)> = None;
    for e in entries {
        if let Some(f) = first
            && f.seq == e.seq
        {
            if report_duplicates {
                out.push(Finding::new(
                    &rules::NUMBERING_DUPLICATE,
                    e.file,
                    At::value(&e.place.number()),
                    format!(
                        "{} number `{}` is already used by {}: a legal number is given once; give this {} the next free number of {}",
                        kind.noun(),
                        e.number,
                        where_is(f),
                        kind.noun(),
                        describe_group(key)
                    ),
                ));
            }
            continue;
        }
        if e.seq > last_seq.saturating_add(1) {
            let missing = |seq| format!("`{}`", pat.format(year, person, seq));
            let count = e.seq - last_seq - 1;
            let what = match count {
                1 => format!("{} is missing", missing(last_seq + 1)),
                2 | 3 => format!(
                    "{} are missing",
                    (last_seq + 1..e.seq)
                        .map(missing)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => format!(
                    "{} to {} ({count} numbers) are missing",
                    missing(last_seq + 1),
                    missing(e.seq - 1)
                ),
            };
            out.push(Finding::new(
                &rules::NUMBERING_GAP,
                e.file,
                At::value(&e.place.number()),
                format!(
                    "gap in {} before `{}`: {what}. A legal series runs 1, 2, 3… without holes; restore the {} that had the missing number, or renumber from there if it was never issued",
                    describe_group(key),
                    e.number,
                    kind.noun()
                ),
            ));
        }
        if let Some(date) = e.date {
            if let Some((p, pdate)) = last_dated
                && date < pdate
            {
                let dated = kind.dated();
                out.push(Finding::new(
                    &rules::NUMBERING_ORDER,
                    e.file,
                    At::value(&e.place.number()),
                    format!(
                        "{} `{}` was {dated} on {date}, before `{}` ({dated} {pdate}, in {}): numbers follow the order of the dates they are {dated} on; swap the numbers or fix the dates",
                        kind.noun(),
                        e.number,
                        p.number,
                        where_is(p)
                    ),
                ));
            }
            last_dated = Some((e, date));
        }
        last_seq = e.seq;
        first = Some(e);
    }
}

// --- mandates ------------------------------------------------------------------------------

/// Why the association may not self-bill a person.
fn not_self_billable(p: &Person) -> Option<String> {
    let id = &p.id;
    let cannot = "the association cannot self-bill them: they must send their own invoice";
    match &p.billing {
        None => Some(format!(
            "`{id}` has no `billing` details and no self-billing mandate, so {cannot} (or add `billing:` with a signed `mandate:` to people/{id}.yaml)"
        )),
        Some(b) if !b.country.trim().eq_ignore_ascii_case("FR") => Some(format!(
            "`{id}` is based outside France (`billing.country: {}`), so {cannot}; pay this line against their invoice, outside self-billing",
            b.country
        )),
        Some(b) if b.mandate.is_none() => Some(format!(
            "`{id}` has not signed a self-billing mandate (`billing.mandate` is absent), so {cannot} — or record the signed mandate (`mandate: {{ signed: YYYY-MM-DD }}`) in people/{id}.yaml"
        )),
        Some(_) => None,
    }
}

fn mandates(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for p in &ws.payouts {
        if p.state == PayoutState::Rejected {
            continue;
        }
        let mut flagged: Vec<&str> = Vec::new();
        for (i, line) in p.lines.iter().enumerate() {
            let id = line.person.as_str();
            if flagged.contains(&id) {
                continue;
            }
            let Some(person) = cx.people.get(id) else {
                continue;
            };
            if let Some(why) = not_self_billable(person) {
                flagged.push(id);
                out.push(Finding::new(
                    &rules::MISSING_MANDATE,
                    &p.file,
                    At::value(&format!("lines[{i}].person")),
                    why,
                ));
            }
        }
        for (i, si) in p.self_invoices.iter().enumerate() {
            let id = si.person.as_str();
            let Some(person) = cx.people.get(id) else {
                continue;
            };
            if let Some(why) = not_self_billable(person) {
                if !flagged.contains(&id) {
                    flagged.push(id);
                    out.push(Finding::new(
                        &rules::MISSING_MANDATE,
                        &p.file,
                        At::value(&format!("self_invoices[{i}].person")),
                        why,
                    ));
                }
                continue;
            }
            if let Some(m) = person.billing.as_ref().and_then(|b| b.mandate.as_ref())
                && si.issued < m.signed
            {
                out.push(Finding::new(
                    &rules::MISSING_MANDATE,
                    &p.file,
                    At::value(&format!("self_invoices[{i}].issued")),
                    format!(
                        "self-invoice `{}` was issued on {}, before `{id}` signed the self-billing mandate ({}): a self-invoice is only valid under a mandate signed beforehand; if the mandate date in people/{id}.yaml is right, cancel this self-invoice and have the facilitator invoice it",
                        si.number, si.issued, m.signed
                    ),
                ));
            }
        }
    }
}

// --- legal mentions ------------------------------------------------------------------------

fn config_mentions(config: &Config, file: &str, out: &mut Vec<Finding>) {
    let org = &config.organisation;
    let mention =
        |at: At, message: String| Finding::new(&rules::MISSING_LEGAL_MENTION, file, at, message);
    match org.siret.as_deref() {
        None => out.push(mention(
            At::key("organisation"),
            "the association has no `siret`: its SIRET is printed on every quote, invoice and self-invoice; add `siret: \"…\"` (14 digits) under `organisation`".into(),
        )),
        Some(s) if s.trim().is_empty() => out.push(mention(
            At::value("organisation.siret"),
            "the association's `siret` is empty: its SIRET is printed on every quote, invoice and self-invoice; fill in the 14 digits".into(),
        )),
        Some(_) => {}
    }
    if org.address.trim().is_empty() {
        out.push(mention(
            At::value("organisation.address"),
            "the association's `address` is empty: it is printed on every document; fill it in"
                .into(),
        ));
    }
    if let Some(offer) = config
        .catalogue
        .iter()
        .find(|o| o.kind == OfferKind::Training)
        && blank(org.training_declaration.as_deref())
    {
        let at = if org.training_declaration.is_some() {
            At::value("organisation.training_declaration")
        } else {
            At::key("organisation")
        };
        out.push(mention(
            at,
            format!(
                "the catalogue sells training (offer `{}`), but `organisation.training_declaration` is missing: the training-body declaration number must be printed on quotes, invoices and certificates; add `training_declaration: \"…\"` (11 digits)",
                offer.id
            ),
        ));
    }
}

/// People paid by a payout must have what self-invoices print about the seller.
fn billing_mentions(ws: &Workspace, out: &mut Vec<Finding>) {
    let mut paid: HashSet<&str> = HashSet::default();
    for p in &ws.payouts {
        if p.state == PayoutState::Rejected {
            continue;
        }
        paid.extend(p.lines.iter().map(|l| l.person.as_str()));
        paid.extend(p.self_invoices.iter().map(|s| s.person.as_str()));
    }
    for person in &ws.people {
        if !paid.contains(person.id.as_str()) {
            continue;
        }
        let Some(b) = &person.billing else { continue };
        let file = person.file.as_str();
        let mention = |route: &str, what: &str| {
            Finding::new(
                &rules::MISSING_LEGAL_MENTION,
                file,
                At::value(route),
                format!(
                    "`{}` is paid through payouts, and self-invoices print the facilitator's {what}, but `{route}` is empty; fill it in",
                    person.id
                ),
            )
        };
        if b.legal_name.trim().is_empty() {
            out.push(mention("billing.legal_name", "legal name"));
        }
        if b.address.trim().is_empty() {
            out.push(mention("billing.address", "address"));
        }
        if person.self_billable() {
            match b.siret.as_deref() {
                None => out.push(Finding::new(
                    &rules::MISSING_LEGAL_MENTION,
                    file,
                    At::key("billing"),
                    format!(
                        "`{}` is self-billed, and self-invoices print the facilitator's SIRET, but `billing.siret` is absent; add `siret: \"…\"` (14 digits)",
                        person.id
                    ),
                )),
                Some(s) if s.trim().is_empty() => out.push(mention("billing.siret", "SIRET")),
                Some(_) => {}
            }
        }
    }
}

/// Clients of issued invoices must have what invoices print about the buyer.
fn client_mentions(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: HashSet<&str> = HashSet::default();
    for inv in &ws.invoices {
        if inv.state == InvoiceState::Draft || !seen.insert(inv.organisation.as_str()) {
            continue;
        }
        let Some(org) = cx.organisations.get(inv.organisation.as_str()) else {
            continue;
        };
        let doc = format!("{} `{}` ({})", noun_of(inv.kind), inv.id, inv.file);
        client_address(
            org,
            format!("{doc} is issued to this organisation, and an invoice"),
            out,
        );
        if org.country.trim().eq_ignore_ascii_case("FR")
            && org.sector == Sector::Business
            && blank(org.siren.as_deref())
            && blank(org.siret.as_deref())
        {
            out.push(Finding::new(
                &rules::MISSING_LEGAL_MENTION,
                &org.file,
                At::key("siren"),
                format!(
                    "{doc} is issued to this French business, and an invoice to a business client must print its SIREN, but it has neither `siren` nor `siret`; add `siren: \"…\"` (9 digits)"
                ),
            ));
        }
    }
    // Quotes print the client's address too (the SIREN is only required on invoices).
    for r in &ws.requests {
        let Some(number) = r.quote.as_ref().and_then(|q| q.number.as_deref()) else {
            continue;
        };
        if !seen.insert(r.organisation.as_str()) {
            continue;
        }
        let Some(org) = cx.organisations.get(r.organisation.as_str()) else {
            continue;
        };
        client_address(
            org,
            format!(
                "quote `{number}` ({}) is sent to this organisation, and a quote",
                r.file
            ),
            out,
        );
    }
}

/// `org` must have an address, since `document` (a sentence up to "…and a quote") prints it.
fn client_address(
    org: &Loaded<crate::model::Organisation>,
    document: String,
    out: &mut Vec<Finding>,
) {
    if !blank(org.address.as_deref()) {
        return;
    }
    let at = if org.address.is_some() {
        At::value("address")
    } else {
        At::key("address")
    };
    out.push(Finding::new(
        &rules::MISSING_LEGAL_MENTION,
        &org.file,
        at,
        format!("{document} must print the client's address, but it has none; add `address:`"),
    ));
}

// --- SIRET / SIREN -------------------------------------------------------------------------

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

fn digits_of(s: &str) -> String {
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
fn identifier(file: &str, route: &str, text: &str, id: Id, out: &mut Vec<Finding>) -> bool {
    match check_identifier(text, id) {
        Ok(()) => true,
        Err(message) => {
            out.push(Finding::new(
                &rules::SIRET_CHECKSUM,
                file,
                At::value(route),
                message,
            ));
            false
        }
    }
}

// --- VAT and sole traders ------------------------------------------------------------------

/// Does a franchise mention cite art. 293 B?
fn cites_293b(mention: &str) -> bool {
    let compact: String = mention
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("293b")
}

fn vat(file: &str, route: &str, vat: &Vat, out: &mut Vec<Finding>) {
    let mention = vat.mention.as_deref();
    let at_missing = |field: &str, present: bool| {
        if present {
            At::value(&format!("{route}.{field}"))
        } else {
            At::key(route)
        }
    };
    match vat.regime {
        VatRegime::Exempt | VatRegime::Franchise if blank(mention) => {
            let (regime, example) = match vat.regime {
                VatRegime::Exempt => ("exempt", "TVA non applicable, art. 261-4-4° a du CGI"),
                _ => ("franchise", "TVA non applicable, art. 293 B du CGI"),
            };
            out.push(Finding::new(
                &rules::VAT_MENTION,
                file,
                at_missing("mention", mention.is_some()),
                format!(
                    "VAT regime `{regime}` without its `mention`: documents without VAT must print why (e.g. \"{example}\"); add `mention:` to `{route}`"
                ),
            ));
        }
        VatRegime::Franchise => {
            if let Some(m) = mention
                && !cites_293b(m)
            {
                let mut f = Finding::new(
                    &rules::VAT_MENTION,
                    file,
                    At::value(&format!("{route}.mention")),
                    format!(
                        "the franchise mention `{m}` does not cite art. 293 B du CGI, the legal ground of the VAT franchise; write e.g. \"TVA non applicable, art. 293 B du CGI\""
                    ),
                );
                f.severity = Severity::Warning;
                out.push(f);
            }
        }
        VatRegime::Standard if vat.rate.is_none() => out.push(Finding::new(
            &rules::VAT_MENTION,
            file,
            At::key(route),
            format!(
                "VAT regime `standard` without a `rate`: documents print the VAT computed at that rate; add `rate: 20` (percent) to `{route}`"
            ),
        )),
        _ => {}
    }
}

fn sole_trader(file: &str, b: &Billing, out: &mut Vec<Finding>) {
    if b.entity == Entity::SoleTrader
        && !b.legal_name.trim().is_empty()
        && !crate::model::person::carries_ei(&b.legal_name)
    {
        out.push(Finding::new(
            &rules::SOLE_TRADER_EI,
            file,
            At::value("billing.legal_name"),
            format!(
                "`{}` is a sole trader (`billing.entity: sole-trader`, the default), and a sole trader's name must carry \"EI\" (or \"entrepreneur individuel\") on every invoice; write `{} EI` — or set `entity: company` or `non-profit` if it is not a sole trader",
                b.legal_name,
                b.legal_name.trim()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Pattern {
        Pattern::parse(s).unwrap()
    }

    #[test]
    fn patterns_parse_and_reject_mistakes() {
        assert!(Pattern::parse("D{year}-{seq:04}").is_ok());
        assert!(Pattern::parse("F{seq}").is_ok());
        assert!(
            Pattern::parse("D{year}")
                .unwrap_err()
                .contains("no `{seq:04}`")
        );
        assert!(
            Pattern::parse("D{yaer}-{seq:04}")
                .unwrap_err()
                .contains("unknown placeholder")
        );
        assert!(Pattern::parse("D{year-{seq:04}").is_err());
        assert!(Pattern::parse("D{year}}-{seq:04}").is_err());
        assert!(Pattern::parse("D{seq:0}").unwrap_err().contains("width"));
        assert!(Pattern::parse("D{seq:x4}").is_err());
        assert!(Pattern::parse("{seq}{seq}").is_err());
        assert!(Pattern::parse("{year}{year}{seq}").is_err());
    }

    #[test]
    fn numbers_match_their_pattern() {
        let p = pat("D{year}-{seq:04}");
        assert_eq!(
            p.matches("D2026-0042"),
            Some(Parts {
                year: Some(2026),
                person: None,
                seq: 42
            })
        );
        assert_eq!(p.matches("D2026-12345").map(|x| x.seq), Some(12345));
        assert_eq!(p.matches("D2026-042"), None, "too short");
        assert_eq!(p.matches("D2026-00042"), None, "over-padded");
        assert_eq!(p.matches("D2026-0000"), None, "sequences start at 1");
        assert_eq!(p.matches("D26-0042"), None);
        assert_eq!(p.matches("F2026-0042"), None);
        assert_eq!(p.matches("D2026-0042 "), None);
        assert_eq!(p.matches("D2026-0042x"), None);
        assert_eq!(p.matches(""), None);
        assert_eq!(pat("F{seq}").matches("F7").map(|x| x.seq), Some(7));
        assert_eq!(pat("F{seq}").matches("F07"), None);
    }

    #[test]
    fn patterns_make_file_names_only() {
        for bad in [
            "../../../outside/F{year}-{seq:04}",
            "F{year}/{seq:04}",
            "F{year}\\{seq:04}",
            ".F{year}-{seq:04}",
            "F {year}-{seq:04}",
            "F:{seq:04}",
            "É{year}-{seq:04}",
            "F{year}-{seq:04}\n",
            "F{seq}-0123456789012345678901234567890123456789",
        ] {
            assert!(Pattern::parse(bad).is_err(), "{bad:?}");
        }
        for good in ["FAC_{year}.{seq:05}", "AF-{person}-{seq:04}", "Q{seq}"] {
            assert!(Pattern::parse(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn person_patterns_backtrack_over_hyphens() {
        let p = pat("AF-{person}-{seq:04}");
        let parts = p.matches("AF-camille-dupont-0007").unwrap();
        assert_eq!(parts.person, Some("camille-dupont"));
        assert_eq!(parts.seq, 7);
        assert!(
            p.matches_person("AF-camille-dupont-0007", "camille-dupont")
                .is_some()
        );
        assert!(
            p.matches_person("AF-camille-dupont-0007", "lucas-bernard")
                .is_none()
        );
        assert!(
            p.matches_person("AF-camille-dupont-0007", "camille")
                .is_none()
        );
        assert!(p.matches("AF--0007").is_none());
        assert!(p.matches("AF-Camille-0007").is_none(), "ids are lowercase");
        let y = pat("{person}.{year}_{seq:03}");
        let parts = y.matches("ana-2.2026_012").unwrap();
        assert_eq!(
            (parts.person, parts.year, parts.seq),
            (Some("ana-2"), Some(2026), 12)
        );
        let adjacent = pat("{seq}{year}");
        assert_eq!(
            adjacent.matches("122026").map(|x| (x.seq, x.year)),
            Some((12, Some(2026)))
        );
    }

    #[test]
    fn numbers_format_back() {
        let p = pat("AF-{person}-{seq:04}");
        assert_eq!(p.format(None, Some("ana"), 3), "AF-ana-0003");
        assert_eq!(p.format(None, Some("ana"), 12345), "AF-ana-12345");
        assert_eq!(
            pat("D{year}-{seq:04}").format(Some(2026), None, 42),
            "D2026-0042"
        );
        assert_eq!(pat_text(&pat("D{year}-{seq:04}")), "D{year}-{seq:04}");
        for n in ["D2026-0001", "D2026-9999", "D2026-10000"] {
            let q = pat("D{year}-{seq:04}");
            let parts = q.matches(n).unwrap();
            assert_eq!(q.format(parts.year, None, parts.seq), n);
        }
    }

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

    #[test]
    fn franchise_mentions() {
        assert!(cites_293b("TVA non applicable, art. 293 B du CGI"));
        assert!(cites_293b("TVA non applicable - article 293B du CGI"));
        assert!(cites_293b("art. 293\u{a0}b"));
        assert!(!cites_293b("TVA non applicable"));
    }
}
