//! `fresk mission new`: open the mission of a won subcontracting request, its order copied from
//! the accepted quote; the request becomes `assigned` to the mission's coordinator.

use super::{below_level, need_role};
use crate::commands::Error;
use crate::commands::common::{
    Cx, date_or_today, edit_error, find, find_person, required, schema_header,
};
use crate::commands::mutate::Plan;
use crate::model::{Config, Date, Kind, Organisation, Person, Request, RequestState, Role, Track};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write as _;

pub(super) fn new(
    cx: &mut Cx,
    request: Option<String>,
    coordinator: Option<String>,
    date: Option<String>,
) -> Result<u8, Error> {
    let config = cx.config()?;
    let request_id = required(
        request,
        "--request",
        "Request to open the mission for (e.g. R2026-0042)",
    )?;
    let request = find(&cx.ws.requests, &request_id, "request", |r| &r.id)?;
    let coordinator_id = required(
        coordinator,
        "--coordinator",
        "Coordinator of the mission (person id)",
    )?;
    check_request(request, &coordinator_id)?;
    let id = mission_id(cx, request)?;
    let dir = format!("missions/{id}");
    let person = find_person(cx, &coordinator_id)?;
    need_role(person, Role::Coordinator, "a mission's coordinator")?;
    let org = find(
        &cx.ws.organisations,
        &request.organisation,
        "organisation",
        |o| &o.id,
    )?;
    check_level(config, person, org)?;
    let order = order_yaml(config, request)?;
    let opened = opening_date(cx, request, date.as_deref())?;

    let rel = format!("{dir}/mission.yaml");
    let mut text = schema_header(Kind::Mission, &rel);
    let _ = write!(
        text,
        "id: {id}\nstate: open\nrequest: {}\norganisation: {}\nsector: {}\ncoordinator: {}\nopened: {opened}\norder:\n{order}closed: ~\n",
        scalar(&request.id),
        scalar(&org.id),
        org.sector.as_str(),
        scalar(&person.id),
    );
    let mut plan = Plan::new(format!(
        "mission {id} opened for request {} ({}), coordinated by {}",
        request.id, org.id, person.id
    ));
    plan.write(rel, text);
    if request.state != RequestState::Assigned {
        let mut doc = Document::new(cx.read(&request.file)?);
        let err = edit_error(&request.file);
        doc.set(&Route::parse("state"), "assigned").map_err(&err)?;
        doc.set(&Route::parse("coordinator"), &scalar(&person.id))
            .map_err(&err)?;
        plan.write(request.file.clone(), doc.into_text());
        plan.summary
            .push_str(&format!("; request {} is now assigned", request.id));
    }
    cx.apply(&plan)
}

/// Only a subcontracting request, published (or assigned to this coordinator), gets a mission.
fn check_request(request: &Loaded<Request>, coordinator: &str) -> Result<(), Error> {
    if request.track != Track::Subcontracting {
        return Err(Error::refused(format!(
            "request {} is on the `{}` track: the facilitator contracts with the client directly, so there is no mission; only subcontracting requests get one",
            request.id, request.track
        )));
    }
    let why = match request.state {
        RequestState::Published
            if (request.applications.is_empty() && request.apply_until.is_none())
                || request.may_take_without_reason(coordinator) =>
        {
            return Ok(());
        }
        RequestState::Published => format!(
            "request {} took applications and `{coordinator}` is not among them; assign it first (fresk request assign {} --coordinator {coordinator} --without-application \"REASON\"), or choose an applicant",
            request.id, request.id
        ),
        RequestState::Won => format!(
            "request {} is `won` but not yet published to coordinators (won → published → assigned); publish it first (fresk request publish {}), then open the mission",
            request.id, request.id
        ),
        RequestState::Assigned => match request.coordinator.as_deref() {
            Some(c) if c == coordinator => return Ok(()),
            Some(c) => format!(
                "request {} is already assigned to coordinator `{c}`; open its mission with --coordinator {c}",
                request.id
            ),
            None => format!(
                "request {} is `assigned` but names no coordinator; add `coordinator:` to {} first",
                request.id, request.file
            ),
        },
        RequestState::Received | RequestState::Qualified => format!(
            "request {} is `{}`: a mission is opened once the client has accepted the quote; quote it (fresk request quote {}) and record the decision (fresk request win {}) first",
            request.id, request.state, request.id, request.id
        ),
        RequestState::Quoted => format!(
            "request {} is `quoted`: the client has not accepted the quote yet; record the decision first (fresk request win {})",
            request.id, request.id
        ),
        RequestState::Lost | RequestState::Expired => format!(
            "request {} is `{}`: it closed without work, so no mission can be opened",
            request.id, request.state
        ),
    };
    Err(Error::refused(why))
}

