//! The base of a change and the change found by one diff of the whole working tree: the
//! repository holding the workspace, the tree `--base` names, and how to fetch it when missing.

use super::history::{change_range, follow};
use super::{Change, FoundBy, GitError, in_repo, pathspecs, slash_path, workspace_path};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The repository holding the workspace at `root`, and the workspace's folder in it
/// (`/`-separated, empty at the top), for `--base`.
pub(super) fn open_for_base(root: &Path) -> Result<(git2::Repository, String), GitError> {
    let repo = git2::Repository::discover(root).map_err(|e| {
        GitError(format!(
            "--base needs a git repository, but {} is not inside one ({}); run fresk lint without --base, or in a clone",
            root.display(),
            e.message()
        ))
    })?;
    let workdir = repo.workdir().ok_or_else(|| {
        GitError(format!(
            "the repository at {} is bare; run fresk lint --base in a checkout",
            repo.path().display()
        ))
    })?;
    let workdir = workdir
        .canonicalize()
        .map_err(|e| GitError(format!("cannot read {}: {e}", workdir.display())))?;
    let canonical = root
        .canonicalize()
        .map_err(|e| GitError(format!("cannot read {}: {e}", root.display())))?;
    let prefix = slash_path(canonical.strip_prefix(&workdir).map_err(|_| {
        GitError(format!(
            "the workspace {} is outside the repository's working tree {}",
            canonical.display(),
            workdir.display()
        ))
    })?);
    Ok((repo, prefix))
}

/// The object `rev` names and its tree, or an error that says how to make it reachable.
pub(super) fn base_tree<'r>(
    repo: &'r git2::Repository,
    rev: &str,
) -> Result<(git2::Object<'r>, git2::Tree<'r>), GitError> {
    let base = repo.revparse_single(rev).map_err(|e| {
        let fix = if repo.is_shallow() {
            format!(
                "this clone is shallow: fetch the base and the history that leads to it with `{}`{CHECKOUT_HINT}",
                fetch_command(repo, rev, true)
            )
        } else {
            format!(
                "fetch it first with `{}`, or pass a commit id",
                fetch_command(repo, rev, false)
            )
        };
        GitError(format!(
            "cannot find the base `{rev}` in the repository ({}); {fix}",
            e.message()
        ))
    })?;
    let tree = base.peel_to_tree().map_err(|e| {
        GitError(format!(
            "the base `{rev}` is not a commit or a tree ({})",
            e.message()
        ))
    })?;
    Ok((base, tree))
}

/// How GitHub Actions gets the whole history, after a shallow-clone fix.
pub(super) const CHECKOUT_HINT: &str = " (in GitHub Actions, `fetch-depth: 0` on actions/checkout)";

/// The `git fetch` that brings `rev` (with all the history that leads to it, in a shallow
/// clone): `git fetch origin main` for `origin/main`, else a fetch from the remote.
pub(super) fn fetch_command(repo: &git2::Repository, rev: &str, unshallow: bool) -> String {
    let remotes: Vec<String> = repo
        .remotes()
        .map(|r| r.iter().flatten().flatten().map(str::to_string).collect())
        .unwrap_or_default();
    let flag = if unshallow { " --unshallow" } else { "" };
    let short = rev.strip_prefix("refs/remotes/").unwrap_or(rev);
    // The longest remote name that prefixes the revision: `origin/main` → (origin, main).
    let tracking = remotes
        .iter()
        .filter_map(|r| {
            let branch = short.strip_prefix(r.as_str())?.strip_prefix('/')?;
            let plain = !branch.is_empty()
                && git2::Reference::is_valid_name(&format!("refs/heads/{branch}"));
            plain.then_some((r, branch))
        })
        .max_by_key(|(r, _)| r.len());
    if let Some((remote, branch)) = tracking {
        return format!("git fetch{flag} {remote} {branch}");
    }
    let remote = remotes
        .iter()
        .find(|r| *r == "origin")
        .or(remotes.first())
        .map_or("origin", String::as_str);
    let is_id = rev.len() >= 7 && rev.bytes().all(|b| b.is_ascii_hexdigit());
    if is_id && !unshallow {
        format!("git fetch {remote} {rev}")
    } else {
        format!("git fetch{flag} {remote}")
    }
}

