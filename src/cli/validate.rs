//! `xtenant validate FILE`: every problem in a scenario file, or how many probes it plans.

use crate::exit_code;
use crate::scenario;
use std::path::Path;

pub fn validate(file: &Path) -> i32 {
    match scenario::load(file) {
        Ok(loaded) => {
            let probes = loaded.plan().probes.len();
            println!("{} is valid: {probes} probes", file.display());
            exit_code::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            exit_code::INVALID_INPUT
        }
    }
}
