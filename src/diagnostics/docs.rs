//! The rules' documentation, as `fresk explain` prints it and as docs/rules.md holds it: both
//! made from the rules' declarations (their doc comments), so that they never drift apart.

use super::{Family, Rule};
use std::fmt::Write;

/// One rule's documentation as text, for a terminal.
pub fn text(rule: &Rule) -> String {
    let doc = rule.doc();
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rule.id, rule.summary);
    let _ = writeln!(out);
    let _ = writeln!(out, "  family    {}", rule.family.as_str());
    let _ = writeln!(out, "  severity  {}", rule.severity.as_str());
    let _ = writeln!(out, "  docs      {}", rule.help_uri());
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", doc.explanation);
    for (label, example) in [("Bad:", &doc.bad), ("Good:", &doc.good)] {
        let _ = writeln!(out, "\n{label}\n");
        for line in example.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out
}

/// docs/rules.md: every rule of `rules` (in the order of `crate::rules::all`), under a heading
/// per family, each in a section anchored by its id.
pub fn markdown(rules: &[&Rule]) -> String {
    let mut out = String::from(PREAMBLE);
    let mut families: Vec<Family> = rules.iter().map(|r| r.family).collect();
    families.dedup();
    for family in families {
        let of_family: Vec<&Rule> = rules
            .iter()
            .copied()
            .filter(|r| r.family == family)
            .collect();
        let _ = writeln!(out, "\n## {}\n\n{}\n", family.as_str(), family.about());
        let _ = writeln!(out, "| Rule | Severity | What it finds |\n|---|---|---|");
        for r in &of_family {
            let _ = writeln!(
                out,
                "| [{id}](#{anchor}) | {} | {} |",
                r.severity.as_str(),
                r.summary,
                id = r.id,
                anchor = r.anchor()
            );
        }
        for r in of_family {
            out.push('\n');
            out.push_str(&section(r));
        }
    }
    out
}

/// One rule's section of docs/rules.md, under a heading that is its anchor.
pub fn section(rule: &Rule) -> String {
    let doc = rule.doc();
    let mut out = String::new();
    let _ = writeln!(out, "### {}\n", rule.id);
    let _ = writeln!(
        out,
        "*{}* · {} · `fresk explain {}`\n",
        rule.severity.as_str(),
        rule.family.as_str(),
        rule.id
    );
    let _ = writeln!(out, "{}.\n", capitalised(rule.summary));
    let _ = writeln!(out, "{}\n", doc.explanation);
    let _ = writeln!(out, "Bad:\n\n```yaml\n{}```\n", doc.bad);
    let _ = writeln!(out, "Good:\n\n```yaml\n{}```", doc.good);
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const PREAMBLE: &str = "\
# Rules

<!-- Made from the rules' declarations by `fresk explain --all --format markdown`: edit the doc
comments in src/ (`declare_rules!`), never this file. A test fails when they differ. -->

`fresk lint` checks every file of the workspace and every rule across files. Each finding names
its rule by a stable id; `fresk explain RULE` prints the rule's section below, and `fresk lint
--rules` lists every rule on one line. Errors fail the lint (exit code 1), warnings only with
`--strict`.

With `--format json`, fresk prints `{\"version\": 2, \"findings\": [...], \"summary\": {...}}`: each
finding has `rule`, `severity`, `file`, `line`, `column`, `end_line`, `end_column` (1-based,
counted in characters), `message` and `related` — the other places it involves (the first file
with a duplicate id, the other booking of a double booking), each with `file`, `line`, `column`,
`end_line`, `end_column` and `message`. Version 1 had no `related`. In SARIF they are
`relatedLocations`; in the human output, notes under the finding.
";
