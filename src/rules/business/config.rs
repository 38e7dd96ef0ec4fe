//! What fresk.yaml and missions declare that other rules build on: revenue shares (of offers and
//! missions) and the languages documents are rendered in.

use super::config_file;
use crate::diagnostics::{At, Finding};
use crate::model::{Share, Shares};
use crate::rules::Context;
use crate::workspace::Workspace;
use crate::yaml::{Route, Target};
use rust_decimal::Decimal;

// --- bad-shares ---------------------------------------------------------------------------

pub(super) fn shares(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    if let Some(config) = cx.config {
        let file = config_file(ws);
        for (i, offer) in config.catalogue.iter().enumerate() {
            if let Some(shares) = &offer.shares {
                check_shares(
                    file,
                    &Route::parse(&format!("catalogue[{i}].shares")),
                    &format!("offer `{}`", offer.id),
                    shares,
                    out,
                );
            }
        }
    }
    for m in &ws.missions {
        if let Some(shares) = &m.shares {
            check_shares(
                &m.file,
                &Route::parse("shares"),
                &format!("mission {}", m.id),
                shares,
                out,
            );
        }
    }
}

fn check_shares(file: &str, route: &Route, whose: &str, shares: &Shares, out: &mut Vec<Finding>) {
    let mut total = Decimal::ZERO;
    let mut overflow = false;
    let mut rest: Option<&str> = None;
    for (name, share) in shares {
        let at = At::Route(route.key(name), Target::Value);
        match share {
            Share::Percent(q) if q.0.is_sign_negative() && !q.0.is_zero() => {
                out.push(Finding::new(
                    &super::BAD_SHARES,
                    file,
                    at,
                    format!(
                        "share `{name}` of {whose} is {}%; a share is a percentage from 0 to 100 (or `rest`): fix it or remove it",
                        q
                    ),
                ));
            }
            Share::Percent(q) => match total.checked_add(q.0) {
                Some(t) => total = t,
                None => overflow = true,
            },
            Share::Rest => match rest {
                None => rest = Some(name),
                Some(first) => out.push(Finding::new(
                    &super::BAD_SHARES,
                    file,
                    at,
                    format!(
                        "share `{name}` of {whose} is `rest`, but `{first}` already takes the rest; only one share may be `rest`: give `{name}` a percentage"
                    ),
                )),
            },
        }
    }
    let hundred = Decimal::from(100);
    if overflow || total > hundred {
        let parts: Vec<String> = shares
            .iter()
            .filter_map(|(n, s)| match s {
                Share::Percent(q) if !q.0.is_sign_negative() => Some(format!("{n} {q}")),
                _ => None,
            })
            .collect();
        let total = if overflow {
            "more than 100".to_string()
        } else {
            total.normalize().to_string()
        };
        out.push(Finding::new(
            &super::BAD_SHARES,
            file,
            At::Route(route.clone(), Target::Key),
            format!(
                "the shares of {whose} total {total}% ({}); the total may not exceed 100: lower some shares{}",
                parts.join(" + "),
                if rest.is_some() {
                    " (`rest` takes what is left)"
                } else {
                    ""
                },
            ),
        ));
    }
}

// --- bad-language -------------------------------------------------------------------------

/// Every entry of `languages:` is a language code: the first is the default of `fresk render`,
/// and a code names a labels file (`templates/labels/<code>.yaml`), so `../…` must never be one.
pub(super) fn languages(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let Some(config) = cx.config else { return };
    for (i, code) in config.languages.iter().enumerate() {
        if !crate::model::config::is_language_code(code) {
            out.push(Finding::new(
                &super::BAD_LANGUAGE,
                config_file(ws),
                At::value(&format!("languages[{i}]")),
                format!(
                    "`{}` is not a language code: `languages` lists codes such as fr, en or pt-BR (2–3 lowercase letters, then `-` subtags), each naming its labels file templates/labels/<code>.yaml; write the code",
                    code.escape_debug()
                ),
            ));
        }
    }
}
