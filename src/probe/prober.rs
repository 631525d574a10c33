//! Turns a planned probe into the SDK calls of its service and a full `ProbeRecord`.

use super::attempt::Attempt;
use super::clients::ProbeClients;
use super::dynamodb::{self, DynamoDbCall};
use super::record::{Outcome, ProbeRecord};
use super::s3::{self, S3Call};
use super::secrets::{self, SecretsCall};
use super::{dynamodb_batch, secrets_batch};
use crate::ledger::CleanupLedger;
use crate::scenario::{Action, PlannedProbe, RequestShape, ResourceTarget, SharedName};
use std::time::Instant;

/// Runs probes for one user: that user's clients and the run's cleanup ledger.
#[derive(Debug, Clone, Copy)]
pub struct Prober<'a> {
    pub clients: &'a ProbeClients,
    pub ledger: &'a CleanupLedger,
}

impl<'a> Prober<'a> {
    pub fn new(clients: &'a ProbeClients, ledger: &'a CleanupLedger) -> Prober<'a> {
        Prober { clients, ledger }
    }

    /// Makes the probe's calls and classifies them. Never fails: anything that goes wrong
    /// is an Inconclusive record with its reason.
    pub async fn run(&self, probe: &PlannedProbe) -> ProbeRecord {
        let started = Instant::now();
        let attempt = self.attempt(probe).await;
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        record_of(probe, attempt, duration_ms)
    }

    async fn attempt(&self, probe: &PlannedProbe) -> Attempt {
        if let Some(shape) = &probe.shape {
            return self.shape_attempt(probe, shape).await;
        }
        let clients = self.clients;
        match &*probe.target {
            ResourceTarget::S3Object { bucket, key } => {
                let call = match &probe.action {
                    Action::Read => Some(S3Call::GetObject),
                    Action::Write => Some(S3Call::PutObject),
                    Action::List => Some(S3Call::ListObjectsV2),
                    Action::Delete => Some(S3Call::DeleteObject),
                    Action::Api(api) => S3Call::from_api(api),
                };
                match call {
                    Some(S3Call::GetObject) => s3::get_object(clients, bucket, key).await,
                    Some(S3Call::PutObject) => {
                        s3::put_object(clients, self.ledger, bucket, key).await
                    }
                    Some(S3Call::ListObjectsV2) => s3::list_objects(clients, bucket, key).await,
                    Some(S3Call::DeleteObject) => s3::delete_object(clients, bucket, key).await,
                    Some(S3Call::HeadObject) => s3::head_object(clients, bucket, key).await,
                    None => unsupported(probe),
                }
            }
            ResourceTarget::S3Prefix { bucket, prefix } => {
                let call = match &probe.action {
                    Action::List => Some(S3Call::ListObjectsV2),
                    Action::Write => Some(S3Call::PutObject),
                    Action::Api(api) => S3Call::from_api(api),
                    Action::Read | Action::Delete => None,
                };
                match call {
                    Some(S3Call::ListObjectsV2) => s3::list_objects(clients, bucket, prefix).await,
                    // Under a prefix there is no known object to condition on, so the write
                    // is a uniquely named canary (ledgered, then removed).
                    Some(S3Call::PutObject) => {
                        let key =
                            format!("{prefix}xtenant-canary-{}", uuid::Uuid::new_v4().simple());
                        let mut attempt = s3::put_object(clients, self.ledger, bucket, &key).await;
                        if attempt.method == "put-if-none-match-created-canary" {
                            attempt.method = "canary".to_owned();
                        }
                        attempt
                    }
                    // Reads, deletes and HEADs of a key nobody wrote cannot tell a denial from
                    // a missing key, so they need an object target.
                    _ => unsupported(probe),
                }
            }
            ResourceTarget::DynamoDbItem { table, key } => {
                let call = match &probe.action {
                    Action::Read => Some(DynamoDbCall::GetItem),
                    Action::Write => Some(DynamoDbCall::PutItem),
                    Action::List => Some(DynamoDbCall::Scan),
                    Action::Delete => Some(DynamoDbCall::DeleteItem),
                    Action::Api(api) => DynamoDbCall::from_api(api),
                };
                match call {
                    Some(call) => dynamodb::probe(clients, call, table, key).await,
                    None => unsupported(probe),
                }
            }
            ResourceTarget::Secret { secret_id } => {
                let call = match &probe.action {
                    Action::Read => Some(SecretsCall::GetSecretValue),
                    Action::Write => Some(SecretsCall::PutSecretValue),
                    Action::List => Some(SecretsCall::ListSecrets),
                    // Deleting a secret has no write-free proof and is not in the probe table.
                    Action::Delete => None,
                    Action::Api(api) => SecretsCall::from_api(api),
                };
                match call {
                    Some(SecretsCall::GetSecretValue) => {
                        secrets::get_secret_value(clients, secret_id).await
                    }
                    Some(SecretsCall::PutSecretValue) => {
                        secrets::put_secret_value(clients, self.ledger, secret_id).await
                    }
                    Some(SecretsCall::ListSecrets) => secrets::list_secrets(clients).await,
                    Some(SecretsCall::DescribeSecret) => {
                        secrets::describe_secret(clients, secret_id).await
                    }
                    None => unsupported(probe),
                }
            }
            // Attack cases run through `crate::attack`, never through the prober.
            ResourceTarget::Identity { .. } => unsupported(probe),
        }
    }
}

