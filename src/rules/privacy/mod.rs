//! Privacy rules: personal data (e-mail addresses, phone numbers, IBANs) in tracked files,
//! outside the fields meant for them.
//!
//! The typed records keep only known fields, so the free-text fields of each kind are listed
//! here explicitly and scanned with small hand-written scanners (no regex): a byte pass per
//! field, with a fast exit for text that has neither `@` nor a digit. YAML comments are not kept
//! by the loader and are not scanned.
//!
//! `private-exposed` looks at the folder rather than at the files: what must never be tracked —
//! rosters with participants' names, bank details, the certificates `fresk render` writes — lives
//! in `private/`, which must be a real folder of the workspace that git ignores
//! ([`private_folder`]; it depends on the disk and on git's ignore rules, not on the files'
//! contents, so it runs outside the rules' memo).

use crate::diagnostics::{At, Finding};
use crate::model::{
    Config, Declaration, Invoice, Label, Mission, Organisation, Payout, Person, Request, Session,
};
use crate::rules::Context;
use crate::workspace::{Loaded, Workspace};

mod folder;
mod personal_data;

pub use folder::{private_folder, private_folder_for_writing};
pub use personal_data::{DataKind, Hit, find_personal_data, iban_valid};

use crate::diagnostics::declare_rules;

declare_rules! {
    /// an e-mail, phone number or IBAN outside the fields meant for them
    ///
    /// Everything in the workspace is in git, for everyone with a clone and forever in the
    /// history. Contact details have their own fields — a person's `email` and `phone`, an
    /// organisation's `contacts`, a request's `contact`, the association's own — and bank
    /// details stay out of git, under private/. An e-mail address, a phone number (`+CC…`, or a
    /// French `0X` number) or a valid IBAN in a free-text field (names, addresses, labels,
    /// notes, reasons, locations…) is a finding. Move it to its field, or out of the
    /// repository; YAML comments are not scanned, but they are in git all the same.
    ///
    /// Bad:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S02.yaml
    /// notes: Call the deputy head, Mme Garnier, on 06 12 34 56 78 before arriving.
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # missions/M2026-0005/sessions/M2026-0005-S02.yaml
    /// notes: Call the deputy head before arriving (number in the request's contact).
    /// ```
    PERSONAL_DATA_TRACKED = "personal-data-tracked", Privacy, Error;
    /// private/ is a symbolic link, is not ignored by git, or has files git tracks
    ///
    /// Rosters with participants' names, bank details and the attendance certificates `fresk
    /// render certificate` writes live in the workspace's private/ folder, which must be a real
    /// folder that git ignores. A private/ that is a symbolic link (what is written there
    /// lands elsewhere), a file, not ignored by git, or holding files git already tracks
    /// (force-added) is a finding on `private`. Make it a folder, add `private/` to the
    /// workspace's .gitignore, and `git rm -r --cached private` what was committed.
    ///
    /// Bad:
    /// ```yaml
    /// # the workspace's .gitignore (not YAML: its lines are shown as comments)
    /// #   *.pdf
    /// ```
    ///
    /// Good:
    /// ```yaml
    /// # the workspace's .gitignore
    /// #   *.pdf
    /// #   private/
    /// ```
    PRIVATE_EXPOSED = "private-exposed", Privacy, Error;
}

