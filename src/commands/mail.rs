//! `fresk mail certificates|survey SESSION`: e-mail each participant who attended a held
//! session their certificate (attached) or the survey link, once. What went to whom is logged
//! in `private/mail/<session>.yaml` after every message; the session file records only the
//! dates and counts (`sent:`), which `fresk lint` reads.

use super::Error;
use super::common::{Cx, Globals, edit_error, find};
use super::mutate::Plan;
use crate::cli::MailCommand;
use crate::mail::{self, Entry, Kind, Outgoing, SendError, SentLog};
use crate::model::config::{Config, is_language_code};
use crate::model::roster::Participant;
use crate::model::session::{Sent, SentRecord};
use crate::model::{Session, SessionState};
use crate::render::message::{Fields, Template};
use crate::render::{self, RenderError, What};
use crate::workspace::Loaded;
use crate::yaml::Route;
use crate::yaml::edit::Document;
use std::path::{Path, PathBuf};

pub fn run(start: &Path, cmd: MailCommand, globals: Globals) -> Result<u8, Error> {
    let (kind, args) = match cmd {
        MailCommand::Certificates(args) => (Kind::Certificates, args),
        MailCommand::Survey(args) => (Kind::Survey, args),
    };
    let mut cx = Cx::open(start, globals)?;
    let config = cx.config()?.clone();
    let session = find(&cx.ws.sessions, &args.session, "session", |s| &s.id)?.clone();
    if session.state != SessionState::Held {
        return Err(Error::refused(format!(
            "session {} is `{}`: certificates and surveys go to the participants of a session that took place; record it first (`fresk session hold {}`)",
            session.id, session.state, session.id
        )));
    }
    let lang = language(&config, &session, args.lang.as_deref())?;
    if !cx.globals.dry_run {
        mail_config(&config)?;
    }
    let (roster_rel, roster) =
        render::certificate::roster(&cx.root, &session).map_err(|e| Error::io(e.to_string()))?;
    let log = SentLog::read(&cx.root, &session.id).map_err(|e| Error::io(e.to_string()))?;
    let who = recipients(&roster.participants, &roster_rel);
    check_resend(&args.resend, &who.to, &roster_rel)?;
    let pending: Vec<(usize, &Participant)> = who
        .to
        .iter()
        .copied()
        .filter(|(_, p)| {
            let address = address(p);
            !log.has(kind.as_str(), address)
                || args
                    .resend
                    .iter()
                    .any(|r| r.trim().eq_ignore_ascii_case(address))
        })
        .collect();
    for note in &who.notes {
        eprintln!("fresk: {note}");
    }
    if pending.is_empty() {
        println!(
            "nothing to send: the {} of {} went to all {} participant(s) who attended with an e-mail address (--resend EMAIL sends one again)",
            kind.as_str(),
            session.id,
            who.to.len()
        );
        return record(&mut cx, &session, kind, &log);
    }
    let messages = compose(&cx, &config, &session, kind, &lang, &pending)?;
    if cx.globals.dry_run {
        for m in &messages {
            println!("would send {}", describe(kind, m));
        }
        println!(
            "{} message(s) would be sent; nothing was sent",
            messages.len()
        );
        return Ok(0);
    }
    let mail_config = mail_config(&config)?;
    if let Some(dir) = &args.outbox {
        return outbox(&cx.root, dir, &session.id, mail_config, &messages);
    }
    private_folder_ok(&cx.root)?;
    let log = send(&cx, &session.id, mail_config, kind, log, &messages)?;
    let failed = messages.len() - log.sent_now;
    let code = record(&mut cx, &session, kind, &log.log).map_err(|e| {
        Error::io(format!(
            "{} message(s) were sent and recorded in {}, but the session file cannot record them: {e}\nfix that, then run the command again: it sends nothing new and records the count",
            log.sent_now,
            crate::mail::log::rel(&session.id)
        ))
    })?;
    Ok(if failed > 0 { 1 } else { code })
}

/// The sent-log holds addresses: refuse to send when private/ would not stay out of git (the
/// `private-exposed` rule says the same).
fn private_folder_ok(root: &Path) -> Result<(), Error> {
    let problems: Vec<String> = crate::rules::privacy::private_folder_for_writing(root)
        .into_iter()
        .map(|f| f.message)
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "what is sent to whom is recorded under private/mail/, but {}; nothing was sent",
        problems.join("; and ")
    )))
}

