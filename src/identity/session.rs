//! Becoming one user: sign-in, exchange, caller identity, and the SDK config every probe of
//! that user signs with.

use super::credentials_provider::UserCredentialsProvider;
use super::error::IdentityError;
use super::evidence::UserEvidence;
use super::exchange::ExchangeClients;
use super::role_check::AssumedRole;
use super::shared_clients::unsigned_clients;
use super::sign_in::SignInClients;
use super::target::CredentialsSource;
use super::user::{SignInFlow, UserAccess, UserSpec};
use aws_config::SdkConfig;
use aws_credential_types::provider::SharedCredentialsProvider;

/// A user who has credentials, with the evidence of who they are on AWS.
#[derive(Debug, Clone)]
pub struct UserSession {
    pub spec: UserSpec,
    /// Signs with the user's cached, self-renewing credentials.
    pub config: SdkConfig,
    pub provider: UserCredentialsProvider,
    pub evidence: UserEvidence,
}

impl UserSession {
    /// Signs the user in, exchanges the identity for credentials and asks STS who they
    /// are. Every failure names the user and never carries a secret.
    pub async fn establish(spec: &UserSpec) -> Result<UserSession, IdentityError> {
        let target = &spec.target;
        let unsigned = unsigned_clients(target).await;
        let needs_ambient = matches!(
            spec.access,
            UserAccess::SignedIn {
                flow: SignInFlow::AdminUserPassword,
                ..
            }
        );
        let ambient = if needs_ambient {
            let config = target.sdk_config(CredentialsSource::Ambient).await;
            Some(aws_sdk_cognitoidentityprovider::Client::new(&config))
        } else {
            None
        };
        let provider = UserCredentialsProvider::new(
            spec.clone(),
            SignInClients {
                unsigned: unsigned.user_pool.clone(),
                ambient,
            },
            ExchangeClients {
                identity: unsigned.identity.clone(),
                sts: unsigned.sts.clone(),
            },
        );
        provider.credentials().await?;
        let config = target
            .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
                provider.clone(),
            )))
            .await;
        // GetCallerIdentity needs no permission, so it reports the role even when every
        // other call is denied (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
        let caller = aws_sdk_sts::Client::new(&config)
            .get_caller_identity()
            .send()
            .await
            .map_err(|error| IdentityError::CallerIdentity {
                user: spec.name.clone(),
                source: Box::new(error),
            })?;
        let claims = provider.role_claims().await;
        let caller_arn = caller.arn().map(str::to_owned);
        let evidence = UserEvidence {
            user: spec.name.clone(),
            tenant: spec.tenant.clone(),
            identity_id: provider.identity_id().await,
            role_arn: caller_arn
                .as_deref()
                .and_then(AssumedRole::parse)
                .map(|role| role.role_arn()),
            caller_arn,
            account: caller.account().map(str::to_owned),
            groups: claims.groups,
            preferred_role: claims.preferred_role,
            roles: claims.roles,
            error: None,
            sign_in_flow: Some(UserEvidence::sign_in_flow_of(spec)),
        };
        Ok(UserSession {
            spec: spec.clone(),
            config,
            provider,
            evidence,
        })
    }
}

impl UserSession {
    /// Signs the user in and gets the identity id, but asks for no credentials: the session
    /// of a user the identity pool is expected to refuse (`credentials: refused`), whose
    /// exchange is the attack case itself. Its config signs with nothing usable.
    pub async fn establish_without_credentials(
        spec: &UserSpec,
    ) -> Result<UserSession, IdentityError> {
        let unsigned = unsigned_clients(&spec.target).await;
        let ambient = match spec.access {
            UserAccess::SignedIn {
                flow: SignInFlow::AdminUserPassword,
                ..
            } => {
                let config = spec.target.sdk_config(CredentialsSource::Ambient).await;
                Some(aws_sdk_cognitoidentityprovider::Client::new(&config))
            }
            _ => None,
        };
        let provider = UserCredentialsProvider::new(
            spec.clone(),
            SignInClients {
                unsigned: unsigned.user_pool.clone(),
                ambient,
            },
            ExchangeClients {
                identity: unsigned.identity.clone(),
                sts: unsigned.sts.clone(),
            },
        );
        let (_, identity_id) = provider.identity().await?;
        let claims = provider.role_claims().await;
        let evidence = UserEvidence {
            user: spec.name.clone(),
            tenant: spec.tenant.clone(),
            identity_id: Some(identity_id),
            groups: claims.groups,
            preferred_role: claims.preferred_role,
            roles: claims.roles,
            sign_in_flow: Some(UserEvidence::sign_in_flow_of(spec)),
            ..UserEvidence::default()
        };
        Ok(UserSession {
            spec: spec.clone(),
            config: unsigned.config,
            provider,
            evidence,
        })
    }
}

impl UserEvidence {
    /// The evidence of a user who never got credentials: the failure, and nothing else. The
    /// error's messages only: its `Debug` form would carry the raw response, which may echo
    /// what the request sent.
    pub fn of_failure(spec: &UserSpec, error: &IdentityError) -> UserEvidence {
        UserEvidence {
            user: spec.name.clone(),
            tenant: spec.tenant.clone(),
            error: Some(crate::error_chain::error_chain(error)),
            sign_in_flow: Some(UserEvidence::sign_in_flow_of(spec)),
            ..UserEvidence::default()
        }
    }
}
