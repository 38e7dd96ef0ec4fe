//! `fresk declaration`.

use super::Error;
use super::common::Globals;
use std::path::Path;

pub fn run(
    _start: &Path,
    _cmd: crate::cli::DeclarationCommand,
    _globals: Globals,
) -> Result<u8, Error> {
    Err(Error("`fresk declaration` is not implemented yet".into()))
}
