//! What a rule is: a stable id, a family, a severity and its documentation. Each rule is declared
//! once, with [`declare_rules!`], by the code that reports it; `crate::rules::all` lists them.

use super::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    Syntax,
    Shape,
    References,
    Lifecycle,
    Business,
    Legal,
    Privacy,
    History,
    Authority,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Syntax => "syntax",
            Family::Shape => "shape",
            Family::References => "references",
            Family::Lifecycle => "lifecycle",
            Family::Business => "business",
            Family::Legal => "legal",
            Family::Privacy => "privacy",
            Family::History => "history",
            Family::Authority => "authority",
        }
    }

    /// What the rules of the family check, in one sentence (the docs' family headings).
    pub fn about(self) -> &'static str {
        match self {
            Family::Syntax => {
                "Each file can be read: valid UTF-8 YAML, one mapping, in a place where a kind of file belongs."
            }
            Family::Shape => {
                "Each file has the fields of its kind, with values of the right type (the JSON Schemas in schema/)."
            }
            Family::References => {
                "Every id a file names exists, in the right kind of file, and ids are unique."
            }
            Family::Lifecycle => {
                "Each file's state is one its kind can be in, and it has the fields that state requires."
            }
            Family::Business => {
                "The network's own rules: roles and levels, orders and planning, payouts, fees, invoices and deadlines."
            }
            Family::Legal => {
                "What French law asks of the documents: gapless numbering, self-billing mandates, mandatory mentions, SIRET keys, VAT mentions."
            }
            Family::Privacy => {
                "Personal data stays out of the repository: out of tracked files, and private/ ignored by git."
            }
            Family::History => "With `--base REV`: what a change may do to the files of its base.",
            Family::Authority => {
                "With `--base REV --actor WHO`: whether the actor's role allows each change."
            }
        }
    }
}

/// A rule: a stable id, what it checks, and its documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// What it checks, in one line: the first line of its doc comment.
    pub summary: &'static str,
    /// The rest of its doc comment, a line each (see [`Rule::doc`]).
    pub doc: &'static [&'static str],
}

/// Where the rules' documentation is published (docs/rules.md), like the schemas' ids
/// (`https://fresk.dev/schema/<kind>.schema.json`) name schema/.
pub const DOCS_URL: &str = "https://fresk.dev/docs/rules";

/// A rule's documentation beyond its summary, read from its doc comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Why it matters and how to fix it: paragraphs separated by blank lines.
    pub explanation: String,
    /// YAML the rule reports.
    pub bad: String,
    /// The same YAML, fixed.
    pub good: String,
}

impl Rule {
    /// The anchor of the rule's section in docs/rules.md: its id.
    pub fn anchor(&self) -> &'static str {
        self.id
    }

    /// The address of the rule's documentation.
    pub fn help_uri(&self) -> String {
        format!("{DOCS_URL}#{}", self.anchor())
    }

    /// The explanation and the examples of the doc comment. A comment that does not follow the
    /// layout (see [`declare_rules!`]) is returned whole as the explanation; a unit test keeps
    /// every rule's in shape.
    pub fn doc(&self) -> Doc {
        self.try_doc().unwrap_or_else(|_| Doc {
            explanation: lines(self.doc).collect::<Vec<_>>().join("\n"),
            bad: String::new(),
            good: String::new(),
        })
    }
}

impl Rule {
    /// The explanation and the examples, or what is out of place in the doc comment.
    pub fn try_doc(&self) -> Result<Doc, String> {
        parse_doc(self.doc)
    }
}

/// The doc comment's lines without the space `/// ` leaves before the text.
fn lines(doc: &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    doc.iter().map(|l| l.strip_prefix(' ').unwrap_or(l))
}

