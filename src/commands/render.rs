//! `fresk render quote|self-invoice|invoice|certificate …`: documents as HTML or PDF files.

use super::Error;
use super::common::{Cx, Globals};
use crate::cli::{DocumentFormat, RenderArgs, RenderCommand};
use crate::render::{self, RenderError, Rendered, What};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(start: &Path, cmd: RenderCommand, globals: Globals) -> Result<u8, Error> {
    let (what, ids, person, args) = match cmd {
        RenderCommand::Quote { ids, out } => (What::Quote, ids, None, out),
        RenderCommand::SelfInvoice { ids, person, out } => (What::SelfInvoice, ids, person, out),
        RenderCommand::Invoice { ids, out } => (What::Invoice, ids, None, out),
        RenderCommand::Certificate { ids, out } => (What::Certificate, ids, None, out),
        RenderCommand::AttendanceSheet {
            ids,
            blank_rows,
            out,
        } => (What::AttendanceSheet(blank_rows.min(200)), ids, None, out),
    };
    if globals.commit || globals.branch.is_some() {
        return Err(Error::usage(
            "rendered documents are made from the files and sent, not kept in git: commit the YAML that changed, and render again whenever needed (drop --commit/--branch)".into(),
        ));
    }
    let dry_run = globals.dry_run;
    let cx = Cx::open(start, globals)?;
    crate::commands::common::require_identity(cx.config()?, "render documents")?;
    let einvoicing = cx.config()?.einvoicing == Some(crate::model::config::Einvoicing::Facturx)
        && matches!(what, What::Invoice | What::SelfInvoice);
    let format = format_of(&args, einvoicing);
    let docs = match render::render(
        &cx.root,
        &cx.ws,
        cx.today(),
        what,
        &ids,
        person.as_deref(),
        args.lang.as_deref(),
    ) {
        Ok(docs) => docs,
        Err(RenderError::Usage(m)) => return Err(Error::usage(m)),
        Err(refused @ RenderError::Refused(_)) => {
            eprintln!("fresk: {refused}");
            return Ok(1);
        }
    };
    // Every document is made in memory before anything is written.
    let mut files: Vec<(Option<PathBuf>, Vec<u8>, &Rendered)> = Vec::new();
    if args.output.is_some() && docs.len() > 1 {
        let names: Vec<&str> = docs.iter().map(|d| d.stem.as_str()).collect();
        return Err(Error::usage(format!(
            "-o names one file, but this makes {} documents ({}); use --out-dir DIR to write each under its number",
            docs.len(),
            names.join(", ")
        )));
    }
    let ext = match format {
        DocumentFormat::Html => "html",
        DocumentFormat::Pdf => "pdf",
        DocumentFormat::Xml => "xml",
        DocumentFormat::Facturx => "pdf",
    };
    // Certificates carry participants' names: by default they go under private/, which
    // `fresk init` keeps out of git, never into the folder the command ran in.
    let out_dir = match (&args.out_dir, what) {
        (Some(dir), _) => Some(dir.clone()),
        (None, What::Certificate) => Some(cx.root.join("private").join("certificates")),
        (None, What::AttendanceSheet(_)) => Some(cx.root.join("private").join("attendance-sheets")),
        (None, _) => None,
    };
    let dir = out_dir.clone().unwrap_or_default();
    for doc in &docs {
        let bytes = match format {
            DocumentFormat::Html => doc.html.clone().into_bytes(),
            DocumentFormat::Pdf => pdf(&cx, doc)?,
            DocumentFormat::Xml => einvoice(doc)?,
            DocumentFormat::Facturx => render::facturx(&cx.ws, doc).map_err(|e| {
                Error::io(format!(
                    "cannot make the Factur-X of {}: {e}; nothing was written",
                    doc.title
                ))
            })?,
        };
        let path = match &args.output {
            Some(p) if p.as_os_str() == "-" => None,
            Some(p) => Some(p.clone()),
            None => Some(dir.join(format!("{}.{ext}", file_stem(&doc.stem)))),
        };
        files.push((path, bytes, doc));
    }
    if dry_run {
        // Every document was made and checked; say what would be written.
        for (path, bytes, doc) in &files {
            let place = path.as_ref().map_or_else(
                || "standard output".to_string(),
                |p| p.display().to_string(),
            );
            eprintln!(
                "would write {place} ({}, {}, {} bytes)",
                doc.title,
                doc.lang,
                bytes.len()
            );
        }
        return Ok(0);
    }
    let private = matches!(what, What::Certificate | What::AttendanceSheet(_));
    if private && args.out_dir.is_none() && args.output.is_none() {
        refuse_exposed_private(&cx.root, what)?;
    }
    if let (Some(dir), None) = (&out_dir, &args.output) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("cannot create {}: {e}", dir.display())))?;
    }
    write(&files)
}

