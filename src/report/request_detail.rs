//! One request in detail (`fresk request show`): what it holds, and what each state it may move
//! to needs, with the command that moves it there.

use crate::lifecycle::request_next;
use crate::model::Config;
use crate::model::common::Contact;
use crate::model::request::{Need, Quote, QuoteLine};
use crate::model::{Request, RequestState, Track};
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

/// One request in detail: labelled lines (an empty label continues the line above), then the
/// states it may move to.
#[derive(Debug, Clone)]
pub struct RequestDetail {
    pub lines: Vec<(&'static str, String)>,
    pub state: RequestState,
    pub next: Vec<NextStep>,
}

/// A state the request may move to: the command that moves it, and what that needs.
#[derive(Debug, Clone)]
pub struct NextStep {
    pub state: RequestState,
    pub command: String,
    pub needs: String,
}

/// Gather what request `r` holds, and where it may go next.
pub fn compute(ws: &Workspace, r: &Loaded<Request>) -> RequestDetail {
    let config = ws.config.as_ref().map(|c| &c.value);
    let mut lines = vec![
        ("request", format!("{} ({})", r.id, r.file)),
        ("state", r.state.to_string()),
        ("track", r.track.to_string()),
    ];
    let org_name = ws
        .organisations
        .iter()
        .find(|o| o.id == r.organisation)
        .map(|o| format!(" — {}", o.name))
        .unwrap_or_default();
    lines.push(("organisation", format!("{}{org_name}", r.organisation)));
    if let Some(c) = &r.contact {
        lines.push(("contact", contact(c)));
    }
    lines.push((
        "received",
        format!(
            "{} by {}, origin {}",
            r.received,
            r.channel,
            r.origin_refs().collect::<Vec<_>>().join(", ")
        ),
    ));
    if let Some(owner) = &r.owner {
        lines.push(("owner", owner.clone()));
    }
    lines.push(("first response", first_response(config, r)));
    if let Some(need) = &r.need {
        lines.push(("need", need.summary.clone()));
        let details = need_details(need);
        if !details.is_empty() {
            lines.push(("", details.join(", ")));
        }
    }
    if let Some(q) = &r.quote {
        quote_lines(config, q, &mut lines);
    }
    decision_and_people(r, &mut lines);
    links(ws, r, &mut lines);
    if let Some(n) = &r.notes {
        lines.push(("notes", n.clone()));
    }
    let next = request_next(r.state, r.track)
        .iter()
        .map(|s| NextStep {
            state: *s,
            command: command_for(r, *s),
            needs: needs_for(r, *s),
        })
        .collect();
    RequestDetail {
        lines,
        state: r.state,
        next,
    }
}

/// The details as text: a label column, then the next states.
pub fn render(d: &RequestDetail) -> String {
    let mut out = String::new();
    for (label, value) in &d.lines {
        out.push_str(&format!("{label:<15}{value}\n"));
    }
    if d.next.is_empty() {
        out.push_str(&format!("\nnext: none, `{}` is final\n", d.state));
    } else {
        out.push_str("\nnext:\n");
        for s in &d.next {
            out.push_str(&format!(
                "  {:<10} {}\n  {:<10} needs {}\n",
                s.state.as_str(),
                s.command,
                "",
                s.needs
            ));
        }
    }
    out
}

/// `name, role — email, phone`.
fn contact(c: &Contact) -> String {
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
    s
}

/// When the client was first answered, or by when they should be (response_sla_hours).
fn first_response(config: Option<&Config>, r: &Request) -> String {
    if let Some(f) = r.first_response {
        return f.to_string();
    }
    let due = config.map(|c| c.response_sla_hours).and_then(|h| {
        r.received
            .local
            .checked_add_signed(chrono::Duration::hours(i64::from(h)))
    });
    let due = due
        .map(|d| format!(" (due by {})", d.format("%Y-%m-%d %H:%M")))
        .unwrap_or_default();
    format!("not yet{due}")
}

/// Participants, language, place and wished dates of the need.
fn need_details(need: &Need) -> Vec<String> {
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
    details
}

/// The quote: its number and dates, a line per quote line, and the total excl. VAT.
fn quote_lines(config: Option<&Config>, q: &Quote, lines: &mut Vec<(&'static str, String)>) {
    let mut head = q.number.clone().unwrap_or_else(|| "not numbered".into());
    if let Some(sent) = q.sent {
        head.push_str(&format!(", sent {sent}"));
    }
    if let Some(v) = q.valid_until {
        head.push_str(&format!(", valid until {v}"));
    }
    lines.push(("quote", head));
    for line in &q.lines {
        let price = line.unit_price_in(config);
        let amount = line.amount_in(config);
        lines.push((
            "",
            format!(
                "{} × {} at {} = {}",
                line.quantity,
                quote_label(config, line),
                price.map_or_else(|| "?".into(), |p| p.to_string()),
                amount.map_or_else(|| "?".into(), |a| a.round().to_string())
            ),
        ));
    }
    let currency = config.map_or("EUR", |c| c.currency.as_str());
    lines.push((
        "",
        format!("total {} {currency} excl. VAT", q.total_in(config).round()),
    ));
}

/// A quote line's text: its label, else the offer's label in the first language `[offer]`.
fn quote_label(config: Option<&Config>, line: &QuoteLine) -> String {
    let offer = line
        .offer
        .as_deref()
        .and_then(|o| config.and_then(|c| c.offer(o)));
    match (&line.offer, &line.label, offer) {
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
    }
}

/// The client's decision and the person the request is assigned to.
fn decision_and_people(r: &Request, lines: &mut Vec<(&'static str, String)>) {
    if let Some(d) = &r.decision {
        let reason = d
            .reason
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        lines.push(("decision", format!("{}{reason}", d.date)));
    }
    if let Some(c) = &r.coordinator {
        lines.push(("coordinator", c.clone()));
    }
    if let Some(f) = &r.facilitator {
        lines.push(("facilitator", f.clone()));
    }
}

/// The missions and declarations made from the request.
fn links(ws: &Workspace, r: &Request, lines: &mut Vec<(&'static str, String)>) {
    let missions: Vec<&str> = ws
        .missions
        .iter()
        .filter(|m| m.request == r.id)
        .map(|m| m.id.as_str())
        .collect();
    if !missions.is_empty() {
        lines.push(("mission", missions.join(", ")));
    }
    let declarations: Vec<&str> = ws
        .declarations
        .iter()
        .filter(|d| d.request == r.id)
        .map(|d| d.id.as_str())
        .collect();
    if !declarations.is_empty() {
        lines.push(("declarations", declarations.join(", ")));
    }
}
