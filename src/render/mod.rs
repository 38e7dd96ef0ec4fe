//! Documents: quotes, client invoices, credit notes, self-invoices and attendance certificates,
//! rendered from minijinja templates into one self-contained HTML file each (and PDF through
//! [`crate::pdf`]).
//!
//! Data flows one way: the workspace's typed records → a document context where every figure is
//! computed and every mandatory mention composed ([`document`]) → a template that places them.
//! A document that would miss a mandatory mention is refused, with the list of what is missing.

pub mod attendance;
pub mod certificate;
pub mod document;
pub mod facturx;
mod files;
pub mod format;
pub mod invoice;
pub mod labels;
pub mod limits;
pub mod message;
pub mod quote;
pub mod self_invoice;
pub mod templates;

use crate::model::{Config, Date, InvoiceKind, Kind};
use crate::workspace::Workspace;
use document::{Cx, Doc, Missing};
pub use files::{ReadError, inside, read_capped};
use labels::Labels;
use serde::Serialize;
use std::path::Path;
use templates::Templates;

mod branding;

/// What to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A request's quote, by request id or quote number.
    Quote,
    /// The self-invoices of a payout (by payout id or self-invoice number).
    SelfInvoice,
    /// A client invoice or credit note, by number.
    Invoice,
    /// The attendance certificates of a held session.
    Certificate,
    /// The sign-in sheet of a session, with this many blank rows for walk-ins.
    AttendanceSheet(usize),
    /// The certificate of one participant of a held session: their place in the roster.
    CertificateOf(usize),
}

/// One rendered document.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The default file name without extension: the document's number.
    pub stem: String,
    /// "Facture F2026-0001": for messages and the PDF's metadata.
    pub title: String,
    pub html: String,
    /// The footer's page label for PDF, e.g. "Page {page} / {pages}".
    pub page_label: String,
    pub lang: String,
    /// The e-invoice (EN 16931 CII XML, Factur-X profile EN 16931) of an invoice, credit note
    /// or self-invoice: `--format xml` writes it, Factur-X attaches it to the PDF. `Err` lists
    /// what the e-invoice would lack (the printed document does not need it).
    pub einvoice: Option<Result<String, Vec<String>>>,
    /// The day the document was made (the workspace's today): the PDF's creation date.
    pub date: chrono::NaiveDate,
}

/// A document that cannot be rendered, and everything it lacks.
#[derive(Debug)]
pub struct Refusal {
    pub document: String,
    pub missing: Vec<String>,
}

/// Why nothing was rendered.
#[derive(Debug)]
pub enum RenderError {
    /// A bad id, language or template: exit code 2.
    Usage(String),
    /// Documents that would miss mandatory mentions: exit code 1.
    Refused(Vec<Refusal>),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Usage(m) => f.write_str(m),
            RenderError::Refused(list) => {
                for (i, r) in list.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    writeln!(
                        f,
                        "cannot render {}: it would miss {} mandatory mention(s):",
                        r.document,
                        r.missing.len()
                    )?;
                    for m in &r.missing {
                        writeln!(f, "  - {m}")?;
                    }
                }
                write!(
                    f,
                    "nothing was written; fix the files above and run the command again"
                )
            }
        }
    }
}

/// The template context of every document: the document, its labels, the footer.
#[derive(Serialize)]
struct Page<'a, D: Serialize> {
    doc: &'a D,
    t: &'a Labels,
    lang: &'a str,
    /// The association's name, at the top of every page.
    org: &'a str,
    /// Between a label and its value: `\u{a0}: ` in French, `: ` in English.
    sep: &'a str,
    footer: String,
}

