//! `fresk lint` as a whole: clean workspaces, exit codes, output formats.

use crate::support::*;

#[test]
fn base_fixture_lints_clean() {
    Ws::base().lint().expect_clean();
}

#[test]
fn example_workspace_lints_clean() {
    let ws = Ws::example();
    let lint = ws.lint();
    lint.expect_clean();
    assert!(
        lint.files > 50,
        "the example is realistic: {} files",
        lint.files
    );
}
