//! Every claim tamper is undone: against local staging the test starts itself (an
//! AWS-account target reached through AWS_ENDPOINT_URL, so its state outlives the run), a
//! run whose claim-tamper cases are accepted, and whose re-runs with the tampered
//! credentials breach, leaves every user's attributes as they were, read back with
//! AdminGetUser, both where the tampered claim feeds a Rules mapping and where it feeds a
//! principal tag; and a run killed between the ledger intent and the restore leaves a
//! ledger from which `xtenant cleanup` restores the attribute.

use crate::support::{root, text};
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType};
use std::path::Path;
use std::time::Duration;
use xtenant::exit_code;
use xtenant::ledger::{Canary, CleanupLedger};
use xtenant::sim::{LocalStaging, World};

/// One outliving world whose claim tampers are accepted.
struct Fixture {
    dir: &'static str,
    /// The name of the scenario (and so of its ledger).
    scenario: &'static str,
    pool: &'static str,
    admin_key_id: &'static str,
    admin_secret_key: &'static str,
}

/// `custom:tenant_id` is writable and the rules map it to the tenant roles.
const RULES: Fixture = Fixture {
    dir: "tests/e2e/fixtures/tamper-undo",
    scenario: "tamper-undo",
    pool: POOL,
    admin_key_id: "AKIAXTTAMPERADMIN001",
    admin_secret_key: "tamper-admin-secret-key-local-only",
};

/// `custom:tenant_id` is writable and feeds the `tenant` principal tag (same role).
const ABAC: Fixture = Fixture {
    dir: "tests/e2e/fixtures/tamper-undo-abac",
    scenario: "tamper-undo-abac",
    pool: "us-east-1_OrdersAbac1",
    admin_key_id: "AKIAXTTAMPERABAC0001",
    admin_secret_key: "tamper-abac-admin-secret-key-local-only",
};

const POOL: &str = "us-east-1_XtTamper1";
const CLIENT: &str = "xttamperwebclient000000001";

async fn start_staging(fixture: &Fixture) -> LocalStaging {
    let world = World::load(root().join(fixture.dir).join("world.yaml")).expect("the world loads");
    LocalStaging::start(world, None)
        .await
        .expect("local staging starts")
}

async fn user_pools(
    staging: &LocalStaging,
    fixture: &Fixture,
    signed: bool,
) -> aws_sdk_cognitoidentityprovider::Client {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(staging.endpoint());
    loader = if signed {
        loader.credentials_provider(Credentials::new(
            fixture.admin_key_id,
            fixture.admin_secret_key,
            None,
            None,
            "test",
        ))
    } else {
        loader.no_credentials()
    };
    aws_sdk_cognitoidentityprovider::Client::new(&loader.load().await)
}

/// `custom:tenant_id` of `username`, as the staging administrator reads it.
async fn tenant_of(staging: &LocalStaging, fixture: &Fixture, username: &str) -> Option<String> {
    let user = user_pools(staging, fixture, true)
        .await
        .admin_get_user()
        .user_pool_id(fixture.pool)
        .username(username)
        .send()
        .await
        .expect("AdminGetUser");
    user.user_attributes()
        .iter()
        .find(|attribute| attribute.name() == "custom:tenant_id")
        .and_then(|attribute| attribute.value().map(str::to_owned))
}

/// The real binary with the SDK pointed at `staging` and the administrator's keys as the
/// ambient credentials.
fn xtenant(
    staging: &LocalStaging,
    fixture: &Fixture,
    scratch: &Path,
    args: &[&str],
) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_xtenant"));
    command.args(args).current_dir(root());
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    // Endpoint override, keys and region from the environment
    // (https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html#EVarSettings).
    command
        .env("AWS_ENDPOINT_URL", staging.endpoint())
        .env("AWS_ACCESS_KEY_ID", fixture.admin_key_id)
        .env("AWS_SECRET_ACCESS_KEY", fixture.admin_secret_key)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", scratch.join("no-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            scratch.join("no-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .kill_on_drop(true);
    command
}

