//! The workspace's own templates and labels files: read only from inside the workspace (a
//! symbolic link out of it is refused unread), and never larger than a workspace file.

use std::path::{Path, PathBuf};

/// Why a template or labels file of the workspace cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {rel}: {source}")]
    Io { rel: String, source: std::io::Error },
    #[error(
        "{rel} leads out of the workspace (a symbolic link); fresk reads templates and labels only from inside it: replace the link with the file itself (nothing was read from it)"
    )]
    Outside { rel: String },
    #[error("cannot read the workspace folder: {0}")]
    Workspace(std::io::Error),
    #[error(
        "{rel} is {bytes} bytes, larger than any template or labels file should be ({} MiB at most)",
        crate::yaml::MAX_FILE_BYTES >> 20
    )]
    TooLarge { rel: String, bytes: u64 },
}

impl ReadError {
    fn io(rel: &str) -> impl FnOnce(std::io::Error) -> ReadError {
        move |source| ReadError::Io {
            rel: rel.to_string(),
            source,
        }
    }
}

/// The real path of `rel` when it exists and lies inside the workspace `root`, symbolic links
/// included; `None` when there is nothing there. A path that leads out of the workspace (or a
/// link to nothing) is an error naming it — its target is never read, so no message can show
/// what a file outside the workspace holds.
pub fn inside(root: &Path, rel: &str) -> Result<Option<PathBuf>, ReadError> {
    let path = root.join(rel);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::io(rel)(e)),
        Ok(_) => {}
    }
    let outside = || ReadError::Outside {
        rel: rel.to_string(),
    };
    let real = path.canonicalize().map_err(|_| outside())?;
    let root = root.canonicalize().map_err(ReadError::Workspace)?;
    if !real.starts_with(&root) {
        return Err(outside());
    }
    Ok(Some(real))
}

/// The text of a template or labels file found by [`inside`], refusing one larger than any
/// workspace file should be.
pub fn read_capped(path: &Path, rel: &str) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::io(rel))?;
    if meta.len() > crate::yaml::MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            rel: rel.to_string(),
            bytes: meta.len(),
        });
    }
    std::fs::read_to_string(path).map_err(ReadError::io(rel))
}
