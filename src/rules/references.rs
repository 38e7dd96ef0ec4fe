//! Reference rules: every id a file names must exist, in the right kind of file.

use crate::diagnostics::{At, Finding};
use crate::model::{Config, Invoice, Kind, Mission, Payout, Request, Session};
use crate::rules::{Context, Rule};
use crate::workspace::{Loaded, Workspace, is_private_path};

use crate::diagnostics::declare_rules;

declare_rules! {
    /// a person id with no file in people/
    ///
    /// People are named by their id wherever they act: staff in fresk.yaml, a request's
    /// `owner`, `coordinator` and `facilitator`, a mission's `coordinator`, a session's
    /// facilitators, a payout's `requested_by`, lines and self-invoices, a declaration's
    /// `person`. An id with no `people/<id>.yaml` is a typo or someone not recorded yet: their
    /// roles, level and billing details cannot be checked, and documents cannot print them. The
    /// message suggests the closest known id; otherwise add the person's file.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/mission.yaml
    /// id: M2026-0005
    /// coordinator: ines-morreau
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/mission.yaml
    /// id: M2026-0005
    /// coordinator: ines-moreau
    /// ```
    UNKNOWN_PERSON = "unknown-person", References, Error;
    /// an organisation id with no file in organisations/
    ///
    /// Requests, missions and invoices name their client by id. Without
    /// `organisations/<id>.yaml` the client's name, address and SIREN — which quotes and
    /// invoices print — are unknown. Fix the id (the message suggests the closest) or add the
    /// organisation's file.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0007.yaml
    /// id: R2026-0007
    /// organisation: biscuiterie-lafon
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0007.yaml
    /// id: R2026-0007
    /// organisation: biscuiterie-lafont
    /// ```
    UNKNOWN_ORGANISATION = "unknown-organisation", References, Error;
    /// a request id with no file in requests/
    ///
    /// A mission is opened from a won request, and a usage-rights declaration reports revenue
    /// made with the client of a request; both name it in `request:`. Without
    /// `requests/<year>/<id>.yaml` the quote the order must match, and the client introduced,
    /// are unknown. Fix the id or restore the request.
    ///
    /// Bad:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml
    /// id: U2026-0002
    /// request: R2026-004
    /// person: lucas-bernard
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # declarations/2026/U2026-0002.yaml
    /// id: U2026-0002
    /// request: R2026-0004
    /// person: lucas-bernard
    /// ```
    UNKNOWN_REQUEST = "unknown-request", References, Error;
    /// a mission id with no folder in missions/
    ///
    /// Sessions, payouts and invoices belong to a mission and name it in `mission:`. Without
    /// `missions/<id>/mission.yaml` their coordinator, order and state are unknown, so who may
    /// change them and what may be paid or billed cannot be checked. Fix the id or restore the
    /// mission.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0006.yaml
    /// id: P2026-06-M2026-0006
    /// mission: M2026-006
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0006.yaml
    /// id: P2026-06-M2026-0006
    /// mission: M2026-0006
    /// ```
    UNKNOWN_MISSION = "unknown-mission", References, Error;
    /// a session id with no file in the mission's sessions/
    ///
    /// A payout line pays a session: its `session:` must name a file of the payout's own
    /// mission, `missions/<mission>/sessions/<session>.yaml`. A session that does not exist, or
    /// that belongs to another mission, cannot be checked as held, and would be paid under the
    /// wrong mission. Fix the id, or request the line in the right mission's payout.
    ///
    /// Bad:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml
    /// id: P2026-06-M2026-0005
    /// mission: M2026-0005
    /// lines:
    ///   - { session: M2026-0006-S03, person: thomas-girard, role: lead, amount: 500 }
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # payouts/2026/P2026-06-M2026-0005.yaml
    /// id: P2026-06-M2026-0005
    /// mission: M2026-0005
    /// lines:
    ///   - { session: M2026-0005-S06, person: thomas-girard, role: lead, amount: 500 }
    /// ```
    UNKNOWN_SESSION = "unknown-session", References, Error;
    /// an offer id that is not in the catalogue of fresk.yaml
    ///
    /// Quote lines, order lines, invoice lines and sessions name what is sold by its `id` in
    /// `catalogue` (fresk.yaml). The catalogue gives the label documents print, the price and
    /// the kind of offer the rate card pays by; an unknown offer has none of these. Use one of
    /// the catalogue's ids (the message suggests the closest), or add the offer to the
    /// catalogue.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// id: M2026-0005-S07
    /// mission: M2026-0005
    /// offer: workshop-on-site
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S07.yaml
    /// id: M2026-0005-S07
    /// mission: M2026-0005
    /// offer: workshop-onsite
    /// ```
    UNKNOWN_OFFER = "unknown-offer", References, Error;
    /// a qualification level that is not in `levels` of fresk.yaml
    ///
    /// `levels` in fresk.yaml lists the qualification levels, lowest first; a person's `level`
    /// and the levels `requirements` asks for each sector must be among them, or who may
    /// coordinate and facilitate cannot be told (`level-too-low`). Use a listed level, or add it
    /// to `levels` in its place in the order.
    ///
    /// Bad:
    /// ```yaml
    /// # people/thomas-girard.yaml
    /// id: thomas-girard
    /// name: Thomas Girard
    /// roles: [facilitator]
    /// level: purple
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # people/thomas-girard.yaml
    /// id: thomas-girard
    /// name: Thomas Girard
    /// roles: [facilitator]
    /// level: blue
    /// ```
    UNKNOWN_LEVEL = "unknown-level", References, Error;
    /// a request's `group` that is not in `groups` of fresk.yaml
    ///
    /// A request may name the internal group that carries it (`group:`), one of the `groups`
    /// of fresk.yaml — a third place's *pôles*, a network's local groups — so that reports and
    /// the opportunities say who carries what. An id that is not in the list is a typo or a
    /// group not declared yet: fix it (the message suggests the closest) or add the group.
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml (groups: [{ id: pole-entreprises }])
    /// group: pole-entreprise
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0009.yaml
    /// group: pole-entreprises
    /// ```
    UNKNOWN_GROUP = "unknown-group", References, Error;
    /// a credit note correcting an invoice number that does not exist
    ///
    /// A credit note cancels all or part of one issued invoice, and must print that invoice's
    /// number: its `corrects:` names a file in invoices/. A number with no such file is a typo,
    /// or an invoice that was never recorded. Write the number of the invoice it corrects.
    ///
    /// Bad:
    /// ```yaml
    /// # invoices/2026/AV2026-0001.yaml
    /// id: AV2026-0001
    /// kind: credit-note
    /// corrects: F2026-001
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # invoices/2026/AV2026-0001.yaml
    /// id: AV2026-0001
    /// kind: credit-note
    /// corrects: F2026-0001
    /// ```
    UNKNOWN_INVOICE = "unknown-invoice", References, Error;
    /// two files of the same kind share an id
    ///
    /// Ids name files: two people, requests or sessions with one id make every reference to it
    /// ambiguous — usually a file copied as a template and not renamed inside. Files are read in
    /// a fixed order (fresk.yaml, then each folder with names sorted); the first file with an id
    /// keeps it, and each later one is reported, with the first as a related location. Give the
    /// later file its own id (and file name).
    ///
    /// Bad:
    /// ```yaml
    /// # requests/2026/R2026-0008.yaml, copied from R2026-0007.yaml
    /// id: R2026-0007
    /// state: received
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # requests/2026/R2026-0008.yaml
    /// id: R2026-0008
    /// state: received
    /// ```
    DUPLICATE_ID = "duplicate-id", References, Error;
    /// a path that leaves the workspace or points outside private/
    ///
    /// A session's `participants.roster` names the file with the participants' names. Those
    /// names are personal data: the roster lives under private/, which git ignores, and the
    /// path is relative to the workspace. A path anywhere else — a tracked folder, `../`, an
    /// absolute path — would put the names in the repository or read them from outside it.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S01.yaml
    /// participants:
    ///   attended: 30
    ///   roster: rosters/M2026-0005-S01.yaml
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S01.yaml
    /// participants:
    ///   attended: 30
    ///   roster: private/rosters/M2026-0005-S01.yaml
    /// ```
    BAD_PATH = "bad-path", References, Error;
}

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
            &UNKNOWN_REQUEST,
            "requests/<year>/",
        );
        r.person(&d.file, "person", &d.person);
    }
    for f in &ws.interactions {
        r.interactions(f);
    }
    for c in &ws.complaints {
        r.complaint(c);
    }
    super::origins::check(ws, cx, out);
}

