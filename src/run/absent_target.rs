//! The fail-closed pass over a finished run: a denial on a target that another probe of
//! the run proved does not exist proves nothing, because the service may answer a miss
//! with the same denial.

use crate::probe::{Outcome, ProbeRecord, Verdict};
use crate::scenario::ResourceTarget;

/// The reason given to a denial this pass turns Inconclusive.
pub const ABSENT_TARGET_REASON: &str = "target does not exist: a denial cannot be told from a miss";

/// Turns every `Denied` verdict on a target proved absent into `Inconclusive` and
/// recomputes its outcome.
///
/// Absence is proved by:
/// - S3 404 (`NoSuchKey` from GetObject, a bare 404 from HeadObject) on the object, and
///   `NoSuchBucket` on any target in the bucket. S3 answers 403 AccessDenied for a missing
///   key when the caller lacks s3:ListBucket, so a denial there may be a miss.
// "If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code
// 403 Access Denied error" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions).
/// - Secrets Manager `ResourceNotFoundException` on the secret: a secret that does not
///   exist has no resource policy and no tags, so a denial says nothing of the real one.
// ResourceNotFoundException: "Secrets Manager can't find the resource that you asked for"
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors).
/// - DynamoDB `ResourceNotFoundException` on the table: the table's resource policy cannot
///   have been evaluated.
// ResourceNotFoundException: "The operation tried to access a nonexistent table or index"
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_Errors).
///
/// A GetItem that returns no item is not such a proof: DynamoDB authorizes on the table and
/// the requested key values (dynamodb:LeadingKeys), never on whether the item exists, so a
/// denial of a missing item is the same denial the item would get.
// Fine-grained access conditions are on request keys and attributes
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
pub fn mark_denials_on_absent_targets(records: &mut [ProbeRecord]) {
    let absences: Vec<Absence> = records.iter().filter_map(Absence::proved_by).collect();
    if absences.is_empty() {
        return;
    }
    for record in records.iter_mut() {
        if record.verdict != Verdict::Denied
            || !absences
                .iter()
                .any(|absence| absence.covers(&record.target))
        {
            continue;
        }
        record.verdict = Verdict::Inconclusive;
        record.outcome = Outcome::of(record.expectation, record.verdict);
        record.reason = format!("{ABSENT_TARGET_REASON} ({})", record.reason);
    }
}

/// What one record proved missing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Absence {
    Target(ResourceTarget),
    Bucket(String),
    Table(String),
}

impl Absence {
    fn proved_by(record: &ProbeRecord) -> Option<Absence> {
        let code = record.error_code.as_deref();
        match &record.target {
            ResourceTarget::S3Object { bucket, .. } | ResourceTarget::S3Prefix { bucket, .. }
                if code == Some("NoSuchBucket") =>
            {
                Some(Absence::Bucket(bucket.clone()))
            }
            ResourceTarget::S3Object { .. }
                if record.http_status == Some(404)
                    && matches!(record.api_call.as_str(), "s3:GetObject" | "s3:HeadObject") =>
            {
                Some(Absence::Target(record.target.clone()))
            }
            ResourceTarget::Secret { .. } if code == Some("ResourceNotFoundException") => {
                Some(Absence::Target(record.target.clone()))
            }
            ResourceTarget::DynamoDbItem { table, .. }
                if code == Some("ResourceNotFoundException") =>
            {
                Some(Absence::Table(table.clone()))
            }
            _ => None,
        }
    }

    fn covers(&self, target: &ResourceTarget) -> bool {
        match (self, target) {
            (Absence::Target(absent), target) => absent == target,
            (
                Absence::Bucket(absent),
                ResourceTarget::S3Object { bucket, .. } | ResourceTarget::S3Prefix { bucket, .. },
            ) => absent == bucket,
            (Absence::Table(absent), ResourceTarget::DynamoDbItem { table, .. }) => absent == table,
            (Absence::Bucket(_) | Absence::Table(_), _) => false,
        }
    }
}
