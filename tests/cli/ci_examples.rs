//! The CI snippets of `examples/ci/`, checked by the workflow linters CI users would run on them
//! (zizmor, actionlint with shellcheck, installed by scripts/test.sh) and run for real on GitHub-
//! and GitLab-style checkouts of a pull request (`pull_requests::Forge`).
//!
//! A test whose validator is missing from PATH fails, saying how to install it; none skips.

use crate::pull_requests::{
    ASSIGN_DATE, Forge, INTRO, MERGE_DATE, PUBLISH_DATE, commit, publish_then_assign,
};
use crate::support::{git, manifest_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GITHUB: &str = "examples/ci/github-actions.yml";
const GITLAB: &str = "examples/ci/gitlab-ci.yml";
const RELEASE: &str = "examples/ci/release.yml";
const PRE_COMMIT: &str = "examples/ci/pre-commit";

/// A staff member of the fixture (`people/sam-staff.yaml`, `git: [samstaff, …]`).
const STAFF: &str = "samstaff";

/// The path of `tool` on PATH; a failure that says how to get it otherwise.
#[track_caller]
pub(crate) fn validator(tool: &str) -> PathBuf {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "`{tool}` is not on PATH: run the tests with scripts/test.sh, which installs the pinned validators into target/validators"
            )
        })
}

