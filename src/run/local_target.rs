//! Where a run's AWS calls go: local staging started in-process for a `local: world.yaml`
//! target, or AWS itself.

use crate::identity::AwsTarget;
use crate::scenario::{Diagnostics, Scenario};
use crate::sim::{LocalStaging, StartError, World, WorldLoadError};

/// The AWS target of a run, and the local staging behind it when there is one. Local
/// staging stops when this is dropped.
#[derive(Debug)]
pub struct RunTarget {
    pub aws: AwsTarget,
    staging: Option<LocalStaging>,
}

/// Why the target could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum RunTargetError {
    #[error("failed to load the local staging world")]
    World(#[source] WorldLoadError),
    #[error("failed to start local staging")]
    Start(#[source] StartError),
}

impl RunTarget {
    /// Starts local staging on an ephemeral 127.0.0.1 port when the scenario's target is
    /// local, and points the SDK at it; otherwise targets AWS in the scenario's region with
    /// no endpoint override. Must run inside a tokio runtime that outlives the run.
    pub async fn start(scenario: &Scenario) -> Result<RunTarget, RunTargetError> {
        let Some(world_path) = &scenario.target.local_world else {
            return Ok(RunTarget {
                aws: AwsTarget::new(scenario.target.region.clone(), None),
                staging: None,
            });
        };
        let world = World::load(world_path).map_err(RunTargetError::World)?;
        // Over TLS, trusting only the authority local staging generated now, so requests
        // carry aws:SecureTransport true as they do on AWS's HTTPS endpoints and a bucket
        // statement denying insecure transport decides as it would there.
        let staging = LocalStaging::start_tls(world, None)
            .await
            .map_err(RunTargetError::Start)?;
        let mut aws = AwsTarget::new(
            staging.region().to_owned(),
            Some(staging.endpoint().to_owned()),
        );
        aws.trusted_authority_pem = staging.tls_authority_pem().map(str::to_owned);
        // Local staging answers in milliseconds; the SDK's one-second first backoff would
        // only slow a run that retries a throttled call.
        aws.initial_backoff = std::time::Duration::from_millis(50);
        Ok(RunTarget {
            aws,
            staging: Some(staging),
        })
    }

    /// True for local staging.
    pub fn is_local(&self) -> bool {
        self.staging.is_some()
    }

    /// Stops local staging, if it runs.
    pub fn stop(&mut self) {
        if let Some(staging) = &mut self.staging {
            staging.shutdown();
        }
    }
}

/// Every problem of a world file that does not load, rendered like a scenario's
/// diagnostics (code, `file:line:col`, caret, key path, help; secrets masked). `None` never
/// happens today; the `Option` keeps callers ready for errors without a file position.
pub fn world_error_location(error: &WorldLoadError) -> Option<String> {
    Some(error.diagnostics.render())
}

/// Loads and validates the world file of a local target, as `run` will before starting
/// local staging, so `xtenant validate` refuses what `run` would.
pub fn check_world(path: &std::path::Path) -> Result<(), Diagnostics> {
    World::load(path)
        .map(drop)
        .map_err(|error| error.diagnostics)
}
