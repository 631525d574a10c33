//! A self sign-up the pool leaves unconfirmed (`UserConfirmed: false`): against local
//! staging the test starts itself (an AWS-account target reached through AWS_ENDPOINT_URL,
//! so its state outlives the run), the sign-up case confirms its user with
//! AdminConfirmSignUp when the ambient credentials may, signs it in and tries the row;
//! when they may not, the case is still a breach and says the row was not tried. Either
//! way the new user is gone after the run and the ledger is settled.

use crate::support::{root, text};
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use std::path::Path;
use std::time::Duration;
use xtenant::exit_code;
use xtenant::ledger::CleanupLedger;
use xtenant::sim::{LocalStaging, World};

const FIXTURE: &str = "tests/e2e/fixtures/sign-up-confirm";
const POOL: &str = "us-east-1_XtSignUp1";
const CASE: &str = "stranger::attack::sign-up::user-pool";
/// May confirm a user (AdminConfirmSignUp) and delete one.
const ADMIN: (&str, &str) = (
    "AKIAXTSIGNUPADMIN001",
    "sign-up-admin-secret-key-local-only",
);
/// May delete a user but confirm none.
const AUDITOR: (&str, &str) = (
    "AKIAXTSIGNUPAUDIT001",
    "sign-up-auditor-secret-key-local-only",
);

async fn start_staging() -> LocalStaging {
    let world = World::load(root().join(FIXTURE).join("world.yaml")).expect("the world loads");
    LocalStaging::start(world, None)
        .await
        .expect("local staging starts")
}

/// What one run through the real binary with `keys` as the ambient credentials left.
struct Ran {
    exit_code: Option<i32>,
    stdout: String,
    /// The canary usernames the ledger recorded.
    signed_up: Vec<String>,
}

async fn run_with(staging: &LocalStaging, keys: (&str, &str)) -> Ran {
    let reports = tempfile::tempdir().unwrap();
    let matrix = root().join(FIXTURE).join("matrix.yaml");
    let output = tokio::time::timeout(
        Duration::from_secs(90),
        xtenant(
            staging,
            keys,
            reports.path(),
            &[
                "run",
                matrix.to_str().unwrap(),
                "--reports-dir",
                reports.path().to_str().unwrap(),
            ],
        )
        .output(),
    )
    .await
    .expect("the run finishes in time")
    .expect("the xtenant binary runs");
    let ledger = reports.path().join("sign-up-confirm.ledger.jsonl");
    let written = std::fs::read_to_string(&ledger).expect("the sign-up was ledgered");
    assert!(
        CleanupLedger::outstanding(&ledger).unwrap().is_empty(),
        "{written}"
    );
    let signed_up = written
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|record| {
            let canary = record.get("canary")?;
            (canary.get("kind")? == "signed_up_user")
                .then(|| canary.get("username")?.as_str().map(str::to_owned))?
        })
        .collect();
    Ran {
        exit_code: output.status.code(),
        stdout: format!("{}\n{}", text(&output.stdout), text(&output.stderr)),
        signed_up,
    }
}

/// The real binary with the SDK pointed at `staging` and `keys` as the ambient credentials.
fn xtenant(
    staging: &LocalStaging,
    (key_id, secret_key): (&str, &str),
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
        .env("AWS_ACCESS_KEY_ID", key_id)
        .env("AWS_SECRET_ACCESS_KEY", secret_key)
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

/// Whether `username` still exists in the pool, as the staging administrator sees it.
async fn exists(staging: &LocalStaging, username: &str) -> bool {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(staging.endpoint())
        .credentials_provider(Credentials::new(ADMIN.0, ADMIN.1, None, None, "test"))
        .load()
        .await;
    match aws_sdk_cognitoidentityprovider::Client::new(&config)
        .admin_get_user()
        .user_pool_id(POOL)
        .username(username)
        .send()
        .await
    {
        Ok(_) => true,
        Err(error) if error.code() == Some("UserNotFoundException") => false,
        Err(error) => panic!("AdminGetUser: {error:?}"),
    }
}

fn breach_line(stdout: &str) -> bool {
    stdout
        .lines()
        .any(|line| line.starts_with("BREACH ") && line.split_whitespace().nth(1) == Some(CASE))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ambient_credentials_that_may_confirm_let_the_signed_up_user_sign_in_and_try_the_row() {
    let staging = start_staging().await;
    let ran = run_with(&staging, ADMIN).await;
    assert_eq!(ran.exit_code, Some(exit_code::BREACH), "{}", ran.stdout);
    assert!(
        breach_line(&ran.stdout),
        "{CASE} is a breach:\n{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains(
            "confirmed with AdminConfirmSignUp and the ambient credentials; it signed in"
        ),
        "{}",
        ran.stdout
    );
    assert!(!ran.signed_up.is_empty());
    for username in &ran.signed_up {
        assert!(!exists(&staging, username).await, "{username} is left");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ambient_credentials_that_may_not_confirm_leave_a_breach_whose_row_was_not_tried() {
    let staging = start_staging().await;
    let ran = run_with(&staging, AUDITOR).await;
    assert_eq!(ran.exit_code, Some(exit_code::BREACH), "{}", ran.stdout);
    assert!(
        breach_line(&ran.stdout),
        "{CASE} is a breach:\n{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains(
            "AdminConfirmSignUp with the ambient credentials was refused (AccessDeniedException), so the deny-everywhere row was not tried"
        ),
        "{}",
        ran.stdout
    );
    assert!(!ran.signed_up.is_empty());
    for username in &ran.signed_up {
        assert!(!exists(&staging, username).await, "{username} is left");
    }
}