#[track_caller]
fn passes(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn yaml(rel: &str) -> Value {
    let text = std::fs::read_to_string(manifest_dir().join(rel)).unwrap();
    yaml_serde::from_str(&text).unwrap()
}

#[test]
fn the_github_workflow_passes_zizmor_as_an_auditor() {
    let out = Command::new(validator("zizmor"))
        .current_dir(manifest_dir())
        .args([
            "--offline",
            "--persona=auditor",
            "--no-progress",
            "--format",
            "plain",
        ])
        .args([GITHUB, RELEASE])
        .output()
        .unwrap();
    passes(&out, "zizmor --offline --persona=auditor");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("No findings"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_github_workflow_passes_actionlint_and_shellcheck() {
    let shellcheck = validator("shellcheck");
    let out = Command::new(validator("actionlint"))
        .current_dir(manifest_dir())
        .arg("-no-color")
        .arg(format!("-shellcheck={}", shellcheck.display()))
        .args([GITHUB, RELEASE])
        .output()
        .unwrap();
    passes(&out, "actionlint");
}

/// The hooks this repository offers the pre-commit framework pass its manifest check.
#[test]
fn the_pre_commit_hooks_manifest_is_valid() {
    let out = Command::new(validator("pre-commit"))
        .current_dir(manifest_dir())
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .output()
        .unwrap();
    passes(&out, "pre-commit validate-manifest .pre-commit-hooks.yaml");
}

/// The GitLab job's shell (before_script and script, as the runner joins them) and the
/// pre-commit hook pass shellcheck.
#[test]
fn the_other_ci_snippets_pass_shellcheck() {
    let shellcheck = validator("shellcheck");
    let out = Command::new(&shellcheck)
        .current_dir(manifest_dir())
        .arg(PRE_COMMIT)
        .output()
        .unwrap();
    passes(&out, "shellcheck examples/ci/pre-commit");

    let job = &yaml(GITLAB)["fresk-lint"];
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("gitlab-job.sh");
    std::fs::write(&script, gitlab_script(job, true)).unwrap();
    let out = Command::new(&shellcheck)
        .args(["--shell=bash"])
        .arg(&script)
        .output()
        .unwrap();
    passes(&out, "shellcheck on the GitLab job's script");
}

/// What the linters cannot see: the checkout is GitHub's merge commit with the whole history,
/// the pull request is linted against the merge's first parent, every action is pinned to a
/// commit with its version in a comment, and forks' pull requests upload nothing.
#[test]
fn the_github_workflow_is_right_by_construction() {
    let text = std::fs::read_to_string(manifest_dir().join(GITHUB)).unwrap();
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:"))
    {
        let spec = line.split("uses:").nth(1).unwrap().trim();
        let (action, rest) = spec.split_once('@').unwrap_or_else(|| panic!("{line}"));
        let (sha, comment) = rest
            .split_once(" # ")
            .unwrap_or_else(|| panic!("no version comment: {line}"));
        assert!(!action.is_empty(), "{line}");
        assert!(
            sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
            "not pinned to a full commit id: {line}"
        );
        assert!(
            comment.starts_with('v'),
            "the comment names the version: {line}"
        );
    }
    let workflow = yaml(GITHUB);
    assert_eq!(
        workflow["permissions"],
        serde_json::json!({}),
        "no default permissions"
    );
    let job = &workflow["jobs"]["lint"];
    let steps = job["steps"].as_array().unwrap();
    let uses = |prefix: &str| {
        steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
            .unwrap_or_else(|| panic!("no {prefix} step"))
    };
    let checkout = &uses("actions/checkout@")["with"];
    assert_eq!(
        checkout["fetch-depth"], 0,
        "the pull request's commits are read"
    );
    assert_eq!(checkout["persist-credentials"], false);
    assert!(
        checkout.get("ref").is_none(),
        "GitHub's merge commit is checked out"
    );
    uses("actions/cache@");
    let upload = uses("github/codeql-action/upload-sarif@");
    assert!(
        upload["if"]
            .as_str()
            .unwrap()
            .contains("github.event.pull_request.head.repo.full_name == github.repository"),
        "no upload from forks"
    );
    let lint = run_of(&workflow, "Lint the pull request");
    assert!(lint.contains("--base 'HEAD^1'"), "{lint}");
}

/// The `run:` script of the step named `name`.
fn run_of<'a>(workflow: &'a Value, name: &str) -> &'a str {
    workflow["jobs"]["lint"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step `{name}` with a script"))
}

/// The GitLab job's `before_script` then `script`, one command per line, as the runner runs
/// them; without `install`, the line that installs fresk is left out (it is on PATH already).
fn gitlab_script(job: &Value, install: bool) -> String {
    let mut text = String::from("#!/usr/bin/env bash\nset -eo pipefail\n");
    for key in ["before_script", "script"] {
        for line in job[key].as_array().unwrap() {
            let line = line.as_str().unwrap();
            if !install && line.contains("cargo install") {
                continue;
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// Run `script` with bash in `dir` as a CI runner would (`-eo pipefail`), with the built fresk
/// first on PATH and `env` set; git and fresk isolated from the user's configuration.
fn run_script(dir: &Path, script: &str, env: &[(&str, &str)]) -> Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_fresk"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("FRESK_TODAY", crate::support::TODAY)
        .env_remove("FRESK_NOW")
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn github_env() -> [(&'static str, &'static str); 2] {
    [("GITHUB_EVENT_NAME", "pull_request"), ("ACTOR", STAFF)]
}

/// The SARIF file the workflow uploads: its findings' rule ids.
fn sarif_rules(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("fresk.sarif")).unwrap();
    let sarif: Value = serde_json::from_str(&text).unwrap();
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap().to_string())
        .collect()
}

/// The workflow's own steps, run on the checkout it configures: a pull request that publishes
/// then assigns a request, one commit each, while main moves on, passes; one that skips a step
/// fails with an annotation on the changed line, and its SARIF holds the finding.
#[test]
fn the_github_workflow_lints_githubs_merge_checkout() {
    let workflow = yaml(GITHUB);
    let lint = run_of(&workflow, "Lint the pull request");
    let sarif = run_of(&workflow, "Findings as SARIF");

    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.main_moves_on(ASSIGN_DATE);
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(None);
    let out = run_script(ci.path(), lint, &github_env());
    passes(&out, "the workflow's pull-request lint");
    let out = run_script(ci.path(), sarif, &github_env());
    passes(&out, "the workflow's SARIF step");
    assert_eq!(sarif_rules(ci.path()), Vec::<String>::new());

    let forge = Forge::new();
    let w = &forge.work;
    w.edit(INTRO, "state: qualified", "state: assigned");
    let text = w.read(INTRO) + "facilitator: felix-facil\n";
    w.write(INTRO, &text);
    commit(w, PUBLISH_DATE, "assign without publishing");
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(None);
    let out = run_script(ci.path(), lint, &github_env());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "::error file={INTRO},line=2,col=8,endLine=2,endColumn=16,title=fresk (illegal-transition)::"
        )),
        "{stdout}"
    );
    let out = run_script(ci.path(), sarif, &github_env());
    passes(
        &out,
        "the workflow's SARIF step (findings are not an error)",
    );
    assert_eq!(sarif_rules(ci.path()), ["illegal-transition"]);
}

/// Checked out otherwise than as GitHub's merge commit, the workflow says so instead of
/// comparing with the wrong base.
#[test]
fn the_github_workflow_refuses_a_checkout_that_is_not_the_merge() {
    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.open_pull_request(MERGE_DATE);
    let ci = forge.checkout(None);
    git(&ci, None, &["checkout", "-q", "--detach", "HEAD^2"]);
    let out = run_script(
        ci.path(),
        run_of(&yaml(GITHUB), "Lint the pull request"),
        &github_env(),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("::error::expected GitHub's merge commit")
    );
}

fn gitlab_env<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut env = vec![
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ("CI_DEFAULT_BRANCH", "main"),
        ("GITLAB_USER_LOGIN", STAFF),
        ("CARGO_HOME", "/nonexistent"),
    ];
    env.extend_from_slice(extra);
    env
}

