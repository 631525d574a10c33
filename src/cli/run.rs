//! `xtenant run FILE [OPTIONS] [-- LIBTEST-ARGS]`: loads the scenario, reaches its target
//! (local staging in-process for `local: world.yaml`), runs the selected probes through
//! the libtest front end and writes the reports.

use crate::error_chain::error_chain;
use crate::exit_code;
use crate::redaction::Redactor;
use crate::run::{
    PrepareError, RunArgs, RunTargetError, ctrl_c_interrupt, parse_libtest_arguments,
    prepare_run_with, run_with_libtest, scenario_name, world_error_location,
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
            eprint!("{diagnostics}");
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
    let prepared = match runtime.block_on(prepare_run_with(
        &loaded,
        &args.reports_dir,
        None,
        &args.target_patience(),
    )) {
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

/// The error line of a run that could not start. Nothing is known yet but shapes, so
/// those are masked (an error reading a target can echo a token or key).
fn print_prepare_error(error: &PrepareError) {
    let redactor = Redactor::default();
    if let PrepareError::Target(RunTargetError::World(world)) = error
        && let Some(located) = world_error_location(world)
    {
        eprintln!("error: {}", redactor.mask(&located));
        return;
    }
    eprintln!("error: {}", redactor.mask(&error_chain(error)));
}
