//! `fresk agenda`: the morning screen.

use crate::cli::AgendaArgs;
use crate::commands::Error;
use crate::commands::common::Globals;
use std::path::Path;

pub fn run(_start: &Path, _args: &AgendaArgs, _globals: Globals) -> Result<u8, Error> {
    Err(Error("not yet".into()))
}
