//! The git surface of `fresk lint --base`: the base tree's versions of the files a change
//! touches, the current branch, and what the change's own commits say (the lifecycle steps they
//! took, when each new session was planned) — read through libgit2, never by running `git`.
//! Also `--commit`/`--branch`: everything checked before the files are written.

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

/// A file's `state:` as one commit of the change left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The commit's short id.
    pub commit: String,
    pub state: String,
}

/// What the commits of a change say, for the history rules.
///
/// The commits of the change are those HEAD has and the base has not. A file's history is
/// followed from HEAD back to the base through the parent that has the file as the commit has
/// it (as `git log -- FILE` simplifies history), so a merge commit that only takes one side's
/// version — GitHub's `refs/pull/N/merge`, whose first parent is the target branch — takes no
/// step of its own, and the pull request's own commits are the ones followed.
#[derive(Debug, Default)]
pub struct History {
    /// For each changed file that exists on the base: the states it went through in the
    /// commits of the change, oldest first (only where the state changed). A pull request may
    /// take several lifecycle steps, one commit each.
    pub steps: BTreeMap<String, Vec<Step>>,
    /// For each session the change adds: when it got the `start:` it has in the working tree.
    pub planned: BTreeMap<String, Planned>,
    /// Why the commits of the change could not be read, and how to make them readable: then
    /// `steps` is empty and `planned` holds only the uncommitted files. The rules that need the
    /// commits say so (exit 2) rather than guess.
    pub missing: Option<String>,
}

/// When a new file got its present `start:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// In this commit (short id), authored at `time`: a rebase or a merge made later keeps it.
    Commit { commit: String, time: DateTime<Utc> },
    /// In the working tree: not committed yet.
    Uncommitted,
}

impl History {
    /// The states `file` went through commit by commit, or why they are unknown.
    pub fn steps(&self, file: &str) -> Result<&[Step], &str> {
        match &self.missing {
            Some(why) => Err(why),
            None => Ok(self.steps.get(file).map_or(&[], Vec::as_slice)),
        }
    }

    /// When the new file `file` got its present `start:`, or why that is unknown.
    pub fn planned(&self, file: &str) -> Result<&Planned, &str> {
        match (self.planned.get(file), &self.missing) {
            (Some(planned), _) => Ok(planned),
            (None, Some(why)) => Err(why),
            (None, None) => Ok(&Planned::Uncommitted),
        }
    }
}

/// Past these bounds (a long-lived branch compared with an old base) the commits of the change
/// are not followed: [`History::missing`] says so.
const MAX_CHANGE_COMMITS: usize = 5_000;
/// Files looked up in commits' trees while following the change, at most.
const MAX_LOOKUPS: usize = 200_000;

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
const CHECKOUT_HINT: &str = " (in GitHub Actions, `fetch-depth: 0` on actions/checkout)";

