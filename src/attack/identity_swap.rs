//! identity-swap: GetCredentialsForIdentity with another user's identity id and this
//! user's logins. The pool must refuse logins that do not own the identity
//! (NotAuthorizedException, https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html#API_GetCredentialsForIdentity_Errors).

use super::actor::Actor;
use super::calls::credentials_for_identity;
use super::refusal::IdentityCall;
use super::verdict::{not_tried, obtained, refused};
use crate::identity::UserSession;
use crate::probe::Attempt;

const METHOD: &str = "identity-swap";
const CALL: IdentityCall = IdentityCall::GetCredentialsForIdentity { custom_role: false };

pub async fn identity_swap(actor: Actor<'_>, victim: &UserSession) -> Attempt {
    let identity = match actor.identity().await {
        Ok(identity) => identity,
        Err(reason) => return not_tried(CALL, METHOD, reason),
    };
    let victim_id = match victim.provider.identity().await {
        Ok((_, id)) => id,
        Err(error) => {
            return not_tried(
                CALL,
                METHOD,
                format!("the victim's identity id is not available: {error}"),
            );
        }
    };
    if victim_id == identity.identity_id {
        return not_tried(
            CALL,
            METHOD,
            "the victim has the same identity id as the attacker, so a swap proves nothing"
                .to_owned(),
        );
    }
    let clients = actor.session.provider.exchange_clients();
    match credentials_for_identity(
        &actor.session.spec.redactor,
        &clients.identity,
        &victim_id,
        &identity.logins,
        None,
    )
    .await
    {
        Ok(_) => obtained(
            CALL,
            METHOD,
            format!(
                "GetCredentialsForIdentity issued credentials for the identity of `{}` to this user's logins",
                victim.spec.name
            ),
        ),
        Err(observation) => refused(CALL, METHOD, observation),
    }
}
