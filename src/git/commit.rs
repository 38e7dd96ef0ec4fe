//! `--commit` and `--branch` on a mutating command: the repository, the identity and the branch
//! name checked before any file is written, then the commit of exactly the files written.

use super::GitError;
use std::path::{Path, PathBuf};

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
    let signature = signature(Some(&repo))?;
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

/// Who commits, as git would say: `GIT_COMMITTER_NAME`/`GIT_COMMITTER_EMAIL` (or the
/// `GIT_AUTHOR_` ones) when set, else `user.name` and `user.email` of the repository's
/// configuration (or the user's, without a repository).
pub fn signature(repo: Option<&git2::Repository>) -> Result<git2::Signature<'static>, GitError> {
    let env = |a: &str, b: &str| {
        std::env::var(a)
            .ok()
            .or_else(|| std::env::var(b).ok())
            .filter(|v| !v.trim().is_empty())
    };
    let config = match repo {
        Some(repo) => repo.config().ok(),
        None => git2::Config::open_default().ok(),
    };
    let from_config = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
    let name = env("GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME").or_else(|| from_config("user.name"));
    let email =
        env("GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL").or_else(|| from_config("user.email"));
    match (name, email) {
        (Some(name), Some(email)) => git2::Signature::now(&name, &email)
            .map_err(|e| GitError(format!("git: {}", e.message()))),
        _ => Err(GitError(
            "git does not know who you are: set `git config user.name \"…\"` and `git config user.email …` (with --global for all your repositories), then run the command again"
                .into(),
        )),
    }
}

/// `fresk init`: a new repository in `dir` on branch `main`, whose first commit holds every
/// file of `dir` that `.gitignore` does not exclude. Returns the commit's short id.
pub fn init_repository(
    dir: &Path,
    signature: &git2::Signature<'_>,
    message: &str,
) -> Result<String, GitError> {
    let err = |e: git2::Error| GitError(format!("git: {}", e.message()));
    let mut options = git2::RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = git2::Repository::init_opts(dir, &options).map_err(err)?;
    let mut index = repo.index().map_err(err)?;
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .map_err(err)?;
    index.write().map_err(err)?;
    let tree_id = index.write_tree().map_err(err)?;
    let tree = repo.find_tree(tree_id).map_err(err)?;
    let id = repo
        .commit(Some("HEAD"), signature, signature, message, &tree, &[])
        .map_err(err)?;
    Ok(id.to_string().chars().take(10).collect())
}

/// The working tree of the repository `dir` is in (or would be in, for a folder not created
/// yet), if any.
pub fn enclosing_repository(dir: &Path) -> Option<std::path::PathBuf> {
    let mut probe = Some(dir);
    while let Some(p) = probe {
        if p.exists() {
            return git2::Repository::discover(p)
                .ok()
                .and_then(|r| r.workdir().map(Path::to_path_buf));
        }
        probe = p.parent();
    }
    None
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
        GitError(format!(
            "--branch `{name}`: {why}; pick another name with --branch NAME"
        ))
    };
    if let Some(why) = malformed(name) {
        return Err(refuse(why));
    }
    if repo.find_reference(&format!("refs/heads/{name}")).is_ok() {
        return Err(GitError(format!(
            "branch `{name}` already exists; pick another name with --branch NAME, or switch to it with git first"
        )));
    }
    match ambiguous(repo, name)? {
        Some(why) => Err(refuse(why)),
        None => Ok(()),
    }
}

/// Why git would refuse `name` as a branch name, or read it as something else, whatever the
/// repository holds.
fn malformed(name: &str) -> Option<String> {
    if name.len() > MAX_BRANCH_BYTES {
        return Some(format!(
            "a branch name is at most {MAX_BRANCH_BYTES} bytes, and this one is longer than that ({} bytes)",
            name.len()
        ));
    }
    if name == "@" || name == "HEAD" {
        return Some(format!(
            "git reads `{name}` as the current commit, not as a branch"
        ));
    }
    if name.starts_with("refs/") {
        return Some(
            "that is a full reference name; give the branch's short name (without `refs/heads/`)"
                .into(),
        );
    }
    if name.starts_with('-')
        || !git2::Branch::name_is_valid(name).unwrap_or(false)
        || !git2::Reference::is_valid_name(&format!("refs/heads/{name}"))
    {
        return Some(
            "not a valid branch name (no spaces, `..`, `~`, `^`, `:`, `?`, `*`, `[`, `\\`, `@{`, no leading `-` or `.`, no trailing `.lock`, `/` or `.`)"
                .into(),
        );
    }
    None
}

