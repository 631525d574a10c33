//! From a validated scenario to what a run needs: the runner's [`RunInput`] (users, tenants,
//! plan, the secrets to scrub) and the harness's [`UserSpec`] for every user.

use super::input::{RunInput, RunUser};
use crate::identity::{AwsTarget, IdentityFlow, SignInFlow, UserAccess, UserPoolClient, UserSpec};
use crate::redaction::Redactor;
use crate::scenario::{self, Plan, Scenario, SecretSourceError};
use std::sync::Arc;

/// A scenario ready to run against one AWS target.
#[derive(Debug, Clone)]
pub struct ScenarioInput {
    pub input: RunInput,
    /// One per scenario user, in scenario order.
    pub users: Vec<UserSpec>,
    /// The users declared `credentials: refused`.
    pub refused_users: Vec<String>,
}

/// A secret the scenario names but the run cannot read.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioInputError {
    #[error("failed to read the password of user `{user}`")]
    Password {
        user: String,
        #[source]
        source: SecretSourceError,
    },
    #[error("failed to read the app client secret")]
    ClientSecret {
        #[source]
        source: SecretSourceError,
    },
    #[error("user `{user}` signs in but has no {missing}")]
    Incomplete { user: String, missing: &'static str },
}

impl ScenarioInput {
    /// Puts `prefix` (for example `pacific::`) before every user name, and so before every
    /// probe and expected-role case name, so that the cases of several scenarios can share
    /// one libtest namespace and its filters.
    pub fn prefix_names(&mut self, prefix: &str) {
        for user in &mut self.input.users {
            user.name.insert_str(0, prefix);
        }
        for spec in &mut self.users {
            spec.name.insert_str(0, prefix);
        }
        for user in &mut self.refused_users {
            user.insert_str(0, prefix);
        }
        let plan = std::sync::Arc::make_mut(&mut self.input.plan);
        if let Some(share) = &mut plan.share {
            for user in &mut share.users {
                user.insert_str(0, prefix);
            }
        }
        // One prefixed name per user, shared again by all of its probes.
        let mut prefixed: std::collections::HashMap<scenario::SharedName, scenario::SharedName> =
            std::collections::HashMap::new();
        for probe in &mut plan.probes {
            probe.user = prefixed
                .entry(probe.user.clone())
                .or_insert_with(|| format!("{prefix}{}", probe.user).into())
                .clone();
            probe.name = crate::scenario::ProbeName::from(format!("{prefix}{}", probe.name));
            if let crate::scenario::ResourceTarget::Identity { attack } =
                std::sync::Arc::make_mut(&mut probe.target)
                && let Some(victim) = &mut attack.victim
            {
                victim.insert_str(0, prefix);
            }
        }
    }
}

/// Maps `scenario` to a run against `target`, reading every password and client secret.
/// Each secret read is registered with the run's redactor (shared by the users' specs, so
/// that the tokens and credentials they are issued are masked too), which masks it
/// wherever a service or library echoes it back.
pub fn scenario_input(
    scenario: &Scenario,
    target: &AwsTarget,
) -> Result<ScenarioInput, ScenarioInputError> {
    planned_scenario_input(scenario, Arc::new(scenario.plan()), target)
}