/// The GitLab job's script on a merged results pipeline (HEAD merges the merge request into
/// its target) and on a plain merge request pipeline (HEAD is the merge request's head, which
/// must contain its target).
#[test]
fn the_gitlab_job_lints_merge_requests_both_ways() {
    let script = gitlab_script(&yaml(GITLAB)["fresk-lint"], false);
    let forge = Forge::new();
    publish_then_assign(&forge);
    forge.main_moves_on(ASSIGN_DATE);
    forge.open_pull_request(MERGE_DATE);

    // Merged results: GitLab's merge commit, the target's commit in a variable.
    let ci = forge.checkout(None);
    let target = git(&ci, None, &["rev-parse", "HEAD^1"]);
    let env = gitlab_env(&[("CI_MERGE_REQUEST_TARGET_BRANCH_SHA", &target)]);
    passes(
        &run_script(ci.path(), &script, &env),
        "merged results pipeline",
    );

    // The merge request's head, behind its target: rebase first, says fresk.
    let ci = forge.checkout(None);
    git(&ci, None, &["checkout", "-q", "--detach", "HEAD^2"]);
    let out = run_script(ci.path(), &script, &gitlab_env(&[]));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("`git rebase origin/main`"));

    // Rebased on its target, it passes.
    git(&forge.work, None, &["fetch", "-q", "origin"]);
    git(&forge.work, None, &["rebase", "-q", "origin/main"]);
    git(&forge.work, None, &["push", "-q", "-f", "origin", "pr"]);
    let ci = forge.checkout(None);
    git(&ci, None, &["checkout", "-q", "--detach", "origin/pr"]);
    passes(
        &run_script(ci.path(), &script, &gitlab_env(&[])),
        "merge request pipeline",
    );
}

/// A `key = "value"` line of `[package.metadata.binstall]` in Cargo.toml.
fn binstall_setting(manifest: &str, key: &str) -> String {
    let section = manifest
        .split("[package.metadata.binstall]")
        .nth(1)
        .expect("Cargo.toml has a [package.metadata.binstall] section");
    section
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no `{key}` in [package.metadata.binstall]"))
        .to_string()
}

