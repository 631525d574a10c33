//! `xtenant validate FILE`: every problem in a scenario file, or how many probes it plans.

use crate::exit_code;
use crate::report::{print_stdout, write_stderr};
use crate::scenario;
use std::path::Path;

pub fn validate(file: &Path) -> i32 {
    match scenario::load(file) {
        Ok(loaded) => {
            let probes = loaded.plan().probes.len();
            print_stdout(
                &format!("{} is valid: {probes} probes\n", file.display()),
                "the result",
                exit_code::SUCCESS,
            )
        }
        Err(diagnostics) => {
            write_stderr(&diagnostics.to_string());
            exit_code::INVALID_INPUT
        }
    }
}
