//! Writing every requested report of a run to disk.

use super::evidence::evidence_json;
use super::html::html_report;
use super::junit::junit_xml;
use super::report_paths::ReportPaths;
use super::sarif::sarif_report;
use super::summary::markdown_summary;
use crate::run::RunResults;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("failed to render the junit report")]
    Junit(#[source] quick_junit::SerializeError),
    #[error("failed to render the json evidence")]
    Evidence(#[source] serde_json::Error),
    #[error("failed to render the sarif report")]
    Sarif(#[source] serde_json::Error),
    #[error("failed to write report `{path}`")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes each report `paths` names, scrubbed through the run's redactor, and returns the
/// files written. Every report is
/// attempted even when an earlier one fails; the first failure is returned.
pub fn write_reports(
    results: &RunResults,
    paths: &ReportPaths,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::new();
    let mut first_error = None;
    let mut attempt = |path: &Option<PathBuf>, render: &dyn Fn() -> Result<String, ReportError>| {
        let Some(path) = path else { return };
        // The last gate before the disk: whatever a record field let through is masked in
        // the rendered text (the records themselves were scrubbed as they arrived).
        let rendered = render().map(|content| results.redactor.scrub(&content));
        match rendered.and_then(|content| write_file(path, &content)) {
            Ok(()) => written.push(path.clone()),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    };
    attempt(&paths.junit, &|| {
        junit_xml(results).map_err(ReportError::Junit)
    });
    attempt(&paths.evidence, &|| {
        evidence_json(results).map_err(ReportError::Evidence)
    });
    attempt(&paths.html, &|| Ok(html_report(results)));
    attempt(&paths.markdown, &|| Ok(markdown_summary(results)));
    attempt(&paths.sarif, &|| {
        sarif_report(results).map_err(ReportError::Sarif)
    });
    match first_error {
        Some(error) => Err(error),
        None => Ok(written),
    }
}

fn write_file(path: &Path, content: &str) -> Result<(), ReportError> {
    let io = |source| ReportError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, content).map_err(io)
}