pub fn check(ws: &Workspace, _cx: &Context, out: &mut Vec<Finding>) {
    if let Some(c) = &ws.config {
        config(c, out);
    }
    for p in &ws.people {
        person(p, out);
    }
    for o in &ws.organisations {
        organisation(o, out);
    }
    for r in &ws.requests {
        request(r, out);
    }
    for m in &ws.missions {
        mission(m, out);
    }
    for x in &ws.sessions {
        session(x, out);
    }
    for p in &ws.payouts {
        payout(p, out);
    }
    for inv in &ws.invoices {
        invoice(inv, out);
    }
    for d in &ws.declarations {
        declaration(d, out);
    }
    for f in &ws.interactions {
        let mut s = Scan::new(&f.file, Where::Other, out);
        for (i, e) in f.entries.iter().enumerate() {
            s.lazy(
                || format!("entries[{i}].summary"),
                e.summary.as_deref().unwrap_or(""),
            );
            s.lazy(
                || format!("entries[{i}].note"),
                e.note.as_deref().unwrap_or(""),
            );
            if let Some(c) = &e.callback {
                s.lazy(|| format!("entries[{i}].callback.reason"), &c.reason);
            }
        }
    }
    for c in &ws.complaints {
        let mut s = Scan::new(&c.file, Where::Other, out);
        s.text("summary", &c.summary);
        s.opt("action", c.action.as_deref());
        s.opt("notes", c.notes.as_deref());
    }
}

/// The free-text fields of each kind of file.
fn config(c: &Loaded<Config>, out: &mut Vec<Finding>) {
    let org = &c.organisation;
    let mut s = Scan::new(&c.file, Where::Config, out);
    s.text("organisation.name", &org.name);
    s.opt("organisation.legal_form", org.legal_form.as_deref());
    s.text("organisation.address", &org.address);
    s.opt("organisation.website", org.website.as_deref());
    s.opt("organisation.vat.mention", org.vat.mention.as_deref());
    s.opt("organisation.vat.number", org.vat.number.as_deref());
    for (i, offer) in c.catalogue.iter().enumerate() {
        s.label(|| format!("catalogue[{i}].label"), &offer.label);
    }
}

fn person(p: &Loaded<Person>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&p.file, Where::Person, out);
    s.text("name", &p.name);
    s.opt("notes", p.notes.as_deref());
    if let Some(b) = &p.billing {
        s.text("billing.legal_name", &b.legal_name);
        s.text("billing.address", &b.address);
        s.opt("billing.vat.mention", b.vat.mention.as_deref());
        s.opt("billing.vat.number", b.vat.number.as_deref());
    }
}

fn organisation(o: &Loaded<Organisation>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&o.file, Where::Organisation, out);
    s.text("name", &o.name);
    s.opt("address", o.address.as_deref());
    s.opt("vat_number", o.vat_number.as_deref());
    s.opt("notes", o.notes.as_deref());
    for (i, c) in o.contacts.iter().enumerate() {
        s.lazy(|| format!("contacts[{i}].name"), &c.name);
        if let Some(role) = &c.role {
            s.lazy(|| format!("contacts[{i}].role"), role);
        }
    }
}

fn request(r: &Loaded<Request>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&r.file, Where::Request, out);
    if let Some(c) = &r.contact {
        s.text("contact.name", &c.name);
        s.opt("contact.role", c.role.as_deref());
    }
    if let Some(n) = &r.need {
        s.text("need.summary", &n.summary);
        s.opt("need.location", n.location.as_deref());
    }
    if let Some(q) = &r.quote {
        for (i, l) in q.lines.iter().enumerate() {
            if let Some(label) = &l.label {
                s.lazy(|| format!("quote.lines[{i}].label"), label);
            }
            if let Some(why) = &l.override_reason {
                s.lazy(|| format!("quote.lines[{i}].override_reason"), why);
            }
        }
    }
    if let Some(d) = &r.decision {
        s.opt("decision.reason", d.reason.as_deref());
    }
    s.opt("notes", r.notes.as_deref());
}

fn mission(m: &Loaded<Mission>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&m.file, Where::Other, out);
    for (i, l) in m.order.iter().enumerate() {
        if let Some(label) = &l.label {
            s.lazy(|| format!("order[{i}].label"), label);
        }
    }
    s.opt("notes", m.notes.as_deref());
}

fn session(x: &Loaded<Session>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&x.file, Where::Session, out);
    s.opt("location", x.location.as_deref());
    s.opt("notes", x.notes.as_deref());
}

