//! The git surface of `fresk lint --base`: the base tree's versions of the files a change
//! touches, the current branch and the time of the change — read through libgit2, never by
//! running `git`.

use crate::workspace::{self, CONFIG_FILE, DATA_DIRS};
use chrono::{DateTime, TimeZone, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
    /// The commit time of HEAD (now, when there is no commit yet).
    pub head_time: DateTime<Utc>,
    /// For each changed file that exists on the base: the states it went through in the
    /// commits between the base and HEAD, oldest first (only where the state changed). A pull
    /// request may take several lifecycle steps, one commit each.
    pub steps: BTreeMap<String, Vec<Step>>,
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

/// A file's `state:` as one commit between the base and HEAD left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The commit's short id.
    pub commit: String,
    pub state: String,
}

/// Walking history costs nothing for a pull request; past these bounds (a long-lived branch
/// compared with an old base), steps are not followed and each change must be one step.
const MAX_STEP_COMMITS: usize = 200;
const MAX_STEP_FILES: usize = 500;

/// Why the base could not be read (exit code 2).
#[derive(Debug)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The repository holding the workspace at `root`, and the workspace's folder in it
/// (`/`-separated, empty at the top), for `--base`.
fn open_for_base(root: &Path) -> Result<(git2::Repository, String), GitError> {
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
fn base_tree<'r>(
    repo: &'r git2::Repository,
    rev: &str,
) -> Result<(git2::Object<'r>, git2::Tree<'r>), GitError> {
    let base = repo.revparse_single(rev).map_err(|e| {
        GitError(format!(
            "cannot find the base `{rev}` in the repository ({}); fetch it first (e.g. `git fetch origin {rev}`, or in CI check out with full history) or pass a commit id",
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

/// The branch HEAD is on (`None` when detached) and HEAD's commit time (now, before the
/// first commit).
fn head_branch_and_time(head: Option<&git2::Reference>) -> (Option<String>, DateTime<Utc>) {
    let branch = head
        .filter(|h| h.is_branch())
        .and_then(|h| h.shorthand().ok().map(str::to_string));
    let time = head
        .and_then(|h| h.peel_to_commit().ok())
        .and_then(|c| Utc.timestamp_opt(c.time().seconds(), 0).single())
        .unwrap_or_else(Utc::now);
    (branch, time)
}

/// Compare the workspace at `root` (its working tree) with the tree of `rev`.
pub fn change_since(root: &Path, rev: &str) -> Result<Change, GitError> {
    let (repo, prefix) = open_for_base(root)?;

    let (base, tree) = base_tree(&repo, rev)?;

    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_typechange(true);
    for spec in pathspecs(&prefix) {
        opts.pathspec(spec);
    }
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
        .map_err(|e| {
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

    let mut base_texts = BTreeMap::new();
    for rel in &changed {
        let Ok(entry) = tree.get_path(Path::new(&in_repo(prefix.as_str(), rel))) else {
            continue; // added by the change
        };
        let Ok(blob) = repo.find_blob(entry.id()) else {
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

    let head = repo.head().ok();
    let steps = base
        .peel_to_commit()
        .ok()
        .zip(head.as_ref().and_then(|h| h.peel_to_commit().ok()))
        .map(|(base, head)| lifecycle_steps(&repo, &base, &head, &prefix, &base_texts))
        .unwrap_or_default();
    let (branch, head_time) = head_branch_and_time(head.as_ref());
    Ok(Change {
        changed,
        base_texts,
        branch,
        head_time,
        steps,
        found_by: FoundBy::WholeDiff,
    })
}

/// How a path differs from the base, for [`changed_paths`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathChange {
    Added,
    Modified,
    Deleted,
}

/// Every path of the repository that differs between the tree of `rev` and the working tree —
/// not only the workspace's data files ([`Change::changed`]): templates, `.gitignore`, CI
/// settings, force-added `private/` files, untracked files git does not ignore. Paths are
/// relative to the workspace root (`/`-separated); one outside the workspace's folder starts
/// with `../`. What `--actor` checks: anything not granted to a role needs staff.
pub fn changed_paths(root: &Path, rev: &str) -> Result<BTreeMap<String, PathChange>, GitError> {
    let (repo, prefix) = open_for_base(root)?;
    let (_, tree) = base_tree(&repo, rev)?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_typechange(true);
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
        .map_err(|e| {
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

/// The `state:` of a file's text, if it has one.
fn state_of(text: &str) -> Option<String> {
    let parsed = crate::yaml::parse(text);
    let root = parsed.root?;
    Some(root.get("state")?.value.as_str()?.to_string())
}

/// The states each file of `base_texts` went through on the first-parent commits from the
/// merge base of `base` and `head` up to `head`, oldest first, keeping only changes of state.
fn lifecycle_steps(
    repo: &git2::Repository,
    base: &git2::Commit,
    head: &git2::Commit,
    prefix: &str,
    base_texts: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<Step>> {
    let mut steps = BTreeMap::new();
    if base_texts.len() > MAX_STEP_FILES {
        return steps;
    }
    let Ok(stop) = repo.merge_base(base.id(), head.id()) else {
        return steps;
    };
    let mut commits = Vec::new();
    let mut at = head.clone();
    while at.id() != stop {
        if commits.len() == MAX_STEP_COMMITS {
            return steps;
        }
        commits.push(at.clone());
        match at.parent(0) {
            Ok(parent) => at = parent,
            Err(_) => break,
        }
    }
    commits.reverse();
    for (rel, base_text) in base_texts {
        let in_repo = PathBuf::from(in_repo(prefix, rel));
        let mut last = state_of(base_text);
        let mut file_steps = Vec::new();
        for commit in &commits {
            let state = commit
                .tree()
                .ok()
                .and_then(|t| t.get_path(&in_repo).ok())
                .and_then(|e| repo.find_blob(e.id()).ok())
                .filter(|b| (b.size() as u64) <= crate::yaml::MAX_FILE_BYTES)
                .and_then(|b| state_of(&String::from_utf8_lossy(b.content())));
            if state.is_some() && state != last {
                file_steps.push(Step {
                    commit: commit.id().to_string().chars().take(10).collect(),
                    state: state.clone().unwrap_or_default(),
                });
                last = state;
            }
        }
        if !file_steps.is_empty() {
            steps.insert(rel.clone(), file_steps);
        }
    }
    steps
}

/// The base of a change, read while the workspace loads: the blob id of every workspace file
/// in the base tree. With the blob ids of the working files (the load cache keeps them), the
/// files that differ are found without libgit2 comparing the whole working tree (a stat of
/// every file, on one core); each candidate is then confirmed by libgit2 alone, path by path,
/// so that filters (line endings, LFS), symbolic links and ignored files are judged exactly as
/// [`change_since`] judges them.
pub struct Base {
    repo: git2::Repository,
    tree: git2::Oid,
    /// The base commit, when `rev` names one (to follow the lifecycle steps up to HEAD).
    commit: Option<git2::Oid>,
    /// The workspace root relative to the repository's working tree (`/`-separated, or empty).
    prefix: String,
    branch: Option<String>,
    head_time: DateTime<Utc>,
}

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// One entry of a working folder's tree: name, whether it is a folder, id.
type TreeEntry<'a> = (&'a str, bool, [u8; 20]);

/// `a/b/c`, `a/b`, `a`.
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    std::iter::successors((!dir.is_empty()).then_some(dir), |d| {
        d.rsplit_once('/').map(|(parent, _)| parent)
    })
}

/// The git tree id of every folder holding `files` (workspace path → blob id), as git computes
/// it: entries sorted by name (a folder as if its name ended in `/`), each `mode name\0id`.
/// Every file counts as a regular, non-executable file; a folder with anything else in git
/// simply gets another id, and is then compared file by file.
fn work_tree_ids(files: &[(&str, [u8; 20])]) -> Option<HashMap<String, git2::Oid>> {
    // folder → its entries
    let mut entries: HashMap<&str, Vec<TreeEntry>> = HashMap::default();
    let mut folders: std::collections::BTreeSet<(usize, &str)> = std::collections::BTreeSet::new();
    let mut last = "";
    for (path, blob) in files {
        let Some((dir, name)) = path.rsplit_once('/') else {
            continue; // fresk.yaml: compared on its own
        };
        entries.entry(dir).or_default().push((name, false, *blob));
        if dir != last {
            last = dir;
            for d in ancestors(dir) {
                if !folders.insert((d.matches('/').count(), d)) {
                    break;
                }
            }
        }
    }
    let mut ids: HashMap<String, git2::Oid> = HashMap::default();
    // Deepest first, so that a folder's subfolders have their ids.
    for &(_, dir) in folders.iter().rev() {
        let mut list = entries.remove(dir).unwrap_or_default();
        list.sort_by(|a, b| {
            let x = a.0.bytes().chain(a.1.then_some(b'/'));
            let y = b.0.bytes().chain(b.1.then_some(b'/'));
            x.cmp(y)
        });
        let mut content = Vec::with_capacity(list.len() * 64);
        for (name, folder, id) in &list {
            content.extend_from_slice(if *folder { b"40000 " } else { b"100644 " });
            content.extend_from_slice(name.as_bytes());
            content.push(0);
            content.extend_from_slice(id);
        }
        let id = git2::Oid::from_bytes(&crate::cache::object_id("tree", &content)).ok()?;
        if let Some((parent, name)) = dir.rsplit_once('/') {
            let mut bytes = [0u8; 20];
            bytes.copy_from_slice(id.as_bytes().get(..20)?);
            entries.entry(parent).or_default().push((name, true, bytes));
        }
        ids.insert(dir.to_string(), id);
    }
    Some(ids)
}

/// More candidates than this: one diff of the whole tree is cheaper than one diff per path.
const MAX_CANDIDATES: usize = 256;

/// Open the repository of `root` and list the workspace files of `rev`'s tree.
pub fn read_base(root: &Path, rev: &str) -> Result<Base, GitError> {
    let (repo, prefix) = open_for_base(root)?;
    let (tree, commit, branch, head_time) = {
        let (base, tree) = base_tree(&repo, rev)?;
        let (branch, head_time) = head_branch_and_time(repo.head().ok().as_ref());
        (
            tree.id(),
            base.peel_to_commit().ok().map(|c| c.id()),
            branch,
            head_time,
        )
    };
    // git's index (188k entries on a large workspace: ~0.1 s) is not read: the candidates are
    // confirmed without it when git stores the files as they are (`Base::confirm_by_blob`),
    // and libgit2 reads it only when it has to confirm them itself.
    Ok(Base {
        repo,
        tree,
        commit,
        prefix,
        branch,
        head_time,
    })
}

impl Base {
    /// List the base files under folder `rel` (tree `id`), skipping every folder whose tree id
    /// is the working folder's (those are recorded in `same`).
    fn walk_differing(
        &self,
        rel: &str,
        id: git2::Oid,
        ours: &HashMap<String, git2::Oid>,
        base_files: &mut HashMap<String, git2::Oid>,
        same: &mut std::collections::HashSet<String, foldhash::fast::RandomState>,
    ) {
        if ours.get(rel) == Some(&id) {
            same.insert(rel.to_string());
            return;
        }
        let Ok(tree) = self.repo.find_tree(id) else {
            return;
        };
        for entry in tree.iter() {
            let Ok(name) = entry.name() else { continue };
            let path = format!("{rel}/{name}");
            match entry.kind() {
                Some(git2::ObjectType::Blob) => {
                    let parts: Vec<&str> = path.split('/').collect();
                    if workspace::kind_of(&parts).is_some() {
                        base_files.insert(path, entry.id());
                    }
                }
                Some(git2::ObjectType::Tree) => {
                    self.walk_differing(&path, entry.id(), ours, base_files, same);
                }
                _ => {}
            }
        }
    }

    /// The change from the base to the working tree, given the blob id of every working file
    /// (workspace path → id). `None` when that is not enough to tell (an unknown blob id, or
    /// so many candidates that one whole diff is cheaper): call [`change_since`] instead.
    pub fn change(&self, work: &[(&str, [u8; 20])]) -> Option<Change> {
        if work.iter().any(|(_, blob)| *blob == [0u8; 20]) {
            return None;
        }
        // The tree id of every working folder, as git would compute it from these files: a
        // folder whose id is the base's holds the same files, and is not looked into.
        let ours = work_tree_ids(work)?;
        let top = self.repo.find_tree(self.tree).ok()?;
        let top = if self.prefix.is_empty() {
            top
        } else {
            let entry = top.get_path(Path::new(&self.prefix)).ok()?;
            self.repo.find_tree(entry.id()).ok()?
        };
        let mut base_files: HashMap<String, git2::Oid> = HashMap::default();
        let mut same: std::collections::HashSet<String, foldhash::fast::RandomState> =
            std::collections::HashSet::default();
        for entry in top.iter() {
            let Ok(name) = entry.name() else { continue };
            if name == CONFIG_FILE && entry.kind() == Some(git2::ObjectType::Blob) {
                base_files.insert(name.to_string(), entry.id());
            } else if DATA_DIRS.contains(&name) && entry.kind() == Some(git2::ObjectType::Tree) {
                self.walk_differing(name, entry.id(), &ours, &mut base_files, &mut same);
            }
        }
        // Candidates: working files outside the identical folders whose blob differs from the
        // base's, and base files (all outside them) no working file matches. Files come folder
        // by folder, so each folder is judged once.
        let mut candidates: BTreeSet<String> = BTreeSet::new();
        let mut here: HashMap<&str, &[u8; 20]> = HashMap::default();
        let mut last: Option<(&str, bool)> = None;
        for (path, blob) in work {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let inside_same = match last {
                Some((d, v)) if d == dir => v,
                _ => {
                    let v = ancestors(dir).any(|a| same.contains(a));
                    last = Some((dir, v));
                    v
                }
            };
            if inside_same {
                continue;
            }
            here.insert(path, blob);
            if base_files.get(*path).is_none_or(|id| id.as_bytes() != blob) {
                candidates.insert((*path).to_string());
                if candidates.len() > MAX_CANDIDATES {
                    return None;
                }
            }
        }
        for path in base_files.keys() {
            if !here.contains_key(path.as_str()) {
                candidates.insert(path.clone());
            }
        }
        if candidates.len() > MAX_CANDIDATES {
            return None;
        }
        let (changed, found_by) = match self.confirm_by_blob(&candidates, &base_files, &here) {
            Some(changed) => (changed, FoundBy::Blobs),
            None => (self.confirm_by_diff(candidates)?, FoundBy::Candidates),
        };
        let mut base_texts = BTreeMap::new();
        for rel in &changed {
            let Some(id) = base_files.get(rel) else {
                continue; // added by the change
            };
            let Ok(blob) = self.repo.find_blob(*id) else {
                continue;
            };
            if blob.size() as u64 > crate::yaml::MAX_FILE_BYTES {
                continue;
            }
            base_texts.insert(
                rel.clone(),
                String::from_utf8_lossy(blob.content()).into_owned(),
            );
        }
        let head = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let steps = self
            .commit
            .and_then(|c| self.repo.find_commit(c).ok())
            .zip(head)
            .map(|(base, head)| {
                lifecycle_steps(&self.repo, &base, &head, &self.prefix, &base_texts)
            })
            .unwrap_or_default();
        Some(Change {
            changed,
            base_texts,
            branch: self.branch.clone(),
            head_time: self.head_time,
            steps,
            found_by,
        })
    }

    /// Which candidates differ, each confirmed by libgit2 alone (reading git's index, and
    /// applying every filter and ignore rule as [`change_since`] does).
    fn confirm_by_diff(&self, candidates: BTreeSet<String>) -> Option<BTreeSet<String>> {
        let tree = self.repo.find_tree(self.tree).ok()?;
        let mut changed = BTreeSet::new();
        for rel in candidates {
            let in_repo = in_repo(&self.prefix, &rel);
            let mut opts = git2::DiffOptions::new();
            opts.include_untracked(true)
                .recurse_untracked_dirs(true)
                .include_typechange(true)
                .disable_pathspec_match(true)
                .pathspec(&in_repo);
            let diff = self
                .repo
                .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
                .ok()?;
            if diff.deltas().len() > 0 {
                changed.insert(rel);
            }
        }
        Some(changed)
    }

    /// Which candidates differ, without git's index, when git stores the files as they are:
    /// then a file's blob id is the hash of its bytes (the load cache's), so a candidate whose
    /// working blob differs from the base's has changed, one the base lacks has been added
    /// (unless git ignores it), one the working tree lacks has been deleted. `None` as soon as
    /// that cannot be told — git may convert line endings or apply a filter (`core.autocrlf`,
    /// an attributes file), a candidate is a symbolic link, an added file is ignored, a deleted
    /// one is still on disk — and libgit2 confirms them instead.
    fn confirm_by_blob(
        &self,
        candidates: &BTreeSet<String>,
        base_files: &HashMap<String, git2::Oid>,
        work: &HashMap<&str, &[u8; 20]>,
    ) -> Option<BTreeSet<String>> {
        let workdir = self.repo.workdir()?;
        if self.may_filter() || workdir.join(".gitattributes").exists() {
            return None;
        }
        // Every folder from the repository's top to each candidate, checked once.
        let mut folders: BTreeSet<String> = BTreeSet::new();
        for rel in candidates {
            let in_repo = in_repo(&self.prefix, rel);
            for dir in ancestors(in_repo.rsplit_once('/').map_or("", |(d, _)| d)) {
                if !folders.insert(dir.to_string()) {
                    break;
                }
                if workdir.join(dir).join(".gitattributes").exists() {
                    return None;
                }
            }
            let on_disk = std::fs::symlink_metadata(workdir.join(&in_repo));
            let link = on_disk.as_ref().is_ok_and(|m| m.file_type().is_symlink());
            match (
                base_files.contains_key(rel),
                work.contains_key(rel.as_str()),
            ) {
                (_, true) if link => return None,
                (true, true) => {}
                (false, true) => {
                    if self.repo.is_path_ignored(Path::new(&in_repo)).ok()? {
                        return None;
                    }
                }
                (true, false) if on_disk.is_err() => {}
                _ => return None,
            }
        }
        Some(candidates.clone())
    }

    /// Could git store a working file otherwise than as its bytes, whatever its folder? Line
    /// endings converted by `core.autocrlf`, or an attributes file outside the working tree.
    fn may_filter(&self) -> bool {
        let Ok(config) = self.repo.config() else {
            return true;
        };
        let autocrlf = match config.get_bool("core.autocrlf") {
            Ok(on) => on,
            Err(e) => e.code() != git2::ErrorCode::NotFound,
        };
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let xdg = std::env::var_os("XDG_CONFIG_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| home.map(|h| h.join(".config")));
        autocrlf
            || config.get_path("core.attributesFile").is_ok()
            || xdg.is_some_and(|x| x.join("git").join("attributes").exists())
            || Path::new("/etc/gitattributes").exists()
            || self.repo.path().join("info").join("attributes").exists()
            || self
                .repo
                .commondir()
                .join("info")
                .join("attributes")
                .exists()
    }
}

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

/// `--branch` / `--commit` on a mutating command: checked before anything is written, carried
/// out after the files are written.
pub struct Committer {
    repo: git2::Repository,
    /// The workspace root relative to the repository's working tree.
    prefix: PathBuf,
    branch: Option<String>,
    signature: git2::Signature<'static>,
}

/// Check that the change can be committed (a repository, an identity, a free branch name).
pub fn prepare_commit(root: &Path, branch: Option<&str>) -> Result<Committer, GitError> {
    let repo = git2::Repository::discover(root).map_err(|e| {
        GitError(format!(
            "--commit needs a git repository, but {} is not inside one ({}); run `git init` or drop --commit",
            root.display(),
            e.message()
        ))
    })?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError("--commit needs a checkout, not a bare repository".into()))?
        .canonicalize()
        .map_err(|e| GitError(format!("cannot read the working tree: {e}")))?;
    let root = root
        .canonicalize()
        .map_err(|e| GitError(format!("cannot read {}: {e}", root.display())))?;
    let prefix = root
        .strip_prefix(&workdir)
        .map_err(|_| GitError("the workspace is outside the repository's working tree".into()))?
        .to_path_buf();
    let signature = repo.signature().map(|s| s.to_owned()).map_err(|_| {
        GitError(
            "git does not know who you are: set `git config user.name \"…\"` and `git config user.email …`, then run the command again"
                .into(),
        )
    })?;
    if let Some(name) = branch {
        if !git2::Branch::name_is_valid(name).unwrap_or(false) {
            return Err(GitError(format!("`{name}` is not a valid branch name")));
        }
        if repo.find_branch(name, git2::BranchType::Local).is_ok() {
            return Err(GitError(format!(
                "branch `{name}` already exists; pick another name with --branch NAME, or switch to it with git first"
            )));
        }
        repo.head()
            .and_then(|h| h.peel_to_commit())
            .map_err(|_| GitError("--branch needs a first commit to branch from".into()))?;
    }
    Ok(Committer {
        repo,
        prefix,
        branch: branch.map(str::to_string),
        signature,
    })
}

impl Committer {
    /// Create and switch to the branch (if asked), then commit exactly `files` (relative to the
    /// workspace root; deleted ones are removed) with `message`, leaving anything else the user
    /// staged alone. Returns the new commit's short id.
    pub fn commit(self, files: &[String], message: &str) -> Result<String, GitError> {
        let err = |e: git2::Error| GitError(format!("git: {}", e.message()));
        let repo = &self.repo;
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        if let (Some(name), Some(parent)) = (&self.branch, &parent) {
            repo.branch(name, parent, false).map_err(err)?;
            repo.set_head(&format!("refs/heads/{name}")).map_err(err)?;
        }
        let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
        // The commit's tree: the parent's tree with exactly these files replaced.
        let mut tree_index = git2::Index::new().map_err(err)?;
        if let Some(parent) = &parent {
            tree_index
                .read_tree(&parent.tree().map_err(err)?)
                .map_err(err)?;
        }
        let mut index = repo.index().map_err(err)?;
        for file in files {
            let path = self.prefix.join(file);
            let path_text = path.to_string_lossy().replace('\\', "/");
            if workdir.join(&path).exists() {
                let id = repo.blob_path(&workdir.join(&path)).map_err(err)?;
                let entry = git2::IndexEntry {
                    ctime: git2::IndexTime::new(0, 0),
                    mtime: git2::IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: 0o100_644,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id,
                    flags: u16::try_from(path_text.len().min(0xfff)).unwrap_or(0xfff),
                    flags_extended: 0,
                    path: path_text.into_bytes(),
                };
                tree_index.add(&entry).map_err(err)?;
                index.add_path(&path).map_err(err)?;
            } else {
                let _ = tree_index.remove_path(&path);
                let _ = index.remove_path(&path);
            }
        }
        index.write().map_err(err)?;
        let tree_id = tree_index.write_tree_to(repo).map_err(err)?;
        let tree = repo.find_tree(tree_id).map_err(err)?;
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = repo
            .commit(
                Some("HEAD"),
                &self.signature,
                &self.signature,
                message,
                &tree,
                &parents,
            )
            .map_err(err)?;
        Ok(id.to_string().chars().take(10).collect())
    }
}

/// A branch name from a command's summary: `fresk/payout-p2026-06-m2026-0042-requested`.
pub fn branch_name_for(summary: &str) -> String {
    let words: Vec<String> = summary
        .split_whitespace()
        .take(3)
        .map(|w| {
            w.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
                .trim_matches('-')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect();
    format!("fresk/{}", words.join("-"))
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

    #[test]
    fn branch_names_come_from_the_first_words_of_the_summary() {
        assert_eq!(
            branch_name_for(
                "payout P2026-07-M2026-0005 requested for mission M2026-0005: 2 line(s)"
            ),
            "fresk/payout-p2026-07-m2026-0005-requested"
        );
        assert_eq!(
            branch_name_for("session M2026-0042-S03 planned for 2026-05-12"),
            "fresk/session-m2026-0042-s03-planned"
        );
    }
}
