//! The fail-closed pass over a finished run: a denial on a target that another probe of
//! the run proved does not exist proves nothing, because the service may answer a miss
//! with the same denial.

use super::record_store::RecordStore;
use crate::probe::{Outcome, ProbeRecord, Verdict};
use crate::scenario::{ResourceTarget, SharedName};

/// The reason given to a denial this pass turns Inconclusive.
pub const ABSENT_TARGET_REASON: &str = "target does not exist: a denial cannot be told from a miss";

/// Turns every `Denied` verdict on a target proved absent into `Inconclusive`, recomputes
/// its outcome, and returns the indices of the records it changed.
///
/// Absence is proved by:
/// - S3 404 (`NoSuchKey` from GetObject, a bare 404 from HeadObject) on the object, and
///   `NoSuchBucket` on any target in the bucket. S3 answers 403 AccessDenied for a missing
///   key when the caller lacks s3:ListBucket, so a denial there may be a miss.
// Without s3:ListBucket a missing key is 403, with it 404 NoSuchKey
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions).
/// - Secrets Manager `ResourceNotFoundException` on the secret: a secret that does not
///   exist has no resource policy and no tags, so a denial says nothing of the real one.
// ResourceNotFoundException means no such secret
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors).
/// - DynamoDB `ResourceNotFoundException` on the table: the table's resource policy cannot
///   have been evaluated.
// ResourceNotFoundException means no such table or index
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_Errors).
///
/// A GetItem that returns no item is not such a proof: DynamoDB authorizes on the table and
/// the requested key values (dynamodb:LeadingKeys), never on whether the item exists, so a
/// denial of a missing item is the same denial the item would get.
// Fine-grained access conditions are on request keys and attributes
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
pub fn mark_denials_on_absent_targets(records: &mut RecordStore) -> Vec<usize> {
    let absences: Vec<Absence> = records
        .iter()
        .filter_map(|record| Absence::proved_by(&record))
        .collect();
    if absences.is_empty() {
        return Vec::new();
    }
    records.revise(|record| {
        if record.verdict != Verdict::Denied
            || !absences
                .iter()
                .any(|absence| absence.covers(&record.target))
        {
            return false;
        }
        record.verdict = Verdict::Inconclusive;
        record.outcome = Outcome::of(record.expectation, record.verdict);
        record.reason =
            SharedName::deduplicated(&format!("{ABSENT_TARGET_REASON} ({})", record.reason));
        true
    })
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
        match &*record.target {
            ResourceTarget::S3Object { bucket, .. } | ResourceTarget::S3Prefix { bucket, .. }
                if code == Some("NoSuchBucket") =>
            {
                Some(Absence::Bucket(bucket.clone()))
            }
            ResourceTarget::S3Object { .. }
                if record.http_status == Some(404)
                    && matches!(record.api_call.as_str(), "s3:GetObject" | "s3:HeadObject") =>
            {
                Some(Absence::Target(ResourceTarget::clone(&record.target)))
            }
            ResourceTarget::Secret { .. } if code == Some("ResourceNotFoundException") => {
                Some(Absence::Target(ResourceTarget::clone(&record.target)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{
        Action, Expectation, ExpectationSource, ItemKey, KeyValue, PlannedProbe, ProbeName,
    };

    fn record(
        name: &str,
        target: ResourceTarget,
        expectation: Expectation,
        verdict: Verdict,
        api_call: &str,
        answer: (u16, Option<&str>),
    ) -> ProbeRecord {
        let probe = PlannedProbe {
            name: ProbeName::from(name.to_owned()),
            user: "u".to_owned().into(),
            tenant: "acme".to_owned().into(),
            resource: "r".to_owned().into(),
            target: target.into(),
            action: Action::Read,
            expectation,
            source: ExpectationSource::CrossTenantDefault.into(),
            shape: None,
        };
        let mut record = crate::run::unsent_record(&probe, "as classified".to_owned(), 1);
        record.verdict = verdict;
        record.outcome = Outcome::of(expectation, verdict);
        record.api_call = api_call.into();
        record.http_status = Some(answer.0);
        record.error_code = answer.1.map(SharedName::from);
        record
    }

    fn object(key: &str) -> ResourceTarget {
        ResourceTarget::S3Object {
            bucket: "data".to_owned(),
            key: key.to_owned(),
        }
    }

    fn denied_on(target: ResourceTarget, api_call: &str) -> ProbeRecord {
        record(
            "cross",
            target,
            Expectation::Deny,
            Verdict::Denied,
            api_call,
            (403, Some("AccessDenied")),
        )
    }

    /// The owner's read of `target`, answered 404 NoSuchKey.
    fn owner_missed(target: ResourceTarget) -> ProbeRecord {
        record(
            "owner",
            target,
            Expectation::Allow,
            Verdict::Allowed,
            "s3:GetObject",
            (404, Some("NoSuchKey")),
        )
    }

    #[test]
    fn a_404_on_the_object_turns_denials_on_it_inconclusive_and_leaves_other_keys() {
        let mut records = RecordStore::from(vec![
            owner_missed(object("acme/x")),
            denied_on(object("acme/x"), "s3:GetObject"),
            denied_on(object("acme/y"), "s3:GetObject"),
        ]);
        assert_eq!(mark_denials_on_absent_targets(&mut records), [1]);
        assert_eq!(records.get(0).unwrap().outcome, Outcome::Held);
        assert_eq!(records.get(1).unwrap().verdict, Verdict::Inconclusive);
        assert_eq!(records.get(1).unwrap().outcome, Outcome::Inconclusive);
        assert_eq!(
            records.get(1).unwrap().reason,
            format!("{ABSENT_TARGET_REASON} (as classified)")
        );
        assert_eq!(records.get(2).unwrap().outcome, Outcome::Held);
    }

    #[test]
    fn a_bare_404_from_head_object_and_no_such_bucket_prove_absence() {
        let mut records = RecordStore::from(vec![
            record(
                "head",
                object("acme/x"),
                Expectation::Allow,
                Verdict::Allowed,
                "s3:HeadObject",
                (404, None),
            ),
            denied_on(object("acme/x"), "s3:HeadObject"),
        ]);
        mark_denials_on_absent_targets(&mut records);
        assert_eq!(records.get(1).unwrap().outcome, Outcome::Inconclusive);

        let mut records = RecordStore::from(vec![
            record(
                "list",
                ResourceTarget::S3Prefix {
                    bucket: "data".to_owned(),
                    prefix: "acme/".to_owned(),
                },
                Expectation::Allow,
                Verdict::Inconclusive,
                "s3:ListObjectsV2",
                (404, Some("NoSuchBucket")),
            ),
            denied_on(object("globex/x"), "s3:GetObject"),
        ]);
        mark_denials_on_absent_targets(&mut records);
        assert_eq!(records.get(1).unwrap().outcome, Outcome::Inconclusive);
    }

    #[test]
    fn a_missing_secret_turns_denials_on_it_inconclusive() {
        let secret = ResourceTarget::Secret {
            secret_id: "app/acme/db".to_owned(),
        };
        let mut records = RecordStore::from(vec![
            record(
                "owner",
                secret.clone(),
                Expectation::Allow,
                Verdict::Allowed,
                "secretsmanager:GetSecretValue",
                (400, Some("ResourceNotFoundException")),
            ),
            denied_on(secret, "secretsmanager:GetSecretValue"),
        ]);
        mark_denials_on_absent_targets(&mut records);
        assert_eq!(records.get(1).unwrap().outcome, Outcome::Inconclusive);
    }

    #[test]
    fn an_empty_get_item_proves_nothing_but_a_missing_table_does() {
        let item = ResourceTarget::DynamoDbItem {
            table: "orders".to_owned(),
            key: Box::new(ItemKey {
                partition: ("tenant".to_owned(), KeyValue::S("acme".to_owned())),
                sort: None,
            }),
        };
        let mut records = RecordStore::from(vec![
            record(
                "owner",
                item.clone(),
                Expectation::Allow,
                Verdict::Allowed,
                "dynamodb:GetItem",
                (200, None),
            ),
            denied_on(item.clone(), "dynamodb:GetItem"),
        ]);
        mark_denials_on_absent_targets(&mut records);
        assert_eq!(records.get(1).unwrap().outcome, Outcome::Held);

        let mut owner = records.get(0).unwrap();
        owner.http_status = Some(400);
        owner.error_code = Some("ResourceNotFoundException".into());
        owner.verdict = Verdict::Inconclusive;
        records.set(0, owner);
        mark_denials_on_absent_targets(&mut records);
        assert_eq!(records.get(1).unwrap().outcome, Outcome::Inconclusive);
    }

    #[test]
    fn an_allowed_cross_tenant_read_stays_a_breach() {
        let mut records = RecordStore::from(vec![
            owner_missed(object("acme/x")),
            record(
                "cross",
                object("acme/x"),
                Expectation::Deny,
                Verdict::Allowed,
                "s3:GetObject",
                (200, None),
            ),
        ]);
        assert!(mark_denials_on_absent_targets(&mut records).is_empty());
        assert_eq!(records.get(1).unwrap().outcome, Outcome::Breach);
    }
}
