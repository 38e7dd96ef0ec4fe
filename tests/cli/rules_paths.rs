//! Paths the workspace controls: series patterns (a number becomes a file name), language codes
//! (a code names a labels file) and the `private/` folder (what must never be tracked). Lint
//! flags each, and the commands that would write or read through them refuse.

use crate::support::{TODAY, Ws, git, tree, tree_of};

const CONFIG: &str = "fresk.yaml";
const ROSTER: &str =
    "session: M2026-0006-S01\nparticipants:\n  - { name: Jeanne Martin, attended: true }\n";

// --- bad-series-pattern ---------------------------------------------------------------------

/// The example with series `key` set to `pattern`.
fn with_series(key: &str, pattern: &str) -> Ws {
    let ws = Ws::example();
    let text = ws.read(CONFIG);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{key}: ")))
        .unwrap()
        .to_string();
    ws.edit(CONFIG, &line, &format!("  {key}: \"{pattern}\""));
    ws
}

/// `fresk ARGS…` must be refused (exit 2) naming the series, and write nothing.
#[track_caller]
fn refused_to_number(ws: &Ws, key: &str, args: &[&str]) {
    let before = tree(ws);
    let out = ws.run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "`fresk {}`: {err}",
        args.join(" ")
    );
    assert!(
        err.contains(&format!("series.{key}")) && err.contains("cannot be part of a number"),
        "{err}"
    );
    assert_eq!(before, tree(ws), "nothing written in the workspace");
}

#[test]
fn an_invoice_series_that_leaves_the_workspace() {
    let ws = with_series("invoice", "../../../outside/F{year}-{seq:04}");
    let lint = ws.lint();
    let f = lint.expect("bad-series-pattern", CONFIG, 72, 12);
    assert!(
        f.message.contains("`/` cannot be part of a number") && f.message.contains("file name"),
        "{}",
        f.message
    );
    refused_to_number(&ws, "invoice", &["invoice", "issue", "I-M2026-0006"]);
    // invoices/2026/../../../outside: beside the workspace.
    assert!(!ws.path().parent().unwrap().join("outside").exists());
}

#[test]
fn a_quote_series_with_a_path() {
    let ws = with_series("quote", "D{year}/{seq:04}");
    ws.lint().expect("bad-series-pattern", CONFIG, 71, 10);
    refused_to_number(
        &ws,
        "quote",
        &[
            "request",
            "quote",
            "R2026-0013",
            "--line",
            "workshop-onsite:3",
        ],
    );
}

#[test]
fn a_self_invoice_series_with_a_path() {
    let ws = with_series("self_invoice", "../AF-{person}-{seq:04}");
    ws.lint().expect("bad-series-pattern", CONFIG, 74, 17);
    refused_to_number(&ws, "self_invoice", &["payout", "invoice", "--date", TODAY]);
}

#[test]
fn a_credit_note_series_with_a_path() {
    let ws = Ws::example();
    ws.run_ok(&["invoice", "credit", "F2026-0001", "--reason", "Remise"]);
    let text = ws
        .read(CONFIG)
        .replace("\"AV{year}-{seq:04}\"", "\"AV{year}\\\\{seq:04}\"");
    ws.write(CONFIG, &text);
    ws.lint().expect("bad-series-pattern", CONFIG, 73, 16);
    refused_to_number(
        &ws,
        "credit_note",
        &["invoice", "issue", "I-credit-F2026-0001"],
    );
}

#[test]
fn series_patterns_of_safe_characters_are_fine() {
    let ws = with_series("invoice", "FAC_{year}.{seq:05}");
    ws.lint().expect_none("bad-series-pattern");
    for pattern in [
        ".F{year}-{seq:04}",
        "F {year}-{seq:04}",
        "F:{year}-{seq:04}",
        "É{year}-{seq:04}",
    ] {
        with_series("invoice", pattern)
            .lint()
            .expect("bad-series-pattern", CONFIG, 72, 12);
    }
}

// --- bad-language ---------------------------------------------------------------------------

#[test]
fn a_language_that_is_not_a_code() {
    let ws = Ws::example();
    ws.edit(
        CONFIG,
        "languages: [fr, en]",
        "languages: [fr, \"../../../etc/x\", EN]",
    );
    let lint = ws.lint();
    let f = lint.expect("bad-language", CONFIG, 15, 17);
    assert!(
        f.message
            .contains("`../../../etc/x` is not a language code"),
        "{}",
        f.message
    );
    lint.expect("bad-language", CONFIG, 15, 35);
    Ws::example().lint().expect_none("bad-language");
}

// --- private-exposed ------------------------------------------------------------------------

/// The example in a git repository, with a roster under private/ (ignored by its .gitignore).
fn repo() -> Ws {
    let ws = Ws::example();
    ws.write("private/rosters/M2026-0006-S01.yaml", ROSTER);
    git(&ws, None, &["init", "-q", "-b", "main"]);
    git(&ws, None, &["add", "-A"]);
    git(&ws, None, &["commit", "-q", "-m", "base"]);
    ws
}

#[track_caller]
fn exposed(ws: &Ws, needle: &str) {
    let lint = ws.lint();
    let f = lint.expect("private-exposed", "private", 1, 1);
    assert!(f.message.contains(needle), "{}", f.message);
}

/// `render certificate` must refuse to write participants' names there, and write nothing.
#[track_caller]
fn certificates_refused(ws: &Ws, needle: &str) {
    certificates_not_made(ws, needle, 1);
}

