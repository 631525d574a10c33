//! custom-role-arn: GetCredentialsForIdentity with CustomRoleArn naming a role the pool
//! does not give the user. Shows a token mapping where a user's `cognito:roles` holds a
//! role the user should not pick (a second group whose precedence was meant to decide)
//! (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html,
//! https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html).

use super::actor::Actor;
use super::calls::{caller_role, credentials_for_identity};
use super::escalation::AttackAttempt;
use super::refusal::IdentityCall;
use super::target::role_name;
use super::verdict::{not_obtained, not_tried, obtained, refused};
use crate::identity::role_check::AssumedRole;

const METHOD: &str = "custom-role-arn";
const CALL: IdentityCall = IdentityCall::GetCredentialsForIdentity { custom_role: true };

/// Asks for `role_arn`; credentials count as obtained unless GetCallerIdentity shows they
/// carry the user's own role (the pool ignored the CustomRoleArn). Credentials that are
/// not the user's own are the escalation.
pub async fn custom_role_arn(actor: Actor<'_>, role_arn: &str) -> AttackAttempt {
    let identity = match actor.identity().await {
        Ok(identity) => identity,
        Err(reason) => return AttackAttempt::only(not_tried(CALL, METHOD, reason)),
    };
    let clients = actor.session.provider.exchange_clients();
    let issued = credentials_for_identity(
        &actor.session.spec.redactor,
        &clients.identity,
        &identity.identity_id,
        &identity.logins,
        Some(role_arn),
    )
    .await;
    let credentials = match issued {
        Ok(credentials) => credentials,
        Err(observation) => return AttackAttempt::only(refused(CALL, METHOD, observation)),
    };
    let caller = match caller_role(&actor.session.spec.target, &credentials).await {
        Ok(caller) => caller,
        Err(reason) => {
            return AttackAttempt::only(not_tried(
                CALL,
                METHOD,
                format!("credentials were issued but their role could not be read: {reason}"),
            ));
        }
    };
    let carried = AssumedRole::parse(&caller).map(|role| role.role_arn());
    let carried_name = carried.as_deref().map(role_name);
    let own = actor.session.spec.expected_role.as_deref().map(role_name);
    if carried_name == Some(role_name(role_arn)) {
        let attempt = obtained(
            CALL,
            METHOD,
            format!(
                "GetCredentialsForIdentity honoured CustomRoleArn: the credentials carry `{caller}`"
            ),
        );
        AttackAttempt::escalated(attempt, caller, credentials)
    } else if carried_name.is_some() && carried_name == own {
        AttackAttempt::only(not_obtained(
            CALL,
            METHOD,
            format!(
                "the identity pool ignored CustomRoleArn: the credentials carry the user's own role (`{caller}`)"
            ),
        ))
    } else {
        let attempt = obtained(
            CALL,
            METHOD,
            format!(
                "GetCredentialsForIdentity with CustomRoleArn issued credentials carrying `{caller}`, which is not the user's role"
            ),
        );
        AttackAttempt::escalated(attempt, caller, credentials)
    }
}
