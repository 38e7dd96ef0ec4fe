//! The sent-log of a session, `private/mail/<session>.yaml`: which message went to which
//! address, and when. It holds e-mail addresses, so it lives under `private/` (out of git); it is
//! rewritten atomically after every message sent, so that an interruption never forgets one.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a session's participants were sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentLog {
    /// The session the log belongs to.
    #[serde(default)]
    pub session: Option<String>,
    /// Every message sent, oldest first.
    #[serde(default)]
    pub sent: Vec<Entry>,
}

/// One message sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `certificates` or `survey`.
    pub kind: String,
    /// The address it went to.
    pub to: String,
    /// When, `YYYY-MM-DD HH:MM` in the workspace's time zone.
    pub at: String,
    /// The attachment, when there was one.
    #[serde(default)]
    pub attachment: Option<String>,
}

/// The log's path, relative to the workspace.
pub fn rel(session: &str) -> String {
    format!("private/mail/{session}.yaml")
}

/// Why a log cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot read {rel}: {detail}; fix or remove it (it records what was sent to whom)")]
    Read { rel: String, detail: String },
    #[error(
        "cannot record what was sent in {rel}: {source}; the message just sent is not recorded, so check before sending again"
    )]
    Write { rel: String, source: std::io::Error },
}

impl SentLog {
    /// The log of `session` under `root`, empty when there is none yet.
    pub fn read(root: &Path, session: &str) -> Result<SentLog, LogError> {
        let rel = rel(session);
        let error = |detail: String| LogError::Read {
            rel: rel.clone(),
            detail,
        };
        let path = crate::store::resolve(root, &rel).map_err(|e| error(e.to_string()))?;
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(SentLog {
                    session: Some(session.to_string()),
                    sent: Vec::new(),
                });
            }
            Err(e) => return Err(error(e.to_string())),
        };
        let log: SentLog = crate::yaml::de::from_text(&text).map_err(|e| error(e.to_string()))?;
        match &log.session {
            Some(s) if s != session => Err(error(format!("it says `session: {s}`"))),
            _ => Ok(log),
        }
    }

    /// Has `kind` gone to `address` (compared without case)?
    pub fn has(&self, kind: &str, address: &str) -> bool {
        self.sent
            .iter()
            .any(|e| e.kind == kind && e.to.eq_ignore_ascii_case(address))
    }

    /// How many different addresses `kind` went to.
    pub fn count(&self, kind: &str) -> usize {
        let mut to: Vec<String> = self
            .sent
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.to.to_lowercase())
            .collect();
        to.sort();
        to.dedup();
        to.len()
    }

    /// The log as YAML.
    pub fn to_yaml(&self) -> String {
        use crate::yaml::edit::scalar;
        let mut out = String::from(
            "# What fresk mail sent to whom: private, out of git. A line removed here is sent again.\n",
        );
        if let Some(s) = &self.session {
            out.push_str(&format!("session: {}\n", scalar(s)));
        }
        out.push_str("sent:");
        if self.sent.is_empty() {
            out.push_str(" []");
        }
        out.push('\n');
        for e in &self.sent {
            out.push_str(&format!(
                "  - {{ kind: {}, to: {}, at: {}",
                scalar(&e.kind),
                scalar(&e.to),
                scalar(&e.at)
            ));
            if let Some(a) = &e.attachment {
                out.push_str(&format!(", attachment: {}", scalar(a)));
            }
            out.push_str(" }\n");
        }
        out
    }

    /// Write the log atomically (creating `private/mail/`).
    pub fn write(&self, root: &Path, session: &str) -> Result<PathBuf, LogError> {
        let rel = rel(session);
        let error = |source| LogError::Write {
            rel: rel.clone(),
            source,
        };
        let dir = root.join("private").join("mail");
        std::fs::create_dir_all(&dir).map_err(error)?;
        let path = crate::store::resolve(root, &rel)
            .map_err(|e| error(std::io::Error::other(e.to_string())))?;
        crate::store::write_atomic(&path, self.to_yaml().as_bytes()).map_err(error)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_reads_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let empty = SentLog::read(dir.path(), "S1").unwrap();
        assert!(empty.sent.is_empty());
        let mut log = empty;
        log.sent.push(Entry {
            kind: "certificates".into(),
            to: "Lea.Rousseau@example.org".into(),
            at: "2026-06-15 10:00".into(),
            attachment: Some("ATT-S1-03.pdf".into()),
        });
        log.sent.push(Entry {
            kind: "survey".into(),
            to: "x: y@example.org".into(),
            at: "2026-06-15 10:01".into(),
            attachment: None,
        });
        log.write(dir.path(), "S1").unwrap();
        let again = SentLog::read(dir.path(), "S1").unwrap();
        assert_eq!(again, log);
        assert!(again.has("certificates", "lea.rousseau@EXAMPLE.org"));
        assert!(!again.has("survey", "lea.rousseau@example.org"));
        assert_eq!(again.count("certificates"), 1);
        let err = SentLog::read(dir.path(), "S2");
        assert!(err.is_ok(), "another session's log is a different file");
        std::fs::copy(
            dir.path().join("private/mail/S1.yaml"),
            dir.path().join("private/mail/S2.yaml"),
        )
        .unwrap();
        let err = SentLog::read(dir.path(), "S2").unwrap_err().to_string();
        assert!(err.contains("session: S1"), "{err}");
    }
}