/// The `mail:` section of fresk.yaml, or how to write it.
fn mail_config(config: &Config) -> Result<&crate::model::config::Mail, Error> {
    config.mail.as_ref().ok_or_else(|| {
        Error::io(format!(
            "fresk.yaml has no `mail:` section: add `mail: {{ host: smtp.example.org, port: 587, tls: starttls, from: \"Name <address@example.org>\" }}`; the login comes from {} and {}",
            mail::USER_VAR,
            mail::PASSWORD_VAR
        ))
    })
}

/// The language of the messages: `--lang`, else the session's, else the workspace's first.
fn language(config: &Config, session: &Session, lang: Option<&str>) -> Result<String, Error> {
    if let Some(lang) = lang {
        if !is_language_code(lang) {
            return Err(Error::usage(format!(
                "--lang `{}` is not a language code; write a code such as fr or en",
                lang.escape_debug()
            )));
        }
        return Ok(lang.to_string());
    }
    Ok(session
        .language
        .clone()
        .filter(|l| is_language_code(l))
        .or_else(|| config.languages.first().cloned())
        .filter(|l| is_language_code(l))
        .unwrap_or_else(|| "fr".into()))
}

/// The participants a message can go to, and what to say of the others.
struct Recipients<'r> {
    /// Attended, with an address: their place in the roster and them.
    to: Vec<(usize, &'r Participant)>,
    notes: Vec<String>,
}

fn address(p: &Participant) -> &str {
    p.email.as_deref().unwrap_or_default().trim()
}

fn recipients<'r>(participants: &'r [Participant], rel: &str) -> Recipients<'r> {
    let mut out = Recipients {
        to: Vec::new(),
        notes: Vec::new(),
    };
    for (i, p) in participants.iter().enumerate() {
        if !p.attended {
            continue;
        }
        match p.email.as_deref().map(str::trim) {
            None | Some("") => out.notes.push(format!(
                "participant {} of {rel} ({}) attended but has no e-mail address: nothing is sent to them",
                i + 1,
                p.name.trim()
            )),
            Some(e) if !mail::valid_address(e) => out.notes.push(format!(
                "participant {} of {rel} ({}): `{e}` is not an e-mail address; fix it to send them anything",
                i + 1,
                p.name.trim()
            )),
            Some(_) => out.to.push((i, p)),
        }
    }
    out
}

/// Every `--resend` address is one of the recipients.
fn check_resend(resend: &[String], to: &[(usize, &Participant)], rel: &str) -> Result<(), Error> {
    for r in resend {
        if !to
            .iter()
            .any(|(_, p)| address(p).eq_ignore_ascii_case(r.trim()))
        {
            return Err(Error::refused(format!(
                "--resend {r}: no participant who attended has this address in {rel}; nothing was sent"
            )));
        }
    }
    Ok(())
}

