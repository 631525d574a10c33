//! Attack cases generated from the scenario alone: every user tries every other way of
//! getting credentials that the scenario's own roles and users make possible.

use super::kind::AttackKind;
use super::target::{AttackTarget, ReachProbe, role_name};
use crate::scenario::{
    Action, Expectation, ExpectationSource, PlannedProbe, ProbeName, ResourceTarget, Scenario,
    SharedName, User,
};

/// The user name of the guest attack case when the scenario lists no guest.
pub const GUEST_USER: &str = "guest";

/// The user name of the sign-up attack case: a stranger with no account.
pub const STRANGER_USER: &str = "stranger";

/// The name of an attack case: `{user}::attack::{kind}::{target}`.
pub fn attack_case_name(user: &str, kind: AttackKind, label: &str) -> ProbeName {
    ProbeName::from(format!("{user}::attack::{kind}::{label}"))
}

/// Every role the scenario knows: each user's `role`, then `attacks.roles`, once each.
pub fn known_roles(scenario: &Scenario) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    let declared = scenario
        .users
        .iter()
        .filter_map(|user| user.role_arn.as_ref());
    for role in declared.chain(&scenario.attacks.roles) {
        if !roles
            .iter()
            .any(|known| role_name(known) == role_name(role))
        {
            roles.push(role.clone());
        }
    }
    roles
}

/// Every attack case of the scenario, user by user in file order, then the guest case.
pub fn attack_cases(scenario: &Scenario) -> Vec<PlannedProbe> {
    let settings = &scenario.attacks;
    let roles = known_roles(scenario);
    let mut cases = Vec::new();
    for user in &scenario.users {
        let others = || {
            roles.iter().filter(|role| {
                user.role_arn
                    .as_deref()
                    .is_none_or(|own| role_name(own) != role_name(role))
            })
        };
        if settings.runs(AttackKind::BasicFlow) {
            for role in others() {
                cases.push(case(
                    scenario,
                    user,
                    AttackTarget {
                        kind: AttackKind::BasicFlow,
                        role_arn: Some(role.clone()),
                        victim: None,
                        reach: Vec::new(),
                        claims: Vec::new(),
                    },
                ));
            }
        }
        // CustomRoleArn and identity ids with logins are for authenticated identities.
        if user.guest {
            continue;
        }
        if settings.runs(AttackKind::CustomRoleArn) {
            for role in others() {
                cases.push(case(
                    scenario,
                    user,
                    AttackTarget {
                        kind: AttackKind::CustomRoleArn,
                        role_arn: Some(role.clone()),
                        victim: None,
                        reach: Vec::new(),
                        claims: Vec::new(),
                    },
                ));
            }
        }
        if settings.runs(AttackKind::IdentitySwap) {
            let victims = scenario
                .users
                .iter()
                .filter(|v| !v.guest && v.name != user.name);
            for victim in victims {
                cases.push(case(
                    scenario,
                    user,
                    AttackTarget {
                        kind: AttackKind::IdentitySwap,
                        role_arn: None,
                        victim: Some(victim.name.clone()),
                        reach: Vec::new(),
                        claims: Vec::new(),
                    },
                ));
            }
        }
        if user.credentials_refused && settings.runs(AttackKind::Unmapped) {
            cases.push(case(
                scenario,
                user,
                AttackTarget {
                    kind: AttackKind::Unmapped,
                    role_arn: None,
                    victim: None,
                    reach: Vec::new(),
                    claims: Vec::new(),
                },
            ));
        }
        if settings.runs(AttackKind::ClaimTamper)
            && let Some(victim) = claim_victim(scenario, user)
        {
            cases.push(case(
                scenario,
                user,
                AttackTarget {
                    kind: AttackKind::ClaimTamper,
                    role_arn: None,
                    victim: Some(victim.name.clone()),
                    reach: denied_cells_of(scenario, user, victim),
                    claims: settings.claims.clone(),
                },
            ));
        }
    }
    let lists_guest = scenario.users.iter().any(|user| user.guest);
    let name_taken = scenario.user(GUEST_USER).is_some();
    if settings.runs(AttackKind::Guest) && !lists_guest && !name_taken {
        let guest = User {
            name: GUEST_USER.to_owned(),
            tenant: None,
            username: None,
            password: None,
            role_arn: None,
            guest: true,
            credentials_refused: false,
        };
        cases.push(case(
            scenario,
            &guest,
            AttackTarget {
                kind: AttackKind::Guest,
                role_arn: None,
                victim: None,
                reach: every_cell(scenario),
                claims: Vec::new(),
            },
        ));
    }
    let stranger_name_taken = scenario.user(STRANGER_USER).is_some();
    let claims_from = scenario
        .users
        .iter()
        .find(|user| !user.guest && user.tenant.is_some());
    if settings.runs(AttackKind::SignUp)
        && !stranger_name_taken
        && let Some(victim) = claims_from
    {
        let stranger = User {
            name: STRANGER_USER.to_owned(),
            tenant: None,
            username: None,
            password: None,
            role_arn: None,
            guest: true,
            credentials_refused: false,
        };
        cases.push(case(
            scenario,
            &stranger,
            AttackTarget {
                kind: AttackKind::SignUp,
                role_arn: None,
                victim: Some(victim.name.clone()),
                reach: every_cell(scenario),
                claims: Vec::new(),
            },
        ));
    }
    cases.extend(super::foreign_token::foreign_token_cases(scenario, &roles));
    cases.extend(super::revocation::revocation_cases(scenario));
    cases
}

