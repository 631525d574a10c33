//! The libtest-mimic front end shared by `xtenant run` and `harness = false` test targets:
//! libtest arguments select the probes (same filter semantics as `cargo test`), the
//! scheduler runs them concurrently, the reports are written, and only then are the
//! finished results handed to libtest-mimic as trials, so the output and `--list` look like
//! `cargo test` and a stdout that fails cannot cost the reports (see [`run_libtest`]).

use super::backend::ProbeBackend;
use super::event::EventSink;
use super::exit_status::exit_code_for;
use super::input::RunInput;
use super::libtest_output::{LibtestOutputError, run_libtest};
use super::options::RunOptions;
use super::record_store::RecordStore;
use super::results::RunResults;
use super::role_case::{RoleCase, RoleOutcome};
use super::run_metadata::SelectionFilters;
use super::scheduler::run_plan;
use super::selection::Selection;
use crate::error_chain::error_chain;
use crate::exit_code;
use crate::probe::Outcome;
use crate::probe::ProbeRecord;
use crate::report::{
    ConsoleMode, ConsoleReporter, ConsoleSummary, ReportError, ReportPaths, probe_message,
    role_message, write_reports, write_stderr,
};
use crate::scenario::{ExpectationSource, ProbeName};
use libtest_mimic::{Arguments, Completion, Conclusion, Failed, Trial};
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// How long the console thread lets events gather before it handles them; a person
/// watching the console cannot tell.
const CONSOLE_TICK: std::time::Duration = std::time::Duration::from_millis(10);

/// What a front-end run produced.
#[derive(Debug)]
pub struct FrontEndOutcome {
    /// The process exit code, per [`crate::exit_code`].
    pub exit_code: i32,
    /// The results, unless libtest was only asked to `--list`.
    pub results: Option<RunResults>,
    /// libtest's own tally.
    pub conclusion: Conclusion,
    /// The report files written.
    pub reports_written: Vec<PathBuf>,
    /// A report that could not be written; the run then exits at least INCONCLUSIVE,
    /// because its evidence cannot be shown.
    pub report_error: Option<ReportError>,
    /// libtest's output could not be written (see [`crate::exit_code::after_stdout_error`]
    /// for what that does to the exit code).
    pub output_error: Option<LibtestOutputError>,
}

/// Parses the arguments after `--` as libtest would.
pub fn parse_libtest_arguments(args: &[String]) -> Result<Arguments, clap::Error> {
    <Arguments as clap::Parser>::try_parse_from(
        std::iter::once("xtenant-run").chain(args.iter().map(String::as_str)),
    )
}

/// Resolves on Ctrl-C. If the handler cannot be installed the run is simply never
/// interrupted.
pub async fn ctrl_c_interrupt() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// How the front end runs and where it reports.
#[derive(Debug, Clone)]
pub struct FrontEndSettings {
    pub options: RunOptions,
    pub reports: ReportPaths,
    pub console: ConsoleMode,
    /// The configuration audit made before the run, joined with its results and reported
    /// beside the probes; `None` with `--no-audit`.
    pub audit: Option<crate::audit::AuditOutcome>,
}

