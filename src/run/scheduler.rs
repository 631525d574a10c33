//! The scheduler: runs the selected probes of a plan on tokio with bounded concurrency and
//! per-service rate limits, signs each user in once on first need, re-runs a user's row
//! with the credentials an attack case obtained (under the same permits and limits), stops
//! cleanly on an interrupt, and returns the results in plan order whatever the completion
//! order, each attack case's re-run right after it.

use super::absent_target::mark_denials_on_absent_targets;
use super::backend::{CleanupSummary, ProbeBackend};
use super::event::{EventSink, RunEvent};
use super::input::RunInput;
use super::options::RunOptions;
use super::outcome_counts::OutcomeCounts;
use super::rate_limits::RateLimits;
use super::record_store::RecordStore;
use super::results::{RunResults, RunTiming};
use super::role_case::RoleCase;
use super::selected_cases::{SelectedCase, SelectedCases};
use super::selection::Selection;
use super::service::Service;
use super::unsent_record::unsent_record;
use crate::attack::{AttackKind, AttackTarget, Escalation, escalated_cases, observed_role_cases};
use crate::error_chain::error_chain;
use crate::identity::UserEvidence;
use crate::probe::{Outcome, ProbeRecord, Verdict};
use crate::redaction::Redactor;
use crate::scenario::{PlannedProbe, ResourceTarget, SharedName};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};
use time::format_description::well_known::Rfc3339;
use tokio::sync::{OnceCell, Semaphore};
use tokio::task::{JoinError, JoinSet};

/// The reason recorded for a selected probe that never started because of an interrupt.
pub const INTERRUPTED_BEFORE_START: &str = "interrupted: the run stopped before this probe started";
/// The reason recorded for a probe abandoned when the grace period ran out.
pub const INTERRUPTED_IN_FLIGHT: &str =
    "interrupted: the probe was abandoned when the grace period ran out";

