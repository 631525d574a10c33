//! Which probes and expected-role cases a run executes, computed with libtest's own filter
//! semantics so `--skip`, `--exact` and `--ignored` mean what they mean in `cargo test`.

use super::input::RunInput;
use super::role_case::RoleCase;
use crate::scenario::ProbeName;
use libtest_mimic::{Arguments, Trial};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    probes: BTreeSet<ProbeName>,
    /// Users whose expected-role case runs.
    role_cases: BTreeSet<String>,
}

impl Selection {
    /// Every probe of the plan and every expected-role case.
    pub fn all(input: &RunInput) -> Selection {
        Selection {
            probes: input.plan.probes.iter().map(|p| p.name.clone()).collect(),
            role_cases: users_with_expected_role(input).map(str::to_owned).collect(),
        }
    }

    /// What libtest would run given `arguments`. Nothing is marked ignored, so `--ignored`
    /// selects nothing and `--include-ignored` changes nothing, as in `cargo test`.
    pub fn from_libtest(arguments: &Arguments, input: &RunInput) -> Selection {
        let selected = |name: &str| {
            // A stand-in trial with the same name lets libtest-mimic decide, so the two
            // selections cannot drift apart.
            let trial = Trial::test(name.to_owned(), || Ok(()));
            !arguments.is_filtered_out(&trial) && !arguments.is_ignored(&trial)
        };
        Selection {
            probes: input
                .plan
                .probes
                .iter()
                .filter(|probe| selected(&probe.name.0))
                .map(|probe| probe.name.clone())
                .collect(),
            role_cases: users_with_expected_role(input)
                .filter(|user| selected(&RoleCase::name_for(user)))
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Exactly the named probes and role cases (by user).
    pub fn only<'a>(
        probes: impl IntoIterator<Item = &'a str>,
        role_case_users: impl IntoIterator<Item = &'a str>,
    ) -> Selection {
        Selection {
            probes: probes
                .into_iter()
                .map(|name| ProbeName(name.to_owned()))
                .collect(),
            role_cases: role_case_users.into_iter().map(str::to_owned).collect(),
        }
    }

    pub fn includes_probe(&self, name: &ProbeName) -> bool {
        self.probes.contains(name)
    }

    pub fn includes_role_case(&self, user: &str) -> bool {
        self.role_cases.contains(user)
    }

    pub fn probe_count(&self) -> usize {
        self.probes.len()
    }

    pub fn role_case_count(&self) -> usize {
        self.role_cases.len()
    }
}

fn users_with_expected_role(input: &RunInput) -> impl Iterator<Item = &str> {
    input
        .users
        .iter()
        .filter(|user| user.expected_role_arn.is_some())
        .map(|user| user.name.as_str())
}