/// The e-invoice of `doc` (`--format xml`): only invoices, credit notes and self-invoices
/// have one.
fn einvoice(doc: &Rendered) -> Result<Vec<u8>, Error> {
    match &doc.einvoice {
        Some(Ok(xml)) => Ok(xml.clone().into_bytes()),
        Some(Err(missing)) => Err(Error::refused(format!(
            "cannot make the e-invoice of {}: it would miss {}; nothing was written",
            doc.title,
            missing.join("; ")
        ))),
        None => Err(Error::usage(format!(
            "{} has no e-invoice: only invoices, credit notes and self-invoices do (`fresk render invoice|self-invoice … --format xml`); use --format pdf or html",
            doc.title
        ))),
    }
}

/// The format asked for, else the one `-o`'s extension names (`.html`, `.htm`, `.xml`), else
/// Factur-X for invoices when fresk.yaml says `einvoicing: facturx` (`einvoicing`), else PDF.
fn format_of(args: &RenderArgs, einvoicing: bool) -> DocumentFormat {
    args.format.unwrap_or_else(|| {
        match args
            .output
            .as_ref()
            .and_then(|o| o.extension())
            .and_then(|e| e.to_str())
        {
            Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => {
                DocumentFormat::Html
            }
            Some(e) if e.eq_ignore_ascii_case("xml") => DocumentFormat::Xml,
            _ if einvoicing => DocumentFormat::Facturx,
            _ => DocumentFormat::Pdf,
        }
    })
}

/// Write every document made: to its file (atomically), or to standard output.
fn write(files: &[(Option<PathBuf>, Vec<u8>, &Rendered)]) -> Result<u8, Error> {
    for (path, bytes, doc) in files {
        match path {
            None => match std::io::stdout().write_all(bytes) {
                Ok(()) => {}
                // The reader went away (`| head`): it wanted no more (see main.rs).
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
                Err(e) => return Err(Error::io(format!("cannot write to standard output: {e}"))),
            },
            Some(path) => {
                crate::store::write_atomic(path, bytes)
                    .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
                eprintln!("wrote {} ({}, {})", path.display(), doc.title, doc.lang);
            }
        }
    }
    Ok(0)
}

/// Certificates carry participants' names: they are written under `private/certificates/`
/// only when that is a real folder of the workspace that git ignores (the `private-exposed`
/// rule of `fresk lint` says the same of private/).
fn refuse_exposed_private(root: &Path, what: What) -> Result<(), Error> {
    let (docs, folder) = match what {
        What::AttendanceSheet(_) => ("attendance sheets", "attendance-sheets"),
        _ => ("certificates", "certificates"),
    };
    let mut problems: Vec<String> = crate::rules::privacy::private_folder_for_writing(root)
        .into_iter()
        .map(|f| f.message)
        .collect();
    let dir = root.join("private").join(folder);
    if problems.is_empty() && std::fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
        problems.push(format!(
            "private/{folder} is a symbolic link or a file, not a folder: {docs} written there could land anywhere; make it a real folder"
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "{docs} carry participants' names and are written under private/{folder}/, but {}; nothing was written (or pass --out-dir DIR to write them elsewhere, out of git)",
        problems.join("; and ")
    )))
}

/// A number as a file name: anything but letters, digits, `-`, `_` and `.` becomes `_`.
fn file_stem(stem: &str) -> String {
    stem.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

pub(super) fn pdf(cx: &Cx, doc: &Rendered) -> Result<Vec<u8>, Error> {
    render::pdf(&cx.ws, doc)
        .map_err(|e| Error::io(format!("cannot make the PDF of {}: {e}", doc.title)))
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn numbers_make_safe_file_names() {
        assert_eq!(file_stem("F2026-0001"), "F2026-0001");
        assert_eq!(file_stem("../x/y"), "_x_y");
        assert_eq!(file_stem("AF-é-0001"), "AF-é-0001");
    }
}
