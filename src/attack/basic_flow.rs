//! basic-flow: the user's own identity through the basic (classic) flow, GetOpenIdToken
//! then STS AssumeRoleWithWebIdentity naming a role the pool does not give the user.
//! Shows a pool with the classic flow on whose roles trust the pool's token without
//! restricting which role a client may pick
//! (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html).

use super::actor::Actor;
use super::calls::assume_role_with_web_identity;
use super::refusal::IdentityCall;
use super::verdict::{not_tried, obtained, refused};
use crate::identity::exchange::session_name;
use crate::probe::Attempt;

const METHOD: &str = "basic-flow";

/// Tries for `role_arn` through the basic flow. The OpenID token is asked for once per
/// user; its refusal is the denial of every role.
pub async fn basic_flow(actor: Actor<'_>, role_arn: &str) -> Attempt {
    let token = match actor.open_id_token().await {
        Err(reason) => return not_tried(IdentityCall::GetOpenIdToken, METHOD, reason),
        Ok(Err(observation)) => {
            return refused(IdentityCall::GetOpenIdToken, METHOD, observation);
        }
        Ok(Ok(token)) => token,
    };
    let sts = &actor.session.provider.exchange_clients().sts;
    let name = session_name(&actor.session.spec.name);
    match assume_role_with_web_identity(&actor.session.spec.redactor, sts, role_arn, &name, &token)
        .await
    {
        Ok(_) => obtained(
            IdentityCall::AssumeRoleWithWebIdentity,
            METHOD,
            format!(
                "AssumeRoleWithWebIdentity returned credentials for `{role_arn}` with the user's basic-flow token"
            ),
        ),
        Err(observation) => refused(IdentityCall::AssumeRoleWithWebIdentity, METHOD, observation),
    }
}
