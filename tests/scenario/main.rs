//! Scenario files: diagnostics of broken files, plan expansion, the JSON Schema, the CLI.

mod cli;
mod diagnostics;
mod plan;
mod schema;
mod support;
