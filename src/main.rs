use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// A large workspace's load builds hundreds of thousands of small records on every core;
/// mimalloc's per-thread pages make that 20–30 % faster than the system allocator
/// (benches/README.md), as in ruff and uv.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A reader that goes away (`fresk schema | head -1`) is not an error: whatever fresk had
    // to do is done or refused before it prints, and the rest of the output is simply not
    // wanted. Rust ignores SIGPIPE, so the next write to standard output fails, and `print!`
    // panics on it — in every command, wherever it prints. Rather than route each of them
    // through a writer, the panic of a broken pipe is recognised here, once: the hook keeps
    // it quiet and the unwind ends in a quiet exit 0. Any other panic is reported as before.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_broken_pipe(info.payload()) {
            default_hook(info);
        }
    }));
    let run = std::panic::catch_unwind(run);
    match run {
        Ok(code) => code,
        Err(payload) if is_broken_pipe(payload.as_ref()) => ExitCode::SUCCESS,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

fn run() -> ExitCode {
    // `COMPLETE=bash fresk …` (the shell asking, through `fresk completions`' script): print
    // the completions and exit.
    clap_complete::CompleteEnv::with_factory(fresk::commands::ids::completing_command).complete();
    let cli = parse();
    let started = std::time::Instant::now();
    let code = match fresk::commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("fresk: {err}");
            err.code()
        }
    };
    fresk::stats::line(|| fresk::stats::summary(started.elapsed()));
    ExitCode::from(code)
}

/// The command line, with clap's own messages (usage errors, help) coloured as `--color` and
/// NO_COLOR say — known before the rest of the line is parsed.
fn parse() -> fresk::cli::Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut color = clap::ColorChoice::Auto;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        let value = match word.strip_prefix("--color") {
            Some("") => words.next().map(|w| w.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => continue,
        };
        color = match value.as_deref() {
            Some("never") => clap::ColorChoice::Never,
            Some("always") => clap::ColorChoice::Always,
            _ => color,
        };
    }
    if color == clap::ColorChoice::Auto
        && std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    {
        color = clap::ColorChoice::Never;
    }
    let mut command = fresk::cli::Cli::command().color(color);
    // A required value left out is asked for on a terminal (with the ids it takes), then the
    // line is read again with the answers.
    let matches = match command.clone().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(e) if e.kind() == clap::error::ErrorKind::MissingRequiredArgument => {
            match fresk::commands::ids::ask_missing(&command, &args, &e) {
                Some(answered) => command.clone().get_matches_from(answered),
                None => e.exit(),
            }
        }
        Err(e) => e.exit(),
    };
    let cli = fresk::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // The writing options on a command that writes nothing are a mistake, not a no-op.
    let mut path = Vec::new();
    let mut level = &matches;
    while let Some((name, sub)) = level.subcommand() {
        path.push(name);
        level = sub;
    }
    let reads_only = matches!(
        path.first().copied(),
        Some("lint" | "explain" | "report" | "completions")
    ) || matches!(path.last().copied(), Some("list" | "show"));
    let writing = [
        (cli.dry_run, "--dry-run"),
        (cli.commit, "--commit"),
        (cli.branch.is_some(), "--branch"),
    ];
    if reads_only && let Some((_, flag)) = writing.iter().find(|(given, _)| *given) {
        command
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "{flag} is for commands that write files; `fresk {}` writes none",
                    path.join(" ")
                ),
            )
            .exit();
    }
    cli
}

/// Is this panic a write to a closed pipe? `print!` panics with "failed printing to stdout:
/// Broken pipe (os error 32)"; writers that `expect` their writes (clap's completions) with the
/// error's debug form, `kind: BrokenPipe`.
fn is_broken_pipe(payload: &(dyn std::any::Any + Send)) -> bool {
    let text = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    // EPIPE on Linux and macOS; ERROR_NO_DATA, "the pipe is being closed", on Windows.
    text.contains("kind: BrokenPipe")
        || text.contains("Broken pipe (os error 32)")
        || text.contains("(os error 232)")
}
