//! Documents: quotes, client invoices, credit notes, self-invoices and attendance certificates,
//! rendered from minijinja templates into one self-contained HTML file each (and PDF through
//! [`crate::pdf`]).
//!
//! Data flows one way: the workspace's typed records → a document context where every figure is
//! computed and every mandatory mention composed ([`document`]) → a template that places them.
//! A document that would miss a mandatory mention is refused, with the list of what is missing.

pub mod certificate;
pub mod document;
pub mod format;
pub mod invoice;
pub mod labels;
pub mod limits;
pub mod quote;
pub mod self_invoice;
pub mod templates;

use crate::model::{Date, InvoiceKind, Kind};
use crate::workspace::Workspace;
use document::{Cx, Missing};
use labels::Labels;
use serde::Serialize;
use std::path::Path;
use templates::Templates;

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
    let lang = match lang {
        Some(lang) if !crate::model::config::is_language_code(lang) => {
            return Err(RenderError::Usage(format!(
                "--lang `{}` is not a language code; write a code such as fr, en or pt-BR (its labels are templates/labels/<code>.yaml)",
                lang.escape_debug()
            )));
        }
        Some(lang) => lang.to_string(),
        None => match config.languages.first() {
            Some(first) if !crate::model::config::is_language_code(first) => {
                return Err(RenderError::Usage(format!(
                    "the first of `languages` in fresk.yaml, `{}`, is not a language code; write a code such as fr, en or pt-BR (fresk lint says where)",
                    first.escape_debug()
                )));
            }
            Some(first) => first.clone(),
            None => "fr".into(),
        },
    };
    let labels = Labels::load(root, &lang).map_err(RenderError::Usage)?;
    let templates = Templates::load(root).map_err(RenderError::Usage)?;
    let cx = Cx {
        ws,
        config,
        labels: &labels,
        lang: &lang,
        style: format::Style::for_lang(&lang),
        today,
    };
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let sep = quote::sep(&cx);
    let footer = cx.footer();
    // Render `doc` with `template`; the footer names the document too, so that every page of
    // a long one says what it is.
    let mut emit = |template: &str, doc: &dyn erased::Doc| {
        let (number, title) = doc.names();
        let footer = format!("{title} — {footer}");
        let value = doc.value(&labels, &lang, &config.organisation.name, sep, footer);
        let html = templates
            .render(template, value)
            .map_err(RenderError::Usage)?;
        out.push(Rendered {
            stem: number.to_string(),
            title: title.to_string(),
            html,
            page_label: labels.get("page").to_string(),
            lang: lang.clone(),
        });
        Ok::<(), RenderError>(())
    };
    if ids.is_empty() {
        return Err(RenderError::Usage(
            "name at least one document to render".into(),
        ));
    }
    for id in ids {
        match what {
            What::Quote => {
                let request = ws
                    .requests
                    .iter()
                    .find(|r| {
                        r.id == *id
                            || r.quote.as_ref().and_then(|q| q.number.as_deref()) == Some(id)
                    })
                    .ok_or_else(|| {
                        not_found(
                            ws,
                            Kind::Request,
                            id,
                            "no request `{id}` and no quote numbered `{id}` in requests/",
                        )
                    })?;
                match quote::build(&cx, request) {
                    Ok(doc) => emit("quote.html", &doc)?,
                    Err(m) => refused.push(refusal(format!("the quote of {id}"), m)),
                }
            }
            What::Invoice => {
                let inv = ws.invoices.iter().find(|i| i.id == *id).ok_or_else(|| {
                    not_found(ws, Kind::Invoice, id, "no invoice or credit note `{id}` in invoices/ (drafts are named I-<mission>)")
                })?;
                let template = match inv.kind {
                    InvoiceKind::Invoice => "invoice.html",
                    InvoiceKind::CreditNote => "credit-note.html",
                };
                match invoice::build(&cx, inv) {
                    Ok(doc) => emit(template, &doc)?,
                    Err(m) => refused.push(refusal(format!("{} {id}", inv.kind), m)),
                }
            }
            What::SelfInvoice => {
                let selected = self_invoices(ws, id, person)?;
                for (payout, index) in selected {
                    let number = &payout.self_invoices[index].number;
                    match self_invoice::build(&cx, payout, index) {
                        Ok(doc) => emit("self-invoice.html", &doc)?,
                        Err(m) => refused.push(refusal(format!("self-invoice {number}"), m)),
                    }
                }
            }
            What::Certificate => {
                let session = ws.sessions.iter().find(|s| s.id == *id).ok_or_else(|| {
                    not_found(
                        ws,
                        Kind::Session,
                        id,
                        "no session `{id}` in missions/*/sessions/",
                    )
                })?;
                if session.state != crate::model::SessionState::Held {
                    refused.push(refusal(
                        format!("the certificates of {id}"),
                        Missing(vec![format!(
                            "a held session: {id} is `{}`, and certificates are for sessions that took place (`fresk session hold {id} --attended N`)",
                            session.state
                        )]),
                    ));
                    continue;
                }
                let (rel, roster) =
                    certificate::roster(root, session).map_err(RenderError::Usage)?;
                match certificate::build(&cx, session, &roster, &rel) {
                    Ok(certs) => {
                        for c in certs {
                            emit("certificate.html", &c)?;
                        }
                    }
                    Err(m) => refused.push(refusal(format!("the certificates of {id}"), m)),
                }
            }
        }
    }
    if !refused.is_empty() {
        return Err(RenderError::Refused(refused));
    }
    Ok(out)
}

/// The real path of `rel` when it exists and lies inside the workspace `root`, symbolic links
/// included; `None` when there is nothing there. A path that leads out of the workspace (or a
/// link to nothing) is an error naming it — its target is never read, so no message can show
/// what a file outside the workspace holds.
pub fn inside(root: &Path, rel: &str) -> Result<Option<std::path::PathBuf>, String> {
    let path = root.join(rel);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {rel}: {e}")),
        Ok(_) => {}
    }
    let outside = || {
        format!(
            "{rel} leads out of the workspace (a symbolic link); fresk reads templates and labels only from inside it: replace the link with the file itself (nothing was read from it)"
        )
    };
    let real = path.canonicalize().map_err(|_| outside())?;
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot read the workspace folder: {e}"))?;
    if !real.starts_with(&root) {
        return Err(outside());
    }
    Ok(Some(real))
}

/// The text of a template or labels file found by [`inside`], refusing one larger than any
/// workspace file should be.
pub fn read_capped(path: &Path, rel: &str) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {rel}: {e}"))?;
    if meta.len() > crate::yaml::MAX_FILE_BYTES {
        return Err(format!(
            "{rel} is {} bytes, larger than any template or labels file should be ({} MiB at most)",
            meta.len(),
            crate::yaml::MAX_FILE_BYTES >> 20
        ));
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {rel}: {e}"))
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
    doc!(Document, Certificate);
}
