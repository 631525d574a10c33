//! The runner: schedules probes on tokio with bounded concurrency and rate limits, and
//! emits typed events for the reporters.

pub mod backend;
pub mod error_chain;
pub mod event;
pub mod exit_status;
pub mod input;
pub mod libtest_front_end;
pub mod options;
pub mod outcome_counts;
pub mod rate_limits;
pub mod redact;
pub mod results;
pub mod role_case;
pub mod run_args;
pub mod scheduler;
pub mod selection;
pub mod service;
pub mod unsent_record;

pub use backend::{CleanupSummary, ProbeBackend, SignedIn};
pub use event::{EventSink, RunEvent};
pub use exit_status::{exit_code_for, exit_code_for_counts};
pub use input::{RunInput, RunUser};
pub use libtest_front_end::{
    FrontEndOutcome, FrontEndSettings, ctrl_c_interrupt, parse_libtest_arguments, run_with_libtest,
};
pub use options::RunOptions;
pub use outcome_counts::OutcomeCounts;
pub use rate_limits::RateLimits;
pub use redact::Redactor;
pub use results::{RunResults, RunTiming};
pub use role_case::{RoleCase, RoleOutcome};
pub use run_args::RunArgs;
pub use scheduler::run_plan;
pub use selection::Selection;
pub use service::Service;
pub use unsent_record::unsent_record;
