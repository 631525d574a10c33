//! Basic-flow cases on the roles seen in this run: a role some user's GetCallerIdentity
//! showed (the roles users actually received) that the scenario never named is tried by
//! every user whose basic-flow cases ran, exactly like a planned basic-flow case. They
//! depend on the run's sign-ins, so the scheduler makes them after every selected case has
//! finished (every selected user has signed in by then); they are not in the static plan.

use super::kind::AttackKind;
use super::planning::attack_case_name;
use super::target::role_name;
use crate::scenario::{PlannedProbe, ResourceTarget};

/// The basic-flow cases for the roles in `observed` (user, role ARN) that no case of
/// `cases` (the run's selected cases) names, one per attacker and role, in case order then
/// role order. A user's own observed role is not an attack on itself.
pub fn observed_role_cases<'a>(
    cases: impl IntoIterator<Item = &'a PlannedProbe>,
    observed: &[(String, String)],
) -> Vec<PlannedProbe> {
    let mut attackers: Vec<(&PlannedProbe, Vec<&str>)> = Vec::new();
    for case in cases {
        let ResourceTarget::Identity { attack } = &*case.target else {
            continue;
        };
        let (AttackKind::BasicFlow, Some(role)) = (attack.kind, attack.role_arn.as_deref()) else {
            continue;
        };
        match attackers
            .iter_mut()
            .find(|(first, _)| first.user == case.user)
        {
            Some((_, tried)) => tried.push(role_name(role)),
            None => attackers.push((case, vec![role_name(role)])),
        }
    }
    // Only roles no planned basic-flow case names: the plan already tries every role the
    // scenario knows on every user but that user's own.
    let planned: Vec<&str> = attackers
        .iter()
        .flat_map(|(_, tried)| tried.iter().copied())
        .collect();
    let mut roles: Vec<&str> = Vec::new();
    for (_, role) in observed {
        let name = role_name(role);
        if !planned.contains(&name) && !roles.iter().any(|known| role_name(known) == name) {
            roles.push(role);
        }
    }
    let mut extra = Vec::new();
    for (first, tried) in attackers {
        let own = observed
            .iter()
            .find(|(user, _)| *user == first.user)
            .map(|(_, role)| role_name(role));
        for role in &roles {
            let name = role_name(role);
            if tried.contains(&name) || own == Some(name) {
                continue;
            }
            let mut case = first.clone();
            if let ResourceTarget::Identity { attack } = std::sync::Arc::make_mut(&mut case.target)
            {
                attack.role_arn = Some((*role).to_owned());
                case.name = attack_case_name(&first.user, AttackKind::BasicFlow, &attack.label());
            }
            extra.push(case);
        }
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_role_seen_in_the_run_but_never_named_is_tried_by_every_basic_flow_attacker() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pacific/matrix.yaml");
        let plan = crate::scenario::load(&file).unwrap().plan();
        let stray = "arn:aws:iam::111122223333:role/LegacyAllTenants";
        let observed = vec![
            (
                "acme-alice".to_owned(),
                "arn:aws:iam::111122223333:role/PacificTenantAcme".to_owned(),
            ),
            ("acme-bob".to_owned(), stray.to_owned()),
        ];
        let extra = observed_role_cases(&plan.probes, &observed);
        let names: Vec<&str> = extra.iter().map(|case| case.name.0.as_str()).collect();
        // Every basic-flow attacker but acme-bob, who received the role himself.
        assert_eq!(
            names,
            [
                "acme-alice::attack::basic-flow::LegacyAllTenants",
                "globex-carol::attack::basic-flow::LegacyAllTenants",
                "globex-dave::attack::basic-flow::LegacyAllTenants",
                "initech-erin::attack::basic-flow::LegacyAllTenants",
                "initech-frank::attack::basic-flow::LegacyAllTenants",
                "acme-newcomer::attack::basic-flow::LegacyAllTenants",
                "guest::attack::basic-flow::LegacyAllTenants",
            ]
        );
        for case in &extra {
            let ResourceTarget::Identity { attack } = &*case.target else {
                panic!("{case:?}")
            };
            assert_eq!(attack.role_arn.as_deref(), Some(stray));
            assert_eq!(case.expectation, crate::scenario::Expectation::Deny);
        }
        // Roles the plan already tries add nothing.
        let known = vec![(
            "acme-alice".to_owned(),
            "arn:aws:iam::111122223333:role/PacificTenantGlobex".to_owned(),
        )];
        assert!(observed_role_cases(&plan.probes, &known).is_empty());
    }
}
