//! Typed events the scheduler emits while a run progresses. Reporters match every variant
//! by name, so a new event forces a decision in each of them.

use super::backend::CleanupSummary;
use super::outcome_counts::OutcomeCounts;
use super::role_case::RoleCase;
use crate::identity::UserEvidence;
use crate::probe::ProbeRecord;
use crate::scenario::ProbeName;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Debug, Clone)]
pub enum RunEvent {
    RunStarted {
        scenario: String,
        selected_probes: usize,
        selected_role_cases: usize,
        /// Every probe of the plan, selected or not.
        planned_probes: usize,
        concurrency: usize,
    },
    SignInStarted {
        user: String,
    },
    /// A sign-in ended; `evidence.error` is set when it failed.
    SignInFinished {
        evidence: UserEvidence,
    },
    ProbeStarted {
        name: ProbeName,
    },
    /// A probe has its record: run, refused for a failed sign-in, timed out or interrupted.
    ProbeFinished {
        record: Box<ProbeRecord>,
    },
    /// A finished probe's record changed after every probe had finished: a denial on a
    /// target another probe proved absent is Inconclusive (see
    /// [`super::absent_target::mark_denials_on_absent_targets`]). The record here is final.
    ProbeRevised {
        record: Box<ProbeRecord>,
    },
    RoleChecked {
        case: RoleCase,
    },
    /// The run was asked to stop: no new probe starts; in-flight ones get the grace period.
    Interrupted {
        in_flight: usize,
        not_started: usize,
        grace: Duration,
    },
    /// The grace period ran out and the probes still in flight were abandoned.
    GraceExpired {
        abandoned: usize,
    },
    CleanupStarted,
    CleanupFinished {
        summary: CleanupSummary,
    },
    RunFinished {
        counts: OutcomeCounts,
        duration: Duration,
    },
}

/// Where the scheduler sends events. A run completes even if nobody listens.
#[derive(Debug, Clone, Default)]
pub struct EventSink {
    sender: Option<mpsc::UnboundedSender<RunEvent>>,
}

impl EventSink {
    /// A sink and the receiver reporters read from.
    pub fn channel() -> (EventSink, mpsc::UnboundedReceiver<RunEvent>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (
            EventSink {
                sender: Some(sender),
            },
            receiver,
        )
    }

    /// A sink that drops every event.
    pub fn discard() -> EventSink {
        EventSink { sender: None }
    }

    pub fn emit(&self, event: RunEvent) {
        if let Some(sender) = &self.sender {
            // A reporter that hung up must not stop the probes; its loss is its own.
            let _ = sender.send(event);
        }
    }
}
