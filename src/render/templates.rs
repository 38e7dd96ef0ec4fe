//! The document templates: built in (compiled from `templates/`), overridable by name from the
//! workspace's own `templates/` folder.

use super::limits;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::path::Path;

/// Every built-in template, by the name a workspace overrides it with.
pub const BUILT_IN: [(&str, &str); 8] = [
    ("layout.html", include_str!("../../templates/layout.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("quote.html", include_str!("../../templates/quote.html")),
    ("invoice.html", include_str!("../../templates/invoice.html")),
    (
        "credit-note.html",
        include_str!("../../templates/credit-note.html"),
    ),
    (
        "self-invoice.html",
        include_str!("../../templates/self-invoice.html"),
    ),
    (
        "certificate.html",
        include_str!("../../templates/certificate.html"),
    ),
    (
        "attendance-sheet.html",
        include_str!("../../templates/attendance-sheet.html"),
    ),
];

/// Why a template cannot be loaded or rendered; `origin` says which (`templates/x.html (the
/// workspace's)`, `built-in template x.html`).
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read the folder templates/: {0}")]
    Folder(std::io::Error),
    #[error(transparent)]
    Read(#[from] super::ReadError),
    #[error("{origin}: {detail}")]
    Invalid { origin: String, detail: String },
    #[error(
        "{origin}: stopped after writing {} MiB of HTML, more than any document takes (a loop that repeats far too often?); fix the template; nothing was written",
        limits::MAX_OUTPUT >> 20
    )]
    TooMuchOutput { origin: String },
    #[error(
        "{origin}: stopped after {} million steps, far more than any document takes (a loop that repeats far too often?); fix the template; nothing was written",
        limits::FUEL / 1_000_000
    )]
    OutOfFuel { origin: String },
    #[error("{origin}: the HTML is not UTF-8")]
    NotUtf8 { origin: String },
    #[error(transparent)]
    Unfinished(#[from] limits::Unfinished),
}

impl TemplateError {
    /// minijinja's error `e` about the template from `origin`.
    fn invalid(origin: impl Into<String>, e: &minijinja::Error) -> TemplateError {
        TemplateError::Invalid {
            origin: origin.into(),
            detail: describe(e),
        }
    }
}

/// The template environment of one workspace.
pub struct Templates {
    env: Environment<'static>,
    /// Which templates the workspace overrides (for messages).
    pub overridden: Vec<String>,
}

impl Templates {
    /// The built-in templates, each replaced by the workspace's `templates/<name>` when present;
    /// other `.html` files there are available to `{% include %}` and `{% import %}` too.
    ///
    /// Only files inside the workspace are read: a `templates/` folder or a template that is a
    /// symbolic link out of it is refused (its target is never opened), one that stays inside is
    /// followed.
    pub fn load(root: &Path) -> Result<Templates, TemplateError> {
        let mut env = Environment::new();
        // Every value is HTML-escaped, whatever the file name; templates cannot opt out per
        // file, only per value with `|safe`, which the built-in templates never use.
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.set_fuel(Some(limits::FUEL));
        let mut overridden = Vec::new();
        let mut own = Vec::new();
        if let Some(dir) = super::inside(root, "templates")? {
            let entries = std::fs::read_dir(&dir).map_err(TemplateError::Folder)?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.ends_with(".html") {
                    continue;
                }
                let rel = format!("templates/{name}");
                let Some(path) = super::inside(root, &rel)? else {
                    continue;
                };
                if !path.is_file() {
                    continue;
                }
                let text = super::read_capped(&path, &rel)?;
                own.push((name, text));
            }
        }
        own.sort();
        for (name, text) in own {
            env.add_template_owned(name.clone(), text)
                .map_err(|e| TemplateError::invalid(format!("templates/{name}"), &e))?;
            overridden.push(name);
        }
        for (name, text) in BUILT_IN {
            if !overridden.iter().any(|n| n == name) {
                env.add_template(name, text)
                    .map_err(|e| TemplateError::invalid(format!("built-in template {name}"), &e))?;
            }
        }
        Ok(Templates { env, overridden })
    }

    /// Makes `value` available to every template as `name` (e.g. `branding`).
    pub fn add_global(&mut self, name: &'static str, value: minijinja::Value) {
        self.env.add_global(name, value);
    }

    /// Where template `name` comes from, for messages.
    fn origin(&self, name: &str) -> String {
        if self.overridden.iter().any(|n| n == name) {
            format!("templates/{name} (the workspace's)")
        } else {
            format!("built-in template {name}")
        }
    }

    /// Render template `name` with `context`, within the limits of [`limits`]: a template that
    /// runs too long or writes too much is an error naming it; one that takes too much memory
    /// ends the command ([`limits::watched`]).
    pub fn render(&self, name: &str, context: minijinja::Value) -> Result<String, TemplateError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| TemplateError::invalid(format!("template {name}"), &e))?;
        let origin = self.origin(name);
        let (result, out) = limits::watched(&origin, || {
            let mut out = limits::Capped::new(limits::MAX_OUTPUT);
            let result = template.render_captured_to(context, &mut out).map(|done| {
                crate::stats::line(|| {
                    format!(
                        "fresk-template: {name} fuel={}",
                        done.state().fuel_levels().map_or(0, |(used, _)| used)
                    )
                });
            });
            (result, out)
        })?;
        if out.over {
            return Err(TemplateError::TooMuchOutput { origin });
        }
        if let Err(e) = result {
            if e.kind() == minijinja::ErrorKind::OutOfFuel {
                return Err(TemplateError::OutOfFuel { origin });
            }
            return Err(TemplateError::invalid(origin, &e));
        }
        String::from_utf8(out.bytes).map_err(|_| TemplateError::NotUtf8 { origin })
    }
}

/// A minijinja error, said once: errors inside an `{% include %}` or a macro come wrapped
/// once per level, and the innermost one says what went wrong and where.
fn describe(e: &minijinja::Error) -> String {
    let mut innermost: &dyn std::error::Error = e;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    innermost.to_string()
}
