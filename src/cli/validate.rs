//! `xtenant validate FILE`: every problem in a scenario file and, for a local target, in
//! its world file, or how many probes it plans.

use crate::exit_code;
use crate::report::{print_stdout, write_stderr};
use crate::run::local_target::check_world;
use crate::scenario::{self, DiagnosticCode, Diagnostics, world_target};
use std::path::Path;

pub fn validate(file: &Path) -> i32 {
    let loaded = scenario::load(file);
    let world_path = match &loaded {
        Ok(loaded) => loaded.target.local_world.clone(),
        Err(_) => world_target::local_world_of(file),
    };
    let world = world_path
        .as_deref()
        .and_then(|path| check_world(path).err());
    match (loaded, world) {
        (Ok(loaded), None) => {
            let probes = loaded.plan().probes.len();
            print_stdout(
                &format!("{} is valid: {probes} probes\n", file.display()),
                "the result",
                exit_code::SUCCESS,
            )
        }
        (Ok(_), Some(world)) => {
            write_stderr(&world.to_string());
            exit_code::INVALID_INPUT
        }
        (Err(diagnostics), world) => {
            print_load_problems(&diagnostics, world.as_ref());
            exit_code::INVALID_INPUT
        }
    }
}

/// The diagnostics of a scenario that does not load and, when its local world does not
/// load either, the world's own diagnostics; the scenario's note that the world does not
/// load is left out then, since the world's diagnostics say it precisely.
pub fn print_load_problems(scenario: &Diagnostics, world: Option<&Diagnostics>) {
    let scenario = match world {
        Some(_) => scenario.without(DiagnosticCode::WorldUnloadable),
        None => Some(scenario.clone()),
    };
    if let Some(scenario) = scenario {
        write_stderr(&scenario.to_string());
    }
    if let Some(world) = world {
        write_stderr(&world.to_string());
    }
}

/// For `plan` and `run`: the world's diagnostics of a scenario whose world does not load.
pub fn world_problems_of(file: &Path, scenario: &Diagnostics) -> Option<Diagnostics> {
    if !scenario
        .iter()
        .any(|d| d.code == DiagnosticCode::WorldUnloadable)
    {
        return None;
    }
    let path = world_target::local_world_of(file)?;
    check_world(&path).err()
}