/// The user whose claims a tamper by `user` copies: the first signed-in user of another
/// tenant, in file order.
fn claim_victim<'s>(scenario: &'s Scenario, user: &User) -> Option<&'s User> {
    let tenant = user.tenant.as_deref()?;
    if user.guest {
        return None;
    }
    scenario
        .users
        .iter()
        .find(|other| !other.guest && other.tenant.as_deref().is_some_and(|t| t != tenant))
}

/// The cells of the victim's tenant that the matrix expects denied for `user`: what a
/// tampered identity must still not reach.
fn denied_cells_of(scenario: &Scenario, user: &User, victim: &User) -> Vec<ReachProbe> {
    let Some(tenant) = victim.tenant.as_deref() else {
        return Vec::new();
    };
    let mut reach = Vec::new();
    for resource in &scenario.resources {
        let target = resource.template.render(tenant);
        for action in &resource.actions {
            let name =
                crate::scenario::expand::probe_name(&user.name, tenant, &resource.name, action);
            let (expectation, _) = scenario.expectation_of(user, tenant, resource, action, &name);
            if expectation == Expectation::Deny {
                reach.push(ReachProbe {
                    tenant: tenant.to_owned(),
                    resource: resource.name.clone(),
                    target: target.clone(),
                    action: action.clone(),
                });
            }
        }
    }
    reach
}

/// Every tenant × resource × action of the matrix, for an identity expected denied
/// everywhere.
fn every_cell(scenario: &Scenario) -> Vec<ReachProbe> {
    let mut reach = Vec::new();
    for tenant in &scenario.tenants {
        for resource in &scenario.resources {
            let target = resource.template.render(tenant);
            for action in &resource.actions {
                reach.push(ReachProbe {
                    tenant: tenant.clone(),
                    resource: resource.name.clone(),
                    target: target.clone(),
                    action: action.clone(),
                });
            }
        }
    }
    reach
}