struct Refs<'a, 'o> {
    ws: &'a Workspace,
    cx: &'a Context<'a>,
    out: &'o mut Vec<Finding>,
}

/// The ids each kind of file names.
impl Refs<'_, '_> {
    fn interactions(&mut self, f: &Loaded<crate::model::Interactions>) {
        self.organisation(&f.file, "organisation", &f.organisation);
        for (i, e) in f.entries.iter().enumerate() {
            self.opt_person(
                &f.file,
                format_args!("entries[{i}].owner"),
                e.owner.as_deref(),
            );
            if let Some(c) = &e.callback {
                self.opt_person(
                    &f.file,
                    format_args!("entries[{i}].callback.owner"),
                    c.owner.as_deref(),
                );
            }
        }
    }

    fn complaint(&mut self, c: &Loaded<crate::model::Complaint>) {
        self.organisation(&c.file, "organisation", &c.organisation);
        self.opt_person(&c.file, "owner", c.owner.as_deref());
        if let Some(mission) = &c.mission {
            self.known(
                &c.file,
                "mission",
                Kind::Mission,
                mission,
                &UNKNOWN_MISSION,
                "missions/",
            );
            if let Some(session) = &c.session {
                match self.cx.sessions.get(session.as_str()) {
                    Some(s) if s.mission == *mission => {}
                    None if self.ws.has_id(Kind::Session, session) => {}
                    _ => self.out.push(Finding::new(
                        &UNKNOWN_SESSION,
                        &c.file,
                        At::value("session"),
                        format!("no session `{session}` in mission `{mission}`; expected a file missions/{mission}/sessions/{session}.yaml"),
                    )),
                }
            }
        }
    }

