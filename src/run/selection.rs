//! Which probes and expected-role cases a run executes, computed with libtest's own filter
//! semantics so `--skip`, `--exact` and `--ignored` mean what they mean in `cargo test`.

use super::input::RunInput;
use super::role_case::RoleCase;
use crate::scenario::ProbeName;
use libtest_mimic::{Arguments, Trial};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    probes: Probes,
    /// Users whose expected-role case runs.
    role_cases: BTreeSet<String>,
}

/// The selected probes. A whole-plan run, the usual case, holds no copy of the names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Probes {
    /// Every probe of a plan of this many.
    Every(usize),
    Named(BTreeSet<ProbeName>),
}

impl Default for Probes {
    fn default() -> Probes {
        Probes::Named(BTreeSet::new())
    }
}

impl Selection {
    /// Every probe of the plan and every expected-role case (of the input's shard, when
    /// it has one).
    pub fn all(input: &RunInput) -> Selection {
        Selection::of(input, |_| true)
    }

    /// What libtest would run given `arguments` (within the input's shard). Nothing is
    /// marked ignored, so `--ignored` selects nothing and `--include-ignored` changes
    /// nothing, as in `cargo test`.
    pub fn from_libtest(arguments: &Arguments, input: &RunInput) -> Selection {
        Selection::of(input, |name| {
            // A stand-in trial with the same name lets libtest-mimic decide, so the two
            // selections cannot drift apart.
            let trial = Trial::test(name.to_owned(), || Ok(()));
            !arguments.is_filtered_out(&trial) && !arguments.is_ignored(&trial)
        })
    }

    fn of(input: &RunInput, selected: impl Fn(&str) -> bool) -> Selection {
        // A share plan (`Shard::share_plan`) names its users: the whole plan is not there
        // to deal them again.
        let share = match (&input.plan.share, input.shard) {
            (Some(share), _) => Some(share.users.iter().cloned().collect()),
            (None, Some(shard)) => Some(shard.users(
                input.users.iter().map(|user| user.name.as_str()),
                &input.plan,
            )),
            (None, None) => None,
        };
        let in_share = |user: &str| share.as_ref().is_none_or(|share| share.contains(user));
        let chosen = |probe: &&crate::scenario::PlannedProbe| {
            in_share(&probe.user) && selected(&probe.name.0)
        };
        let count = input.plan.probes.iter().filter(chosen).count();
        let probes = if count == input.plan.probes.len() {
            Probes::Every(count)
        } else {
            Probes::Named(
                input
                    .plan
                    .probes
                    .iter()
                    .filter(chosen)
                    .map(|probe| probe.name.clone())
                    .collect(),
            )
        };
        Selection {
            probes,
            role_cases: users_with_expected_role(input)
                .filter(|user| in_share(user) && selected(&RoleCase::name_for(user)))
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
            probes: Probes::Named(
                probes
                    .into_iter()
                    .map(|name| ProbeName::from(name.to_owned()))
                    .collect(),
            ),
            role_cases: role_case_users.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Whether the plan's probe `name` is selected (asked only of the plan's own probes).
    pub fn includes_probe(&self, name: &ProbeName) -> bool {
        match &self.probes {
            Probes::Every(_) => true,
            Probes::Named(names) => names.contains(name),
        }
    }

    pub fn includes_role_case(&self, user: &str) -> bool {
        self.role_cases.contains(user)
    }

    pub fn probe_count(&self) -> usize {
        match &self.probes {
            Probes::Every(count) => *count,
            Probes::Named(names) => names.len(),
        }
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
