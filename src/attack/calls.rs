//! The identity-layer calls attacks make, each reduced to credentials (or a token) on
//! success and the call's observation otherwise. Nothing here returns or logs a secret
//! except inside the returned credentials, and every token or credential obtained is
//! registered with the run's redactor the moment it arrives.

use crate::identity::{AwsTarget, CredentialsSource};
use crate::probe::Observation;
use crate::redaction::Redactor;
use crate::secret::SecretString;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::HashMap;

/// A call that did not give what was asked: its observation, and the success case of a
/// response that lacked the credentials or token it should carry.
pub type Refused = Observation;

/// GetCredentialsForIdentity with `logins` (none for a guest) and an optional CustomRoleArn.
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html.
pub async fn credentials_for_identity(
    redactor: &Redactor,
    identity: &aws_sdk_cognitoidentity::Client,
    identity_id: &str,
    logins: &HashMap<String, String>,
    custom_role_arn: Option<&str>,
) -> Result<Credentials, Refused> {
    let result = identity
        .get_credentials_for_identity()
        .identity_id(identity_id)
        .set_logins((!logins.is_empty()).then(|| logins.clone()))
        .set_custom_role_arn(custom_role_arn.map(str::to_owned))
        .send()
        .await;
    let output = result.map_err(|error| Observation::from_sdk_error(&error))?;
    let issued = output.credentials();
    match issued.and_then(|c| Some((c.access_key_id()?, c.secret_key()?, c.session_token()?))) {
        Some((key, secret, session)) => Ok(registered(
            redactor,
            Credentials::new(
                key,
                secret,
                Some(session.to_owned()),
                None,
                "xtenant-attack",
            ),
        )),
        None => Err(incomplete(
            "GetCredentialsForIdentity returned no credentials",
        )),
    }
}

/// GetId without logins: a new unauthenticated identity, when the pool gives them out.
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html.
pub async fn guest_identity_id(
    identity: &aws_sdk_cognitoidentity::Client,
    identity_pool_id: &str,
) -> Result<String, Refused> {
    let output = identity
        .get_id()
        .identity_pool_id(identity_pool_id)
        .send()
        .await
        .map_err(|error| Observation::from_sdk_error(&error))?;
    output
        .identity_id()
        .map(str::to_owned)
        .ok_or_else(|| incomplete("GetId returned no IdentityId"))
}

/// GetOpenIdToken for an identity: the basic (classic) flow's first step.
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html.
pub async fn open_id_token(
    redactor: &Redactor,
    identity: &aws_sdk_cognitoidentity::Client,
    identity_id: &str,
    logins: &HashMap<String, String>,
) -> Result<SecretString, Refused> {
    let output = identity
        .get_open_id_token()
        .identity_id(identity_id)
        .set_logins((!logins.is_empty()).then(|| logins.clone()))
        .send()
        .await
        .map_err(|error| Observation::from_sdk_error(&error))?;
    output
        .token()
        .map(|token| {
            redactor.register_str(token);
            SecretString::new(token.to_owned())
        })
        .ok_or_else(|| incomplete("GetOpenIdToken returned no Token"))
}

/// STS AssumeRoleWithWebIdentity with an identity pool's OpenID token.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html.
pub async fn assume_role_with_web_identity(
    redactor: &Redactor,
    sts: &aws_sdk_sts::Client,
    role_arn: &str,
    session_name: &str,
    token: &SecretString,
) -> Result<Credentials, Refused> {
    let output = sts
        .assume_role_with_web_identity()
        .role_arn(role_arn)
        .role_session_name(session_name)
        .web_identity_token(token.expose())
        .send()
        .await
        .map_err(|error| Observation::from_sdk_error(&error))?;
    match output.credentials() {
        Some(issued) => Ok(registered(
            redactor,
            Credentials::new(
                issued.access_key_id(),
                issued.secret_access_key(),
                Some(issued.session_token().to_owned()),
                None,
                "xtenant-attack",
            ),
        )),
        None => Err(incomplete(
            "AssumeRoleWithWebIdentity returned no credentials",
        )),
    }
}

/// The role ARN `credentials` carry, by GetCallerIdentity (which needs no permission:
/// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
pub async fn caller_role(target: &AwsTarget, credentials: &Credentials) -> Result<String, String> {
    let config = target
        .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
            credentials.clone(),
        )))
        .await;
    let output = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .map_err(|error| {
            format!(
                "GetCallerIdentity with the credentials failed: {}",
                error.code().unwrap_or("no error code")
            )
        })?;
    output
        .arn()
        .map(str::to_owned)
        .ok_or_else(|| "GetCallerIdentity returned no ARN".to_owned())
}

/// Registers the secret parts of `credentials` with `redactor`, and hands them back.
fn registered(redactor: &Redactor, credentials: Credentials) -> Credentials {
    redactor.register_str(credentials.secret_access_key());
    if let Some(session_token) = credentials.session_token() {
        redactor.register_str(session_token);
    }
    credentials
}

/// A success response without the part that makes it a success.
fn incomplete(detail: &str) -> Observation {
    Observation {
        end: crate::probe::CallEnd::MalformedResponse,
        // The SDK parsed a success, whose exact status it does not keep.
        http_status: None,
        error_code: None,
        error_message: None,
        request_id: None,
        transport_detail: Some(detail.to_owned()),
        shape_problem: None,
    }
}
