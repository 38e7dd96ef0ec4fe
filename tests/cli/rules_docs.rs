//! The rules' documentation: `fresk explain`, docs/rules.md made from the same declarations,
//! the README pointing there, and SARIF carrying it.

use crate::support::*;

/// Run `fresk ARGS…` outside any workspace: explaining a rule needs none.
fn fresk(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = fresk_command(dir.path()).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Every rule id, as `fresk lint --rules` lists them.
fn rule_ids() -> Vec<String> {
    let (code, stdout, _) = fresk(&["lint", "--rules"]);
    assert_eq!(code, 0);
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn explain_prints_a_rules_documentation() {
    let (code, stdout, _) = fresk(&["explain", "double-booked"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

#[test]
fn explain_suggests_the_closest_rule_for_an_unknown_id() {
    let (code, stdout, stderr) = fresk(&["explain", "double-boked"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("no rule `double-boked`; did you mean `double-booked`?"),
        "{stderr}"
    );
    let (code, _, stderr) = fresk(&["explain", "colour"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`fresk lint --rules` lists every rule"),
        "{stderr}"
    );
    assert!(!stderr.contains("did you mean"), "{stderr}");
}

#[test]
fn every_rule_has_its_explanation_and_examples() {
    let ids = rule_ids();
    assert!(ids.len() > 60, "{ids:?}");
    let (code, all, _) = fresk(&["explain", "--all"]);
    assert_eq!(code, 0);
    for id in &ids {
        let (code, text, _) = fresk(&["explain", id]);
        assert_eq!(code, 0, "{id}");
        assert!(text.starts_with(&format!("{id}: ")), "{text}");
        for part in ["  family ", "  severity ", "Bad:\n", "Good:\n"] {
            assert!(text.contains(part), "{id} lacks {part:?}:\n{text}");
        }
        assert!(
            text.contains(&format!("https://fresk.dev/docs/rules#{id}")),
            "{text}"
        );
        assert!(all.contains(&text), "--all lacks {id}");
    }
}

/// docs/rules.md is `fresk explain --all --format markdown`. After changing a rule's doc
/// comment, regenerate it with
///
/// ```sh
/// FRESK_UPDATE_DOCS=1 cargo test --test cli rules_docs
/// ```
///
/// (or `cargo run -- explain --all --format markdown > docs/rules.md`).
#[test]
fn docs_rules_md_is_made_from_the_declarations() {
    let (code, made, _) = fresk(&["explain", "--all", "--format", "markdown"]);
    assert_eq!(code, 0);
    let path = manifest_dir().join("docs/rules.md");
    if std::env::var_os("FRESK_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == made,
        "docs/rules.md differs from the rules' declarations; regenerate it with \
         `FRESK_UPDATE_DOCS=1 cargo test --test cli rules_docs` (or `cargo run -- explain --all \
         --format markdown > docs/rules.md`) and commit it"
    );
    for id in rule_ids() {
        assert!(made.contains(&format!("\n### {id}\n")), "{id}");
        assert!(made.contains(&format!("[{id}](#{id})")), "{id}");
    }
}

/// The README does not list the rules itself: it says what each family checks and links
/// docs/rules.md.
#[test]
fn the_readme_points_to_the_rules_documentation() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    assert!(
        readme.contains("(docs/rules.md)"),
        "no link to docs/rules.md"
    );
    let (_, rules, _) = fresk(&["lint", "--rules"]);
    for family in rules
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
    {
        assert!(
            readme.contains(&format!("**{family}**")),
            "README.md says nothing of the {family} rules"
        );
    }
}

#[test]
fn sarif_rules_carry_their_documentation() {
    let ws = Ws::base();
    let out = ws.run(&["lint", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids = rule_ids();
    assert_eq!(rules.len(), ids.len());
    for (rule, id) in rules.iter().zip(&ids) {
        assert_eq!(rule["id"], id.as_str());
        assert_eq!(
            rule["helpUri"],
            format!("https://fresk.dev/docs/rules#{id}").as_str()
        );
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(full.len() > 100, "{id}: {full}");
        let help = rule["help"]["markdown"].as_str().unwrap();
        assert!(help.starts_with(&format!("### {id}\n")), "{help}");
        assert!(help.contains("```yaml"), "{help}");
    }
}
