//! Console output while a run progresses: a progress bar on a terminal, plain lines
//! otherwise. Everything goes to stderr, so libtest's listing on stdout stays clean.

use super::failure_message::{outcome_label, probe_message, role_message, role_outcome_label};
use crate::probe::Outcome;
use crate::redaction::Redactor;
use crate::run::{RoleOutcome, RunEvent, SelectionSummary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;

/// How the console shows progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleMode {
    /// A progress bar, with a line for every case that did not hold.
    ProgressBar,
    /// One line per event worth telling.
    Lines,
    /// Nothing.
    Quiet,
}

impl ConsoleMode {
    /// A progress bar when stderr is a terminal, plain lines otherwise.
    pub fn detect() -> ConsoleMode {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            ConsoleMode::ProgressBar
        } else {
            ConsoleMode::Lines
        }
    }
}

/// Turns run events into console output. Every line goes through the redactor on its way
/// out (shapes only, unless the run's redactor is given).
pub struct ConsoleReporter<W: Write> {
    mode: ConsoleMode,
    out: W,
    bar: Option<ProgressBar>,
    redactor: Redactor,
    /// Set by `RunStarted` when the run selected fewer probes than the plan holds.
    partial: Option<SelectionSummary>,
}

impl ConsoleReporter<std::io::Stderr> {
    pub fn stderr(mode: ConsoleMode) -> Self {
        ConsoleReporter::new(mode, std::io::stderr())
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
        }
    }

    /// Masks what `redactor` knows (the run's secrets, and the tokens and credentials it
    /// learns) in every line, on top of the shapes.
    pub fn with_redactor(mut self, redactor: Redactor) -> Self {
        self.redactor = redactor;
        self
    }

    /// The writer, once the run is over (tests read what was written).
    pub fn into_inner(self) -> W {
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
                self.line(&format!(
                    "running {selected_probes} probes and {selected_role_cases} expected-role \
                     cases of `{scenario}`, {concurrency} at a time"
                ));
                if self.mode == ConsoleMode::ProgressBar {
                    let bar = ProgressBar::with_draw_target(
                        Some(*selected_probes as u64),
                        ProgressDrawTarget::stderr(),
                    );
                    if let Ok(style) =
                        ProgressStyle::with_template("{bar:40} {pos}/{len} probes {msg}")
                    {
                        bar.set_style(style);
                    }
                    self.bar = Some(bar);
                }
            }
            RunEvent::SignInStarted { user } => {
                self.detail(&format!("signing in `{user}`"));
            }
            RunEvent::SignInFinished { evidence } => match &evidence.error {
                Some(error) => {
                    self.line(&format!("sign-in failed for `{}`: {error}", evidence.user))
                }
                None => self.detail(&format!(
                    "signed in `{}` as {}",
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
                    Outcome::Held => {
                        self.detail(&format!("held          {}", record.name));
                    }
                    Outcome::Breach | Outcome::UnexpectedDeny | Outcome::Inconclusive => {
                        self.line(&format!(
                            "{:<14}{} ({})",
                            outcome_label(record.outcome).to_uppercase(),
                            record.name,
                            probe_message(record)
                        ));
                    }
                }
            }
            RunEvent::ProbeRevised { record } => self.line(&format!(
                "{:<14}{} (now {})",
                "REVISED",
                record.name,
                probe_message(record)
            )),
            RunEvent::RoleChecked { case } => match case.outcome {
                RoleOutcome::Held => self.detail(&format!("held          {}", case.name)),
                RoleOutcome::WrongRole | RoleOutcome::Inconclusive => self.line(&format!(
                    "{:<14}{} ({})",
                    role_outcome_label(case.outcome).to_uppercase(),
                    case.name,
                    role_message(case)
                )),
            },
            RunEvent::Interrupted {
                in_flight,
                not_started,
                grace,
            } => self.line(&format!(
                "interrupted: {not_started} probes will not start; waiting up to {grace:?} \
                 for {in_flight} in flight"
            )),
            RunEvent::GraceExpired { abandoned } => self.line(&format!(
                "grace period over: abandoned {abandoned} tasks in flight"
            )),
            RunEvent::CleanupStarted => self.detail("removing canaries"),
            RunEvent::CleanupFinished { summary } => {
                if summary.removed > 0 {
                    self.detail(&format!("removed {} canaries", summary.removed));
                }
                for failure in &summary.failures {
                    self.line(&format!("cleanup failed: {failure}"));
                }
            }
            RunEvent::RunFinished { counts, duration } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
                let partial = self
                    .partial
                    .map(|selection| format!("; {selection}"))
                    .unwrap_or_default();
                self.line(&format!(
                    "finished in {:.1}s: {}; {}{partial}",
                    duration.as_secs_f64(),
                    counts.probes_phrase(),
                    counts.roles_phrase()
                ));
            }
        }
    }

    /// A line shown in every mode but quiet, above the bar when there is one.
    fn line(&mut self, text: &str) {
        let text = self.redactor.mask(text);
        let text = text.as_ref();
        match &self.bar {
            Some(bar) => bar.println(text),
            None => {
                // A console that cannot be written to must not stop the run.
                let _ = writeln!(self.out, "{text}");
            }
        }
    }

    /// A line shown only as plain lines; the bar already shows progress.
    fn detail(&mut self, text: &str) {
        if self.mode == ConsoleMode::Lines {
            let _ = writeln!(self.out, "{}", self.redactor.mask(text));
        }
    }
}
