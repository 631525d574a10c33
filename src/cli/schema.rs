//! `xtenant schema`: the JSON Schema of scenario files, or with `--evidence` that of the
//! evidence document a run writes.

use crate::exit_code;
use crate::report::{evidence_schema, print_stdout, write_stderr};
use crate::scenario;

/// Which document's schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaOf {
    Scenario,
    Evidence,
}

pub fn schema(of: SchemaOf) -> i32 {
    let schema = match of {
        SchemaOf::Scenario => scenario::scenario_schema(),
        SchemaOf::Evidence => evidence_schema(),
    };
    match serde_json::to_string_pretty(&schema) {
        Ok(text) => print_stdout(&format!("{text}\n"), "the schema", exit_code::SUCCESS),
        Err(error) => {
            write_stderr(&format!("error: failed to print the schema: {error}\n"));
            exit_code::INVALID_INPUT
        }
    }
}