/// Render the documents of `ids` in `lang` (default: the workspace's first language).
/// Everything is rendered in memory first: either every document renders, or none does.
pub fn render(
    root: &Path,
    ws: &Workspace,
    today: Date,
    what: What,
    ids: &[String],
    person: Option<&str>,
    lang: Option<&str>,
) -> Result<Vec<Rendered>, RenderError> {
    let config = &ws
        .config
        .as_ref()
        .ok_or_else(|| {
            RenderError::Usage(
                "fresk.yaml cannot be read, so documents cannot be rendered; run `fresk lint`"
                    .into(),
            )
        })?
        .value;
    let lang = language(config, lang)?;
    let labels = Labels::load(root, &lang).map_err(usage)?;
    let mut templates = Templates::load(root).map_err(usage)?;
    templates.add_global("branding", branding::template_value(root, config));
    let cx = Cx {
        ws,
        config,
        labels: &labels,
        lang: &lang,
        style: format::Style::for_lang(&lang),
        today,
    };
    let mut out = Output {
        templates: &templates,
        sep: quote::sep(&cx),
        footer: cx.footer(),
        cx: &cx,
        rendered: Vec::new(),
        refused: Vec::new(),
    };
    if ids.is_empty() {
        return Err(RenderError::Usage(
            "name at least one document to render".into(),
        ));
    }
    for id in ids {
        match what {
            What::Quote => out.quote(id)?,
            What::Invoice => out.invoice(id)?,
            What::SelfInvoice => {
                for (payout, index) in self_invoices(ws, id, person)? {
                    let number = &payout.self_invoices[index].number;
                    let built = self_invoice::build(&cx, payout, index);
                    let ok = built.is_ok();
                    out.settle("self-invoice.html", built, || {
                        format!("self-invoice {number}")
                    })?;
                    if ok {
                        let xml = facturx::self_invoice(&cx, payout, index);
                        out.attach(xml);
                    }
                }
            }
            What::Certificate => out.certificates(root, id, None)?,
            What::CertificateOf(index) => out.certificates(root, id, Some(index))?,
            What::AttendanceSheet(blank) => out.attendance_sheet(root, id, blank)?,
        }
    }
    if !out.refused.is_empty() {
        return Err(RenderError::Refused(out.refused));
    }
    Ok(out.rendered)
}

/// The certificate of one participant of the held session `session`, the one with the
/// e-mail `email` (without case) in its roster, in `lang` (default: the workspace's first
/// language). Refused like `fresk render certificate` when the session is not held, the
/// participant did not attend or a mention is missing. Make its PDF with [`pdf`].
pub fn participant_certificate(
    root: &Path,
    ws: &Workspace,
    today: Date,
    session: &str,
    email: &str,
    lang: Option<&str>,
) -> Result<Rendered, RenderError> {
    let s = ws
        .sessions
        .iter()
        .find(|s| s.id == session)
        .ok_or_else(|| {
            not_found(
                ws,
                Kind::Session,
                session,
                "no session `{id}` in missions/*/sessions/",
            )
        })?;
    let file = crate::workspace::roster::read(root, s, None).map_err(usage)?;
    let key = email.trim().to_lowercase();
    let index = file
        .roster
        .participants
        .iter()
        .position(|p| p.email_key().as_deref() == Some(key.as_str()))
        .ok_or_else(|| {
            RenderError::Usage(format!(
                "no participant with the e-mail {email} in {}",
                file.rel
            ))
        })?;
    let docs = render(
        root,
        ws,
        today,
        What::CertificateOf(index),
        &[session.to_string()],
        None,
        lang,
    )?;
    docs.into_iter().next().ok_or_else(|| {
        RenderError::Usage(format!("no certificate was made for {email} in {session}"))
    })
}

/// The PDF of a rendered document, with the association of `ws` as its author.
pub fn pdf(ws: &Workspace, doc: &Rendered) -> Result<Vec<u8>, String> {
    crate::pdf::html_to_pdf(&doc.html, &pdf_options(ws, doc)).map_err(|e| e.to_string())
}

