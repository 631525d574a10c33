//! Write and delete probes against data that exists leave it byte-for-byte unchanged,
//! whether the write is allowed or denied: read back with the staging admin's IAM-user
//! keys, the S3 objects (body and ETag), the DynamoDB items and the secrets (value and
//! version ids with their stages) are as the world seeded them.

use crate::local_staging_support::{
    ALICE, AMY, BUCKET, GUS, UserBench, admin_config, item, object, planned, prefix, role_arn,
    s3_client, secret, signed_in_user, start, web_client, web_user,
};
use aws_config::SdkConfig;
use std::collections::BTreeMap;
use xtenant::identity::{IdentityFlow, SignInFlow};
use xtenant::probe::Verdict;
use xtenant::scenario::{Action, Expectation, RequestShape};

const TENANTS: [&str; 2] = ["acme", "globex"];

/// Everything a write probe could change, as the admin reads it.
async fn snapshot(admin: &SdkConfig) -> BTreeMap<String, String> {
    let mut state = BTreeMap::new();
    let s3 = s3_client(admin);
    let listed = s3
        .list_objects_v2()
        .bucket(BUCKET)
        .send()
        .await
        .expect("admin lists the bucket");
    let keys: Vec<String> = listed
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect();
    state.insert("s3 keys".to_owned(), format!("{keys:?}"));
    for key in keys {
        let object = s3
            .get_object()
            .bucket(BUCKET)
            .key(&key)
            .send()
            .await
            .expect("admin reads the object");
        let etag = object.e_tag().map(str::to_owned);
        let body = object
            .body
            .collect()
            .await
            .expect("object body")
            .into_bytes();
        state.insert(format!("s3 {key}"), format!("{etag:?} {body:?}"));
    }
    let dynamodb = aws_sdk_dynamodb::Client::new(admin);
    let secrets = aws_sdk_secretsmanager::Client::new(admin);
    for tenant in TENANTS {
        let table = format!("{tenant}-records");
        let scanned = dynamodb
            .scan()
            .table_name(&table)
            .send()
            .await
            .expect("admin scans the table");
        let items: Vec<BTreeMap<String, String>> = scanned
            .items()
            .iter()
            .map(|item| {
                item.iter()
                    .map(|(name, value)| (name.clone(), format!("{value:?}")))
                    .collect()
            })
            .collect();
        state.insert(format!("dynamodb {table}"), format!("{items:?}"));

        let secret_id = format!("{tenant}/db");
        let value = secrets
            .get_secret_value()
            .secret_id(&secret_id)
            .send()
            .await
            .expect("admin reads the secret");
        let described = secrets
            .describe_secret()
            .secret_id(&secret_id)
            .send()
            .await
            .expect("admin describes the secret");
        let versions: BTreeMap<String, Vec<String>> = described
            .version_ids_to_stages()
            .map(|versions| {
                versions
                    .iter()
                    .map(|(id, stages)| (id.clone(), stages.clone()))
                    .collect()
            })
            .unwrap_or_default();
        state.insert(
            format!("secret {secret_id}"),
            format!(
                "{:?} {:?} {versions:?}",
                value.version_id(),
                value.secret_string()
            ),
        );
    }
    state
}

fn writes(user: &str) -> Vec<xtenant::scenario::PlannedProbe> {
    let mut probes = Vec::new();
    for tenant in TENANTS {
        let expectation = if user.starts_with(tenant) {
            Expectation::Allow
        } else {
            Expectation::Deny
        };
        let mut add = |target, action| {
            probes.push(planned(user, tenant, "data", target, action, expectation));
        };
        add(object(tenant), Action::Write);
        add(object(tenant), Action::Delete);
        add(prefix(tenant), Action::Write);
        add(item(tenant), Action::Write);
        add(item(tenant), Action::Api("dynamodb:UpdateItem".into()));
        add(item(tenant), Action::Delete);
        add(secret(tenant), Action::Write);
        // The BatchWriteItem shapes: a ledgered canary put and a delete of an absent key.
        for (action, shape) in [
            (Action::Write, RequestShape::BatchWriteItemPut),
            (Action::Delete, RequestShape::BatchWriteItemDelete),
        ] {
            let mut shaped = planned(user, tenant, "data", item(tenant), action, expectation);
            shaped.name = format!("{}::{shape}", shaped.name).into();
            shaped.shape = Some(Box::new(shape));
            probes.push(shaped);
        }
    }
    probes
}

