//! `fresk mission`.

use super::Error;
use super::common::Globals;
use std::path::Path;

pub fn run(
    _start: &Path,
    _cmd: crate::cli::MissionCommand,
    _globals: Globals,
) -> Result<u8, Error> {
    Err(Error("`fresk mission` is not implemented yet".into()))
}