/// What every PDF of `doc` carries: its title, language, page label and date, the association
/// as author, and its branding.
fn pdf_options(ws: &Workspace, doc: &Rendered) -> crate::pdf::PdfOptions {
    crate::pdf::PdfOptions {
        title: doc.title.clone(),
        author: ws
            .config
            .as_ref()
            .map(|c| c.organisation.name.clone())
            .unwrap_or_default(),
        lang: doc.lang.clone(),
        page_label: doc.page_label.clone(),
        date: Some(doc.date),
        branding: ws
            .config
            .as_ref()
            .map(|c| branding::pdf(&ws.root, &c.value))
            .unwrap_or_default(),
        ..crate::pdf::PdfOptions::default()
    }
}

/// The Factur-X of a rendered invoice, credit note or self-invoice: its PDF/A-3 with its
/// e-invoice attached as `factur-x.xml` (relationship `Data`) and the Factur-X XMP metadata
/// (profile EN 16931). `Err` says why there is none: not an invoice, or what its e-invoice
/// lacks.
pub fn facturx(ws: &Workspace, doc: &Rendered) -> Result<Vec<u8>, String> {
    let xml = match &doc.einvoice {
        Some(Ok(xml)) => xml,
        Some(Err(missing)) => {
            return Err(format!(
                "cannot make the e-invoice of {}: it would miss {}",
                doc.title,
                missing.join("; ")
            ));
        }
        None => {
            return Err(format!(
                "{} has no e-invoice: only invoices, credit notes and self-invoices do",
                doc.title
            ));
        }
    };
    let options = crate::pdf::PdfOptions {
        attachments: vec![crate::pdf::Attachment::factur_x(
            xml.clone().into_bytes(),
            crate::pdf::Relationship::Data,
            doc.date,
        )],
        facturx: Some(crate::pdf::FacturX::en16931()),
        ..pdf_options(ws, doc)
    };
    crate::pdf::html_to_pdf(&doc.html, &options).map_err(|e| e.to_string())
}

/// The language to render in: `lang` when given, else the workspace's first.
fn language(config: &Config, lang: Option<&str>) -> Result<String, RenderError> {
    match lang {
        Some(lang) if !crate::model::config::is_language_code(lang) => {
            Err(RenderError::Usage(format!(
                "--lang `{}` is not a language code; write a code such as fr, en or pt-BR (its labels are templates/labels/<code>.yaml)",
                lang.escape_debug()
            )))
        }
        Some(lang) => Ok(lang.to_string()),
        None => match config.languages.first() {
            Some(first) if !crate::model::config::is_language_code(first) => {
                Err(RenderError::Usage(format!(
                    "the first of `languages` in fresk.yaml, `{}`, is not a language code; write a code such as fr, en or pt-BR (fresk lint says where)",
                    first.escape_debug()
                )))
            }
            Some(first) => Ok(first.clone()),
            None => Ok("fr".into()),
        },
    }
}

/// A bad id, language, template or labels file: exit code 2.
fn usage(e: impl std::fmt::Display) -> RenderError {
    RenderError::Usage(e.to_string())
}

/// The documents rendered so far, and those refused.
struct Output<'a> {
    cx: &'a Cx<'a>,
    templates: &'a Templates,
    sep: &'static str,
    /// The association's identity, on every page.
    footer: String,
    rendered: Vec<Rendered>,
    refused: Vec<Refusal>,
}

