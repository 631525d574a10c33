//! `xtenant plan FILE`: every probe a scenario expands to.

use crate::exit_code;
use crate::report::print_stdout;
use crate::run::Shard;
use crate::scenario;
use std::path::Path;

/// How `xtenant plan` prints the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Table,
    Json,
}

/// Prints the plan of `file`, or only `shard`'s share of it.
pub fn plan(file: &Path, format: PlanFormat, shard: Option<Shard>) -> i32 {
    match scenario::load(file) {
        Ok(loaded) => {
            let mut plan = loaded.plan();
            if let Some(shard) = shard {
                let users: Vec<&str> = loaded.users.iter().map(|user| user.name.as_str()).collect();
                plan = shard.share_of(&users, &plan);
            }
            let text = match format {
                PlanFormat::Table => scenario::plan_table::render_table(&plan),
                PlanFormat::Json => format!("{}\n", scenario::plan_table::render_json(&plan)),
            };
            print_stdout(&text, "the plan", exit_code::SUCCESS)
        }
        Err(diagnostics) => {
            let world = super::validate::world_problems_of(file, &diagnostics);
            super::validate::print_load_problems(&diagnostics, world.as_ref());
            exit_code::INVALID_INPUT
        }
    }
}