/// The `git fetch` that brings `rev` (with all the history that leads to it, in a shallow
/// clone): `git fetch origin main` for `origin/main`, else a fetch from the remote.
fn fetch_command(repo: &git2::Repository, rev: &str, unshallow: bool) -> String {
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
fn head_branch(head: Option<&git2::Reference>) -> Option<String> {
    head.filter(|h| h.is_branch())
        .and_then(|h| h.shorthand().ok().map(str::to_string))
}

/// The commits of a change: HEAD's, less the base's.
#[derive(Debug, Default)]
struct Range {
    /// HEAD's commit (`None` before the first commit).
    head: Option<git2::Oid>,
    /// The commits HEAD has and the base has not.
    commits: std::collections::HashSet<git2::Oid>,
    /// Why they could not be listed (see [`History::missing`]).
    missing: Option<String>,
}

/// The commits of the change from `base` (named `rev`) to HEAD; an error when comparing the two
/// would not show the change: a base with no commit in common with HEAD, a base HEAD does not
/// contain (the branch is behind it), or a shallow clone where that cannot be told.
fn change_range(
    repo: &git2::Repository,
    base: &git2::Object,
    rev: &str,
) -> Result<Range, GitError> {
    let Some(head) = repo.head().ok().and_then(|h| h.peel_to_commit().ok()) else {
        return Ok(Range::default()); // no commit yet: the whole change is uncommitted
    };
    let mut range = Range {
        head: Some(head.id()),
        ..Range::default()
    };
    let Ok(base) = base.peel_to_commit() else {
        range.missing = Some(format!(
            "the base `{rev}` is a tree, not a commit, so the change has no commits to follow; pass a commit or a branch as --base"
        ));
        return Ok(range);
    };
    let shallow = shallow_commits(repo);
    let unshallow = || {
        format!(
            "this clone is shallow: fetch the history with `{}`{CHECKOUT_HINT}",
            fetch_command(repo, rev, true)
        )
    };
    let common = repo.merge_base(base.id(), head.id()).ok();
    if common != Some(base.id()) {
        if !shallow.is_empty() {
            // History is cut: HEAD may still contain the base beyond the cut (GitHub's merge
            // commit fetched alone names the base as its first parent).
            if !raw_reaches(repo, head.id(), base.id()) {
                return Err(GitError(format!(
                    "cannot tell whether HEAD contains the base `{rev}`: the commits that would link them are not in this clone; {}",
                    unshallow()
                )));
            }
            range.missing = Some(unshallow());
            return Ok(range);
        }
        return Err(GitError(match common {
            None => format!(
                "the base `{rev}` and HEAD have no commit in common: `{rev}` is not where this change comes from (an unrelated history), so comparing them would not show the change; pass the branch this one was made from as --base"
            ),
            Some(_) => format!(
                "HEAD does not contain the base `{rev}` (its commit {} is not among HEAD's): the branch was made before `{rev}` moved on, and comparing with it would count its newer commits as undone by this change; bring the branch up to date first (`git rebase {rev}` or `git merge {rev}`), or in CI lint the pull request's merge commit (actions/checkout's default) with --base HEAD^1",
                short_id(base.id())
            ),
        }));
    }
    let mut walk = repo.revwalk().map_err(|e| {
        GitError(format!(
            "cannot read the commits of the change: {}",
            e.message()
        ))
    })?;
    walk.push(head.id())
        .and_then(|()| walk.hide(base.id()))
        .map_err(|e| {
            GitError(format!(
                "cannot read the commits of the change: {}",
                e.message()
            ))
        })?;
    for id in walk {
        let Ok(id) = id else {
            range.missing = Some(unshallow());
            break;
        };
        if shallow.contains(&id) {
            range.missing = Some(unshallow());
            break;
        }
        if range.commits.len() == MAX_CHANGE_COMMITS {
            range.missing = Some(format!(
                "the change holds more than {MAX_CHANGE_COMMITS} commits since `{rev}`, too many to follow; compare with a nearer base"
            ));
            break;
        }
        range.commits.insert(id);
    }
    if range.missing.is_some() {
        range.commits.clear();
    }
    Ok(range)
}

fn short_id(id: git2::Oid) -> String {
    id.to_string().chars().take(10).collect()
}

/// The commits a shallow clone has without their parents (git's `shallow` file).
fn shallow_commits(repo: &git2::Repository) -> std::collections::HashSet<git2::Oid> {
    if !repo.is_shallow() {
        return std::collections::HashSet::new();
    }
    std::fs::read_to_string(repo.commondir().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| git2::Oid::from_str(l.trim()).ok())
        .collect()
}

/// Does `from` reach `target` through the parents its commits name, as far as the objects are
/// in the clone? (libgit2 cuts a shallow clone's history where git's `shallow` file says; the
/// commits themselves still name their parents.)
fn raw_reaches(repo: &git2::Repository, from: git2::Oid, target: git2::Oid) -> bool {
    let Ok(odb) = repo.odb() else { return false };
    let mut queue = vec![from];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = queue.pop() {
        if id == target {
            return true;
        }
        if !seen.insert(id) || seen.len() > MAX_CHANGE_COMMITS {
            continue;
        }
        let Ok(object) = odb.read(id) else { continue };
        if object.kind() != git2::ObjectType::Commit {
            continue;
        }
        let text = String::from_utf8_lossy(object.data());
        for line in text.lines().take_while(|l| !l.is_empty()) {
            if let Some(parent) = line.strip_prefix("parent ")
                && let Ok(parent) = git2::Oid::from_str(parent.trim())
            {
                queue.push(parent);
            }
        }
    }
    false
}

/// Compare the workspace at `root` (its working tree) with the tree of `rev`.
pub fn change_since(root: &Path, rev: &str) -> Result<Change, GitError> {
    let (repo, prefix) = open_for_base(root)?;

    let (base, tree) = base_tree(&repo, rev)?;
    let range = change_range(&repo, &base, rev)?;

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
    let mut added = Vec::new();
    for rel in &changed {
        let Ok(entry) = tree.get_path(Path::new(&in_repo(prefix.as_str(), rel))) else {
            added.push(rel.as_str());
            continue;
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

    let history = follow(&repo, &range, &prefix, &base_texts, &added);
    Ok(Change {
        branch: head_branch(repo.head().ok().as_ref()),
        changed,
        base_texts,
        history,
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

/// The value of a top-level field (`state:`, `start:`) in a file's text, if it has one.
fn field_of(text: &str, field: &str) -> Option<String> {
    let parsed = crate::yaml::parse(text);
    let root = parsed.root?;
    Some(root.get(field)?.value.as_str()?.to_string())
}

/// The fields the history rules follow through the commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    State,
    Start,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::State => "state",
            Field::Start => "start",
        }
    }
}

/// Why following a file through the commits stopped.
enum Stop {
    /// A commit or tree the clone lacks.
    Missing,
    /// [`MAX_LOOKUPS`] reached.
    TooLong,
}

/// The commits that gave a field its values, newest first, and the first commit reached outside
/// the change (`None` at a root).
type Trace<'r> = (Vec<(git2::Commit<'r>, String)>, Option<git2::Commit<'r>>);

/// Files followed through the commits of a change, each commit's tree and each blob's value
/// read once.
struct Follower<'r> {
    repo: &'r git2::Repository,
    range: &'r std::collections::HashSet<git2::Oid>,
    trees: HashMap<git2::Oid, git2::Tree<'r>>,
    values: HashMap<(git2::Oid, Field), Option<String>>,
    lookups: usize,
}

impl<'r> Follower<'r> {
    /// `field` of the file at `path` in `commit` (`None`: no such file, or no such field).
    fn value(
        &mut self,
        commit: &git2::Commit<'r>,
        path: &Path,
        field: Field,
    ) -> Result<Option<String>, Stop> {
        self.lookups += 1;
        if self.lookups > MAX_LOOKUPS {
            return Err(Stop::TooLong);
        }
        let tree = match self.trees.entry(commit.id()) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(commit.tree().map_err(|_| Stop::Missing)?)
            }
        };
        let Ok(entry) = tree.get_path(path) else {
            return Ok(None);
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(None);
        }
        let id = entry.id();
        if let Some(value) = self.values.get(&(id, field)) {
            return Ok(value.clone());
        }
        let blob = self.repo.find_blob(id).map_err(|_| Stop::Missing)?;
        let value = ((blob.size() as u64) <= crate::yaml::MAX_FILE_BYTES)
            .then(|| field_of(&String::from_utf8_lossy(blob.content()), field.name()))
            .flatten();
        self.values.insert((id, field), value.clone());
        Ok(value)
    }

    /// From `head` back to the base, the commits of the change that gave `field` of `path` a
    /// new value, newest first, and the first commit reached outside the change (`None` at a
    /// root). At a merge, the parent followed is the first whose value is the merge's: a merge
    /// taking one side's value takes no step.
    fn trace(
        &mut self,
        head: &git2::Commit<'r>,
        path: &Path,
        field: Field,
    ) -> Result<Trace<'r>, Stop> {
        let mut at = head.clone();
        let mut value = self.value(&at, path, field)?;
        let mut marks = Vec::new();
        while self.range.contains(&at.id()) {
            let parents: Vec<git2::Commit<'r>> = at.parents().collect();
            if parents.len() != at.parent_count() {
                return Err(Stop::Missing);
            }
            let mut values = Vec::with_capacity(parents.len());
            for parent in &parents {
                values.push(self.value(parent, path, field)?);
            }
            let pick = values.iter().position(|v| *v == value).unwrap_or(0);
            let (Some(parent), Some(before)) = (parents.get(pick), values.get(pick)) else {
                // A root commit of the change.
                if let Some(value) = value {
                    marks.push((at, value));
                }
                return Ok((marks, None));
            };
            if *before != value
                && let Some(value) = value
            {
                marks.push((at.clone(), value));
            }
            at = parent.clone();
            value = before.clone();
        }
        Ok((marks, Some(at)))
    }
}