impl Output<'_> {
    /// Render `doc` with `template`; the footer names the document too, so that every page of
    /// a long one says what it is.
    fn emit(&mut self, template: &str, doc: &dyn erased::Doc) -> Result<(), RenderError> {
        let cx = self.cx;
        let (number, title) = doc.names();
        let footer = format!("{title} — {}", self.footer);
        let org = &cx.config.organisation.name;
        let value = doc.value(cx.labels, cx.lang, org, self.sep, footer);
        let html = self.templates.render(template, value).map_err(usage)?;
        self.rendered.push(Rendered {
            stem: number.to_string(),
            title: title.to_string(),
            html,
            page_label: cx.labels.get("page").to_string(),
            lang: cx.lang.to_string(),
            einvoice: None,
            date: cx.today.0,
        });
        Ok(())
    }

    /// Render a document that was built, or record why it was refused (`document` names it).
    fn settle(
        &mut self,
        template: &str,
        built: Result<Doc, Missing>,
        document: impl FnOnce() -> String,
    ) -> Result<(), RenderError> {
        match built {
            Ok(doc) => self.emit(template, &doc),
            Err(m) => {
                self.refused.push(refusal(document(), m));
                Ok(())
            }
        }
    }

    /// The quote of the request `id`, or the quote numbered `id`.
    fn quote(&mut self, id: &str) -> Result<(), RenderError> {
        let ws = self.cx.ws;
        let request = ws
            .requests
            .iter()
            .find(|r| r.id == *id || r.quote.as_ref().and_then(|q| q.number.as_deref()) == Some(id))
            .ok_or_else(|| {
                not_found(
                    ws,
                    Kind::Request,
                    id,
                    "no request `{id}` and no quote numbered `{id}` in requests/",
                )
            })?;
        let built = quote::build(self.cx, request);
        self.settle("quote.html", built, || format!("the quote of {id}"))
    }

    /// The invoice or credit note numbered `id`.
    fn invoice(&mut self, id: &str) -> Result<(), RenderError> {
        let ws = self.cx.ws;
        let inv = ws.invoices.iter().find(|i| i.id == *id).ok_or_else(|| {
            not_found(
                ws,
                Kind::Invoice,
                id,
                "no invoice or credit note `{id}` in invoices/ (drafts are named I-<mission>)",
            )
        })?;
        let template = match inv.kind {
            InvoiceKind::Invoice => "invoice.html",
            InvoiceKind::CreditNote => "credit-note.html",
        };
        let built = invoice::build(self.cx, inv);
        let ok = built.is_ok();
        self.settle(template, built, || format!("{} {id}", inv.kind))?;
        if ok {
            let xml = facturx::invoice(self.cx, inv);
            self.attach(xml);
        }
        Ok(())
    }

    /// Give the document just rendered its e-invoice, or what that lacks.
    fn attach(&mut self, xml: Result<String, Missing>) {
        if let Some(last) = self.rendered.last_mut() {
            last.einvoice = Some(xml.map_err(|m| m.0));
        }
    }

    /// The certificates of the held session `id`, from its roster under `root`'s private/.
    fn certificates(
        &mut self,
        root: &Path,
        id: &str,
        only: Option<usize>,
    ) -> Result<(), RenderError> {
        let ws = self.cx.ws;
        let session = ws.sessions.iter().find(|s| s.id == *id).ok_or_else(|| {
            not_found(
                ws,
                Kind::Session,
                id,
                "no session `{id}` in missions/*/sessions/",
            )
        })?;
        let document = || format!("the certificates of {id}");
        if session.state != crate::model::SessionState::Held {
            self.refused.push(refusal(
                document(),
                Missing(vec![format!(
                    "a held session: {id} is `{}`, and certificates are for sessions that took place (`fresk session hold {id} --attended N`)",
                    session.state
                )]),
            ));
            return Ok(());
        }
        let (rel, roster) = certificate::roster(root, session).map_err(usage)?;
        let built = match only {
            None => certificate::build(self.cx, session, &roster, &rel),
            Some(i) => certificate::build_one(self.cx, session, &roster, &rel, i).map(|c| vec![c]),
        };
        match built {
            Ok(certs) => certs
                .iter()
                .try_for_each(|c| self.emit("certificate.html", c)),
            Err(m) => {
                self.refused.push(refusal(document(), m));
                Ok(())
            }
        }
    }
}

