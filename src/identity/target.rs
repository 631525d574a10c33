//! Where the harness's AWS calls go and how patiently: region, endpoint override (local
//! staging), timeouts and retries.

use aws_config::identity::IdentityCache;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use std::time::Duration;

/// The AWS account region and endpoint every call of a run uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AwsTarget {
    pub region: String,
    /// `http://127.0.0.1:PORT` for local staging; `None` for AWS itself.
    pub endpoint_url: Option<String>,
    /// Per-attempt timeout.
    pub attempt_timeout: Duration,
    /// Whole-operation timeout, retries included.
    pub operation_timeout: Duration,
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// The first retry's backoff; later ones grow from it.
    pub initial_backoff: Duration,
    /// A certificate authority (PEM) to trust instead of the system's: the one local
    /// staging generated when it was started with TLS. `None` trusts the usual roots.
    pub trusted_authority_pem: Option<String>,
}

impl AwsTarget {
    /// A target with the SDK's usual patience: 3 attempts, 10 s per attempt, 30 s in all.
    pub fn new(region: impl Into<String>, endpoint_url: Option<String>) -> AwsTarget {
        AwsTarget {
            region: region.into(),
            endpoint_url,
            attempt_timeout: Duration::from_secs(10),
            operation_timeout: Duration::from_secs(30),
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            trusted_authority_pem: None,
        }
    }

    /// Sets one attempt's limit; the whole operation's limit grows if it no longer leaves
    /// room for every attempt.
    pub fn set_attempt_timeout(&mut self, attempt_timeout: Duration) {
        self.attempt_timeout = attempt_timeout;
        self.operation_timeout = self
            .operation_timeout
            .max(attempt_timeout * self.max_attempts);
    }

    /// Where the SDK's credentials come from for one set of clients.
    pub async fn sdk_config(&self, credentials: CredentialsSource) -> SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_types::region::Region::new(self.region.clone()))
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(self.max_attempts)
                    .with_initial_backoff(self.initial_backoff),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(self.attempt_timeout)
                    .operation_timeout(self.operation_timeout)
                    .connect_timeout(self.attempt_timeout)
                    .build(),
            );
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        // Every config of the run shares one HTTP client and its connection pool.
        loader = loader.http_client(super::shared_clients::http_client(
            self.trusted_authority_pem.as_deref(),
        ));
        loader = match credentials {
            // Cognito's InitiateAuth, GetId, GetCredentialsForIdentity, GetOpenIdToken and
            // STS AssumeRoleWithWebIdentity are unsigned calls.
            CredentialsSource::Unsigned => loader.no_credentials(),
            CredentialsSource::Ambient => loader,
            // A user's provider caches and renews its credentials itself, and drops them when
            // a service rejects them as expired; an SDK cache in front of it would keep
            // signing with the rejected ones until their declared expiry
            // (https://docs.rs/aws-config/latest/aws_config/struct.ConfigLoader.html#method.identity_cache).
            CredentialsSource::Provider(provider) => loader
                .credentials_provider(provider)
                .identity_cache(IdentityCache::no_cache()),
        };
        loader.load().await
    }
}

/// An HTTPS client that trusts only the given authority (local staging's), with the same
/// rustls and aws-lc stack as the SDK's default client.
/// See <https://docs.rs/aws-smithy-http-client/latest/aws_smithy_http_client/tls/struct.TrustStore.html>.
pub(super) fn trusting_only(
    authority_pem: &str,
) -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls;
    let trust_store = tls::TrustStore::empty()
        .with_native_roots(false)
        .with_pem_certificate(authority_pem.as_bytes().to_vec());
    let context = tls::TlsContext::builder()
        .with_trust_store(trust_store)
        .build()
        .expect("a trust store of one PEM certificate is a valid TLS context");
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .tls_context(context)
        .build_https()
}

/// Which credentials a set of clients signs with.
#[derive(Debug, Clone)]
pub enum CredentialsSource {
    /// No credentials: for the unsigned Cognito and STS calls.
    Unsigned,
    /// aws-config's default chain (environment, profile, instance role).
    Ambient,
    /// A user's temporary credentials.
    Provider(SharedCredentialsProvider),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_longer_attempt_timeout_leaves_room_for_every_attempt() {
        let mut target = AwsTarget::new("us-east-1", None);
        target.set_attempt_timeout(Duration::from_secs(1));
        assert_eq!(target.attempt_timeout, Duration::from_secs(1));
        assert_eq!(target.operation_timeout, Duration::from_secs(30));
        target.set_attempt_timeout(Duration::from_secs(20));
        assert_eq!(target.operation_timeout, Duration::from_secs(60));
    }
}
