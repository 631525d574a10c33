//! Process exit codes, shared by every front end. The worst outcome present decides.

/// Every expectation held.
pub const SUCCESS: i32 = 0;
/// At least one probe expected to be denied was allowed: an isolation breach. A `high` or
/// confirmed audit finding is breach-level too.
pub const BREACH: i32 = 1;
/// Other expectation failures: an unexpected deny or a wrong role, and no breach.
pub const EXPECTATION_FAILED: i32 = 2;
/// Inconclusive probes and nothing worse: the run proved nothing about them.
pub const INCONCLUSIVE: i32 = 3;
/// The scenario, world file or command line is invalid, so nothing was probed; or the
/// output could not be written (see [`after_stdout_error`]).
pub const INVALID_INPUT: i32 = 4;

/// The table shown in `--help` and the README.
pub const HELP_TABLE: &str = "\
Exit codes (the worst outcome present decides):
  0  every expectation held
  1  isolation breach: a probe expected to be denied was allowed, or a
     high (or confirmed) audit finding
  2  other expectation failures: unexpected deny, wrong role
  3  inconclusive probes only (never a pass)
  4  invalid scenario, world file or usage, a filter that selects nothing,
     or stdout could not be written (a closed pipe keeps the code; a breach
     still exits 1)";

/// The exit code of a command whose results decided `code` but whose output to stdout
/// then failed with `error`. A closed pipe (`| head`) is the reader's choice: the output
/// ends quietly and `code` stands. Any other failure (a full disk) means the output was
/// lost: [`INVALID_INPUT`], except that a breach is never hidden behind it.
pub fn after_stdout_error(code: i32, error: &std::io::Error) -> i32 {
    if error.kind() == std::io::ErrorKind::BrokenPipe || code == BREACH {
        code
    } else {
        INVALID_INPUT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn a_closed_pipe_keeps_the_code_and_other_failures_exit_4_but_never_hide_a_breach() {
        let closed = Error::from(ErrorKind::BrokenPipe);
        let full = Error::from(ErrorKind::StorageFull);
        for code in [SUCCESS, BREACH, EXPECTATION_FAILED, INCONCLUSIVE] {
            assert_eq!(after_stdout_error(code, &closed), code);
        }
        assert_eq!(after_stdout_error(SUCCESS, &full), INVALID_INPUT);
        assert_eq!(after_stdout_error(INCONCLUSIVE, &full), INVALID_INPUT);
        assert_eq!(after_stdout_error(BREACH, &full), BREACH);
    }
}