/// Runs the selected part of `input.plan` against `backend`.
///
/// `interrupt` resolves when the run must stop (Ctrl-C in the CLI): no new probe starts,
/// in-flight probes get `options.grace_period` to finish and are then abandoned. Every
/// selected probe gets a record either way, so the reports can still be written.
pub async fn run_plan<B: ProbeBackend>(
    input: &RunInput,
    selection: &Selection,
    backend: Arc<B>,
    options: &RunOptions,
    events: &EventSink,
    interrupt: impl Future<Output = ()>,
) -> RunResults {
    let started_at = SystemTime::now();
    let started = Instant::now();
    // Places in the plan, not copies; the basic-flow cases on roles seen in the run join
    // it at the end.
    let mut selected =
        SelectedCases::from_plan(&input.plan, |probe| selection.includes_probe(&probe.name));
    let role_case_users: Vec<(&str, &str)> = input
        .users
        .iter()
        .filter(|user| selection.includes_role_case(&user.name))
        .filter_map(|user| Some((user.name.as_str(), user.expected_role_arn.as_deref()?)))
        .collect();
    events.emit(RunEvent::RunStarted {
        scenario: input.scenario.clone(),
        selected_probes: selected.len(),
        selected_role_cases: role_case_users.len(),
        planned_probes: input.plan.planned_probes(),
        concurrency: options.concurrency.get(),
    });

    let shared = Arc::new(Shared::new(input, backend.clone(), options, events.clone()));
    // Each finished record goes to the store at once; `position_of` says where, per case.
    let mut store = RecordStore::for_plan(input.plan.clone());
    store.reserve(selected.len());
    let mut position_of: Vec<usize> = vec![UNFINISHED; selected.len()];
    // Re-runs of a user's row with an attack's credentials, keyed by (attack case's index,
    // cell's index in the row): queued when the attack case finishes as a breach.
    let mut rerun_queue: VecDeque<(RerunKey, PlannedProbe, Arc<Escalation>)> = VecDeque::new();
    let mut rerun_probes: BTreeMap<RerunKey, PlannedProbe> = BTreeMap::new();
    let mut rerun_records: BTreeMap<RerunKey, usize> = BTreeMap::new();
    let mut jobs: JoinSet<JobOutput> = JoinSet::new();
    let mut job_of_task: HashMap<tokio::task::Id, Job> = HashMap::new();

    // A user whose expected role is checked but who has no selected probe still signs in.
    for (user, _) in &role_case_users {
        if !selected.iter().any(|probe| probe.user == *user) {
            let shared = shared.clone();
            let user = (*user).to_owned();
            let handle = jobs.spawn(async move {
                shared.session_for(&user).await;
                JobOutput::SignedIn
            });
            job_of_task.insert(handle.id(), Job::SignInOnly);
        }
    }

    let permits = Arc::new(Semaphore::new(options.concurrency.get()));
    // The order cases start in: everything but the revocation cases, which end their
    // user's session and so start only once every other case (re-runs and the cases on
    // roles seen in the run included) has finished.
    // Sized once: grown by doubling, the list was one of a large run's biggest allocations.
    let mut launch: Vec<usize> = Vec::with_capacity(selected.len());
    let mut deferred: Vec<usize> = Vec::new();
    for index in 0..selected.len() {
        if ends_session(selected.get(index)) {
            deferred.push(index);
        } else {
            launch.push(index);
        }
    }
    let mut next = 0;
    let mut launching_user: Option<SharedName> = None;
    let mut observed_roles_tried = false;
    let mut interrupted = false;
    let mut grace_deadline: Option<tokio::time::Instant> = None;
    tokio::pin!(interrupt);
    loop {
        let nothing_left_to_start = interrupted || (next >= launch.len() && rerun_queue.is_empty());
        if nothing_left_to_start && jobs.is_empty() {
            // Every selected case has finished, so every selected user has signed in: the
            // basic-flow attackers now try the roles the run's GetCallerIdentity calls
            // showed that the plan did not name.
            if !interrupted && !observed_roles_tried {
                observed_roles_tried = true;
                let late = observed_role_cases(selected.iter(), &shared.observed_roles());
                if !late.is_empty() {
                    position_of.extend(std::iter::repeat_n(UNFINISHED, late.len()));
                    launch.extend(selected.len()..selected.len() + late.len());
                    selected.add(late);
                    continue;
                }
            }
            if !interrupted && !deferred.is_empty() {
                launch.append(&mut deferred);
                continue;
            }
            break;
        }
        tokio::select! {
            biased;
            () = &mut interrupt, if !interrupted => {
                interrupted = true;
                grace_deadline = Some(tokio::time::Instant::now() + options.grace_period);
                events.emit(RunEvent::Interrupted {
                    in_flight: jobs.len(),
                    not_started: launch.len() - next + deferred.len(),
                    grace: options.grace_period,
                });
            }
            () = sleep_until_deadline(grace_deadline) => {
                grace_deadline = None;
                events.emit(RunEvent::GraceExpired { abandoned: jobs.len() });
                jobs.abort_all();
            }
            Some(joined) = jobs.join_next_with_id() => {
                // A job's entry only names the job if it fails: a run of 100,000 probes
                // keeps the ones in flight, not one per probe.
                let task = match &joined {
                    Ok((task, _)) => *task,
                    Err(error) => error.id(),
                };
                let job = job_of_task.remove(&task);
                match joined {
                    Ok((_, JobOutput::Probe { index, record, escalation })) => {
                        if let Some(escalation) = escalation {
                            let escalation = Arc::new(escalation);
                            let row = escalated_cases(&input.plan.probes, selected.get(index), &escalation.role);
                            for (cell, probe) in row.into_iter().enumerate() {
                                rerun_probes.insert((index, cell), probe.clone());
                                rerun_queue.push_back(((index, cell), probe, escalation.clone()));
                            }
                        }
                        position_of[index] = store.push(*record, selected.plan_index(index));
                    }
                    Ok((_, JobOutput::Rerun { key, record })) => {
                        rerun_records.insert(key, store.push(*record, None));
                    }
                    Ok((_, JobOutput::SignedIn)) => {}
                    Err(error) => {
                        let probe = match job {
                            Some(Job::Probe(index)) => Some((Some(index), None, selected.get(index))),
                            Some(Job::Rerun(key)) => rerun_probes.get(&key).map(|probe| (None, Some(key), probe)),
                            Some(Job::SignInOnly) | None => None,
                        };
                        if let Some((index, key, probe)) = probe {
                            let record = unsent_record(probe, join_failure(&error), 0);
                            events.emit(RunEvent::ProbeFinished { record: Box::new(record.clone()) });
                            match (index, key) {
                                (Some(index), _) => {
                                    position_of[index] = store.push(record, selected.plan_index(index));
                                }
                                (None, Some(key)) => {
                                    rerun_records.insert(key, store.push(record, None));
                                }
                                (None, None) => {}
                            }
                        }
                    }
                }
            }
            Ok(permit) = permits.clone().acquire_owned(), if !interrupted && !rerun_queue.is_empty() => {
                let Some((key, probe, escalation)) = rerun_queue.pop_front() else { continue };
                let shared = shared.clone();
                let handle = jobs.spawn(async move {
                    let record = shared.run_rerun(&probe, &escalation).await;
                    drop(permit);
                    JobOutput::Rerun { key, record: Box::new(record) }
                });
                job_of_task.insert(handle.id(), Job::Rerun(key));
            }
            Ok(permit) = permits.clone().acquire_owned(), if !interrupted && next < launch.len() => {
                let index = launch[next];
                next += 1;
                let user = &selected.get(index).user;
                if launching_user.as_ref() != Some(user) {
                    launching_user = Some(user.clone());
                    // The next user in launch order signs in while this one's cases run,
                    // so that its first cases do not hold permits through four identity
                    // calls. It is the sign-in its first matrix probe would start (once
                    // per user); an attack case's "user" may be no one who signs in.
                    let upcoming = launch[next..]
                        .iter()
                        .map(|later| selected.get(*later))
                        .find(|later| {
                            later.user != *user
                                && !matches!(*later.target, ResourceTarget::Identity { .. })
                        })
                        .map(|later| &later.user);
                    if let Some(upcoming) = upcoming {
                        let shared = shared.clone();
                        let upcoming = upcoming.clone();
                        let handle = jobs.spawn(async move {
                            shared.session_for(&upcoming).await;
                            JobOutput::SignedIn
                        });
                        job_of_task.insert(handle.id(), Job::SignInOnly);
                    }
                }
                let shared = shared.clone();
                let case: SelectedCase = selected.owned(index);
                let handle = jobs.spawn(async move {
                    let (record, escalation) = shared.run_probe(case.probe()).await;
                    drop(permit);
                    JobOutput::Probe { index, record: Box::new(record), escalation }
                });
                job_of_task.insert(handle.id(), Job::Probe(index));
            }
        }
    }

    let not_started = |probe: &PlannedProbe| {
        let record = unsent_record(probe, INTERRUPTED_BEFORE_START.to_owned(), 0);
        events.emit(RunEvent::ProbeFinished {
            record: Box::new(record.clone()),
        });
        record
    };
    // The records in plan order, each attack case followed by its row's re-runs; a case
    // that never started gets its record now.
    let mut order: Vec<usize> = Vec::with_capacity(position_of.len() + rerun_probes.len());
    for (index, position) in position_of.into_iter().enumerate() {
        order.push(if position == UNFINISHED {
            store.push(not_started(selected.get(index)), selected.plan_index(index))
        } else {
            position
        });
        for (key, probe) in rerun_probes.range((index, 0)..=(index, usize::MAX)) {
            order.push(match rerun_records.remove(key) {
                Some(position) => position,
                None => store.push(not_started(probe), None),
            });
        }
    }
    store.reorder(&order);
    drop(order);
    let mut records = store;
    for index in mark_denials_on_absent_targets(&mut records) {
        if let Some(record) = records.get(index) {
            events.emit(RunEvent::ProbeRevised {
                record: Box::new(record),
            });
        }
    }
    // Waivers act on the final outcomes, so after the pass above; each record a waiver
    // covers is revised with it, so the console sees it too.
    let waiver_day = options
        .waiver_day
        .unwrap_or_else(|| super::waiver_review::day_of(started_at));
    let (waivers, waived) =
        super::waiver_review::apply_waivers(&input.plan, &mut records, waiver_day);
    for index in waived {
        if let Some(record) = records.get(index) {
            events.emit(RunEvent::ProbeRevised {
                record: Box::new(record),
            });
        }
    }

    let evidence = shared
        .evidence
        .lock()
        .map(|e| e.clone())
        .unwrap_or_default();
    let role_cases: Vec<RoleCase> = role_case_users
        .iter()
        .map(|(user, expected)| {
            let case = match evidence.get(*user) {
                Some(evidence) => RoleCase::judge(user, expected, evidence),
                None => RoleCase::not_signed_in(
                    user,
                    expected,
                    "interrupted: the run stopped before this user signed in",
                ),
            };
            events.emit(RunEvent::RoleChecked { case: case.clone() });
            case
        })
        .collect();

    events.emit(RunEvent::CleanupStarted);
    let cleanup = match tokio::time::timeout(options.cleanup_timeout, backend.cleanup()).await {
        Ok(summary) => summary,
        Err(_) => CleanupSummary {
            removed: 0,
            failures: vec![format!(
                "cleanup did not finish within {:?}; remove leftover canaries with `xtenant cleanup --ledger`",
                options.cleanup_timeout
            )],
        },
    };
    let cleanup = shared.scrub_cleanup(cleanup);
    events.emit(RunEvent::CleanupFinished {
        summary: cleanup.clone(),
    });

    let users: Vec<UserEvidence> = ordered_users(input, evidence);
    let duration = started.elapsed();
    let counts = OutcomeCounts::tally(&records, &role_cases);
    events.emit(RunEvent::RunFinished { counts, duration });
    RunResults {
        audit: None,
        waivers,
        scenario: input.scenario.clone(),
        plan: input.plan.clone(),
        records,
        users,
        role_cases,
        cleanup,
        timing: RunTiming {
            started_at: rfc3339(started_at),
            finished_at: rfc3339(SystemTime::now()),
            duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        },
        interrupted,
        run: input.metadata.clone(),
        redactor: input.redactor.clone(),
    }
}

