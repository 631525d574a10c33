//! The console of `xtenant run`: one line per case as it finishes, on stdout, with a
//! progress bar on stderr when stderr is a terminal, then the failures again, grouped, and
//! one last line (see [`super::console_summary`]). Lines are plain text whatever the
//! terminal: the bar's control codes go to stderr only, and only when it is a terminal.

use super::console_summary::{ConsoleSummary, short_reason};
use super::failure_message::{outcome_label, role_message, role_outcome_label};
use crate::probe::Outcome;
use crate::redaction::Redactor;
use crate::run::{RoleOutcome, RunEvent, SelectionSummary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::time::{Duration, Instant};

/// How the console shows a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleMode {
    /// One line per case and a progress bar (count, elapsed, ETA) on stderr.
    ProgressBar,
    /// One line per case, nothing else: for a stderr that is not a terminal, or that log
    /// lines share.
    Lines,
    /// `-q`: only the cases that did not hold and the last line.
    FailuresOnly,
    /// No console at all: libtest-mimic's own output is the report (`harness = false` test
    /// targets, which `cargo test` users read as libtest).
    Quiet,
}

impl ConsoleMode {
    /// The console of `xtenant run`: failures only with `-q`; a bar when stderr is a
    /// terminal and no log line is written there (a log line would cut through the bar);
    /// plain lines otherwise.
    pub fn for_run(quiet: bool, logging: bool) -> ConsoleMode {
        use std::io::IsTerminal;
        if quiet {
            ConsoleMode::FailuresOnly
        } else if std::io::stderr().is_terminal() && !logging {
            ConsoleMode::ProgressBar
        } else {
            ConsoleMode::Lines
        }
    }

    /// [`ConsoleMode::for_run`] without `-q` and without logs.
    pub fn detect() -> ConsoleMode {
        ConsoleMode::for_run(false, false)
    }

    /// Whether the console replaces libtest-mimic's output.
    pub fn shows_console(self) -> bool {
        self != ConsoleMode::Quiet
    }

    /// Whether cases that held, and progress, are told.
    fn shows_progress(self) -> bool {
        matches!(self, ConsoleMode::ProgressBar | ConsoleMode::Lines)
    }
}

/// Off a terminal the buffer reaches stdout at least this often, so a CI log follows the
/// run without one write per line.
const FLUSH_INTERVAL: Duration = Duration::from_millis(200);

/// Turns run events into console lines. Every line goes through the redactor on its way
/// out (shapes only, unless the run's redactor is given). A failed write stops the output,
/// never the run: the first failure is kept for [`ConsoleReporter::finish`].
pub struct ConsoleReporter<W: Write> {
    mode: ConsoleMode,
    out: W,
    bar: Option<ProgressBar>,
    redactor: Redactor,
    /// Set by `RunStarted` when the run selected fewer probes than the plan holds.
    partial: Option<SelectionSummary>,
    write_error: Option<std::io::Error>,
    last_flush: Instant,
}

impl ConsoleReporter<std::io::BufWriter<std::io::Stdout>> {
    /// A console on stdout, buffered.
    pub fn stdout(mode: ConsoleMode) -> Self {
        ConsoleReporter::new(
            mode,
            std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
        )
    }
}

impl<W: Write> ConsoleReporter<W> {
    pub fn new(mode: ConsoleMode, out: W) -> Self {
        ConsoleReporter {
            mode,
            out,
            bar: None,
            redactor: Redactor::default(),
            partial: None,
            write_error: None,
            last_flush: Instant::now(),
        }
    }

    /// Masks what `redactor` knows (the run's secrets, and the tokens and credentials it
    /// learns) in every line, on top of the shapes.
    pub fn with_redactor(mut self, redactor: Redactor) -> Self {
        self.redactor = redactor;
        self
    }

    /// The writer, once the run is over (tests read what was written).
    pub fn into_inner(mut self) -> W {
        let _ = self.out.flush();
        self.out
    }

