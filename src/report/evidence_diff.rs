//! Comparing two evidence documents by probe name, for `xtenant diff OLD NEW`: new
//! breaches (what a baseline gate fails on), fixed breaches, other changed outcomes, and
//! probes that appeared or disappeared.
//!
//! Waivers count as the run counted them: a breach a waiver in force accepts is listed as
//! waived, never as a new breach; a breach whose waiver has lapsed since the old run is a
//! new breach again (the gate fails, as the run did), and a change of waiver alone is a
//! changed outcome.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One probe's outcome and verdict in one evidence document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeState {
    pub outcome: String,
    pub verdict: String,
    /// A scenario waiver in force accepted the finding (`waiver.state` is `waived`).
    pub waived: bool,
}

impl ProbeState {
    /// A breach that fails the run: one no waiver in force accepts.
    fn is_failing_breach(&self) -> bool {
        self.outcome == BREACH && !self.waived
    }

    /// `breach`, or `breach (waived)`.
    fn label(&self) -> String {
        if self.waived {
            format!("{} (waived)", self.outcome)
        } else {
            self.outcome.clone()
        }
    }
}

/// The probes of one evidence document, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceProbes {
    pub scenario: String,
    pub probes: BTreeMap<String, ProbeState>,
}

/// Why a file is not evidence this version of xtenant can compare.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceReadError {
    #[error("it is not JSON (line {line}, column {column}): {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "it is not xtenant evidence: {what} is missing or malformed (write evidence with \
         `xtenant run`, or check `xtenant schema --evidence`)"
    )]
    Shape { what: String },
    #[error("its schema_version is {found}; this xtenant reads version {expected}")]
    Version { found: String, expected: u32 },
}

impl EvidenceProbes {
    /// Reads the probes out of an evidence document's text.
    pub fn parse(text: &str) -> Result<EvidenceProbes, EvidenceReadError> {
        let document: Value =
            serde_json::from_str(text).map_err(|error| EvidenceReadError::Json {
                line: error.line(),
                column: error.column(),
                message: error.to_string(),
            })?;
        let version = &document["schema_version"];
        if version.as_u64() != Some(u64::from(super::EVIDENCE_SCHEMA_VERSION)) {
            if version.is_null() {
                return Err(shape("`schema_version`"));
            }
            return Err(EvidenceReadError::Version {
                found: version.to_string(),
                expected: super::EVIDENCE_SCHEMA_VERSION,
            });
        }
        let scenario = document["results"]["scenario"]
            .as_str()
            .ok_or_else(|| shape("`results.scenario`"))?
            .to_owned();
        let records = document["results"]["records"]
            .as_array()
            .ok_or_else(|| shape("`results.records`"))?;
        let mut probes = BTreeMap::new();
        for (index, record) in records.iter().enumerate() {
            let field = |name: &str| {
                record[name]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| shape(&format!("`results.records[{index}].{name}`")))
            };
            probes.insert(
                field("name")?,
                ProbeState {
                    outcome: field("outcome")?,
                    verdict: field("verdict")?,
                    waived: record["waiver"]["state"].as_str() == Some("waived"),
                },
            );
        }
        Ok(EvidenceProbes { scenario, probes })
    }
}

fn shape(what: &str) -> EvidenceReadError {
    EvidenceReadError::Shape {
        what: what.to_owned(),
    }
}

/// A probe whose outcome differs between the two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedProbe {
    pub name: String,
    pub old: ProbeState,
    pub new: ProbeState,
}

/// What changed from an old evidence document to a new one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceDiff {
    /// Breaches in the new run that the old run did not have (absent, or another outcome).
    pub new_breaches: Vec<String>,
    /// Breaches of the old run that the new run holds.
    pub fixed: Vec<String>,
    /// Every other change of outcome (a fixed breach that became Inconclusive is here:
    /// it is not proven fixed).
    pub changed: Vec<ChangedProbe>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Breaches of the new run that a waiver in force accepts: listed, never silent, but
    /// not what the gate fails on.
    pub waived: Vec<String>,
}

const BREACH: &str = "breach";
const HELD: &str = "held";

impl EvidenceDiff {
    pub fn between(old: &EvidenceProbes, new: &EvidenceProbes) -> EvidenceDiff {
        let mut diff = EvidenceDiff::default();
        for (name, now) in &new.probes {
            if now.outcome == BREACH && now.waived {
                diff.waived.push(name.clone());
            }
            match old.probes.get(name) {
                None => {
                    if now.is_failing_breach() {
                        diff.new_breaches.push(name.clone());
                    }
                    diff.added.push(name.clone());
                }
                Some(before) if before.outcome == now.outcome && before.waived == now.waived => {}
                Some(before) => {
                    if now.is_failing_breach() && !before.is_failing_breach() {
                        diff.new_breaches.push(name.clone());
                    } else if before.outcome == BREACH && now.outcome == HELD {
                        diff.fixed.push(name.clone());
                        continue;
                    }
                    diff.changed.push(ChangedProbe {
                        name: name.clone(),
                        old: before.clone(),
                        new: now.clone(),
                    });
                }
            }
        }
        diff.removed = old
            .probes
            .keys()
            .filter(|name| !new.probes.contains_key(*name))
            .cloned()
            .collect();
        diff
    }

