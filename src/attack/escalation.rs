//! Escalation: the credentials an attack obtained for a role the user should not have, and
//! the re-run of the user's matrix row with them. The re-run cases are named
//! `{attack case}::{tenant}/{resource}::{action}` and keep the row's expectations, so the
//! report shows what the escalated role reaches; they exist only when the attack succeeds,
//! so they are not in the static plan.

use crate::probe::Attempt;
use crate::scenario::{Expectation, ExpectationSource, PlannedProbe, ProbeName, ResourceTarget};
use aws_credential_types::Credentials;
use std::fmt;

/// Credentials an attack obtained, already registered with the run's redactor.
#[derive(Clone)]
pub struct Escalation {
    /// The role (or assumed-role ARN) the credentials carry.
    pub role: String,
    pub credentials: Credentials,
}

/// Never prints the credentials.
impl fmt::Debug for Escalation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Escalation")
            .field("role", &self.role)
            .field("credentials", &"<redacted>")
            .finish()
    }
}

/// What one attack kind did: its attempt, and the credentials it obtained, if any.
#[derive(Debug)]
pub struct AttackAttempt {
    pub attempt: Attempt,
    pub escalation: Option<Escalation>,
}

impl AttackAttempt {
    /// An attempt that obtained nothing to re-run a row with.
    pub fn only(attempt: Attempt) -> AttackAttempt {
        AttackAttempt {
            attempt,
            escalation: None,
        }
    }

    /// An attempt that obtained `credentials` carrying `role`.
    pub fn escalated(attempt: Attempt, role: String, credentials: Credentials) -> AttackAttempt {
        AttackAttempt {
            attempt,
            escalation: Some(Escalation { role, credentials }),
        }
    }
}

/// The re-run of `case`'s user row with the case's escalated credentials: every matrix
/// cell of the user in plan order, with the cell's own expectation (the cells' request-shape
/// cases aside: the re-run shows what the escalation reaches, not how each API is decided). A user with no row (a
/// user declared `credentials: refused`, or the foreign pool's guest) should hold no
/// credentials at all, so every cell of the plan is re-run expected denied.
pub fn escalated_cases(
    plan: &[PlannedProbe],
    case: &PlannedProbe,
    role: &str,
) -> Vec<PlannedProbe> {
    let is_cell = |probe: &&PlannedProbe| {
        !matches!(*probe.target, ResourceTarget::Identity { .. }) && probe.shape.is_none()
    };
    let row: Vec<&PlannedProbe> = plan
        .iter()
        .filter(is_cell)
        .filter(|probe| probe.user == case.user)
        .collect();
    if !row.is_empty() {
        return row
            .into_iter()
            .map(|cell| escalated(case, role, cell, cell.expectation, Some(&*cell.source)))
            .collect();
    }
    let mut cells: Vec<&PlannedProbe> = Vec::new();
    for cell in plan.iter().filter(is_cell) {
        let seen = cells.iter().any(|known| {
            known.tenant == cell.tenant
                && known.resource == cell.resource
                && known.action == cell.action
        });
        if !seen {
            cells.push(cell);
        }
    }
    cells
        .into_iter()
        .map(|cell| escalated(case, role, cell, Expectation::Deny, None))
        .collect()
}

/// Whether a case name is a re-run of `attack_case` (`{attack case}::…`).
pub fn is_rerun_of(name: &ProbeName, attack_case: &ProbeName) -> bool {
    name.0
        .strip_prefix(attack_case.0.as_str())
        .is_some_and(|rest| rest.starts_with("::"))
}

fn escalated(
    case: &PlannedProbe,
    role: &str,
    cell: &PlannedProbe,
    expectation: Expectation,
    original: Option<&ExpectationSource>,
) -> PlannedProbe {
    PlannedProbe {
        name: ProbeName::from(format!(
            "{}::{}/{}::{}",
            case.name, cell.tenant, cell.resource, cell.action
        )),
        user: case.user.clone(),
        tenant: cell.tenant.clone(),
        resource: cell.resource.clone(),
        target: cell.target.clone(),
        action: cell.action.clone(),
        expectation,
        source: ExpectationSource::Escalated {
            case: case.name.to_string(),
            role: role.to_owned(),
            original: original.cloned().map(Box::new),
        }
        .into(),
        shape: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn pacific_plan() -> Vec<PlannedProbe> {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pacific/matrix.yaml");
        crate::scenario::load(&file)
            .expect("a shipped scenario is valid")
            .plan()
            .probes
    }

    fn case<'a>(plan: &'a [PlannedProbe], name: &str) -> &'a PlannedProbe {
        plan.iter().find(|probe| probe.name.0 == name).expect(name)
    }

    #[test]
    fn a_users_row_is_re_run_under_the_attack_case_name_with_the_rows_expectations() {
        let plan = pacific_plan();
        let attack = case(&plan, "acme-alice::attack::basic-flow::PacificTenantGlobex");
        let role = "arn:aws:iam::111122223333:role/PacificTenantGlobex";
        let rerun = escalated_cases(&plan, attack, role);
        let row: Vec<&PlannedProbe> = plan
            .iter()
            .filter(|p| {
                p.user == "acme-alice" && !p.name.0.contains("::attack::") && p.shape.is_none()
            })
            .collect();
        assert_eq!(rerun.len(), row.len());
        assert_eq!(rerun.len(), 24);
        for (cell, original) in rerun.iter().zip(&row) {
            let suffix = original.name.0.strip_prefix("acme-alice::").unwrap();
            assert_eq!(cell.name.0, format!("{}::{suffix}", attack.name));
            assert!(is_rerun_of(&cell.name, &attack.name));
            assert_eq!(cell.user, "acme-alice");
            assert_eq!(cell.target, original.target);
            assert_eq!(cell.expectation, original.expectation);
            match &*cell.source {
                ExpectationSource::Escalated {
                    case,
                    role: carried,
                    original: Some(source),
                } => {
                    assert_eq!(case, &attack.name.0);
                    assert_eq!(carried, role);
                    assert_eq!(**source, *original.source);
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(rerun.iter().any(|cell| cell.name.0
            == "acme-alice::attack::basic-flow::PacificTenantGlobex::globex/contract::read"
            && cell.expectation == Expectation::Deny));
    }

    #[test]
    fn a_user_without_a_row_is_re_run_on_every_cell_expected_denied() {
        let plan = pacific_plan();
        let attack = case(&plan, "acme-newcomer::attack::unmapped::identity-pool");
        let rerun = escalated_cases(&plan, attack, "PacificTenantAcme");
        // 3 tenants × (4 contract + 1 files + 3 db-credentials actions).
        assert_eq!(rerun.len(), 24);
        assert!(
            rerun
                .iter()
                .all(|cell| cell.expectation == Expectation::Deny
                    && matches!(
                        *cell.source,
                        ExpectationSource::Escalated { original: None, .. }
                    ))
        );
        assert!(rerun.iter().any(|cell| cell.name.0
            == "acme-newcomer::attack::unmapped::identity-pool::acme/contract::read"));
    }

    #[test]
    fn only_names_under_the_attack_case_are_its_re_runs() {
        let case = ProbeName::from("a::attack::basic-flow::R".to_owned());
        assert!(is_rerun_of(
            &ProbeName::from("a::attack::basic-flow::R::t/x::read".to_owned()),
            &case
        ));
        assert!(!is_rerun_of(
            &ProbeName::from("a::attack::basic-flow::Role::t/x::read".to_owned()),
            &case
        ));
        assert!(!is_rerun_of(&case, &case));
    }
}
