//! The runner: schedules probes on tokio with bounded concurrency and rate limits, and
//! emits typed events for the reporters.

pub mod absent_target;
pub mod backend;
pub mod event;
pub mod exit_status;
pub mod harness_backend;
pub mod input;
pub mod libtest_front_end;
pub mod libtest_output;
pub mod local_target;
pub mod options;
pub mod outcome_counts;
pub mod preflight;
pub mod rate_limits;
pub mod record_store;
pub mod results;
pub mod role_case;
pub mod run_args;
pub mod run_metadata;
pub mod scenario_input;
pub mod scenario_run;
pub mod scheduler;
pub mod selected_cases;
pub mod selection;
pub mod selection_summary;
pub mod service;
pub mod shard;
pub mod shard_merge;
pub mod unsent_record;
pub mod waiver_review;

pub use crate::redaction::Redactor;
pub use absent_target::{ABSENT_TARGET_REASON, mark_denials_on_absent_targets};
pub use backend::{CleanupSummary, ProbeBackend, SignedIn};
pub use event::{EventSink, RunEvent};
pub use exit_status::{exit_code_for, exit_code_for_counts};
pub use harness_backend::{
    CanaryHome, HarnessBackend, HarnessError, HarnessSession, ledger_path, resolved_endpoint_url,
};
pub use input::{RunInput, RunUser};
pub use libtest_front_end::{
    FrontEndOutcome, FrontEndSettings, ctrl_c_interrupt, list_with_libtest,
    parse_libtest_arguments, run_with_libtest,
};
pub use libtest_output::{LibtestOutputError, run_libtest};
pub use local_target::{RunTarget, RunTargetError, world_error_location};
pub use options::RunOptions;
pub use outcome_counts::OutcomeCounts;
pub use preflight::{PreflightError, check_ambient_credentials, check_pools};
pub use rate_limits::RateLimits;
pub use record_store::RecordStore;
pub use results::{RunResults, RunTiming};
pub use role_case::{RoleCase, RoleOutcome};
pub use run_args::RunArgs;
pub use run_metadata::{
    BuildEvidence, FileDigest, RunMetadata, SelectionFilters, TargetEvidence, TargetKind,
};
pub use scenario_input::{
    ScenarioInput, ScenarioInputError, plan_input, planned_scenario_input, scenario_input,
    scenario_name, shard_plan_input,
};
pub use scenario_run::{PrepareError, PreparedRun, TargetPatience, prepare_run, prepare_run_with};
pub use scheduler::run_plan;
pub use selection::Selection;
pub use selection_summary::SelectionSummary;
pub use service::Service;
pub use shard::Shard;
pub use shard_merge::{MergeError, merge_shards, read_shard_evidence};
pub use unsent_record::unsent_record;
pub use waiver_review::{WaiverOutcome, WaiverReview, WaiverStatus, apply_waivers};
