//! The results model every reporter reads: the plan, the records of the selected probes in
//! plan order, per-user evidence, the expected-role cases, cleanup and timings.

use super::backend::CleanupSummary;
use super::outcome_counts::OutcomeCounts;
use super::role_case::RoleCase;
use super::run_metadata::RunMetadata;
use super::selection_summary::SelectionSummary;
use crate::identity::UserEvidence;
use crate::redaction::Redactor;
use crate::scenario::{Plan, ProbeName};
use serde::Serialize;
use std::sync::Arc;

/// When the run happened and how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct RunTiming {
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC.
    pub finished_at: String,
    pub duration_ms: u64,
}

/// A finished or interrupted run.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct RunResults {
    pub scenario: String,
    /// The whole plan, selected or not: the run input's, shared rather than copied.
    #[serde(
        serialize_with = "serialize_plan",
        deserialize_with = "deserialize_plan"
    )]
    #[schemars(with = "Plan")]
    pub plan: Arc<Plan>,
    /// One record per selected probe, in plan order, then the basic-flow cases on roles
    /// seen in the run that the plan did not name; each attack case that obtained
    /// credentials is followed by the re-run of its user's row with them (records whose
    /// source is `ExpectationSource::Escalated`). Neither addition is in the plan.
    /// Kept on disk while the run goes on and read back by each report (see
    /// [`super::record_store`]).
    pub records: super::record_store::RecordStore,
    /// One entry per user whose sign-in was attempted, in scenario order.
    pub users: Vec<UserEvidence>,
    /// One case per selected user with an expected role, in scenario order.
    pub role_cases: Vec<RoleCase>,
    pub cleanup: CleanupSummary,
    pub timing: RunTiming,
    /// The run was interrupted; records of probes it could not finish are Inconclusive.
    pub interrupted: bool,
    /// What the run tested and how it was started (see [`RunMetadata`]).
    pub run: Option<RunMetadata>,
    /// The configuration audit joined with this run's cases, when the run made one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::audit::AuditSection>,
    /// The scenario's waivers as this run judged them (see
    /// [`super::waiver_review::apply_waivers`]); records carry the waiver that covers them.
    pub waivers: super::waiver_review::WaiverReview,
    /// The run's redactor, with every secret it learned: each report is scrubbed through
    /// it as it is written.
    #[serde(skip)]
    pub redactor: Redactor,
}

impl RunResults {
    pub fn counts(&self) -> OutcomeCounts {
        OutcomeCounts::tally(&self.records, &self.role_cases)
    }

    /// How much of the plan this run selected. Cases the run added (re-runs with escalated
    /// credentials, basic-flow cases on roles seen in the run) are not part of the plan and
    /// not counted here.
    pub fn selection(&self) -> SelectionSummary {
        let planned: std::collections::HashSet<&ProbeName> =
            self.plan.probes.iter().map(|probe| &probe.name).collect();
        let selected = self
            .records
            .iter()
            .filter(|record| planned.contains(&record.name))
            .count();
        SelectionSummary::new(selected, self.plan.planned_probes())
    }

    /// The AWS accounts the users' credentials belong to (by GetCallerIdentity), sorted
    /// and distinct.
    pub fn accounts(&self) -> Vec<String> {
        let mut accounts: Vec<String> = self
            .users
            .iter()
            .filter_map(|user| user.account.clone())
            .collect();
        accounts.sort();
        accounts.dedup();
        accounts
    }

    pub fn user_evidence(&self, user: &str) -> Option<&UserEvidence> {
        self.users.iter().find(|evidence| evidence.user == user)
    }
}

/// The plan as it would serialize unshared (serde's `Arc` support needs its `rc` feature).
fn serialize_plan<S: serde::Serializer>(
    plan: &Arc<Plan>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    plan.as_ref().serialize(serializer)
}

fn deserialize_plan<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Arc<Plan>, D::Error> {
    <Plan as serde::Deserialize>::deserialize(deserializer).map(Arc::new)
}
