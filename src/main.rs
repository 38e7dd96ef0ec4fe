use clap::Parser;
use std::process::ExitCode;

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
