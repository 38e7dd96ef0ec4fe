use clap::Parser;
use std::process::ExitCode;

/// A large workspace's load builds hundreds of thousands of small records on every core;
/// mimalloc's per-thread pages make that 20–30 % faster than the system allocator
/// (benches/README.md), as in ruff and uv.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = fresk::cli::Cli::parse();
    let started = std::time::Instant::now();
    let code = match fresk::commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("fresk: {err}");
            2
        }
    };
    if std::env::var_os("FRESK_STATS").is_some() {
        eprintln!("{}", fresk::commands::stats_line(started.elapsed()));
    }
    ExitCode::from(code)
}
