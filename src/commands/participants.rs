//! `fresk participants import|add|list`: a session's private roster, under `private/rosters/`.
//! Names and e-mails are written there only (git-ignored); what is printed as the change's
//! summary — and would be a commit message — holds counts, never names.

use super::Error;
use super::common::{Cx, Globals, find};
use crate::cli::{ListFormat, ParticipantsCommand};
use crate::commands::mutate::Plan;
use crate::model::Session;
use crate::model::registrations::{self, Merged};
use crate::model::roster::{Evaluation, Participant, email_valid, evaluation_summary};
use crate::workspace::Loaded;
use crate::workspace::roster::{self, RosterFile};
use crate::yaml::Route;
use crate::yaml::edit::{Document, scalar};
use std::path::Path;

pub fn run(start: &Path, cmd: ParticipantsCommand, globals: Globals) -> Result<u8, Error> {
    let roster_only = matches!(
        cmd,
        ParticipantsCommand::Import { .. } | ParticipantsCommand::Add { .. }
    );
    if globals.commit && roster_only {
        return Err(Error::refused(
            "the roster is under private/, which git ignores: participants' names and e-mails are never committed, so there is nothing to commit; drop --commit (and --branch)".into(),
        ));
    }
    let mut cx = Cx::open(start, globals)?;
    match cmd {
        ParticipantsCommand::Import { session, csv } => import(&mut cx, &session, &csv),
        ParticipantsCommand::Add {
            session,
            name,
            email,
            organisation,
            phone,
        } => {
            let mut p = Participant::registered(name.trim(), Some(email.trim()));
            p.organisation = organisation.filter(|o| !o.trim().is_empty());
            p.phone = phone.filter(|o| !o.trim().is_empty());
            add(&mut cx, &session, p)
        }
        ParticipantsCommand::Evaluate {
            session,
            participant,
            result,
        } => evaluate(&mut cx, &session, &participant, &result),
        ParticipantsCommand::List { session, format } => list(&cx, &session, format),
    }
}

pub(crate) fn find_session<'a>(cx: &'a Cx, id: &str) -> Result<&'a Loaded<Session>, Error> {
    find(&cx.ws.sessions, id, "session", |s| &s.id)
}

/// The roster of `session` as it is now (empty when there is none).
pub(crate) fn read_roster(cx: &Cx, session: &Session) -> Result<RosterFile, Error> {
    roster::read(&cx.root, session, None).map_err(|e| Error::io(e.to_string()))
}

/// Refuse to write names where git could see them: private/ must be a real folder that git
/// ignores (what the `private-exposed` rule checks).
pub(crate) fn private_writable(cx: &Cx) -> Result<(), Error> {
    let problems: Vec<String> = crate::rules::privacy::private_folder_for_writing(&cx.root)
        .into_iter()
        .map(|f| f.message)
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "rosters hold participants' names and e-mails and are written under private/, but {}; nothing was written",
        problems.join("; and ")
    )))
}

/// The new text of `file` (the roster of `session`): the participants at the given places
/// replaced, and those without a place appended. Comments and the rest of the file are kept.
pub(crate) fn roster_text(
    file: &RosterFile,
    session: &str,
    changes: &[(Option<usize>, &Participant)],
) -> Result<String, Error> {
    let Some(text) = &file.text else {
        let mut out = format!(
            "# The participants of {session}: names and e-mails, kept out of git (private/).\nsession: {session}\nparticipants:\n"
        );
        for (_, p) in changes {
            out.push_str(&format!("  - {}\n", p.to_flow()));
        }
        return Ok(out);
    };
    let mut doc = Document::new(text.clone());
    let err = |e: crate::yaml::edit::EditError| {
        Error::io(format!(
            "cannot edit {}: {e}; fix the file by hand (fresk participants list shows what it reads)",
            file.rel
        ))
    };
    for (place, p) in changes {
        match place {
            Some(i) => {
                let item = format!("participants[{i}]");
                // A one-line entry is replaced whole; a block one field by field, so that its
                // comments stay.
                if doc.set(&Route::parse(&item), &p.to_flow()).is_err() {
                    for (key, value) in fields(p) {
                        let route = Route::parse(&format!("{item}.{key}"));
                        match value {
                            Some(v) => doc.set(&route, &v).map_err(err)?,
                            None => {
                                let _ = doc.remove(&route);
                            }
                        }
                    }
                }
            }
            None => doc
                .push(&Route::parse("participants"), &p.to_flow())
                .map_err(err)?,
        }
    }
    Ok(doc.into_text())
}

