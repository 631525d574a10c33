//! `--shard K/N`: one CI runner's share of a plan. The plan is split by user, so each user
//! signs in on one runner only and its attack cases (and the re-runs of an attack that
//! obtained credentials) stay with it. Users are dealt out largest first to the least
//! loaded shard, in scenario order on ties: the same plan always gives the same shares,
//! and shares differ by at most one user's cases.

use crate::scenario::{Plan, PlanShare, Scenario};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

/// Shard `index` (1-based) of `count`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("expected K/N with 1 <= K <= N (for example 2/5), got `{text}`");
        let (index, count) = text.split_once('/').ok_or_else(usage)?;
        let index: usize = index.trim().parse().map_err(|_| usage())?;
        let count: usize = count.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The users whose cases this shard runs, out of `users` (scenario order) and the
    /// plan. A user's load is its cases in the plan plus its expected-role case.
    pub fn users<'a>(
        &self,
        users: impl IntoIterator<Item = &'a str>,
        plan: &'a Plan,
    ) -> BTreeSet<String> {
        self.deal(users, plan.probes.iter().map(|probe| probe.user.as_str()))
    }

    /// [`Shard::users`] given the user of every case of the plan, in plan order.
    fn deal<'a>(
        &self,
        users: impl IntoIterator<Item = &'a str>,
        case_users: impl IntoIterator<Item = &'a str>,
    ) -> BTreeSet<String> {
        let mut names: Vec<&str> = users.into_iter().collect();
        let mut load: HashMap<&str, usize> = names.iter().map(|user| (*user, 0)).collect();
        for user in case_users {
            // Cases of a name that is no scenario user (the foreign-token attack's
            // `foreign-pool`) are dealt out like a user's, after the users.
            *load.entry(user).or_insert_with(|| {
                names.push(user);
                0
            }) += 1;
        }
        let mut ordered: Vec<(usize, &str)> = names.into_iter().enumerate().collect();
        // Largest first; the scenario position breaks ties, so the deal is deterministic.
        ordered.sort_by_key(|(position, user)| {
            (
                std::cmp::Reverse(load.get(user).copied().unwrap_or(0)),
                *position,
            )
        });
        let mut shard_loads = vec![0usize; self.count];
        let mut mine = BTreeSet::new();
        for (_, user) in ordered {
            let lightest = (0..self.count)
                .min_by_key(|shard| (shard_loads[*shard], *shard))
                .expect("a shard count is at least 1");
            shard_loads[lightest] += load.get(user).copied().unwrap_or(0) + 1;
            if lightest + 1 == self.index {
                mine.insert(user.to_owned());
            }
        }
        mine
    }

    /// `plan` with only this shard's cases, in plan order (what `xtenant plan --shard`
    /// shows).
    pub fn share_of(&self, users: &[&str], plan: &Plan) -> Plan {
        let mine = self.users(users.iter().copied(), plan);
        let (positions, probes) = plan
            .probes
            .iter()
            .enumerate()
            .filter(|(_, probe)| mine.contains(probe.user.as_str()))
            .map(|(position, probe)| (position, probe.clone()))
            .unzip();
        Plan {
            probes,
            not_exercised: plan.not_exercised.clone(),
            waivers: plan.waivers.clone(),
            lines: plan.lines.clone(),
            share: Some(PlanShare {
                planned_probes: plan.planned_probes(),
                users: mine.into_iter().collect(),
                positions,
            }),
        }
    }
}

impl Shard {
    /// This shard's share of `scenario`'s plan, made without ever holding the whole plan
    /// (a 1,000,000-case plan run as 10 shards holds 100,000 cases on each runner): a first
    /// pass expands one user's row at a time only to count it, a second keeps this
    /// shard's rows. Same cases, order and deal as [`Shard::share_of`] on the whole plan.
    pub fn share_plan(&self, scenario: &Scenario) -> Plan {
        let attacks = crate::attack::attack_cases(scenario);
        let row_lengths: Vec<(&str, usize)> = scenario
            .rows()
            .map(|(user, row)| (user, row.len()))
            .collect();
        let case_users = row_lengths
            .iter()
            .flat_map(|(user, length)| std::iter::repeat_n(*user, *length))
            .chain(attacks.iter().map(|case| case.user.as_str()));
        let mine = self.deal(
            scenario.users.iter().map(|user| user.name.as_str()),
            case_users,
        );
        let rows_total: usize = row_lengths.iter().map(|(_, length)| length).sum();
        let mut row_starts: HashMap<&str, usize> = HashMap::new();
        let mut row_start = 0;
        for (user, length) in &row_lengths {
            row_starts.insert(user, row_start);
            row_start += length;
        }
        let mut probes = Vec::new();
        let mut positions = Vec::new();
        for (user, row) in scenario.rows_where(|user| mine.contains(user)) {
            let start = row_starts[user];
            positions.extend(start..start + row.len());
            probes.extend(row);
        }
        let planned_probes = rows_total + attacks.len();
        for (index, case) in attacks.into_iter().enumerate() {
            if mine.contains(case.user.as_str()) {
                positions.push(rows_total + index);
                probes.push(case);
            }
        }
        let mut plan = scenario.plan_of(probes);
        plan.share = Some(PlanShare {
            planned_probes,
            users: mine.into_iter().collect(),
            positions,
        });
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(name: &str) -> Scenario {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("scenarios/{name}/matrix.yaml"));
        crate::scenario::load(&file).unwrap()
    }

