//! `fresk explain RULE`: a rule's documentation, from its declaration — the same text as its
//! section of docs/rules.md, which `fresk explain --all --format markdown` writes.

use super::Error;
use crate::cli::{ExplainArgs, ExplainFormat};
use crate::diagnostics::{self, docs};
use crate::rules;

pub fn run(args: &ExplainArgs) -> Result<u8, Error> {
    let text = match (&args.rule, args.format) {
        (Some(id), ExplainFormat::Text) => docs::text(find(id)?),
        (Some(id), ExplainFormat::Markdown) => docs::section(find(id)?),
        (None, ExplainFormat::Text) => rules::all()
            .iter()
            .map(|r| docs::text(r))
            .collect::<Vec<_>>()
            .join("\n"),
        (None, ExplainFormat::Markdown) => docs::markdown(rules::all()),
    };
    print!("{text}");
    Ok(0)
}

/// The rule `id`, or an error that suggests the closest id.
fn find(id: &str) -> Result<&'static rules::Rule, Error> {
    rules::find(id).ok_or_else(|| {
        let hint = diagnostics::did_you_mean(id, rules::all().iter().map(|r| r.id))
            .map(|m| format!("did you mean `{m}`? "))
            .unwrap_or_default();
        Error::refused(format!(
            "no rule `{id}`; {hint}`fresk lint --rules` lists every rule"
        ))
    })
}
