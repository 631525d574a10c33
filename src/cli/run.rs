//! `xtenant run FILE [OPTIONS] [-- LIBTEST-ARGS]`: loads the scenario, reaches its target
//! (local staging in-process for `local: world.yaml`), runs the selected probes through
//! the libtest front end and writes the reports. `-- --list` only lists: it reaches no
//! target, reads no secret and writes nothing.

use crate::audit::audit_scenario;
use crate::error_chain::error_chain;
use crate::exit_code;
use crate::identity::CredentialsSource;
use crate::redaction::Redactor;
use crate::report::{print_stdout, write_stderr};
use crate::run::{
    PrepareError, RunArgs, RunTargetError, Selection, check_ambient_credentials, check_pools,
    ctrl_c_interrupt, list_with_libtest, parse_libtest_arguments, prepare_run_with,
    run_with_libtest, scenario_name, shard_plan_input, world_error_location,
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
    if arguments.list {
        let listed = shard_plan_input(&loaded, args.shard);
        return list_with_libtest(&listed, &arguments).exit_code;
    }
    if let Some(option) = libtest_output_option(&arguments) {
        write_stderr(&format!(
            "error: `-- {option}` shapes libtest's output, which `xtenant run` does not print: \
             its console replaces it (`-q` for failures only); the JUnit report \
             (`--junit FILE`) is the machine-readable result, and `cargo test --test \
             isolation` prints libtest's own output\n"
        ));
        return exit_code::INVALID_INPUT;
    }
    // A filter that selects nothing would run nothing and exit 0: a gate that passes by
    // accident. Checked before anything starts, from the plan alone.
    let listed = shard_plan_input(&loaded, args.shard);
    let selection = Selection::from_libtest(&arguments, &listed);
    if selection.probe_count() == 0 && selection.role_case_count() == 0 {
        let every = Selection::all(&listed);
        if let Some(shard) = args.shard
            && every.probe_count() + every.role_case_count() == 0
        {
            write_stderr(&format!(
                "error: shard {shard} of `{}` holds none of its cases ({} users), so nothing \
                 would be tested; use at most {} shards\n",
                listed.scenario,
                listed.users.len(),
                listed.users.len()
            ));
            return exit_code::INVALID_INPUT;
        }
        write_stderr(&format!(
            "error: the filter selects none of the {} cases of `{}`, so nothing would be \
             tested; see the names with `xtenant run {} -- --list`\n",
            every.probe_count() + every.role_case_count(),
            listed.scenario,
            args.file.display()
        ));
        return exit_code::INVALID_INPUT;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            write_stderr(&format!(
                "error: failed to start the async runtime: {error}\n"
            ));
            return exit_code::INVALID_INPUT;
        }
    };
    let mut prepared = match runtime.block_on(prepare_run_with(
        &loaded,
        listed.plan.clone(),
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
    prepared.input.shard = args.shard;
    if let Some(metadata) = prepared.input.metadata.as_mut()
        && args.shard.is_some()
    {
        metadata.shard = args.shard;
        metadata.scenario_users = prepared
            .input
            .users
            .iter()
            .map(|user| user.name.clone())
            .collect();
    }
    let redactor = prepared.input.redactor.clone();
    super::logging::redact_logs_with(&redactor);
    let ambient_needed = match runtime.block_on(check_ambient_credentials(
        &loaded,
        &prepared.target.aws,
        &redactor,
    )) {
        Ok(needed) => needed,
        Err(error) => {
            write_stderr(&format!("error: {}\n", redactor.mask(&error.to_string())));
            prepared.finish();
            return exit_code::INVALID_INPUT;
        }
    };
    if args.preflight {
        let pools = runtime.block_on(check_pools(&loaded, &prepared.backend, &redactor));
        prepared.finish();
        return match pools {
            Ok(signed_in) => print_stdout(
                &redactor.scrub(&preflight_report(
                    &loaded,
                    ambient_needed,
                    signed_in.as_deref(),
                )),
                "the preflight report",
                exit_code::SUCCESS,
            ),
            Err(error) => {
                write_stderr(&format!("error: {}\n", redactor.mask(&error.to_string())));
                exit_code::INVALID_INPUT
            }
        };
    }
    if let Some(target) = prepared.input.metadata.as_ref().map(|run| &run.target)
        && let Some(ignored) = &target.ignored_environment_region
    {
        write_stderr(&format!(
            "note: the environment's region {ignored} (AWS_REGION) is ignored: the scenario's \
             region {} decides where every call goes\n",
            target.region
        ));
    }
    let mut settings = args.front_end_settings(&scenario_name(&loaded));
    if !args.no_audit {
        let outcome = runtime.block_on(audit_scenario(
            &loaded,
            &prepared.target.aws,
            CredentialsSource::Ambient,
            &prepared.input.redactor,
        ));
        // A read the audit could not make is a warning, never a failure of the probes.
        for line in super::audit::outcome_warnings(&outcome) {
            write_stderr(&format!(
                "warning: {}\n",
                prepared.input.redactor.scrub(&line)
            ));
        }
        settings.audit = Some(outcome);
    }
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

/// A libtest argument that only shapes libtest's own output, which `xtenant run` replaces
/// with its console: taking it silently would drop what the user asked for.
fn libtest_output_option(arguments: &libtest_mimic::Arguments) -> Option<&'static str> {
    if arguments.logfile.is_some() {
        Some("--logfile")
    } else if arguments.format.is_some() {
        Some("--format")
    } else if arguments.quiet {
        Some("--quiet")
    } else if arguments.show_output {
        Some("--show-output")
    } else {
        None
    }
}

/// What `--preflight` checked, one line each, and that nothing was probed.
fn preflight_report(
    scenario: &scenario::Scenario,
    ambient_needed: bool,
    signed_in: Option<&str>,
) -> String {
    let target = &scenario.target;
    let mut report = format!(
        "preflight: every password and client secret of the {} users resolves\n",
        scenario.users.len()
    );
    report.push_str(if ambient_needed {
        "preflight: ambient AWS credentials resolve (needed by `flow: admin`)\n"
    } else {
        "preflight: ambient AWS credentials are not needed by this sign-in flow\n"
    });
    match signed_in {
        Some(user) => report.push_str(&format!(
            "preflight: `{user}` signed in and exchanged its token: user pool {}, app client \
             {} and identity pool {} answer\n",
            target.user_pool.id, target.user_pool.client_id, target.identity_pool.id
        )),
        None => report.push_str("preflight: no user signs in, so the pools were not tried\n"),
    }
    report.push_str("preflight passed: no probe was run and no report written\n");
    report
}

/// The error line of a run that could not start. Nothing is known yet but shapes, so
/// those are masked (an error reading a target can echo a token or key).
fn print_prepare_error(error: &PrepareError) {
    let redactor = Redactor::default();
    if let PrepareError::Target(RunTargetError::World(world)) = error
        && let Some(located) = world_error_location(world)
    {
        write_stderr(&redactor.mask(&located));
        return;
    }
    write_stderr(&format!("error: {}\n", redactor.mask(&error_chain(error))));
}
