//! Probes: one planned (user, resource, action) turned into real SDK calls, and the
//! fail-closed classification of what came back.

pub mod record;

pub use record::{Outcome, ProbeRecord, ReadEvidence, Verdict};
