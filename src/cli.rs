//! The command line, as clap types only.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Run the business side of a facilitator network from plain YAML files kept in git.
#[derive(Debug, Parser)]
#[command(name = "fresk", version, about, propagate_version = true)]
pub struct Cli {
    /// Run as if started in DIR (the workspace is found by walking up from there).
    #[arg(short = 'C', long = "workspace", global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    /// When to use colours: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every file of the workspace and every rule across files.
    Lint(LintArgs),
    /// Print the JSON Schemas of every kind of file, or write them to schema/.
    Schema(SchemaArgs),
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Only report findings in these files or folders (the whole workspace is still checked).
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// List every rule with its id, family, severity and description, then exit.
    #[arg(long)]
    pub rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write schema/<kind>.schema.json (in the current folder, or -C DIR) instead of printing.
    #[arg(long)]
    pub write: bool,

    /// Folder to write into (default: schema/ under the workspace, or the current folder).
    #[arg(long, value_name = "DIR", requires = "write")]
    pub out: Option<PathBuf>,
}
