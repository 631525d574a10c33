//! Local staging for the harness tests: the world in `tests/fixtures/harness`, started
//! in-process on a loopback port, and the users, IAM-user clients and probes the tests
//! need. Only the tests touch `xtenant::sim`; the harness reaches it over HTTP.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_smithy_types::retry::RetryConfig;
use std::time::Duration;
use xtenant::identity::sign_in::SignInClients;
use xtenant::identity::{
    AwsTarget, CredentialsSource, IdentityFlow, SignInFlow, UserAccess, UserPoolClient, UserSpec,
};
use xtenant::scenario::{
    Action, Expectation, ExpectationSource, ItemKey, KeyValue, PlannedProbe, ProbeName,
    ResourceTarget,
};
use xtenant::secret::SecretString;
use xtenant::sim::{LocalStaging, World};

pub const WORLD_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/harness/local_staging_world.yaml"
);
pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";
pub const USER_POOL_ID: &str = "us-east-1_XtHarness1";
pub const IDENTITY_POOL_ID: &str = "us-east-1:7d3c9a10-4b2e-4f61-8a0d-3e5f7a9b1c20";
pub const WEB_CLIENT_ID: &str = "xtharnesswebclient000000001";
pub const SECRET_CLIENT_ID: &str = "xtharnesssecretclient000001";
pub const CLIENT_SECRET: &str = "xt-backend-client-secret-local-staging-only";
pub const BUCKET: &str = "xt-tenant-data";

/// The IAM user allowed `cognito-idp:AdminInitiateAuth` and every data read-back.
pub const ADMIN_KEY_ID: &str = "AKIAXTHARNESSADMIN01";
pub const ADMIN_SECRET_KEY: &str = "staging-admin-secret-key-local-only";
/// The IAM user allowed nothing.
pub const BYSTANDER_KEY_ID: &str = "AKIAXTHARNESSBYST001";
pub const BYSTANDER_SECRET_KEY: &str = "bystander-secret-key-local-only";

/// The world's user pool users and their passwords.
pub const ALICE: (&str, &str) = ("acme-alice", "Acme-Alice-Pa55!");
pub const AMY: (&str, &str) = ("acme-auditor-amy", "Acme-Amy-Pa55!");
pub const GUS: (&str, &str) = ("globex-gus", "Globex-Gus-Pa55!");
pub const PAT: (&str, &str) = ("plain-pat", "Plain-Pat-Pa55!");
pub const FRED: (&str, &str) = ("fresh-fred", "Fresh-Fred-Pa55!");

pub fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// Starts local staging with the harness world on an ephemeral loopback port.
pub async fn start() -> LocalStaging {
    let world = World::load(WORLD_PATH).expect("the harness world is valid");
    LocalStaging::start(world, None)
        .await
        .expect("local staging starts")
}

/// The harness's target for local staging: short timeouts, so a hang fails the test fast.
pub fn target(staging: &LocalStaging) -> AwsTarget {
    AwsTarget {
        region: REGION.to_owned(),
        endpoint_url: Some(staging.endpoint().to_owned()),
        attempt_timeout: Duration::from_secs(5),
        operation_timeout: Duration::from_secs(10),
        max_attempts: 2,
        initial_backoff: Duration::from_millis(10),
        trusted_authority_pem: staging.tls_authority_pem().map(str::to_owned),
    }
}

pub fn web_client() -> UserPoolClient {
    UserPoolClient {
        user_pool_id: USER_POOL_ID.to_owned(),
        client_id: WEB_CLIENT_ID.to_owned(),
        client_secret: None,
    }
}

pub fn secret_client() -> UserPoolClient {
    UserPoolClient {
        user_pool_id: USER_POOL_ID.to_owned(),
        client_id: SECRET_CLIENT_ID.to_owned(),
        client_secret: Some(SecretString::new(CLIENT_SECRET)),
    }
}

/// A signed-in user of the world through `pool` with `flow`, exchanged by `identity_flow`.
pub fn signed_in_user(
    staging: &LocalStaging,
    (username, password): (&str, &str),
    pool: UserPoolClient,
    flow: SignInFlow,
    identity_flow: IdentityFlow,
) -> UserSpec {
    UserSpec {
        name: username.to_owned(),
        tenant: username.split('-').next().unwrap_or(username).to_owned(),
        access: UserAccess::SignedIn {
            pool,
            username: username.to_owned(),
            password: SecretString::new(password),
            flow,
        },
        identity_pool_id: IDENTITY_POOL_ID.to_owned(),
        identity_flow,
        target: target(staging),
        expected_role: None,
        redactor: xtenant::redaction::Redactor::default(),
    }
}

/// A user signing in with USER_PASSWORD_AUTH on the web client, enhanced flow.
pub fn web_user(staging: &LocalStaging, account: (&str, &str)) -> UserSpec {
    signed_in_user(
        staging,
        account,
        web_client(),
        SignInFlow::UserPassword,
        IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
    )
}

