//! One audit of a scenario's target: the reads, the checks, and how long it took.

use super::checks::run_checks;
use super::finding::{AuditWarning, Finding};
use super::reader::{AuditClients, AuditSubject, Warnings, read_identity_layer};
use super::severity::Severity;
use crate::attack::known_roles;
use crate::identity::{AwsTarget, CredentialsSource};
use crate::redaction::Redactor;
use crate::scenario::Scenario;
use aws_credential_types::provider::ProvideCredentials;
use serde::Serialize;
use std::time::Instant;

/// What an audit found and what it could not read.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct AuditOutcome {
    /// In code order.
    pub findings: Vec<Finding>,
    /// One per API the audit could not call.
    pub warnings: Vec<AuditWarning>,
    /// Why nothing was read at all (no ambient credentials), if so.
    pub skipped: Option<String>,
    pub duration_ms: u64,
}

impl AuditOutcome {
    /// The worst severity found, if any finding.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|finding| finding.severity).max()
    }

    /// Findings at `high`: a run fails on them as on a breach.
    pub fn high_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.severity == Severity::High)
    }
}

/// Audits the identity layer `scenario` targets on `target`, signing with `credentials`
/// (the ambient chain from the command line; for local staging, the keys of a world's IAM
/// user in the environment). Every
/// secret learned is registered with `redactor`; every warning is scrubbed by it.
pub async fn audit_scenario(
    scenario: &Scenario,
    target: &AwsTarget,
    credentials: CredentialsSource,
    redactor: &Redactor,
) -> AuditOutcome {
    let started = Instant::now();
    let config = target.sdk_config(credentials).await;
    let credentials = match config.credentials_provider() {
        Some(provider) => provider.provide_credentials().await.ok(),
        None => None,
    };
    let Some(credentials) = credentials else {
        return AuditOutcome {
            skipped: Some(
                "audit: skipped, no ambient AWS credentials to read the identity layer with \
                 (set AWS_PROFILE or AWS_ACCESS_KEY_ID, or pass --no-audit)"
                    .to_owned(),
            ),
            duration_ms: elapsed_ms(started),
            ..AuditOutcome::default()
        };
    };
    redactor.register_str(credentials.secret_access_key());
    if let Some(session_token) = credentials.session_token() {
        redactor.register_str(session_token);
    }
    let clients = AuditClients {
        identity: aws_sdk_cognitoidentity::Client::new(&config),
        user_pools: aws_sdk_cognitoidentityprovider::Client::new(&config),
        iam: aws_sdk_iam::Client::new(&config),
    };
    let scenario_roles = known_roles(scenario);
    let subject = AuditSubject {
        identity_pool_id: &scenario.target.identity_pool.id,
        user_pool_id: &scenario.target.user_pool.id,
        client_id: &scenario.target.user_pool.client_id,
        scenario_roles: &scenario_roles,
    };
    let mut warnings = Warnings::new(redactor.clone());
    let layer = read_identity_layer(&clients, &subject, redactor, &mut warnings).await;
    let mut findings = run_checks(&layer, &scenario.audit);
    for finding in &mut findings {
        finding.detail = redactor.scrub(&finding.detail);
    }
    AuditOutcome {
        findings,
        warnings: warnings.into_vec(),
        skipped: None,
        duration_ms: elapsed_ms(started),
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
