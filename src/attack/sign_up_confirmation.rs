//! Confirming a self-signed-up user the pool left unconfirmed (`UserConfirmed: false`), so
//! the sign-up case can still sign it in and try the deny-everywhere row: AdminConfirmSignUp
//! with the ambient credentials, the administrator's call that needs no code
//! (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html).
//! The user is already in the ledger, so whatever happens here it is deleted by the case,
//! the end-of-run cleanup or `xtenant cleanup`.

use crate::identity::{AwsTarget, CredentialsSource};
use crate::probe::Observation;
use crate::redaction::Redactor;
use aws_credential_types::provider::ProvideCredentials;

/// Confirms `username` in `user_pool_id`; the error says, without a secret, why the user
/// stays unconfirmed.
pub async fn admin_confirm_sign_up(
    target: &AwsTarget,
    redactor: &Redactor,
    user_pool_id: &str,
    username: &str,
) -> Result<(), String> {
    let ambient = target.sdk_config(CredentialsSource::Ambient).await;
    let Some(provider) = ambient.credentials_provider() else {
        return Err("no ambient credentials to confirm it with AdminConfirmSignUp".to_owned());
    };
    match provider.provide_credentials().await {
        Ok(credentials) => {
            redactor.register_str(credentials.secret_access_key());
            if let Some(session_token) = credentials.session_token() {
                redactor.register_str(session_token);
            }
        }
        Err(_) => {
            return Err(
                "the ambient credentials to confirm it with AdminConfirmSignUp could not be loaded"
                    .to_owned(),
            );
        }
    }
    let client = aws_sdk_cognitoidentityprovider::Client::new(&ambient);
    match client
        .admin_confirm_sign_up()
        .user_pool_id(user_pool_id)
        .username(username)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(error) => {
            let observation = Observation::from_sdk_error(&error);
            Err(match observation.error_code {
                Some(code) => {
                    format!("AdminConfirmSignUp with the ambient credentials was refused ({code})")
                }
                None => format!(
                    "AdminConfirmSignUp with the ambient credentials got no answer ({})",
                    observation
                        .transport_detail
                        .map(|detail| redactor.scrub(&detail))
                        .unwrap_or_else(|| "no detail".to_owned())
                ),
            })
        }
    }
}
