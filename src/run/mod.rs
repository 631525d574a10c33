//! The runner: schedules probes on tokio with bounded concurrency and rate limits, and
//! emits typed events for the reporters.
