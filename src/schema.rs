//! JSON Schemas (Draft-07) generated from the model types: written to `schema/` for editors,
//! and used by the shape rules so that editors and `fresk lint` agree on every field.

use crate::model::{
    Complaint, Config, Declaration, Interactions, Invoice, Kind, Mission, Organisation, Payout,
    Person, Request, Session,
};
use schemars::generate::SchemaSettings;
use serde_json::Value;
use std::sync::OnceLock;

fn generate<T: schemars::JsonSchema>(kind: Kind, title: &str) -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        map.insert(
            "$id".into(),
            Value::String(format!("https://fresk.dev/schema/{}", kind.schema_file())),
        );
        map.insert("title".into(), Value::String(title.into()));
    }
    value
}

/// The schema of one kind of file.
pub fn for_kind(kind: Kind) -> &'static Value {
    static SCHEMAS: OnceLock<Vec<Value>> = OnceLock::new();
    let all = SCHEMAS.get_or_init(|| Kind::ALL.iter().map(|k| build(*k)).collect());
    let index = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    &all[index]
}

fn build(kind: Kind) -> Value {
    match kind {
        Kind::Config => generate::<Config>(kind, "fresk.yaml — workspace configuration"),
        Kind::Person => generate::<Person>(
            kind,
            "people/<id>.yaml — a facilitator, coordinator or staff member",
        ),
        Kind::Organisation => {
            generate::<Organisation>(kind, "organisations/<id>.yaml — a client or prospect")
        }
        Kind::Request => {
            generate::<Request>(kind, "requests/<year>/<id>.yaml — an incoming request")
        }
        Kind::Mission => generate::<Mission>(kind, "missions/<id>/mission.yaml — a mission"),
        Kind::Session => {
            generate::<Session>(kind, "missions/<mission>/sessions/<id>.yaml — a session")
        }
        Kind::Payout => generate::<Payout>(kind, "payouts/<year>/<id>.yaml — a payout request"),
        Kind::Invoice => generate::<Invoice>(
            kind,
            "invoices/<year>/<id>.yaml — a client invoice or credit note",
        ),
        Kind::Declaration => generate::<Declaration>(
            kind,
            "declarations/<year>/<id>.yaml — a usage-rights fee declaration",
        ),
        Kind::Interactions => generate::<Interactions>(
            kind,
            "interactions/<organisation>/<year>.yaml — one organisation's contacts and callbacks in one year",
        ),
        Kind::Complaint => {
            generate::<Complaint>(kind, "complaints/<year>/<id>.yaml — a client's complaint")
        }
    }
}

/// The text written to `schema/<kind>.schema.json`.
pub fn file_text(kind: Kind) -> String {
    let mut text = serde_json::to_string_pretty(for_kind(kind)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in schema/ must be what the model generates, and so must the example
    /// workspace's own copy (its files' modelines point at it, as in every workspace
    /// `fresk init` makes).
    #[test]
    fn checked_in_schemas_are_in_sync() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (dir, regenerate) in [
            ("schema", "cargo run -- schema --write --out schema"),
            (
                "examples/demo/schema",
                "cargo run -- -C examples/demo schema --write",
            ),
        ] {
            for kind in Kind::ALL {
                let path = root.join(dir).join(kind.schema_file());
                let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
                assert!(
                    on_disk == file_text(kind),
                    "{} is out of date; regenerate with `{regenerate}`",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn schemas_are_draft_07_with_descriptions() {
        for kind in Kind::ALL {
            let s = for_kind(kind);
            assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
            assert!(s.get("title").is_some());
            assert_eq!(s["additionalProperties"], false, "{}", kind.name());
        }
        let session = for_kind(Kind::Session);
        assert!(session["properties"]["offer"]["description"].is_string());
    }
}
