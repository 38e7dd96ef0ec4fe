//! One module per command; `run` dispatches and returns the exit code.

pub mod common;
pub mod crm;
pub mod declaration;
pub mod explain;
pub mod export;
pub mod fee_invoice;
pub mod ids;
pub mod init;
pub mod invoice;
pub mod lint;
pub mod mail;
pub mod man;
pub mod mission;
pub mod mutate;
pub mod organisation;
pub mod participants;
pub mod payout;
pub mod person;
pub mod render;
pub mod report;
pub mod request;
pub mod schema;
pub mod session;
pub mod survey;

use crate::cli::{Cli, ColorChoice, Command};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// An error that stops a command, printed as `fresk: …`. Its exit code says which kind of
/// failure it is, as docs/commands.md documents: 1 when fresk refused what was asked (a
/// business rule, a state, a finding), 2 when the command could not run as asked (a usage
/// mistake fresk found in a value, the configuration, the file system, git).
#[derive(Debug)]
pub struct Error {
    pub message: String,
    pub exit: Exit,
}

/// The two ways a command fails; see [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Refused: the command understood the request and said no. Exit code 1.
    Refused,
    /// A value on the command line is wrong where clap cannot tell. Exit code 2.
    Usage,
    /// The workspace, its configuration, the file system or git stopped the command. Exit code 2.
    Io,
}

impl Error {
    pub fn refused(message: String) -> Self {
        Error {
            message,
            exit: Exit::Refused,
        }
    }

    pub fn usage(message: String) -> Self {
        Error {
            message,
            exit: Exit::Usage,
        }
    }

    pub fn io(message: String) -> Self {
        Error {
            message,
            exit: Exit::Io,
        }
    }

    /// The process exit code for this failure.
    pub fn code(&self) -> u8 {
        match self.exit {
            Exit::Refused => 1,
            Exit::Usage | Exit::Io => 2,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The typed errors of the layers below, printed as they are: the workspace, the clock, the
/// file store and git failing are not refusals.
macro_rules! printed_as_is {
    ($($t:ty),+ $(,)?) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::io(e.to_string())
            }
        }
    )+};
}

printed_as_is!(
    crate::workspace::OpenError,
    crate::model::ClockError,
    crate::store::StoreError,
    crate::git::GitError,
);

pub fn run(cli: Cli) -> Result<u8, Error> {
    let start = match &cli.workspace {
        Some(dir) => dir.clone(),
        None => std::env::current_dir()
            .map_err(|e| Error::io(format!("cannot read the current folder: {e}")))?,
    };
    let color = use_color(cli.color);
    if cli.no_cache {
        crate::cache::disable();
    }
    let globals = common::Globals {
        dry_run: cli.dry_run,
        color,
        // A branch is made to hold the commit: --branch commits.
        commit: cli.commit || cli.branch.is_some(),
        branch: cli.branch.clone(),
    };
    match cli.command {
        Command::Lint(args) => lint::run(&start, &args, color),
        Command::Explain(args) => explain::run(&args),
        Command::Schema(args) => schema::run(&start, &args),
        Command::Init(args) => init::run(&start, args, globals),
        Command::Person(cmd) => person::run(&start, cmd, globals),
        Command::Organisation(cmd) => organisation::run(&start, cmd, globals),
        Command::Request(cmd) => request::run(&start, cmd, globals),
        Command::Opportunities(args) => request::opportunities(&start, args, globals),
        Command::Mission(cmd) => mission::run(&start, cmd, globals),
        Command::Session(cmd) => session::run(&start, cmd, globals),
        Command::Participants(cmd) => participants::run(&start, cmd, globals),
        Command::Payout(cmd) => payout::run(&start, cmd, globals),
        Command::Invoice(cmd) => invoice::run(&start, cmd, globals),
        Command::Declaration(cmd) => declaration::run(&start, cmd, globals),
        Command::Report(cmd) => report::run(&start, cmd, globals),
        Command::Export(cmd) => export::run(&start, cmd, globals),
        Command::Render(cmd) => render::run(&start, cmd, globals),
        Command::Man(args) => man::run(&args),
        Command::Mail(cmd) => mail::run(&start, cmd, globals),
        Command::Survey(cmd) => survey::run(&start, cmd, globals),
        Command::Contact(cmd) => crm::run_contact(&start, cmd, globals),
        Command::Callback(cmd) => crm::run_callback(&start, cmd, globals),
        Command::Complaint(cmd) => crm::complaint::run(&start, cmd, globals),
        Command::Agenda(args) => crm::agenda::run(&start, &args, globals),
        Command::Completions(args) => {
            use std::io::Write as _;
            let script = ids::completion_script(args.shell)
                .map_err(|e| Error::io(format!("cannot make the completion script: {e}")))?;
            match std::io::stdout().write_all(&script) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Error::io(format!("cannot write to standard output: {e}")))
                }
                _ => Ok(0),
            }
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Finish or undo the change an interrupted command left in the workspace at `root` (see
/// [`crate::store`]), saying so; `locked` when the caller holds the workspace lock.
pub fn recover(root: &Path, locked: bool) -> Result<(), Error> {
    match crate::store::recover(root, locked) {
        Ok(crate::store::Recovered::Nothing) => Ok(()),
        Ok(crate::store::Recovered::RolledBack(summary)) => {
            eprintln!("fresk: undid an interrupted change ({summary}); nothing of it was written");
            Ok(())
        }
        Ok(crate::store::Recovered::Completed(summary)) => {
            eprintln!("fresk: finished an interrupted change ({summary})");
            Ok(())
        }
        Err(e) => Err(Error::io(format!(
            "the last change to this workspace was interrupted and cannot be finished: {e}"
        ))),
    }
}

/// The workspace root for a command started in `start`.
pub fn root(start: &Path) -> Result<PathBuf, Error> {
    Ok(crate::workspace::find_root(start)?)
}
