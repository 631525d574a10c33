//! guest: on a matrix that lists no guest, an unauthenticated identity (GetId without
//! logins) must not exist, or its credentials must reach no tenant resource. A pool that
//! refuses guests is recorded as the evidence of a held case
//! (https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html).

use super::calls::{caller_role, credentials_for_identity, guest_identity_id};
use super::refusal::IdentityCall;
use super::target::ReachProbe;
use super::verdict::{not_tried, obtained, refused};
use crate::identity::{AwsTarget, CredentialsSource};
use crate::ledger::CleanupLedger;
use crate::probe::{Attempt, Classification, ProbeClients, Prober, Verdict};
use crate::redaction::Redactor;
use crate::scenario::{Expectation, PlannedProbe, ProbeName, SharedSource};
use aws_credential_types::provider::SharedCredentialsProvider;
use std::collections::HashMap;

const METHOD: &str = "guest";

/// What the guest case needs from the harness: where the pool is, and the ledger for the
/// write probes its credentials try.
#[derive(Debug, Clone, Copy)]
pub struct GuestContext<'a> {
    pub target: &'a AwsTarget,
    pub identity_pool_id: &'a str,
    pub ledger: &'a CleanupLedger,
    /// Learns the guest's credentials.
    pub redactor: &'a Redactor,
}

pub async fn guest(
    case: &PlannedProbe,
    reach: &[ReachProbe],
    context: GuestContext<'_>,
) -> Attempt {
    let unsigned = context.target.sdk_config(CredentialsSource::Unsigned).await;
    let identity = aws_sdk_cognitoidentity::Client::new(&unsigned);
    let identity_id = match guest_identity_id(&identity, context.identity_pool_id).await {
        Ok(id) => id,
        Err(observation) => return refused(IdentityCall::GetId, METHOD, observation),
    };
    let call = IdentityCall::GetCredentialsForIdentity { custom_role: false };
    let credentials = match credentials_for_identity(
        context.redactor,
        &identity,
        &identity_id,
        &HashMap::new(),
        None,
    )
    .await
    {
        Ok(credentials) => credentials,
        Err(observation) => return refused(call, METHOD, observation),
    };
    let role = caller_role(context.target, &credentials)
        .await
        .unwrap_or_else(|reason| format!("a role that could not be read ({reason})"));
    let config = context
        .target
        .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
            credentials,
        )))
        .await;
    let clients = ProbeClients::new(&config);
    let prober = Prober::new(&clients, context.ledger);
    let mut reached = Vec::new();
    let mut unsure = Vec::new();
    for cell in reach {
        let label = format!("{}/{}::{}", cell.tenant, cell.resource, cell.action);
        let probe = PlannedProbe {
            name: ProbeName::from(format!("{}::{label}", case.name)),
            user: case.user.clone(),
            tenant: cell.tenant.clone().into(),
            resource: cell.resource.clone().into(),
            target: cell.target.clone().into(),
            action: cell.action.clone(),
            expectation: Expectation::Deny,
            source: SharedSource::cross_tenant_default(),
            shape: None,
        };
        let record = prober.run(&probe).await;
        match record.verdict {
            Verdict::Allowed => reached.push(label),
            Verdict::Inconclusive => unsure.push(label),
            Verdict::Denied => {}
        }
    }
    if !reached.is_empty() {
        return obtained(
            call,
            METHOD,
            format!(
                "the pool gave a guest credentials carrying `{role}`, which reached {}",
                reached.join(", ")
            ),
        );
    }
    let classification = if unsure.is_empty() {
        Classification {
            verdict: Verdict::Denied,
            denial: None,
            reason: format!(
                "the pool gives guests credentials (`{role}`), but all {} tenant cells denied them",
                reach.len()
            ),
        }
    } else {
        Classification {
            verdict: Verdict::Inconclusive,
            denial: None,
            reason: format!(
                "the pool gives guests credentials (`{role}`); these cells proved nothing: {}",
                unsure.join(", ")
            ),
        }
    };
    let mut attempt = not_tried(call, METHOD, String::new());
    attempt.classification = classification;
    attempt
}
