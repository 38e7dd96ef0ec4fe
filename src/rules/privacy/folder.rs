//! `private-exposed`: the workspace's `private/` folder — rosters, bank details, certificates —
//! must be a real folder that git ignores and tracks nothing in.

use crate::diagnostics::{At, Finding};

/// What is wrong with the workspace's `private/` folder: a symbolic link (whatever is written
/// there lands where it points — a tracked folder, or outside the workspace), not a folder, not
/// ignored by git, or holding files git already tracks (force-added). Nothing when there is no
/// `private/`, or no repository. Each finding is on `private` at 1:1 and says how to fix it.
pub fn private_folder(root: &std::path::Path) -> Vec<Finding> {
    private_folder_for(root, false)
}

/// [`private_folder`] for a command about to write under `private/`: a `private/` still to be
/// made must be ignored by git too.
pub fn private_folder_for_writing(root: &std::path::Path) -> Vec<Finding> {
    private_folder_for(root, true)
}

fn private_folder_for(root: &std::path::Path, writing: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut flag = |message: String| {
        out.push(Finding::new(
            &super::PRIVATE_EXPOSED,
            "private",
            At::Span(crate::yaml::Span::point(crate::yaml::Pos {
                line: 1,
                column: 1,
            })),
            message,
        ));
    };
    let path = root.join("private");
    let meta = std::fs::symlink_metadata(&path);
    match &meta {
        Err(_) if !writing => return out,
        Err(_) => {}
        Ok(meta) if meta.file_type().is_symlink() => {
            let inside = match (path.canonicalize(), root.canonicalize()) {
                (Ok(target), Ok(root)) => target.starts_with(root),
                _ => false,
            };
            let lands = if inside {
                "in another folder of the workspace, which git may track"
            } else {
                "outside the workspace (or nowhere)"
            };
            flag(format!(
                "private/ is a symbolic link: rosters, bank details and the certificates `fresk render certificate` writes there (participants' names) would land {lands}; replace the link with a real folder, ignored by git (`private/` in .gitignore)"
            ));
            return out;
        }
        Ok(meta) if !meta.is_dir() => {
            flag(
                "private is not a folder: rosters and certificates go in the folder private/, ignored by git; rename this file and make private/ a folder".into(),
            );
            return out;
        }
        Ok(_) => {}
    }
    let Some((repo, prefix)) = repository_of(root) else {
        return out;
    };
    let probe = format!("{prefix}private/roster.yaml");
    if !repo
        .is_path_ignored(std::path::Path::new(&probe))
        .unwrap_or(false)
    {
        flag(
            "git does not ignore private/: the rosters (participants' names) and certificates kept there would be committed with the next `git add`; add the line `private/` to the workspace's .gitignore".into(),
        );
    }
    let tracked = tracked_under(&repo, &format!("{prefix}private"));
    if !tracked.is_empty() {
        let more = if tracked.len() > 5 {
            format!(" and {} more", tracked.len() - 5)
        } else {
            String::new()
        };
        let shown: Vec<&str> = tracked.iter().take(5).map(String::as_str).collect();
        flag(format!(
            "git tracks files under private/ ({}{more}): they are in the repository's history for anyone with a clone; remove them from git with `git rm -r --cached private` (the files stay on disk), and ask whoever can to purge them from the history",
            shown.join(", ")
        ));
    }
    out
}

/// The repository holding `root` and the workspace's folder in it (`""` or `books/`).
fn repository_of(root: &std::path::Path) -> Option<(git2::Repository, String)> {
    let repo = git2::Repository::discover(root).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = root.strip_prefix(&workdir).ok()?;
    let mut prefix = String::new();
    for c in rel.components() {
        prefix.push_str(&c.as_os_str().to_string_lossy());
        prefix.push('/');
    }
    Some((repo, prefix))
}

/// The files committed under `dir` (a path in the repository) in HEAD's tree, at most 100.
fn tracked_under(repo: &git2::Repository, dir: &str) -> Vec<String> {
    let mut files = Vec::new();
    let Some(tree) = repo.head().ok().and_then(|h| h.peel_to_tree().ok()) else {
        return files;
    };
    let Ok(entry) = tree.get_path(std::path::Path::new(dir)) else {
        return files;
    };
    match entry.kind() {
        Some(git2::ObjectType::Tree) => {
            if let Ok(sub) = repo.find_tree(entry.id()) {
                let _ = sub.walk(git2::TreeWalkMode::PreOrder, |folder, e| {
                    if e.kind() == Some(git2::ObjectType::Blob) {
                        files.push(format!("private/{folder}{}", e.name().unwrap_or("?")));
                    }
                    if files.len() >= 100 {
                        git2::TreeWalkResult::Abort
                    } else {
                        git2::TreeWalkResult::Ok
                    }
                });
            }
        }
        _ => files.push("private".into()),
    }
    files
}
