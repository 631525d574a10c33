//! How a run is paced: concurrency, per-service request rates, the interrupt grace period
//! and the per-probe time limit.

use std::num::{NonZeroU32, NonZeroUsize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Probes in flight at once.
    pub concurrency: NonZeroUsize,
    /// Requests per second per service (S3, DynamoDB, Secrets Manager, sign-in); `None` is
    /// unlimited.
    pub max_rps: Option<NonZeroU32>,
    /// How long in-flight probes may finish after an interrupt before they are abandoned.
    pub grace_period: Duration,
    /// A probe still running after this long is abandoned as Inconclusive.
    pub probe_timeout: Duration,
    /// A sign-in and credential exchange still running after this long counts as failed.
    pub sign_in_timeout: Duration,
    /// How long the cleanup of canaries may take.
    pub cleanup_timeout: Duration,
    /// The day the scenario's waivers are judged on; `None` is the day the run starts
    /// (UTC), from the run's own clock.
    pub waiver_day: Option<time::Date>,
}

impl RunOptions {
    pub const DEFAULT_CONCURRENCY: NonZeroUsize = NonZeroUsize::new(16).unwrap();
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: RunOptions::DEFAULT_CONCURRENCY,
            max_rps: None,
            grace_period: Duration::from_secs(10),
            probe_timeout: Duration::from_secs(120),
            sign_in_timeout: Duration::from_secs(120),
            cleanup_timeout: Duration::from_secs(60),
            waiver_day: None,
        }
    }
}
