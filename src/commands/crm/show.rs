//! `fresk organisation show ORG`: the client file.

use crate::cli::TextOrJson;
use crate::commands::Error;
use crate::commands::common::Globals;
use std::path::Path;

pub fn run(_start: &Path, _id: &str, _format: TextOrJson, _globals: Globals) -> Result<u8, Error> {
    Err(Error("not yet".into()))
}
