//! A new association from an empty folder: `fresk init` (identity, git, CI), `fresk person` and
//! `fresk organisation`, the refusals while the identity is a placeholder — with commands only,
//! no YAML written by hand.

use crate::support::*;
use std::path::Path;
use std::process::{Command, Output};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// fresk in `dir`, isolated from the user's git configuration, with a git identity given the
/// way git takes it from the environment.
fn fresk_as_user(dir: &Path, now: &str) -> Command {
    let mut cmd = fresk_command(dir);
    cmd.env("FRESK_NOW", now)
        .env("GIT_AUTHOR_NAME", "Ana Martin")
        .env("GIT_AUTHOR_EMAIL", "ana@ateliers-du-lien.example")
        .env("GIT_COMMITTER_NAME", "Ana Martin")
        .env("GIT_COMMITTER_EMAIL", "ana@ateliers-du-lien.example");
    cmd
}

#[track_caller]
fn ok_in(dir: &Path, now: &str, args: &[&str]) -> Output {
    let out = fresk_as_user(dir, now).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "`fresk {}` failed:\n{}",
        args.join(" "),
        text(&out.stderr)
    );
    out
}

#[track_caller]
fn refused_in(dir: &Path, now: &str, args: &[&str]) -> String {
    let before = tree_of(dir);
    let out = fresk_as_user(dir, now).args(args).output().unwrap();
    assert_ne!(
        out.status.code(),
        Some(0),
        "`fresk {}` succeeded",
        args.join(" ")
    );
    assert_eq!(before, tree_of(dir), "a refused command changed files");
    text(&out.stderr)
}

fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

const INIT_NOW: &str = "2026-06-15 10:00";

fn init_association(parent: &Path) -> std::path::PathBuf {
    ok_in(
        parent,
        INIT_NOW,
        &[
            "init",
            "assoc",
            "--name",
            "Les Ateliers du Lien",
            "--siret",
            "732 829 320 00074",
            "--address",
            "12 rue des Tanneurs, 69007 Lyon",
            "--ci",
            "github",
        ],
    );
    parent.join("assoc")
}