    fn duplicates(&mut self) {
        for d in &self.ws.duplicates {
            let finding = Finding::new(
                &DUPLICATE_ID,
                &d.file,
                At::value("id"),
                format!(
                    "id `{}` is already used by {}; ids are unique per kind, give this one another id",
                    d.id, d.first
                ),
            );
            let first = format!("the first file with id `{}`", d.id);
            self.out
                .push(finding.related(&d.first, At::value("id"), first));
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
                &crate::document::BAD_ENUM,
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
        if let (Some(config), Some(group)) = (self.cx.config, q.group.as_deref())
            && !config.groups.iter().any(|g| g.id == group)
        {
            let hint = crate::diagnostics::did_you_mean(
                group,
                config.groups.iter().map(|g| g.id.as_str()),
            )
            .map(|m| format!("did you mean `{m}`?"))
            .unwrap_or_else(|| "add it to `groups` in fresk.yaml or use one of its ids".into());
            self.out.push(Finding::new(
                &UNKNOWN_GROUP,
                &q.file,
                At::value("group"),
                format!("no group `{group}` in fresk.yaml; {hint}"),
            ));
        }
        for (i, a) in q.applications.iter().enumerate() {
            self.person(&q.file, format_args!("applications[{i}].person"), &a.person);
        }
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
            &UNKNOWN_REQUEST,
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
            &UNKNOWN_MISSION,
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
                &BAD_PATH,
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
            &UNKNOWN_MISSION,
            "missions/",
        );
        self.person(&p.file, "requested_by", &p.requested_by);
        for (i, line) in p.lines.iter().enumerate() {
            self.person(&p.file, format_args!("lines[{i}].person"), &line.person);
            if let Some(session) = &line.session {
                match self.cx.sessions.get(session.as_str()) {
                    Some(s) if s.mission != p.mission => self.out.push(Finding::new(
                        &UNKNOWN_SESSION,
                        &p.file,
                        At::value(&format!("lines[{i}].session")),
                        format!("session `{session}` belongs to mission `{}`, not to this payout's mission `{}`", s.mission, p.mission),
                    )),
                    Some(_) => {}
                    None if self.ws.has_id(Kind::Session, session) => {}
                    None => self.out.push(Finding::new(
                        &UNKNOWN_SESSION,
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
                &UNKNOWN_MISSION,
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
                &UNKNOWN_INVOICE,
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
                .unwrap_or_else(|| match kind {
                    Kind::Person => format!(
                        "; create it with `fresk person new {id} --name … --role …`, or fix the id"
                    ),
                    Kind::Organisation => format!(
                        "; create it with `fresk organisation new {id} --name … --sector …`, or fix the id"
                    ),
                    _ => format!("; create it under {place} or fix the id"),
                });
            self.out.push(Finding::new(
                rule,
                file,
                At::value(&route.to_string()),
                format!("no {} `{id}`{hint}", kind.name()),
            ));
        }
    }

    fn person(&mut self, file: &str, route: impl std::fmt::Display, id: &str) {
        self.known(file, route, Kind::Person, id, &UNKNOWN_PERSON, "people/");
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
            &UNKNOWN_ORGANISATION,
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
                &UNKNOWN_OFFER,
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
                &UNKNOWN_LEVEL,
                file,
                At::value(&route.to_string()),
                format!("unknown level `{level}`; {known}"),
            ));
        }
    }
}
