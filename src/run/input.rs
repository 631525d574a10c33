//! What the runner needs to know about a scenario: its name, the plan, and each user's tenant
//! and expected role. The lead maps the validated scenario to this.

use super::run_metadata::RunMetadata;
use super::shard::Shard;
use crate::redaction::Redactor;
use crate::scenario::Plan;
use std::sync::Arc;

/// One scenario user as the runner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunUser {
    pub name: String,
    pub tenant: String,
    /// The IAM role ARN this user's credentials must carry, when the scenario says so.
    pub expected_role_arn: Option<String>,
}

/// Everything a run is about.
#[derive(Debug, Clone)]
pub struct RunInput {
    /// The scenario's name, used for report file names (`reports/<scenario>.junit.xml`).
    pub scenario: String,
    /// Shared with the run's results, which hold the same plan.
    pub plan: Arc<Plan>,
    /// Every user of the scenario, in scenario order.
    pub users: Vec<RunUser>,
    /// The run's redactor: it knows the scenario's secrets (passwords, client secret) and
    /// learns every token and credential the identity layer is issued during the run (the
    /// users' specs share it). Any text that reaches a record, an event, the console or a
    /// report is scrubbed through it, in case a service or a library echoes a secret back.
    pub redactor: Redactor,
    /// What the run tests and how it was started; `None` for inputs built without a
    /// scenario file and a target (tests).
    pub metadata: Option<RunMetadata>,
    /// `--shard K/N`: only this share of the users' cases is selected.
    pub shard: Option<Shard>,
}

impl RunInput {
    pub fn user(&self, name: &str) -> Option<&RunUser> {
        self.users.iter().find(|user| user.name == name)
    }
}
