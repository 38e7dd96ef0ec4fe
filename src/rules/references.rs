//! Reference rules: every id a file names must exist, in the right kind of file.

use crate::diagnostics::{At, Finding};
use crate::model::{Config, Invoice, Kind, Mission, Payout, Request, Session};
use crate::rules::{self, Context, Rule};
use crate::workspace::{Loaded, Workspace, is_private_path};

pub fn check(ws: &Workspace, cx: &Context, out: &mut Vec<Finding>) {
    let mut r = Refs { ws, cx, out };
    r.duplicates();
    if let Some(config) = cx.config {
        r.config(config);
    }
    for p in &ws.people {
        if let Some(level) = &p.level {
            r.level_known(&p.file, "level", level);
        }
    }
    for q in &ws.requests {
        r.request(q);
    }
    for m in &ws.missions {
        r.mission(m);
    }
    for s in &ws.sessions {
        r.session(s);
    }
    for p in &ws.payouts {
        r.payout(p);
    }
    for inv in &ws.invoices {
        r.invoice(inv);
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
    cx: &'a Context<'a>,
    out: &'o mut Vec<Finding>,
}

/// The ids each kind of file names.
impl Refs<'_, '_> {
    fn duplicates(&mut self) {
        for d in &self.ws.duplicates {
            self.out.push(Finding::new(
                &rules::DUPLICATE_ID,
                &d.file,
                At::value("id"),
                format!(
                    "id `{}` is already used by {}; ids are unique per kind, give this one another id",
                    d.id, d.first
                ),
            ));
        }
    }

    fn config(&mut self, config: &Config) {
        let file = self
            .ws
            .config
            .as_ref()
            .map_or("fresk.yaml", |c| c.file.as_str());
        if config.timezone.parse::<chrono_tz::Tz>().is_err() {
            let hint = crate::diagnostics::did_you_mean(
                &config.timezone,
                chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()),
            )
            .map(|m| format!("did you mean `{m}`?"))
            .unwrap_or_else(|| "use an IANA name such as `Europe/Paris`".into());
            self.out.push(Finding::new(
                &rules::BAD_ENUM,
                file,
                At::value("timezone"),
                format!("unknown time zone `{}`; {hint}", config.timezone),
            ));
        }
        for (i, staff) in config.staff.iter().enumerate() {
            self.person(file, format_args!("staff[{i}]"), staff);
        }
        for (sector, req) in &config.requirements {
            for (what, level) in [
                ("coordinate", &req.coordinate),
                ("facilitate", &req.facilitate),
            ] {
                if let Some(level) = level {
                    self.level_known(
                        file,
                        format_args!("requirements.{}.{what}", sector.as_str()),
                        level,
                    );
                }
            }
        }
    }

    fn request(&mut self, q: &Loaded<Request>) {
        self.organisation(&q.file, "organisation", &q.organisation);
        self.opt_person(&q.file, "owner", q.owner.as_deref());
        self.opt_person(&q.file, "coordinator", q.coordinator.as_deref());
        self.opt_person(&q.file, "facilitator", q.facilitator.as_deref());
        if let Some(quote) = &q.quote {
            for (i, line) in quote.lines.iter().enumerate() {
                self.offer(
                    &q.file,
                    format_args!("quote.lines[{i}].offer"),
                    line.offer.as_deref(),
                );
            }
        }
    }

    fn mission(&mut self, m: &Loaded<Mission>) {
        self.known(
            &m.file,
            "request",
            Kind::Request,
            &m.request,
            &rules::UNKNOWN_REQUEST,
            "requests/<year>/",
        );
        self.organisation(&m.file, "organisation", &m.organisation);
        self.person(&m.file, "coordinator", &m.coordinator);
        for (i, line) in m.order.iter().enumerate() {
            self.offer(
                &m.file,
                format_args!("order[{i}].offer"),
                line.offer.as_deref(),
            );
        }
    }

    fn session(&mut self, s: &Loaded<Session>) {
        self.known(
            &s.file,
            "mission",
            Kind::Mission,
            &s.mission,
            &rules::UNKNOWN_MISSION,
            "missions/",
        );
        self.offer(&s.file, "offer", Some(&s.offer));
        for (i, b) in s.facilitators.iter().enumerate() {
            self.person(&s.file, format_args!("facilitators[{i}].person"), &b.person);
        }
        if let Some(roster) = &s.participants.roster
            && !is_private_path(roster)
        {
            self.out.push(Finding::new(
                &rules::BAD_PATH,
                &s.file,
                At::value("participants.roster"),
                format!("roster `{roster}` must be a relative path under private/ (e.g. private/rosters/{}.yaml): participant names never go in tracked files", s.id),
            ));
        }
    }

    fn payout(&mut self, p: &Loaded<Payout>) {
        self.known(
            &p.file,
            "mission",
            Kind::Mission,
            &p.mission,
            &rules::UNKNOWN_MISSION,
            "missions/",
        );
        self.person(&p.file, "requested_by", &p.requested_by);
        for (i, line) in p.lines.iter().enumerate() {
            self.person(&p.file, format_args!("lines[{i}].person"), &line.person);
            if let Some(session) = &line.session {
                match self.cx.sessions.get(session.as_str()) {
                    Some(s) if s.mission != p.mission => self.out.push(Finding::new(
                        &rules::UNKNOWN_SESSION,
                        &p.file,
                        At::value(&format!("lines[{i}].session")),
                        format!("session `{session}` belongs to mission `{}`, not to this payout's mission `{}`", s.mission, p.mission),
                    )),
                    Some(_) => {}
                    None if self.ws.has_id(Kind::Session, session) => {}
                    None => self.out.push(Finding::new(
                        &rules::UNKNOWN_SESSION,
                        &p.file,
                        At::value(&format!("lines[{i}].session")),
                        format!("no session `{session}`; expected a file missions/{}/sessions/{session}.yaml", p.mission),
                    )),
                }
            }
        }
        for (i, si) in p.self_invoices.iter().enumerate() {
            self.person(
                &p.file,
                format_args!("self_invoices[{i}].person"),
                &si.person,
            );
        }
    }

    fn invoice(&mut self, inv: &Loaded<Invoice>) {
        self.organisation(&inv.file, "organisation", &inv.organisation);
        if let Some(m) = &inv.mission {
            self.known(
                &inv.file,
                "mission",
                Kind::Mission,
                m,
                &rules::UNKNOWN_MISSION,
                "missions/",
            );
        }
        for (i, line) in inv.lines.iter().enumerate() {
            self.offer(
                &inv.file,
                format_args!("lines[{i}].offer"),
                line.offer.as_deref(),
            );
        }
        if let Some(corrected) = &inv.corrects
            && !self.ws.has_id(Kind::Invoice, corrected)
        {
            self.out.push(Finding::new(
                &rules::UNKNOWN_INVOICE,
                &inv.file,
                At::value("corrects"),
                format!("this credit note corrects `{corrected}`, but there is no invoice with that number in invoices/"),
            ));
        }
    }
}

