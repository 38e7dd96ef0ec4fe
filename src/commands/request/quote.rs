//! `fresk request quote`: number and send the quote, its lines from the catalogue or free.

use super::{check_move, edit_file, request, set};
use crate::commands::Error;
use crate::commands::common::{Cx, date_or_today};
use crate::commands::mutate::Plan;
use crate::diagnostics::did_you_mean;
use crate::model::{Config, Date, Kind, Money, Quantity, RequestState};
use crate::rules::legal::Pattern;
use crate::yaml::Route;
use crate::yaml::edit::{Document, EditError, scalar};

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
        let q = Quantity::parse(q).map_err(|e| Error::usage(format!("--line `{text}`: {e}")))?;
        if q.0 <= rust_decimal::Decimal::ZERO {
            return Err(Error::usage(format!(
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
                return Err(Error::refused(format!(
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
            let price =
                Money::parse(price).map_err(|e| Error::usage(format!("--line `{text}`: {e}")))?;
            if price.0 < rust_decimal::Decimal::ZERO {
                return Err(Error::usage(format!(
                    "--line `{text}`: a unit price cannot be negative"
                )));
            }
            let q = quantity(qty)?;
            if let Some(offer) = config.offer(head) {
                if price != offer.unit_price {
                    return Err(Error::refused(format!(
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
                        price.to_yaml()
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
                return Err(Error::refused(format!(
                    "--line `{text}`: `{head}` is not in the catalogue; did you mean `{m}`? (for a free line, give it a readable label, e.g. \"Frais de déplacement:1:180\")"
                )));
            }
            if head.is_empty() {
                return Err(Error::usage(format!("--line `{text}`: {usage}")));
            }
            Ok(Line {
                yaml: format!(
                    "{{ label: {}, quantity: {q}, unit_price: {} }}",
                    scalar(head),
                    price.to_yaml()
                ),
                key: format!("label:{head}"),
                total: price.times(q.0),
            })
        }
        _ => Err(Error::usage(format!("--line `{text}`: {usage}"))),
    }
}

/// The next quote number for a quote sent on `sent`, refusing what would break the series.
fn next_quote_number(cx: &Cx, config: &Config, sent: Date) -> Result<String, Error> {
    crate::commands::common::require_identity(config, "number a quote")?;
    let pattern = Pattern::parse(&config.series.quote).map_err(|e| {
        Error::io(format!(
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
        return Err(Error::io(format!(
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
        return Err(Error::refused(format!(
            "quote {number} ({rid}) was sent on {last}: quote numbers follow the dates they are sent on, so this one cannot be dated {sent}; pass --date {last} or later"
        )));
    }
    Ok(pattern.format(Some(year), None, max + 1))
}

pub(super) fn quote(
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
        return Err(Error::refused(format!(
            "{} already has quote number {n} in {}; a sent quote is never renumbered",
            r.id, r.file
        )));
    }
    if r.first_response.is_none() {
        return Err(Error::refused(format!(
            "{} has no `first_response`; record when the client was first answered (fresk request qualify records it) before quoting",
            r.id
        )));
    }
    if lines.is_empty() {
        return Err(Error::usage(
            "missing --line: give at least one line, OFFER:QTY or LABEL:QTY:UNIT_PRICE".into(),
        ));
    }
    let mut parsed: Vec<Line> = Vec::new();
    for text in lines {
        let line = parse_line(config, text)?;
        if parsed.iter().any(|l| l.key == line.key) {
            return Err(Error::usage(format!(
                "--line `{text}`: this line is given twice; write it once with the total quantity"
            )));
        }
        parsed.push(line);
    }
    let sent = date_or_today(cx, date, "--date")?;
    if sent < r.received.date() {
        return Err(Error::refused(format!(
            "--date {sent} is before the request was received ({}); a quote is sent after",
            r.received
        )));
    }
    if sent > cx.today() {
        return Err(Error::refused(format!(
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
