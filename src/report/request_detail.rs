//! One request in detail (`fresk request show`): what it holds, and what each state it may move
//! to needs, with the command that moves it there.

use crate::lifecycle::request_next;
use crate::model::{Money, Request, RequestState, Track};
use crate::workspace::{Loaded, Workspace};

/// The command that moves a request to `to`, for messages.
pub fn command_for(r: &Loaded<Request>, to: RequestState) -> String {
    let id = &r.id;
    match to {
        RequestState::Received => String::new(),
        RequestState::Qualified => format!("fresk request qualify {id}"),
        RequestState::Quoted => format!("fresk request quote {id} --line OFFER:QTY"),
        RequestState::Won => format!("fresk request win {id}"),
        RequestState::Lost => format!("fresk request lose {id} --reason TEXT"),
        RequestState::Expired => format!("set `state: expired` in {}", r.file),
        RequestState::Published => format!("fresk request publish {id}"),
        RequestState::Assigned => match r.track {
            Track::Subcontracting => format!("fresk request assign {id} --coordinator PERSON"),
            Track::Introduction => format!("fresk request assign {id} --facilitator PERSON"),
        },
    }
}

/// What moving to `to` needs, for `show`.
fn needs_for(r: &Request, to: RequestState) -> String {
    match to {
        RequestState::Received => String::new(),
        RequestState::Qualified => {
            if r.first_response.is_some() {
                "the need understood and the track confirmed".into()
            } else {
                "the first answer sent to the client (--first-response, default now)".into()
            }
        }
        RequestState::Quoted => {
            "the quote lines (catalogue offers, or free LABEL:QTY:UNIT_PRICE lines); the number and validity are set when sent".into()
        }
        RequestState::Won => "the client's acceptance (--date, default today; --reason)".into(),
        RequestState::Lost => "why it was lost (--reason)".into(),
        RequestState::Expired => match r.quote.as_ref().and_then(|q| q.valid_until) {
            Some(d) => format!("the quote's validity ({d}) to pass without a decision"),
            None => "the quote's validity to pass without a decision".into(),
        },
        RequestState::Published => match r.track {
            Track::Subcontracting => "nothing more: opens the mission to coordinators".into(),
            Track::Introduction => {
                "nothing more: opens the request to facilitators who contract directly".into()
            }
        },
        RequestState::Assigned => match r.track {
            Track::Subcontracting => {
                "a coordinator (a person with the role `coordinator`); then `fresk mission new`"
                    .into()
            }
            Track::Introduction => {
                "the facilitator who contracts with the client (role `facilitator`)".into()
            }
        },
    }
}

