//! `fresk init`.

use super::Error;
use super::common::Globals;
use std::path::Path;

pub fn run(_start: &Path, _cmd: crate::cli::InitArgs, _globals: Globals) -> Result<u8, Error> {
    Err(Error("`fresk init` is not implemented yet".into()))
}
