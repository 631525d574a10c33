//! `xtenant schema`: the JSON Schema of scenario files.

use crate::exit_code;
use crate::report::{print_stdout, write_stderr};
use crate::scenario;

pub fn schema() -> i32 {
    match serde_json::to_string_pretty(&scenario::scenario_schema()) {
        Ok(text) => print_stdout(&format!("{text}\n"), "the schema", exit_code::SUCCESS),
        Err(error) => {
            write_stderr(&format!("error: failed to print the schema: {error}\n"));
            exit_code::INVALID_INPUT
        }
    }
}
