//! The results model every reporter reads: the plan, the records of the selected probes in
//! plan order, per-user evidence, the expected-role cases, cleanup and timings.

use super::backend::CleanupSummary;
use super::outcome_counts::OutcomeCounts;
use super::role_case::RoleCase;
use super::selection_summary::SelectionSummary;
use crate::identity::UserEvidence;
use crate::probe::ProbeRecord;
use crate::redaction::Redactor;
use crate::scenario::Plan;
use serde::Serialize;

/// When the run happened and how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunTiming {
    /// RFC 3339, UTC.
    pub started_at: String,
    pub duration_ms: u64,
}

/// A finished or interrupted run.
#[derive(Debug, Clone, Serialize)]
pub struct RunResults {
    pub scenario: String,
    /// The whole plan, selected or not.
    pub plan: Plan,
    /// One record per selected probe, in plan order.
    pub records: Vec<ProbeRecord>,
    /// One entry per user whose sign-in was attempted, in scenario order.
    pub users: Vec<UserEvidence>,
    /// One case per selected user with an expected role, in scenario order.
    pub role_cases: Vec<RoleCase>,
    pub cleanup: CleanupSummary,
    pub timing: RunTiming,
    /// The run was interrupted; records of probes it could not finish are Inconclusive.
    pub interrupted: bool,
    /// The configuration audit joined with this run's cases, when the run made one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::audit::AuditSection>,
    /// The run's redactor, with every secret it learned: each report is scrubbed through
    /// it as it is written.
    #[serde(skip)]
    pub redactor: Redactor,
}

impl RunResults {
    pub fn counts(&self) -> OutcomeCounts {
        OutcomeCounts::tally(&self.records, &self.role_cases)
    }

    /// How much of the plan this run selected.
    pub fn selection(&self) -> SelectionSummary {
        SelectionSummary::new(self.records.len(), self.plan.probes.len())
    }

    pub fn user_evidence(&self, user: &str) -> Option<&UserEvidence> {
        self.users.iter().find(|evidence| evidence.user == user)
    }
}