#[tokio::test]
async fn write_probes_leave_existing_data_byte_for_byte_unchanged() {
    let staging = start().await;
    let admin = admin_config(&staging).await;
    let before = snapshot(&admin).await;
    assert!(
        before.len() > 5,
        "the snapshot covers the world: {before:?}"
    );

    let mut verdicts = Vec::new();
    let mut reasons = Vec::new();
    for account in [ALICE, GUS] {
        let bench = UserBench::new(&web_user(&staging, account)).await;
        for probe in writes(account.0) {
            let record = bench.run(&probe).await;
            reasons.push(format!("{}: {}", record.name, record.reason));
            verdicts.push((record.name.0.clone(), record.method.clone(), record.verdict));
        }
        assert_eq!(
            bench.outstanding_canaries(),
            0,
            "{}'s canaries: {reasons:#?}",
            account.0
        );
    }
    // Both outcomes occur, so both paths are shown to change nothing.
    assert!(
        verdicts.iter().any(|(_, _, v)| *v == Verdict::Allowed),
        "{verdicts:?}"
    );
    assert!(
        verdicts.iter().any(|(_, _, v)| *v == Verdict::Denied),
        "{verdicts:?}"
    );
    assert!(
        verdicts.iter().all(|(_, _, v)| *v != Verdict::Inconclusive),
        "{verdicts:?}"
    );
    // The canary put is allowed on alice's own table and was removed, so it changed nothing.
    let canary = verdicts
        .iter()
        .find(|(name, _, _)| name == "acme-alice::acme/data::write::batch-write-item")
        .expect("the canary put ran");
    assert_eq!(
        (canary.1.as_str(), canary.2),
        ("canary", Verdict::Allowed),
        "{verdicts:?}"
    );

    let after = snapshot(&admin).await;
    assert_eq!(before, after, "probes {verdicts:?}");
}

#[tokio::test]
async fn a_canary_secret_version_never_becomes_the_current_value() {
    let staging = start().await;
    let admin = admin_config(&staging).await;
    let secrets = aws_sdk_secretsmanager::Client::new(&admin);
    let current = || async {
        let value = secrets
            .get_secret_value()
            .secret_id("acme/db")
            .send()
            .await
            .expect("admin reads the secret");
        (
            value.version_id().map(str::to_owned),
            value.secret_string().map(str::to_owned),
        )
    };
    let before = current().await;

    // XtAuditor may PutSecretValue but not DescribeSecret, so no version id is known to
    // conflict with: the probe writes a canary version under its own staging label.
    let amy = UserBench::new(&signed_in_user(
        &staging,
        AMY,
        web_client(),
        SignInFlow::UserPassword,
        IdentityFlow::Enhanced {
            custom_role_arn: Some(role_arn("XtAuditor")),
        },
    ))
    .await;
    let record = amy
        .run(&planned(
            AMY.0,
            "acme",
            "db",
            secret("acme"),
            Action::Write,
            Expectation::Deny,
        ))
        .await;
    assert_eq!(record.method, "canary-version", "{}", record.reason);
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert!(record.request_id.is_some());

    // A version whose stages do not include AWSCURRENT does not become current
    // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#SecretsManager-PutSecretValue-request-VersionStages).
    assert_eq!(current().await, before);
    let described = secrets
        .describe_secret()
        .secret_id("acme/db")
        .send()
        .await
        .expect("admin describes the secret");
    let canaries: Vec<(&String, &Vec<String>)> = described
        .version_ids_to_stages()
        .into_iter()
        .flatten()
        .filter(|(_, stages)| stages.iter().any(|s| s.starts_with("xtenant-canary-")))
        .collect();
    assert_eq!(canaries.len(), 1, "{described:?}");
    assert!(!canaries[0].1.contains(&"AWSCURRENT".to_owned()));
    // Amy may not remove the label, so the canary waits in the ledger for `xtenant cleanup`.
    assert_eq!(amy.outstanding_canaries(), 1, "{}", record.reason);
    assert!(
        record.reason.contains("stays in the ledger"),
        "{}",
        record.reason
    );
}
