//! `fresk man`: manual pages made from the command line's own definition (clap_mangen), so they
//! always say what `--help` says.

use super::Error;
use crate::cli::{Cli, ManArgs};
use clap::CommandFactory;
use std::path::Path;

pub fn run(args: &ManArgs) -> Result<u8, Error> {
    // Built, so that every subcommand carries the global options and the version.
    let mut command = Cli::command();
    command.build();
    match &args.out {
        None => {
            let mut page = Vec::new();
            render(&command, &mut page)?;
            print!("{}", String::from_utf8_lossy(&page));
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create {}: {e}", dir.display())))?;
            let written = write_pages(&command, "fresk", dir)?;
            eprintln!("wrote {written} manual pages to {}", dir.display());
        }
    }
    Ok(0)
}

fn render(command: &clap::Command, out: &mut Vec<u8>) -> Result<(), Error> {
    clap_mangen::Man::new(command.clone())
        .render(out)
        .map_err(|e| Error::io(format!("cannot render a manual page: {e}")))
}

/// `command`'s page as `<name>.1`, then its subcommands' as `<name>-<sub>.1`; how many written.
fn write_pages(command: &clap::Command, name: &str, dir: &Path) -> Result<usize, Error> {
    let command = command
        .clone()
        .name(name.to_string())
        .display_name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut page = Vec::new();
    render(&command, &mut page)?;
    let path = dir.join(format!("{name}.1"));
    crate::store::write_atomic(&path, &page)
        .map_err(|e| Error::io(format!("cannot write {}: {e}", path.display())))?;
    let mut written = 1;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        written += write_pages(sub, &format!("{name}-{}", sub.get_name()), dir)?;
    }
    Ok(written)
}
