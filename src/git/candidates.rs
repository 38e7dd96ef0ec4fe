//! The change found without a diff of the whole working tree: the load cache's blob ids name
//! the candidates, which git's own objects (or libgit2, path by path) confirm.

use super::base::{base_tree, head_branch, open_for_base, read_base_texts, working_diff};
use super::history::{Range, change_range, follow};
use super::{Change, FoundBy, GitError, HashMap, in_repo};
use crate::workspace::{self, CONFIG_FILE, DATA_DIRS};
use std::collections::BTreeSet;
use std::path::Path;

/// The base of a change, read while the workspace loads: the blob id of every workspace file
/// in the base tree. With the blob ids of the working files (the load cache keeps them), the
/// files that differ are found without libgit2 comparing the whole working tree (a stat of
/// every file, on one core); each candidate is then confirmed by libgit2 alone, path by path,
/// so that filters (line endings, LFS), symbolic links and ignored files are judged exactly as
/// [`change_since`](super::change_since) judges them.
pub struct Base {
    repo: git2::Repository,
    tree: git2::Oid,
    /// The commits of the change.
    range: Range,
    /// The workspace root relative to the repository's working tree (`/`-separated, or empty).
    prefix: String,
    branch: Option<String>,
}

type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// The files [`Base::change`] must confirm, and what it confirms them with.
struct Candidates<'w> {
    /// Workspace paths that may differ.
    paths: BTreeSet<String>,
    /// The base's workspace files outside the folders identical on both sides: path → blob id.
    base_files: HashMap<String, git2::Oid>,
    /// The working files outside those folders: path → blob id.
    work: HashMap<&'w str, &'w [u8; 20]>,
}

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
        same: &mut HashSet<String>,
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
    /// so many candidates that one whole diff is cheaper): call [`change_since`](super::change_since) instead.
    pub fn change(&self, work: &[(&str, [u8; 20])]) -> Option<Change> {
        if work.iter().any(|(_, blob)| *blob == [0u8; 20]) {
            return None;
        }
        let found = self.candidates(work)?;
        let (changed, found_by) =
            match self.confirm_by_blob(&found.paths, &found.base_files, &found.work) {
                Some(changed) => (changed, FoundBy::Blobs),
                None => (self.confirm_by_diff(found.paths)?, FoundBy::Candidates),
            };
        let (base_texts, added) = read_base_texts(&self.repo, &changed, |rel| {
            found.base_files.get(rel).copied()
        });
        let history = follow(&self.repo, &self.range, &self.prefix, &base_texts, &added);
        Some(Change {
            branch: self.branch.clone(),
            changed,
            base_texts,
            history,
            found_by,
        })
    }

    /// The files that may differ between the base and `work`: working files outside the
    /// identical folders whose blob differs from the base's, and base files (all outside them)
    /// no working file matches. `None` past [`MAX_CANDIDATES`].
    fn candidates<'w>(&self, work: &'w [(&str, [u8; 20])]) -> Option<Candidates<'w>> {
        // The tree id of every working folder, as git would compute it from these files: a
        // folder whose id is the base's holds the same files, and is not looked into.
        let ours = work_tree_ids(work)?;
        let (base_files, same) = self.base_files(&ours)?;
        let mut paths: BTreeSet<String> = BTreeSet::new();
        let mut here: HashMap<&str, &[u8; 20]> = HashMap::default();
        // Files come folder by folder, so each folder is judged once.
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
                paths.insert((*path).to_string());
                if paths.len() > MAX_CANDIDATES {
                    return None;
                }
            }
        }
        for path in base_files.keys() {
            if !here.contains_key(path.as_str()) {
                paths.insert(path.clone());
            }
        }
        if paths.len() > MAX_CANDIDATES {
            return None;
        }
        Some(Candidates {
            paths,
            base_files,
            work: here,
        })
    }

    /// The workspace files of the base outside the folders whose tree id is the working
    /// folder's in `ours`, and those identical folders.
    fn base_files(
        &self,
        ours: &HashMap<String, git2::Oid>,
    ) -> Option<(HashMap<String, git2::Oid>, HashSet<String>)> {
        let top = self.repo.find_tree(self.tree).ok()?;
        let top = if self.prefix.is_empty() {
            top
        } else {
            let entry = top.get_path(Path::new(&self.prefix)).ok()?;
            self.repo.find_tree(entry.id()).ok()?
        };
        let mut base_files: HashMap<String, git2::Oid> = HashMap::default();
        let mut same: HashSet<String> = HashSet::default();
        for entry in top.iter() {
            let Ok(name) = entry.name() else { continue };
            if name == CONFIG_FILE && entry.kind() == Some(git2::ObjectType::Blob) {
                base_files.insert(name.to_string(), entry.id());
            } else if DATA_DIRS.contains(&name) && entry.kind() == Some(git2::ObjectType::Tree) {
                self.walk_differing(name, entry.id(), ours, &mut base_files, &mut same);
            }
        }
        Some((base_files, same))
    }

    /// Which candidates differ, each confirmed by libgit2 alone (reading git's index, and
    /// applying every filter and ignore rule as [`change_since`](super::change_since) does).
    fn confirm_by_diff(&self, candidates: BTreeSet<String>) -> Option<BTreeSet<String>> {
        let tree = self.repo.find_tree(self.tree).ok()?;
        let mut changed = BTreeSet::new();
        for rel in candidates {
            let in_repo = in_repo(&self.prefix, &rel);
            let diff = working_diff(&self.repo, &tree, &[in_repo], true).ok()?;
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
