//! Writing every requested report of a run to disk.

use super::evidence::write_evidence;
use super::html::write_html;
use super::junit::write_junit;
use super::report_paths::ReportPaths;
use super::sarif::write_sarif;
use super::scrubbing_writer::ScrubbingWriter;
use super::summary::markdown_summary;
use crate::redaction::Redactor;
use crate::run::RunResults;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("failed to render the junit report")]
    Junit(#[source] quick_junit::SerializeError),
    #[error("failed to render the json evidence")]
    Evidence(#[source] serde_json::Error),
    #[error("failed to render the sarif report")]
    Sarif(#[source] serde_json::Error),
    #[error("failed to render a report")]
    Render(#[source] std::io::Error),
    #[error("failed to write report `{path}`")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes each report `paths` names, scrubbed through the run's redactor, and returns the
/// files written. Every report is attempted even when an earlier one fails; the first
/// failure is returned. Each report streams to its file as it is rendered (see
/// [`ScrubbingWriter`]), so a report that fails half-way leaves what it rendered so far on
/// the disk, and the error says which.
pub fn write_reports(
    results: &RunResults,
    paths: &ReportPaths,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::new();
    let mut first_error = None;
    let mut attempt =
        |path: &Option<PathBuf>, render: &dyn Fn(&mut dyn Write) -> Result<(), ReportError>| {
            let Some(path) = path else { return };
            match write_file(path, &results.redactor, render) {
                Ok(()) => written.push(path.clone()),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        };
    attempt(&paths.junit, &|out| {
        write_junit(results, out).map_err(ReportError::Junit)
    });
    attempt(&paths.evidence, &|out| {
        write_evidence(results, out).map_err(ReportError::Evidence)
    });
    attempt(&paths.html, &|out| {
        write_html(results, out).map_err(ReportError::Render)
    });
    attempt(&paths.markdown, &|out| {
        out.write_all(markdown_summary(results).as_bytes())
            .map_err(ReportError::Render)
    });
    attempt(&paths.sarif, &|out| {
        write_sarif(results, out).map_err(ReportError::Sarif)
    });
    match first_error {
        Some(error) => Err(error),
        None => Ok(written),
    }
}

/// Renders one report into `path` through a buffered file and the run's redactor: the last
/// gate before the disk masks whatever a record field let through (the records themselves
/// were scrubbed as they arrived).
fn write_file(
    path: &Path,
    redactor: &Redactor,
    render: &dyn Fn(&mut dyn Write) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let io = |source| ReportError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file = File::create(path).map_err(io)?;
    let mut out = ScrubbingWriter::new(BufWriter::with_capacity(1 << 16, file), redactor);
    let rendered = render(&mut out);
    // What was rendered is written even when rendering failed half-way.
    let finished = out.finish().and_then(|mut file| file.flush()).map_err(io);
    rendered.and(finished)
}
