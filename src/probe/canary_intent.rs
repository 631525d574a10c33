//! The cleanup-ledger bookkeeping around a write that may leave a canary: the intent
//! recorded before the call, and its resolution after.

use super::attempt::Attempt;
use super::clients::ProbeClients;
use crate::ledger::{Canary, CleanupLedger, Resolution};

/// Records the intent to maybe create `canary` and returns its id once it is durable, or,
/// when the ledger cannot be written, the Inconclusive attempt of a write that must not be
/// made. Awaited, so the probe's worker serves other probes while the ledger syncs.
pub async fn record_intent(
    clients: &ProbeClients,
    ledger: &CleanupLedger,
    canary: Canary,
    api_call: &str,
    method: &str,
) -> Result<String, Box<Attempt>> {
    ledger
        .record_intent_durably(canary, &clients.region, clients.endpoint_url.as_deref())
        .await
        .map_err(|error| {
            Box::new(Attempt::not_made(
                api_call,
                method,
                format!("not attempted: {error}"),
            ))
        })
}

/// Records how the intent ended, noting on the attempt when the ledger could not say so.
/// Not awaited to the disk: a lost resolution only costs a later cleanup one check.
pub fn settle(
    ledger: &CleanupLedger,
    intent: &str,
    resolution: Resolution,
    attempt: Attempt,
) -> Attempt {
    match ledger.resolve_eventually(intent, resolution) {
        Ok(()) => attempt,
        Err(error) => attempt.with_note(format!("ledger not updated: {error}")),
    }
}
