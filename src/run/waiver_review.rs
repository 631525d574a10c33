//! Applying the scenario's waivers to a finished run, on the run's own day.
//!
//! A waiver covers the records its pattern matches, and acts only on findings a person can
//! accept knowingly: a breach or an unexpected deny. Inconclusive is never waived: it
//! proves nothing either way, so accepting it would let a run that tested nothing pass; a
//! waiver covering one says so as a warning instead. An expired waiver no longer waives
//! (the finding fails again, and the reports name the lapsed waiver); a waiver that covers
//! no finding of the run is stale, which is a warning and never changes the exit code.

use super::record_store::RecordStore;
use crate::probe::Outcome;
use crate::scenario::waiver::{RecordWaiver, Waiver, WaiverState, format_date, parse_date};
use crate::scenario::{Plan, ProbeName};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;

/// What one waiver did in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaiverStatus {
    /// In force, and it waived at least one finding.
    Applied,
    /// Past its `expires` day: the findings it covers fail again.
    Expired,
    /// In force, but no finding of the run is covered (fixed, or never a finding): remove
    /// it.
    Stale,
    /// The run selected no probe it covers (a filtered run): nothing to say.
    NotExercised,
}

/// One waiver and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WaiverOutcome {
    pub waiver: Waiver,
    pub status: WaiverStatus,
    /// The findings it waived.
    pub waived: Vec<ProbeName>,
    /// The findings it covers but no longer waives, because it expired.
    pub failing_again: Vec<ProbeName>,
    /// Inconclusive records it covers: never waived.
    pub not_waivable: Vec<ProbeName>,
}

/// Every waiver of the scenario, judged on one day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WaiverReview {
    /// The day the waivers were judged on (`YYYY-MM-DD`, UTC): the run's start, unless the
    /// run was given another day.
    #[serde(serialize_with = "serialize_day", deserialize_with = "deserialize_day")]
    #[schemars(with = "Option<String>")]
    pub as_of: Option<Date>,
    pub waivers: Vec<WaiverOutcome>,
}

fn deserialize_day<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => parse_date(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a YYYY-MM-DD date"))),
    }
}

fn serialize_day<S: Serializer>(day: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match day {
        Some(day) => serializer.serialize_some(&format_date(*day)),
        None => serializer.serialize_none(),
    }
}

/// Applies `plan.waivers` to `records` on `today`: each breach or unexpected deny a waiver
/// covers gets that waiver on its record (a waiver in force before an expired one, then the
/// first in file order). Returns the review and the indices of the records it changed.
pub fn apply_waivers(
    plan: &Plan,
    records: &mut RecordStore,
    today: Date,
) -> (WaiverReview, Vec<usize>) {
    let mut outcomes: Vec<WaiverOutcome> = plan
        .waivers
        .iter()
        .map(|waiver| WaiverOutcome {
            waiver: waiver.clone(),
            status: WaiverStatus::NotExercised,
            waived: Vec::new(),
            failing_again: Vec::new(),
            not_waivable: Vec::new(),
        })
        .collect();
    if outcomes.is_empty() {
        return (WaiverReview::default(), Vec::new());
    }
    let mut covered_any = vec![false; outcomes.len()];
    let revised = records.revise(|record| {
        let covering: Vec<usize> = (0..outcomes.len())
            .filter(|&w| outcomes[w].waiver.covers(&record.name.0))
            .collect();
        for &w in &covering {
            covered_any[w] = true;
        }
        match record.outcome {
            Outcome::Held => false,
            Outcome::Inconclusive => {
                for &w in &covering {
                    outcomes[w].not_waivable.push(record.name.clone());
                }
                false
            }
            Outcome::Breach | Outcome::UnexpectedDeny => {
                let in_force = covering
                    .iter()
                    .copied()
                    .find(|&w| !outcomes[w].waiver.is_expired_on(today));
                let chosen = in_force.or_else(|| covering.first().copied());
                let Some(w) = chosen else { return false };
                let state = if in_force.is_some() {
                    outcomes[w].waived.push(record.name.clone());
                    WaiverState::Waived
                } else {
                    outcomes[w].failing_again.push(record.name.clone());
                    WaiverState::Expired
                };
                record.waiver = Some(Box::new(RecordWaiver {
                    waiver: outcomes[w].waiver.clone(),
                    state,
                }));
                true
            }
        }
    });
    for (w, outcome) in outcomes.iter_mut().enumerate() {
        outcome.status = if outcome.waiver.is_expired_on(today) {
            WaiverStatus::Expired
        } else if !outcome.waived.is_empty() {
            WaiverStatus::Applied
        } else if covered_any[w] {
            WaiverStatus::Stale
        } else {
            WaiverStatus::NotExercised
        };
    }
    let review = WaiverReview {
        as_of: Some(today),
        waivers: outcomes,
    };
    (review, revised)
}

impl WaiverReview {
    /// The warnings a person must see: expired waivers (with the findings that fail
    /// again), stale waivers, and waivers covering inconclusive records. In file order.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for outcome in &self.waivers {
            let waiver = &outcome.waiver;
            let who = format!(
                "waiver #{} `{}` ({})",
                waiver.index, waiver.probe, waiver.ticket
            );
            match outcome.status {
                WaiverStatus::Expired => warnings.push(format!(
                    "{who} expired after {}: it waives nothing{}",
                    format_date(waiver.expires),
                    match outcome.failing_again.len() {
                        0 => String::new(),
                        n => format!(", {n} finding(s) fail again"),
                    }
                )),
                WaiverStatus::Stale => warnings.push(format!(
                    "{who} is stale: it covers no breach or unexpected deny of this run; remove it"
                )),
                WaiverStatus::Applied | WaiverStatus::NotExercised => {}
            }
            if !outcome.not_waivable.is_empty() {
                warnings.push(format!(
                    "{who} covers {} inconclusive probe(s): inconclusive is never waived",
                    outcome.not_waivable.len()
                ));
            }
        }
        warnings
    }
}

