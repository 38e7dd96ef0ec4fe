//! The texts of the e-mails `fresk mail` sends: one plain-text minijinja template per kind of
//! message and language, `templates/mail/<kind>.<lang>.txt`, built in and overridable by a file
//! of the same name in the workspace's `templates/mail/`. The first line is `Subject: …`, then a
//! blank line, then the body.

use super::limits;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use std::path::Path;

/// The built-in message templates, by the name a workspace overrides them with.
pub const BUILT_IN: [(&str, &str); 4] = [
    (
        "certificates.fr.txt",
        include_str!("../../templates/mail/certificates.fr.txt"),
    ),
    (
        "certificates.en.txt",
        include_str!("../../templates/mail/certificates.en.txt"),
    ),
    (
        "survey.fr.txt",
        include_str!("../../templates/mail/survey.fr.txt"),
    ),
    (
        "survey.en.txt",
        include_str!("../../templates/mail/survey.en.txt"),
    ),
];

/// What a message template can use.
#[derive(Debug, Clone, Serialize)]
pub struct Fields {
    /// The participant's name, as in the roster.
    pub name: String,
    /// The session's id.
    pub session: String,
    /// The offer's label in the message's language.
    pub offer: String,
    /// The session's day, written the way the language writes dates.
    pub date: String,
    /// The association's name.
    pub organisation: String,
    /// The survey's link (survey messages).
    pub link: Option<String>,
    /// The attachment's file name (certificate messages).
    pub attachment: Option<String>,
}

/// A message's subject and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub subject: String,
    pub body: String,
}

/// One message template, loaded once and filled per participant.
pub struct Template {
    env: Environment<'static>,
    /// `templates/mail/x (the workspace's)` or `built-in template mail/x`.
    origin: String,
}

impl Template {
    /// The template of `kind` (`certificates`, `survey`) in `lang`: the workspace's
    /// `templates/mail/<kind>.<lang>.txt` when present, else the built-in one.
    pub fn load(root: &Path, kind: &str, lang: &str) -> Result<Template, String> {
        let name = format!("{kind}.{lang}.txt");
        let rel = format!("templates/mail/{name}");
        let own = super::inside(root, &rel)
            .map_err(|e| e.to_string())?
            .filter(|p| p.is_file());
        let (text, origin) = match own {
            Some(path) => (
                super::read_capped(&path, &rel).map_err(|e| e.to_string())?,
                format!("{rel} (the workspace's)"),
            ),
            None => match BUILT_IN.iter().find(|(n, _)| *n == name) {
                Some((_, text)) => (text.to_string(), format!("built-in template mail/{name}")),
                None => {
                    return Err(format!(
                        "no message template for `{kind}` in `{lang}`: write {rel} (a first line `Subject: …`, a blank line, then the body; see templates/README.md)"
                    ));
                }
            },
        };
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.set_fuel(Some(limits::FUEL));
        env.add_template_owned("message", text)
            .map_err(|e| format!("{origin}: {e}"))?;
        Ok(Template { env, origin })
    }

    /// The subject and body for `fields`.
    pub fn fill(&self, fields: &Fields) -> Result<Text, String> {
        let origin = &self.origin;
        let text = self
            .env
            .get_template("message")
            .and_then(|t| t.render(fields))
            .map_err(|e| format!("{origin}: {e}"))?;
        if text.len() > limits::MAX_OUTPUT {
            return Err(format!("{origin}: the message is far too long"));
        }
        split(&text).ok_or_else(|| {
            format!(
                "{origin}: the first line must be `Subject: …`, followed by a blank line and the body"
            )
        })
    }
}

/// `Subject: …`, a blank line, the body: the subject on one line (never empty) and the body.
fn split(text: &str) -> Option<Text> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = text.split_once('\n')?;
    let subject = first
        .trim_end_matches('\r')
        .strip_prefix("Subject:")?
        .trim();
    if subject.is_empty() {
        return None;
    }
    let body = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    Some(Text {
        subject: subject.to_string(),
        body: body.replace("\r\n", "\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields {
            name: "Léa Rousseau".into(),
            session: "M2026-0006-S01".into(),
            offer: "Formation animateur·ice".into(),
            date: "14/04/2026".into(),
            organisation: "Fresques en Rhône".into(),
            link: Some("https://forms.example/s?id=M2026-0006-S01".into()),
            attachment: Some("ATT-M2026-0006-S01-03.pdf".into()),
        }
    }

    #[test]
    fn built_in_templates_fill_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        for kind in ["certificates", "survey"] {
            for lang in ["fr", "en"] {
                let text = Template::load(dir.path(), kind, lang)
                    .unwrap()
                    .fill(&fields())
                    .unwrap();
                assert!(text.subject.contains("Formation animateur·ice"), "{text:?}");
                assert!(text.body.contains("Léa Rousseau"), "{text:?}");
                assert!(!text.body.starts_with('\n'));
            }
        }
        let survey = Template::load(dir.path(), "survey", "fr").unwrap();
        assert!(
            survey
                .fill(&fields())
                .unwrap()
                .body
                .contains("https://forms.example/s?id=M2026-0006-S01")
        );
    }

    #[test]
    fn a_workspace_overrides_a_template_and_a_bad_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/mail")).unwrap();
        std::fs::write(
            dir.path().join("templates/mail/survey.fr.txt"),
            "Subject: Avis {{ session }}\n\nCoucou {{ name }}\n",
        )
        .unwrap();
        let text = Template::load(dir.path(), "survey", "fr")
            .unwrap()
            .fill(&fields())
            .unwrap();
        assert_eq!(text.subject, "Avis M2026-0006-S01");
        assert_eq!(text.body, "Coucou Léa Rousseau\n");
        std::fs::write(
            dir.path().join("templates/mail/survey.fr.txt"),
            "Bonjour {{ name }}\n",
        )
        .unwrap();
        let err = Template::load(dir.path(), "survey", "fr")
            .unwrap()
            .fill(&fields())
            .unwrap_err();
        assert!(err.contains("templates/mail/survey.fr.txt"), "{err}");
        assert!(err.contains("Subject:"), "{err}");
        let err = Template::load(dir.path(), "survey", "de").err().unwrap();
        assert!(err.contains("templates/mail/survey.de.txt"), "{err}");
    }
}
