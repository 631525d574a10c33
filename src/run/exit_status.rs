//! The process exit code a run deserves, following [`crate::exit_code`]: the worst outcome
//! present decides.

use super::outcome_counts::OutcomeCounts;
use super::results::RunResults;
use crate::exit_code;

/// The exit code for a finished (or interrupted) run.
/// A failing audit finding (`high`, or confirmed) is breach-level.
pub fn exit_code_for(results: &RunResults) -> i32 {
    let audit_fails = results
        .audit
        .as_ref()
        .is_some_and(|audit| audit.failing().next().is_some());
    if audit_fails {
        return exit_code::BREACH;
    }
    exit_code_for_counts(&results.counts())
}

/// The exit code for a tally of outcomes.
pub fn exit_code_for_counts(counts: &OutcomeCounts) -> i32 {
    if counts.breach > 0 {
        exit_code::BREACH
    } else if counts.unexpected_deny > 0 || counts.wrong_role > 0 {
        exit_code::EXPECTATION_FAILED
    } else if counts.inconclusive > 0 || counts.role_inconclusive > 0 {
        exit_code::INCONCLUSIVE
    } else {
        exit_code::SUCCESS
    }
}