/// The messages to `pending`, each filled from its template (and with its certificate).
fn compose(
    cx: &Cx,
    config: &Config,
    session: &Loaded<Session>,
    kind: Kind,
    lang: &str,
    pending: &[(usize, &Participant)],
) -> Result<Vec<Outgoing>, Error> {
    let template = Template::load(&cx.root, kind.as_str(), lang).map_err(Error::io)?;
    let offer = config
        .offer(&session.offer)
        .and_then(|o| {
            o.label
                .get(lang)
                .or_else(|| config.languages.first().and_then(|f| o.label.get(f)))
                .or_else(|| o.label.values().next())
        })
        .cloned()
        .unwrap_or_else(|| session.offer.clone());
    let date = render::format::date(session.start.date(), render::format::Style::for_lang(lang));
    let link = match kind {
        Kind::Survey => Some(
            config
                .survey
                .as_ref()
                .ok_or_else(|| {
                    Error::io(
                        "fresk.yaml has no `survey:` section, so there is no link to send: add `survey: { link: \"https://forms.example.org/…?session={session}\" }`".into(),
                    )
                })?
                .link_for(&session.id, &session.mission, &session.offer),
        ),
        Kind::Certificates => None,
    };
    let mut certificates = match kind {
        Kind::Certificates => certificates(cx, &session.id, lang)?,
        Kind::Survey => Vec::new(),
    };
    let mut out = Vec::new();
    for (i, p) in pending {
        let attachment = match kind {
            Kind::Certificates => {
                let at = certificates.iter().position(|(n, _, _)| n == i).ok_or_else(|| {
                    Error::refused(format!(
                        "no certificate was made for participant {} of the roster; run `fresk render certificate {}` to see why",
                        i + 1,
                        session.id
                    ))
                })?;
                let (_, name, pdf) = certificates.swap_remove(at);
                Some((name, pdf))
            }
            Kind::Survey => None,
        };
        let fields = Fields {
            name: p.name.trim().to_string(),
            session: session.id.clone(),
            offer: offer.clone(),
            date: date.clone(),
            organisation: config.organisation.name.clone(),
            link: link.clone(),
            attachment: attachment.as_ref().map(|(n, _)| n.clone()),
        };
        let text = template.fill(&fields).map_err(Error::io)?;
        out.push(Outgoing {
            name: p.name.trim().to_string(),
            to: address(p).to_string(),
            subject: text.subject,
            body: text.body,
            attachment,
        });
    }
    Ok(out)
}

/// The certificates of `session` as PDFs: each with the roster place of its participant
/// (numbered `ATT-<session>-NN`, NN counting from 1) and its file name.
fn certificates(
    cx: &Cx,
    session: &str,
    lang: &str,
) -> Result<Vec<(usize, String, Vec<u8>)>, Error> {
    let docs = match render::render(
        &cx.root,
        &cx.ws,
        cx.today(),
        What::Certificate,
        &[session.to_string()],
        None,
        Some(lang),
    ) {
        Ok(docs) => docs,
        Err(RenderError::Usage(m)) => return Err(Error::usage(m)),
        Err(refused) => return Err(Error::refused(format!("{refused}; no message was sent"))),
    };
    let prefix = format!("ATT-{session}-");
    let mut out = Vec::new();
    for doc in &docs {
        let Some(n) = doc
            .stem
            .strip_prefix(&prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n > 0)
        else {
            return Err(Error::refused(format!(
                "certificate {} is not numbered {prefix}NN, so its participant is unknown",
                doc.stem
            )));
        };
        let pdf = super::render::pdf(cx, doc)?;
        out.push((n - 1, format!("{}.pdf", doc.stem), pdf));
    }
    Ok(out)
}

/// "certificates to Name <address> (ATT-….pdf)".
fn describe(kind: Kind, m: &Outgoing) -> String {
    let attachment = m
        .attachment
        .as_ref()
        .map(|(n, pdf)| format!(" with {n} ({} bytes)", pdf.len()))
        .unwrap_or_default();
    format!(
        "{} to {} <{}>: \"{}\"{attachment}",
        kind.as_str(),
        m.name,
        m.to,
        m.subject
    )
}

/// Write every message as `DIR/<session>-NN.eml`; nothing is recorded as sent.
fn outbox(
    root: &Path,
    dir: &Path,
    session: &str,
    config: &crate::model::config::Mail,
    messages: &[Outgoing],
) -> Result<u8, Error> {
    let dir: PathBuf = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(format!("cannot read the current folder: {e}")))?
            .join(dir)
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}: {e}", dir.display())))?;
    if let (Ok(d), Ok(r)) = (dir.canonicalize(), root.canonicalize())
        && let Ok(rel) = d.strip_prefix(&r)
        && !crate::model::is_private_path(&rel.to_string_lossy())
    {
        return Err(Error::refused(format!(
            "--outbox {}: the messages carry participants' names and addresses, and this folder is inside the workspace but not under private/; pick a folder under private/ or outside the workspace",
            dir.display()
        )));
    }
    let mut built = Vec::new();
    for m in messages {
        built.push(
            mail::message(config, m)
                .map_err(Error::refused)?
                .formatted(),
        );
    }
    for (n, (m, bytes)) in messages.iter().zip(&built).enumerate() {
        let path = dir.join(format!("{session}-{:02}.eml", n + 1));
        crate::store::write_atomic(&path, bytes)
            .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
        println!("wrote {} ({} to {})", path.display(), m.subject, m.to);
    }
    println!(
        "{} message(s) written to {}; nothing is recorded as sent",
        messages.len(),
        dir.display()
    );
    Ok(0)
}