/// [`scenario_input`] with `scenario`'s plan already made: a caller that planned to check
/// its selection passes that plan on rather than holding two.
pub fn planned_scenario_input(
    scenario: &Scenario,
    plan: Arc<Plan>,
    target: &AwsTarget,
) -> Result<ScenarioInput, ScenarioInputError> {
    let redactor = Redactor::default();
    let pool_target = &scenario.target.user_pool;
    let client_secret = pool_target
        .client_secret
        .as_ref()
        .map(|source| source.resolve())
        .transpose()
        .map_err(|source| ScenarioInputError::ClientSecret { source })?;
    if let Some(secret) = &client_secret {
        redactor.register(secret);
    }
    let pool = UserPoolClient {
        user_pool_id: pool_target.id.clone(),
        client_id: pool_target.client_id.clone(),
        client_secret,
    };
    let flow = match pool_target.sign_in {
        scenario::SignInFlow::UserPassword => SignInFlow::UserPassword,
        scenario::SignInFlow::UserSrp => SignInFlow::UserSrp,
        scenario::SignInFlow::AdminUserPassword => SignInFlow::AdminUserPassword,
        scenario::SignInFlow::Custom => SignInFlow::Custom,
    };

    let mut users = Vec::with_capacity(scenario.users.len());
    for user in &scenario.users {
        let access = if user.guest {
            UserAccess::Guest
        } else {
            let username = user
                .username
                .clone()
                .ok_or_else(|| ScenarioInputError::Incomplete {
                    user: user.name.clone(),
                    missing: "username",
                })?;
            let password = user
                .password
                .as_ref()
                .ok_or_else(|| ScenarioInputError::Incomplete {
                    user: user.name.clone(),
                    missing: "password",
                })?
                .resolve()
                .map_err(|source| ScenarioInputError::Password {
                    user: user.name.clone(),
                    source,
                })?;
            redactor.register(&password);
            UserAccess::SignedIn {
                pool: pool.clone(),
                username,
                password,
                flow,
            }
        };
        let identity_flow = match scenario.target.identity_pool.flow {
            scenario::IdentityFlow::Enhanced => IdentityFlow::Enhanced {
                custom_role_arn: None,
            },
            scenario::IdentityFlow::Basic => IdentityFlow::Basic {
                role_arn: user
                    .role_arn
                    .clone()
                    .ok_or_else(|| ScenarioInputError::Incomplete {
                        user: user.name.clone(),
                        missing: "role to assume (the basic flow needs `role`)",
                    })?,
            },
        };
        users.push(UserSpec {
            name: user.name.clone(),
            tenant: user.tenant.clone().unwrap_or_default(),
            access,
            identity_pool_id: scenario.target.identity_pool.id.clone(),
            identity_flow,
            target: target.clone(),
            expected_role: user.role_arn.clone(),
            redactor: redactor.clone(),
        });
    }
    Ok(ScenarioInput {
        input: RunInput {
            redactor,
            ..input_with_plan(scenario, plan)
        },
        users,
        refused_users: scenario
            .users
            .iter()
            .filter(|user| user.credentials_refused)
            .map(|user| user.name.clone())
            .collect(),
    })
}

/// The cases of `scenario` (plan, users, tenants, expected roles) without reading a single
/// secret: what `--list` needs, which must work without the passwords and touch nothing.
pub fn plan_input(scenario: &Scenario) -> RunInput {
    input_with_plan(scenario, Arc::new(scenario.plan()))
}

/// [`plan_input`] for one shard (`--shard K/N`): its share of the plan only, never the
/// whole plan (see [`super::Shard::share_plan`]).
pub fn shard_plan_input(scenario: &Scenario, shard: Option<super::Shard>) -> RunInput {
    let Some(shard) = shard else {
        return plan_input(scenario);
    };
    RunInput {
        shard: Some(shard),
        ..input_with_plan(scenario, Arc::new(shard.share_plan(scenario)))
    }
}

fn input_with_plan(scenario: &Scenario, plan: Arc<Plan>) -> RunInput {
    RunInput {
        scenario: scenario_name(scenario),
        plan,
        users: scenario
            .users
            .iter()
            .map(|user| RunUser {
                name: user.name.clone(),
                tenant: user.tenant.clone().unwrap_or_default(),
                expected_role_arn: user.role_arn.clone(),
            })
            .collect(),
        redactor: crate::redaction::Redactor::default(),
        metadata: None,
        shard: None,
    }
}