#[test]
fn a_new_association_reaches_a_quote_and_a_payout_with_commands_only() {
    let parent = tempfile::tempdir().unwrap();
    let root = init_association(parent.path());
    // A repository on main whose first commit holds the workspace and its CI job.
    assert_eq!(git_in(&root, &["branch", "--show-current"]).trim(), "main");
    let tracked = git_in(&root, &["ls-files"]);
    for file in [
        ".gitignore",
        "fresk.yaml",
        ".github/workflows/fresk.yml",
        "people/.gitkeep",
    ] {
        assert!(
            tracked.lines().any(|l| l == file),
            "{file} not committed:\n{tracked}"
        );
    }
    assert_eq!(git_in(&root, &["status", "--porcelain"]), "");
    let config = std::fs::read_to_string(root.join("fresk.yaml")).unwrap();
    assert!(
        config.contains("  name: Les Ateliers du Lien\n"),
        "{config}"
    );
    assert!(config.contains("  siret: \"73282932000074\"\n"), "{config}");
    assert!(
        config.contains("  address: \"12 rue des Tanneurs, 69007 Lyon\"\n"),
        "{config}"
    );

    let now = "2026-06-15 10:00";
    let steps: &[(&str, &[&str])] = &[
        (
            now,
            &[
                "person",
                "new",
                "ana-martin",
                "--name",
                "Ana Martin",
                "--role",
                "staff",
                "--git",
                "ana-m",
            ],
        ),
        (
            now,
            &[
                "person",
                "new",
                "camille-dupont",
                "--name",
                "Camille Dupont",
                "--role",
                "facilitator,coordinator",
                "--email",
                "camille@example.org",
            ],
        ),
        (
            now,
            &[
                "person",
                "edit",
                "camille-dupont",
                "--legal-name",
                "Camille Dupont EI",
                "--siret",
                "90215834400017",
                "--billing-address",
                "3 place Colbert, 69001 Lyon",
                "--vat",
                "franchise",
                "--mandate-signed",
                "2026-06-01",
                "--git",
                "camilled",
            ],
        ),
        (
            now,
            &[
                "organisation",
                "new",
                "acme",
                "--name",
                "ACME SARL",
                "--sector",
                "business",
                "--siret",
                "81355207200015",
                "--contact",
                "Bastien Colin <bastien@acme.example>",
            ],
        ),
        (
            now,
            &[
                "organisation",
                "edit",
                "acme",
                "--address",
                "8 quai Rambaud, 69002 Lyon",
            ],
        ),
        (
            now,
            &[
                "request",
                "new",
                "--organisation",
                "acme",
                "--track",
                "subcontracting",
                "--channel",
                "email",
                "--origin",
                "word-of-mouth",
                "--summary",
                "Two workshops",
                "--participants",
                "20",
                "--owner",
                "ana-martin",
            ],
        ),
        (now, &["request", "qualify", "R2026-0001"]),
        (
            now,
            &[
                "request",
                "quote",
                "R2026-0001",
                "--line",
                "workshop-onsite:2",
            ],
        ),
        (now, &["render", "quote", "R2026-0001"]),
        ("2026-06-16 09:00", &["request", "win", "R2026-0001"]),
        ("2026-06-16 09:00", &["request", "publish", "R2026-0001"]),
        (
            "2026-06-16 09:00",
            &[
                "request",
                "assign",
                "R2026-0001",
                "--coordinator",
                "camille-dupont",
            ],
        ),
        (
            "2026-06-16 10:00",
            &[
                "mission",
                "new",
                "--request",
                "R2026-0001",
                "--coordinator",
                "camille-dupont",
            ],
        ),
        (
            "2026-06-16 10:00",
            &[
                "session",
                "new",
                "--mission",
                "M2026-0001",
                "--offer",
                "workshop-onsite",
                "--start",
                "2026-06-22 09:00",
                "--facilitator",
                "camille-dupont",
                "--location",
                "ACME",
            ],
        ),
        (
            "2026-06-22 14:00",
            &["session", "hold", "M2026-0001-S01", "--attended", "12"],
        ),
        (
            "2026-06-22 14:00",
            &["payout", "request", "--mission", "M2026-0001"],
        ),
    ];
    for (now, args) in steps {
        ok_in(&root, now, args);
        let lint = fresk_as_user(&root, now)
            .args(["lint", "--format", "json"])
            .output()
            .unwrap();
        let lint = Lint::parse(&lint);
        assert!(
            lint.findings.is_empty(),
            "after `fresk {}`:\n{}",
            args.join(" "),
            lint.listing()
        );
    }
    let pdf = std::fs::read(root.join("D2026-0001.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let payout =
        std::fs::read_to_string(root.join("payouts/2026/P2026-06-M2026-0001.yaml")).unwrap();
    assert!(payout.contains("state: requested"), "{payout}");
    // The rendered quote is ignored by git; the new YAML files are there to commit.
    let status = git_in(&root, &["status", "--porcelain", "--untracked-files=all"]);
    assert!(!status.contains(".pdf"), "{status}");
    assert!(status.contains("people/camille-dupont.yaml"), "{status}");
    assert!(
        status.contains("payouts/2026/P2026-06-M2026-0001.yaml"),
        "{status}"
    );
}

#[test]
fn a_placeholder_identity_lints_with_a_warning_and_blocks_numbers_and_documents() {
    let parent = tempfile::tempdir().unwrap();
    ok_in(parent.path(), INIT_NOW, &["init", "assoc", "--no-git"]);
    let root = parent.path().join("assoc");
    assert!(!root.join(".git").exists(), "--no-git made a repository");
    let ws = Ws::copy_of(&root);
    let lint = ws.lint();
    assert_eq!(lint.code, 0, "a warning does not fail lint");
    let found = lint.expect("placeholder-identity", "fresk.yaml", 8, 9);
    assert!(
        found.message.contains("organisation.name"),
        "{}",
        found.message
    );
    assert_eq!(lint.findings.len(), 1, "{}", lint.listing());

    let now = "2026-06-15 10:00";
    let root = ws.path();
    ok_in(
        root,
        now,
        &[
            "person",
            "new",
            "ana-martin",
            "--name",
            "Ana Martin",
            "--role",
            "staff",
        ],
    );
    ok_in(
        root,
        now,
        &[
            "organisation",
            "new",
            "acme",
            "--name",
            "ACME",
            "--sector",
            "public",
            "--address",
            "1 place de la Mairie, 69001 Lyon",
        ],
    );
    ok_in(
        root,
        now,
        &[
            "request",
            "new",
            "--organisation",
            "acme",
            "--track",
            "subcontracting",
            "--channel",
            "email",
            "--origin",
            "town-hall",
            "--summary",
            "A workshop",
        ],
    );
    ok_in(root, now, &["request", "qualify", "R2026-0001"]);
    let err = refused_in(
        root,
        now,
        &[
            "request",
            "quote",
            "R2026-0001",
            "--line",
            "workshop-onsite:1",
        ],
    );
    assert!(
        err.contains("refusing to number a quote: `organisation.name` in fresk.yaml is still the placeholder `fresk init` wrote"),
        "{err}"
    );
    // Once the identity is set (by hand here: fresk.yaml is edited, not generated), quoting works.
    ws.edit(
        "fresk.yaml",
        "name: Association Exemple",
        "name: Les Ateliers du Lien",
    )
    .edit(
        "fresk.yaml",
        "siret: \"68433532671874\"",
        "siret: \"73282932000074\"",
    );
    ok_in(
        root,
        now,
        &[
            "request",
            "quote",
            "R2026-0001",
            "--line",
            "workshop-onsite:1",
        ],
    );
    ws.edit(
        "fresk.yaml",
        "siret: \"73282932000074\"",
        "siret: \"684 335 326 71874\"",
    );
    let err = refused_in(root, now, &["render", "quote", "R2026-0001"]);
    assert!(
        err.contains("refusing to render documents: `organisation.siret`"),
        "{err}"
    );
}

#[test]
fn init_without_a_git_identity_refuses_and_writes_nothing() {
    let parent = tempfile::tempdir().unwrap();
    let out = fresk_command(parent.path())
        .args(["init", "assoc", "--name", "X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("git does not know who you are"), "{err}");
    assert!(err.contains("fresk init --no-git"), "{err}");
    assert!(!parent.path().join("assoc").exists());
}

#[test]
fn init_inside_a_repository_adds_files_without_a_nested_repository() {
    let parent = tempfile::tempdir().unwrap();
    git_in(parent.path(), &["init", "-q", "-b", "main"]);
    let out = ok_in(
        parent.path(),
        INIT_NOW,
        &[
            "init",
            "books",
            "--name",
            "Les Ateliers du Lien",
            "--ci",
            "gitlab",
        ],
    );
    let root = parent.path().join("books");
    assert!(!root.join(".git").exists());
    assert!(root.join(".gitlab-ci.yml").is_file());
    assert!(
        text(&out.stdout).contains("is inside the git repository at"),
        "{}",
        text(&out.stdout)
    );
    // No SIRET given: the placeholder stays, and lint says so.
    let lint = Ws::copy_of(&root).lint();
    let found = lint.expect("placeholder-identity", "fresk.yaml", 11, 10);
    assert!(
        found.message.contains("organisation.siret"),
        "{}",
        found.message
    );
}

#[test]
fn init_refuses_a_bad_siret_before_writing() {
    let parent = tempfile::tempdir().unwrap();
    let err = refused_in(
        parent.path(),
        INIT_NOW,
        &["init", "assoc", "--name", "X", "--siret", "73282932000075"],
    );
    assert!(err.contains("--siret: SIRET `73282932000075`"), "{err}");
}

#[test]
fn person_and_organisation_refusals_say_what_to_do() {
    let ws = Ws::example();
    let now = "2026-06-15 12:00";
    let root = ws.path();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "person",
                "new",
                "Camille Roy",
                "--name",
                "Camille Roy",
                "--role",
                "staff",
            ],
            "use lowercase letters, digits and `-` (e.g. camille-roy)",
        ),
        (
            &[
                "person",
                "new",
                "camille-dupont",
                "--name",
                "C",
                "--role",
                "staff",
            ],
            "already exists (people/camille-dupont.yaml); change it with `fresk person edit camille-dupont`",
        ),
        (
            &[
                "person",
                "new",
                "lea-roy",
                "--name",
                "Léa Roy",
                "--role",
                "facilitatr",
            ],
            "did you mean `facilitator`?",
        ),
        (
            &[
                "person",
                "new",
                "lea-roy",
                "--name",
                "Léa Roy",
                "--role",
                "facilitator",
                "--siret",
                "90215834400017",
            ],
            "billing details need --legal-name, --billing-address, --vat as well",
        ),
        (
            &[
                "person",
                "new",
                "lea-roy",
                "--name",
                "Léa Roy",
                "--role",
                "facilitator",
                "--legal-name",
                "Léa Roy EI",
                "--billing-address",
                "x",
                "--vat",
                "franchise",
                "--siret",
                "1234",
            ],
            "--siret: SIRET `1234` has 4 digits",
        ),
        (
            &[
                "person",
                "new",
                "lea-roy",
                "--name",
                "Léa Roy",
                "--role",
                "facilitator",
                "--legal-name",
                "Léa Roy EI",
                "--billing-address",
                "x",
                "--vat",
                "standard",
            ],
            "--vat standard needs --vat-rate",
        ),
        (
            &["person", "edit", "camille-dupont"],
            "nothing to change for camille-dupont",
        ),
        (
            &[
                "person",
                "edit",
                "camille-dupont",
                "--remove-role",
                "facilitator,coordinator",
            ],
            "would have no role left",
        ),
        (
            &["person", "edit", "nobody-here", "--email", "x@y.z"],
            "no person `nobody-here`; add them with `fresk person new nobody-here --name … --role …`",
        ),
        (
            &[
                "organisation",
                "new",
                "acme",
                "--name",
                "ACME",
                "--sector",
                "busines",
            ],
            "did you mean `business`?",
        ),
        (
            &[
                "organisation",
                "new",
                "acme",
                "--name",
                "ACME",
                "--sector",
                "business",
                "--siren",
                "813552072",
                "--siret",
                "73282932000074",
            ],
            "does not start with --siren 813552072",
        ),
        (
            &[
                "organisation",
                "new",
                "acme",
                "--name",
                "ACME",
                "--sector",
                "business",
                "--contact",
                "Ana <ana@example.org",
            ],
            "close the e-mail with `>`",
        ),
        (
            &[
                "request",
                "new",
                "--organisation",
                "zzz-unknown",
                "--track",
                "subcontracting",
                "--channel",
                "email",
                "--origin",
                "other",
                "--summary",
                "x",
            ],
            "add it with `fresk organisation new zzz-unknown --name … --sector …`",
        ),
    ];
    for (args, expected) in cases {
        let err = refused_in(root, now, args);
        assert!(err.contains(expected), "`fresk {}`:\n{err}", args.join(" "));
    }
}

#[test]
fn person_edit_keeps_comments_and_order_and_adds_billing() {
    let ws = Ws::example();
    let now = "2026-06-15 12:00";
    ws.write(
        "people/lea-roy.yaml",
        "id: lea-roy   # since 2026\nname: Léa Roy\n# her roles\nroles: [facilitator]\nlevel: green\n",
    );
    ok_in(
        ws.path(),
        now,
        &[
            "person",
            "edit",
            "lea-roy",
            "--email",
            "lea@example.org",
            "--add-role",
            "coordinator",
            "--legal-name",
            "Léa Roy EI",
            "--billing-address",
            "1 rue A, 69001 Lyon",
            "--vat",
            "franchise",
        ],
    );
    assert_eq!(
        ws.read("people/lea-roy.yaml"),
        "id: lea-roy   # since 2026\nname: Léa Roy\n# her roles\nroles: [facilitator, coordinator]\nlevel: green\nemail: lea@example.org\nbilling:\n  legal_name: Léa Roy EI\n  address: \"1 rue A, 69001 Lyon\"\n  vat: { regime: franchise, mention: \"TVA non applicable, art. 293 B du CGI\" }\n  country: FR\n"
    );
    ok_in(
        ws.path(),
        now,
        &[
            "person",
            "edit",
            "lea-roy",
            "--mandate-signed",
            "2026-05-02",
            "--siret",
            "90215834400017",
        ],
    );
    let text = ws.read("people/lea-roy.yaml");
    assert!(
        text.contains("  mandate: { signed: 2026-05-02 }\n"),
        "{text}"
    );
    assert!(text.contains("  siret: \"90215834400017\"\n"), "{text}");
    ws.lint().expect_clean();
}

#[test]
fn unknown_organisations_in_files_name_the_command_that_adds_them() {
    let ws = Ws::example();
    let file = "requests/2026/R2026-0012.yaml";
    let text = ws.read(file);
    let line = text
        .lines()
        .find(|l| l.starts_with("organisation: "))
        .unwrap()
        .to_string();
    ws.edit(file, &line, "organisation: zz-nobody");
    let lint = ws.lint();
    let found = lint.of("unknown-organisation");
    assert_eq!(found.len(), 1, "{}", lint.listing());
    assert!(
        found[0]
            .message
            .contains("create it with `fresk organisation new zz-nobody --name … --sector …`"),
        "{}",
        found[0].message
    );
}

/// The pre-commit hook of examples/ci, installed in a clone and run by `git commit`: the commit
/// e-mail is the actor, found through the person's `email:` when `git:` lists only their forge
/// login.
#[test]
fn the_pre_commit_hook_knows_a_person_by_their_commit_email() {
    let ws = Ws::base();
    ws.edit(
        "people/sam-staff.yaml",
        "git: [sam@asso.example, samstaff]",
        "git: [samstaff]",
    );
    let root = ws.path();
    git_in(root, &["init", "-q", "-b", "main"]);
    git_in(root, &["config", "user.name", "Sam Staff"]);
    git_in(root, &["config", "user.email", "sam@asso.example"]);
    git_in(root, &["add", "-A"]);
    git_in(root, &["commit", "-q", "-m", "base"]);
    git_in(root, &["checkout", "-q", "-b", "notes"]);
    let hook = root.join(".git/hooks/pre-commit");
    std::fs::copy(manifest_dir().join("examples/ci/pre-commit"), &hook).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_fresk"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let acme = ws.read("organisations/acme.yaml");
    let commit = |email: &str| {
        git_in(root, &["config", "user.email", email]);
        let text = &acme;
        ws.write(
            "organisations/acme.yaml",
            &format!("{text}notes: called back ({} letters)\n", email.len()),
        );
        git_in(root, &["add", "-A"]);
        Command::new("git")
            .current_dir(root)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", root)
            .env("PATH", &path)
            .env("FRESK_BASE", "main")
            .env("FRESK_TODAY", TODAY)
            .env("FRESK_CACHE_DIR", cache_base())
            .args(["commit", "-q", "-m", "a note"])
            .output()
            .unwrap()
    };
    let out = commit("sam@asso.example");
    assert!(
        out.status.success(),
        "the hook refused sam's commit: {}",
        text(&out.stderr)
    );
    let out = commit("nobody@elsewhere.example");
    assert!(
        !out.status.success(),
        "the hook let an unknown actor commit"
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("unknown actor `nobody@elsewhere.example`"),
        "{err}"
    );
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = fresk_command(&manifest_dir())
        .arg("--version")
        .output()
        .unwrap();
    let version = text(&out.stdout);
    assert!(
        version.starts_with(concat!("fresk ", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    // Built from a git checkout (as in CI): the commit and its date follow.
    if let Ok(head) = Command::new("git")
        .current_dir(manifest_dir())
        .args(["log", "-1", "--format=%h %cs", "--abbrev=10"])
        .output()
        && head.status.success()
    {
        let head = text(&head.stdout);
        let (id, date) = head.trim().split_once(' ').unwrap();
        assert!(
            version.contains(&format!("({id}")),
            "{version} is not from {id}"
        );
        assert!(
            version.trim_end().ends_with(&format!("{date})")),
            "{version}"
        );
    }
}

#[test]
fn usage_errors_follow_the_colour_choice() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = fresk_command(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        text(&out.stderr)
    };
    assert!(run(&["--color", "always", "sesion"]).contains('\u{1b}'));
    assert!(run(&["--color=always", "sesion"]).contains('\u{1b}'));
    let plain = run(&["--color", "never", "sesion"]);
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    assert!(plain.contains("'session'"), "{plain}");
    // NO_COLOR (set by the test harness) is honoured when no choice is given.
    assert!(!run(&["sesion"]).contains('\u{1b}'));
}

#[test]
fn global_options_have_their_own_heading() {
    let dir = tempfile::tempdir().unwrap();
    let out = fresk_command(dir.path())
        .args(["session", "cancel", "--help"])
        .output()
        .unwrap();
    let help = text(&out.stdout);
    let (own, global) = help
        .split_once("Global options:")
        .expect("a Global options heading");
    assert!(own.contains("--reason"), "{help}");
    assert!(
        !own.contains("--dry-run") && global.contains("--dry-run"),
        "{help}"
    );
    assert!(
        global.contains("--workspace") && global.contains("--no-cache"),
        "{help}"
    );
}

#[test]
fn the_rules_list_is_json_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let out = fresk_command(dir.path())
        .args(["lint", "--rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["version"], 1);
    let rules = value["rules"].as_array().unwrap();
    let table = fresk_command(dir.path())
        .args(["lint", "--rules"])
        .output()
        .unwrap();
    let listed = text(&table.stdout)
        .lines()
        .filter(|l| l.starts_with("  "))
        .count();
    assert_eq!(
        rules.len(),
        listed,
        "the JSON and the table list the same rules"
    );
    let placeholder = rules
        .iter()
        .find(|r| r["id"] == "placeholder-identity")
        .unwrap();
    assert_eq!(placeholder["family"], "legal");
    assert_eq!(placeholder["severity"], "warning");
    assert!(
        placeholder["help_uri"]
            .as_str()
            .unwrap()
            .ends_with("#placeholder-identity")
    );
    let out = fresk_command(dir.path())
        .args(["lint", "--rules", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// On a terminal (a pseudo-terminal made by util-linux's `script`), a missing value is asked for,
/// and a wrong answer is asked again with the reason instead of ending the command.
#[test]
fn prompts_ask_again_after_a_wrong_answer() {
    let ws = Ws::example();
    let answers =
        "biscuiterie\nbiscuiterie-lafont\nsubcontract\nsubcontracting\nemail\nother\nA test\n";
    let (ok, screen) = on_a_terminal(&ws, "request new", answers);
    assert!(ok, "{screen}");
    assert!(screen.contains("no organisation `biscuiterie`"), "{screen}");
    assert!(
        screen.contains("did you mean `subcontracting`?"),
        "{screen}"
    );
    assert!(screen.contains("; try again"), "{screen}");
    assert!(
        screen.contains("request R2026-0015 logged (subcontracting, biscuiterie-lafont"),
        "{screen}"
    );
    let request = ws.read("requests/2026/R2026-0015.yaml");
    assert!(
        request.contains("origin: other\n") && request.contains("summary: A test"),
        "{request}"
    );
}

/// `script` runs `fresk ARGS` on a pseudo-terminal in the example workspace, typing `answers`;
/// the screen and whether it succeeded.
fn on_a_terminal(ws: &Ws, args: &str, answers: &str) -> (bool, String) {
    let fresk = env!("CARGO_BIN_EXE_fresk");
    let mut child = Command::new("script")
        .current_dir(ws.path())
        .env("FRESK_CACHE_DIR", cache_base())
        .env("FRESK_TODAY", TODAY)
        .env("FRESK_NOW", "2026-06-15 12:00")
        .env("NO_COLOR", "1")
        .args(["-qec", &format!("'{fresk}' {args}"), "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs (Debian's bsdutils)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), text(&out.stdout))
}

/// A positional id left out is asked for on a terminal, with the ids to choose from when they
/// are few, and asked again when the answer is not one of them; off a terminal it is clap's
/// usage error, as before.
#[test]
fn a_missing_id_is_asked_for_on_a_terminal() {
    let ws = Ws::example();
    let before = tree_of(ws.path());
    let (ok, screen) = on_a_terminal(&ws, "mission close", "M2026-0009\nM2026-0005\n");
    assert!(screen.contains("The mission to close"), "{screen}");
    assert!(
        screen.contains("no mission `M2026-0009`; did you mean"),
        "{screen}"
    );
    assert!(screen.contains("try again"), "{screen}");
    // M2026-0005 is asked for, then closing it is refused for its own reasons.
    assert!(!ok, "{screen}");
    assert!(
        screen.contains("mission M2026-0005 cannot be closed yet"),
        "{screen}"
    );
    assert_eq!(before, tree_of(ws.path()), "nothing changed");
    let out = ws.run(&["mission", "close"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("<MISSION>"),
        "{}",
        text(&out.stderr)
    );
}

/// `session new` on a terminal asks for every value, facilitators included: the people who
/// facilitate are offered, a wrong booking is asked again with the reason, an empty line ends
/// the list.
#[test]
fn session_new_asks_for_its_facilitators() {
    let ws = Ws::example();
    let answers = "M2026-0005\ntraining-day\n2026-09-01 09:00\nLyon\nnobody\ncamille-dupont:boss\ncamille-dupont\n\n";
    let (ok, screen) = on_a_terminal(&ws, "session new", answers);
    assert!(ok, "{screen}");
    assert!(
        screen.contains("(empty when done) [antoine-roux, camille-dupont"),
        "{screen}"
    );
    assert!(screen.contains("no person `nobody`"), "{screen}");
    assert!(screen.contains("role `boss` is not one of"), "{screen}");
    let session = ws.read("missions/M2026-0005/sessions/M2026-0005-S09.yaml");
    assert!(
        session
            .contains("facilitators:\n  - { person: camille-dupont, role: lead, status: paid }\n"),
        "{session}"
    );
}

/// `fresk completions bash`, sourced in a real bash, completes ids from the workspace of the
/// current folder: the shell asks fresk at each Tab.
#[test]
fn bash_completes_ids_from_the_workspace() {
    let ws = Ws::example();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_fresk"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let complete = |words: &[&str]| {
        let script = format!(
            "source <(fresk completions bash)\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_TYPE=9\n_clap_complete_fresk fresk '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
            words.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = Command::new("bash")
            .current_dir(ws.path())
            .env("PATH", &path)
            .env("FRESK_CACHE_DIR", cache_base())
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut found: Vec<String> = text(&out.stdout)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        found.sort();
        found
    };
    // Every session of the mission, as its files are named.
    let mut sessions: Vec<String> = tree_of(&ws.path().join("missions/M2026-0006/sessions"))
        .into_keys()
        .map(|f| f.trim_end_matches(".yaml").to_string())
        .collect();
    sessions.sort();
    assert!(sessions.len() >= 4, "{sessions:?}");
    assert_eq!(
        complete(&["fresk", "session", "hold", "M2026-0006-S0"]),
        sessions
    );
    assert_eq!(
        complete(&["fresk", "payout", "request", "--mission", "M2026-000"]),
        ["M2026-0003", "M2026-0005", "M2026-0006"]
    );
    assert!(complete(&["fresk", "repo"]).contains(&"report".to_string()));
}

/// `fresk man --out DIR` writes a page per command, which groff (the reader behind `man`, for a
/// UTF-8 terminal) reads without a warning; each page has the command's own options and the global ones.
#[test]
fn manual_pages_cover_every_command_and_read_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = fresk_command(dir.path())
        .args(["man", "--out", "pages"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pages = dir.path().join("pages");
    let names: Vec<String> = tree_of(&pages).into_keys().collect();
    for expected in [
        "fresk.1",
        "fresk-person-new.1",
        "fresk-request-quote.1",
        "fresk-report.1",
        "fresk-man.1",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }
    let groff = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("groff"))
                .find(|g| g.is_file())
        })
        .unwrap_or_default()
        .expect("groff is not on PATH: scripts/test.sh installs Debian's groff-base");
    for name in &names {
        let out = Command::new(&groff)
            .args(["-k", "-Tutf8", "-man", "-ww", "-z"])
            .arg(pages.join(name))
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{name}: {}",
            text(&out.stderr)
        );
    }
    let page = std::fs::read_to_string(pages.join("fresk-person-new.1")).unwrap();
    assert!(
        page.contains("fresk\\-person\\-new") || page.contains("fresk-person-new"),
        "{page}"
    );
    assert!(page.contains("mandate\\-signed") || page.contains("mandate-signed"));
    assert!(page.to_lowercase().contains("global options"), "{page}");
    // Without --out, the main page on standard output.
    let out = fresk_command(dir.path()).arg("man").output().unwrap();
    assert!(
        text(&out.stdout).starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        text(&out.stdout)
    );
}

/// Every `--format json` is an object with `"version"` first; counts are numbers, amounts are
/// decimal strings, an empty cell is null; and each output is valid for its schema in
/// schema/output/ (check-jsonschema). Every command that takes `--format json` is run here.
#[test]
fn every_json_output_is_a_versioned_object_valid_for_its_schema() {
    use clap::CommandFactory;
    let ws = Ws::example();
    let commands: &[(&[&str], &str)] = &[
        (&["request", "list"], "list"),
        (&["mission", "list"], "list"),
        (&["mission", "show", "M2026-0005"], "mission-show"),
        (&["request", "show", "R2026-0012"], "request-show"),
        (&["session", "list"], "list"),
        (&["payout", "list"], "list"),
        (&["invoice", "list"], "list"),
        (&["declaration", "list"], "list"),
        (
            &["participants", "list", "M2026-0006-S01"],
            "participants-list",
        ),
        (&["report", "requests"], "report-requests"),
        (&["report", "missions"], "report-missions"),
        (&["report", "payouts"], "report-payouts"),
        (&["report", "activity"], "report-activity"),
        (&["report", "quality"], "report-quality"),
        (&["report", "bpf", "--year", "2026"], "report-bpf"),
        (&["report", "shares", "--year", "2026"], "report-shares"),
        (&["report", "clients"], "report-clients"),
        (
            &["organisation", "show", "mecanique-du-rhone"],
            "organisation-show",
        ),
        (&["agenda"], "agenda"),
        (&["callback", "list"], "callback-list"),
        (&["request", "list", "--open"], "opportunities"),
        (&["opportunities"], "opportunities"),
        (&["lint"], "lint"),
        (&["lint", "--rules"], "lint-rules"),
    ];
    fn whole_number_strings(value: &serde_json::Value, path: &str, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s)
                if !s.is_empty()
                    && s.bytes().all(|b| b.is_ascii_digit())
                    && !s.starts_with('0') =>
            {
                found.push(format!("{path} = \"{s}\""));
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    whole_number_strings(v, &format!("{path}[{i}]"), found);
                }
            }
            serde_json::Value::Object(fields) => {
                for (k, v) in fields {
                    whole_number_strings(v, &format!("{path}.{k}"), found);
                }
            }
            _ => {}
        }
    }
    // Every command that can print JSON is in the list above.
    fn json_commands(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<String>) {
        let json = cmd.get_arguments().any(|a| {
            a.get_id() == "format"
                && a.get_possible_values()
                    .iter()
                    .any(|v| v.get_name() == "json")
        });
        if json {
            out.push(prefix.join(" "));
        }
        for sub in cmd.get_subcommands() {
            let mut p = prefix.clone();
            p.push(sub.get_name().to_string());
            json_commands(sub, p, out);
        }
    }
    let mut with_json = Vec::new();
    json_commands(&fresk::cli::Cli::command(), Vec::new(), &mut with_json);
    for path in &with_json {
        assert!(
            commands
                .iter()
                .any(|(args, _)| args.join(" ").starts_with(path.as_str())),
            "`fresk {path} --format json` has no schema check here"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mut by_schema: std::collections::BTreeMap<&str, Vec<std::path::PathBuf>> =
        Default::default();
    for (n, (args, schema)) in commands.iter().enumerate() {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = ws
            .command()
            .env("FRESK_NOW", "2026-06-15 12:00")
            .args(&all)
            .output()
            .unwrap();
        assert!(out.status.success(), "{all:?}: {}", text(&out.stderr));
        assert!(
            out.stderr.is_empty(),
            "{all:?} wrote to stderr: {}",
            text(&out.stderr)
        );
        let value: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{all:?}: not JSON ({e})"));
        let object = value
            .as_object()
            .unwrap_or_else(|| panic!("{all:?}: not an object"));
        assert_eq!(
            object.keys().next().map(String::as_str),
            Some("version"),
            "{all:?}: version comes first"
        );
        let expected = if *args == ["lint"] { 2 } else { 1 };
        assert_eq!(value["version"], expected, "{all:?}");
        // Counts in lists are numbers. (Exact decimals — amounts, hours, rates — are strings
        // everywhere, `"44"` hours included, so that no reader rounds them.)
        if args.last() == Some(&"list") {
            let mut found = Vec::new();
            whole_number_strings(&value["rows"], "rows", &mut found);
            assert!(found.is_empty(), "{all:?}: numbers as text: {found:?}");
        }
        let file = dir.path().join(format!("{n:02}-{}.json", args.join("-")));
        std::fs::write(&file, &out.stdout).unwrap();
        by_schema.entry(schema).or_default().push(file);
    }
    let tool = crate::ci_examples::validator("check-jsonschema");
    for (schema, files) in by_schema {
        let schema_file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("schema/output/{schema}.schema.json"));
        let out = std::process::Command::new(&tool)
            .arg("--schemafile")
            .arg(&schema_file)
            .args(&files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "outputs invalid for {schema}.schema.json:\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
    let rows = ws.run_ok(&["payout", "list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&rows).unwrap();
    let first = &rows["rows"][0];
    assert!(first["lines"].is_u64(), "{first}");
    assert!(
        first["total"].as_str().is_some_and(|t| t.contains('.')),
        "amounts stay decimal strings: {first}"
    );
}

/// The help of every command, as a user sees it, in one snapshot: a change to any option, its
/// description or its heading shows in review.
#[test]
fn help_of_every_command() {
    use clap::CommandFactory;
    fn paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(prefix.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = prefix.clone();
            p.push(sub.get_name().to_string());
            paths(sub, p, out);
        }
    }
    let mut all = Vec::new();
    paths(&fresk::cli::Cli::command(), Vec::new(), &mut all);
    let dir = tempfile::tempdir().unwrap();
    let mut text_all = String::new();
    for path in &all {
        let out = fresk_command(dir.path())
            .args(path)
            .arg("--help")
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        assert!(out.status.success(), "fresk {} --help", path.join(" "));
        let help = text(&out.stdout);
        let words: String = path.iter().map(|w| format!(" {w}")).collect();
        text_all.push_str(&format!("===== fresk{words} --help\n{help}\n"));
    }
    insta::assert_snapshot!("help_of_every_command", text_all);
}
