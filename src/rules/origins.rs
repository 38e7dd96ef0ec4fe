//! Origins: the words requests and organisations write in `origin`/`origins` must be in the
//! list of fresk.yaml (`origins:`, the marketing plan's list when absent), and each word of that
//! list must name one thing.

use super::Context;
use crate::diagnostics::{At, Finding, declare_rules};
use crate::model::origin::{list_problems, resolve, spellings};
use crate::workspace::Workspace;

declare_rules! {
    /// an origin that is not in `origins` of fresk.yaml
    ///
    /// Requests (and organisations, for a client's own origins) say how they heard of us in
    /// `origins:` (or the single `origin:` of earlier files), so that `fresk report clients`
    /// can count clients per origin by month and year. Each word must name an origin of the
    /// configured list (`press`), one of its kinds (`word-of-mouth/client`), a group
    /// (`town-hall`) or an alias (`event`). Fix the word (the message suggests the closest) or
    /// add the origin to `origins` in fresk.yaml.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// origins: [word-of-mouth/client, pres]
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// origins: [word-of-mouth/client, press]
    /// ```
    UNKNOWN_ORIGIN = "unknown-origin", References, Error;
    /// a request with both `origin` and `origins`, or with neither
    ///
    /// `origin: X` is the older spelling of `origins: [X]`. A request writes one of the two:
    /// with both, which one holds is unclear; with neither, nobody knows where the client
    /// came from. Merge `origin` into `origins` (or keep only `origin` when there is one), or
    /// add the origin.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// origin: press
    /// origins: [word-of-mouth/client]
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// origins: [press, word-of-mouth/client]
    /// ```
    ORIGIN_FIELDS = "origin-fields", References, Error;
    /// an `origins` list in fresk.yaml with a word that names another origin, or nothing
    ///
    /// Requests find their origin by its id, `id/kind`, an alias or a group, first match
    /// first. An origin listed twice, an alias that is another origin's id, alias or group, a
    /// group named like another origin, or a word with a `/` or spaces around it cannot be
    /// written as meant: requests would silently count under something else. Rename or remove
    /// the offending word.
    ///
    /// Bad:
    /// ```yaml
    /// # fresk.yaml
    /// origins:
    ///   - { id: press, group: media }
    ///   - { id: radio, group: media, aliases: [press] }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # fresk.yaml
    /// origins:
    ///   - { id: press, group: media }
    ///   - { id: radio, group: media, aliases: [fm] }
    /// ```
    BAD_ORIGINS = "bad-origins", Shape, Error;
}

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    if let Some(config) = &ws.config {
        for (route, message) in list_problems(&config.origins) {
            out.push(Finding::new(
                &BAD_ORIGINS,
                &config.file,
                At::value(&route),
                message,
            ));
        }
    }
    for q in &ws.requests {
        match (&q.origin, q.origins.is_empty()) {
            (Some(_), false) => out.push(Finding::new(
                &ORIGIN_FIELDS,
                &q.file,
                At::key("origin"),
                "both `origin` and `origins`; write the origins once, in `origins: [..]`",
            )),
            (None, true) => out.push(Finding::new(
                &ORIGIN_FIELDS,
                &q.file,
                At::key("id"),
                "no origin; add `origins: [..]` with how they heard of us (e.g. word-of-mouth/client, other)",
            )),
            _ => {}
        }
        let Some(config) = cx.config else { continue };
        if let Some(o) = &q.origin {
            known(config, &q.file, "origin".into(), o, out);
        }
        for (i, o) in q.origins.iter().enumerate() {
            known(config, &q.file, format!("origins[{i}]"), o, out);
        }
    }
    let Some(config) = cx.config else { return };
    for org in &ws.organisations {
        for (i, o) in org.origins.iter().enumerate() {
            known(config, &org.file, format!("origins[{i}]"), o, out);
        }
    }
}

fn known(
    config: &crate::model::Config,
    file: &str,
    route: String,
    word: &str,
    out: &mut Vec<Finding>,
) {
    if resolve(&config.origins, word).is_some() {
        return;
    }
    let all = spellings(&config.origins);
    let hint = crate::diagnostics::did_you_mean(word.trim(), all.iter().map(String::as_str))
        .map(|m| format!("did you mean `{m}`?"))
        .unwrap_or_else(|| {
            "add it to `origins` in fresk.yaml or use one of its ids (`fresk report clients` lists them)".into()
        });
    out.push(Finding::new(
        &UNKNOWN_ORIGIN,
        file,
        At::value(&route),
        format!("no origin `{}` in fresk.yaml; {hint}", word.trim()),
    ));
}
