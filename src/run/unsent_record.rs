//! The record of a probe the runner could not run or finish: always Inconclusive.

use crate::probe::{Outcome, ProbeRecord, Verdict};
use crate::scenario::PlannedProbe;

/// The `api_call` of a record whose request was never sent or never answered.
pub const NOT_SENT: &str = "not-sent";

/// An Inconclusive record for `probe`, with `reason` saying why nothing was proved.
pub fn unsent_record(probe: &PlannedProbe, reason: String, duration_ms: u64) -> ProbeRecord {
    ProbeRecord {
        name: probe.name.clone(),
        user: probe.user.clone(),
        tenant: probe.tenant.clone(),
        resource: probe.resource.clone(),
        target: probe.target.clone(),
        action: probe.action.clone(),
        expectation: probe.expectation,
        source: probe.source.clone(),
        api_call: NOT_SENT.to_owned(),
        method: NOT_SENT.to_owned(),
        verdict: Verdict::Inconclusive,
        outcome: Outcome::Inconclusive,
        http_status: None,
        error_code: None,
        error_message: None,
        request_id: None,
        reason,
        duration_ms,
        read_evidence: None,
    }
}