fn payout(p: &Loaded<Payout>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&p.file, Where::Other, out);
    for (i, l) in p.lines.iter().enumerate() {
        if let Some(why) = &l.override_reason {
            s.lazy(|| format!("lines[{i}].override_reason"), why);
        }
    }
    if let Some(paid) = &p.paid {
        s.opt("paid.reference", paid.reference.as_deref());
    }
    if let Some(r) = &p.rejection {
        s.text("rejection.reason", &r.reason);
    }
}

fn invoice(inv: &Loaded<Invoice>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&inv.file, Where::Other, out);
    s.opt("purchase_order", inv.purchase_order.as_deref());
    for (i, l) in inv.lines.iter().enumerate() {
        if let Some(label) = &l.label {
            s.lazy(|| format!("lines[{i}].label"), label);
        }
    }
    if let Some(paid) = &inv.paid {
        s.opt("paid.reference", paid.reference.as_deref());
    }
    s.opt("reason", inv.reason.as_deref());
    s.opt("notes", inv.notes.as_deref());
}

fn declaration(d: &Loaded<Declaration>, out: &mut Vec<Finding>) {
    let mut s = Scan::new(&d.file, Where::Other, out);
    s.opt("override_reason", d.override_reason.as_deref());
}

/// The kind of file being scanned, for the advice on where the data belongs.
#[derive(Clone, Copy)]
enum Where {
    Config,
    Person,
    Organisation,
    Request,
    Session,
    Other,
}

impl Where {
    fn contact_fields(self) -> &'static str {
        match self {
            Where::Config => {
                "the association's own address and number go in `organisation.email` / `organisation.phone`; anyone else's stay out of git (private/ is git-ignored)"
            }
            Where::Person => {
                "this person's own address and number go in `email` / `phone`; anyone else's stay out of git (private/ is git-ignored)"
            }
            Where::Organisation => {
                "a contact's address and number go in `contacts[].email` / `contacts[].phone`"
            }
            Where::Request => {
                "the requester's address and number go in `contact.email` / `contact.phone`"
            }
            Where::Session => {
                "participants' details belong in the private roster (`participants.roster`, under the git-ignored private/)"
            }
            Where::Other => {
                "personal details stay out of tracked files: keep them under private/ (git-ignored) or in the person's or organisation's file"
            }
        }
    }
}

struct Scan<'a, 'o> {
    file: &'a str,
    place: Where,
    out: &'o mut Vec<Finding>,
}

impl<'a, 'o> Scan<'a, 'o> {
    fn new(file: &'a str, place: Where, out: &'o mut Vec<Finding>) -> Scan<'a, 'o> {
        Scan { file, place, out }
    }

    fn text(&mut self, route: &str, text: &str) {
        self.lazy(|| route.to_string(), text);
    }

    fn opt(&mut self, route: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.text(route, text);
        }
    }

    fn label(&mut self, route: impl Fn() -> String, label: &Label) {
        for (lang, text) in label {
            self.lazy(|| format!("{}.{lang}", route()), text);
        }
    }

    /// Scan `text`; the route is only built when something is found.
    fn lazy(&mut self, route: impl FnOnce() -> String, text: &str) {
        let hits = find_personal_data(text);
        if hits.is_empty() {
            return;
        }
        let route = route();
        let found: Vec<String> = hits
            .iter()
            .map(|h| format!("{} `{}`", h.kind.name(), h.text))
            .collect();
        let mut advice = Vec::new();
        if hits.iter().any(|h| h.kind != DataKind::Iban) {
            advice.push(self.place.contact_fields());
        }
        if hits.iter().any(|h| h.kind == DataKind::Iban) {
            advice.push("bank details live only under private/ (git-ignored)");
        }
        self.out.push(Finding::new(
            &PERSONAL_DATA_TRACKED,
            self.file,
            At::value(&route),
            format!(
                "personal data in a tracked file: {} in `{route}`; everyone with access to the repository (and its history) can read it. Remove it from here: {}",
                found.join(", "),
                advice.join("; ")
            ),
        ));
    }
}
