//! What one probe did and what it proved: the record every reporter reads.
//! CONTRACT between the harness (which fills it) and the runner and reporters (which read it).

use super::denial::DenialLayer;
use super::iam_action::{iam_action_of, per_item_action_of};
use crate::scenario::{
    Action, Expectation, ProbeName, RequestShape, ResourceTarget, SharedName, SharedSource,
};
use serde::Serialize;

/// The fail-closed classification of one response.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The call succeeded, or failed in a way only possible after authorization.
    Allowed,
    /// A genuine authorization denial.
    Denied,
    /// Anything else. Never a pass.
    Inconclusive,
}

/// Expectation × verdict.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Held,
    /// Expected deny, got allowed: the worst.
    Breach,
    UnexpectedDeny,
    Inconclusive,
}

impl Outcome {
    pub fn of(expectation: Expectation, verdict: Verdict) -> Outcome {
        match (expectation, verdict) {
            (_, Verdict::Inconclusive) => Outcome::Inconclusive,
            (Expectation::Allow, Verdict::Allowed) | (Expectation::Deny, Verdict::Denied) => {
                Outcome::Held
            }
            (Expectation::Deny, Verdict::Allowed) => Outcome::Breach,
            (Expectation::Allow, Verdict::Denied) => Outcome::UnexpectedDeny,
        }
    }
}

/// Evidence that another tenant's data was readable, without the data itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ReadEvidence {
    pub size_bytes: u64,
    /// The first 16 hex digits of the content's SHA-256.
    pub sha256_prefix: String,
}

/// One probe's full record.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ProbeRecord {
    pub name: ProbeName,
    pub user: SharedName,
    pub tenant: SharedName,
    pub resource: SharedName,
    pub target: std::sync::Arc<ResourceTarget>,
    pub action: Action,
    pub expectation: Expectation,
    pub source: SharedSource,
    /// The sibling API of the verb this case sent (`update-item`, `no-prefix`, ...), from
    /// the plan; absent for the primary probe. Boxed, as the rare large fields are: a run
    /// keeps one record per probe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<Box<RequestShape>>,
    /// The API call made, for example `s3:PutObject`.
    pub api_call: SharedName,
    /// How a write was proved without changing data (for example
    /// `put-if-none-match-on-existing`, `condition-cannot-hold`, `canary`).
    pub method: SharedName,
    pub verdict: Verdict,
    pub outcome: Outcome,
    pub http_status: Option<u16>,
    pub error_code: Option<SharedName>,
    /// The service's error message (it says whether a deny was explicit or implicit).
    /// Shared: IAM's messages name the role session, which Cognito's credentials share,
    /// so the users of a run repeat each other's messages.
    pub error_message: Option<SharedName>,
    /// The IAM action the error message's authorization decision names (`kms:Decrypt`),
    /// whichever action it is; `None` when the message stated no decision.
    pub denied_action: Option<SharedName>,
    /// The policy type that decision names.
    pub denial_layer: Option<DenialLayer>,
    /// Whether that decision was an explicit deny (`false`: no policy allowed).
    pub denial_explicit: Option<bool>,
    pub request_id: Option<String>,
    /// Why the verdict is what it is, in one line (always set for Inconclusive). Shared:
    /// a run's records repeat a few dozen reasons.
    pub reason: SharedName,
    pub duration_ms: u64,
    pub read_evidence: Option<Box<ReadEvidence>>,
    /// The scenario waiver that covers this finding (a breach or an unexpected deny), and
    /// whether it still waives it; absent for every other record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Box<crate::scenario::waiver::RecordWaiver>>,
}

impl ProbeRecord {
    /// Whether a waiver in force accepts this record's finding: it is reported as waived
    /// and does not fail the run.
    pub fn is_waived(&self) -> bool {
        self.waiver.as_ref().is_some_and(|waiver| waiver.waives())
    }

    /// The denied action when it is not the probed call's own IAM action: reporters show
    /// such a record as "denied by kms:Decrypt, not s3:GetObject".
    pub fn denial_of_other_action(&self) -> Option<&str> {
        self.denied_action
            .as_deref()
            .filter(|denied| !denied.eq_ignore_ascii_case(iam_action_of(&self.api_call)))
            .filter(|denied| {
                per_item_action_of(&self.api_call)
                    .is_none_or(|per_item| !denied.eq_ignore_ascii_case(per_item))
            })
    }

    /// "denied by ACTION, not PROBED-ACTION (POLICY TYPE)" for a denial of another action.
    pub fn other_denial_summary(&self) -> Option<String> {
        let denied = self.denial_of_other_action()?;
        let layer = self
            .denial_layer
            .map_or_else(String::new, |layer| format!(" ({layer})"));
        Some(format!(
            "denied by {denied}, not {}{layer}",
            iam_action_of(&self.api_call)
        ))
    }
}