/// Looking ids up, with a did-you-mean when one is close.
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

    fn offer(&mut self, file: &str, route: impl std::fmt::Display, id: Option<&str>) {
        let (Some(config), Some(id)) = (self.cx.config, id) else {
            return;
        };
        if config.offer(id).is_none() {
            let hint = crate::diagnostics::did_you_mean(
                id,
                config.catalogue.iter().map(|o| o.id.as_str()),
            )
            .map(|m| format!("did you mean `{m}`?"))
            .unwrap_or_else(|| "add it to `catalogue` in fresk.yaml or use one of its ids".into());
            self.out.push(Finding::new(
                &rules::UNKNOWN_OFFER,
                file,
                At::value(&route.to_string()),
                format!("no offer `{id}` in the catalogue; {hint}"),
            ));
        }
    }

    fn level_known(&mut self, file: &str, route: impl std::fmt::Display, level: &str) {
        let Some(config) = self.cx.config else { return };
        if config.level_rank(level).is_none() {
            let known = if config.levels.is_empty() {
                "fresk.yaml defines no `levels`; add them (lowest first) or remove this".to_string()
            } else {
                format!("known levels: {}", config.levels.join(", "))
            };
            self.out.push(Finding::new(
                &rules::UNKNOWN_LEVEL,
                file,
                At::value(&route.to_string()),
                format!("unknown level `{level}`; {known}"),
            ));
        }
    }
}
