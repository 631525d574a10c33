//! The `isolation` test target (`harness = false`): every shipped scenario
//! (`scenarios/*/matrix.yaml`) through the same engine as `xtenant run`, against local
//! staging started in-process, with libtest's output and filters.
//!
//! One libtest run per scenario, in folder order. Every probe and expected-role case is
//! named `<scenario>::<user>::...`, so a filter works across scenarios:
//! `cargo test --test isolation -- pacific::` runs only PACIFIC's cases (the other
//! scenarios report `0 passed; N filtered out`). `XTENANT_SCENARIO=pacific` runs only that
//! scenario, without even starting the others. No report files are written; a run whose
//! target outlived it would keep its cleanup ledger under cargo's per-target temporary
//! folder (local staging started in-process keeps it in memory). The process exits 0 only
//! when every scenario held; otherwise with the most severe exit code of `xtenant run`
//! (4, then 1, 2, 3).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use xtenant::exit_code;
use xtenant::report::{ConsoleMode, ReportPaths};
use xtenant::run::{FrontEndSettings, RunOptions, prepare_run, run_with_libtest, scenario_name};

fn main() {
    let arguments = libtest_mimic::Arguments::from_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let only = std::env::var("XTENANT_SCENARIO").ok();
    let scenarios = shipped_scenarios(&root.join("scenarios"), only.as_deref());
    if scenarios.is_empty() {
        eprintln!(
            "error: no scenario to run (XTENANT_SCENARIO={})",
            only.as_deref().unwrap_or("unset")
        );
        std::process::exit(exit_code::INVALID_INPUT);
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let ledger_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("isolation");
    let mut codes = Vec::new();
    for file in scenarios {
        let scenario = match xtenant::scenario::load(&file) {
            Ok(scenario) => scenario,
            Err(diagnostics) => {
                eprint!("{diagnostics}");
                codes.push(exit_code::INVALID_INPUT);
                continue;
            }
        };
        let name = scenario_name(&scenario);
        let prefix = format!("{name}::");
        let prepared =
            match runtime.block_on(prepare_run(&scenario, &ledger_dir, Some(prefix.as_str()))) {
                Ok(prepared) => prepared,
                Err(error) => {
                    eprintln!(
                        "error: scenario `{name}`: {}",
                        xtenant::cli::error_chain(&error)
                    );
                    codes.push(exit_code::INVALID_INPUT);
                    continue;
                }
            };
        let settings = FrontEndSettings {
            options: RunOptions::default(),
            reports: ReportPaths::none(),
            console: ConsoleMode::Quiet,
            audit: None,
        };
        // On stderr, so `--list --format terse` stays one `name: test` line per case.
        eprintln!("\nscenario {name} ({})", file.display());
        let outcome = run_with_libtest(
            &runtime,
            &prepared.input,
            Arc::clone(&prepared.backend),
            &settings,
            &arguments,
            std::future::pending(),
        );
        prepared.finish();
        codes.push(outcome.exit_code);
    }
    let worst = [
        exit_code::INVALID_INPUT,
        exit_code::BREACH,
        exit_code::EXPECTATION_FAILED,
        exit_code::INCONCLUSIVE,
    ]
    .into_iter()
    .find(|code| codes.contains(code))
    .unwrap_or(exit_code::SUCCESS);
    std::process::exit(worst);
}

/// `scenarios/<name>/matrix.yaml` for every folder that has one (or only `only`), sorted.
fn shipped_scenarios(dir: &Path, only: Option<&str>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|folder| {
            only.is_none_or(|wanted| folder.file_name().is_some_and(|name| name == wanted))
        })
        .map(|folder| folder.join("matrix.yaml"))
        .filter(|file| file.is_file())
        .collect();
    files.sort();
    files
}