/// Every field of a participant as YAML (flow) text, `None` for those it has not.
fn fields(p: &Participant) -> Vec<(&'static str, Option<String>)> {
    let text = |v: &Option<String>| v.as_deref().map(scalar);
    vec![
        ("name", Some(scalar(&p.name))),
        ("email", text(&p.email)),
        ("organisation", text(&p.organisation)),
        ("phone", text(&p.phone)),
        ("attended", Some(p.present().to_string())),
        (
            "half_days",
            p.half_days.as_ref().map(|d| {
                let d: Vec<String> = d.iter().map(ToString::to_string).collect();
                format!("[{}]", d.join(", "))
            }),
        ),
        (
            "evaluation",
            p.evaluation.as_ref().map(|e| scalar(&e.to_string())),
        ),
    ]
}

// --- participants import -------------------------------------------------------------------------

/// The largest export read: a registration list is far smaller.
const MAX_CSV_BYTES: u64 = 16 * 1024 * 1024;

fn import(cx: &mut Cx, id: &str, csv: &Path) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    let size = std::fs::metadata(csv)
        .map_err(|e| Error::io(format!("cannot read {}: {e}", csv.display())))?
        .len();
    if size > MAX_CSV_BYTES {
        return Err(Error::refused(format!(
            "{} is {size} bytes, too large for a registration export (at most {MAX_CSV_BYTES})",
            csv.display()
        )));
    }
    let bytes =
        std::fs::read(csv).map_err(|e| Error::io(format!("cannot read {}: {e}", csv.display())))?;
    let (taken, rejected) = registrations::from_csv(&bytes)
        .map_err(|e| Error::usage(format!("{}: {e}; nothing was imported", csv.display())))?;
    let file = read_roster(cx, s)?;
    let mut roster = file.roster.clone();
    let merged = registrations::merge(&mut roster, taken);
    let mut changes: Vec<(Option<usize>, &Participant)> = Vec::new();
    for (i, _) in &merged.updated {
        changes.push((Some(*i), &roster.participants[*i]));
    }
    let mut added: Vec<usize> = merged.added.iter().map(|(i, _)| *i).collect();
    added.sort_unstable();
    for i in &added {
        changes.push((None, &roster.participants[*i]));
    }
    let summary = format!(
        "participants of {}: {} added, {} updated, {} unchanged, {} rejected",
        s.id,
        merged.added.len(),
        merged.updated.len(),
        merged.unchanged.len(),
        rejected.len()
    );
    let report = import_report(&merged, &rejected, &file.rel);
    let code = if rejected.is_empty() { 0 } else { 1 };
    if changes.is_empty() {
        eprint!("{report}");
        println!("{summary}; {} is unchanged", file.rel);
        return Ok(code);
    }
    private_writable(cx)?;
    let text = roster_text(&file, &s.id, &changes)?;
    let mut plan = Plan::new(summary);
    plan.write(file.rel.clone(), text);
    eprint!("{report}");
    cx.apply(&plan)?;
    Ok(code)
}

/// What the import did, line by line of the export (no names: the lines say where to look).
fn import_report(merged: &Merged, rejected: &[registrations::Rejected], rel: &str) -> String {
    let mut out = String::new();
    let lines = |list: &[(usize, usize)]| {
        let mut l: Vec<usize> = list.iter().map(|(_, line)| *line).collect();
        l.sort_unstable();
        l.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !merged.added.is_empty() {
        out.push_str(&format!(
            "added to {rel}: line(s) {}\n",
            lines(&merged.added)
        ));
    }
    if !merged.updated.is_empty() {
        out.push_str(&format!(
            "updated (same e-mail already in the roster): line(s) {}\n",
            lines(&merged.updated)
        ));
    }
    if !merged.unchanged.is_empty() {
        out.push_str(&format!(
            "already in the roster as given: line(s) {}\n",
            lines(&merged.unchanged)
        ));
    }
    for (line, first) in &merged.repeated {
        out.push_str(&format!(
            "line {line}: same e-mail as line {first}, merged into one participant (the later line wins)\n"
        ));
    }
    for r in rejected {
        out.push_str(&format!("line {}: rejected: {}\n", r.line, r.reason));
    }
    out
}

// --- participants add ----------------------------------------------------------------------------

fn add(cx: &mut Cx, id: &str, p: Participant) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    if p.name.trim().is_empty() {
        return Err(Error::usage(
            "--name is empty; give the participant's full name".into(),
        ));
    }
    let email = p.email.clone().unwrap_or_default();
    if !email_valid(&email) {
        return Err(Error::usage(format!(
            "--email `{email}` is not an e-mail address (like name@example.org)"
        )));
    }
    let file = read_roster(cx, s)?;
    let mut roster = file.roster.clone();
    let merged = registrations::merge(&mut roster, vec![(0, p)]);
    let (place, what) = match (merged.added.first(), merged.updated.first()) {
        (Some((i, _)), _) => (None::<usize>, (*i, "added")),
        (None, Some((i, _))) => (Some(*i), (*i, "updated")),
        _ => {
            println!(
                "participants of {}: already in {} as given, nothing to do",
                s.id, file.rel
            );
            return Ok(0);
        }
    };
    private_writable(cx)?;
    let text = roster_text(&file, &s.id, &[(place, &roster.participants[what.0])])?;
    let mut plan = Plan::new(format!(
        "participants of {}: participant {} {} ({} in the roster)",
        s.id,
        what.0 + 1,
        what.1,
        roster.participants.len()
    ));
    plan.write(file.rel.clone(), text);
    cx.apply(&plan)
}