    /// Reports one event. Every variant is matched by name: a new event needs a decision.
    pub fn handle(&mut self, event: &RunEvent) {
        if self.mode == ConsoleMode::Quiet {
            return;
        }
        match event {
            RunEvent::RunStarted {
                scenario,
                selected_probes,
                selected_role_cases,
                planned_probes,
                concurrency,
            } => {
                let selection = SelectionSummary::new(*selected_probes, *planned_probes);
                self.partial = selection.partial.then_some(selection);
                let partial = self
                    .partial
                    .map(|selection| format!(" ({selection})"))
                    .unwrap_or_default();
                self.progress(&format!(
                    "running {selected_probes} probes and {selected_role_cases} expected-role \
                     cases of `{scenario}`{partial}, {concurrency} at a time"
                ));
                if self.mode == ConsoleMode::ProgressBar {
                    self.bar = Some(progress_bar(*selected_probes + *selected_role_cases));
                }
            }
            RunEvent::SignInStarted { .. } => {}
            RunEvent::SignInFinished { evidence } => match &evidence.error {
                Some(error) => {
                    self.failure(&format!("sign-in failed for `{}`: {error}", evidence.user))
                }
                None => self.progress(&format!(
                    "signed in    `{}` as {}",
                    evidence.user,
                    evidence
                        .caller_arn
                        .as_deref()
                        .or(evidence.role_arn.as_deref())
                        .unwrap_or("an unknown role")
                )),
            },
            RunEvent::ProbeStarted { name } => {
                if let Some(bar) = &self.bar {
                    bar.set_message(self.redactor.scrub(&name.0));
                }
            }
            RunEvent::ProbeFinished { record } => {
                if let Some(bar) = &self.bar {
                    // A re-run with an attack's credentials is not in the selection the
                    // bar started from.
                    if record.source.is_escalated() {
                        bar.inc_length(1);
                    }
                    bar.inc(1);
                }
                match record.outcome {
                    Outcome::Held => self.progress(&format!("held          {}", record.name)),
                    Outcome::Breach | Outcome::UnexpectedDeny | Outcome::Inconclusive => self
                        .failure(&format!(
                            "{:<13} {} ({})",
                            outcome_label(record.outcome).to_uppercase(),
                            record.name,
                            short_reason(record)
                        )),
                }
            }
            // A waiver applied after the run revises a finding too: "now breach (waived:
            // SEC-1)", never a silent change.
            RunEvent::ProbeRevised { record } => self.failure(&format!(
                "{:<13} {} (now {}: {})",
                "REVISED",
                record.name,
                super::waiver_report::outcome_with_waiver(record),
                short_reason(record)
            )),
            RunEvent::RoleChecked { case } => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
                match case.outcome {
                    RoleOutcome::Held => self.progress(&format!("held          {}", case.name)),
                    RoleOutcome::WrongRole | RoleOutcome::Inconclusive => self.failure(&format!(
                        "{:<13} {} ({})",
                        role_outcome_label(case.outcome).to_uppercase(),
                        case.name,
                        role_message(case)
                    )),
                }
            }
            RunEvent::Interrupted {
                in_flight,
                not_started,
                grace,
            } => self.failure(&format!(
                "interrupted: {not_started} probes will not start; waiting up to {grace:?} \
                 for {in_flight} in flight"
            )),
            RunEvent::GraceExpired { abandoned } => self.failure(&format!(
                "grace period over: abandoned {abandoned} tasks in flight"
            )),
            RunEvent::CleanupStarted => {}
            RunEvent::CleanupFinished { summary } => {
                if summary.removed > 0 {
                    self.progress(&format!("removed {} canaries", summary.removed));
                }
                for failure in &summary.failures {
                    self.failure(&format!("cleanup failed: {failure}"));
                }
            }
            RunEvent::RunFinished { counts, duration } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
                self.progress(&format!(
                    "probes finished in {:.1}s: {}; {}",
                    duration.as_secs_f64(),
                    counts.probes_phrase(),
                    counts.roles_phrase()
                ));
            }
        }
    }

    /// Repeats the failures, grouped, then writes the last line, and flushes. Returns the
    /// first write that failed during the whole run, if any.
    pub fn finish(self, summary: &ConsoleSummary<'_>) -> Result<(), std::io::Error> {
        self.finish_lines(&summary.lines())
    }

    fn finish_lines(mut self, lines: &[String]) -> Result<(), std::io::Error> {
        if self.mode != ConsoleMode::Quiet {
            if let Some(bar) = self.bar.take() {
                bar.finish_and_clear();
            }
            for line in lines {
                self.write_line(line);
            }
            if self.write_error.is_none()
                && let Err(error) = self.out.flush()
            {
                self.write_error = Some(error);
            }
        }
        match self.write_error {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// A line shown only while the run's progress is told (not with `-q`).
    fn progress(&mut self, text: &str) {
        if self.mode.shows_progress() {
            self.write_line(text);
        }
    }

    /// A line shown in every console mode: something did not hold or went wrong.
    fn failure(&mut self, text: &str) {
        self.write_line(text);
    }

    fn write_line(&mut self, text: &str) {
        if self.write_error.is_some() {
            return;
        }
        let text = self.redactor.mask(text);
        let ConsoleReporter {
            out,
            bar,
            last_flush,
            ..
        } = self;
        let written = match bar {
            // The bar steps aside while the line is written, so neither cuts the other.
            Some(bar) => bar.suspend(|| writeln!(out, "{text}").and_then(|()| out.flush())),
            None => writeln!(out, "{text}").and_then(|()| {
                if last_flush.elapsed() >= FLUSH_INTERVAL {
                    *last_flush = Instant::now();
                    out.flush()
                } else {
                    Ok(())
                }
            }),
        };
        if let Err(error) = written {
            self.write_error = Some(error);
        }
    }
}

/// The bar on stderr: elapsed, bar, count, ETA, then the case running, cut to the
/// terminal's width so the line never wraps.
fn progress_bar(cases: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(cases as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} {bar:20} {pos}/{len} cases, ETA {eta} {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::ProbeRecord;
    use crate::run::{OutcomeCounts, unsent_record};
    use crate::scenario::{
        Action, Expectation, ExpectationSource, PlannedProbe, ProbeName, ResourceTarget,
    };

    fn record(name: &str, outcome: Outcome) -> Box<ProbeRecord> {
        let probe = PlannedProbe {
            name: ProbeName::from(name.to_owned()),
            user: "alice".into(),
            tenant: "globex".into(),
            resource: "docs".into(),
            target: ResourceTarget::S3Object {
                bucket: "docs".into(),
                key: "globex/a.txt".into(),
            }
            .into(),
            action: Action::Read,
            expectation: Expectation::Deny,
            source: ExpectationSource::CrossTenantDefault.into(),
            shape: None,
        };
        let mut record = unsent_record(&probe, "timed out".into(), 0);
        record.outcome = outcome;
        Box::new(record)
    }

    fn events() -> Vec<RunEvent> {
        vec![
            RunEvent::RunStarted {
                scenario: "pacific".into(),
                selected_probes: 2,
                selected_role_cases: 0,
                planned_probes: 2,
                concurrency: 4,
            },
            RunEvent::ProbeFinished {
                record: record("alice::globex/docs::read", Outcome::Held),
            },
            RunEvent::ProbeFinished {
                record: record("alice::globex/docs::write", Outcome::Inconclusive),
            },
            RunEvent::RunFinished {
                counts: OutcomeCounts::default(),
                duration: Duration::from_secs(1),
            },
        ]
    }

    #[test]
    fn quiet_keeps_the_failures_and_drops_progress() {
        let mut console = ConsoleReporter::new(ConsoleMode::FailuresOnly, Vec::new());
        for event in events() {
            console.handle(&event);
        }
        let out = String::from_utf8(console.into_inner()).unwrap();
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(
            out.starts_with("INCONCLUSIVE  alice::globex/docs::write (expected deny, verdict "),
            "{out}"
        );
    }

    /// A stdout that fails after `room` bytes, counting the writes it was asked for.
    struct Failing {
        room: usize,
        attempts: usize,
    }

    impl Write for Failing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.attempts += 1;
            if bytes.len() > self.room {
                return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
            }
            self.room -= bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stdout_that_fails_stops_the_lines_not_the_run_and_the_failure_is_kept() {
        let mut console = ConsoleReporter::new(
            ConsoleMode::Lines,
            Failing {
                room: 10,
                attempts: 0,
            },
        );
        for event in events() {
            console.handle(&event);
        }
        let attempts = console.out.attempts;
        assert!(attempts >= 1);
        for event in events() {
            console.handle(&event);
        }
        assert_eq!(
            console.out.attempts, attempts,
            "nothing written after the failure"
        );
        let error = console
            .finish_lines(&["xtenant: 0 breaches".to_owned()])
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
    }
}