/// A case whose record has not arrived yet.
const UNFINISHED: usize = usize::MAX;

/// `time` in RFC 3339, UTC, as the evidence records it.
fn rfc3339(time: SystemTime) -> String {
    time::OffsetDateTime::from(time)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Whether a case ends its user's session (the revocation attack), so it must run last.
fn ends_session(probe: &PlannedProbe) -> bool {
    matches!(&*probe.target, ResourceTarget::Identity { attack } if attack.kind == AttackKind::Revocation)
}

/// What a spawned task was for, so a task that panicked or was aborted can be accounted.
#[derive(Debug, Clone, Copy)]
enum Job {
    Probe(usize),
    Rerun(RerunKey),
    SignInOnly,
}

/// A cell of a row re-run with an attack's credentials: (the attack case's index among the
/// selected probes, the cell's index in the re-run).
type RerunKey = (usize, usize);

enum JobOutput {
    Probe {
        index: usize,
        record: Box<ProbeRecord>,
        /// Credentials an attack case that came out a breach obtained.
        escalation: Option<Escalation>,
    },
    Rerun {
        key: RerunKey,
        record: Box<ProbeRecord>,
    },
    SignedIn,
}

/// A user's sign-in, started once and shared by all of the user's probes.
enum SignInState<S> {
    Ready(Arc<S>),
    Failed(String),
}

/// Where a user's sign-in result lives once the first probe that needs it has started it.
type SessionCell<S> = Arc<OnceCell<Arc<SignInState<S>>>>;

struct Shared<B: ProbeBackend> {
    backend: Arc<B>,
    sessions: BTreeMap<String, SessionCell<B::Session>>,
    tenants: BTreeMap<String, String>,
    evidence: Mutex<BTreeMap<String, UserEvidence>>,
    limits: RateLimits,
    events: EventSink,
    redactor: Redactor,
    probe_timeout: std::time::Duration,
    sign_in_timeout: std::time::Duration,
}

impl<B: ProbeBackend> Shared<B> {
    fn new(input: &RunInput, backend: Arc<B>, options: &RunOptions, events: EventSink) -> Self {
        // Every name once, not a string per probe.
        let mut users: BTreeSet<&str> = input.users.iter().map(|user| user.name.as_str()).collect();
        users.extend(input.plan.probes.iter().map(|probe| probe.user.as_str()));
        Shared {
            backend,
            sessions: users
                .into_iter()
                .map(|user| (user.to_owned(), Arc::default()))
                .collect(),
            tenants: input
                .users
                .iter()
                .map(|user| (user.name.clone(), user.tenant.clone()))
                .collect(),
            evidence: Mutex::default(),
            limits: RateLimits::new(options.max_rps),
            events,
            redactor: input.redactor.clone(),
            probe_timeout: options.probe_timeout,
            sign_in_timeout: options.sign_in_timeout,
        }
    }

    /// (user, role ARN) of every sign-in of the run whose GetCallerIdentity showed a role,
    /// by user name.
    fn observed_roles(&self) -> Vec<(String, String)> {
        self.evidence
            .lock()
            .map(|all| {
                all.values()
                    .filter_map(|evidence| {
                        Some((evidence.user.clone(), evidence.role_arn.clone()?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The user's session, signing the user in if this is the first need.
    async fn session_for(&self, user: &str) -> Arc<SignInState<B::Session>> {
        let Some(cell) = self.sessions.get(user) else {
            return Arc::new(SignInState::Failed(format!(
                "user `{user}` is not part of the run"
            )));
        };
        cell.get_or_init(|| self.sign_in(user)).await.clone()
    }

    async fn sign_in(&self, user: &str) -> Arc<SignInState<B::Session>> {
        self.events.emit(RunEvent::SignInStarted {
            user: user.to_owned(),
        });
        self.limits.until_ready(Service::SignIn).await;
        let prepared =
            tokio::time::timeout(self.sign_in_timeout, self.backend.prepare_user(user)).await;
        let (session, mut evidence) = match prepared {
            Err(_) => {
                let reason = format!("sign-in did not finish within {:?}", self.sign_in_timeout);
                let evidence = UserEvidence {
                    error: Some(reason.clone()),
                    ..UserEvidence::default()
                };
                (SignInState::Failed(reason), evidence)
            }
            Ok(Ok(signed_in)) => {
                let mut evidence = signed_in.evidence;
                evidence.error = None;
                (SignInState::Ready(Arc::new(signed_in.session)), evidence)
            }
            Ok(Err(error)) => {
                let reason = self.redactor.scrub(&error_chain(&error));
                let evidence = UserEvidence {
                    error: Some(reason.clone()),
                    ..UserEvidence::default()
                };
                (SignInState::Failed(reason), evidence)
            }
        };
        user.clone_into(&mut evidence.user);
        if evidence.tenant.is_empty() {
            evidence.tenant = self.tenants.get(user).cloned().unwrap_or_default();
        }
        evidence.redact(&self.redactor);
        if let Ok(mut all) = self.evidence.lock() {
            all.insert(user.to_owned(), evidence.clone());
        }
        self.events.emit(RunEvent::SignInFinished { evidence });
        Arc::new(session)
    }

    /// Runs a probe or an attack case; an attack case that came out a breach also hands
    /// back the credentials it obtained.
    async fn run_probe(&self, probe: &PlannedProbe) -> (ProbeRecord, Option<Escalation>) {
        if let ResourceTarget::Identity { attack } = &*probe.target {
            return self.run_attack(probe, attack).await;
        }
        (self.run_matrix_probe(probe).await, None)
    }

    async fn run_matrix_probe(&self, probe: &PlannedProbe) -> ProbeRecord {
        let session = match &*self.session_for(&probe.user).await {
            SignInState::Ready(session) => session.clone(),
            SignInState::Failed(reason) => {
                let record = unsent_record(
                    probe,
                    format!("sign-in failed for user `{}`: {reason}", probe.user),
                    0,
                );
                self.events.emit(RunEvent::ProbeFinished {
                    record: Box::new(record.clone()),
                });
                return record;
            }
        };
        self.limits.until_ready(Service::of(&probe.target)).await;
        self.events.emit(RunEvent::ProbeStarted {
            name: probe.name.clone(),
        });
        let started = tokio::time::Instant::now();
        let record =
            match tokio::time::timeout(self.probe_timeout, self.backend.execute(probe, &session))
                .await
            {
                Ok(record) => self.checked(probe, record),
                Err(_) => unsent_record(
                    probe,
                    format!("the probe did not finish within {:?}", self.probe_timeout),
                    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                ),
            };
        self.events.emit(RunEvent::ProbeFinished {
            record: Box::new(record.clone()),
        });
        record
    }

    /// An attack case: the attacker's session (and the victim's) from the same once-per-user
    /// sign-in the probes use, then the backend's attack under the sign-in rate limit.
    async fn run_attack(
        &self,
        case: &PlannedProbe,
        attack: &AttackTarget,
    ) -> (ProbeRecord, Option<Escalation>) {
        let finish = |record: ProbeRecord| {
            self.events.emit(RunEvent::ProbeFinished {
                record: Box::new(record.clone()),
            });
            record
        };
        let mut parties = Vec::new();
        let attacker = attack.needs_session().then_some(case.user.as_str());
        for user in attacker.into_iter().chain(attack.victim.as_deref()) {
            match &*self.session_for(user).await {
                SignInState::Ready(session) => parties.push(session.clone()),
                SignInState::Failed(reason) => {
                    let reason = format!("sign-in failed for user `{user}`: {reason}");
                    return (finish(unsent_record(case, reason, 0)), None);
                }
            }
        }
        let mut parties = parties.into_iter();
        let attacker = if attack.needs_session() {
            parties.next()
        } else {
            None
        };
        let victim = parties.next();
        self.limits.until_ready(Service::SignIn).await;
        self.events.emit(RunEvent::ProbeStarted {
            name: case.name.clone(),
        });
        let started = tokio::time::Instant::now();
        let attempt = self
            .backend
            .attack(case, attacker.as_deref(), victim.as_deref());
        let (record, escalation) = match tokio::time::timeout(self.probe_timeout, attempt).await {
            Ok(attacked) => (self.checked(case, attacked.record), attacked.escalation),
            Err(_) => (
                unsent_record(
                    case,
                    format!("the attack did not finish within {:?}", self.probe_timeout),
                    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                ),
                None,
            ),
        };
        // Only credentials the case was expected not to get escalate: an allowed attack
        // (`attacks.allow`) gives a role the user may have.
        let escalation = escalation.filter(|_| record.outcome == Outcome::Breach);
        (finish(record), escalation)
    }

    /// One cell of a row re-run with an attack's credentials, under the cell's service
    /// rate limit and the probe timeout, like any probe.
    async fn run_rerun(&self, probe: &PlannedProbe, escalation: &Escalation) -> ProbeRecord {
        self.limits.until_ready(Service::of(&probe.target)).await;
        self.events.emit(RunEvent::ProbeStarted {
            name: probe.name.clone(),
        });
        let started = tokio::time::Instant::now();
        let attempt = self.backend.execute_escalated(probe, escalation);
        let record = match tokio::time::timeout(self.probe_timeout, attempt).await {
            Ok(record) => self.checked(probe, record),
            Err(_) => unsent_record(
                probe,
                format!("the probe did not finish within {:?}", self.probe_timeout),
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            ),
        };
        self.events.emit(RunEvent::ProbeFinished {
            record: Box::new(record.clone()),
        });
        record
    }

    /// The backend's record, held to the plan: a record for another probe proves nothing,
    /// and the outcome is always recomputed from the planned expectation and the verdict.
    fn checked(&self, probe: &PlannedProbe, mut record: ProbeRecord) -> ProbeRecord {
        if record.name != probe.name
            || record.user != probe.user
            || record.expectation != probe.expectation
        {
            let reason = format!(
                "the harness returned a record for `{}` (expecting {:?}) instead of this probe",
                record.name, record.expectation
            );
            return unsent_record(probe, self.redactor.scrub(&reason), record.duration_ms);
        }
        record.outcome = Outcome::of(probe.expectation, record.verdict);
        if record.verdict == Verdict::Inconclusive && record.reason.trim().is_empty() {
            record.reason = "inconclusive, and the harness gave no reason".into();
        }
        record.reason = self.scrubbed_shared(&record.reason);
        record.error_code = record.error_code.map(|code| self.scrubbed_shared(&code));
        record.denied_action = record
            .denied_action
            .map(|action| self.scrubbed_shared(&action));
        record.error_message = record
            .error_message
            .map(|message| self.scrubbed_shared(&message));
        self.redactor.scrub_option(&mut record.request_id);
        record
    }

    /// `text` scrubbed, as the one copy every record with the same text shares: a run's
    /// records repeat a few dozen reasons and error codes. Scrubbed first, so what is kept
    /// is only ever what a report may show.
    fn scrubbed_shared(&self, text: &str) -> SharedName {
        SharedName::deduplicated(&self.redactor.mask(text))
    }

    fn scrub_cleanup(&self, mut cleanup: CleanupSummary) -> CleanupSummary {
        for failure in &mut cleanup.failures {
            self.redactor.scrub_in_place(failure);
        }
        cleanup
    }
}

async fn sleep_until_deadline(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Why a probe task ended without a record. A panic's payload is not shown: it could
/// carry anything the harness had in hand.
fn join_failure(error: &JoinError) -> String {
    if error.is_cancelled() {
        INTERRUPTED_IN_FLIGHT.to_owned()
    } else {
        "the probe panicked; the harness has a bug".to_owned()
    }
}

/// Evidence in scenario user order, then any user the plan names that the scenario did not.
fn ordered_users(
    input: &RunInput,
    mut evidence: BTreeMap<String, UserEvidence>,
) -> Vec<UserEvidence> {
    let mut ordered: Vec<UserEvidence> = input
        .users
        .iter()
        .filter_map(|user| evidence.remove(&user.name))
        .collect();
    ordered.extend(evidence.into_values());
    ordered
}
