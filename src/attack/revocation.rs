//! revocation (opt-in, `attacks.revocation: true`, because it ends the user's session):
//! GlobalSignOut with the user's access token, then the old ID token must mint no
//! credentials and the old refresh token must be refused. An identity pool checks the user
//! pool for a global sign-out only when its provider has ServerSideTokenCheck on; without
//! it the revoked ID token keeps minting credentials until it expires, which this case
//! reports as the breach it is
//! (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html,
//! https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html).
//! Credentials minted before the sign-out cannot be revoked and stay valid until they
//! expire; the case states their remaining lifetime and does not count it against the pool.

use super::actor::Actor;
use super::calls::credentials_for_identity;
use super::kind::AttackKind;
use super::planning::case;
use super::target::AttackTarget;
use crate::identity::sign_in;
use crate::identity::{IdentityError, UserAccess};
use crate::probe::{Attempt, CallEnd, Classification, Observation, Verdict};
use crate::scenario::{PlannedProbe, Scenario};
use aws_sdk_cognitoidentityprovider::error::SdkError;
use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::time::SystemTime;

const METHOD: &str = "revocation";
const API: &str = "cognito-identity:GetCredentialsForIdentity";

/// One case per signed-in user that gets credentials, when `attacks.revocation` is on.
pub fn revocation_cases(scenario: &Scenario) -> Vec<PlannedProbe> {
    if !scenario.attacks.runs(AttackKind::Revocation) {
        return Vec::new();
    }
    scenario
        .users
        .iter()
        .filter(|user| !user.guest && !user.credentials_refused)
        .map(|user| {
            case(
                scenario,
                user,
                AttackTarget {
                    kind: AttackKind::Revocation,
                    role_arn: None,
                    victim: None,
                    claims: Vec::new(),
                    reach: Vec::new(),
                },
            )
        })
        .collect()
}

pub async fn revocation(actor: Actor<'_>) -> Attempt {
    let provider = &actor.session.provider;
    let identity = match actor.identity().await {
        Ok(identity) => identity,
        Err(reason) => return not_made(reason),
    };
    let (tokens, credentials_expiry) = provider.current_tokens().await;
    let Some(tokens) = tokens else {
        return not_made("the user holds no user-pool tokens to revoke".to_owned());
    };
    let UserAccess::SignedIn { pool, username, .. } = &provider.spec().access else {
        return not_made("a guest has no user-pool session to revoke".to_owned());
    };
    let clients = provider.sign_in_clients();
    // GlobalSignOut revokes the user's access and refresh tokens (its API reference).
    if let Err(error) = clients
        .unsigned
        .global_sign_out()
        .access_token(tokens.access_token.expose())
        .send()
        .await
    {
        return not_made(format!(
            "GlobalSignOut failed ({}), so nothing was revoked",
            error.code().unwrap_or("no error code")
        ));
    }
    let redactor = &actor.session.spec.redactor;
    let minted = credentials_for_identity(
        redactor,
        &provider.exchange_clients().identity,
        &identity.identity_id,
        &identity.logins,
        None,
    )
    .await;
    let refreshed = match &tokens.refresh_token {
        Some(refresh_token) => Some(
            sign_in::refresh(
                clients,
                &actor.session.spec.name,
                pool,
                username,
                refresh_token,
            )
            .await,
        ),
        None => None,
    };
    let lifetime = remaining_lifetime(credentials_expiry);
    let id_token = match &minted {
        Ok(_) => Err("GetCredentialsForIdentity still issued credentials for the ID token revoked by GlobalSignOut (ServerSideTokenCheck is off for this provider)".to_owned()),
        // The pool's refusal of a signed-out user: 400 Not Authorized (CognitoIdentityProvider type).
        Err(observation) if observation.error_code.as_deref() == Some("NotAuthorizedException") => {
            Ok("the revoked ID token was refused (NotAuthorizedException)".to_owned())
        }
        Err(observation) => Ok(format!(
            "UNSURE: GetCredentialsForIdentity with the revoked ID token answered {}",
            answer(observation)
        )),
    };
    let refresh = match refreshed {
        None => Ok("UNSURE: the user holds no refresh token to try".to_owned()),
        Some(Ok(new_tokens)) => {
            new_tokens.register_with(redactor);
            Err("REFRESH_TOKEN_AUTH still issued tokens for the refresh token revoked by GlobalSignOut".to_owned())
        }
        // A revoked refresh token: NotAuthorizedException "Refresh Token has been revoked"
        // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#API_InitiateAuth_Errors).
        Some(Err(error)) => match refresh_error_code(&error).as_deref() {
            Some("NotAuthorizedException") => {
                Ok("the revoked refresh token was refused (NotAuthorizedException)".to_owned())
            }
            other => Ok(format!(
                "UNSURE: REFRESH_TOKEN_AUTH with the revoked refresh token answered {}",
                other.unwrap_or("without an error code")
            )),
        },
    };
    let classification = match (id_token, refresh) {
        (Err(breach), _) | (_, Err(breach)) => Classification {
            verdict: Verdict::Allowed,
            denial: None,
            reason: format!("{breach}; {lifetime}"),
        },
        (Ok(first), Ok(second)) => {
            let unsure = first.starts_with("UNSURE: ") || second.starts_with("UNSURE: ");
            let reason = format!(
                "after GlobalSignOut {}; {}; {lifetime}",
                first.trim_start_matches("UNSURE: "),
                second.trim_start_matches("UNSURE: ")
            );
            Classification {
                verdict: if unsure {
                    Verdict::Inconclusive
                } else {
                    Verdict::Denied
                },
                denial: None,
                reason,
            }
        }
    };
    Attempt {
        api_call: API.to_owned(),
        method: METHOD.to_owned(),
        observation: Some(match minted {
            Ok(_) => Observation::success(None, None),
            Err(observation) => observation,
        }),
        classification,
        read_evidence: None,
    }
}