/// The log after sending, and how many messages went in this run.
struct Sending {
    log: SentLog,
    sent_now: usize,
}

/// Send `messages` one by one, recording each in the log as soon as it went.
fn send(
    cx: &Cx,
    session: &str,
    config: &crate::model::config::Mail,
    kind: Kind,
    mut log: SentLog,
    messages: &[Outgoing],
) -> Result<Sending, Error> {
    // Every message is built before the first is sent: a bad address or template stops
    // everything, not half of it.
    let mut built = Vec::new();
    for m in messages {
        built.push(mail::message(config, m).map_err(Error::refused)?);
    }
    let server = mail::Server::new(config).map_err(Error::io)?;
    let mut sent_now = 0;
    let mut failures = Vec::new();
    for (n, (m, message)) in messages.iter().zip(&built).enumerate() {
        match server.send(message) {
            Ok(()) => {
                log.session = Some(session.to_string());
                log.sent.push(Entry {
                    kind: kind.as_str().to_string(),
                    to: m.to.clone(),
                    at: cx.now().to_string(),
                    attachment: m.attachment.as_ref().map(|(n, _)| n.clone()),
                });
                log.write(&cx.root, session)
                    .map_err(|e| Error::io(e.to_string()))?;
                sent_now += 1;
                println!("sent {}", describe(kind, m));
            }
            Err(SendError::Refused(why)) => {
                failures.push(format!(
                    "{} <{}>: refused by the server: {why}",
                    m.name, m.to
                ));
            }
            Err(SendError::Down(why)) => {
                failures.push(format!(
                    "{} <{}>: cannot reach the SMTP server {}: {why}",
                    m.name, m.to, server.address
                ));
                let left = messages.len() - n - 1;
                if left > 0 {
                    failures.push(format!(
                        "{left} more message(s) not tried while the server cannot be reached"
                    ));
                }
                break;
            }
        }
    }
    for f in &failures {
        eprintln!("fresk: not sent: {f}");
    }
    if !failures.is_empty() {
        eprintln!(
            "fresk: {sent_now} of {} message(s) sent and recorded in {}; run the command again to send the rest",
            messages.len(),
            crate::mail::log::rel(session)
        );
    }
    Ok(Sending { log, sent_now })
}

/// Write in the session file how many participants have received `kind`, and when (no
/// names): what `fresk lint` checks in CI, where private/ is absent.
fn record(cx: &mut Cx, session: &Loaded<Session>, kind: Kind, log: &SentLog) -> Result<u8, Error> {
    let count = u32::try_from(log.count(kind.as_str())).unwrap_or(u32::MAX);
    let mut sent = session.sent.clone().unwrap_or_default();
    let slot = match kind {
        Kind::Certificates => &mut sent.certificates,
        Kind::Survey => &mut sent.survey,
    };
    if count == 0 || slot.as_ref().is_some_and(|r| r.count == count) {
        return Ok(0);
    }
    *slot = Some(SentRecord {
        date: cx.today(),
        count,
    });
    let mut doc = Document::new(cx.read(&session.file)?);
    doc.set(&Route::parse("sent"), &flow(&sent))
        .map_err(edit_error(&session.file))?;
    let mut plan = Plan::new(format!(
        "session {}: {} sent to {count} participant(s)",
        session.id,
        kind.as_str()
    ));
    plan.write(session.file.clone(), doc.into_text());
    cx.apply(&plan)
}

/// `sent` as a flow mapping.
fn flow(sent: &Sent) -> String {
    let mut parts = Vec::new();
    for (name, record) in [
        ("certificates", &sent.certificates),
        ("survey", &sent.survey),
    ] {
        if let Some(r) = record {
            parts.push(format!(
                "{name}: {{ date: {}, count: {} }}",
                r.date, r.count
            ));
        }
    }
    format!("{{ {} }}", parts.join(", "))
}
