//! unmapped: a user declared `credentials: refused` (no role mapping rule matches it) asks
//! for credentials. With AmbiguousRoleResolution Deny the pool refuses
//! (NotAuthorizedException); with AuthenticatedRole it falls back to the default role,
//! which is what this case catches
//! (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html).

use super::actor::Actor;
use super::calls::{caller_role, credentials_for_identity};
use super::escalation::AttackAttempt;
use super::refusal::IdentityCall;
use super::verdict::{not_tried, obtained, refused};

const METHOD: &str = "unmapped";
const CALL: IdentityCall = IdentityCall::GetCredentialsForIdentity { custom_role: false };

/// Any credentials the pool hands out are the escalation.
pub async fn unmapped(actor: Actor<'_>) -> AttackAttempt {
    let identity = match actor.identity().await {
        Ok(identity) => identity,
        Err(reason) => return AttackAttempt::only(not_tried(CALL, METHOD, reason)),
    };
    let clients = actor.session.provider.exchange_clients();
    match credentials_for_identity(
        &actor.session.spec.redactor,
        &clients.identity,
        &identity.identity_id,
        &identity.logins,
        None,
    )
    .await
    {
        Ok(credentials) => {
            let role = caller_role(&actor.session.spec.target, &credentials)
                .await
                .unwrap_or_else(|reason| format!("a role that could not be read ({reason})"));
            let attempt = obtained(
                CALL,
                METHOD,
                format!(
                    "the identity pool gave a user no mapping should match credentials carrying `{role}`"
                ),
            );
            AttackAttempt::escalated(attempt, role, credentials)
        }
        Err(observation) => AttackAttempt::only(refused(CALL, METHOD, observation)),
    }
}