/// Runs what `arguments` select from `input` and reports through libtest-mimic.
///
/// libtest's `--test-threads` does not pace the probes (`settings.options.concurrency`
/// does); the finished results are printed by one libtest thread, in plan order.
pub fn run_with_libtest<B: ProbeBackend>(
    runtime: &tokio::runtime::Runtime,
    input: &RunInput,
    backend: Arc<B>,
    settings: &FrontEndSettings,
    arguments: &Arguments,
    interrupt: impl Future<Output = ()> + Send + 'static,
) -> FrontEndOutcome {
    let FrontEndSettings {
        options,
        reports,
        console,
        audit,
    } = settings;
    let console = *console;
    if arguments.list {
        return list_with_libtest(input, arguments);
    }
    let started = Instant::now();
    let selection = Selection::from_libtest(arguments, input);
    let redactor = input.redactor.clone();
    let (results, console_reporter) = runtime.block_on(async {
        let (events, mut receiver) = EventSink::channel();
        // Console writes block on stdout; they get their own thread, never a worker's.
        let console_task = tokio::task::spawn_blocking(move || {
            let mut reporter = ConsoleReporter::stdout(console).with_redactor(redactor);
            while let Some(event) = receiver.blocking_recv() {
                reporter.handle(&event);
                while let Ok(event) = receiver.try_recv() {
                    reporter.handle(&event);
                }
                // The events of the next few milliseconds are handled together: waking for
                // each one cost a context switch per probe, on cores the probes share.
                std::thread::sleep(CONSOLE_TICK);
            }
            reporter
        });
        // The scheduler's loop runs on a worker, beside the probes it starts and joins:
        // on the thread that blocks on the runtime, every probe that finished was a
        // wake-up of another thread.
        let scheduled = {
            let (input, selection, options, events) = (
                input.clone(),
                selection.clone(),
                options.clone(),
                events.clone(),
            );
            tokio::spawn(async move {
                run_plan(&input, &selection, backend, &options, &events, interrupt).await
            })
        };
        let results = match scheduled.await {
            Ok(results) => results,
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        };
        drop(events);
        // The console reporter ends when the last sender is gone; if it panicked, the
        // summary is lost but the exit code still tells the outcome.
        (results, console_task.await.ok())
    });
    let mut results = results;
    if let Some(metadata) = &mut results.run {
        metadata.filters = SelectionFilters::from_libtest(arguments);
    }
    if let Some(audit) = audit {
        results.audit = Some(crate::audit::AuditSection::new(audit, &results));
    }
    let (reports_written, report_error) = match write_reports(&results, reports) {
        Ok(written) => (written, None),
        Err(error) => (Vec::new(), Some(error)),
    };
    if console != ConsoleMode::FailuresOnly {
        let wrote: String = reports_written
            .iter()
            .map(|path| format!("wrote {}\n", path.display()))
            .collect();
        write_stderr(&input.redactor.mask(&wrote));
    }
    if let Some(error) = &report_error {
        write_stderr(&format!(
            "error: {}\n",
            input.redactor.mask(&error_chain(error))
        ));
    }
    let mut exit_code = exit_code_for(&results);
    if report_error.is_some() && exit_code == exit_code::SUCCESS {
        exit_code = exit_code::INCONCLUSIVE;
    }

    let (conclusion, written) = if console.shows_console() {
        write_audit_lines(input, &results, console);
        write_waiver_warnings(input, &results);
        let summary = ConsoleSummary {
            results: &results,
            exit_code,
            elapsed: started.elapsed(),
        };
        let written = match console_reporter {
            Some(reporter) => reporter.finish(&summary),
            None => Ok(()),
        };
        (
            conclusion_of(&results),
            written.map_err(LibtestOutputError::Stdout),
        )
    } else {
        // The work is done and reported; one libtest thread prints the trials in plan
        // order.
        let mut libtest_arguments = arguments.clone();
        libtest_arguments.test_threads = Some(1);
        let ran = run_libtest(&libtest_arguments, trials(input, Some(&results)));
        write_audit_lines(input, &results, console);
        write_waiver_warnings(input, &results);
        ran
    };
    let (exit_code, output_error) = after_output(exit_code, written);
    FrontEndOutcome {
        exit_code,
        results: Some(results),
        conclusion,
        reports_written,
        report_error,
        output_error,
    }
}

/// The audit's findings, each with the cases that confirm or refute it, one line each on
/// stderr; with `-q` only those that fail the run.
fn write_audit_lines(input: &RunInput, results: &RunResults, console: ConsoleMode) {
    let Some(audit) = &results.audit else {
        return;
    };
    let lines: String = if console == ConsoleMode::FailuresOnly {
        audit
            .failing()
            .map(|joined| format!("{}\n", joined.line()))
            .collect()
    } else {
        audit
            .findings
            .iter()
            .map(|joined| format!("{}\n", joined.line()))
            .collect()
    };
    write_stderr(&input.redactor.scrub(&lines));
}

