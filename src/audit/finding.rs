//! One finding of the audit, and one part of the identity layer it could not read.

use super::code::FindingCode;
use super::severity::Severity;
use serde::Serialize;

/// A misconfiguration found in what the audit read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Finding {
    pub code: FindingCode,
    /// The code's default, or the scenario's `audit.severity` for it.
    pub severity: Severity,
    /// What it is about: a role ARN, the identity pool, the app client.
    pub subject: String,
    /// The specifics, in one line.
    pub detail: String,
}

impl Finding {
    pub fn new(code: FindingCode, subject: impl Into<String>, detail: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.default_severity(),
            subject: subject.into(),
            detail: detail.into(),
        }
    }
}

/// A read the audit could not make: the API, the resources, and what to grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct AuditWarning {
    /// `iam:GetRole`.
    pub action: String,
    /// The resources the read was for, in order.
    pub resources: Vec<String>,
    /// The service's answer (error code and message, secrets scrubbed).
    pub error: String,
}

impl AuditWarning {
    /// The warning's one line, naming the API and the permission to grant.
    pub fn line(&self) -> String {
        format!(
            "audit: could not call {} on {} ({}); grant `{}` on these resources to the audit's credentials (see the README's audit policy); the checks that need it were skipped",
            self.action,
            self.resources.join(", "),
            self.error,
            self.action
        )
    }
}