/// `cargo binstall fresk` finds what a release carries: the packaging step of release.yml runs
/// for real for each row of its matrix (`gh` and `7z`, which the runners provide, are stubbed),
/// and the archive it uploads is one the `[package.metadata.binstall]` templates name, holding
/// the binary where `bin-dir` says. The archive suffixes are cargo-binstall's (`PkgFmt::extensions`
/// in binstalk-types: `tgz` is tried as `.tgz` then `.tar.gz`).
#[test]
fn cargo_binstall_finds_what_the_release_workflow_uploads() {
    let manifest = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    let pkg_url = binstall_setting(&manifest, "pkg-url");
    let bin_dir = binstall_setting(&manifest, "bin-dir");
    let file_template = pkg_url
        .strip_prefix("{ repo }/releases/download/v{ version }/")
        .unwrap_or_else(|| panic!("pkg-url points at a GitHub release of the tag: {pkg_url}"));
    let version = env!("CARGO_PKG_VERSION");
    let tag = format!("v{version}");
    let workflow = yaml(RELEASE);
    let script = workflow["jobs"]["build"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Package and upload")
        .and_then(|s| s["run"].as_str())
        .expect("release.yml has its packaging step");
    let rows = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap();
    assert_eq!(rows.len(), 3, "Linux, macOS and Windows");
    for row in rows {
        let target = row["target"].as_str().unwrap();
        let windows = target.contains("windows");
        let (suffixes, ext): (&[&str], &str) = if windows {
            assert!(
                manifest.contains(&format!(
                    "[package.metadata.binstall.overrides.{target}]\npkg-fmt = \"zip\""
                )),
                "binstall is told that {target} comes as a zip"
            );
            (&[".zip"], ".exe")
        } else {
            assert_eq!(binstall_setting(&manifest, "pkg-fmt"), "tgz");
            (&[".tgz", ".tar.gz"], "")
        };
        let expand = |template: &str| {
            template
                .replace("{ name }", "fresk")
                .replace("{ version }", version)
                .replace("{ target }", target)
                .replace("{ bin }", "fresk")
                .replace("{ binary-ext }", ext)
        };
        // The release step, in a checkout with a built binary; gh keeps what it uploads.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            std::fs::write(root.join(file), file).unwrap();
        }
        let release = root.join("target").join(target).join("release");
        std::fs::create_dir_all(&release).unwrap();
        std::fs::write(release.join(format!("fresk{ext}")), "binary").unwrap();
        let stubs = root.join("stubs");
        std::fs::create_dir_all(root.join("uploaded")).unwrap();
        std::fs::create_dir_all(&stubs).unwrap();
        for (name, body) in [
            (
                "gh",
                "[ \"$1 $2 $3\" = \"release upload $TAG\" ] && cp \"$4\" uploaded/",
            ),
            (
                "7z",
                "[ \"$1\" = a ] && python3 -m zipfile -c \"$2\" \"$3\"",
            ),
        ] {
            let path = stubs.join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = std::env::join_paths(std::iter::once(stubs).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )))
        .unwrap();
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(root)
            .env("PATH", path)
            .env("TAG", &tag)
            .env("TARGET", target)
            .env("ARCHIVE", row["archive"].as_str().unwrap())
            .output()
            .unwrap();
        passes(&out, &format!("the packaging step for {target}"));
        let uploaded: Vec<String> = std::fs::read_dir(root.join("uploaded"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let named: Vec<String> = suffixes
            .iter()
            .map(|s| expand(file_template).replace("{ archive-suffix }", s))
            .collect();
        assert!(
            uploaded.len() == 1 && named.contains(&uploaded[0]),
            "{target}: the release uploads {uploaded:?}, binstall looks for one of {named:?}"
        );
        let archive = root.join("uploaded").join(&uploaded[0]);
        let listing = if windows {
            Command::new("python3")
                .args(["-m", "zipfile", "-l"])
                .arg(&archive)
                .output()
        } else {
            Command::new("tar").arg("-tzf").arg(&archive).output()
        }
        .unwrap();
        passes(&listing, "listing the archive");
        let listing = String::from_utf8_lossy(&listing.stdout);
        let binary = expand(&bin_dir);
        assert!(
            listing
                .lines()
                .any(|l| l.split_whitespace().next() == Some(&binary)),
            "{target}: binstall looks for {binary} in the archive, which holds:\n{listing}"
        );
    }
}