/// Waivers that expired, went stale or cover inconclusive probes: never silent, even
/// with `-q`.
fn write_waiver_warnings(input: &RunInput, results: &RunResults) {
    let lines: String = results
        .waivers
        .warnings()
        .into_iter()
        .map(|warning| format!("warning: {warning}\n"))
        .collect();
    write_stderr(&input.redactor.scrub(&lines));
}

/// libtest's tally of a run the console reported: a case passed when it held.
fn conclusion_of(results: &RunResults) -> Conclusion {
    let counts = results.counts();
    let selection = results.selection();
    let passed = counts.held + counts.role_held;
    Conclusion {
        num_filtered_out: selection
            .planned_probes
            .saturating_sub(selection.selected_probes) as u64,
        num_passed: passed as u64,
        num_failed: (counts.probes() + counts.role_cases()).saturating_sub(passed + counts.waived)
            as u64,
        num_ignored: counts.waived as u64,
        num_measured: 0,
    }
}

/// Lists the cases of `input` as libtest's `--list` does, and touches nothing else: no
/// target, no secret, no ledger, no report. `input` may come from
/// [`crate::run::plan_input`], which reads no password.
pub fn list_with_libtest(input: &RunInput, arguments: &Arguments) -> FrontEndOutcome {
    let (conclusion, written) = run_libtest(arguments, trials(input, None));
    let (exit_code, output_error) = after_output(exit_code::SUCCESS, written);
    FrontEndOutcome {
        exit_code,
        results: None,
        conclusion,
        reports_written: Vec::new(),
        report_error: None,
        output_error,
    }
}

/// The exit code once libtest's output ended in `written`, the results having decided
/// `code`; a failure other than a closed pipe is told on stderr in one line.
fn after_output(
    code: i32,
    written: Result<(), LibtestOutputError>,
) -> (i32, Option<LibtestOutputError>) {
    match written {
        Ok(()) => (code, None),
        Err(error) => {
            if !error.is_closed_pipe() {
                write_stderr(&format!("error: {}\n", error_chain(&error)));
            }
            let code = exit_code::after_stdout_error(code, error.io_error());
            (code, Some(error))
        }
    }
}

/// A trial for a record the run produced beyond the plan.
fn record_trial(input: &RunInput, record: &ProbeRecord) -> Trial {
    if let Some(trial) = waived_trial(input, record) {
        return trial;
    }
    let result = match record.outcome {
        Outcome::Held => Ok(()),
        Outcome::Breach | Outcome::UnexpectedDeny | Outcome::Inconclusive => {
            Err(input.redactor.scrub(&probe_message(record)))
        }
    };
    Trial::test(record.name.0.clone(), move || result.map_err(Failed::from))
}

/// The run's records and expected-role cases by name, and the re-runs by the attack case
/// they follow: each trial finds its own in constant time (a search per trial was
/// quadratic, half of all CPU at 100k probes).
/// Records are found by position in the run's store and read back when their trial is
/// made.
#[derive(Default)]
struct RecordIndex<'r> {
    store: Option<&'r RecordStore>,
    records: HashMap<ProbeName, usize>,
    role_cases: HashMap<&'r str, &'r RoleCase>,
    reruns: HashMap<String, Vec<usize>>,
}

