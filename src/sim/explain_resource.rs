//! What local staging's services attach to a request about one resource, read from the
//! world without starting them: the resource-based policy and the resource's tags as
//! condition keys. `xtenant sim explain` uses it so that its answer is the one the running
//! service would give.

use super::iam::{NamedPolicy, RequestContext};
use super::s3::resource_policy::resource_policy_from_world;
use super::secrets::arn_suffix::{secret_arn, unsuffixed_arn};
use super::world::{World, WorldError};

/// The facts of one resource: where they came from, its policy and its condition keys.
#[derive(Debug, Clone, Default)]
pub struct ResourceFacts {
    /// For example `bucket tenant-data` or `secret acme/db`; `None` when the world does not
    /// hold the resource.
    pub found: Option<String>,
    pub policy: Option<NamedPolicy>,
    pub context: RequestContext,
}

/// The facts of the resource `arn` names in `world`.
pub fn resource_facts(world: &World, arn: &str) -> Result<ResourceFacts, WorldError> {
    if let Some(path) = arn.strip_prefix("arn:aws:s3:::") {
        return bucket_facts(world, path);
    }
    if arn.starts_with("arn:aws:secretsmanager:") {
        return secret_facts(world, arn);
    }
    if arn.starts_with("arn:aws:dynamodb:") {
        return Ok(table_facts(world, arn));
    }
    Ok(ResourceFacts::default())
}

/// A bucket's policy applies to the bucket and to every object in it; S3 adds no
/// `aws:ResourceTag/*` keys from bucket tags to object requests, nor does local staging.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html>.
fn bucket_facts(world: &World, path: &str) -> Result<ResourceFacts, WorldError> {
    let bucket_name = path.split('/').next().unwrap_or_default();
    let Some((owner, prefix, index, spec)) =
        world
            .s3_by_account()
            .into_iter()
            .find_map(|(owner, prefix, s3)| {
                s3.buckets
                    .iter()
                    .enumerate()
                    .find(|(_, spec)| spec.bucket == bucket_name)
                    .map(|(index, spec)| (owner, prefix, index, spec))
            })
    else {
        return Ok(ResourceFacts::default());
    };
    let policy = spec
        .policy
        .as_ref()
        .map(|document| {
            resource_policy_from_world(
                document,
                format!("s3/{}/bucket-policy", spec.bucket),
                &format!("{prefix}s3.buckets[{index}].Policy"),
            )
        })
        .transpose()?;
    // The bucket owner, as S3 sets it; it also tells a cross-account request.
    // See <https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2>.
    let mut context = RequestContext::new();
    context.set("s3:ResourceAccount", owner);
    Ok(ResourceFacts {
        found: Some(format!("bucket {}", spec.bucket)),
        policy,
        context,
    })
}

/// A secret is named by its full ARN (with the six-character suffix local staging derives
/// from the world), or by the ARN without the suffix; its tags are `aws:ResourceTag/*` and
/// `secretsmanager:ResourceTag/*`, its ARN `secretsmanager:SecretId`.
/// See <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html#awssecretsmanager-policy-keys>.
fn secret_facts(world: &World, arn: &str) -> Result<ResourceFacts, WorldError> {
    let found = world.secrets.secrets.iter().enumerate().find(|(_, spec)| {
        let full = secret_arn(&world.account_id, &world.region, &spec.name, 0);
        arn == full || arn == unsuffixed_arn(&world.account_id, &world.region, &spec.name)
    });
    let Some((index, spec)) = found else {
        return Ok(ResourceFacts::default());
    };
    let policy = spec
        .resource_policy
        .as_ref()
        .map(|document| {
            resource_policy_from_world(
                document,
                format!("secretsmanager/{}/resource-policy", spec.name),
                &format!("secrets.secrets[{index}].ResourcePolicy"),
            )
        })
        .transpose()?;
    let mut context = RequestContext::new();
    context.set(
        "secretsmanager:SecretId",
        secret_arn(&world.account_id, &world.region, &spec.name, 0),
    );
    for tag in &spec.tags {
        context.set(format!("aws:ResourceTag/{}", tag.key), tag.value.as_str());
        context.set(
            format!("secretsmanager:ResourceTag/{}", tag.key),
            tag.value.as_str(),
        );
    }
    Ok(ResourceFacts {
        found: Some(format!("secret {}", spec.name)),
        policy,
        context,
    })
}

/// A table's tags are `aws:ResourceTag/*` for requests on the table and its indexes;
/// DynamoDB tables have no resource policy in local staging's worlds.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/attribute-based-access-control.html>.
fn table_facts(world: &World, arn: &str) -> ResourceFacts {
    let table_name = arn
        .split_once(":table/")
        .map(|(_, rest)| rest.split('/').next().unwrap_or_default())
        .unwrap_or_default();
    let Some(spec) = world
        .dynamodb
        .tables
        .iter()
        .find(|spec| spec.table_name == table_name)
    else {
        return ResourceFacts::default();
    };
    let mut context = RequestContext::new();
    for tag in &spec.tags {
        context.set(format!("aws:ResourceTag/{}", tag.key), tag.value.as_str());
    }
    ResourceFacts {
        found: Some(format!("table {}", spec.table_name)),
        policy: None,
        context,
    }
}
