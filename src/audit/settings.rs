//! The validated `audit:` section of a scenario.

use super::code::FindingCode;
use super::severity::Severity;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSettings {
    /// `audit.severity`: a code's severity instead of its default.
    pub severity: BTreeMap<FindingCode, Severity>,
    /// `audit.max_token_validity_minutes`: the longest ID or access token lifetime the
    /// scenario accepts; no check without it.
    pub max_token_validity_minutes: Option<u64>,
}

impl AuditSettings {
    pub fn severity_of(&self, code: FindingCode) -> Severity {
        self.severity
            .get(&code)
            .copied()
            .unwrap_or_else(|| code.default_severity())
    }
}