impl Prober<'_> {
    /// A request-shape case: the sibling API the plan names, on the cell's target.
    async fn shape_attempt(&self, probe: &PlannedProbe, shape: &RequestShape) -> Attempt {
        let clients = self.clients;
        match (shape, &*probe.target) {
            (RequestShape::Query, ResourceTarget::DynamoDbItem { table, key }) => {
                dynamodb::probe(clients, DynamoDbCall::Query, table, key).await
            }
            (RequestShape::Scan, ResourceTarget::DynamoDbItem { table, key }) => {
                dynamodb::probe(clients, DynamoDbCall::Scan, table, key).await
            }
            (RequestShape::UpdateItem, ResourceTarget::DynamoDbItem { table, key }) => {
                dynamodb::probe(clients, DynamoDbCall::UpdateItem, table, key).await
            }
            (RequestShape::BatchWriteItemPut, ResourceTarget::DynamoDbItem { table, key }) => {
                dynamodb_batch::batch_put_canary(clients, self.ledger, table, key).await
            }
            (RequestShape::BatchWriteItemDelete, ResourceTarget::DynamoDbItem { table, key }) => {
                dynamodb_batch::batch_delete_absent_key(clients, table, key).await
            }
            (RequestShape::BatchGetItem, ResourceTarget::DynamoDbItem { table, key }) => {
                dynamodb_batch::batch_get_item(clients, table, key, None).await
            }
            (
                RequestShape::BatchGetItemWithOwnKey { own_key, .. },
                ResourceTarget::DynamoDbItem { table, key },
            ) => dynamodb_batch::batch_get_item(clients, table, key, Some(own_key)).await,
            (RequestShape::NoPrefix, ResourceTarget::S3Prefix { bucket, .. }) => {
                s3::list_objects_v2(clients, bucket, None, "no-prefix").await
            }
            (RequestShape::ParentPrefix { parent }, ResourceTarget::S3Prefix { bucket, .. }) => {
                s3::list_objects_v2(clients, bucket, Some(parent), "parent-prefix").await
            }
            (RequestShape::ListObjectsV1, ResourceTarget::S3Prefix { bucket, prefix }) => {
                s3::list_objects_v1(clients, bucket, prefix).await
            }
            (RequestShape::DescribeSecret, ResourceTarget::Secret { secret_id }) => {
                secrets::describe_secret(clients, secret_id).await
            }
            (RequestShape::BatchGetSecretValue, ResourceTarget::Secret { secret_id }) => {
                secrets_batch::batch_get_secret_value(clients, secret_id).await
            }
            _ => Attempt::not_made(
                shape.api(),
                "unsupported",
                format!(
                    "the harness has no `{shape}` request shape for a {} target",
                    target_kind(&probe.target)
                ),
            ),
        }
    }
}

fn unsupported(probe: &PlannedProbe) -> Attempt {
    Attempt::not_made(
        "none",
        "unsupported",
        format!(
            "the harness has no probe for action `{}` on a {} target",
            probe.action,
            target_kind(&probe.target)
        ),
    )
}

fn target_kind(target: &ResourceTarget) -> &'static str {
    match target {
        ResourceTarget::S3Object { .. } => "S3 object",
        ResourceTarget::S3Prefix { .. } => "S3 prefix",
        ResourceTarget::DynamoDbItem { .. } => "DynamoDB item",
        ResourceTarget::Secret { .. } => "secret",
        ResourceTarget::Identity { .. } => "identity",
    }
}

/// Joins the plan's probe with what the attempt showed.
pub fn record_of(probe: &PlannedProbe, attempt: Attempt, duration_ms: u64) -> ProbeRecord {
    let verdict = attempt.classification.verdict;
    let observation = attempt
        .observation
        .unwrap_or_else(super::observation::Observation::not_sent);
    let denial = attempt.classification.denial;
    ProbeRecord {
        name: probe.name.clone(),
        user: probe.user.clone(),
        tenant: probe.tenant.clone(),
        resource: probe.resource.clone(),
        target: probe.target.clone(),
        action: probe.action.clone(),
        expectation: probe.expectation,
        source: probe.source.clone(),
        shape: probe.shape.clone(),
        api_call: SharedName::interned(&attempt.api_call),
        method: SharedName::interned(&attempt.method),
        verdict,
        outcome: Outcome::of(probe.expectation, verdict),
        http_status: observation.http_status,
        error_code: observation.error_code.map(SharedName::from),
        error_message: observation.error_message.map(SharedName::from),
        denied_action: denial.as_ref().map(|denial| denial.action.as_str().into()),
        denial_layer: denial.as_ref().map(|denial| denial.layer),
        denial_explicit: denial.as_ref().map(|denial| denial.explicit),
        request_id: observation.request_id,
        reason: attempt.classification.reason.into(),
        duration_ms,
        read_evidence: attempt.read_evidence.map(Box::new),
        // Waivers are applied to the finished run (`run::waiver_review`).
        waiver: None,
    }
}
