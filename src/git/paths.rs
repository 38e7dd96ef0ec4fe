//! Every path a change touches, data files or not: what `--actor` checks against the roles'
//! grants.

use super::base::{base_tree, open_for_base, working_diff};
use super::{GitError, slash_path};
use std::collections::BTreeMap;
use std::path::Path;

/// How a path differs from the base, for [`changed_paths`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathChange {
    Added,
    Modified,
    Deleted,
}

/// Every path of the repository that differs between the tree of `rev` and the working tree —
/// not only the workspace's data files ([`Change::changed`](super::Change::changed)): templates, `.gitignore`, CI
/// settings, force-added `private/` files, untracked files git does not ignore. Paths are
/// relative to the workspace root (`/`-separated); one outside the workspace's folder starts
/// with `../`. What `--actor` checks: anything not granted to a role needs staff.
pub fn changed_paths(root: &Path, rev: &str) -> Result<BTreeMap<String, PathChange>, GitError> {
    let (repo, prefix) = open_for_base(root)?;
    let (_, tree) = base_tree(&repo, rev)?;
    let diff = working_diff(&repo, &tree, &[], false).map_err(|e| {
        GitError(format!(
            "cannot compare the working tree with `{rev}`: {}",
            e.message()
        ))
    })?;
    let up = "../".repeat(prefix.split('/').filter(|p| !p.is_empty()).count());
    let mut paths = BTreeMap::new();
    for delta in diff.deltas() {
        let change = match delta.status() {
            git2::Delta::Added | git2::Delta::Untracked => PathChange::Added,
            git2::Delta::Deleted => PathChange::Deleted,
            _ => PathChange::Modified,
        };
        let file = match change {
            PathChange::Deleted => delta.old_file(),
            _ => delta.new_file(),
        };
        let Some(path) = file.path().map(slash_path) else {
            continue;
        };
        let rel = if prefix.is_empty() {
            path
        } else if let Some(inside) = path.strip_prefix(&format!("{prefix}/")) {
            inside.to_string()
        } else {
            format!("{up}{path}")
        };
        paths.insert(rel, change);
    }
    Ok(paths)
}
