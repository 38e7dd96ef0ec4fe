//! `fresk organisation show ORG`: the client file (computed in `report::client_file`).

use crate::cli::TextOrJson;
use crate::commands::Error;
use crate::commands::common::{Cx, Globals};
use crate::model::Kind;
use crate::report::client_file;
use std::path::Path;

/// The kinds the client file reads.
const KINDS: &[Kind] = &[
    Kind::Organisation,
    Kind::Request,
    Kind::Mission,
    Kind::Session,
    Kind::Invoice,
    Kind::Interactions,
    Kind::Complaint,
];

pub fn run(start: &Path, id: &str, format: TextOrJson, globals: Globals) -> Result<u8, Error> {
    let cx = Cx::open_kinds(start, globals, KINDS)?;
    let org = super::organisation(&cx, id)?;
    let file = client_file::compute(&cx.ws, cx.config()?, org, cx.today());
    match format {
        TextOrJson::Text => print!("{}", client_file::render(&file)),
        TextOrJson::Json => {
            let value = serde_json::to_value(&file)
                .map_err(|e| Error::io(format!("cannot write the client file as JSON: {e}")))?;
            print!("{}", crate::report::table::versioned(value));
        }
    }
    Ok(0)
}
