//! `xtenant diff OLD.evidence.json NEW.evidence.json`: what changed between two runs, by
//! probe name. Exits 1 when the new run has a breach the old one did not (a baseline
//! gate), 0 otherwise, 4 when a file cannot be read as evidence.

use crate::exit_code;
use crate::report::{EvidenceDiff, EvidenceProbes, print_stdout, write_stderr};
use std::path::Path;

pub fn diff(old: &Path, new: &Path) -> i32 {
    let (old_probes, new_probes) = match (read(old), read(new)) {
        (Ok(old_probes), Ok(new_probes)) => (old_probes, new_probes),
        (old_read, new_read) => {
            for error in [old_read.err(), new_read.err()].into_iter().flatten() {
                write_stderr(&error);
            }
            return exit_code::INVALID_INPUT;
        }
    };
    let diff = EvidenceDiff::between(&old_probes, &new_probes);
    let code = if diff.new_breaches.is_empty() {
        exit_code::SUCCESS
    } else {
        exit_code::BREACH
    };
    print_stdout(&diff.render(&old_probes, &new_probes), "the diff", code)
}

/// The probes of the evidence at `path`, or the error line naming the file.
fn read(path: &Path) -> Result<EvidenceProbes, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("error: failed to read `{}`: {error}\n", path.display()))?;
    EvidenceProbes::parse(&text)
        .map_err(|error| format!("error: cannot compare `{}`: {error}\n", path.display()))
}