/// The name reports and the ledger are named after: the file stem, or for a scenario kept
/// as `<name>/matrix.yaml` (as the shipped ones are) the folder's name, so that every
/// scenario does not write `reports/matrix.junit.xml`.
pub fn scenario_name(scenario: &Scenario) -> String {
    let stem = scenario.stem();
    if stem != "matrix" {
        return stem;
    }
    scenario
        .file
        .canonicalize()
        .ok()
        .as_deref()
        .and_then(std::path::Path::parent)
        .and_then(std::path::Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or(stem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn pacific() -> Scenario {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pacific/matrix.yaml");
        crate::scenario::load(&file).expect("the shipped PACIFIC scenario is valid")
    }

    #[test]
    fn every_password_is_a_known_secret_and_guests_sign_in_as_no_one() {
        let scenario = pacific();
        let target = AwsTarget::new("us-east-1", Some("http://127.0.0.1:9".to_owned()));
        let mapped = scenario_input(&scenario, &target).unwrap();
        assert_eq!(mapped.input.scenario, "pacific");
        assert_eq!(mapped.users.len(), 8);
        assert_eq!(
            mapped.input.redactor.scrub("echo Acme-Alice-Pa55! back"),
            "echo *** back"
        );
        // The users register what they are issued with the run's redactor.
        mapped.users[1].redactor.register_str("issued-to-bob");
        assert_eq!(mapped.input.redactor.scrub("issued-to-bob"), "***");
        let alice = &mapped.users[0];
        assert_eq!(alice.name, "acme-alice");
        assert_eq!(alice.target, target);
        assert_eq!(
            alice.expected_role.as_deref(),
            Some("arn:aws:iam::111122223333:role/PacificTenantAcme")
        );
        match &alice.access {
            UserAccess::SignedIn { pool, flow, .. } => {
                assert_eq!(pool.user_pool_id, scenario.target.user_pool.id);
                assert_eq!(pool.client_id, scenario.target.user_pool.client_id);
                assert_eq!(*flow, SignInFlow::UserPassword);
            }
            UserAccess::Guest => panic!("alice signs in"),
        }
        let guest = mapped
            .users
            .iter()
            .find(|user| user.name == "guest")
            .unwrap();
        assert_eq!(guest.access, UserAccess::Guest);
        assert_eq!(mapped.input.user("guest").unwrap().tenant, "");
        // 168 matrix probes (acme-newcomer, `credentials: refused`, has no row), 60
        // request-shape cases of the expected-deny list and secret-read cells, and 98 attack
        // cases.
        assert_eq!(mapped.input.plan.probes.len(), 326);
        assert_eq!(mapped.refused_users, ["acme-newcomer"]);
    }

    #[test]
    fn a_prefix_renames_users_probes_and_specs_alike() {
        let target = AwsTarget::new("us-east-1", None);
        let mut mapped = scenario_input(&pacific(), &target).unwrap();
        mapped.prefix_names("pacific::");
        let probe = &mapped.input.plan.probes[0];
        assert!(probe.name.0.starts_with("pacific::"), "{}", probe.name.0);
        assert!(probe.user.starts_with("pacific::"));
        assert!(mapped.input.user(&probe.user).is_some());
        assert!(mapped.users.iter().any(|spec| spec.name == probe.user));
    }

    #[test]
    fn the_plan_input_names_every_case_without_reading_a_password() {
        let mut scenario = pacific();
        scenario.users[0].password = Some(crate::scenario::SecretSource::Env(
            "XTENANT_TEST_SURELY_UNSET_PASSWORD".to_owned(),
        ));
        let listed = plan_input(&scenario);
        let mapped = scenario_input(&pacific(), &AwsTarget::new("us-east-1", None)).unwrap();
        // No password was read: the listing's redactor knows none of them.
        assert_eq!(listed.redactor.scrub("Acme-Bob-Pa55!"), "Acme-Bob-Pa55!");
        assert_eq!(listed.plan, mapped.input.plan);
        assert_eq!(listed.users, mapped.input.users);
        assert_eq!(listed.scenario, "pacific");
    }

    #[test]
    fn a_missing_password_variable_names_the_user_and_the_variable_only() {
        let mut scenario = pacific();
        scenario.users[0].password = Some(crate::scenario::SecretSource::Env(
            "XTENANT_TEST_SURELY_UNSET_PASSWORD".to_owned(),
        ));
        let error = scenario_input(&scenario, &AwsTarget::new("us-east-1", None)).unwrap_err();
        assert_eq!(
            crate::error_chain::error_chain(&error),
            "failed to read the password of user `acme-alice`: environment variable \
             `XTENANT_TEST_SURELY_UNSET_PASSWORD` is not set"
        );
    }
}
