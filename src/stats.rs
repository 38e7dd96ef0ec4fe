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
