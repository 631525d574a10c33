//! `xtenant audit FILE`: reads the identity layer of the scenario's target with the ambient
//! credentials and prints the coded findings. Exit codes: 1 when a finding is `high`, 3 when
//! some part could not be read (and nothing is high), 0 otherwise, 4 for an invalid
//! scenario or a target that cannot be reached.

use crate::audit::{AuditOutcome, audit_scenario};
use crate::error_chain::error_chain;
use crate::exit_code;
use crate::identity::CredentialsSource;
use crate::redaction::Redactor;
use crate::report::{print_stdout, write_stderr};
use crate::run::RunTarget;
use crate::scenario;
use std::fmt::Write;
use std::path::Path;

/// How `xtenant audit` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// One block per finding: code, severity, subject, detail, fix, AWS page.
    Text,
    /// The findings and warnings as JSON.
    Json,
}

pub fn audit(file: &Path, format: AuditFormat) -> i32 {
    let loaded = match scenario::load(file) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            let world = super::validate::world_problems_of(file, &diagnostics);
            super::validate::print_load_problems(&diagnostics, world.as_ref());
            return exit_code::INVALID_INPUT;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            write_stderr(&format!(
                "error: failed to start the async runtime: {error}\n"
            ));
            return exit_code::INVALID_INPUT;
        }
    };
    let redactor = Redactor::default();
    let outcome = runtime.block_on(async {
        let mut target = RunTarget::start(&loaded).await?;
        let outcome =
            audit_scenario(&loaded, &target.aws, CredentialsSource::Ambient, &redactor).await;
        target.stop();
        Ok::<_, crate::run::RunTargetError>(outcome)
    });
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            write_stderr(&format!(
                "error: {}\n",
                redactor.scrub(&error_chain(&error))
            ));
            return exit_code::INVALID_INPUT;
        }
    };
    for line in outcome_warnings(&outcome) {
        write_stderr(&format!("warning: {}\n", redactor.scrub(&line)));
    }
    let text = match format {
        AuditFormat::Text => text_report(&outcome),
        AuditFormat::Json => serde_json::to_string_pretty(&outcome).unwrap_or_default() + "\n",
    };
    print_stdout(
        &redactor.scrub(&text),
        "the audit",
        audit_exit_code(&outcome),
    )
}

/// The warnings of an audit, one line each.
pub fn outcome_warnings(outcome: &AuditOutcome) -> Vec<String> {
    outcome
        .skipped
        .iter()
        .cloned()
        .chain(outcome.warnings.iter().map(|warning| warning.line()))
        .collect()
}

/// 1 for a high finding, 3 when something could not be read, else 0.
pub fn audit_exit_code(outcome: &AuditOutcome) -> i32 {
    if outcome.high_findings().next().is_some() {
        exit_code::BREACH
    } else if outcome.skipped.is_some() || !outcome.warnings.is_empty() {
        exit_code::INCONCLUSIVE
    } else {
        exit_code::SUCCESS
    }
}

/// The findings, one block each, then a count.
pub fn text_report(outcome: &AuditOutcome) -> String {
    let mut text = String::new();
    for finding in &outcome.findings {
        let _ = writeln!(
            text,
            "{} {:<6} {}\n    {}\n    subject: {}\n    fix: {}\n    see: {}",
            finding.code,
            finding.severity.as_str(),
            finding.code.title(),
            finding.detail,
            finding.subject,
            finding.code.fix(),
            finding.code.reference()
        );
    }
    let high = outcome.high_findings().count();
    let _ = writeln!(
        text,
        "audit: {} finding{} ({high} high), {} unread API{} in {} ms",
        outcome.findings.len(),
        if outcome.findings.len() == 1 { "" } else { "s" },
        outcome.warnings.len(),
        if outcome.warnings.len() == 1 { "" } else { "s" },
        outcome.duration_ms
    );
    text
}
