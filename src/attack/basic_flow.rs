//! basic-flow: the user's own identity through the basic (classic) flow, GetOpenIdToken
//! then STS AssumeRoleWithWebIdentity naming a role the pool does not give the user.
//! Shows a pool with the classic flow on whose roles trust the pool's token without
//! restricting which role a client may pick
//! (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html).

use super::actor::Actor;
use super::calls::assume_role_with_web_identity;
use super::escalation::AttackAttempt;
use super::refusal::IdentityCall;
use super::verdict::{not_tried, obtained, refused};
use crate::identity::exchange::session_name;

const METHOD: &str = "basic-flow";

/// Tries for `role_arn` through the basic flow. The OpenID token is asked for once per
/// user; its refusal is the denial of every role. Credentials obtained are the escalation.
pub async fn basic_flow(actor: Actor<'_>, role_arn: &str) -> AttackAttempt {
    let token = match actor.open_id_token().await {
        Err(reason) => {
            return AttackAttempt::only(not_tried(IdentityCall::GetOpenIdToken, METHOD, reason));
        }
        Ok(Err(observation)) => {
            let refusal = refused(IdentityCall::GetOpenIdToken, METHOD, observation);
            return AttackAttempt::only(refusal);
        }
        Ok(Ok(token)) => token,
    };
    let sts = &actor.session.provider.exchange_clients().sts;
    let name = session_name(&actor.session.spec.name);
    match assume_role_with_web_identity(&actor.session.spec.redactor, sts, role_arn, &name, &token)
        .await
    {
        Ok(credentials) => AttackAttempt::escalated(
            obtained(
                IdentityCall::AssumeRoleWithWebIdentity,
                METHOD,
                format!(
                    "AssumeRoleWithWebIdentity returned credentials for `{role_arn}` with the user's basic-flow token"
                ),
            ),
            role_arn.to_owned(),
            credentials,
        ),
        Err(observation) => AttackAttempt::only(refused(
            IdentityCall::AssumeRoleWithWebIdentity,
            METHOD,
            observation,
        )),
    }
}
