//! Where the reports go: `reports/<scenario>.junit.xml`, `.evidence.json`, `.html`, `.md`,
//! `.sarif`
//! by default, or explicit paths.

use std::path::{Path, PathBuf};

/// The directory reports go to unless told otherwise.
pub const DEFAULT_REPORTS_DIR: &str = "reports";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPaths {
    pub junit: Option<PathBuf>,
    pub evidence: Option<PathBuf>,
    pub html: Option<PathBuf>,
    pub markdown: Option<PathBuf>,
    /// SARIF 2.1.0, for code scanning.
    pub sarif: Option<PathBuf>,
}

impl ReportPaths {
    /// Every report in `dir`, named after the scenario.
    pub fn in_dir(dir: &Path, scenario: &str) -> ReportPaths {
        let stem = file_stem(scenario);
        ReportPaths {
            junit: Some(dir.join(format!("{stem}.junit.xml"))),
            evidence: Some(dir.join(format!("{stem}.evidence.json"))),
            html: Some(dir.join(format!("{stem}.html"))),
            markdown: Some(dir.join(format!("{stem}.md"))),
            sarif: Some(dir.join(format!("{stem}.sarif"))),
        }
    }

    /// No report at all.
    pub fn none() -> ReportPaths {
        ReportPaths {
            junit: None,
            evidence: None,
            html: None,
            markdown: None,
            sarif: None,
        }
    }
}

/// A scenario name made safe as a file name: path separators and other troublesome
/// characters become `-`.
fn file_stem(scenario: &str) -> String {
    let stem: String = scenario
        .chars()
        .map(|ch| {
            if ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.') {
                ch
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('.');
    if stem.is_empty() {
        "scenario".to_owned()
    } else {
        stem.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_files_are_named_after_the_scenario_without_escaping_the_directory() {
        let paths = ReportPaths::in_dir(Path::new("reports"), "../pacific/matrix");
        assert_eq!(
            paths.junit.unwrap(),
            PathBuf::from("reports/-pacific-matrix.junit.xml")
        );
        assert_eq!(
            ReportPaths::in_dir(Path::new("r"), "..").markdown.unwrap(),
            PathBuf::from("r/scenario.md")
        );
    }
}