/// The day `started_at` falls on in UTC: the day waivers are judged on unless the run is
/// given one ([`super::RunOptions::waiver_day`]).
pub fn day_of(started_at: std::time::SystemTime) -> Date {
    time::OffsetDateTime::from(started_at).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::ProbeRecord;
    use crate::scenario::waiver::parse_date;
    use crate::scenario::{Action, Expectation, ExpectationSource, PlannedProbe, ResourceTarget};

    fn record(name: &str, outcome: Outcome) -> ProbeRecord {
        let probe = PlannedProbe {
            name: ProbeName::from(name.to_owned()),
            user: "bob".to_owned().into(),
            tenant: "acme".to_owned().into(),
            resource: "r".to_owned().into(),
            target: ResourceTarget::Secret {
                secret_id: "s".to_owned(),
            }
            .into(),
            action: Action::Read,
            expectation: Expectation::Deny,
            source: ExpectationSource::CrossTenantDefault.into(),
            shape: None,
        };
        let mut record = crate::run::unsent_record(&probe, "r".to_owned(), 1);
        record.outcome = outcome;
        record
    }

    fn plan(waivers: &[(&str, &str)]) -> Plan {
        Plan {
            probes: Vec::new(),
            not_exercised: Vec::new(),
            waivers: waivers
                .iter()
                .enumerate()
                .map(|(index, (probe, expires))| Waiver {
                    index,
                    probe: (*probe).to_owned(),
                    reason: "known".to_owned(),
                    ticket: format!("SEC-{index}"),
                    expires: parse_date(expires).unwrap(),
                })
                .collect(),
            lines: Default::default(),
            share: None,
        }
    }

    fn day(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    #[test]
    fn a_waiver_in_force_waives_breaches_and_unexpected_denies_but_never_inconclusive() {
        let mut records = RecordStore::from(vec![
            record("bob::acme/r::read", Outcome::Breach),
            record("bob::acme/r::write", Outcome::UnexpectedDeny),
            record("bob::acme/r::list", Outcome::Inconclusive),
            record("bob::acme/r::delete", Outcome::Held),
        ]);
        let (review, revised) = apply_waivers(
            &plan(&[("bob::*", "2027-03-01")]),
            &mut records,
            day("2027-03-01"),
        );
        assert_eq!(revised, [0, 1]);
        assert!(records.get(0).unwrap().is_waived() && records.get(1).unwrap().is_waived());
        assert!(!records.get(2).unwrap().is_waived() && records.get(2).unwrap().waiver.is_none());
        assert_eq!(review.waivers[0].status, WaiverStatus::Applied);
        assert_eq!(review.waivers[0].not_waivable[0].0, "bob::acme/r::list");
        assert_eq!(
            review.warnings(),
            [
                "waiver #0 `bob::*` (SEC-0) covers 1 inconclusive probe(s): inconclusive is never waived"
            ]
        );
    }

    #[test]
    fn an_expired_waiver_no_longer_waives_and_says_the_finding_fails_again() {
        let mut records = RecordStore::from(vec![record("bob::acme/r::read", Outcome::Breach)]);
        let (review, _) = apply_waivers(
            &plan(&[("bob::acme/r::read", "2027-03-01")]),
            &mut records,
            day("2027-03-02"),
        );
        assert!(!records.get(0).unwrap().is_waived());
        let on_record = records.get(0).unwrap().waiver.unwrap();
        assert_eq!(on_record.state, WaiverState::Expired);
        assert!(on_record.line().contains("expired after 2027-03-01"));
        assert_eq!(review.waivers[0].status, WaiverStatus::Expired);
        assert_eq!(
            review.warnings(),
            [
                "waiver #0 `bob::acme/r::read` (SEC-0) expired after 2027-03-01: it waives nothing, 1 finding(s) fail again"
            ]
        );
    }

    #[test]
    fn a_waiver_in_force_wins_over_an_expired_one_and_one_covering_only_passes_is_stale() {
        let mut records = RecordStore::from(vec![
            record("bob::acme/r::read", Outcome::Breach),
            record("carol::acme/r::read", Outcome::Held),
        ]);
        let (review, _) = apply_waivers(
            &plan(&[
                ("bob::*", "2020-01-01"),
                ("bob::acme/*", "2030-01-01"),
                ("carol::*", "2030-01-01"),
                ("dave::*", "2030-01-01"),
            ]),
            &mut records,
            day("2026-12-02"),
        );
        assert_eq!(
            records
                .get(0)
                .unwrap()
                .waiver
                .as_ref()
                .unwrap()
                .waiver
                .index,
            1
        );
        let statuses: Vec<WaiverStatus> = review.waivers.iter().map(|w| w.status).collect();
        assert_eq!(
            statuses,
            [
                WaiverStatus::Expired,
                WaiverStatus::Applied,
                WaiverStatus::Stale,
                WaiverStatus::NotExercised
            ]
        );
        assert_eq!(review.warnings().len(), 2);
    }
}
