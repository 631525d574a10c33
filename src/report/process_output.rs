//! The process's own stdout and stderr, written without panicking. `print!` and `eprint!`
//! panic when their stream is closed or full, and a panic exits 101, hiding the exit code
//! the results decided (a breach among them).

use crate::exit_code;
use std::io::Write;

/// Writes `text` to stdout, flushed.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// The exit code once writing `what` to stdout ended in `written`, the results having
/// decided `code` (see [`exit_code::after_stdout_error`]). A failure other than a closed
/// pipe is told on stderr in one line.
pub fn stdout_exit_code(code: i32, what: &str, written: std::io::Result<()>) -> i32 {
    match written {
        Ok(()) => code,
        Err(error) => {
            if error.kind() != std::io::ErrorKind::BrokenPipe {
                write_stderr(&format!(
                    "error: failed to write {what} to stdout: {error}\n"
                ));
            }
            exit_code::after_stdout_error(code, &error)
        }
    }
}

/// Writes `text` to stdout and returns `code`, or what a failed write turns it into.
pub fn print_stdout(text: &str, what: &str, code: i32) -> i32 {
    stdout_exit_code(code, what, write_stdout(text))
}

/// Writes `text` to stderr. A stderr that cannot be written is ignored: there is nowhere
/// left to say so, and the exit code still tells the outcome.
pub fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
