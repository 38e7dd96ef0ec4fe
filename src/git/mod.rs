//! The git surface of `fresk lint --base`: the base tree's versions of the files a change
//! touches, the current branch, and what the change's own commits say (the lifecycle steps they
//! took, when each new session was planned) — read through libgit2, never by running `git`.
//! Also `--commit`/`--branch`: everything checked before the files are written.
//!
//! - `base`: opening the repository, the base tree, the change found by one whole diff;
//! - `candidates`: the change found from the load cache's blob ids, confirmed path by path;
//! - `history`: the change's commits, the lifecycle steps they took, when sessions were
//!   planned, and what a shallow clone lacks;
//! - `paths`: every path the change touches, for `--actor`;
//! - `commit`: `--commit` and `--branch`.

mod base;
mod candidates;
mod commit;
mod history;
mod paths;

pub use base::change_since;
pub use candidates::{Base, read_base};
pub use commit::{
    Committer, branch_name_for, enclosing_repository, init_repository, prepare_commit, signature,
};
pub use history::{History, Planned, Step};
pub use paths::{PathChange, changed_paths};

use crate::workspace::{self, CONFIG_FILE, DATA_DIRS};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a change is made of, compared with its base.
#[derive(Debug, Default)]
pub struct Change {
    /// Workspace files (relative to the workspace root, `/`-separated) that differ between the
    /// base tree and the working tree: added, modified or deleted. Every other workspace file is
    /// byte-identical on both sides, so its base version is the working-tree one.
    pub changed: BTreeSet<String>,
    /// The base tree's text of every changed file that exists on the base.
    pub base_texts: BTreeMap<String, String>,
    /// The branch HEAD is on, or `None` when HEAD is detached (as in most CI checkouts).
    pub branch: Option<String>,
    /// What the commits of the change say: the lifecycle steps they took, and when each new
    /// session was planned.
    pub history: History,
    /// How the changed files were told from the others.
    pub found_by: FoundBy,
}

/// How [`Change::changed`] was found (printed by `FRESK_STATS`, checked by the tests).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// libgit2 compared the whole working tree with the base ([`change_since`]).
    #[default]
    WholeDiff,
    /// The cached blob ids gave the candidates, which libgit2 confirmed one by one (reading
    /// git's index).
    Candidates,
    /// The cached blob ids gave the candidates, and git stores files as they are: no diff, no
    /// index.
    Blobs,
}

impl FoundBy {
    pub fn as_str(self) -> &'static str {
        match self {
            FoundBy::WholeDiff => "whole-diff",
            FoundBy::Candidates => "candidates",
            FoundBy::Blobs => "blobs",
        }
    }
}

/// Why the base could not be read, or a commit cannot be made (exit code 2): a sentence that
/// says how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct GitError(pub String);

fn short_id(id: git2::Oid) -> String {
    id.to_string().chars().take(10).collect()
}

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The path in the repository of `rel`, a path under the workspace's folder `prefix` (empty
/// when the workspace is the repository's top).
fn in_repo(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

/// The pathspecs of the files fresk reads, under the workspace's folder in the repository.
fn pathspecs(prefix: &str) -> Vec<String> {
    let under = |p: &str| in_repo(prefix, p);
    std::iter::once(under(CONFIG_FILE))
        .chain(DATA_DIRS.iter().map(|d| under(d)))
        .collect()
}

/// A repository path as a workspace path, when it is a file of some kind.
fn workspace_path(path: &Path, prefix: &str) -> Option<String> {
    let full = slash_path(path);
    let rel = if prefix.is_empty() {
        full
    } else {
        full.strip_prefix(&format!("{prefix}/"))?.to_string()
    };
    let parts: Vec<&str> = rel.split('/').collect();
    workspace::kind_of(&parts).map(|_| rel)
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_workspace_files_count() {
        assert_eq!(
            workspace_path(Path::new("ws/people/a.yaml"), "ws").as_deref(),
            Some("people/a.yaml")
        );
        assert_eq!(workspace_path(Path::new("other/people/a.yaml"), "ws"), None);
        assert_eq!(workspace_path(Path::new("README.md"), ""), None);
        assert_eq!(
            workspace_path(Path::new("fresk.yaml"), "").as_deref(),
            Some("fresk.yaml")
        );
        assert_eq!(pathspecs("").len(), 1 + DATA_DIRS.len());
    }
}
