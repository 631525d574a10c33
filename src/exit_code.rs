//! Process exit codes, shared by every front end. The worst outcome present decides.

/// Every expectation held.
pub const SUCCESS: i32 = 0;
/// At least one probe expected to be denied was allowed: an isolation breach.
pub const BREACH: i32 = 1;
/// Other expectation failures: an unexpected deny or a wrong role, and no breach.
pub const EXPECTATION_FAILED: i32 = 2;
/// Inconclusive probes and nothing worse: the run proved nothing about them.
pub const INCONCLUSIVE: i32 = 3;
/// The scenario, world file or command line is invalid; nothing was probed.
pub const INVALID_INPUT: i32 = 4;

/// The table shown in `--help` and the README.
pub const HELP_TABLE: &str = "\
Exit codes (the worst outcome present decides):
  0  every expectation held
  1  isolation breach: a probe expected to be denied was allowed
  2  other expectation failures: unexpected deny, wrong role
  3  inconclusive probes only (never a pass)
  4  invalid scenario, world file or usage";
