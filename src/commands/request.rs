//! `fresk request`: log, qualify, quote, win or lose, publish, assign, list and show requests.

use super::Error;
use super::common::{Cx, Globals, date_or_today, find, print_rows, required, schema_header};
use super::mutate::Plan;
use crate::cli::{ListArgs, RequestCommand, RequestNewArgs};
use crate::diagnostics::did_you_mean;
use crate::lifecycle::request_next;
use crate::model::request::{Channel, Origin};
use crate::model::{
    Config, Date, DateTime, Kind, Money, Person, Quantity, Request, RequestState, Role, Track,
};
use crate::report::request_detail::{self, command_for};
use crate::rules::legal::Pattern;
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, EditError, scalar};
use std::path::Path;

pub fn run(start: &Path, cmd: RequestCommand, globals: Globals) -> Result<u8, Error> {
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        RequestCommand::New(args) => new(&mut cx, args),
        RequestCommand::Qualify {
            request,
            first_response,
        } => qualify(&mut cx, &request, first_response.as_deref()),
        RequestCommand::Quote {
            request,
            lines,
            valid_days,
            date,
        } => quote(&mut cx, &request, &lines, valid_days, date.as_deref()),
        RequestCommand::Win {
            request,
            date,
            reason,
        } => win(&mut cx, &request, date.as_deref(), reason),
        RequestCommand::Lose {
            request,
            reason,
            date,
        } => lose(&mut cx, &request, reason, date.as_deref()),
        RequestCommand::Publish { request } => publish(&mut cx, &request),
        RequestCommand::Assign {
            request,
            coordinator,
            facilitator,
        } => assign(&mut cx, &request, coordinator, facilitator),
        RequestCommand::List {
            state,
            track,
            organisation,
            list,
        } => list_requests(
            &cx,
            state.as_deref(),
            track.as_deref(),
            organisation.as_deref(),
            &list,
        ),
        RequestCommand::Show { request } => show(&cx, &request),
    }
}

// --- shared helpers (also used by `fresk declaration`) ---------------------------------------

/// One of a fixed set of words, or an error listing them (with a "did you mean").
pub(crate) fn parse_word<T: Copy>(
    value: &str,
    flag: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T, Error> {
    let v = value.trim();
    if let Some(found) = all.iter().copied().find(|x| name(*x) == v) {
        return Ok(found);
    }
    let words: Vec<&str> = all.iter().map(|x| name(*x)).collect();
    let hint = did_you_mean(v, words.iter().copied())
        .map(|m| format!("did you mean `{m}`? "))
        .unwrap_or_default();
    Err(Error(format!(
        "{flag} `{v}` is not allowed; {hint}use one of: {}",
        words.join(", ")
    )))
}

/// The next id `<prefix><year>-<seq:04>` of a kind: one more than the highest of that year among
/// the ids read and the file names (so a file that does not parse still holds its number).
pub(crate) fn next_id(cx: &Cx, kind: Kind, prefix: &str, year: i32) -> String {
    let head = format!("{prefix}{year}-");
    let seq_of = |id: &str| id.strip_prefix(&head).and_then(|s| s.parse::<u32>().ok());
    let from_ids = cx
        .ws
        .ids
        .get(&kind)
        .into_iter()
        .flat_map(|m| m.keys())
        .filter_map(|id| seq_of(id));
    let from_files = cx
        .ws
        .files
        .iter()
        .filter(|(_, k)| *k == kind)
        .filter_map(|(rel, _)| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            seq_of(name.strip_suffix(".yaml").unwrap_or(name))
        });
    let max = from_ids.chain(from_files).max().unwrap_or(0);
    format!("{head}{:04}", max + 1)
}

/// An amount as written in files: `1200` when whole, `1200.50` otherwise.
pub(crate) fn money_yaml(m: Money) -> String {
    if m.0.fract().is_zero() {
        m.0.trunc().normalize().to_string()
    } else {
        m.to_string()
    }
}

