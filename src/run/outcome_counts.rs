//! How many probes and expected-role cases ended in each outcome.

use super::role_case::{RoleCase, RoleOutcome};
use crate::probe::{Outcome, ProbeRecord};
use serde::Serialize;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct OutcomeCounts {
    pub held: usize,
    pub breach: usize,
    pub unexpected_deny: usize,
    pub inconclusive: usize,
    /// Breaches and unexpected denies a scenario waiver in force accepts: counted here
    /// instead of as failures, and never a failure of the run.
    pub waived: usize,
    pub role_held: usize,
    pub wrong_role: usize,
    pub role_inconclusive: usize,
}

impl OutcomeCounts {
    pub fn tally(
        records: impl IntoIterator<Item = impl std::borrow::Borrow<ProbeRecord>>,
        role_cases: &[RoleCase],
    ) -> OutcomeCounts {
        let mut counts = OutcomeCounts::default();
        for record in records {
            let record = record.borrow();
            if record.is_waived() {
                counts.waived += 1;
            } else {
                counts.add_probe(record.outcome);
            }
        }
        for case in role_cases {
            counts.add_role(case.outcome);
        }
        counts
    }

    pub fn add_probe(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Held => self.held += 1,
            Outcome::Breach => self.breach += 1,
            Outcome::UnexpectedDeny => self.unexpected_deny += 1,
            Outcome::Inconclusive => self.inconclusive += 1,
        }
    }

    pub fn add_role(&mut self, outcome: RoleOutcome) {
        match outcome {
            RoleOutcome::Held => self.role_held += 1,
            RoleOutcome::WrongRole => self.wrong_role += 1,
            RoleOutcome::Inconclusive => self.role_inconclusive += 1,
        }
    }

    pub fn probes(&self) -> usize {
        self.held + self.breach + self.unexpected_deny + self.inconclusive + self.waived
    }

    pub fn role_cases(&self) -> usize {
        self.role_held + self.wrong_role + self.role_inconclusive
    }

    /// The probe outcomes in words, as the console and the HTML report show them.
    pub fn probes_phrase(&self) -> String {
        let waived = match self.waived {
            0 => String::new(),
            n => format!(", {n} waived"),
        };
        format!(
            "{} held, {} breach, {} unexpected deny, {} inconclusive{waived}",
            self.held, self.breach, self.unexpected_deny, self.inconclusive
        )
    }

    /// The expected-role outcomes in words, as the console and the HTML report show them.
    pub fn roles_phrase(&self) -> String {
        format!(
            "roles: {} held, {} wrong, {} inconclusive",
            self.role_held, self.wrong_role, self.role_inconclusive
        )
    }
}
