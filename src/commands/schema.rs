//! `fresk schema [--outputs] [--write]`: the JSON Schemas of every kind of file, or of every
//! JSON output.

use super::Error;
use crate::cli::SchemaArgs;
use crate::model::Kind;
use crate::schema;
use std::path::Path;

pub fn run(start: &Path, args: &SchemaArgs) -> Result<u8, Error> {
    if args.outputs {
        return outputs(start, args);
    }
    if !args.write {
        let all: serde_json::Map<String, serde_json::Value> = Kind::ALL
            .iter()
            .map(|k| (k.schema_file(), schema::for_kind(*k).clone()))
            .collect();
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
        return Ok(0);
    }
    let dir = match &args.out {
        Some(dir) => dir.clone(),
        None => crate::workspace::find_root(start)
            .unwrap_or_else(|_| start.to_path_buf())
            .join("schema"),
    };
    write_all(&dir)?;
    eprintln!("wrote {} schemas to {}", Kind::ALL.len(), dir.display());
    Ok(0)
}

/// Write every schema into `dir` (atomically, file by file).
pub fn write_all(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}: {e}", dir.display())))?;
    for kind in Kind::ALL {
        let path = dir.join(kind.schema_file());
        crate::store::write_atomic(&path, schema::file_text(kind).as_bytes())
            .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// `fresk schema --outputs [--write [--out DIR]]`.
fn outputs(start: &Path, args: &SchemaArgs) -> Result<u8, Error> {
    let all = crate::output_schema::all();
    if !args.write {
        let map: serde_json::Map<String, serde_json::Value> =
            all.iter().map(|o| (o.file_name(), o.schema())).collect();
        println!("{}", serde_json::to_string_pretty(&map).unwrap_or_default());
        return Ok(0);
    }
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| start.join("schema").join("output"));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create {}: {e}", dir.display())))?;
    for output in all {
        let path = dir.join(output.file_name());
        crate::store::write_atomic(&path, output.file_text().as_bytes())
            .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
    }
    eprintln!("wrote {} output schemas to {}", all.len(), dir.display());
    Ok(0)
}
