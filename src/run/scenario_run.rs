//! A scenario made ready to run: its target reached (local staging started when the
//! scenario is local), its secrets read, and the harness backend with its cleanup ledger.

use super::harness_backend::{CanaryHome, HarnessBackend, ledger_path};
use super::input::RunInput;
use super::local_target::{RunTarget, RunTargetError};
use super::run_metadata::RunMetadata;
use super::scenario_input::{ScenarioInputError, planned_scenario_input, scenario_name};
use crate::scenario::{Plan, Scenario};
use std::path::Path;
use std::sync::Arc;

/// Everything `run_plan` or `run_with_libtest` needs. Local staging, if any, stops when
/// this is dropped (or [`PreparedRun::finish`] is called).
#[derive(Debug)]
pub struct PreparedRun {
    pub input: RunInput,
    pub backend: Arc<HarnessBackend>,
    pub target: RunTarget,
}

/// Why a scenario could not be made ready. Nothing was probed.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Target(#[from] RunTargetError),
    #[error(transparent)]
    Input(#[from] ScenarioInputError),
}

/// Reaches the scenario's target and builds the run. Against a target that outlives the
/// run the cleanup ledger is `<ledger_dir>/<scenario>.ledger.jsonl`, created on the first
/// canary intent; against local staging started in-process it stays in memory. With a `name_prefix`, every user, probe and
/// expected-role case name starts with it (see [`crate::run::ScenarioInput::prefix_names`]). Must run
/// inside the tokio runtime the run will use, since local staging serves from it.
pub async fn prepare_run(
    scenario: &Scenario,
    ledger_dir: &Path,
    name_prefix: Option<&str>,
) -> Result<PreparedRun, PrepareError> {
    prepare_run_with(
        scenario,
        Arc::new(scenario.plan()),
        ledger_dir,
        name_prefix,
        &TargetPatience::default(),
    )
    .await
}

/// How patiently a run's AWS calls wait; `None` keeps the target's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetPatience {
    /// One attempt's limit (`--attempt-timeout-seconds`).
    pub attempt_timeout: Option<std::time::Duration>,
}

/// [`prepare_run`] with `scenario`'s plan already made (the caller checked its selection on
/// it, and the run shares it rather than planning again), the AWS calls' patience set by
/// `patience`.
pub async fn prepare_run_with(
    scenario: &Scenario,
    plan: Arc<Plan>,
    ledger_dir: &Path,
    name_prefix: Option<&str>,
    patience: &TargetPatience,
) -> Result<PreparedRun, PrepareError> {
    let mut target = RunTarget::start(scenario).await?;
    if let Some(attempt_timeout) = patience.attempt_timeout {
        target.aws.set_attempt_timeout(attempt_timeout);
    }
    let mut prepared = planned_scenario_input(scenario, plan, &target.aws)?;
    if let Some(prefix) = name_prefix {
        prepared.prefix_names(prefix);
    }
    let home = if target.is_local() {
        CanaryHome::InProcessStaging
    } else {
        CanaryHome::Outliving {
            ledger_path: ledger_path(ledger_dir, &scenario_name(scenario)),
        }
    };
    let backend = HarnessBackend::new(prepared.users, target.aws.clone(), home).await;
    prepared.input.metadata = Some(RunMetadata::new(
        scenario,
        &target.aws,
        target.is_local(),
        backend.endpoint_url(),
        &prepared.input.redactor,
    ));
    let backend = backend
        .with_redactor(prepared.input.redactor.clone())
        .with_refused_credentials(prepared.refused_users)
        .with_foreign_pool(scenario.attacks.foreign_pool.clone());
    Ok(PreparedRun {
        input: prepared.input,
        backend: Arc::new(backend),
        target,
    })
}

impl PreparedRun {
    /// Stops local staging, if it runs.
    pub fn finish(mut self) {
        self.target.stop();
    }
}
