//! Bounds on what a template may cost. Templates come from the workspace (`templates/*.html`
//! overrides the built-in ones), so a template is input like any file: a loop of 10⁸ steps or
//! a string doubled until memory runs out must end quickly, with an error naming the template,
//! and before anything is written.
//!
//! - **Steps**: minijinja's fuel, one unit per instruction ([`FUEL`]): a built-in document
//!   takes about 500 (`FRESK_STATS=1` prints each one's), so the limit lets one with tens of
//!   thousands of lines through and stops a runaway loop within a second.
//! - **Output**: the HTML a template writes is capped at [`MAX_OUTPUT`] bytes.
//! - **Memory**: a string that doubles at each step needs few instructions and writes nothing
//!   until the end, so neither limit sees it. The template runs on a thread of its own while the
//!   calling thread watches the process's resident memory; past [`MAX_MEMORY`] above what it
//!   was when rendering started, the command stops there with the error (exit code 2). Nothing
//!   has been written then: every document is made in memory before any file is written.
//!
//! A single allocation sized by a template's argument (`[0] * 10**15` then `|list`) still ends
//! the process with the allocator's own error: minijinja does not check those sizes.

use std::time::Duration;

/// Instructions one document may execute.
pub const FUEL: u64 = 2_000_000;

/// Bytes of HTML one document may make (a thousand-line invoice is under 1 MiB).
pub const MAX_OUTPUT: usize = 32 << 20;

/// Memory one document may take, above the process's resident memory when it started.
pub const MAX_MEMORY: u64 = 512 << 20;

/// Stack of the rendering thread: minijinja's own recursion limit (nested includes, macros
/// calling themselves) is reached before this is used up, even in a debug build.
const STACK: usize = 256 << 20;

/// How often the memory is looked at.
const POLL: Duration = Duration::from_millis(2);

/// An `io::Write` into memory that refuses to grow past `limit` bytes.
#[derive(Debug)]
pub struct Capped {
    pub bytes: Vec<u8>,
    limit: usize,
    /// Set when a write was refused.
    pub over: bool,
}

impl Capped {
    pub fn new(limit: usize) -> Capped {
        Capped {
            bytes: Vec::new(),
            limit,
            over: false,
        }
    }
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len().saturating_add(buf.len()) > self.limit {
            self.over = true;
            return Err(std::io::Error::other("the document is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Why a template's rendering did not come back (`what` names the template).
#[derive(Debug, thiserror::Error)]
pub enum Unfinished {
    #[error("{what}: cannot start rendering: {source}")]
    NotStarted {
        what: String,
        source: std::io::Error,
    },
    #[error(
        "{what}: rendering failed unexpectedly (a bug of fresk or of minijinja; please report it with the template)"
    )]
    Crashed { what: String },
}

/// Run `work` (one template's rendering) on a thread of its own, watching the process's
/// memory. Past [`MAX_MEMORY`], print `fresk: <what>: …` and end the process with exit code 2
/// (the thread cannot be stopped otherwise, and it would take the machine's memory). A panic of
/// `work` comes back as an error.
pub fn watched<T: Send>(what: &str, work: impl FnOnce() -> T + Send) -> Result<T, Unfinished> {
    let baseline = resident_bytes();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("fresk-template".into())
            .stack_size(STACK)
            .spawn_scoped(scope, move || {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
                let _ = tx.send(result);
            });
        if let Err(source) = spawned {
            return Err(Unfinished::NotStarted {
                what: what.to_string(),
                source,
            });
        }
        loop {
            match rx.recv_timeout(POLL) {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(_)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Unfinished::Crashed {
                        what: what.to_string(),
                    });
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if let (Some(start), Some(now)) = (baseline, resident_bytes())
                        && now.saturating_sub(start) > MAX_MEMORY
                    {
                        eprintln!("fresk: {}", memory_message(what));
                        std::process::exit(2);
                    }
                }
            }
        }
    })
}

/// What a template that takes too much memory is told.
pub fn memory_message(what: &str) -> String {
    format!(
        "{what}: stopped after using more than {} MiB of memory (a value that keeps growing, e.g. a string doubled in a loop or a macro calling itself); documents take a few MiB; fix the template; nothing was written",
        MAX_MEMORY >> 20
    )
}

/// The process's resident memory, in bytes (Linux; `None` elsewhere, where memory is not
/// watched and the fuel and output limits still apply).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn capped_refuses_past_its_limit() {
        let mut c = Capped::new(4);
        assert!(c.write_all(b"abc").is_ok());
        assert!(c.write_all(b"de").is_err());
        assert!(c.over);
        assert_eq!(c.bytes, b"abc");
    }

    #[test]
    fn watched_returns_the_value_and_reports_panics() {
        assert_eq!(watched("t", || 6 * 7).ok(), Some(42));
        let err = watched("templates/x.html", || -> u8 { panic!("boom") })
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("templates/x.html: "), "{err}");
    }

    #[test]
    fn resident_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(resident_bytes().is_some_and(|b| b > 0));
        }
    }
}
