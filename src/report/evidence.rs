//! The JSON evidence report: the whole results model under a schema version, for audits.

use crate::run::{OutcomeCounts, RunMetadata, RunResults, SelectionSummary};
use serde::Serialize;

/// Bumped whenever a field of the evidence document changes meaning or disappears.
pub const EVIDENCE_SCHEMA_VERSION: u32 = 1;

/// The evidence document as written to `<scenario>.evidence.json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct EvidenceDocument<'a> {
    pub schema_version: u32,
    pub generator: Generator,
    pub exit_code: i32,
    pub counts: OutcomeCounts,
    /// Selected and planned probes: a filtered run is marked partial.
    pub selection: SelectionSummary,
    /// What was tested and how the run was started: target kind, region, endpoint, pool
    /// ids, file hashes, filters, command line, host. `null` only for synthetic results.
    pub run: Option<&'a RunMetadata>,
    /// The AWS accounts of the users' credentials, by GetCallerIdentity.
    pub accounts: Vec<String>,
    pub results: &'a RunResults,
}

/// The tool that produced the evidence.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Generator {
    pub name: &'static str,
    pub version: &'static str,
    /// The git commit of the build, or "unknown".
    pub commit: &'static str,
}

impl<'a> EvidenceDocument<'a> {
    pub fn new(results: &'a RunResults) -> EvidenceDocument<'a> {
        EvidenceDocument {
            schema_version: EVIDENCE_SCHEMA_VERSION,
            generator: Generator {
                name: env!("CARGO_PKG_NAME"),
                version: crate::build_info::VERSION,
                commit: crate::build_info::COMMIT,
            },
            exit_code: crate::run::exit_code_for(results),
            counts: results.counts(),
            selection: results.selection(),
            run: results.run.as_ref(),
            accounts: results.accounts(),
            results,
        }
    }
}

/// The evidence of `results` as pretty-printed JSON.
pub fn evidence_json(results: &RunResults) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&EvidenceDocument::new(results))
}

/// The evidence of `results`, pretty-printed as [`evidence_json`] prints it, into `out` as
/// it is serialized: no copy of the document is held.
pub fn write_evidence(results: &RunResults, out: impl std::io::Write) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(out, &EvidenceDocument::new(results))
}
