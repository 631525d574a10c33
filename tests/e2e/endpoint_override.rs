//! A run against an AWS-account target whose SDK endpoint comes from `AWS_ENDPOINT_URL`
//! (as with `xtenant sim serve` or a proxy): the canary its write probe leaves outstanding
//! is removed by the end-of-run cleanup, through the endpoint the clients really used.

use crate::support::{root, text};
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use std::time::Duration;
use xtenant::exit_code;
use xtenant::ledger::CleanupLedger;
use xtenant::sim::{LocalStaging, World};

const FIXTURE: &str = "tests/e2e/fixtures/endpoint-override";
const ADMIN_KEY_ID: &str = "AKIAXTENDPOINTADMIN1";
const ADMIN_SECRET_KEY: &str = "endpoint-admin-secret-key-local-only";

/// The staging-admin's view of the secret's labels, read back after the run.
async fn labels_of_acme_secret(staging: &LocalStaging) -> Vec<String> {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(staging.endpoint())
        .credentials_provider(Credentials::new(
            ADMIN_KEY_ID,
            ADMIN_SECRET_KEY,
            None,
            None,
            "test",
        ))
        .load()
        .await;
    let described = aws_sdk_secretsmanager::Client::new(&config)
        .describe_secret()
        .secret_id("acme/db")
        .send()
        .await
        .expect("the admin describes the secret");
    let mut labels: Vec<String> = described
        .version_ids_to_stages()
        .into_iter()
        .flat_map(|versions| versions.values().flatten().cloned())
        .collect();
    labels.sort();
    labels
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_run_cleanup_removes_a_canary_written_through_aws_endpoint_url() {
    let world = World::load(root().join(FIXTURE).join("world.yaml")).expect("the world loads");
    let staging = LocalStaging::start(world, None)
        .await
        .expect("local staging starts");
    let reports = tempfile::tempdir().unwrap();

    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_xtenant"));
    command
        .arg("run")
        .arg(root().join(FIXTURE).join("matrix.yaml"))
        .arg("--reports-dir")
        .arg(reports.path())
        .current_dir(root());
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    // The SDK reads the endpoint override, keys and region from these variables
    // (https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html#EVarSettings);
    // the keys are the ambient credentials the end-of-run cleanup signs with.
    command
        .env("AWS_ENDPOINT_URL", staging.endpoint())
        .env("AWS_ACCESS_KEY_ID", ADMIN_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", reports.path().join("no-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            reports.path().join("no-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("the run finishes in time")
        .expect("the xtenant binary runs");
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{}\n{stderr}",
        text(&output.stdout)
    );

    // The probe had to write a canary version its own credentials could not unlabel.
    let ledger = reports.path().join("endpoint-override.ledger.jsonl");
    let written = std::fs::read_to_string(&ledger).expect("the run wrote its ledger");
    assert!(written.contains("xtenant-canary-"), "{written}");
    assert!(
        written.contains(staging.endpoint()),
        "the intent records the endpoint the clients used: {written}"
    );
    let stdout = text(&output.stdout);
    assert!(stdout.contains("removed 1 canaries"), "{stdout}");
    assert!(!stdout.contains("cleanup failed"), "{stdout}");

    // Read back: no version carries a canary label any more, and nothing is outstanding.
    let labels = labels_of_acme_secret(&staging).await;
    assert!(
        labels
            .iter()
            .all(|label| !label.starts_with("xtenant-canary-")),
        "{labels:?}"
    );
    assert!(labels.contains(&"AWSCURRENT".to_owned()), "{labels:?}");
    assert!(CleanupLedger::outstanding(&ledger).unwrap().is_empty());
}
