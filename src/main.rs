use clap::Parser;
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
    let cli = fresk::cli::Cli::parse();
    let started = std::time::Instant::now();
    let code = match fresk::commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("fresk: {err}");
            2
        }
    };
    fresk::stats::line(|| fresk::stats::summary(started.elapsed()));
    ExitCode::from(code)
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
