//! What the commits of a change say: the lifecycle steps each file took, when each new session
//! was planned, and — in a shallow clone or a change too long to follow — why that is unknown.

use super::base::{CHECKOUT_HINT, fetch_command};
use super::{GitError, HashMap, in_repo, short_id};
use crate::workspace;
use chrono::{DateTime, TimeZone, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// The commits of a change: HEAD's, less the base's.
#[derive(Debug, Default)]
pub(super) struct Range {
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
pub(super) fn change_range(
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
    let common = repo.merge_base(base.id(), head.id()).ok();
    if common != Some(base.id()) {
        if shallow.is_empty() {
            return Err(not_contained(rev, base.id(), common.is_some()));
        }
        // History is cut: HEAD may still contain the base beyond the cut (GitHub's merge
        // commit fetched alone names the base as its first parent).
        if !raw_reaches(repo, head.id(), base.id()) {
            return Err(GitError(format!(
                "cannot tell whether HEAD contains the base `{rev}`: the commits that would link them are not in this clone; {}",
                unshallow(repo, rev)
            )));
        }
        range.missing = Some(unshallow(repo, rev));
        return Ok(range);
    }
    list_commits(repo, (base.id(), head.id()), rev, &shallow, &mut range)?;
    Ok(range)
}

/// How to fetch the history a shallow clone lacks.
fn unshallow(repo: &git2::Repository, rev: &str) -> String {
    format!(
        "this clone is shallow: fetch the history with `{}`{CHECKOUT_HINT}",
        fetch_command(repo, rev, true)
    )
}

/// Why comparing HEAD with a base it does not contain (commit `base`, named `rev`) would not
/// show the change: the two are unrelated (no commit in `common`), or the branch is behind.
fn not_contained(rev: &str, base: git2::Oid, common: bool) -> GitError {
    GitError(if common {
        format!(
            "HEAD does not contain the base `{rev}` (its commit {} is not among HEAD's): the branch was made before `{rev}` moved on, and comparing with it would count its newer commits as undone by this change; bring the branch up to date first (`git rebase {rev}` or `git merge {rev}`), or in CI lint the pull request's merge commit (actions/checkout's default) with --base HEAD^1",
            short_id(base)
        )
    } else {
        format!(
            "the base `{rev}` and HEAD have no commit in common: `{rev}` is not where this change comes from (an unrelated history), so comparing them would not show the change; pass the branch this one was made from as --base"
        )
    })
}

/// Fill `range` with the commits from `base` (exclusive) to `head`; when they cannot all be
/// listed (cut by a shallow clone, or too many), leave none and say why.
fn list_commits(
    repo: &git2::Repository,
    (base, head): (git2::Oid, git2::Oid),
    rev: &str,
    shallow: &std::collections::HashSet<git2::Oid>,
    range: &mut Range,
) -> Result<(), GitError> {
    let unreadable = |e: git2::Error| {
        GitError(format!(
            "cannot read the commits of the change: {}",
            e.message()
        ))
    };
    let mut walk = repo.revwalk().map_err(unreadable)?;
    walk.push(head)
        .and_then(|()| walk.hide(base))
        .map_err(unreadable)?;
    for id in walk {
        let Ok(id) = id else {
            range.missing = Some(unshallow(repo, rev));
            break;
        };
        if shallow.contains(&id) {
            range.missing = Some(unshallow(repo, rev));
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
    Ok(())
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
pub(super) fn follow(
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
    // New sessions first: whether they are committed is known even when the commits are not.
    let followed = follower
        .plannings(&mut history, head.as_ref(), prefix, added)
        .and_then(|()| match (&history.missing, &head) {
            (None, Some(head)) => follower.steps(&mut history, head, prefix, base_texts),
            _ => Ok(()),
        });
    if let Err(stop) = followed {
        give_up(&mut history, stop);
    }
    history
}

impl<'r> Follower<'r> {
    /// Record in `history` when each `added` session got the `start:` it has in the working
    /// tree: uncommitted, or the newest commit that set it.
    fn plannings(
        &mut self,
        history: &mut History,
        head: Option<&git2::Commit<'r>>,
        prefix: &str,
        added: &[&str],
    ) -> Result<(), Stop> {
        let workdir = self
            .repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_default();
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
            let Some(head) = head else {
                history
                    .planned
                    .insert(rel.to_string(), Planned::Uncommitted);
                continue;
            };
            if self.value(head, &path, Field::Start)? != work {
                history
                    .planned
                    .insert(rel.to_string(), Planned::Uncommitted);
                continue;
            }
            if history.missing.is_some() {
                continue;
            }
            let (marks, outside) = self.trace(head, &path, Field::Start)?;
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
        Ok(())
    }

    /// Record in `history` the states each file of `base_texts` went through in the commits of
    /// the change, oldest first.
    fn steps(
        &mut self,
        history: &mut History,
        head: &git2::Commit<'r>,
        prefix: &str,
        base_texts: &BTreeMap<String, String>,
    ) -> Result<(), Stop> {
        for rel in base_texts.keys() {
            let path = PathBuf::from(in_repo(prefix, rel));
            let (marks, _) = self.trace(head, &path, Field::State)?;
            if marks.is_empty() {
                continue;
            }
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
        Ok(())
    }
}

/// Following stopped: the rules that need the commits say why, and only what is known without
/// them (the uncommitted sessions) is kept.
fn give_up(history: &mut History, stop: Stop) {
    history.missing = Some(match stop {
        Stop::TooLong => "the commits of the change are too many to follow; compare with a nearer base".to_string(),
        Stop::Missing => "commits of the change are missing from this clone; fetch its whole history (`git fetch --unshallow`, or in GitHub Actions `fetch-depth: 0` on actions/checkout)".to_string(),
    });
    history.steps.clear();
    history.planned.retain(|_, p| *p == Planned::Uncommitted);
}
