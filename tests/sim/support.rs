//! Helpers shared by every local-staging test: start local staging from YAML, build an
//! SDK config for it, and mint tokens from a test OIDC provider.

#![allow(dead_code)]

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_smithy_async::time::TimeSource;
use aws_smithy_types::retry::RetryConfig;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};
use xtenant::sim::{LocalStaging, World};

/// Account and region most test worlds use.
pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";

/// Starts local staging on an ephemeral port from a world written in YAML.
pub async fn start(yaml: &str) -> LocalStaging {
    let world = World::from_yaml(yaml, "<test world>").expect("test world is valid");
    LocalStaging::start(world, None)
        .await
        .expect("local staging starts")
}

/// Static credentials (long-term when `session_token` is `None`).
pub fn credentials(
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
) -> Credentials {
    Credentials::new(
        access_key_id,
        secret_access_key,
        session_token.map(str::to_string),
        None,
        "xtenant-test",
    )
}

/// An SDK config aimed at local staging, with the given credentials or none (unsigned
/// requests), and retries off so that error tests are fast and see the first answer.
pub async fn sdk_config(staging: &LocalStaging, credentials: Option<Credentials>) -> SdkConfig {
    sdk_config_shifted(staging, credentials, 0).await
}

/// Like `sdk_config`, with the client's clock moved by `clock_shift_seconds` (signing
/// time), to provoke clock skew or follow local staging's shifted clock.
pub async fn sdk_config_shifted(
    staging: &LocalStaging,
    credentials: Option<Credentials>,
    clock_shift_seconds: i64,
) -> SdkConfig {
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(staging.region().to_string()))
        .endpoint_url(staging.endpoint())
        .retry_config(RetryConfig::disabled())
        .time_source(ShiftedClock(clock_shift_seconds));
    let loader = match credentials {
        Some(credentials) => loader.credentials_provider(credentials),
        None => loader.no_credentials(),
    };
    loader.load().await
}

/// An unsigned SDK config for an endpoint and region read from `sim serve`'s ready output,
/// with retries off.
pub async fn sdk_config_for_endpoint(endpoint: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::disabled())
        .no_credentials()
        .load()
        .await
}

/// An S3 client for local staging: path-style addressing, since `bucket.127.0.0.1` does
/// not resolve.
pub fn s3_client(config: &SdkConfig) -> aws_sdk_s3::Client {
    let s3_config = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(s3_config)
}

#[derive(Debug)]
struct ShiftedClock(i64);

impl TimeSource for ShiftedClock {
    fn now(&self) -> SystemTime {
        let shift = Duration::from_secs(self.0.unsigned_abs());
        if self.0 >= 0 {
            SystemTime::now() + shift
        } else {
            SystemTime::now() - shift
        }
    }
}

/// The HTTP status of an SDK error's response, when a response arrived.
pub fn http_status<E>(
    error: &aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::http::Response,
    >,
) -> Option<u16> {
    error.raw_response().map(|r| r.status().as_u16())
}

/// Seconds since the epoch, now.
pub fn now_epoch() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An OIDC provider for tests: an RSA key, its JWKS, and RS256 token signing.
pub struct TestOidcProvider {
    pub issuer: String,
    pub kid: String,
    key: &'static RsaPrivateKey,
}

/// Key generation is slow; every provider of a test binary shares one of two keys.
fn shared_key(slot: usize) -> &'static RsaPrivateKey {
    static KEYS: [OnceLock<RsaPrivateKey>; 2] = [OnceLock::new(), OnceLock::new()];
    KEYS[slot].get_or_init(|| {
        RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("RSA key generation")
    })
}

impl TestOidcProvider {
    /// A provider whose `iss` is `issuer` (for example `https://idp.example.test`).
    pub fn new(issuer: &str) -> Self {
        TestOidcProvider {
            issuer: issuer.to_string(),
            kid: "test-key-1".to_string(),
            key: shared_key(0),
        }
    }

    /// A provider with the same issuer and key id but a different key: its tokens carry
    /// a signature the real provider's JWKS does not verify.
    pub fn impostor_of(real: &TestOidcProvider) -> Self {
        TestOidcProvider {
            issuer: real.issuer.clone(),
            kid: real.kid.clone(),
            key: shared_key(1),
        }
    }

    /// The public keys as a JWKS document.
    pub fn jwks(&self) -> serde_json::Value {
        let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        serde_json::json!({
            "keys": [{
                "kty": "RSA",
                "alg": "RS256",
                "use": "sig",
                "kid": self.kid,
                "n": b64(self.key.n().to_bytes_be()),
                "e": b64(self.key.e().to_bytes_be()),
            }]
        })
    }

    /// The provider as a world-file `oidc_providers` item (YAML, two-space indented list
    /// item).
    pub fn world_entry(&self, client_ids: &[&str]) -> String {
        format!(
            "  - Url: {}\n    ClientIDList: [{}]\n    Jwks: '{}'\n",
            self.issuer,
            client_ids.join(", "),
            self.jwks()
        )
    }

    /// The federated principal a trust policy names for this provider.
    pub fn federated_principal(&self, account: &str) -> String {
        format!(
            "arn:aws:iam::{account}:oidc-provider/{}",
            self.issuer.trim_start_matches("https://")
        )
    }

    /// Signs claims as an RS256 JWT with this provider's key id.
    pub fn sign(&self, claims: &serde_json::Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        let pem = self
            .key
            .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
            .expect("PEM encoding");
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("RSA signing key");
        jsonwebtoken::encode(&header, claims, &key).expect("JWT signing")
    }

    /// A token valid for an hour with the given subject and audience.
    pub fn token(&self, subject: &str, audience: &str) -> String {
        let now = now_epoch();
        self.sign(&serde_json::json!({
            "iss": self.issuer,
            "sub": subject,
            "aud": audience,
            "iat": now,
            "exp": now + 3600,
        }))
    }
}

/// A response read by `raw_request`.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one hand-written HTTP/1.1 request (for requests an SDK will not produce:
/// unsigned calls, tampered signatures) and reads the whole response.
pub async fn raw_request(
    staging: &LocalStaging,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> RawResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = staging.endpoint().trim_start_matches("http://").to_string();
    let mut stream = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::net::TcpStream::connect(&address),
    )
    .await
    .expect("connect in time")
    .expect("connect");
    let mut request = format!(
        "{method} {path_and_query} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("response in time")
        .expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    RawResponse {
        status,
        headers,
        body: body.to_string(),
    }
}
