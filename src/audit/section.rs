//! The audit as a run carries it: the findings joined with the run's cases, the reads it
//! could not make, and how long it took. Every reporter reads this.

use super::finding::AuditWarning;
use super::join::{Confirmation, JoinedFinding, join_findings};
use super::outcome::AuditOutcome;
use super::severity::Severity;
use crate::run::RunResults;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct AuditSection {
    /// In code order.
    pub findings: Vec<JoinedFinding>,
    pub warnings: Vec<AuditWarning>,
    pub skipped: Option<String>,
    pub duration_ms: u64,
}

impl AuditSection {
    /// Joins `outcome`'s findings with the cases of `results`.
    pub fn new(outcome: &AuditOutcome, results: &RunResults) -> AuditSection {
        AuditSection {
            findings: join_findings(&outcome.findings, results),
            warnings: outcome.warnings.clone(),
            skipped: outcome.skipped.clone(),
            duration_ms: outcome.duration_ms,
        }
    }

    /// A finding that fails the run: `high` (confirmed or not: an unconfirmed high finding
    /// fails as a breach does, since it may need an attacker the run does not have), or
    /// confirmed by a breach (which already fails the run through its case).
    pub fn failing(&self) -> impl Iterator<Item = &JoinedFinding> {
        self.findings.iter().filter(|joined| {
            joined.finding.severity == Severity::High
                || joined.confirmation == Confirmation::Confirmed
        })
    }
}
