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
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=Cargo.lock");
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
