//! Validation of `waivers`: each has a reason and a ticket that say something, an
//! `expires` date written `YYYY-MM-DD`, and a probe pattern that matches a probe of the
//! plan (checked once the rest of the scenario is sound enough to expand).

use super::validator::Validator;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::key_path::KeyPath;
use crate::scenario::model::Scenario;
use crate::scenario::probe_table::closest;
use crate::scenario::raw::RawScenario;
use crate::scenario::waiver::{Waiver, parse_date};

impl Validator<'_> {
    pub(super) fn waivers(&mut self, raw: &RawScenario) -> Vec<Waiver> {
        let path = KeyPath::root().key("waivers");
        let mut waivers = Vec::new();
        for (i, waiver) in raw.waivers.iter().enumerate() {
            let at = path.index(i);
            let before = self.diagnostics.len();
            for (key, value, example) in [
                ("probe", &waiver.probe, "bob::globex/records::*"),
                ("reason", &waiver.reason, "legacy export job, removed in Q2"),
                ("ticket", &waiver.ticket, "SEC-123"),
            ] {
                if value.trim().is_empty() {
                    let key_path = at.key(key);
                    let span = self.value_span(&key_path);
                    self.report(
                        Diagnostic::new(
                            DiagnosticCode::BlankValue,
                            key_path,
                            span,
                            format!("waiver #{i} has a blank `{key}`"),
                        )
                        .with_label("says nothing")
                        .with_help(format!(
                            "a waiver is never silent: write its {key}, for example `{key}: {example}`"
                        )),
                    );
                }
            }
            let expires = parse_date(waiver.expires.trim());
            if expires.is_none() {
                let key_path = at.key("expires");
                let span = self.value_span(&key_path);
                self.report(
                    Diagnostic::new(
                        DiagnosticCode::MalformedDate,
                        key_path,
                        span,
                        format!("`{}` is not a date", waiver.expires),
                    )
                    .with_label("not YYYY-MM-DD")
                    .with_help("write the last day the waiver applies as `YYYY-MM-DD`, for example `expires: 2027-03-01`"),
                );
            }
            if let (Some(expires), true) = (expires, self.diagnostics.len() == before) {
                waivers.push(Waiver {
                    index: i,
                    probe: waiver.probe.clone(),
                    reason: waiver.reason.trim().to_owned(),
                    ticket: waiver.ticket.trim().to_owned(),
                    expires,
                });
            }
        }
        waivers
    }

    /// Each waiver's pattern against the probes of the plan: a waiver that can match no
    /// probe would never waive anything, and is most likely a typo.
    pub(super) fn waivers_match_the_plan(&mut self, scenario: &Scenario) {
        if scenario.waivers.is_empty() {
            return;
        }
        let names: Vec<String> = scenario
            .plan()
            .probes
            .into_iter()
            .map(|probe| probe.name.to_string())
            .collect();
        let path = KeyPath::root().key("waivers");
        for waiver in &scenario.waivers {
            if names.iter().any(|name| waiver.covers(name)) {
                continue;
            }
            let at = path.index(waiver.index).key("probe");
            let span = self.value_span(&at);
            let help = match closest(&waiver.probe, &names) {
                Some(near) => format!("did you mean `{near}`? (`xtenant plan` lists every probe)"),
                None => "write a probe name or pattern as `xtenant plan` lists the probes, for example `bob::globex/records::*`".to_owned(),
            };
            self.report(
                Diagnostic::new(
                    DiagnosticCode::PatternMatchesNothing,
                    at,
                    span,
                    format!("waiver #{} matches no probe of the plan", waiver.index),
                )
                .with_label("matches no probe")
                .with_help(help),
            );
        }
    }
}