impl Output<'_> {
    /// The sign-in sheet of the session `id`, with the participants of its roster (if any).
    fn attendance_sheet(&mut self, root: &Path, id: &str, blank: usize) -> Result<(), RenderError> {
        let ws = self.cx.ws;
        let session = ws.sessions.iter().find(|s| s.id == *id).ok_or_else(|| {
            not_found(
                ws,
                Kind::Session,
                id,
                "no session `{id}` in missions/*/sessions/",
            )
        })?;
        let file = crate::workspace::roster::read(root, session, None).map_err(usage)?;
        let built = attendance::build(self.cx, session, &file.roster, blank);
        match built {
            Ok(sheet) => self.emit("attendance-sheet.html", &sheet),
            Err(m) => {
                self.refused
                    .push(refusal(format!("the attendance sheet of {id}"), m));
                Ok(())
            }
        }
    }
}

/// `id` is not among the records: its file cannot be read (say which), or there is none
/// (`message`, where `{id}` stands for the id).
fn not_found(ws: &Workspace, kind: Kind, id: &str, message: &str) -> RenderError {
    RenderError::Usage(match ws.ids.get(&kind).and_then(|m| m.get(id)) {
        Some(file) => format!(
            "{file} cannot be read, so its document cannot be rendered; run `fresk lint {file}` and fix what it says"
        ),
        None => message.replace("{id}", id),
    })
}

fn refusal(document: String, missing: Missing) -> Refusal {
    Refusal {
        document,
        missing: missing.0,
    }
}

/// The self-invoices `id` names: a payout id (all its self-invoices, or `person`'s) or one
/// self-invoice number.
fn self_invoices<'a>(
    ws: &'a Workspace,
    id: &str,
    person: Option<&str>,
) -> Result<Vec<(&'a crate::workspace::Loaded<crate::model::Payout>, usize)>, RenderError> {
    if let Some(p) = ws.payouts.iter().find(|p| p.id == id) {
        if p.self_invoices.is_empty() {
            return Err(RenderError::Usage(format!(
                "payout {id} has no self-invoices yet (it is `{}`); they are numbered on main by `fresk payout invoice --payout {id}`",
                p.state
            )));
        }
        let picked: Vec<_> = (0..p.self_invoices.len())
            .filter(|i| person.is_none_or(|who| p.self_invoices[*i].person == who))
            .map(|i| (p, i))
            .collect();
        if picked.is_empty() {
            let people: Vec<&str> = p.self_invoices.iter().map(|s| s.person.as_str()).collect();
            return Err(RenderError::Usage(format!(
                "payout {id} has no self-invoice for `{}`; it has self-invoices for {}",
                person.unwrap_or_default(),
                people.join(", ")
            )));
        }
        return Ok(picked);
    }
    for p in &ws.payouts {
        if let Some(i) = p.self_invoices.iter().position(|s| s.number == id) {
            return Ok(vec![(p, i)]);
        }
    }
    Err(RenderError::Usage(format!(
        "no payout `{id}` and no self-invoice numbered `{id}` in payouts/"
    )))
}

/// Documents of different types behind one way of making their template context.
mod erased {
    use super::{Labels, Page};
    use crate::render::attendance::AttendanceSheet;
    use crate::render::certificate::Certificate;
    use crate::render::document::Doc as Document;

    /// A document of any kind: its number and title, and its template context.
    pub trait Doc {
        /// The number (the default file name) and the title.
        fn names(&self) -> (&str, &str);
        fn value(
            &self,
            labels: &Labels,
            lang: &str,
            org: &str,
            sep: &str,
            footer: String,
        ) -> minijinja::Value;
    }

    macro_rules! doc {
        ($($t:ty),*) => {$(
            impl Doc for $t {
                fn names(&self) -> (&str, &str) {
                    (&self.number, &self.title)
                }
                fn value(
                    &self,
                    labels: &Labels,
                    lang: &str,
                    org: &str,
                    sep: &str,
                    footer: String,
                ) -> minijinja::Value {
                    minijinja::Value::from_serialize(Page {
                        doc: self,
                        t: labels,
                        lang,
                        org,
                        sep,
                        footer,
                    })
                }
            }
        )*};
    }
    doc!(Document, Certificate, AttendanceSheet);
}