    /// The human-readable report `xtenant diff` prints.
    pub fn render(&self, old: &EvidenceProbes, new: &EvidenceProbes) -> String {
        let mut text = String::new();
        if old.scenario != new.scenario {
            let _ = writeln!(
                text,
                "note: comparing scenario `{}` with scenario `{}`",
                old.scenario, new.scenario
            );
        }
        let section = |text: &mut String, title: &str, names: &[String]| {
            let _ = writeln!(text, "{title}: {}", names.len());
            for name in names {
                let _ = writeln!(text, "  {name}");
            }
        };
        section(&mut text, "new breaches", &self.new_breaches);
        section(&mut text, "waived breaches", &self.waived);
        section(&mut text, "fixed breaches", &self.fixed);
        let _ = writeln!(text, "changed outcomes: {}", self.changed.len());
        for change in &self.changed {
            let _ = writeln!(
                text,
                "  {}: {} ({}) -> {} ({})",
                change.name,
                change.old.label(),
                change.old.verdict,
                change.new.label(),
                change.new.verdict
            );
        }
        section(&mut text, "new probes", &self.added);
        section(&mut text, "removed probes", &self.removed);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(records: &[(&str, &str, &str)]) -> String {
        let records: Vec<Value> = records
            .iter()
            .map(|(name, outcome, verdict)| {
                serde_json::json!({"name": name, "outcome": outcome, "verdict": verdict})
            })
            .collect();
        serde_json::json!({
            "schema_version": 1,
            "results": {"scenario": "pacific", "records": records}
        })
        .to_string()
    }

    #[test]
    fn a_diff_sorts_every_probe_into_new_breach_fixed_changed_added_or_removed() {
        let old = EvidenceProbes::parse(&evidence(&[
            ("a::x", "held", "denied"),
            ("b::x", "breach", "allowed"),
            ("c::x", "held", "allowed"),
            ("d::x", "breach", "allowed"),
            ("gone::x", "held", "denied"),
            ("same::x", "breach", "allowed"),
        ]))
        .unwrap();
        let new = EvidenceProbes::parse(&evidence(&[
            ("a::x", "breach", "allowed"),
            ("b::x", "held", "denied"),
            ("c::x", "inconclusive", "inconclusive"),
            ("d::x", "inconclusive", "inconclusive"),
            ("fresh::x", "breach", "allowed"),
            ("same::x", "breach", "allowed"),
        ]))
        .unwrap();
        let diff = EvidenceDiff::between(&old, &new);
        assert_eq!(diff.new_breaches, ["a::x", "fresh::x"]);
        assert_eq!(diff.fixed, ["b::x"]);
        let changed: Vec<&str> = diff.changed.iter().map(|c| c.name.as_str()).collect();
        // A breach that became Inconclusive is not fixed, and an unchanged breach is
        // not new.
        assert_eq!(changed, ["a::x", "c::x", "d::x"]);
        assert_eq!(diff.added, ["fresh::x"]);
        assert_eq!(diff.removed, ["gone::x"]);
        let text = diff.render(&old, &new);
        assert!(
            text.starts_with("new breaches: 2\n  a::x\n  fresh::x\n"),
            "{text}"
        );
        assert!(text.contains("  c::x: held (allowed) -> inconclusive (inconclusive)\n"));
    }

    #[test]
    fn a_waived_breach_is_listed_as_waived_and_a_lapsed_waiver_makes_a_new_breach() {
        let waived = |name: &str| {
            serde_json::json!({"name": name, "outcome": "breach", "verdict": "allowed",
                "waiver": {"state": "waived"}})
        };
        let plain = |name: &str| serde_json::json!({"name": name, "outcome": "breach", "verdict": "allowed"});
        let document = |records: Vec<Value>| {
            serde_json::json!({"schema_version": 1,
                "results": {"scenario": "pacific", "records": records}})
            .to_string()
        };
        let old = EvidenceProbes::parse(&document(vec![
            waived("kept::x"),
            waived("lapsed::x"),
            plain("accepted::x"),
        ]))
        .unwrap();
        let new = EvidenceProbes::parse(&document(vec![
            waived("kept::x"),
            plain("lapsed::x"),
            waived("accepted::x"),
            waived("fresh::x"),
        ]))
        .unwrap();
        let diff = EvidenceDiff::between(&old, &new);
        assert_eq!(diff.new_breaches, ["lapsed::x"]);
        assert_eq!(diff.waived, ["accepted::x", "fresh::x", "kept::x"]);
        let changed: Vec<&str> = diff.changed.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(changed, ["accepted::x", "lapsed::x"]);
        let text = diff.render(&old, &new);
        assert!(
            text.contains("  accepted::x: breach (allowed) -> breach (waived) (allowed)\n"),
            "{text}"
        );
        assert!(text.contains("waived breaches: 3\n"), "{text}");
    }

    #[test]
    fn a_file_that_is_not_evidence_says_what_is_wrong_and_where() {
        let error = EvidenceProbes::parse("{\n  \"schema_version\": 1,\n  oops").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("it is not JSON (line 3, column 3)"),
            "{error}"
        );
        let error = EvidenceProbes::parse(r#"{"schema_version": 1, "results": {}}"#).unwrap_err();
        assert!(error.to_string().contains("`results.scenario`"), "{error}");
        let error = EvidenceProbes::parse(r#"{"schema_version": 7}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "its schema_version is 7; this xtenant reads version 1"
        );
    }
}
