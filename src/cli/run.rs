//! `xtenant run FILE [OPTIONS] [-- LIBTEST-ARGS]`: loads the scenario, reaches its target
//! (local staging in-process for `local: world.yaml`), runs the selected probes through
//! the libtest front end and writes the reports.

use crate::error_chain::error_chain;
use crate::exit_code;
use crate::run::{
    PrepareError, RunArgs, RunTargetError, ctrl_c_interrupt, parse_libtest_arguments, prepare_run,
    run_with_libtest, scenario_name, world_error_location,
};
use crate::scenario;

/// Runs the scenario of `args` and returns the process exit code.
pub fn run(args: &RunArgs) -> i32 {
    let arguments = match parse_libtest_arguments(&args.libtest_args) {
        Ok(arguments) => arguments,
        Err(error) => {
            let _ = error.print();
            return exit_code::INVALID_INPUT;
        }
    };
    let loaded = match scenario::load(&args.file) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            let world = super::validate::world_problems_of(&args.file, &diagnostics);
            super::validate::print_load_problems(&diagnostics, world.as_ref());
            return exit_code::INVALID_INPUT;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: failed to start the async runtime: {error}");
            return exit_code::INVALID_INPUT;
        }
    };
    let prepared = match runtime.block_on(prepare_run(&loaded, &args.reports_dir, None)) {
        Ok(prepared) => prepared,
        Err(error) => {
            print_prepare_error(&error);
            return exit_code::INVALID_INPUT;
        }
    };
    let settings = args.front_end_settings(&scenario_name(&loaded));
    let outcome = run_with_libtest(
        &runtime,
        &prepared.input,
        prepared.backend.clone(),
        &settings,
        &arguments,
        ctrl_c_interrupt(),
    );
    prepared.finish();
    outcome.exit_code
}

fn print_prepare_error(error: &PrepareError) {
    if let PrepareError::Target(RunTargetError::World(world)) = error
        && let Some(located) = world_error_location(world)
    {
        eprint!("{located}");
        return;
    }
    eprintln!("error: {}", error_chain(error));
}