/// One request in detail.
pub fn render(ws: &Workspace, r: &Loaded<Request>) -> String {
    let config = ws.config.as_ref().map(|c| &c.value);
    let mut out = String::new();
    let mut row = |label: &str, value: String| {
        out.push_str(&format!("{label:<15}{value}\n"));
    };
    row("request", format!("{} ({})", r.id, r.file));
    row("state", r.state.to_string());
    row("track", r.track.to_string());
    let org_name = ws
        .organisations
        .iter()
        .find(|o| o.id == r.organisation)
        .map(|o| format!(" — {}", o.name))
        .unwrap_or_default();
    row("organisation", format!("{}{org_name}", r.organisation));
    if let Some(c) = &r.contact {
        let mut s = c.name.clone();
        if let Some(role) = &c.role {
            s.push_str(&format!(", {role}"));
        }
        let reach: Vec<&str> = [&c.email, &c.phone]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if !reach.is_empty() {
            s.push_str(&format!(" — {}", reach.join(", ")));
        }
        row("contact", s);
    }
    row(
        "received",
        format!("{} by {}, origin {}", r.received, r.channel, r.origin),
    );
    if let Some(owner) = &r.owner {
        row("owner", owner.clone());
    }
    match r.first_response {
        Some(f) => row("first response", f.to_string()),
        None => {
            let due = config.map(|c| c.response_sla_hours).and_then(|h| {
                r.received
                    .local
                    .checked_add_signed(chrono::Duration::hours(i64::from(h)))
            });
            let due = due
                .map(|d| format!(" (due by {})", d.format("%Y-%m-%d %H:%M")))
                .unwrap_or_default();
            row("first response", format!("not yet{due}"));
        }
    }
    if let Some(need) = &r.need {
        row("need", need.summary.clone());
        let mut details = Vec::new();
        if let Some(n) = need.participants {
            details.push(format!("{n} participants"));
        }
        if let Some(l) = &need.language {
            details.push(format!("in {l}"));
        }
        if let Some(l) = &need.location {
            details.push(format!("at {l}"));
        }
        if !need.wished_dates.is_empty() {
            details.push(format!(
                "wished dates {}",
                need.wished_dates
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !details.is_empty() {
            row("", details.join(", "));
        }
    }
    if let Some(q) = &r.quote {
        let mut head = q.number.clone().unwrap_or_else(|| "not numbered".into());
        if let Some(sent) = q.sent {
            head.push_str(&format!(", sent {sent}"));
        }
        if let Some(v) = q.valid_until {
            head.push_str(&format!(", valid until {v}"));
        }
        row("quote", head);
        let mut total = Money::ZERO;
        for line in &q.lines {
            let offer = line
                .offer
                .as_deref()
                .and_then(|o| config.and_then(|c| c.offer(o)));
            let price = line.unit_price.or(offer.map(|o| o.unit_price));
            let label = match (&line.offer, &line.label, offer) {
                (_, Some(l), _) => l.clone(),
                (Some(o), None, Some(offer)) => {
                    let text = config
                        .and_then(|c| c.languages.first())
                        .and_then(|l| offer.label.get(l))
                        .or_else(|| offer.label.values().next());
                    match text {
                        Some(t) => format!("{t} [{o}]"),
                        None => o.clone(),
                    }
                }
                (Some(o), None, None) => o.clone(),
                (None, None, _) => String::new(),
            };
            let amount = price.map(|p| p.times(line.quantity.0));
            if let Some(a) = amount {
                total += a;
            }
            row(
                "",
                format!(
                    "{} × {label} at {} = {}",
                    line.quantity,
                    price.map_or_else(|| "?".into(), |p| p.to_string()),
                    amount.map_or_else(|| "?".into(), |a| a.round().to_string())
                ),
            );
        }
        let currency = config.map_or("EUR", |c| c.currency.as_str());
        row("", format!("total {} {currency} excl. VAT", total.round()));
    }
    if let Some(d) = &r.decision {
        let reason = d
            .reason
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        row("decision", format!("{}{reason}", d.date));
    }
    if let Some(c) = &r.coordinator {
        row("coordinator", c.clone());
    }
    if let Some(f) = &r.facilitator {
        row("facilitator", f.clone());
    }
    let missions: Vec<&str> = ws
        .missions
        .iter()
        .filter(|m| m.request == r.id)
        .map(|m| m.id.as_str())
        .collect();
    if !missions.is_empty() {
        row("mission", missions.join(", "));
    }
    let declarations: Vec<&str> = ws
        .declarations
        .iter()
        .filter(|d| d.request == r.id)
        .map(|d| d.id.as_str())
        .collect();
    if !declarations.is_empty() {
        row("declarations", declarations.join(", "));
    }
    if let Some(n) = &r.notes {
        row("notes", n.clone());
    }
    let next = request_next(r.state, r.track);
    if next.is_empty() {
        out.push_str(&format!("\nnext: none, `{}` is final\n", r.state));
    } else {
        out.push_str("\nnext:\n");
        for s in next {
            out.push_str(&format!(
                "  {:<10} {}\n  {:<10} needs {}\n",
                s.as_str(),
                command_for(r, *s),
                "",
                needs_for(r, *s)
            ));
        }
    }
    out
}