/// Credentials already minted cannot be revoked: how long those of this user stay valid.
fn remaining_lifetime(expiry: Option<SystemTime>) -> String {
    match expiry.map(|expiry| expiry.duration_since(SystemTime::now())) {
        Some(Ok(left)) => format!(
            "credentials minted before the sign-out stay valid for {} more seconds (AWS cannot revoke them; not a breach)",
            left.as_secs()
        ),
        Some(Err(_)) => "credentials minted before the sign-out have expired".to_owned(),
        None => "no credentials were minted for this user before the sign-out".to_owned(),
    }
}

fn answer(observation: &Observation) -> String {
    match (&observation.end, &observation.error_code) {
        (CallEnd::ServiceError, Some(code)) => code.clone(),
        _ => observation
            .transport_detail
            .clone()
            .unwrap_or_else(|| "no detail".to_owned()),
    }
}

/// The AWS error code of a failed REFRESH_TOKEN_AUTH, if the service answered.
fn refresh_error_code(error: &IdentityError) -> Option<String> {
    let IdentityError::SignIn { source, .. } = error else {
        return None;
    };
    source
        .downcast_ref::<SdkError<InitiateAuthError, Response>>()
        .and_then(|error| error.code().map(str::to_owned))
}

fn not_made(reason: String) -> Attempt {
    Attempt::not_made(
        API,
        METHOD,
        format!("the revocation could not be tried: {reason}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn pacific() -> Scenario {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pacific/matrix.yaml");
        crate::scenario::load(&file).expect("a shipped scenario is valid")
    }

    #[test]
    fn revocation_is_off_unless_switched_on_and_then_covers_every_user_with_credentials() {
        let mut scenario = pacific();
        assert!(revocation_cases(&scenario).is_empty());
        assert!(
            !scenario
                .plan()
                .probes
                .iter()
                .any(|p| p.name.0.contains("::attack::revocation::"))
        );
        scenario.attacks.enabled.insert(AttackKind::Revocation);
        let names: Vec<String> = revocation_cases(&scenario)
            .into_iter()
            .map(|case| case.name.to_string())
            .collect();
        // Not the guest, not acme-newcomer (`credentials: refused`).
        assert_eq!(
            names,
            [
                "acme-alice::attack::revocation::session",
                "acme-bob::attack::revocation::session",
                "globex-carol::attack::revocation::session",
                "globex-dave::attack::revocation::session",
                "initech-erin::attack::revocation::session",
                "initech-frank::attack::revocation::session",
            ]
        );
    }

    #[test]
    fn the_remaining_lifetime_of_earlier_credentials_is_stated_not_judged() {
        let later = SystemTime::now() + std::time::Duration::from_secs(3000);
        let said = remaining_lifetime(Some(later));
        assert!(said.contains("stay valid for 29"), "{said}");
        assert!(said.contains("not a breach"));
        assert!(remaining_lifetime(None).contains("no credentials were minted"));
    }
}
