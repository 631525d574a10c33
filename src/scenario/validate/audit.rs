//! Validation of `audit`: every key of `audit.severity` is a finding code.

use super::validator::Validator;
use crate::audit::{AuditSettings, FindingCode, Severity};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::key_path::KeyPath;
use crate::scenario::raw::{RawScenario, RawSeverity};

impl Validator<'_> {
    pub(super) fn audit(&mut self, raw: &RawScenario) -> AuditSettings {
        let path = KeyPath::root().key("audit").key("severity");
        let mut settings = AuditSettings {
            max_token_validity_minutes: raw.audit.max_token_validity_minutes,
            ..AuditSettings::default()
        };
        for (code, severity) in &raw.audit.severity {
            let Some(parsed) = FindingCode::parse(code) else {
                let at = path.key(code);
                let span = self.key_span(&at);
                let codes: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
                self.report(
                    Diagnostic::new(
                        DiagnosticCode::InvalidChoice,
                        at,
                        span,
                        format!("`{code}` is not an audit finding code"),
                    )
                    .with_label("not a finding code")
                    .with_help(format!(
                        "use one of {} (README, \"Audit\")",
                        codes.join(", ")
                    )),
                );
                continue;
            };
            let severity = match severity {
                RawSeverity::Info => Severity::Info,
                RawSeverity::Low => Severity::Low,
                RawSeverity::Medium => Severity::Medium,
                RawSeverity::High => Severity::High,
            };
            settings.severity.insert(parsed, severity);
        }
        settings
    }
}