pub(super) fn case(scenario: &Scenario, user: &User, attack: AttackTarget) -> PlannedProbe {
    let kind = attack.kind;
    let name = attack_case_name(&user.name, kind, &attack.label());
    let (expectation, source) = match scenario.attacks.allowance(&name.0) {
        Some(allowed) => (
            Expectation::Allow,
            ExpectationSource::AttackAllowed {
                index: allowed.index,
                description: allowed.description.clone(),
            },
        ),
        None => (
            Expectation::Deny,
            ExpectationSource::Attack {
                attack: kind,
                rule: kind.rule().to_owned(),
                reference: kind.reference().to_owned(),
            },
        ),
    };
    PlannedProbe {
        name,
        user: user.name.clone().into(),
        tenant: user.tenant.clone().unwrap_or_default().into(),
        resource: format!("attack:{kind}").into(),
        target: ResourceTarget::Identity {
            attack: Box::new(attack),
        }
        .into(),
        action: Action::Api(SharedName::interned(kind.api())),
        expectation,
        source: source.into(),
        shape: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn shipped(name: &str) -> Scenario {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name)
            .join("matrix.yaml");
        crate::scenario::load(&file).expect("a shipped scenario is valid")
    }

    fn names(cases: &[PlannedProbe]) -> Vec<&str> {
        cases.iter().map(|case| case.name.0.as_str()).collect()
    }

    #[test]
    fn every_user_tries_every_other_role_and_identity_and_a_missing_guest_is_added() {
        let cases = attack_cases(&shipped("admin-editor"));
        let names = names(&cases);
        assert_eq!(cases.len(), 26, "{names:#?}");
        assert!(names.contains(&"acme-ed::attack::basic-flow::WikiAdmin"));
        assert!(names.contains(&"acme-ed::attack::custom-role-arn::WikiAdmin"));
        assert!(names.contains(&"acme-ed::attack::identity-swap::globex-gwen"));
        assert!(names.contains(&"guest::attack::guest::identity-pool"));
        // The user's own role is not an attack.
        assert!(!names.contains(&"acme-ed::attack::basic-flow::WikiEditor"));
        assert!(!names.contains(&"acme-ed::attack::identity-swap::acme-ed"));
        let guest = cases
            .iter()
            .find(|case| case.name.0 == "guest::attack::guest::identity-pool")
            .unwrap();
        match &*guest.target {
            ResourceTarget::Identity { attack } => assert_eq!(attack.reach.len(), 10),
            other => panic!("{other:?}"),
        }
        assert!(
            cases
                .iter()
                .all(|case| case.resource.starts_with("attack:"))
        );
    }

    #[test]
    fn attacks_are_expected_denied_unless_the_scenario_allows_them() {
        let cases = attack_cases(&shipped("admin-editor"));
        for case in &cases {
            let allowed = case.name.0 == "acme-ada::attack::custom-role-arn::WikiEditor";
            let expected = if allowed {
                Expectation::Allow
            } else {
                Expectation::Deny
            };
            assert_eq!(case.expectation, expected, "{}", case.name);
            assert_eq!(
                matches!(*case.source, ExpectationSource::AttackAllowed { .. }),
                allowed
            );
        }
    }

    #[test]
    fn a_listed_guest_attacks_through_the_basic_flow_only_and_refused_users_have_no_row() {
        let scenario = shipped("pacific");
        let cases = attack_cases(&scenario);
        let names = names(&cases);
        assert_eq!(cases.len(), 98);
        assert!(names.contains(&"guest::attack::basic-flow::PacificTenantAcme"));
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with("guest::attack::custom-role-arn"))
        );
        assert!(!names.iter().any(|n| n.contains("::attack::guest::")));
        assert!(names.contains(&"acme-newcomer::attack::unmapped::identity-pool"));
        let plan = scenario.plan();
        assert!(
            !plan
                .probes
                .iter()
                .any(|p| p.user == "acme-newcomer" && !p.name.0.contains("::attack::"))
        );
    }

    #[test]
    fn each_user_tampers_toward_another_tenant_s_user_and_a_stranger_signs_up_once() {
        let scenario = shipped("rules-claim");
        let cases = attack_cases(&scenario);
        let tamper: Vec<&PlannedProbe> = cases
            .iter()
            .filter(|case| case.name.0.contains("::attack::claim-tamper::"))
            .collect();
        let names: Vec<&str> = tamper.iter().map(|case| case.name.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "acme-ann::attack::claim-tamper::globex-gus",
                "globex-gus::attack::claim-tamper::acme-ann",
                "initech-ivy::attack::claim-tamper::acme-ann",
            ]
        );
        match &*tamper[0].target {
            ResourceTarget::Identity { attack } => {
                // The victim's tenant only: settings read, write; api-key read, write,
                // DescribeSecret; all denied to acme-ann by the cross-tenant rule.
                assert_eq!(attack.reach.len(), 5);
                assert!(attack.reach.iter().all(|cell| cell.tenant == "globex"));
            }
            other => panic!("{other:?}"),
        }
        let sign_up = cases.last().unwrap();
        assert_eq!(sign_up.name.0, "stranger::attack::sign-up::user-pool");
        assert_eq!(sign_up.expectation, Expectation::Deny);
        match &*sign_up.target {
            ResourceTarget::Identity { attack } => {
                assert_eq!(attack.victim.as_deref(), Some("acme-ann"));
                assert_eq!(attack.reach.len(), 15, "every tenant's cells");
                assert!(!attack.needs_session());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_claim_the_matrix_allows_across_tenants_is_not_in_the_tamper_s_reach() {
        let mut scenario = shipped("rules-claim");
        scenario.attacks.claims = vec!["department".to_owned()];
        scenario.overrides.push(crate::scenario::Override {
            index: 0,
            description: None,
            users: vec![crate::scenario::pattern::Pattern::new("acme-ann")],
            tenants: vec![crate::scenario::pattern::Pattern::new("globex")],
            resources: vec![crate::scenario::pattern::Pattern::new("settings")],
            actions: vec![crate::scenario::pattern::Pattern::new("read")],
            relation: None,
            expectation: Expectation::Allow,
        });
        let cases = attack_cases(&scenario);
        let tamper = cases
            .iter()
            .find(|case| case.name.0 == "acme-ann::attack::claim-tamper::globex-gus")
            .unwrap();
        match &*tamper.target {
            ResourceTarget::Identity { attack } => {
                assert_eq!(attack.reach.len(), 4);
                assert!(
                    !attack
                        .reach
                        .iter()
                        .any(|cell| cell.resource == "settings" && cell.action == Action::Read)
                );
                assert_eq!(attack.claims, ["department"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn switched_off_kinds_plan_nothing() {
        let mut scenario = shipped("books");
        scenario.attacks.enabled.clear();
        assert!(attack_cases(&scenario).is_empty());
    }
}
