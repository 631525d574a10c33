//! Scenario and world files: diagnostics of broken files (secrets masked whatever parses),
//! plan expansion, the JSON Schema, the CLI.

mod cli;
mod diagnostics;
mod masking;
mod plan;
mod schema;
mod support;
mod world_diagnostics;