/// Why a new branch `name` would be read as another reference of `repo` (a remote's branch, a
/// tag), or could not be made beside its branches.
fn ambiguous(repo: &git2::Repository, name: &str) -> Result<Option<String>, GitError> {
    let exists = |full: String| repo.find_reference(&full).is_ok();
    if exists(format!("refs/remotes/{name}")) {
        return Ok(Some(format!(
            "that is the name of the remote-tracking branch `{name}`, so git would read it as either"
        )));
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
        return Ok(Some(format!(
            "it starts with the name of the remote `{remote}`, so git would read it as one of that remote's branches"
        )));
    }
    if exists(format!("refs/tags/{name}")) {
        return Ok(Some(format!(
            "there is a tag `{name}`, so git would read the name as either"
        )));
    }
    // A branch is a file under refs/heads/: `a/b` cannot be made beside a branch `a`, nor `a`
    // beside a branch `a/b`.
    for (at, _) in name.match_indices('/') {
        let folder = &name[..at];
        if exists(format!("refs/heads/{folder}")) {
            return Ok(Some(format!(
                "branch `{folder}` exists, so no branch can be made under `{folder}/`"
            )));
        }
    }
    let under = repo
        .references_glob(&format!("refs/heads/{name}/*"))
        .map_err(|e| GitError(format!("git: {}", e.message())))?
        .flatten()
        .find_map(|r| r.shorthand().ok().map(str::to_string));
    Ok(under.map(|other| {
        format!(
            "branch `{other}` exists, so `{name}` cannot be made (it would have to be a folder and a branch)"
        )
    }))
}

impl Committer {
    /// Create and switch to the branch (if asked), then commit exactly `files` (relative to the
    /// workspace root; deleted ones are removed) with `message`, leaving anything else the user
    /// staged alone. Returns the new commit's short id.
    pub fn commit(self, files: &[String], message: &str) -> Result<String, GitError> {
        let err = |e: git2::Error| GitError(format!("git: {}", e.message()));
        let repo = &self.repo;
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
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
        // The hooks `git commit` runs, with the files staged: pre-commit may refuse, and
        // commit-msg may refuse or rewrite the message.
        let hooks = Hooks::of(repo);
        hooks.run("pre-commit", &workdir, &[])?;
        let message = hooks.commit_msg(repo, &workdir, message)?;
        if let (Some(name), Some(parent)) = (&self.branch, &parent) {
            repo.branch(name, parent, false).map_err(err)?;
            repo.set_head(&format!("refs/heads/{name}")).map_err(err)?;
        }
        let tree_id = tree_index.write_tree_to(repo).map_err(err)?;
        let tree = repo.find_tree(tree_id).map_err(err)?;
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = repo
            .commit(
                Some("HEAD"),
                &self.signature,
                &self.signature,
                &message,
                &tree,
                &parents,
            )
            .map_err(err)?;
        // post-commit only informs: its failure does not undo the commit, as in git.
        let _ = hooks.run("post-commit", &workdir, &[]);
        Ok(id.to_string().chars().take(10).collect())
    }
}

/// The repository's git hooks: `core.hooksPath` (relative to the working tree) or the
/// repository's `hooks/` folder. Only executable files run, as in git.
struct Hooks {
    dir: PathBuf,
}

impl Hooks {
    fn of(repo: &git2::Repository) -> Hooks {
        let configured = repo
            .config()
            .ok()
            .and_then(|c| c.get_path("core.hooksPath").ok());
        let dir = match configured {
            Some(p) if p.is_absolute() => p,
            Some(p) => repo.workdir().map(|w| w.join(&p)).unwrap_or(p),
            None => repo.commondir().join("hooks"),
        };
        Hooks { dir }
    }

    fn executable(&self, name: &str) -> Option<PathBuf> {
        let path = self.dir.join(name);
        let meta = std::fs::metadata(&path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            (meta.is_file() && meta.permissions().mode() & 0o111 != 0).then_some(path)
        }
        #[cfg(not(unix))]
        {
            meta.is_file().then_some(path)
        }
    }

    /// Run hook `name` (if there is one) in the working tree; its refusal, with what it said.
    fn run(&self, name: &str, workdir: &Path, args: &[&Path]) -> Result<(), GitError> {
        let Some(hook) = self.executable(name) else {
            return Ok(());
        };
        let out = std::process::Command::new(&hook)
            .args(args)
            .current_dir(workdir)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| {
                GitError(format!(
                    "cannot run the {name} hook {}: {e}",
                    hook.display()
                ))
            })?;
        if out.status.success() {
            return Ok(());
        }
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Err(GitError(format!(
            "the {name} hook ({}) refused the commit{}",
            hook.display(),
            if said.trim().is_empty() {
                String::new()
            } else {
                format!(":\n{}", said.trim_end())
            }
        )))
    }

    /// The message after the commit-msg hook, which reads and may rewrite it in
    /// `.git/COMMIT_EDITMSG`.
    fn commit_msg(
        &self,
        repo: &git2::Repository,
        workdir: &Path,
        message: &str,
    ) -> Result<String, GitError> {
        if self.executable("commit-msg").is_none() {
            return Ok(message.to_string());
        }
        let file = repo.path().join("COMMIT_EDITMSG");
        std::fs::write(&file, message)
            .map_err(|e| GitError(format!("cannot write {}: {e}", file.display())))?;
        self.run("commit-msg", workdir, &[&file])?;
        std::fs::read_to_string(&file)
            .map_err(|e| GitError(format!("cannot read {}: {e}", file.display())))
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