    fn user_names(scenario: &Scenario) -> Vec<&str> {
        scenario
            .users
            .iter()
            .map(|user| user.name.as_str())
            .collect()
    }

    #[test]
    fn k_of_n_parses_and_nonsense_is_refused_with_the_form_to_use() {
        assert_eq!("2/5".parse(), Ok(Shard { index: 2, count: 5 }));
        for wrong in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            let error = wrong.parse::<Shard>().unwrap_err();
            assert!(error.contains("expected K/N"), "{wrong}: {error}");
        }
    }

    #[test]
    fn every_user_lands_in_exactly_one_shard_and_loads_are_balanced() {
        let scenario = shipped("pacific");
        let plan = scenario.plan();
        let users = user_names(&scenario);
        let shares: Vec<BTreeSet<String>> = (1..=3)
            .map(|index| Shard { index, count: 3 }.users(users.iter().copied(), &plan))
            .collect();
        let mut seen: Vec<&String> = shares.iter().flatten().collect();
        seen.sort();
        seen.dedup();
        // The scenario's users and any other name the plan's cases run as.
        let mut all: BTreeSet<&str> = users.iter().copied().collect();
        all.extend(plan.probes.iter().map(|probe| probe.user.as_str()));
        let names = all.len();
        assert_eq!(seen.len(), names, "every user once");
        assert_eq!(
            shares.iter().map(BTreeSet::len).sum::<usize>(),
            names,
            "no user twice"
        );
        let load = |share: &BTreeSet<String>| {
            plan.probes
                .iter()
                .filter(|probe| share.contains(probe.user.as_str()))
                .count()
        };
        let heaviest_user = users
            .iter()
            .map(|user| {
                plan.probes
                    .iter()
                    .filter(|probe| probe.user == *user)
                    .count()
            })
            .max()
            .unwrap();
        let loads: Vec<usize> = shares.iter().map(load).collect();
        assert_eq!(loads.iter().sum::<usize>(), plan.probes.len());
        assert!(
            loads.iter().max().unwrap() - loads.iter().min().unwrap() <= heaviest_user + 1,
            "{loads:?}"
        );
        let again = Shard { index: 3, count: 3 }.users(users.iter().copied(), &plan);
        assert_eq!(again, shares[2], "deterministic");
        let share = Shard { index: 1, count: 3 }.share_of(&users, &plan);
        assert_eq!(share.probes.len(), loads[0]);
        assert!(
            share
                .probes
                .iter()
                .all(|probe| shares[0].contains(probe.user.as_str()))
        );
    }

    /// A runner of a big plan holds only its share: built row by row, the share must be
    /// exactly what filtering the whole plan gives (cases, order, users, positions).
    #[test]
    fn a_share_made_row_by_row_is_the_whole_plan_filtered_to_the_shard() {
        for scenario in [
            "pacific",
            "abac-leading-keys",
            "admin-editor",
            "books",
            "rules-claim",
        ] {
            let scenario = shipped(scenario);
            let plan = scenario.plan();
            let users = user_names(&scenario);
            let mut positions = Vec::new();
            for count in 1..=4 {
                for index in 1..=count {
                    let shard = Shard { index, count };
                    let made = shard.share_plan(&scenario);
                    assert_eq!(made, shard.share_of(&users, &plan), "{shard}");
                    let share = made.share.as_ref().unwrap();
                    assert_eq!(share.planned_probes, plan.probes.len());
                    for (probe, position) in made.probes.iter().zip(&share.positions) {
                        assert_eq!(probe, &plan.probes[*position], "{shard}");
                    }
                    if count == 4 {
                        positions.extend(share.positions.iter().copied());
                    }
                }
            }
            positions.sort_unstable();
            assert_eq!(
                positions,
                (0..plan.probes.len()).collect::<Vec<_>>(),
                "4 shards cover the plan once"
            );
        }
    }
}