/// An unauthenticated guest of the identity pool.
pub fn guest(staging: &LocalStaging) -> UserSpec {
    UserSpec {
        name: "guest".to_owned(),
        tenant: "public".to_owned(),
        access: UserAccess::Guest,
        identity_pool_id: IDENTITY_POOL_ID.to_owned(),
        identity_flow: IdentityFlow::Enhanced {
            custom_role_arn: None,
        },
        target: target(staging),
        expected_role: None,
        redactor: xtenant::redaction::Redactor::default(),
    }
}

/// An SDK config signing with an IAM user's long-term keys, retries off.
pub async fn iam_user_config(
    staging: &LocalStaging,
    access_key_id: &str,
    secret_access_key: &str,
) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(staging.endpoint())
        .retry_config(RetryConfig::disabled())
        .credentials_provider(Credentials::new(
            access_key_id,
            secret_access_key,
            None,
            None,
            "xtenant-harness-test",
        ))
        .load()
        .await
}

pub async fn admin_config(staging: &LocalStaging) -> SdkConfig {
    iam_user_config(staging, ADMIN_KEY_ID, ADMIN_SECRET_KEY).await
}

/// Sign-in clients whose ADMIN_USER_PASSWORD_AUTH client signs with `ambient`: the
/// credentials a security team's CI job would have.
pub async fn sign_in_clients(staging: &LocalStaging, ambient: Option<&SdkConfig>) -> SignInClients {
    let unsigned = target(staging)
        .sdk_config(CredentialsSource::Unsigned)
        .await;
    SignInClients {
        unsigned: aws_sdk_cognitoidentityprovider::Client::new(&unsigned),
        ambient: ambient.map(aws_sdk_cognitoidentityprovider::Client::new),
    }
}

/// An S3 client for local staging: path-style, since `bucket.127.0.0.1` does not resolve.
pub fn s3_client(config: &SdkConfig) -> aws_sdk_s3::Client {
    let s3_config = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(s3_config)
}

/// A planned probe of `user` (of `tenant`) against `target`.
pub fn planned(
    user: &str,
    tenant: &str,
    resource: &str,
    target: ResourceTarget,
    action: Action,
    expectation: Expectation,
) -> PlannedProbe {
    PlannedProbe {
        name: ProbeName::from(format!("{user}::{tenant}/{resource}::{action}")),
        user: user.to_owned().into(),
        tenant: tenant.to_owned().into(),
        resource: resource.to_owned().into(),
        target: target.into(),
        action,
        expectation,
        source: ExpectationSource::CrossTenantDefault.into(),
        shape: None,
    }
}

pub fn object(tenant: &str) -> ResourceTarget {
    ResourceTarget::S3Object {
        bucket: BUCKET.to_owned(),
        key: format!("{tenant}/report.csv"),
    }
}

pub fn prefix(tenant: &str) -> ResourceTarget {
    ResourceTarget::S3Prefix {
        bucket: BUCKET.to_owned(),
        prefix: format!("{tenant}/"),
    }
}

pub fn item(tenant: &str) -> ResourceTarget {
    ResourceTarget::DynamoDbItem {
        table: format!("{tenant}-records"),
        key: Box::new(ItemKey {
            partition: ("tenant".to_owned(), KeyValue::S(tenant.to_owned())),
            sort: Some(("id".to_owned(), KeyValue::N("1".to_owned()))),
        }),
    }
}

pub fn secret(tenant: &str) -> ResourceTarget {
    ResourceTarget::Secret {
        secret_id: format!("{tenant}/db"),
    }
}

/// One user's probe clients, signing with their session, and a ledger in a scratch folder.
pub struct UserBench {
    pub clients: xtenant::probe::ProbeClients,
    pub ledger: xtenant::ledger::CleanupLedger,
    _dir: tempfile::TempDir,
}

impl UserBench {
    pub async fn new(spec: &UserSpec) -> UserBench {
        let session = xtenant::identity::UserSession::establish(spec)
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "{}",
                    aws_smithy_types::error::display::DisplayErrorContext(&error)
                )
            });
        let clients = xtenant::probe::ProbeClients::new(&session.config);
        let dir = tempfile::tempdir().expect("a scratch folder");
        let ledger = xtenant::ledger::CleanupLedger::open(dir.path().join("ledger.jsonl"))
            .expect("the ledger opens");
        UserBench {
            clients,
            ledger,
            _dir: dir,
        }
    }

    pub async fn run(&self, probe: &PlannedProbe) -> xtenant::probe::ProbeRecord {
        xtenant::probe::Prober::new(&self.clients, &self.ledger)
            .run(probe)
            .await
    }

    /// Canary intents of this user's probes that are still unresolved.
    pub fn outstanding_canaries(&self) -> usize {
        self.ledger
            .outstanding_intents()
            .expect("the ledger reads back")
            .len()
    }
}
