//! The document templates: built in (compiled from `templates/`), overridable by name from the
//! workspace's own `templates/` folder.

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::path::Path;

/// Every built-in template, by the name a workspace overrides it with.
pub const BUILT_IN: [(&str, &str); 7] = [
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
];

/// The template environment of one workspace.
pub struct Templates {
    env: Environment<'static>,
    /// Which templates the workspace overrides (for messages).
    pub overridden: Vec<String>,
}

impl Templates {
    /// The built-in templates, each replaced by the workspace's `templates/<name>` when present;
    /// other `.html` files there are available to `{% include %}` and `{% import %}` too.
    pub fn load(root: &Path) -> Result<Templates, String> {
        let mut env = Environment::new();
        // Every value is HTML-escaped, whatever the file name; templates cannot opt out per
        // file, only per value with `|safe`, which the built-in templates never use.
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        let mut overridden = Vec::new();
        let dir = root.join("templates");
        let mut own = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".html") && entry.file_type().is_ok_and(|t| t.is_file()) {
                    let text = std::fs::read_to_string(entry.path())
                        .map_err(|e| format!("cannot read templates/{name}: {e}"))?;
                    own.push((name, text));
                }
            }
        }
        own.sort();
        for (name, text) in own {
            env.add_template_owned(name.clone(), text)
                .map_err(|e| format!("templates/{name}: {}", describe(&e)))?;
            overridden.push(name);
        }
        for (name, text) in BUILT_IN {
            if !overridden.iter().any(|n| n == name) {
                env.add_template(name, text)
                    .map_err(|e| format!("built-in template {name}: {}", describe(&e)))?;
            }
        }
        Ok(Templates { env, overridden })
    }

    /// Render template `name` with `context`.
    pub fn render(&self, name: &str, context: minijinja::Value) -> Result<String, String> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| format!("template {name}: {}", describe(&e)))?;
        template.render(context).map_err(|e| {
            let origin = if self.overridden.iter().any(|n| n == name) {
                format!("templates/{name} (the workspace's)")
            } else {
                format!("built-in template {name}")
            };
            format!("{origin}: {}", describe(&e))
        })
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
