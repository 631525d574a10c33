//! `xtenant merge SHARD.evidence.json... --reports-dir DIR`: the evidence of every shard of
//! a `--shard K/N` run joined into the reports one unsharded run writes, with its exit
//! code. Reports go through the shared writer, so every report kind a run writes comes out.

use crate::error_chain::error_chain;
use crate::exit_code;
use crate::report::{ReportPaths, print_stdout, write_reports, write_stderr};
use crate::run::{exit_code_for, merge_shards, read_shard_evidence};
use std::path::{Path, PathBuf};

/// Merges the shards in `files` and writes the reports into `reports_dir`.
pub fn merge(files: &[PathBuf], reports_dir: &Path) -> i32 {
    let mut shards = Vec::new();
    for file in files {
        match read_shard_evidence(file) {
            Ok(results) => shards.push((file.clone(), results)),
            Err(error) => return refuse(&error),
        }
    }
    let merged = match merge_shards(shards) {
        Ok(merged) => merged,
        Err(error) => return refuse(&error),
    };
    let paths = ReportPaths::in_dir(reports_dir, &merged.scenario);
    if let Err(error) = write_reports(&merged, &paths) {
        write_stderr(&format!(
            "error: {}\n",
            merged.redactor.mask(&error_chain(&error))
        ));
        return exit_code::INVALID_INPUT;
    }
    let counts = merged.counts();
    let code = exit_code_for(&merged);
    print_stdout(
        &format!(
            "merged {} shards of `{}`: {}, {}; reports in {}\n",
            files.len(),
            merged.scenario,
            counts.probes_phrase(),
            counts.roles_phrase(),
            reports_dir.display()
        ),
        "the merge summary",
        code,
    )
}

fn refuse(error: &crate::run::MergeError) -> i32 {
    write_stderr(&format!("error: {}\n", error_chain(error)));
    exit_code::INVALID_INPUT
}
