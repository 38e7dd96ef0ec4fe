//! `fresk request new`: log a request as it arrives.

use super::parse_datetime;
use crate::cli::RequestNewArgs;
use crate::commands::Error;
use crate::commands::common::{
    Cx, find, next_id, parse_word, person_with_role, required, required_checked, schema_header,
    with_choices,
};
use crate::commands::mutate::Plan;
use crate::model::request::Channel;
use crate::model::{Kind, Role, Track};
use crate::yaml::edit::scalar;

pub(super) fn new(cx: &mut Cx, args: RequestNewArgs) -> Result<u8, Error> {
    let config = cx.config()?;
    let organisation = {
        let ws = &cx.ws;
        let question = with_choices(
            "Organisation (id in organisations/)",
            ws.organisations.iter().map(|o| o.id.as_str()),
        );
        required_checked(args.organisation, "--organisation", &question, |v| {
            find(&ws.organisations, v.trim(), "organisation", |o| &o.id).map(|o| o.id.clone())
        })?
    };
    let track = required_checked(
        args.track,
        "--track",
        "Track (subcontracting or introduction)",
        |v| parse_word(v, "--track", Track::ALL, Track::as_str),
    )?;
    let channel = required_checked(
        args.channel,
        "--channel",
        "Channel (email, phone, form, social, visit, other)",
        |v| parse_word(v, "--channel", Channel::ALL, Channel::as_str),
    )?;
    let origins = origins(config, args.origin)?;
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
        return Err(Error::refused(format!(
            "--received {received} is in the future; give the date-time the request arrived"
        )));
    }
    if let Some(language) = &args.language
        && !config.languages.iter().any(|l| l == language.trim())
        && (language.trim().is_empty() || !language.trim().bytes().all(|b| b.is_ascii_lowercase()))
    {
        return Err(Error::usage(format!(
            "--language `{language}` is not a language code; write a lowercase code such as {}",
            config.languages.join(", ")
        )));
    }
    let year = received.date().year();
    let id = next_id(cx, Kind::Request, "R", year);
    let rel = format!("requests/{year}/{id}.yaml");
    let mut text = schema_header(Kind::Request, &rel);
    text.push_str(&format!(
        "id: {id}\nstate: received\ntrack: {track}\nreceived: {received}\nchannel: {channel}\n{origins}organisation: {organisation}\n"
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
        "request {id} logged ({track}, {organisation}, received {received}): {rel}"
    ));
    plan.write(rel, text);
    cx.apply(&plan)
}

/// The `--origin` values checked against `origins` in fresk.yaml and written as the list spells
/// them: `origin: X` for one, `origins: [X, Y]` for several; asked for when none is given.
fn origins(config: &crate::model::Config, given: Vec<String>) -> Result<String, Error> {
    let list = &config.origins;
    let check = |v: &str| -> Result<String, Error> {
        crate::model::origin::resolve(list, v)
            .map(|o| o.key)
            .ok_or_else(|| {
                let spellings = crate::model::origin::spellings(list);
                let hint = crate::diagnostics::did_you_mean(
                    v.trim(),
                    spellings.iter().map(String::as_str),
                )
                .map(|m| format!("did you mean `{m}`? "))
                .unwrap_or_default();
                Error::refused(format!(
                    "--origin `{}` is not in `origins` of fresk.yaml; {hint}use one of: {}",
                    v.trim(),
                    list.iter()
                        .flat_map(|o| {
                            std::iter::once(o.id.clone())
                                .chain(o.kinds.iter().map(|k| format!("{}/{k}", o.id)))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    };
    let mut keys: Vec<String> = Vec::new();
    if given.is_empty() {
        let question = "Origin(s), comma-separated (e.g. word-of-mouth/client, press)";
        let answer = required_checked(None, "--origin", question, |v| {
            v.split(',').map(check).collect::<Result<Vec<_>, _>>()
        })?;
        keys = answer;
    } else {
        for v in &given {
            keys.push(check(v)?);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    Ok(match keys.as_slice() {
        [one] => format!("origin: {one}\n"),
        many => format!("origins: [{}]\n", many.join(", ")),
    })
}