/// A person by id, with the role a command needs.
pub(crate) fn person_with_role<'a>(
    cx: &'a Cx,
    id: &str,
    role: Role,
    what: &str,
) -> Result<&'a Loaded<Person>, Error> {
    let person = find(&cx.ws.people, id, "person", |p| &p.id)?;
    if !person.has_role(role) {
        return Err(Error(format!(
            "`{id}` cannot be {what}: they do not have the role `{}` (roles in {}: {}); choose someone who has it, or add the role to their file",
            role_name(role),
            person.file,
            person
                .roles
                .iter()
                .map(|r| role_name(*r))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(person)
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "facilitator",
        Role::Coordinator => "coordinator",
        Role::Staff => "staff",
    }
}

/// Edit the text of `file` with `f`, keeping everything else byte-for-byte.
pub(crate) fn edit_file(
    cx: &Cx,
    file: &str,
    f: impl FnOnce(&mut Document) -> Result<(), EditError>,
) -> Result<String, Error> {
    let mut doc = Document::new(cx.read(file)?);
    f(&mut doc).map_err(|e| {
        Error(format!(
            "cannot edit {file}: {e}; nothing was changed (run `fresk lint {file}` and fix the file by hand)"
        ))
    })?;
    Ok(doc.into_text())
}

/// Add `key:` holding a block mapping at the end of the root mapping; `lines` are the block's
/// lines relative to it (nested lines carry their own extra indentation).
fn add_block(doc: &mut Document, key: &str, lines: &[String]) -> Result<(), EditError> {
    const MARK: &str = "__fresk_block__";
    doc.set(&Route::parse(key), MARK)?;
    let text = doc.text();
    let needle = format!("{key}: {MARK}");
    let at = text
        .find(&needle)
        .ok_or_else(|| EditError(format!("could not add `{key}`")))?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let pad = " ".repeat(at - line_start + 2);
    let block: String = lines.iter().map(|l| format!("\n{pad}{l}")).collect();
    let mut out = String::with_capacity(text.len() + block.len());
    out.push_str(&text[..at]);
    out.push_str(&format!("{key}:{block}"));
    out.push_str(&text[at + needle.len()..]);
    *doc = Document::new(out);
    Ok(())
}

/// Replace the value of the top-level `key` (a block or flow mapping) by `~`, on the line the key
/// stood on, so that [`add_block`] fills it in place.
fn empty_in_place(doc: &mut Document, key: &str) -> Result<(), EditError> {
    let parsed = crate::yaml::parse(doc.text());
    let Some(entry) = parsed.root.as_ref().and_then(|root| root.get(key)) else {
        return Ok(());
    };
    let line = entry.key.span.start.line as usize;
    let indent = " ".repeat(entry.key.span.start.column.saturating_sub(1) as usize);
    let line_start = if line <= 1 {
        0
    } else {
        doc.text()
            .match_indices('\n')
            .nth(line - 2)
            .map_or(doc.text().len(), |(i, _)| i + 1)
    };
    doc.remove(&Route::parse(key))?;
    let mut text = doc.text().to_string();
    text.insert_str(line_start.min(text.len()), &format!("{indent}{key}: ~\n"));
    *doc = Document::new(text);
    Ok(())
}

fn set(doc: &mut Document, route: &str, yaml: &str) -> Result<(), EditError> {
    doc.set(&Route::parse(route), yaml)
}

// --- lifecycle -------------------------------------------------------------------------------

/// Refuse a move the lifecycle does not allow, naming what is allowed instead.
fn check_move(r: &Loaded<Request>, to: RequestState, verb: &str) -> Result<(), Error> {
    let allowed = request_next(r.state, r.track);
    if allowed.contains(&to) {
        return Ok(());
    }
    let options = if allowed.is_empty() {
        format!(
            "`{}` is a final state: the request never moves again",
            r.state
        )
    } else {
        let list: Vec<String> = allowed
            .iter()
            .map(|s| format!("`{s}` ({})", command_for(r, *s)))
            .collect();
        format!(
            "from `{}` on the {} track it can only become {}",
            r.state,
            r.track,
            list.join(" or ")
        )
    };
    let track_note = if to == RequestState::Quoted && r.track == Track::Introduction {
        " (introduction requests are never quoted: the facilitator contracts directly)"
    } else {
        ""
    };
    Err(Error(format!(
        "cannot {verb} {}: it is `{}`{track_note}; {options}",
        r.id, r.state
    )))
}

fn request<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Request>, Error> {
    find(&cx.ws.requests, id, "request", |r| &r.id)
}

fn parse_datetime(text: &str, flag: &str) -> Result<DateTime, Error> {
    DateTime::parse(text).map_err(|e| Error(format!("{flag}: {e}")))
}

// --- new -------------------------------------------------------------------------------------

fn new(cx: &mut Cx, args: RequestNewArgs) -> Result<u8, Error> {
    let config = cx.config()?;
    let organisation = required(
        args.organisation,
        "--organisation",
        "Organisation (id in organisations/)",
    )?;
    let organisation = find(
        &cx.ws.organisations,
        organisation.trim(),
        "organisation",
        |o| &o.id,
    )?;
    let track = required(
        args.track,
        "--track",
        "Track (subcontracting or introduction)",
    )?;
    let track = parse_word(&track, "--track", Track::ALL, Track::as_str)?;
    let channel = required(
        args.channel,
        "--channel",
        "Channel (email, phone, form, social, visit, other)",
    )?;
    let channel = parse_word(&channel, "--channel", Channel::ALL, Channel::as_str)?;
    let origin = required(
        args.origin,
        "--origin",
        "Origin (word-of-mouth, town-hall, internet, event, returning, partner, other)",
    )?;
    let origin = parse_word(&origin, "--origin", Origin::ALL, Origin::as_str)?;
    let summary = required(args.summary, "--summary", "One line describing the need")?;
    let summary = summary.trim().to_string();
    if let Some(owner) = &args.owner {
        person_with_role(cx, owner.trim(), Role::Staff, "the request's owner")?;
    }
    let received = match args.received.as_deref() {
        Some(t) => parse_datetime(t, "--received")?,
        None => cx.now(),
    };
    if received.instant(cx.tz) > cx.clock.now {
        return Err(Error(format!(
            "--received {received} is in the future; give the date-time the request arrived"
        )));
    }
    if let Some(language) = &args.language
        && !config.languages.iter().any(|l| l == language.trim())
        && (language.trim().is_empty() || !language.trim().bytes().all(|b| b.is_ascii_lowercase()))
    {
        return Err(Error(format!(
            "--language `{language}` is not a language code; write a lowercase code such as {}",
            config.languages.join(", ")
        )));
    }
    let year = received.date().year();
    let id = next_id(cx, Kind::Request, "R", year);
    let rel = format!("requests/{year}/{id}.yaml");
    let mut text = schema_header(Kind::Request, &rel);
    text.push_str(&format!(
        "id: {id}\nstate: received\ntrack: {track}\nreceived: {received}\nchannel: {channel}\norigin: {origin}\norganisation: {}\n",
        organisation.id
    ));
    if let Some(owner) = &args.owner {
        text.push_str(&format!("owner: {}\n", owner.trim()));
    }
    text.push_str(&format!("need:\n  summary: {}\n", scalar(&summary)));
    if let Some(n) = args.participants {
        text.push_str(&format!("  participants: {n}\n"));
    }
    if let Some(language) = &args.language {
        text.push_str(&format!("  language: {}\n", scalar(language.trim())));
    }
    let mut plan = Plan::new(format!(
        "request {id} logged ({track}, {}, received {received}): {rel}",
        organisation.id
    ));
    plan.write(rel, text);
    cx.apply(&plan)
}

// --- transitions -----------------------------------------------------------------------------

fn qualify(cx: &mut Cx, id: &str, first_response: Option<&str>) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Qualified, "qualify")?;
    let given = first_response
        .map(|t| parse_datetime(t, "--first-response"))
        .transpose()?;
    let first = match (r.first_response, given) {
        (Some(existing), Some(given)) if existing != given => {
            return Err(Error(format!(
                "{} already records its first response on {existing}; leave out --first-response, or correct `first_response` in {} by hand",
                r.id, r.file
            )));
        }
        (Some(_), _) => None,
        (None, Some(given)) => Some(given),
        (None, None) => Some(cx.now()),
    };
    if let Some(first) = first {
        if first.instant(cx.tz) < r.received.instant(cx.tz) {
            return Err(Error(format!(
                "the first response ({first}) cannot come before the request was received ({}); pass --first-response with the date-time the answer was sent",
                r.received
            )));
        }
        if first.instant(cx.tz) > cx.clock.now {
            return Err(Error(format!(
                "--first-response {first} is in the future; record the answer once it is sent"
            )));
        }
    }
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "qualified")?;
        if let Some(first) = first {
            set(doc, "first_response", &first.to_string())?;
        }
        Ok(())
    })?;
    let responded = first
        .or(r.first_response)
        .map(|f| format!(" (first response {f})"))
        .unwrap_or_default();
    let mut plan = Plan::new(format!(
        "request {} qualified{responded}; next: {}",
        r.id,
        request_next(RequestState::Qualified, r.track)
            .iter()
            .map(|s| command_for(r, *s))
            .collect::<Vec<_>>()
            .join(" or ")
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

/// One parsed `--line`: its YAML flow mapping and its amount.
struct Line {
    yaml: String,
    key: String,
    total: Money,
}

fn parse_line(config: &Config, text: &str) -> Result<Line, Error> {
    let usage = "write OFFER:QTY (a catalogue offer at its catalogue price) or LABEL:QTY:UNIT_PRICE (a free line)";
    let mut parts: Vec<&str> = text.rsplitn(3, ':').collect();
    parts.reverse();
    let offers = || config.catalogue.iter().map(|o| o.id.as_str());
    let quantity = |q: &str| -> Result<Quantity, Error> {
        let q = Quantity::parse(q).map_err(|e| Error(format!("--line `{text}`: {e}")))?;
        if q.0 <= rust_decimal::Decimal::ZERO {
            return Err(Error(format!(
                "--line `{text}`: the quantity must be more than 0"
            )));
        }
        Ok(q)
    };
    match parts.as_slice() {
        [head, qty] => {
            let head = head.trim();
            let Some(offer) = config.offer(head) else {
                let hint = did_you_mean(head, offers())
                    .map(|m| format!("did you mean `{m}`? "))
                    .unwrap_or_default();
                return Err(Error(format!(
                    "--line `{text}`: `{head}` is not in the catalogue; {hint}the offers are {}. A free line needs its unit price: LABEL:QTY:UNIT_PRICE",
                    offers().collect::<Vec<_>>().join(", ")
                )));
            };
            let q = quantity(qty)?;
            Ok(Line {
                yaml: format!("{{ offer: {}, quantity: {q} }}", offer.id),
                key: offer.id.clone(),
                total: offer.unit_price.times(q.0),
            })
        }
        [head, qty, price] => {
            let head = head.trim();
            let price = Money::parse(price).map_err(|e| Error(format!("--line `{text}`: {e}")))?;
            if price.0 < rust_decimal::Decimal::ZERO {
                return Err(Error(format!(
                    "--line `{text}`: a unit price cannot be negative"
                )));
            }
            let q = quantity(qty)?;
            if let Some(offer) = config.offer(head) {
                if price != offer.unit_price {
                    return Err(Error(format!(
                        "--line `{text}`: {price} differs from the catalogue price {} of `{}`; quote lines use the catalogue price, so write `{}:{q}`, or make it a free line with its own label, e.g. \"{} (tarif convenu):{q}:{}\"",
                        offer.unit_price,
                        offer.id,
                        offer.id,
                        config
                            .languages
                            .first()
                            .and_then(|l| offer.label.get(l))
                            .or_else(|| offer.label.values().next())
                            .map_or(offer.id.as_str(), String::as_str),
                        money_yaml(price)
                    )));
                }
                return Ok(Line {
                    yaml: format!("{{ offer: {}, quantity: {q} }}", offer.id),
                    key: offer.id.clone(),
                    total: offer.unit_price.times(q.0),
                });
            }
            let slug = !head.is_empty()
                && head
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if slug && let Some(m) = did_you_mean(head, offers()) {
                return Err(Error(format!(
                    "--line `{text}`: `{head}` is not in the catalogue; did you mean `{m}`? (for a free line, give it a readable label, e.g. \"Frais de déplacement:1:180\")"
                )));
            }
            if head.is_empty() {
                return Err(Error(format!("--line `{text}`: {usage}")));
            }
            Ok(Line {
                yaml: format!(
                    "{{ label: {}, quantity: {q}, unit_price: {} }}",
                    scalar(head),
                    money_yaml(price)
                ),
                key: format!("label:{head}"),
                total: price.times(q.0),
            })
        }
        _ => Err(Error(format!("--line `{text}`: {usage}"))),
    }
}

/// The next quote number for a quote sent on `sent`, refusing what would break the series.
fn next_quote_number(cx: &Cx, config: &Config, sent: Date) -> Result<String, Error> {
    let pattern = Pattern::parse(&config.series.quote).map_err(|e| {
        Error(format!(
            "series.quote `{}` in fresk.yaml cannot number quotes: {e}; fix it first",
            config.series.quote
        ))
    })?;
    // A request file that does not read hides its quote number: numbering now could reuse it.
    let read: std::collections::HashSet<&str> =
        cx.ws.requests.iter().map(|r| r.file.as_str()).collect();
    if let Some((unread, _)) = cx
        .ws
        .files
        .iter()
        .find(|(rel, k)| *k == Kind::Request && !read.contains(rel.as_str()))
    {
        return Err(Error(format!(
            "cannot number a quote while {unread} cannot be read: its quote number would be missed and given twice; fix it first (fresk lint {unread})"
        )));
    }
    let year = sent.year();
    let mut max = 0u32;
    let mut latest: Option<(Date, &str, &str)> = None;
    for r in &cx.ws.requests {
        let Some(q) = &r.quote else { continue };
        let Some(number) = q.number.as_deref() else {
            continue;
        };
        let Some(parts) = pattern.matches(number) else {
            continue;
        };
        if parts.year.is_some_and(|y| y != year) {
            continue;
        }
        max = max.max(parts.seq);
        if let Some(d) = q.sent
            && latest.is_none_or(|(l, _, _)| d > l)
        {
            latest = Some((d, number, r.id.as_str()));
        }
    }
    if let Some((last, number, rid)) = latest
        && sent < last
    {
        return Err(Error(format!(
            "quote {number} ({rid}) was sent on {last}: quote numbers follow the dates they are sent on, so this one cannot be dated {sent}; pass --date {last} or later"
        )));
    }
    Ok(pattern.format(Some(year), None, max + 1))
}

fn quote(
    cx: &mut Cx,
    id: &str,
    lines: &[String],
    valid_days: Option<u32>,
    date: Option<&str>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let r = request(cx, id)?;
    check_move(r, RequestState::Quoted, "quote")?;
    if let Some(n) = r.quote.as_ref().and_then(|q| q.number.as_deref()) {
        return Err(Error(format!(
            "{} already has quote number {n} in {}; a sent quote is never renumbered",
            r.id, r.file
        )));
    }
    if r.first_response.is_none() {
        return Err(Error(format!(
            "{} has no `first_response`; record when the client was first answered (fresk request qualify records it) before quoting",
            r.id
        )));
    }
    if lines.is_empty() {
        return Err(Error(
            "missing --line: give at least one line, OFFER:QTY or LABEL:QTY:UNIT_PRICE".into(),
        ));
    }
    let mut parsed: Vec<Line> = Vec::new();
    for text in lines {
        let line = parse_line(config, text)?;
        if parsed.iter().any(|l| l.key == line.key) {
            return Err(Error(format!(
                "--line `{text}`: this line is given twice; write it once with the total quantity"
            )));
        }
        parsed.push(line);
    }
    let sent = date_or_today(cx, date, "--date")?;
    if sent < r.received.date() {
        return Err(Error(format!(
            "--date {sent} is before the request was received ({}); a quote is sent after",
            r.received
        )));
    }
    if sent > cx.today() {
        return Err(Error(format!(
            "--date {sent} is in the future; quote when the quote is sent"
        )));
    }
    let days = valid_days.unwrap_or(config.quote_validity_days);
    let valid_until = sent.add_days(i64::from(days));
    let number = next_quote_number(cx, config, sent)?;
    let mut block = vec![
        format!("number: {number}"),
        format!("sent: {sent}"),
        format!("valid_until: {valid_until}"),
        "lines:".to_string(),
    ];
    block.extend(parsed.iter().map(|l| format!("  - {}", l.yaml)));
    let has_quote = r.quote.is_some();
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "quoted")?;
        if has_quote {
            // A draft quote (lines without a number) is replaced where it stands.
            empty_in_place(doc, "quote")?;
        }
        // `quote: ~` and `quote:` are filled in place; an absent key is added at the end.
        add_block(doc, "quote", &block)
    })?;
    let total: Money = parsed.iter().map(|l| l.total).sum();
    let mut plan = Plan::new(format!(
        "request {} quoted: {number} sent {sent}, valid until {valid_until}, {} line(s), total {total} {} excl. VAT",
        r.id,
        parsed.len(),
        config.currency
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

/// The flow mapping of a decision.
fn decision_yaml(date: Date, reason: Option<&str>) -> String {
    match reason {
        Some(reason) => format!("{{ date: {date}, reason: {} }}", scalar(reason)),
        None => format!("{{ date: {date} }}"),
    }
}

/// Record `decision` on `r`, editing an existing decision field by field.
fn set_decision(
    doc: &mut Document,
    r: &Request,
    date: Date,
    reason: Option<&str>,
) -> Result<(), EditError> {
    if r.decision.is_some() {
        set(doc, "decision.date", &date.to_string())?;
        if let Some(reason) = reason {
            set(doc, "decision.reason", &scalar(reason))?;
        }
        Ok(())
    } else {
        set(doc, "decision", &decision_yaml(date, reason))
    }
}

fn win(cx: &mut Cx, id: &str, date: Option<&str>, reason: Option<String>) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Won, "win")?;
    let date = date_or_today(cx, date, "--date")?;
    let reason = reason
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(sent) = r.quote.as_ref().and_then(|q| q.sent)
        && date < sent
    {
        return Err(Error(format!(
            "--date {date} is before the quote was sent ({sent}); give the date the client accepted it"
        )));
    }
    if date > cx.today() {
        return Err(Error(format!(
            "--date {date} is in the future; record the decision once the client has accepted"
        )));
    }
    let late = r
        .quote
        .as_ref()
        .and_then(|q| q.valid_until)
        .filter(|v| date > *v);
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "won")?;
        set_decision(doc, r, date, reason.as_deref())
    })?;
    let number = r
        .quote
        .as_ref()
        .and_then(|q| q.number.as_deref())
        .map(|n| format!(" (quote {n})"))
        .unwrap_or_default();
    let mut plan = Plan::new(format!(
        "request {} won on {date}{number}; next: fresk request publish {}",
        r.id, r.id
    ));
    plan.write(r.file.clone(), text);
    if let Some(valid_until) = late
        && !cx.globals.dry_run
    {
        eprintln!(
            "note: the quote was valid until {valid_until} and was accepted on {date}, after it expired; make sure the client signed a quote that still holds"
        );
    }
    cx.apply(&plan)
}