/// The branch HEAD is on (`None` when detached).
pub(super) fn head_branch(head: Option<&git2::Reference>) -> Option<String> {
    head.filter(|h| h.is_branch())
        .and_then(|h| h.shorthand().ok().map(str::to_string))
}

/// Compare the workspace at `root` (its working tree) with the tree of `rev`.
pub fn change_since(root: &Path, rev: &str) -> Result<Change, GitError> {
    let (repo, prefix) = open_for_base(root)?;

    let (base, tree) = base_tree(&repo, rev)?;
    let range = change_range(&repo, &base, rev)?;

    let diff = working_diff(&repo, &tree, &pathspecs(&prefix), false).map_err(|e| {
        GitError(format!(
            "cannot compare the working tree with `{rev}`: {}",
            e.message()
        ))
    })?;
    let mut changed = BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(rel) = file.path().and_then(|p| workspace_path(p, &prefix)) {
                changed.insert(rel);
            }
        }
    }
    let (base_texts, added) = read_base_texts(&repo, &changed, |rel| {
        let entry = tree.get_path(Path::new(&in_repo(&prefix, rel))).ok()?;
        Some(entry.id())
    });
    let history = follow(&repo, &range, &prefix, &base_texts, &added);
    Ok(Change {
        branch: head_branch(repo.head().ok().as_ref()),
        changed,
        base_texts,
        history,
        found_by: FoundBy::WholeDiff,
    })
}

/// libgit2's comparison of `tree` with the working tree (git's index included, untracked files
/// too) under `pathspecs` (everything when empty; taken as exact paths when `exact`).
pub(super) fn working_diff<'r>(
    repo: &'r git2::Repository,
    tree: &git2::Tree,
    pathspecs: &[String],
    exact: bool,
) -> Result<git2::Diff<'r>, git2::Error> {
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_typechange(true)
        .disable_pathspec_match(exact);
    for spec in pathspecs {
        opts.pathspec(spec);
    }
    repo.diff_tree_to_workdir_with_index(Some(tree), Some(&mut opts))
}

/// The base's text of each `changed` file that the base has (`base_id` gives its object id),
/// and the changed files it lacks: those the change adds.
pub(super) fn read_base_texts<'c>(
    repo: &git2::Repository,
    changed: &'c BTreeSet<String>,
    base_id: impl Fn(&str) -> Option<git2::Oid>,
) -> (BTreeMap<String, String>, Vec<&'c str>) {
    let mut base_texts = BTreeMap::new();
    let mut added = Vec::new();
    for rel in changed {
        let Some(id) = base_id(rel) else {
            added.push(rel.as_str());
            continue;
        };
        let Ok(blob) = repo.find_blob(id) else {
            continue; // a folder or a submodule where a file is now
        };
        if blob.size() as u64 > crate::yaml::MAX_FILE_BYTES {
            continue; // never a fresk file; the base's own lint said so
        }
        base_texts.insert(
            rel.clone(),
            String::from_utf8_lossy(blob.content()).into_owned(),
        );
    }
    (base_texts, added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fetch_hint_names_the_remote_and_its_branch() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        repo.remote("origin", "https://example.org/a.git").unwrap();
        repo.remote("origin/mirror", "https://example.org/b.git")
            .unwrap();
        let hint = |rev, unshallow| fetch_command(&repo, rev, unshallow);
        assert_eq!(hint("origin/main", false), "git fetch origin main");
        assert_eq!(
            hint("origin/main", true),
            "git fetch --unshallow origin main"
        );
        assert_eq!(
            hint("refs/remotes/origin/team/x", false),
            "git fetch origin team/x"
        );
        assert_eq!(
            hint("origin/mirror/main", false),
            "git fetch origin/mirror main"
        );
        assert_eq!(hint("HEAD^1", true), "git fetch --unshallow origin");
        assert_eq!(hint("main", false), "git fetch origin");
        assert_eq!(hint("0123abcd", false), "git fetch origin 0123abcd");
    }
}
