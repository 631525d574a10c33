//! Replaying a ledger: removing every canary a crashed or interrupted run left behind, and
//! nothing that is not provably ours.

use super::canary::Canary;
use super::error::LedgerError;
use super::file::CleanupLedger;
use super::reading::{TornLine, read_ledger};
use super::record::{LedgerRecord, Resolution};
use super::user_pool_cleanup::{
    UserAttributeChange, delete_signed_up_user, restore_user_attribute,
};
use crate::error_chain::error_chain;
use aws_config::SdkConfig;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::region::Region;
use std::path::Path;

/// What happened to one outstanding canary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanupResult {
    pub canary: String,
    /// `Ok` with how it ended, or `Err` with why it is still outstanding.
    pub result: Result<Resolution, String>,
}

/// Every outstanding canary the replay handled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanupReport {
    pub results: Vec<CleanupResult>,
    /// A torn last line of the ledger, skipped (it guards no call).
    pub torn_line: Option<TornLine>,
}

impl CleanupReport {
    /// True when every outstanding canary was resolved.
    pub fn is_complete(&self) -> bool {
        self.results.iter().all(|result| result.result.is_ok())
    }
}

/// Removes every outstanding canary of the ledger at `path` with the credentials of `base`
/// (the ambient chain: the users' temporary credentials may be long expired), appending a
/// resolution line for each one it settles.
pub async fn remove_outstanding(
    path: &Path,
    base: &SdkConfig,
) -> Result<CleanupReport, LedgerError> {
    let contents = read_ledger(path)?;
    let ledger = CleanupLedger::open(path)?;
    let mut report = remove_intents(&ledger, contents.outstanding(), base).await?;
    report.torn_line = contents.torn_line;
    Ok(report)
}

/// Removes the canaries of `intents`, outstanding intents of `ledger`, with the credentials
/// of `base`, each at the region and endpoint its intent recorded, and appends a resolution
/// to `ledger` for each one it settles.
pub async fn remove_intents(
    ledger: &CleanupLedger,
    intents: Vec<LedgerRecord>,
    base: &SdkConfig,
) -> Result<CleanupReport, LedgerError> {
    let mut report = CleanupReport::default();
    for record in intents {
        let LedgerRecord::Intent {
            id,
            region,
            endpoint_url,
            canary,
            ..
        } = record
        else {
            continue;
        };
        let mut config = base.to_builder();
        config.set_region(Some(Region::new(region)));
        if let Some(url) = &endpoint_url {
            config.set_endpoint_url(Some(url.clone()));
        }
        let config = config.build();
        // Path-style addressing with any endpoint override, as the probes' clients use.
        let path_style = config.endpoint_url().is_some();
        let result = remove_canary(&config, path_style, &canary).await;
        if let Ok(resolution) = result {
            ledger.resolve(&id, resolution)?;
        }
        report.results.push(CleanupResult {
            canary: canary.describe(),
            result,
        });
    }
    Ok(report)
}

/// Removes one canary if, and only if, it is still ours.
pub async fn remove_canary(
    config: &SdkConfig,
    path_style: bool,
    canary: &Canary,
) -> Result<Resolution, String> {
    match canary {
        Canary::S3Object {
            bucket,
            key,
            marker,
        } => {
            let s3_config = aws_sdk_s3::config::Builder::from(config)
                .force_path_style(path_style)
                .build();
            remove_s3_canary(
                &aws_sdk_s3::Client::from_conf(s3_config),
                bucket,
                key,
                marker,
            )
            .await
        }
        Canary::SecretVersion {
            secret_id,
            version_stage,
        } => {
            remove_secret_canary(
                &aws_sdk_secretsmanager::Client::new(config),
                secret_id,
                version_stage,
            )
            .await
        }
        Canary::UserAttribute {
            user_pool_id,
            username,
            attribute,
            original,
            tampered,
        } => {
            restore_user_attribute(
                &aws_sdk_cognitoidentityprovider::Client::new(config),
                UserAttributeChange {
                    user_pool_id,
                    username,
                    attribute,
                    original,
                    tampered,
                },
            )
            .await
        }
        Canary::SignedUpUser {
            user_pool_id,
            username,
        } => {
            delete_signed_up_user(
                &aws_sdk_cognitoidentityprovider::Client::new(config),
                user_pool_id,
                username,
            )
            .await
        }
        Canary::DynamoDbItem { table, key, marker } => {
            super::dynamodb_canary::remove_dynamodb_canary(
                &aws_sdk_dynamodb::Client::new(config),
                table,
                key,
                marker,
            )
            .await
        }
    }
}

/// Deletes the object only while its body is exactly our marker, and only that version of
/// it: the delete carries `If-Match` with the ETag just read, so a concurrent overwrite is
/// never deleted.
// DeleteObject honours If-Match on general purpose buckets and fails with 412 on a mismatch
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html#API_DeleteObject_RequestSyntax).
pub async fn remove_s3_canary(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    marker: &str,
) -> Result<Resolution, String> {
    let object = match client.get_object().bucket(bucket).key(key).send().await {
        Ok(object) => object,
        Err(error) if error.code() == Some("NoSuchKey") => return Ok(Resolution::NotCreated),
        Err(error) => {
            return Err(format!(
                "failed to read s3://{bucket}/{key}: {}",
                error_chain(&error)
            ));
        }
    };
    let etag = object.e_tag().map(str::to_owned);
    let body = object
        .body
        .collect()
        .await
        .map_err(|error| format!("failed to read s3://{bucket}/{key}: {error}"))?
        .into_bytes();
    if body.as_ref() != marker.as_bytes() {
        return Ok(Resolution::NotOurs);
    }
    let Some(etag) = etag else {
        return Err(format!(
            "s3://{bucket}/{key} came back without an ETag; not deleting without If-Match"
        ));
    };
    match client
        .delete_object()
        .bucket(bucket)
        .key(key)
        .if_match(etag)
        .send()
        .await
    {
        Ok(_) => Ok(Resolution::Removed),
        Err(error) if error.code() == Some("PreconditionFailed") => Ok(Resolution::NotOurs),
        Err(error) => Err(format!(
            "failed to delete s3://{bucket}/{key}: {}",
            error_chain(&error)
        )),
    }
}

/// Removes our staging label from whichever version carries it.
// A version without staging labels is deprecated and removed by Secrets Manager
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html#term_version).
pub async fn remove_secret_canary(
    client: &aws_sdk_secretsmanager::Client,
    secret_id: &str,
    version_stage: &str,
) -> Result<Resolution, String> {
    let described = match client.describe_secret().secret_id(secret_id).send().await {
        Ok(described) => described,
        Err(error) if error.code() == Some("ResourceNotFoundException") => {
            return Ok(Resolution::NotCreated);
        }
        Err(error) => {
            return Err(format!(
                "failed to describe secret `{secret_id}`: {}",
                error_chain(&error)
            ));
        }
    };
    let version = described.version_ids_to_stages().and_then(|versions| {
        versions
            .iter()
            .find(|(_, stages)| stages.iter().any(|stage| stage == version_stage))
            .map(|(version, _)| version.clone())
    });
    let Some(version) = version else {
        return Ok(Resolution::NotCreated);
    };
    client
        .update_secret_version_stage()
        .secret_id(secret_id)
        .version_stage(version_stage)
        .remove_from_version_id(version)
        .send()
        .await
        .map(|_| Resolution::Removed)
        .map_err(|error| {
            format!(
                "failed to remove label `{version_stage}` from secret `{secret_id}`: {}",
                error_chain(&error)
            )
        })
}