/// What the commits of `range` say about the changed files: the states each file of
/// `base_texts` went through, and when each `added` session got its present `start:`.
fn follow(
    repo: &git2::Repository,
    range: &Range,
    prefix: &str,
    base_texts: &BTreeMap<String, String>,
    added: &[&str],
) -> History {
    let mut history = History {
        missing: range.missing.clone(),
        ..History::default()
    };
    let head = range.head.and_then(|id| repo.find_commit(id).ok());
    let mut follower = Follower {
        repo,
        range: &range.commits,
        trees: HashMap::default(),
        values: HashMap::default(),
        lookups: 0,
    };
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    let mut stop = None;
    // New sessions first: whether they are committed is known even when the commits are not.
    for rel in added {
        let parts: Vec<&str> = rel.split('/').collect();
        if workspace::kind_of(&parts) != Some(crate::model::Kind::Session) {
            continue;
        }
        let path = PathBuf::from(in_repo(prefix, rel));
        let work = std::fs::read_to_string(workdir.join(&path))
            .ok()
            .and_then(|text| field_of(&text, Field::Start.name()));
        if work.is_none() {
            continue;
        }
        let Some(head) = &head else {
            history
                .planned
                .insert(rel.to_string(), Planned::Uncommitted);
            continue;
        };
        match follower.value(head, &path, Field::Start) {
            Ok(at_head) if at_head != work => {
                history
                    .planned
                    .insert(rel.to_string(), Planned::Uncommitted);
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                stop = Some(e);
                break;
            }
        }
        if history.missing.is_some() {
            continue;
        }
        let (marks, outside) = match follower.trace(head, &path, Field::Start) {
            Ok(found) => found,
            Err(e) => {
                stop = Some(e);
                break;
            }
        };
        // The newest commit that set it; else it had this start before the change.
        let Some(by) = marks.into_iter().next().map(|(c, _)| c).or(outside) else {
            continue;
        };
        let time = Utc
            .timestamp_opt(by.author().when().seconds(), 0)
            .single()
            .unwrap_or_else(Utc::now);
        history.planned.insert(
            rel.to_string(),
            Planned::Commit {
                commit: short_id(by.id()),
                time,
            },
        );
    }
    if let (None, None, Some(head)) = (&stop, &history.missing, &head) {
        for rel in base_texts.keys() {
            let path = PathBuf::from(in_repo(prefix, rel));
            match follower.trace(head, &path, Field::State) {
                Ok((marks, _)) if !marks.is_empty() => {
                    let steps = marks
                        .into_iter()
                        .rev()
                        .map(|(c, state)| Step {
                            commit: short_id(c.id()),
                            state,
                        })
                        .collect();
                    history.steps.insert(rel.clone(), steps);
                }
                Ok(_) => {}
                Err(e) => {
                    stop = Some(e);
                    break;
                }
            }
        }
    }
    if let Some(stop) = stop {
        history.missing = Some(match stop {
            Stop::TooLong => "the commits of the change are too many to follow; compare with a nearer base".to_string(),
            Stop::Missing => "commits of the change are missing from this clone; fetch its whole history (`git fetch --unshallow`, or in GitHub Actions `fetch-depth: 0` on actions/checkout)".to_string(),
        });
        history.steps.clear();
        history.planned.retain(|_, p| *p == Planned::Uncommitted);
    }
    history
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
    /// The commits of the change.
    range: Range,
    /// The workspace root relative to the repository's working tree (`/`-separated, or empty).
    prefix: String,
    branch: Option<String>,
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
        let id = git2::Oid::from_bytes(&crate::blob::object_id("tree", &content)).ok()?;
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
    let (tree, range) = {
        let (base, tree) = base_tree(&repo, rev)?;
        (tree.id(), change_range(&repo, &base, rev)?)
    };
    let branch = head_branch(repo.head().ok().as_ref());
    // git's index (188k entries on a large workspace: ~0.1 s) is not read: the candidates are
    // confirmed without it when git stores the files as they are (`Base::confirm_by_blob`),
    // and libgit2 reads it only when it has to confirm them itself.
    Ok(Base {
        repo,
        tree,
        range,
        prefix,
        branch,
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
        let mut added = Vec::new();
        for rel in &changed {
            let Some(id) = base_files.get(rel) else {
                added.push(rel.as_str());
                continue;
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
        let history = follow(&self.repo, &self.range, &self.prefix, &base_texts, &added);
        Some(Change {
            branch: self.branch.clone(),
            changed,
            base_texts,
            history,
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
        check_branch_name(&repo, name)?;
        repo.head()
            .and_then(|h| h.peel_to_commit())
            .map_err(|_| GitError("--branch needs a first commit to branch from".into()))?;
    }
    check_unlocked(&repo, branch)?;
    Ok(Committer {
        repo,
        prefix,
        branch: branch.map(str::to_string),
        signature,
    })
}

/// Refuse to start when git holds a lock the commit needs (the index, HEAD, the branch the
/// commit goes on): another git command is running, or one was interrupted. The commit would
/// fail after the files are written.
fn check_unlocked(repo: &git2::Repository, branch: Option<&str>) -> Result<(), GitError> {
    let target = match branch {
        Some(name) => Some(format!("refs/heads/{name}")),
        None => repo
            .find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string)),
    };
    let locks = [
        repo.path().join("index.lock"),
        repo.path().join("HEAD.lock"),
    ]
    .into_iter()
    .chain(target.map(|t| repo.commondir().join(format!("{t}.lock"))));
    for lock in locks {
        if lock.exists() {
            return Err(GitError(format!(
                "git is busy: {} exists, so the commit would fail after the files are written; wait for the other git command to finish (or, if none is running, delete that file) and run the command again",
                lock.display()
            )));
        }
    }
    Ok(())
}

/// Branch names longer than this are refused: git stores a branch as a file named after it,
/// and file names stop at 255 bytes on most filesystems (less inside some paths).
const MAX_BRANCH_BYTES: usize = 200;

/// Refuse a `--branch` name that git would refuse, or create but read as something else, or
/// fail to create after the files are written: everything is checked before any file is.
fn check_branch_name(repo: &git2::Repository, name: &str) -> Result<(), GitError> {
    let refuse = |why: String| {
        Err(GitError(format!(
            "--branch `{name}`: {why}; pick another name with --branch NAME"
        )))
    };
    if name.len() > MAX_BRANCH_BYTES {
        return refuse(format!(
            "a branch name is at most {MAX_BRANCH_BYTES} bytes, and this one is longer than that ({} bytes)",
            name.len()
        ));
    }
    if name == "@" || name == "HEAD" {
        return refuse(format!(
            "git reads `{name}` as the current commit, not as a branch"
        ));
    }
    if name.starts_with("refs/") {
        return refuse(
            "that is a full reference name; give the branch's short name (without `refs/heads/`)"
                .into(),
        );
    }
    let full = format!("refs/heads/{name}");
    if name.starts_with('-')
        || !git2::Branch::name_is_valid(name).unwrap_or(false)
        || !git2::Reference::is_valid_name(&full)
    {
        return refuse(
            "not a valid branch name (no spaces, `..`, `~`, `^`, `:`, `?`, `*`, `[`, `\\`, `@{`, no leading `-` or `.`, no trailing `.lock`, `/` or `.`)"
                .into(),
        );
    }
    if repo.find_reference(&full).is_ok() {
        return Err(GitError(format!(
            "branch `{name}` already exists; pick another name with --branch NAME, or switch to it with git first"
        )));
    }
    if repo.find_reference(&format!("refs/remotes/{name}")).is_ok() {
        return refuse(format!(
            "that is the name of the remote-tracking branch `{name}`, so git would read it as either"
        ));
    }
    let remotes = repo
        .remotes()
        .map_err(|e| GitError(format!("git: {}", e.message())))?;
    if let Some(remote) = remotes
        .iter()
        .flatten()
        .flatten()
        .find(|r| name.starts_with(&format!("{r}/")))
    {
        return refuse(format!(
            "it starts with the name of the remote `{remote}`, so git would read it as one of that remote's branches"
        ));
    }
    if repo.find_reference(&format!("refs/tags/{name}")).is_ok() {
        return refuse(format!(
            "there is a tag `{name}`, so git would read the name as either"
        ));
    }
    // A branch is a file under refs/heads/: `a/b` cannot be made beside a branch `a`, nor `a`
    // beside a branch `a/b`.
    for (at, _) in name.match_indices('/') {
        let folder = &name[..at];
        if repo.find_reference(&format!("refs/heads/{folder}")).is_ok() {
            return refuse(format!(
                "branch `{folder}` exists, so no branch can be made under `{folder}/`"
            ));
        }
    }
    let under = repo
        .references_glob(&format!("refs/heads/{name}/*"))
        .map_err(|e| GitError(format!("git: {}", e.message())))?
        .flatten()
        .find_map(|r| r.shorthand().ok().map(str::to_string));
    if let Some(other) = under {
        return refuse(format!(
            "branch `{other}` exists, so `{name}` cannot be made (it would have to be a folder and a branch)"
        ));
    }
    Ok(())
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
    // ASCII only, so any byte is a character boundary.
    let mut name = format!("fresk/{}", words.join("-"));
    name.truncate(MAX_BRANCH_BYTES / 2);
    name.trim_end_matches(['-', '/', '.']).to_string()
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
        let long = branch_name_for(&format!("invoice {} issued", "x".repeat(300)));
        assert!(long.len() <= MAX_BRANCH_BYTES / 2, "{long}");
        assert!(long.starts_with("fresk/invoice-xxx") && !long.ends_with('-'));
    }
}
