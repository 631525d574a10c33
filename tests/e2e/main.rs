//! End to end: scenarios through the real engine (scenario loader, local staging started
//! in-process, harness, runner), and the built `xtenant` binary as a user runs it.

mod absent_target;
mod attack_worlds;
mod audit;
mod binary;
mod broken_worlds;
mod command_line;
mod console;
mod endpoint_override;
mod evidence_diff;
mod evidence_schema;
mod generated_scale;
mod github_action;
mod no_side_effects;
mod partial_run;
mod preflight;
mod readme_ci_example;
mod run_metadata;
mod secure_transport;
mod shard_merge;
mod shipped_scenarios;
mod sign_up_confirmation;
mod stdout_failures;
mod support;
mod tamper_undo;
mod waivers_and_sarif;
