//! The words of rendered documents, one file per language: `templates/labels/<lang>.yaml`.
//!
//! French and English are compiled in; a workspace's `templates/labels/<lang>.yaml` overrides
//! keys of a built-in language or adds a language of its own (missing keys fall back to French,
//! so a new language can be translated a key at a time).

use std::collections::BTreeMap;
use std::path::Path;

const BUILT_IN: [(&str, &str); 2] = [
    ("fr", include_str!("../../templates/labels/fr.yaml")),
    ("en", include_str!("../../templates/labels/en.yaml")),
];

/// The labels of one language.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(transparent)]
pub struct Labels {
    map: BTreeMap<String, String>,
}

/// Why the labels of a language cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum LabelsError {
    #[error("{file}: {detail}; a labels file is a flat mapping of `key: text` lines")]
    Invalid {
        file: String,
        detail: crate::yaml::de::TextError,
    },
    #[error("`{}` is not a language code; write a code such as fr, en or pt-BR", .0.escape_debug())]
    NotACode(String),
    #[error(
        "no labels for language `{lang}`: fresk has fr and en built in; add {rel} (copy the keys of fresk's templates/labels/en.yaml and translate them)"
    )]
    Unknown { lang: String, rel: String },
    #[error(transparent)]
    Read(#[from] super::ReadError),
}

fn parse(text: &str, file: &str) -> Result<BTreeMap<String, String>, LabelsError> {
    crate::yaml::de::from_text(text).map_err(|detail| LabelsError::Invalid {
        file: file.to_string(),
        detail,
    })
}

impl Labels {
    /// The labels of `lang`: the built-in file (French for an unknown language), overridden by
    /// the workspace's file of the same name when there is one.
    pub fn load(root: &Path, lang: &str) -> Result<Labels, LabelsError> {
        let built_in = |code: &str| BUILT_IN.iter().find(|(c, _)| *c == code).map(|(_, t)| *t);
        let mut map = parse(
            built_in("fr").unwrap_or_default(),
            "templates/labels/fr.yaml",
        )?;
        if lang != "fr"
            && let Some(text) = built_in(lang)
        {
            map.extend(parse(text, &format!("templates/labels/{lang}.yaml"))?);
        }
        // The code names a file: only a language code may (never `../…`).
        if !crate::model::config::is_language_code(lang) {
            return Err(LabelsError::NotACode(lang.to_string()));
        }
        let rel = format!("templates/labels/{lang}.yaml");
        match super::inside(root, &rel)? {
            Some(own) => map.extend(parse(&super::read_capped(&own, &rel)?, &rel)?),
            None => {
                if built_in(lang).is_none() {
                    return Err(LabelsError::Unknown {
                        lang: lang.to_string(),
                        rel,
                    });
                }
            }
        }
        Ok(Labels { map })
    }

    /// The text of `key` (the key itself when no file defines it, so a gap shows on the page).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The built-in languages.
    pub fn built_in() -> impl Iterator<Item = &'static str> {
        BUILT_IN.iter().map(|(c, _)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_french_key() {
        let fr = parse(BUILT_IN[0].1, "fr").unwrap();
        for (code, text) in BUILT_IN {
            let map = parse(text, code).unwrap();
            let missing: Vec<_> = fr.keys().filter(|k| !map.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            let extra: Vec<_> = map.keys().filter(|k| !fr.contains_key(*k)).collect();
            assert!(extra.is_empty(), "{code} has keys French lacks: {extra:?}");
        }
    }

    #[test]
    fn workspace_files_override_and_add_languages() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/labels")).unwrap();
        std::fs::write(
            dir.path().join("templates/labels/en.yaml"),
            "quote: Estimate\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("templates/labels/de.yaml"),
            "quote: Angebot\n",
        )
        .unwrap();
        let en = Labels::load(dir.path(), "en").unwrap();
        assert_eq!(en.get("quote"), "Estimate");
        assert_eq!(en.get("invoice"), "Invoice");
        let de = Labels::load(dir.path(), "de").unwrap();
        assert_eq!(de.get("quote"), "Angebot");
        assert_eq!(
            de.get("invoice"),
            "Facture",
            "untranslated keys fall back to French"
        );
        let err = Labels::load(dir.path(), "it").unwrap_err().to_string();
        assert!(err.contains("templates/labels/it.yaml"), "{err}");
        assert_eq!(
            en.fill("vat_rate", &[("rate", "20")]),
            "VAT 20%",
            "placeholders are filled"
        );
    }
}
