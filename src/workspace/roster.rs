//! Reading a session's private roster (`private/rosters/<session>.yaml`, or the session's
//! `participants.roster`) safely: only under `private/`, inside the workspace, of a sane size.
//! Rosters are never loaded with the workspace (nor cached): the commands and rules that need
//! one read it here.

use super::{Overlay, is_private_path};
use crate::model::Session;
use crate::model::roster::Roster;
use std::path::Path;

/// Why the roster of a session cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error(
        "the roster of {session} is `{rel}`, which is not under private/; rosters hold names and stay out of git"
    )]
    NotPrivate { session: String, rel: String },
    #[error(
        "cannot read the roster of {session} ({rel}): {source}; add participants with `fresk participants import {session} --csv FILE` or `fresk participants add {session} --name … --email …`"
    )]
    Absent {
        session: String,
        rel: String,
        source: std::io::Error,
    },
    #[error("the roster {rel} points outside the workspace; replace the link with the file")]
    Outside { rel: String },
    #[error("the roster {rel} is {bytes} bytes, too large for a roster")]
    TooLarge { rel: String, bytes: u64 },
    #[error("cannot read {rel}: {source}")]
    Unreadable { rel: String, source: std::io::Error },
    #[error(
        "{rel}: {detail}; a roster is `participants:` followed by `- {{ name: …, attended: true }}` lines"
    )]
    Invalid {
        rel: String,
        detail: crate::yaml::de::TextError,
    },
    #[error("{rel} says `session: {said}`, but it is the roster of {session}")]
    OtherSession {
        rel: String,
        said: String,
        session: String,
    },
}

/// A session's roster file: where it is, its text (`None` when there is none yet) and what it
/// says (empty when there is none).
#[derive(Debug, Clone)]
pub struct RosterFile {
    pub rel: String,
    pub text: Option<String>,
    pub roster: Roster,
}

/// Where the roster of `session` is (relative to the root).
pub fn path_of(session: &Session) -> String {
    session
        .participants
        .roster
        .clone()
        .unwrap_or_else(|| format!("private/rosters/{}.yaml", session.id))
}

/// The roster of `session` under `root`, or as `overlay` is about to write it.
pub fn read(
    root: &Path,
    session: &Session,
    overlay: Option<&Overlay>,
) -> Result<RosterFile, RosterError> {
    let rel = path_of(session);
    if !is_private_path(&rel) {
        return Err(RosterError::NotPrivate {
            session: session.id.clone(),
            rel,
        });
    }
    let planned = overlay.and_then(|o| o.get(&rel)).cloned();
    let text = match planned {
        Some(text) => text,
        None => read_disk(root, &rel)?,
    };
    let Some(text) = text else {
        return Ok(RosterFile {
            rel,
            text: None,
            roster: Roster::default(),
        });
    };
    let roster: Roster = match crate::yaml::de::from_text(&text) {
        Ok(roster) => roster,
        Err(detail) => return Err(RosterError::Invalid { rel, detail }),
    };
    if let Some(s) = roster.session.as_deref()
        && s != session.id
    {
        return Err(RosterError::OtherSession {
            said: s.to_string(),
            rel,
            session: session.id.clone(),
        });
    }
    Ok(RosterFile {
        rel,
        text: Some(text),
        roster,
    })
}

/// The text of `rel`, `None` when there is no such file.
fn read_disk(root: &Path, rel: &str) -> Result<Option<String>, RosterError> {
    let path = root.join(rel);
    let meta = match std::fs::metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling link is not "no roster": writing through it would land elsewhere.
            if std::fs::symlink_metadata(&path).is_ok() {
                return Err(RosterError::Outside { rel: rel.into() });
            }
            return Ok(None);
        }
        Err(source) => {
            return Err(RosterError::Unreadable {
                rel: rel.into(),
                source,
            });
        }
    };
    let inside = path
        .canonicalize()
        .ok()
        .zip(root.canonicalize().ok())
        .is_some_and(|(p, r)| p.starts_with(r));
    if !inside {
        return Err(RosterError::Outside { rel: rel.into() });
    }
    if meta.len() > crate::yaml::MAX_FILE_BYTES {
        return Err(RosterError::TooLarge {
            rel: rel.into(),
            bytes: meta.len(),
        });
    }
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(source) => Err(RosterError::Unreadable {
            rel: rel.into(),
            source,
        }),
    }
}
