//! Build script: a fingerprint of the sources fresk is built from (`FRESK_SOURCE_ID`). The load
//! cache and the rules' memo are used only by a fresk built from the very same sources and
//! locked dependencies, whichever copy of the executable runs: a CI job that restores
//! `.fresk-cache` and builds fresk afresh still finds its cache.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.push(root.join("Cargo.toml"));
    files.push(root.join("Cargo.lock"));
    files.sort();
    // SipHash with fixed keys: the same sources give the same id on every build.
    let mut hasher = std::hash::DefaultHasher::new();
    for file in &files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let rel = file.strip_prefix(&root).unwrap_or(file);
        hasher.write(rel.to_string_lossy().as_bytes());
        hasher.write_usize(bytes.len());
        hasher.write(&bytes);
    }
    println!("cargo:rustc-env=FRESK_SOURCE_ID={:016x}", hasher.finish());
    println!("cargo:rustc-env=FRESK_VERSION={}", version(&root));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=Cargo.lock");
}

/// `0.1.0 (3f2a9c1d0e 2026-12-06)`: the package version and, when built from a git checkout,
/// the commit (with `-dirty` when tracked files differed from it when built) and its date;
/// `fresk --version` prints it.
fn version(root: &Path) -> String {
    let package = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(commit) = git(&["log", "-1", "--format=%h %cs", "--abbrev=10"]) else {
        return package;
    };
    // Rebuilt when HEAD moves: HEAD itself, and the branch's ref (loose, or in packed-refs).
    let head = git(&["symbolic-ref", "-q", "HEAD"]);
    let watched = ["HEAD", head.as_deref().unwrap_or("HEAD"), "packed-refs"];
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", name]) {
            let path = root.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let (id, date) = commit.split_once(' ').unwrap_or((&commit, ""));
    let dirty = if dirty { "-dirty" } else { "" };
    format!("{package} ({id}{dirty} {date})")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