/// Read a doc comment laid out as: a blank line, the explanation, `Bad:` and a ```` ```yaml ````
/// block, `Good:` and a ```` ```yaml ```` block; `Err` says what is out of place.
fn parse_doc(doc: &'static [&'static str]) -> Result<Doc, String> {
    let mut lines = lines(doc).peekable();
    if lines.next().is_some_and(|l| !l.trim().is_empty()) {
        return Err("the summary must be one line, followed by a blank line".into());
    }
    let mut explanation = Vec::new();
    for line in lines.by_ref() {
        if line == "Bad:" {
            break;
        }
        explanation.push(line);
    }
    let explanation = explanation.join("\n").trim().to_string();
    if explanation.is_empty() {
        return Err("no explanation before `Bad:`".into());
    }
    let bad = example(&mut lines, "Bad:")?;
    if lines.next().is_some_and(|l| !l.is_empty()) || lines.next() != Some("Good:") {
        return Err("the bad example must be followed by a blank line and `Good:`".into());
    }
    let good = example(&mut lines, "Good:")?;
    if let Some(extra) = lines.next() {
        return Err(format!("text after the good example: `{extra}`"));
    }
    Ok(Doc {
        explanation,
        bad,
        good,
    })
}

/// The ```` ```yaml ```` block that follows `label`.
fn example(lines: &mut impl Iterator<Item = &'static str>, label: &str) -> Result<String, String> {
    if lines.next() != Some("```yaml") {
        return Err(format!("`{label}` must be followed by a ```yaml block"));
    }
    let mut text = String::new();
    for line in lines {
        if line == "```" {
            return if text.trim().is_empty() {
                Err(format!("the example after `{label}` is empty"))
            } else {
                Ok(text)
            };
        }
        text.push_str(line);
        text.push('\n');
    }
    Err(format!("the example after `{label}` has no closing ```"))
}

/// Declare rules, each with its documentation as a doc comment:
///
/// ```text
/// /// the summary, on one line (what `fresk lint --rules` prints)
/// ///
/// /// Why it matters and how to fix it, in paragraphs.
/// ///
/// /// Bad:
/// /// ```yaml
/// /// # the file it is in
/// /// field: a value the rule reports
/// /// ```
/// ///
/// /// Good:
/// /// ```yaml
/// /// field: the value fixed
/// /// ```
/// NAME = "id", Family, Severity;
/// ```
///
/// makes `pub static NAME: Rule` for each, and `pub static RULES: &[&Rule]` listing them in
/// order. The id is the anchor of the rule's section in docs/rules.md.
macro_rules! declare_rules {
    ($(
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        $name:ident = $id:literal, $family:ident, $severity:ident;
    )+) => {
        $(
            #[doc = $summary]
            $(#[doc = $doc])*
            pub static $name: $crate::diagnostics::Rule = $crate::diagnostics::Rule {
                id: $id,
                family: $crate::diagnostics::Family::$family,
                severity: $crate::diagnostics::Severity::$severity,
                summary: $summary.trim_ascii(),
                doc: &[$($doc),*],
            };
        )+
        /// The rules declared here, in the order `fresk lint --rules` lists them.
        pub static RULES: &[&$crate::diagnostics::Rule] = &[$(&$name),+];
    };
}
pub(crate) use declare_rules;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doc_comment_reads_as_explanation_and_examples() {
        static DOC: &[&str] = &[
            "",
            " Why it matters.",
            "",
            " How to fix it.",
            "",
            " Bad:",
            " ```yaml",
            " # people/ana.yaml",
            " roles: [facilitatr]",
            " ```",
            "",
            " Good:",
            " ```yaml",
            " roles: [facilitator]",
            " ```",
        ];
        let doc = parse_doc(DOC).unwrap();
        assert_eq!(doc.explanation, "Why it matters.\n\nHow to fix it.");
        assert_eq!(doc.bad, "# people/ana.yaml\nroles: [facilitatr]\n");
        assert_eq!(doc.good, "roles: [facilitator]\n");
        assert!(parse_doc(&DOC[..10]).is_err(), "no good example");
        assert!(parse_doc(&[" more summary"]).is_err());
    }
}