/// Runs `fixture` through the real binary: exit 1, each of `breaches` (an attack case, and
/// one cell its re-run reaches) FAILED, every user's `custom:tenant_id` as it was, and the
/// ledger settled.
async fn assert_tampers_breach_and_are_undone(
    fixture: &Fixture,
    breaches: &[(&str, &str)],
    tenants: &[(&str, &str)],
) {
    let staging = start_staging(fixture).await;
    let reports = tempfile::tempdir().unwrap();
    let matrix = root().join(fixture.dir).join("matrix.yaml");
    let reports_dir = reports.path().to_str().unwrap().to_owned();
    let output = tokio::time::timeout(
        Duration::from_secs(120),
        xtenant(
            &staging,
            fixture,
            reports.path(),
            &[
                "run",
                matrix.to_str().unwrap(),
                "--reports-dir",
                &reports_dir,
            ],
        )
        .output(),
    )
    .await
    .expect("the run finishes in time")
    .expect("the xtenant binary runs");
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(exit_code::BREACH),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    let failed = |name: &str| {
        stdout
            .lines()
            .any(|line| line.starts_with("BREACH ") && line.split_whitespace().nth(1) == Some(name))
    };
    for (case, reached) in breaches {
        assert!(failed(case), "{case} is a breach:\n{stdout}");
        let rerun = format!("{case}::{reached}");
        assert!(failed(&rerun), "{rerun} is a re-run breach:\n{stdout}");
    }
    for (user, tenant) in tenants {
        assert_eq!(
            tenant_of(&staging, fixture, user).await.as_deref(),
            Some(*tenant),
            "{user}"
        );
    }
    let ledger = reports
        .path()
        .join(format!("{}.ledger.jsonl", fixture.scenario));
    let written = std::fs::read_to_string(&ledger).expect("the tampers were ledgered");
    assert!(written.contains("\"kind\":\"user_attribute\""), "{written}");
    assert!(
        CleanupLedger::outstanding(&ledger).unwrap().is_empty(),
        "{written}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tamper_read_by_the_rules_re_runs_the_row_with_the_other_role_and_is_written_back() {
    assert_tampers_breach_and_are_undone(
        &RULES,
        &[
            (
                "acme-ann::attack::claim-tamper::globex-gus",
                "globex/api-key::read",
            ),
            (
                "globex-gus::attack::claim-tamper::acme-ann",
                "acme/api-key::read",
            ),
        ],
        &[("acme-ann", "acme"), ("globex-gus", "globex")],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tamper_behind_a_principal_tag_re_runs_the_row_with_the_same_role_and_is_written_back() {
    assert_tampers_breach_and_are_undone(
        &ABAC,
        &[
            (
                "acme-pia::attack::claim-tamper::globex-fred",
                "globex/order::write",
            ),
            (
                "globex-fred::attack::claim-tamper::acme-fay",
                "acme/order::read",
            ),
        ],
        &[
            ("acme-fay", "acme"),
            ("acme-pia", "acme"),
            ("globex-fred", "globex"),
            ("globex-pete", "globex"),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xtenant_cleanup_restores_an_attribute_a_killed_run_left_tampered() {
    let staging = start_staging(&RULES).await;
    let scratch = tempfile::tempdir().unwrap();
    let ledger_path = scratch.path().join("killed.ledger.jsonl");
    // What a run killed mid-tamper leaves: the intent, synced before the call, then the
    // accepted write, and no resolution.
    let ledger = CleanupLedger::open(&ledger_path).unwrap();
    ledger
        .record_intent(
            Canary::UserAttribute {
                user_pool_id: POOL.to_owned(),
                username: "acme-ann".to_owned(),
                attribute: "custom:tenant_id".to_owned(),
                original: "acme".to_owned(),
                tampered: "globex".to_owned(),
            },
            "us-east-1",
            Some(staging.endpoint()),
        )
        .unwrap();
    drop(ledger);
    let anonymous = user_pools(&staging, &RULES, false).await;
    let signed_in = anonymous
        .initiate_auth()
        .client_id(CLIENT)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "acme-ann")
        .auth_parameters("PASSWORD", "Acme-Ann-Pa55!")
        .send()
        .await
        .expect("acme-ann signs in");
    let access_token = signed_in
        .authentication_result()
        .and_then(|result| result.access_token())
        .expect("an access token")
        .to_owned();
    anonymous
        .update_user_attributes()
        .access_token(access_token)
        .user_attributes(
            AttributeType::builder()
                .name("custom:tenant_id")
                .value("globex")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("the tamper is accepted");
    assert_eq!(
        tenant_of(&staging, &RULES, "acme-ann").await.as_deref(),
        Some("globex")
    );

    let output = xtenant(
        &staging,
        &RULES,
        scratch.path(),
        &["cleanup", "--ledger", ledger_path.to_str().unwrap()],
    )
    .output()
    .await
    .expect("xtenant cleanup runs");
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{}\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(
        tenant_of(&staging, &RULES, "acme-ann").await.as_deref(),
        Some("acme")
    );
    assert!(CleanupLedger::outstanding(&ledger_path).unwrap().is_empty());
}
