//! Reference rules: every id a file names must exist, in the right kind of file.

use crate::diagnostics::{At, Finding};
use crate::model::Kind;
use crate::rules::{self, Context, Rule};
use crate::workspace::{Workspace, is_private_path};

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    for d in &ws.duplicates {
        out.push(Finding::new(
            &rules::DUPLICATE_ID,
            &d.file,
            At::value("id"),
            format!(
                "id `{}` is already used by {}; ids are unique per kind, give this one another id",
                d.id, d.first
            ),
        ));
    }
    let mut r = Refs { ws, out };
    if let Some(config) = cx.config {
        let file = ws.config.as_ref().map_or("fresk.yaml", |c| c.file.as_str());
        if config.timezone.parse::<chrono_tz::Tz>().is_err() {
            let hint = crate::diagnostics::did_you_mean(
                &config.timezone,
                chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()),
            )
            .map(|m| format!("did you mean `{m}`?"))
            .unwrap_or_else(|| "use an IANA name such as `Europe/Paris`".into());
            r.out.push(Finding::new(
                &rules::BAD_ENUM,
                file,
                At::value("timezone"),
                format!("unknown time zone `{}`; {hint}", config.timezone),
            ));
        }
        for (i, staff) in config.staff.iter().enumerate() {
            r.person(file, format_args!("staff[{i}]"), staff);
        }
        for (sector, req) in &config.requirements {
            for (what, level) in [
                ("coordinate", &req.coordinate),
                ("facilitate", &req.facilitate),
            ] {
                if let Some(level) = level {
                    level_known(
                        cx,
                        file,
                        format_args!("requirements.{}.{what}", sector.as_str()),
                        level,
                        r.out,
                    );
                }
            }
        }
    }
    for p in &ws.people {
        if let Some(level) = &p.level {
            level_known(cx, &p.file, "level", level, r.out);
        }
    }
    for q in &ws.requests {
        r.organisation(&q.file, "organisation", &q.organisation);
        r.opt_person(&q.file, "owner", q.owner.as_deref());
        r.opt_person(&q.file, "coordinator", q.coordinator.as_deref());
        r.opt_person(&q.file, "facilitator", q.facilitator.as_deref());
        if let Some(quote) = &q.quote {
            for (i, line) in quote.lines.iter().enumerate() {
                offer(
                    cx,
                    &q.file,
                    format_args!("quote.lines[{i}].offer"),
                    line.offer.as_deref(),
                    r.out,
                );
            }
        }
    }
    for m in &ws.missions {
        r.known(
            &m.file,
            "request",
            Kind::Request,
            &m.request,
            &rules::UNKNOWN_REQUEST,
            "requests/<year>/",
        );
        r.organisation(&m.file, "organisation", &m.organisation);
        r.person(&m.file, "coordinator", &m.coordinator);
        for (i, line) in m.order.iter().enumerate() {
            offer(
                cx,
                &m.file,
                format_args!("order[{i}].offer"),
                line.offer.as_deref(),
                r.out,
            );
        }
    }
    for s in &ws.sessions {
        r.known(
            &s.file,
            "mission",
            Kind::Mission,
            &s.mission,
            &rules::UNKNOWN_MISSION,
            "missions/",
        );
        offer(cx, &s.file, "offer", Some(&s.offer), r.out);
        for (i, b) in s.facilitators.iter().enumerate() {
            r.person(&s.file, format_args!("facilitators[{i}].person"), &b.person);
        }
        if let Some(roster) = &s.participants.roster
            && !is_private_path(roster)
        {
            r.out.push(Finding::new(
                &rules::BAD_PATH,
                &s.file,
                At::value("participants.roster"),
                format!("roster `{roster}` must be a relative path under private/ (e.g. private/rosters/{}.yaml): participant names never go in tracked files", s.id),
            ));
        }
    }
    for p in &ws.payouts {
        r.known(
            &p.file,
            "mission",
            Kind::Mission,
            &p.mission,
            &rules::UNKNOWN_MISSION,
            "missions/",
        );
        r.person(&p.file, "requested_by", &p.requested_by);
        for (i, line) in p.lines.iter().enumerate() {
            r.person(&p.file, format_args!("lines[{i}].person"), &line.person);
            if let Some(session) = &line.session {
                match cx.sessions.get(session.as_str()) {
                    Some(s) if s.mission != p.mission => r.out.push(Finding::new(
                        &rules::UNKNOWN_SESSION,
                        &p.file,
                        At::value(&format!("lines[{i}].session")),
                        format!("session `{session}` belongs to mission `{}`, not to this payout's mission `{}`", s.mission, p.mission),
                    )),
                    Some(_) => {}
                    None if ws.has_id(Kind::Session, session) => {}
                    None => r.out.push(Finding::new(
                        &rules::UNKNOWN_SESSION,
                        &p.file,
                        At::value(&format!("lines[{i}].session")),
                        format!("no session `{session}`; expected a file missions/{}/sessions/{session}.yaml", p.mission),
                    )),
                }
            }
        }
        for (i, si) in p.self_invoices.iter().enumerate() {
            r.person(
                &p.file,
                format_args!("self_invoices[{i}].person"),
                &si.person,
            );
        }
    }
    for inv in &ws.invoices {
        r.organisation(&inv.file, "organisation", &inv.organisation);
        if let Some(m) = &inv.mission {
            r.known(
                &inv.file,
                "mission",
                Kind::Mission,
                m,
                &rules::UNKNOWN_MISSION,
                "missions/",
            );
        }
        for (i, line) in inv.lines.iter().enumerate() {
            offer(
                cx,
                &inv.file,
                format_args!("lines[{i}].offer"),
                line.offer.as_deref(),
                r.out,
            );
        }
        if let Some(corrected) = &inv.corrects
            && !ws.has_id(Kind::Invoice, corrected)
        {
            r.out.push(Finding::new(
                &rules::UNKNOWN_INVOICE,
                &inv.file,
                At::value("corrects"),
                format!("this credit note corrects `{corrected}`, but there is no invoice with that number in invoices/"),
            ));
        }
    }
    for d in &ws.declarations {
        r.known(
            &d.file,
            "request",
            Kind::Request,
            &d.request,
            &rules::UNKNOWN_REQUEST,
            "requests/<year>/",
        );
        r.person(&d.file, "person", &d.person);
    }
}