/// The same, where the roster itself cannot be read safely: exit code 2.
#[track_caller]
fn certificates_not_made(ws: &Ws, needle: &str, code: i32) {
    let before = tree(ws);
    let out = ws.run(&["render", "certificate", "M2026-0006-S01"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(needle), "{err}");
    assert_eq!(before, tree(ws), "nothing was written");
}

#[test]
fn private_ignored_by_git_is_fine() {
    let ws = repo();
    // The roster lists one participant: the count agrees with it (roster-attendance).
    ws.edit(
        "missions/M2026-0006/sessions/M2026-0006-S01.yaml",
        "attended: 15",
        "attended: 1",
    );
    ws.lint().expect_clean();
    ws.run_ok(&["render", "certificate", "M2026-0006-S01"]);
    assert!(
        ws.path()
            .join("private/certificates/ATT-M2026-0006-S01-01.pdf")
            .is_file()
    );
}

#[test]
fn private_not_ignored_by_git() {
    let ws = repo();
    ws.write(".gitignore", "target/\n");
    exposed(&ws, "add the line `private/`");
    certificates_refused(
        &ws,
        "are written under private/certificates/, but git does not ignore private/",
    );
}

#[test]
fn private_as_a_link_to_a_tracked_folder() {
    let ws = repo();
    std::fs::rename(ws.path().join("private"), ws.path().join("shared")).unwrap();
    std::os::unix::fs::symlink("shared", ws.path().join("private")).unwrap();
    exposed(&ws, "in another folder of the workspace");
    let shared = tree_of(&ws.path().join("shared"));
    certificates_refused(&ws, "but private/ is a symbolic link");
    assert_eq!(shared, tree_of(&ws.path().join("shared")));
}

#[test]
fn private_as_a_link_out_of_the_workspace() {
    let ws = repo();
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(
        ws.path().join("private/rosters"),
        outside.path().join("rosters"),
    )
    .unwrap();
    std::fs::remove_dir(ws.path().join("private")).unwrap();
    std::os::unix::fs::symlink(outside.path(), ws.path().join("private")).unwrap();
    exposed(&ws, "outside the workspace");
    // The roster is not even read through the link.
    certificates_not_made(&ws, "points outside the workspace", 2);
    assert!(!outside.path().join("certificates").exists());
}

#[test]
fn private_files_tracked_by_git() {
    let ws = repo();
    git(
        &ws,
        None,
        &["add", "-f", "private/rosters/M2026-0006-S01.yaml"],
    );
    git(&ws, None, &["commit", "-q", "-m", "oops"]);
    exposed(&ws, "private/rosters/M2026-0006-S01.yaml");
}

// --- messages never show what a file outside the workspace holds ----------------------------

#[test]
fn a_link_out_of_the_workspace_is_named_never_shown() {
    let ws = Ws::base();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(&secret, "password: hunter2\n").unwrap();
    std::os::unix::fs::symlink(&secret, ws.path().join("people/evil.yaml")).unwrap();
    let out = ws.run(&["lint"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("symlink-escape") && text.contains("people/evil.yaml"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
}

// --- bad-branding ---------------------------------------------------------------------------

const BRANDING: &str = "branding: { logo: templates/logo.svg, colour: \"#1a5276\" }";

/// The line of `branding:` in the example's fresk.yaml (its last line).
fn branding_line(ws: &Ws) -> u32 {
    let text = std::fs::read_to_string(ws.path().join(CONFIG)).unwrap();
    let index = text
        .lines()
        .position(|l| l.starts_with("branding:"))
        .unwrap();
    u32::try_from(index).unwrap() + 1
}

#[test]
fn the_example_logo_and_colour_are_clean() {
    Ws::example().lint().expect_none("bad-branding");
}

#[test]
fn a_logo_outside_the_workspace_missing_or_not_an_image_and_a_colour_not_in_hex() {
    let ws = Ws::example();
    let line = branding_line(&ws);
    ws.edit(
        CONFIG,
        BRANDING,
        "branding: { logo: ../logo.svg, colour: dark blue }",
    );
    let lint = ws.lint();
    let logo = lint.expect("bad-branding", CONFIG, line, 19);
    assert!(
        logo.message.contains("is not a file of the workspace"),
        "{}",
        logo.message
    );
    let colour = lint.expect("bad-branding", CONFIG, line, 40);
    assert!(
        colour.message.contains("not a hex colour"),
        "{}",
        colour.message
    );

    let ws = Ws::example();
    ws.edit(CONFIG, BRANDING, "branding: { logo: templates/nope.png }");
    let f = ws
        .lint()
        .expect("bad-branding", CONFIG, line, 19)
        .message
        .clone();
    assert!(f.contains("does not exist"), "{f}");

    let ws = Ws::example();
    ws.write("templates/logo.svg", "GIF89a, not an SVG");
    let f = ws
        .lint()
        .expect("bad-branding", CONFIG, line, 19)
        .message
        .clone();
    assert!(f.contains("neither a PNG nor an SVG"), "{f}");

    let ws = Ws::example();
    ws.write(
        "templates/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect",
    );
    let f = ws
        .lint()
        .expect("bad-branding", CONFIG, line, 19)
        .message
        .clone();
    assert!(f.contains("not a valid SVG"), "{f}");

    let ws = Ws::example();
    ws.write_bytes(
        "templates/logo.png",
        b"\x89PNG\r\n\x1a\n, the rest is not a PNG",
    );
    ws.edit(CONFIG, "templates/logo.svg", "templates/logo.png");
    let f = ws
        .lint()
        .expect("bad-branding", CONFIG, line, 19)
        .message
        .clone();
    assert!(f.contains("not a valid PNG"), "{f}");

    // A real PNG (1 × 1 pixel) is a logo.
    ws.write_bytes("templates/logo.png", PNG);
    ws.lint().expect_none("bad-branding");
}

pub(crate) const PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\x90\x0a\x2a\x03\x00\x01\x6c\x00\xe3\xf7\x59\x61\x8c\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
