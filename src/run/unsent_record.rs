//! The record of a probe the runner could not run or finish: always Inconclusive.

use crate::probe::prober::record_of;
use crate::probe::{Attempt, ProbeRecord};
use crate::scenario::PlannedProbe;

/// The `api_call` of a record whose request was never sent or never answered.
pub const NOT_SENT: &str = "not-sent";

/// An Inconclusive record for `probe`, with `reason` saying why nothing was proved.
pub fn unsent_record(probe: &PlannedProbe, reason: String, duration_ms: u64) -> ProbeRecord {
    record_of(
        probe,
        Attempt::not_made(NOT_SENT, NOT_SENT, reason),
        duration_ms,
    )
}