// --- participants evaluate -----------------------------------------------------------------------

fn evaluate(cx: &mut Cx, id: &str, who: &str, result: &str) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    let evaluation =
        Evaluation::parse(result).map_err(|e| Error::usage(format!("--result: {e}")))?;
    let file = read_roster(cx, s)?;
    if file.text.is_none() {
        return Err(Error::refused(format!(
            "session {} has no roster ({}); import its participants first (`fresk participants import {} --csv FILE`)",
            s.id, file.rel, s.id
        )));
    }
    let mut roster = file.roster.clone();
    let i = find_participant(&roster.participants, who, &s.id).map_err(|e| Error {
        message: format!("--participant {}", e.message),
        ..e
    })?;
    roster.participants[i].evaluation = Some(evaluation);
    private_writable(cx)?;
    let text = roster_text(&file, &s.id, &[(Some(i), &roster.participants[i])])?;
    let summary = evaluation_summary(&roster).unwrap_or_default();
    let mut doc = Document::new(cx.read(&s.file)?);
    doc.set(&Route::parse("evaluation"), &summary.to_flow())
        .map_err(super::common::edit_error(&s.file))?;
    let mut plan = Plan::new(format!(
        "session {}: evaluation of participant {} recorded ({} acquired, {} partially, {} not acquired, {} scored)",
        s.id,
        i + 1,
        summary.acquired,
        summary.partially,
        summary.not_acquired,
        summary.scored
    ));
    plan.write(file.rel.clone(), text);
    plan.write(s.file.clone(), doc.into_text());
    cx.apply(&plan)
}

// --- participants list ---------------------------------------------------------------------------

fn list(cx: &Cx, id: &str, format: ListFormat) -> Result<u8, Error> {
    let s = find_session(cx, id)?;
    let file = read_roster(cx, s)?;
    let headers = [
        "n",
        "name",
        "email",
        "organisation",
        "phone",
        "attended",
        "half_days",
        "evaluation",
    ];
    let rows: Vec<Vec<String>> = file
        .roster
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                (i + 1).to_string(),
                p.name.clone(),
                p.email.clone().unwrap_or_default(),
                p.organisation.clone().unwrap_or_default(),
                p.phone.clone().unwrap_or_default(),
                if p.present() { "yes" } else { "no" }.into(),
                p.half_days
                    .as_ref()
                    .map(|d| {
                        d.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default(),
                p.evaluation
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    match format {
        ListFormat::Json => {
            let participants: Vec<serde_json::Value> = file
                .roster
                .participants
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name,
                        "email": p.email,
                        "organisation": p.organisation,
                        "phone": p.phone,
                        "attended": p.present(),
                        "half_days": p.half_days,
                        "evaluation": p.evaluation.as_ref().map(ToString::to_string),
                    })
                })
                .collect();
            let value = serde_json::json!({
                "version": 1,
                "session": s.id,
                "roster": file.rel,
                "exists": file.text.is_some(),
                "participants": participants,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        _ => {
            if file.text.is_none() && format == ListFormat::Table {
                eprintln!(
                    "{} has no roster yet ({}); add participants with `fresk participants import {} --csv FILE`",
                    s.id, file.rel, s.id
                );
            }
            super::common::print_rows(&headers, &rows, format);
        }
    }
    Ok(0)
}

/// The place in the roster of the participant `who` (an e-mail, or a name, without case).
pub(crate) fn find_participant(
    ps: &[Participant],
    who: &str,
    session: &str,
) -> Result<usize, Error> {
    let key = who.trim().to_lowercase();
    if let Some(i) = ps
        .iter()
        .position(|p| p.email_key().as_deref() == Some(key.as_str()))
    {
        return Ok(i);
    }
    let norm = |n: &str| {
        n.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let by_name: Vec<usize> = ps
        .iter()
        .enumerate()
        .filter(|(_, p)| norm(&p.name) == norm(who))
        .map(|(i, _)| i)
        .collect();
    match by_name.as_slice() {
        [i] => Ok(*i),
        [] => Err(Error::refused(format!(
            "{who}: no participant with this name or e-mail in the roster of {session}; `fresk participants list {session}` shows them (add a walk-in with `fresk participants add`)"
        ))),
        _ => Err(Error::refused(format!(
            "{who}: {} participants of {session} have this name; give their e-mail instead",
            by_name.len()
        ))),
    }
}