struct Refs<'a, 'o> {
    ws: &'a Workspace,
    out: &'o mut Vec<Finding>,
}

impl Refs<'_, '_> {
    fn known(
        &mut self,
        file: &str,
        route: impl std::fmt::Display,
        kind: Kind,
        id: &str,
        rule: &'static Rule,
        place: &str,
    ) {
        if !self.ws.has_id(kind, id) {
            let hint = self
                .ws
                .ids
                .get(&kind)
                .and_then(|ids| {
                    // In a fixed order, so that a tie between close ids is always broken alike.
                    let mut known: Vec<&str> = ids.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    crate::diagnostics::did_you_mean(id, known)
                })
                .map(|m| format!("; did you mean `{m}`?"))
                .unwrap_or_else(|| format!("; create it under {place} or fix the id"));
            self.out.push(Finding::new(
                rule,
                file,
                At::value(&route.to_string()),
                format!("no {} `{id}`{hint}", kind.name()),
            ));
        }
    }

    fn person(&mut self, file: &str, route: impl std::fmt::Display, id: &str) {
        self.known(
            file,
            route,
            Kind::Person,
            id,
            &rules::UNKNOWN_PERSON,
            "people/",
        );
    }

    fn opt_person(&mut self, file: &str, route: impl std::fmt::Display, id: Option<&str>) {
        if let Some(id) = id {
            self.person(file, route, id);
        }
    }

    fn organisation(&mut self, file: &str, route: impl std::fmt::Display, id: &str) {
        self.known(
            file,
            route,
            Kind::Organisation,
            id,
            &rules::UNKNOWN_ORGANISATION,
            "organisations/",
        );
    }
}

fn offer(
    cx: &Context,
    file: &str,
    route: impl std::fmt::Display,
    id: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let (Some(config), Some(id)) = (cx.config, id) else {
        return;
    };
    if config.offer(id).is_none() {
        let hint =
            crate::diagnostics::did_you_mean(id, config.catalogue.iter().map(|o| o.id.as_str()))
                .map(|m| format!("did you mean `{m}`?"))
                .unwrap_or_else(|| {
                    "add it to `catalogue` in fresk.yaml or use one of its ids".into()
                });
        out.push(Finding::new(
            &rules::UNKNOWN_OFFER,
            file,
            At::value(&route.to_string()),
            format!("no offer `{id}` in the catalogue; {hint}"),
        ));
    }
}

fn level_known(
    cx: &Context,
    file: &str,
    route: impl std::fmt::Display,
    level: &str,
    out: &mut Vec<Finding>,
) {
    let Some(config) = cx.config else { return };
    if config.level_rank(level).is_none() {
        let known = if config.levels.is_empty() {
            "fresk.yaml defines no `levels`; add them (lowest first) or remove this".to_string()
        } else {
            format!("known levels: {}", config.levels.join(", "))
        };
        out.push(Finding::new(
            &rules::UNKNOWN_LEVEL,
            file,
            At::value(&route.to_string()),
            format!("unknown level `{level}`; {known}"),
        ));
    }
}
