//! What every user of a run can share: one HTTP client (and so one connection pool) per
//! trust setting, and one set of unsigned Cognito and STS clients per target. Each SDK
//! config otherwise builds its own HTTP client, so a run of a hundred users kept hundreds
//! of pools open; requests are signed per call, so sharing a pool shares no identity.

use super::target::AwsTarget;
use aws_config::SdkConfig;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

/// The unsigned clients of the sign-in and the exchange: Cognito's InitiateAuth, GetId,
/// GetCredentialsForIdentity, GetOpenIdToken and STS AssumeRoleWithWebIdentity are calls
/// without AWS credentials, the same for every user of a target.
#[derive(Debug, Clone)]
pub struct UnsignedClients {
    pub config: SdkConfig,
    pub user_pool: aws_sdk_cognitoidentityprovider::Client,
    pub identity: aws_sdk_cognitoidentity::Client,
    pub sts: aws_sdk_sts::Client,
}

/// The process's HTTP client for the given trusted authority (`None`: the usual roots).
/// It keeps one connector per connect and read timeout, so targets with different
/// patience still share it.
// The client caches connectors by `HttpConnectorSettings`
// (https://docs.rs/aws-smithy-http-client/latest/aws_smithy_http_client/struct.Builder.html#method.build_with_connector_fn).
pub fn http_client(trusted_authority_pem: Option<&str>) -> SharedHttpClient {
    static CLIENTS: OnceLock<Mutex<HashMap<Option<String>, SharedHttpClient>>> = OnceLock::new();
    let mut clients = CLIENTS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    clients
        .entry(trusted_authority_pem.map(str::to_owned))
        .or_insert_with(|| match trusted_authority_pem {
            Some(pem) => super::target::trusting_only(pem),
            None => usual_roots(),
        })
        .clone()
}

/// The unsigned clients for `target`, built at the first call and shared after.
pub async fn unsigned_clients(target: &AwsTarget) -> UnsignedClients {
    static CLIENTS: OnceLock<Mutex<HashMap<AwsTarget, UnsignedClients>>> = OnceLock::new();
    let clients = CLIENTS.get_or_init(Mutex::default);
    let known = clients
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(target)
        .cloned();
    if let Some(known) = known {
        return known;
    }
    // Two users starting at once may both build them; the first stored wins, and both
    // sets share the one HTTP client anyway.
    let config = target
        .sdk_config(super::target::CredentialsSource::Unsigned)
        .await;
    let built = UnsignedClients {
        user_pool: aws_sdk_cognitoidentityprovider::Client::new(&config),
        identity: aws_sdk_cognitoidentity::Client::new(&config),
        sts: aws_sdk_sts::Client::new(&config),
        config,
    };
    clients
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(target.clone())
        .or_insert(built)
        .clone()
}

/// The SDK's default HTTPS client (rustls with aws-lc, proxies from the environment), built
/// once instead of once per SDK config.
// The default client aws-smithy-runtime builds for `default-https-client`
// (https://docs.rs/aws-smithy-http-client/latest/aws_smithy_http_client/).
fn usual_roots() -> SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::{Builder, ConnectorBuilder, tls};
    Builder::new().build_with_connector_fn(|settings, runtime_components| {
        let mut connector = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = runtime_components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn users_of_one_target_share_unsigned_clients_and_one_http_client() {
        let target = AwsTarget::new("eu-west-3", Some("http://127.0.0.1:9".to_owned()));
        let first = unsigned_clients(&target).await;
        let second = unsigned_clients(&target).await;
        assert_eq!(first.config.endpoint_url(), Some("http://127.0.0.1:9"));
        assert_eq!(second.config.endpoint_url(), first.config.endpoint_url());
        assert!(
            first.config.http_client().is_some(),
            "the shared client, not a new default"
        );
        let signed = target
            .sdk_config(super::super::target::CredentialsSource::Ambient)
            .await;
        assert!(
            signed.http_client().is_some(),
            "every config gets the shared client"
        );
        let other = AwsTarget::new("eu-west-3", Some("http://127.0.0.1:10".to_owned()));
        assert_eq!(
            unsigned_clients(&other).await.config.endpoint_url(),
            Some("http://127.0.0.1:10"),
            "another target gets its own clients"
        );
    }
}
