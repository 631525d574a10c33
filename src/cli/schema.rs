//! `xtenant schema`: the JSON Schema of scenario files.

use crate::exit_code;
use crate::scenario;

pub fn schema() -> i32 {
    match serde_json::to_string_pretty(&scenario::scenario_schema()) {
        Ok(text) => {
            println!("{text}");
            exit_code::SUCCESS
        }
        Err(error) => {
            eprintln!("error: failed to print the schema: {error}");
            exit_code::INVALID_INPUT
        }
    }
}