/// The mission's id: the request's number (`R2026-0042` → `M2026-0042`), if not taken.
fn mission_id(cx: &Cx, request: &Request) -> Result<String, Error> {
    let Some(number) = request.id.strip_prefix('R') else {
        return Err(Error::refused(format!(
            "request id `{}` does not have the form R<year>-<seq>, so the mission id cannot be derived from it",
            request.id
        )));
    };
    let id = format!("M{number}");
    let dir = format!("missions/{id}");
    let taken = cx.ws.missions.iter().any(|m| m.id == id)
        || cx
            .ws
            .ids
            .get(&Kind::Mission)
            .is_some_and(|ids| ids.contains_key(&id))
        || cx.root.join(&dir).exists();
    if taken {
        return Err(Error::refused(format!(
            "mission {id} already exists ({dir}/); see it with `fresk mission show {id}`"
        )));
    }
    Ok(id)
}

/// The coordinator has the level the client's sector requires (requirements: in fresk.yaml).
fn check_level(config: &Config, person: &Person, org: &Organisation) -> Result<(), Error> {
    if let Some(needed) = config
        .requirements
        .get(&org.sector)
        .and_then(|r| r.coordinate.as_deref())
        && let Some(why) = below_level(config, person, needed)
    {
        return Err(Error::refused(format!(
            "{why}, but coordinating a {sector} mission requires `{needed}` or higher (requirements.{sector}.coordinate in fresk.yaml); choose another coordinator",
            sector = org.sector.as_str()
        )));
    }
    Ok(())
}

/// The `order:` lines, copied from the accepted quote (whole units, the price made explicit).
fn order_yaml(config: &Config, request: &Loaded<Request>) -> Result<String, Error> {
    let quote = request
        .quote
        .as_ref()
        .filter(|q| !q.lines.is_empty())
        .ok_or_else(|| {
            Error::refused(format!(
                "request {} has no quote lines to copy into the order; record the accepted quote in {} first",
                request.id, request.file
            ))
        })?;
    let mut order = String::new();
    for (i, line) in quote.lines.iter().enumerate() {
        let n = i + 1;
        let q = line.quantity.0.normalize();
        let quantity = (q.scale() == 0 && !q.is_sign_negative())
            .then(|| q.to_u32())
            .flatten();
        let Some(quantity) = quantity else {
            return Err(Error::refused(format!(
                "quote line {n} of {} has quantity {}; an order counts whole units: fix the quote first",
                request.id, line.quantity
            )));
        };
        let mut fields = Vec::new();
        let price = match (&line.offer, &line.label) {
            (Some(offer), _) => {
                let catalogue = config.offer(offer).ok_or_else(|| {
                    Error::refused(format!(
                        "quote line {n} of {} names offer `{offer}`, which is not in the catalogue of fresk.yaml; fix the quote or the catalogue first",
                        request.id
                    ))
                })?;
                fields.push(format!("offer: {}", scalar(offer)));
                line.unit_price.unwrap_or(catalogue.unit_price)
            }
            (None, Some(_)) => line.unit_price.ok_or_else(|| {
                Error::refused(format!(
                    "free quote line {n} of {} has no unit_price; fix the quote first",
                    request.id
                ))
            })?,
            (None, None) => {
                return Err(Error::refused(format!(
                    "quote line {n} of {} has neither an offer nor a label; fix the quote first",
                    request.id
                )));
            }
        };
        if let Some(label) = &line.label {
            fields.push(format!("label: {}", scalar(label)));
        }
        fields.push(format!("quantity: {quantity}"));
        fields.push(format!("unit_price: {}", price.to_yaml()));
        let _ = writeln!(order, "  - {{ {} }}", fields.join(", "));
    }
    Ok(order)
}

/// `--date` (default today): not before the client's decision, not in the future.
fn opening_date(cx: &Cx, request: &Request, date: Option<&str>) -> Result<Date, Error> {
    let opened = date_or_today(cx, date, "--date")?;
    if let Some(decided) = request.decision.as_ref().map(|d| d.date)
        && opened < decided
    {
        return Err(Error::refused(format!(
            "--date {opened} is before the client's decision on {decided} (request {}); a mission opens once the quote is accepted",
            request.id
        )));
    }
    if opened > cx.today() {
        return Err(Error::refused(format!(
            "--date {opened} is in the future (today is {}); open the mission on the day it starts",
            cx.today()
        )));
    }
    Ok(opened)
}
