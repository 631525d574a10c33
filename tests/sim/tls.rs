//! Local staging over TLS: a client trusting the authority generated at start talks HTTPS,
//! requests carry `aws:SecureTransport` true, and the usual "deny insecure transport" bucket
//! statement decides as on AWS (allowed over HTTPS, denied over plain HTTP).
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport>.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::primitives::ByteStream;
use aws_smithy_http_client::tls;
use xtenant::sim::{LocalStaging, World};

use crate::support::{credentials, sdk_config};

const WORLD: &str = r#"account_id: "111122223333"
region: us-east-1
iam:
  users:
    - UserName: app
      AccessKeys: [{AccessKeyId: AKIATLSAPP0000000001, SecretAccessKey: tls-app-secret}]
      Policies:
        - PolicyName: objects
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]
s3:
  buckets:
    - Bucket: secure-only
      Policy:
        Statement:
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: ["arn:aws:s3:::secure-only", "arn:aws:s3:::secure-only/*"]
            Condition: {Bool: {"aws:SecureTransport": "false"}}
      Objects:
        - {Key: report.txt, Body: "quarterly"}
"#;

fn world() -> World {
    World::from_yaml(WORLD, "<tls world>").expect("valid world")
}

/// An SDK config signing as the world's user, over HTTPS, trusting only `authority_pem`.
async fn https_config(staging: &LocalStaging, authority_pem: &str) -> SdkConfig {
    let trust = tls::TrustStore::empty()
        .with_native_roots(false)
        .with_pem_certificate(authority_pem.as_bytes().to_vec());
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .tls_context(
            tls::TlsContext::builder()
                .with_trust_store(trust)
                .build()
                .unwrap(),
        )
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(staging.endpoint())
        .retry_config(RetryConfig::disabled())
        .http_client(http_client)
        .credentials_provider(credentials("AKIATLSAPP0000000001", "tls-app-secret", None))
        .load()
        .await
}

async fn get_report(config: &SdkConfig) -> Result<String, String> {
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    );
    match s3
        .get_object()
        .bucket("secure-only")
        .key("report.txt")
        .send()
        .await
    {
        Ok(object) => Ok(String::from_utf8_lossy(
            &object.body.collect().await.unwrap().into_bytes(),
        )
        .into_owned()),
        Err(error) => Err(format!(
            "{:?}",
            aws_sdk_s3::error::ProvideErrorMetadata::code(&error)
        )),
    }
}

#[tokio::test]
async fn over_tls_the_deny_insecure_transport_statement_lets_the_request_through() {
    let staging = LocalStaging::start_tls(world(), None)
        .await
        .expect("starts");
    assert!(staging.endpoint().starts_with("https://127.0.0.1:"));
    let pem = staging
        .tls_authority_pem()
        .expect("an authority")
        .to_owned();
    let config = https_config(&staging, &pem).await;
    assert_eq!(get_report(&config).await.as_deref(), Ok("quarterly"));
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    s3.put_object()
        .bucket("secure-only")
        .key("upload.txt")
        .body(ByteStream::from_static(b"over tls"))
        .send()
        .await
        .expect("a streamed upload over TLS");
}

#[tokio::test]
async fn over_plain_http_the_same_statement_denies() {
    let staging = LocalStaging::start(world(), None).await.expect("starts");
    let config = sdk_config(
        &staging,
        Some(credentials("AKIATLSAPP0000000001", "tls-app-secret", None)),
    )
    .await;
    assert_eq!(
        get_report(&config).await,
        Err("Some(\"AccessDenied\")".to_string())
    );
}

#[tokio::test]
async fn a_client_that_does_not_trust_this_start_s_authority_cannot_connect() {
    let staging = LocalStaging::start_tls(world(), None)
        .await
        .expect("starts");
    let other = LocalStaging::start_tls(world(), None)
        .await
        .expect("starts");
    let config = https_config(&staging, other.tls_authority_pem().unwrap()).await;
    let refused = get_report(&config)
        .await
        .expect_err("an untrusted certificate");
    assert_eq!(refused, "None", "no AWS answer, a TLS failure");
}
