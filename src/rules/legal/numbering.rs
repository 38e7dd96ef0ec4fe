//! The legal series (quotes, invoices, credit notes, self-invoices): each number matches its
//! pattern, carries its year, stays in its own series, and each series runs 1, 2, 3… in date order.
//!
//! Linear in the size of the workspace: numbers are bucketed per series, year and person in hash
//! maps, then each bucket is sorted once.

use super::noun_of;
use super::pattern::{Parts, Pattern, pat_text};
use crate::HashMap;
use crate::diagnostics::{At, Finding};
use crate::model::{Config, Date, InvoiceKind, InvoiceState};
use crate::rules::Context;
use crate::workspace::Workspace;

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
                &super::BAD_SERIES_PATTERN,
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
        &super::NUMBERING_FORMAT,
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

/// The numbers of each gapless series, checked together once all are known.
type Groups<'a> = HashMap<GroupKey<'a>, Vec<Numbered<'a>>>;

pub(super) fn check(
    ws: &Workspace,
    cx: &Context,
    config: &Config,
    config_file: &str,
    out: &mut Vec<Finding>,
) {
    let series = series_patterns(config, config_file, out);
    let mut groups: Groups = HashMap::default();
    quotes(ws, cx, &series, &mut groups, out);
    invoices(ws, cx, config, &series, &mut groups, out);
    self_invoices(ws, cx, &series, &mut groups, out);
    for (key, mut entries) in groups {
        // Groups only exist for parsed patterns.
        let Some(pat) = series.get(key.0) else {
            continue;
        };
        entries.sort_by_key(|e| e.seq);
        check_group(key, &entries, pat, out);
    }
}

/// Quote numbers (`quote.number` of requests) against the quote series.
fn quotes<'a>(
    ws: &'a Workspace,
    cx: &Context,
    series: &Series,
    groups: &mut Groups<'a>,
    out: &mut Vec<Finding>,
) {
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
                    mismatch_message(kind, number, pat, series, year_of(q.sent, cx), None),
                )),
            }
        }
    }
}

/// Invoice and credit-note numbers (their ids) against their series; drafts have none yet.
fn invoices<'a>(
    ws: &'a Workspace,
    cx: &Context,
    config: &Config,
    series: &Series,
    groups: &mut Groups<'a>,
    out: &mut Vec<Finding>,
) {
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
                        &super::SERIES_MIXED,
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
                        mismatch_message(kind, number, pat, series, year_of(inv.issued, cx), None),
                    ));
                }
            }
        }
    }
}

/// Self-invoice numbers against each facilitator's own series.
fn self_invoices<'a>(
    ws: &'a Workspace,
    cx: &Context,
    series: &Series,
    groups: &mut Groups<'a>,
    out: &mut Vec<Finding>,
) {
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
                        &super::SERIES_MIXED,
                        &p.file,
                        At::value(&place.number()),
                        format!(
                            "self-invoice `{number}` is numbered in `{other}`'s series, but it is issued in the name of `{person}`: each facilitator has their own gapless series; give it the next number of `{person}`'s series (of the form `{own}`)"
                        ),
                    ));
                } else if let Some(k) = series.other_match(number, kind, false) {
                    out.push(Finding::new(
                        &super::SERIES_MIXED,
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
                        mismatch_message(kind, number, pat, series, si.issued.year(), Some(person)),
                    ));
                }
            }
        }
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
                    &super::NUMBERING_DUPLICATE,
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
                )
                .related(
                    f.file,
                    At::value(&f.place.number()),
                    format!("the first use of number `{}`", f.number),
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
                &super::NUMBERING_GAP,
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
                    &super::NUMBERING_ORDER,
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