impl<'r> RecordIndex<'r> {
    fn new(results: Option<&'r RunResults>) -> RecordIndex<'r> {
        let mut index = RecordIndex::default();
        let Some(results) = results else {
            return index;
        };
        index.store = Some(&results.records);
        for (at, record) in results.records.iter().enumerate() {
            if let ExpectationSource::Escalated { case, .. } = &*record.source {
                index.reruns.entry(case.clone()).or_default().push(at);
            }
            // The first record of a name wins, as the search it replaces found it.
            index.records.entry(record.name).or_insert(at);
        }
        for case in &results.role_cases {
            index.role_cases.entry(case.user.as_str()).or_insert(case);
        }
        index
    }

    fn record(&self, name: &ProbeName) -> Option<ProbeRecord> {
        self.store?.get(*self.records.get(name)?)
    }

    /// The trials of the re-run of attack case `case`'s row, if it obtained credentials.
    fn rerun_trials(&self, input: &RunInput, case: &ProbeName) -> Vec<Trial> {
        let (Some(store), Some(positions)) = (self.store, self.reruns.get(case.0.as_str())) else {
            return Vec::new();
        };
        store
            .at_positions(positions)
            .map(|record| record_trial(input, &record))
            .collect()
    }
}

/// A waived finding is neither a pass nor a failure: libtest shows it as ignored, with the
/// waiver ("ignored, waived until 2027-03-01 (SEC-1: reason)"), so it is never silent.
fn waived_trial(input: &RunInput, record: &ProbeRecord) -> Option<Trial> {
    let waiver = record.waiver.as_ref().filter(|waiver| waiver.waives())?;
    let reason = input.redactor.scrub(&waiver.line());
    Some(Trial::ignorable_test(record.name.0.clone(), move || {
        Ok(Completion::ignored_with(reason))
    }))
}

/// One trial per expected-role case and per probe, each user's role case before its probes,
/// each attack case followed by the re-run of its row if it obtained credentials, then the
/// basic-flow cases on roles seen in the run.
/// Failure messages, which libtest prints to stdout, go through the run's redactor.
/// Without results (for `--list`) the trials are never run. A trial for a case the run did
/// not select fails if libtest ever runs it: selection and libtest must agree, and a case
/// nobody ran must never pass.
fn trials(input: &RunInput, results: Option<&RunResults>) -> Vec<Trial> {
    let index = RecordIndex::new(results);
    let mut trials = Vec::new();
    let mut users_seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let role_trial = |user: &str, expected: &str| {
        let case = index.role_cases.get(user).copied();
        let result = match case {
            Some(case) => match case.outcome {
                RoleOutcome::Held => Ok(()),
                RoleOutcome::WrongRole | RoleOutcome::Inconclusive => {
                    Err(input.redactor.scrub(&role_message(case)))
                }
            },
            None => Err(format!("not run: expected role {expected}")),
        };
        Trial::test(RoleCase::name_for(user), move || {
            result.map_err(Failed::from)
        })
    };
    let expected_role = |user: &str| {
        input
            .user(user)
            .and_then(|user| user.expected_role_arn.clone())
    };
    for probe in &input.plan.probes {
        if users_seen.insert(probe.user.as_str())
            && let Some(expected) = expected_role(&probe.user)
        {
            trials.push(role_trial(&probe.user, &expected));
        }
        let record = index.record(&probe.name);
        if let Some(trial) = record
            .as_ref()
            .and_then(|record| waived_trial(input, record))
        {
            trials.push(trial);
            trials.extend(index.rerun_trials(input, &probe.name));
            continue;
        }
        let result = match record {
            Some(record) if record.outcome == Outcome::Held => Ok(()),
            Some(record) => Err(input.redactor.scrub(&probe_message(&record))),
            None => Err("not run".to_owned()),
        };
        trials.push(Trial::test(probe.name.0.clone(), move || {
            result.map_err(Failed::from)
        }));
        // The re-run of the row with the credentials this attack case obtained: trials
        // that exist only once the attack has succeeded, so `--list` never shows them.
        trials.extend(index.rerun_trials(input, &probe.name));
    }
    // Basic-flow cases on roles seen in the run, which the plan could not name, each with
    // its re-run.
    let planned: std::collections::HashSet<&ProbeName> =
        input.plan.probes.iter().map(|probe| &probe.name).collect();
    let added = results
        .into_iter()
        .flat_map(|r| &r.records)
        .filter(|record| !planned.contains(&record.name) && !record.source.is_escalated());
    for record in added {
        trials.push(record_trial(input, &record));
        trials.extend(index.rerun_trials(input, &record.name));
    }
    for user in &input.users {
        if !users_seen.contains(&user.name.as_str())
            && let Some(expected) = &user.expected_role_arn
        {
            trials.push(role_trial(&user.name, expected));
        }
    }
    trials
}
