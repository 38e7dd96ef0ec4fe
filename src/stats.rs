//! `FRESK_STATS=1`: how long each phase of a command took, on stderr, for the benchmark and
//! for anyone wondering where the time goes. Read once; free when off.

use std::sync::OnceLock;

/// Are stats asked for?
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FRESK_STATS").is_some_and(|v| !v.is_empty()))
}

/// Print the line `make` builds, when stats are asked for.
pub fn line(make: impl FnOnce() -> String) {
    if enabled() {
        eprintln!("{}", make());
    }
}

/// `fresk-stats: elapsed_ms=… peak_rss_kib=…`, the last line a command prints with stats on
/// (the benchmark reads it).
pub fn summary(elapsed: std::time::Duration) -> String {
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        })
        .unwrap_or_else(|| "unknown".into());
    format!(
        "fresk-stats: elapsed_ms={} peak_rss_kib={peak}",
        elapsed.as_millis()
    )
}
