//! The benchmark's baseline: a bare aws-sdk-rust loop making the same sign-ins and calls
//! as `xtenant run` on a world from `xtenant sim generate`, against a standalone local
//! staging, with none of the harness (no verdicts, ledger, records, reports).
//!
//! ```text
//! cargo run --example bare_baseline -- ENDPOINT TENANTS USERS_PER_TENANT RESOURCES [CONCURRENCY]
//! ```
//!
//! Per user: InitiateAuth (USER_PASSWORD_AUTH), GetId, GetCredentialsForIdentity,
//! GetCallerIdentity. Per cell (every tenant's every object): GetObject, PutObject with
//! `If-None-Match: *`, DeleteObject with an impossible `If-Match`, HeadObject and, after a
//! 403 HEAD, the one-byte ranged GetObject xtenant pairs it with. Prints one line:
//! `bare: probes=N users=U seconds=S probes_per_second=P`.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use aws_sdk_s3::primitives::ByteStream;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use xtenant::sim::scale_world::ScaleWorld;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |index: usize, default: Option<usize>| -> usize {
        args.get(index)
            .and_then(|text| text.parse().ok())
            .or(default)
            .unwrap_or_else(|| {
                eprintln!(
                    "usage: bare_baseline ENDPOINT TENANTS USERS_PER_TENANT RESOURCES [CONCURRENCY]"
                );
                std::process::exit(4)
            })
    };
    let Some(endpoint) = args.first().cloned() else {
        eprintln!("usage: bare_baseline ENDPOINT TENANTS USERS_PER_TENANT RESOURCES [CONCURRENCY]");
        std::process::exit(4)
    };
    let world = ScaleWorld {
        tenants: number(1, None),
        users_per_tenant: number(2, None),
        resources: number(3, None),
    };
    let concurrency = number(4, Some(16));
    let started = Instant::now();
    let unsigned = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(ScaleWorld::region()))
        .endpoint_url(&endpoint)
        .no_credentials()
        .load()
        .await;
    let permits = Arc::new(Semaphore::new(concurrency));
    let mut users = tokio::task::JoinSet::new();
    for tenant in 0..world.tenants {
        for index in 0..world.users_per_tenant {
            let user = world.user(tenant, index);
            let unsigned = unsigned.clone();
            let endpoint = endpoint.clone();
            let permits = permits.clone();
            users.spawn(async move { run_user(world, &user, &unsigned, &endpoint, permits).await });
        }
    }
    let mut probes = 0usize;
    while let Some(done) = users.join_next().await {
        probes += done.expect("a user's task finishes");
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "bare: probes={probes} users={} seconds={seconds:.3} probes_per_second={:.0}",
        world.user_count(),
        probes as f64 / seconds
    );
}

/// Signs `user` in, then probes every cell; returns the cells probed.
async fn run_user(
    world: ScaleWorld,
    user: &str,
    unsigned: &SdkConfig,
    endpoint: &str,
    permits: Arc<Semaphore>,
) -> usize {
    let credentials = {
        let _permit = permits.acquire().await.expect("the semaphore stays open");
        sign_in(user, unsigned).await
    };
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(ScaleWorld::region()))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .load()
        .await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    {
        let _permit = permits.acquire().await.expect("the semaphore stays open");
        aws_sdk_sts::Client::new(&config)
            .get_caller_identity()
            .send()
            .await
            .expect("GetCallerIdentity answers");
    }
    let mut cells = tokio::task::JoinSet::new();
    for tenant in 0..world.tenants {
        for resource in 0..world.resources {
            let key = ScaleWorld::object_key(&world.tenant(tenant), resource);
            for action in 0..4 {
                let s3 = s3.clone();
                let key = key.clone();
                let permits = permits.clone();
                cells.spawn(async move {
                    let _permit = permits.acquire().await.expect("the semaphore stays open");
                    probe(&s3, &key, action).await;
                });
            }
        }
    }
    let mut probed = 0;
    while let Some(done) = cells.join_next().await {
        done.expect("a probe finishes");
        probed += 1;
    }
    probed
}

/// The enhanced flow: InitiateAuth, GetId, GetCredentialsForIdentity.
async fn sign_in(user: &str, unsigned: &SdkConfig) -> Credentials {
    let password = ScaleWorld::password(user);
    let auth = aws_sdk_cognitoidentityprovider::Client::new(unsigned)
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(ScaleWorld::client_id())
        .auth_parameters("USERNAME", user)
        .auth_parameters("PASSWORD", password)
        .send()
        .await
        .expect("InitiateAuth answers");
    let id_token = auth
        .authentication_result()
        .and_then(|result| result.id_token())
        .expect("an ID token")
        .to_owned();
    let provider = format!(
        "cognito-idp.{}.amazonaws.com/{}",
        ScaleWorld::region(),
        ScaleWorld::user_pool_id()
    );
    let identity = aws_sdk_cognitoidentity::Client::new(unsigned);
    let id = identity
        .get_id()
        .identity_pool_id(ScaleWorld::identity_pool_id())
        .logins(&provider, &id_token)
        .send()
        .await
        .expect("GetId answers");
    let issued = identity
        .get_credentials_for_identity()
        .identity_id(id.identity_id().expect("an identity id"))
        .logins(&provider, &id_token)
        .send()
        .await
        .expect("GetCredentialsForIdentity answers");
    let issued = issued.credentials().expect("credentials");
    Credentials::new(
        issued.access_key_id().expect("an access key id"),
        issued.secret_key().expect("a secret key"),
        issued.session_token().map(str::to_owned),
        None,
        "bare-baseline",
    )
}

/// One cell's calls, outcomes ignored (the baseline measures the cost of the calls).
async fn probe(s3: &aws_sdk_s3::Client, key: &str, action: usize) {
    let bucket = ScaleWorld::bucket();
    match action {
        0 => drop(s3.get_object().bucket(bucket).key(key).send().await),
        1 => drop(
            s3.put_object()
                .bucket(bucket)
                .key(key)
                .if_none_match("*")
                .body(ByteStream::from_static(b"bare baseline canary"))
                .send()
                .await,
        ),
        2 => drop(
            s3.delete_object()
                .bucket(bucket)
                .key(key)
                .if_match("\"00000000000000000000000000000000\"")
                .send()
                .await,
        ),
        _ => {
            let head = s3.head_object().bucket(bucket).key(key).send().await;
            let forbidden = head
                .as_ref()
                .err()
                .and_then(|error| error.raw_response())
                .is_some_and(|response| response.status().as_u16() == 403);
            if forbidden {
                drop(
                    s3.get_object()
                        .bucket(bucket)
                        .key(key)
                        .range("bytes=0-0")
                        .send()
                        .await,
                );
            }
        }
    }
}
