//! `--shard K/N`: one CI runner's share of a plan. The plan is split by user, so each user
//! signs in on one runner only and its attack cases (and the re-runs of an attack that
//! obtained credentials) stay with it. Users are dealt out largest first to the least
//! loaded shard, in scenario order on ties: the same plan always gives the same shares,
//! and shares differ by at most one user's cases.

use crate::scenario::Plan;
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
        plan: &Plan,
    ) -> BTreeSet<String> {
        let mut load: HashMap<&str, usize> = HashMap::new();
        for probe in &plan.probes {
            *load.entry(probe.user.as_str()).or_default() += 1;
        }
        // Cases of a name that is no scenario user (the foreign-token attack's
        // `foreign-pool`) are dealt out like a user's, after the users.
        let mut names: Vec<&str> = users.into_iter().collect();
        for probe in &plan.probes {
            if !names.contains(&probe.user.as_str()) {
                names.push(probe.user.as_str());
            }
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
        Plan {
            probes: plan
                .probes
                .iter()
                .filter(|probe| mine.contains(probe.user.as_str()))
                .cloned()
                .collect(),
            not_exercised: plan.not_exercised.clone(),
            waivers: plan.waivers.clone(),
            lines: plan.lines.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pacific/matrix.yaml");
        let scenario = crate::scenario::load(&file).unwrap();
        let plan = scenario.plan();
        let users: Vec<&str> = scenario
            .users
            .iter()
            .map(|user| user.name.as_str())
            .collect();
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
}