fn lose(cx: &mut Cx, id: &str, reason: Option<String>, date: Option<&str>) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Lost, "lose")?;
    let reason = required(reason, "--reason", "Why was it lost (for the reports)")?;
    let reason = reason.trim().to_string();
    let date = date_or_today(cx, date, "--date")?;
    if date < r.received.date() {
        return Err(Error(format!(
            "--date {date} is before the request was received ({})",
            r.received
        )));
    }
    if date > cx.today() {
        return Err(Error(format!("--date {date} is in the future")));
    }
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "lost")?;
        set_decision(doc, r, date, Some(&reason))
    })?;
    let mut plan = Plan::new(format!("request {} lost on {date}: {reason}", r.id));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

fn publish(cx: &mut Cx, id: &str) -> Result<u8, Error> {
    let r = request(cx, id)?;
    check_move(r, RequestState::Published, "publish")?;
    let text = edit_file(cx, &r.file, |doc| set(doc, "state", "published"))?;
    let who = match r.track {
        Track::Subcontracting => "coordinators",
        Track::Introduction => "facilitators who contract directly",
    };
    let mut plan = Plan::new(format!(
        "request {} published: open to {who}; next: {}",
        r.id,
        command_for(r, RequestState::Assigned)
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

fn assign(
    cx: &mut Cx,
    id: &str,
    coordinator: Option<String>,
    facilitator: Option<String>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let r = request(cx, id)?;
    check_move(r, RequestState::Assigned, "assign")?;
    let (field, person, role) = match r.track {
        Track::Subcontracting => {
            if let Some(f) = facilitator {
                return Err(Error(format!(
                    "{} is on the subcontracting track: the association contracts with the client and a coordinator takes the mission; use --coordinator instead of --facilitator {f}",
                    r.id
                )));
            }
            let p = required(coordinator, "--coordinator", "Coordinator (person id)")?;
            ("coordinator", p, Role::Coordinator)
        }
        Track::Introduction => {
            if let Some(c) = coordinator {
                return Err(Error(format!(
                    "{} is on the introduction track: a facilitator contracts with the client directly, there is no coordinator; use --facilitator instead of --coordinator {c}",
                    r.id
                )));
            }
            let p = required(facilitator, "--facilitator", "Facilitator (person id)")?;
            ("facilitator", p, Role::Facilitator)
        }
    };
    let person = person_with_role(cx, person.trim(), role, &format!("the request's {field}"))?;
    // The level the client's sector requires (requirements: in fresk.yaml).
    if let Some(org) = cx.ws.organisations.iter().find(|o| o.id == r.organisation)
        && let Some(req) = config.requirements.get(&org.sector)
    {
        let needed = match role {
            Role::Coordinator => req.coordinate.as_deref(),
            _ => req.facilitate.as_deref(),
        };
        if let Some(needed) = needed
            && let Some(needed_rank) = config.level_rank(needed)
        {
            let rank = person.level.as_deref().and_then(|l| config.level_rank(l));
            if rank.is_none_or(|rank| rank < needed_rank) {
                let is = person
                    .level
                    .as_deref()
                    .map_or_else(|| "has no level".into(), |l| format!("is level `{l}`"));
                return Err(Error(format!(
                    "`{}` {is}, but {} requires `{needed}` or higher to {} for a {} client (requirements.{} in fresk.yaml; levels: {}); choose someone of that level",
                    person.id,
                    org.id,
                    if role == Role::Coordinator {
                        "coordinate"
                    } else {
                        "facilitate"
                    },
                    org.sector.as_str(),
                    org.sector.as_str(),
                    config.levels.join(" < ")
                )));
            }
        }
    }
    let person_id = person.id.clone();
    let text = edit_file(cx, &r.file, |doc| {
        set(doc, "state", "assigned")?;
        set(doc, field, &person_id)
    })?;
    let next = match r.track {
        Track::Subcontracting => format!(
            "; next: fresk mission new --request {} --coordinator {person_id}",
            r.id
        ),
        Track::Introduction => format!(
            "; {person_id} contracts with the client and declares the revenue: fresk declaration new --request {}",
            r.id
        ),
    };
    let mut plan = Plan::new(format!(
        "request {} assigned to {field} {person_id}{next}",
        r.id
    ));
    plan.write(r.file.clone(), text);
    cx.apply(&plan)
}

// --- list and show ---------------------------------------------------------------------------

/// Parse `--from` / `--to` of a list.
pub(crate) fn date_range(list: &ListArgs) -> Result<(Option<Date>, Option<Date>), Error> {
    let parse = |v: Option<&str>, flag: &str| {
        v.map(|t| Date::parse(t).map_err(|e| Error(format!("{flag}: {e}"))))
            .transpose()
    };
    let from = parse(list.from.as_deref(), "--from")?;
    let to = parse(list.to.as_deref(), "--to")?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error(format!("--from {f} is after --to {t}")));
    }
    Ok((from, to))
}

/// Sort key of generated ids: year and sequence as numbers, then the text.
pub(crate) fn id_order(id: &str) -> (u32, u32, String) {
    let digits: Vec<u32> = id
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    (
        digits.first().copied().unwrap_or(0),
        digits.get(1).copied().unwrap_or(0),
        id.to_string(),
    )
}

fn list_requests(
    cx: &Cx,
    state: Option<&str>,
    track: Option<&str>,
    organisation: Option<&str>,
    list: &ListArgs,
) -> Result<u8, Error> {
    let state = state
        .map(|s| parse_word(s, "--state", RequestState::ALL, RequestState::as_str))
        .transpose()?;
    let track = track
        .map(|s| parse_word(s, "--track", Track::ALL, Track::as_str))
        .transpose()?;
    if let Some(org) = organisation {
        find(&cx.ws.organisations, org, "organisation", |o| &o.id)?;
    }
    let (from, to) = date_range(list)?;
    let mut items: Vec<&Loaded<Request>> = cx
        .ws
        .requests
        .iter()
        .filter(|r| state.is_none_or(|s| r.state == s))
        .filter(|r| track.is_none_or(|t| r.track == t))
        .filter(|r| organisation.is_none_or(|o| r.organisation == o))
        .filter(|r| from.is_none_or(|f| r.received.date() >= f))
        .filter(|r| to.is_none_or(|t| r.received.date() <= t))
        .collect();
    items.sort_by_key(|r| id_order(&r.id));
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.state.to_string(),
                r.track.to_string(),
                r.received.to_string(),
                r.organisation.clone(),
                r.owner.clone().unwrap_or_default(),
                r.quote
                    .as_ref()
                    .and_then(|q| q.number.clone())
                    .unwrap_or_default(),
                r.need
                    .as_ref()
                    .map(|n| n.summary.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        &[
            "id",
            "state",
            "track",
            "received",
            "organisation",
            "owner",
            "quote",
            "summary",
        ],
        &rows,
        list.format,
    );
    Ok(0)
}

fn show(cx: &Cx, id: &str) -> Result<u8, Error> {
    let r = request(cx, id)?;
    print!(
        "{}",
        request_detail::render(&request_detail::compute(&cx.ws, r))
    );
    Ok(0)
}
