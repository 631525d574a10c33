//! A scenario made ready to run: its target reached (local staging started when the
//! scenario is local), its secrets read, and the harness backend with its cleanup ledger.

use super::harness_backend::{HarnessBackend, ledger_path};
use super::input::RunInput;
use super::local_target::{RunTarget, RunTargetError};
use super::scenario_input::{ScenarioInputError, scenario_input, scenario_name};
use crate::ledger::LedgerError;
use crate::scenario::Scenario;
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
    #[error("failed to open the cleanup ledger")]
    Ledger(#[source] LedgerError),
}

/// Reaches the scenario's target and builds the run. The ledger goes to
/// `<ledger_dir>/<scenario>.ledger.jsonl`. With a `name_prefix`, every user, probe and
/// expected-role case name starts with it (see [`crate::run::ScenarioInput::prefix_names`]). Must run
/// inside the tokio runtime the run will use, since local staging serves from it.
pub async fn prepare_run(
    scenario: &Scenario,
    ledger_dir: &Path,
    name_prefix: Option<&str>,
) -> Result<PreparedRun, PrepareError> {
    let target = RunTarget::start(scenario).await?;
    let mut prepared = scenario_input(scenario, &target.aws)?;
    if let Some(prefix) = name_prefix {
        prepared.prefix_names(prefix);
    }
    let ledger = ledger_path(ledger_dir, &scenario_name(scenario));
    let backend = HarnessBackend::new(
        prepared.users,
        target.aws.clone(),
        target.is_local(),
        &ledger,
    )
    .map_err(PrepareError::Ledger)?
    .with_refused_credentials(prepared.refused_users);
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
