//! The scheduler against the fake harness. Time is tokio's paused clock, so schedules are
//! exact and the tests take no wall-clock time.

use crate::fake_backend::{FakeBackend, fake_for};
use crate::synthetic::{ALICE_PASSWORD, ScenarioBuilder, two_tenants};
use std::num::{NonZeroU32, NonZeroUsize};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use xtenant::attack::{AttackKind, AttackTarget};
use xtenant::probe::{Outcome, Verdict};
use xtenant::run::{
    CleanupSummary, EventSink, RoleOutcome, RunEvent, RunInput, RunOptions, RunResults, Selection,
    run_plan,
};
use xtenant::scenario::{
    Action, Expectation, ExpectationSource, PlannedProbe, ProbeName, ResourceTarget,
};

pub async fn run(input: &RunInput, backend: FakeBackend, options: &RunOptions) -> RunResults {
    run_selected(input, &Selection::all(input), backend, options).await
}

pub async fn run_selected(
    input: &RunInput,
    selection: &Selection,
    backend: FakeBackend,
    options: &RunOptions,
) -> RunResults {
    run_shared(input, selection, &Arc::new(backend), options).await
}

/// [`run_selected`] with a backend the test keeps, to read its counters afterwards.
pub async fn run_shared(
    input: &RunInput,
    selection: &Selection,
    backend: &Arc<FakeBackend>,
    options: &RunOptions,
) -> RunResults {
    run_plan(
        input,
        selection,
        backend.clone(),
        options,
        &EventSink::discard(),
        std::future::pending(),
    )
    .await
}

fn big_scenario() -> RunInput {
    ScenarioBuilder::new("big")
        .user("alice", "acme")
        .user("bob", "globex")
        .user("carol", "initech")
        .resources(&["docs", "records", "vault"])
        .actions(&[Action::Read, Action::Write, Action::List, Action::Delete])
        .build()
}

#[tokio::test(start_paused = true)]
async fn concurrency_bound_is_respected_and_used() {
    let input = big_scenario();
    let backend = Arc::new(FakeBackend {
        probe_delay: Duration::from_millis(50),
        ..fake_for(&input)
    });
    let options = RunOptions {
        concurrency: NonZeroUsize::new(4).unwrap(),
        ..RunOptions::default()
    };
    let results = run_shared(&input, &Selection::all(&input), &backend, &options).await;
    assert_eq!(results.records.len(), 108);
    assert_eq!(backend.max_in_flight.load(Ordering::SeqCst), 4);
}

#[tokio::test(start_paused = true)]
async fn each_user_signs_in_exactly_once_however_many_probes_run_at_once() {
    let input = big_scenario();
    let backend = Arc::new(FakeBackend {
        sign_in_delay: Duration::from_millis(300),
        probe_delay: Duration::from_millis(10),
        ..fake_for(&input)
    });
    let results = run_shared(
        &input,
        &Selection::all(&input),
        &backend,
        &RunOptions::default(),
    )
    .await;
    for user in ["alice", "bob", "carol"] {
        assert_eq!(backend.sign_in_count(user), 1, "{user}");
    }
    assert!(results.records.iter().all(|r| r.outcome == Outcome::Held));
    assert_eq!(results.users.len(), 3);
    assert_eq!(results.users[0].user, "alice");
    assert_eq!(results.users[0].tenant, "acme");
}

#[tokio::test(start_paused = true)]
async fn the_next_user_signs_in_while_the_current_users_probes_run() {
    let input = big_scenario();
    let backend = Arc::new(FakeBackend {
        sign_in_delay: Duration::from_millis(300),
        probe_delay: Duration::from_millis(10),
        ..fake_for(&input)
    });
    let options = RunOptions {
        concurrency: NonZeroUsize::new(1).unwrap(),
        ..RunOptions::default()
    };
    let started = tokio::time::Instant::now();
    let results = run_shared(&input, &Selection::all(&input), &backend, &options).await;
    let elapsed = started.elapsed();
    assert_eq!(results.records.len(), 108);
    for user in ["alice", "bob", "carol"] {
        assert_eq!(backend.sign_in_count(user), 1, "{user}");
    }
    // One at a time, each user's 36 probes take 360 ms, longer than a sign-in: only the
    // first user's sign-in is waited for (300 ms + 108 × 10 ms), not all three (1,980 ms).
    assert!(
        elapsed < Duration::from_millis(300 + 1_080 + 100),
        "the sign-ins did not overlap the probes: {elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_sign_in_makes_every_probe_of_that_user_inconclusive() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    backend.failing_users.insert(
        "bob".into(),
        "NotAuthorizedException: Incorrect username or password.".into(),
    );
    let results = run(&input, backend, &RunOptions::default()).await;

    for record in results.records.iter().filter(|r| r.user == "bob") {
        assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.name);
        assert_eq!(record.outcome, Outcome::Inconclusive);
        assert!(
            record.reason.contains("sign-in failed for user `bob`")
                && record.reason.contains("NotAuthorizedException"),
            "{}",
            record.reason
        );
    }
    assert!(
        results
            .records
            .iter()
            .filter(|r| r.user == "alice")
            .all(|r| r.outcome == Outcome::Held)
    );
    let bob_role = results.role_cases.iter().find(|c| c.user == "bob").unwrap();
    assert_eq!(bob_role.outcome, RoleOutcome::Inconclusive);
    let bob = results.user_evidence("bob").unwrap();
    assert!(bob.error.as_deref().unwrap().contains("Incorrect username"));
    assert_eq!(bob.tenant, "globex");
    assert_eq!(
        xtenant::run::exit_code_for(&results),
        xtenant::exit_code::INCONCLUSIVE
    );
}

#[tokio::test(start_paused = true)]
async fn only_selected_probes_run_and_unselected_users_never_sign_in() {
    let input = two_tenants();
    let backend = Arc::new(fake_for(&input));
    let selection = Selection::only(["alice::globex/docs::read", "alice::acme/docs::write"], []);
    let results = run_shared(&input, &selection, &backend, &RunOptions::default()).await;
    let mut started = backend.started();
    started.sort();
    assert_eq!(
        started,
        vec![
            ProbeName("alice::acme/docs::write".into()),
            ProbeName("alice::globex/docs::read".into())
        ]
    );
    assert_eq!(backend.sign_in_count("bob"), 0);
    assert!(results.role_cases.is_empty());
    assert_eq!(results.records.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_selected_role_case_signs_its_user_in_even_without_probes() {
    let input = two_tenants();
    let backend = Arc::new(fake_for(&input));
    let selection = Selection::only([], ["bob"]);
    let results = run_shared(&input, &selection, &backend, &RunOptions::default()).await;
    assert_eq!(backend.sign_in_count("bob"), 1);
    assert!(backend.started().is_empty());
    assert_eq!(results.role_cases.len(), 1);
    assert_eq!(results.role_cases[0].outcome, RoleOutcome::Held);
}

#[tokio::test(start_paused = true)]
async fn results_follow_plan_order_whatever_the_completion_order() {
    let input = big_scenario();
    let mut backend = fake_for(&input);
    // Earlier probes take longer, so completion order is the reverse of plan order.
    let count = input.plan.probes.len() as u64;
    for (index, probe) in input.plan.probes.iter().enumerate() {
        backend.delays.insert(
            probe.name.clone(),
            Duration::from_millis(10 * (count - index as u64)),
        );
    }
    let results = run(&input, backend, &RunOptions::default()).await;
    let names: Vec<_> = results.records.iter().map(|r| r.name.clone()).collect();
    let planned: Vec<_> = input.plan.probes.iter().map(|p| p.name.clone()).collect();
    assert_eq!(names, planned);
}

#[tokio::test(start_paused = true)]
async fn no_one_second_window_holds_more_requests_to_a_service_than_max_rps() {
    let input = ScenarioBuilder::new("paced")
        .user("alice", "acme")
        .user("bob", "globex")
        .resources(&["docs", "vault"])
        .actions(&[Action::Read, Action::Write, Action::List])
        .build();
    let backend = Arc::new(fake_for(&input));
    let options = RunOptions {
        max_rps: NonZeroU32::new(5),
        ..RunOptions::default()
    };
    let origin = tokio::time::Instant::now();
    run_shared(&input, &Selection::all(&input), &backend, &options).await;
    let starts = backend.starts.lock().unwrap().clone();
    assert_eq!(starts.len(), 24);
    for service in ["docs", "vault"] {
        let times: Vec<Duration> = starts
            .iter()
            .filter(|(name, _)| name.0.contains(&format!("/{service}::")))
            .map(|(_, at)| *at - origin)
            .collect();
        assert_eq!(times.len(), 12);
        for window_start in &times {
            let in_window = times
                .iter()
                .filter(|t| **t >= *window_start && **t < *window_start + Duration::from_secs(1))
                .count();
            assert!(
                in_window <= 5,
                "{service}: {in_window} requests within a second"
            );
        }
        let last = times.iter().max().unwrap();
        // Twelve requests at five per second cannot be done before 2.2 seconds.
        assert!(
            *last >= Duration::from_millis(2200),
            "{service}: last at {last:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn an_interrupt_lets_in_flight_probes_finish_within_grace_and_records_the_rest() {
    let input = big_scenario();
    let mut backend = fake_for(&input);
    backend.probe_delay = Duration::from_millis(100);
    let hanging = input.plan.probes[1].name.clone();
    backend.hanging.insert(hanging.clone());
    let options = RunOptions {
        concurrency: NonZeroUsize::new(2).unwrap(),
        grace_period: Duration::from_secs(1),
        ..RunOptions::default()
    };
    let (events, mut receiver) = EventSink::channel();
    let results = run_plan(
        &input,
        &Selection::all(&input),
        Arc::new(backend),
        &options,
        &events,
        tokio::time::sleep(Duration::from_millis(250)),
    )
    .await;

    assert!(results.interrupted);
    assert_eq!(results.records.len(), input.plan.probes.len());
    let finished = results
        .records
        .iter()
        .filter(|r| r.outcome == Outcome::Held)
        .count();
    // Probe 0 finishes at 100 ms, probe 2 at 200 ms, probe 3 (started at 200 ms) within grace.
    assert_eq!(finished, 3);
    let abandoned = results.records.iter().find(|r| r.name == hanging).unwrap();
    assert_eq!(abandoned.outcome, Outcome::Inconclusive);
    assert!(
        abandoned.reason.contains("abandoned"),
        "{}",
        abandoned.reason
    );
    let not_started = results.records.iter().last().unwrap();
    assert!(not_started.reason.contains("before this probe started"));

    let mut saw_interrupt = false;
    let mut finished_events = 0;
    receiver.close();
    while let Some(event) = receiver.recv().await {
        match event {
            RunEvent::Interrupted { .. } => saw_interrupt = true,
            RunEvent::ProbeFinished { .. } => finished_events += 1,
            _ => {}
        }
    }
    assert!(saw_interrupt);
    assert_eq!(finished_events, input.plan.probes.len());
}

#[tokio::test(start_paused = true)]
async fn the_runner_recomputes_outcomes_and_rejects_records_for_other_probes() {
    let input = two_tenants();
    let mut lying = fake_for(&input);
    lying.lie_about_outcome = true;
    let breach = ProbeName("alice::globex/docs::read".into());
    lying.verdicts.insert(breach.clone(), Verdict::Allowed);
    let results = run(&input, lying, &RunOptions::default()).await;
    let record = results.records.iter().find(|r| r.name == breach).unwrap();
    assert_eq!(record.outcome, Outcome::Breach);

    let mut swapping = fake_for(&input);
    swapping.swap_names = true;
    let results = run(&input, swapping, &RunOptions::default()).await;
    assert!(
        results
            .records
            .iter()
            .all(|r| r.outcome == Outcome::Inconclusive)
    );
}

#[tokio::test(start_paused = true)]
async fn a_probe_that_outlives_its_time_limit_is_inconclusive() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    let slow = input.plan.probes[0].name.clone();
    backend.hanging.insert(slow.clone());
    let options = RunOptions {
        probe_timeout: Duration::from_secs(5),
        ..RunOptions::default()
    };
    let results = run(&input, backend, &options).await;
    let record = results.records.iter().find(|r| r.name == slow).unwrap();
    assert_eq!(record.outcome, Outcome::Inconclusive);
    assert!(record.reason.contains("did not finish within"));
    assert!(!results.interrupted);
}

#[tokio::test(start_paused = true)]
async fn known_secrets_are_scrubbed_from_records_and_evidence() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    backend.error_message = Some(format!("echoed {ALICE_PASSWORD} back"));
    backend
        .failing_users
        .insert("alice".into(), format!("bad password {ALICE_PASSWORD}"));
    let results = run(&input, backend, &RunOptions::default()).await;
    let everything = format!("{results:?}");
    assert!(!everything.contains(ALICE_PASSWORD));
    assert!(everything.contains("echoed *** back"));
}

#[tokio::test(start_paused = true)]
async fn tokens_issued_during_the_run_and_token_shapes_are_scrubbed_everywhere() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    // Registered only when the first sign-in happens, long after the run started.
    let issued = "opaque-refresh-handle-42";
    let jwt = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl";
    let session_token = format!("IQoJb3JpZ2luX2Vj{}", "Ab1/".repeat(30));
    backend.issued_token = Some((input.redactor.clone(), issued.to_owned()));
    backend.error_message = Some(format!(
        "Value '{{\"cognito-idp\":\"{jwt}\"}}' at 'logins'; token {issued}; \
         X-Amz-Security-Token {session_token}"
    ));
    backend
        .failing_users
        .insert("bob".into(), format!("echoed {jwt} and {issued}"));
    backend.cleanup = CleanupSummary {
        removed: 0,
        failures: vec![format!("s3://b/k: still outstanding: {session_token}")],
    };
    let (events, mut receiver) = EventSink::channel();
    let results = run_plan(
        &input,
        &Selection::all(&input),
        Arc::new(backend),
        &RunOptions::default(),
        &events,
        std::future::pending(),
    )
    .await;
    drop(events);
    let mut seen = format!("{results:?}");
    while let Some(event) = receiver.recv().await {
        seen.push_str(&format!("{event:?}"));
    }
    for secret in [issued, jwt, session_token.as_str()] {
        assert!(
            !seen.contains(secret),
            "{secret} reached a record or an event"
        );
    }
    assert!(seen.contains("at 'logins'; token ***; X-Amz-Security-Token ***"));
}

#[tokio::test(start_paused = true)]
async fn only_users_with_an_expected_role_get_a_role_case() {
    let input = ScenarioBuilder::new("roles")
        .user("alice", "acme")
        .user_without_role("bob", "globex")
        .build();
    let results = run(&input, fake_for(&input), &RunOptions::default()).await;
    let cases: Vec<&str> = results.role_cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cases, ["alice::expected-role"]);
}

#[tokio::test(start_paused = true)]
async fn a_sign_in_that_never_finishes_fails_its_user_after_the_time_limit() {
    let input = two_tenants();
    let mut backend = fake_for(&input);
    backend.sign_in_delay = Duration::from_secs(3600);
    let options = RunOptions {
        sign_in_timeout: Duration::from_secs(30),
        ..RunOptions::default()
    };
    let results = run(&input, backend, &options).await;
    assert!(
        results
            .records
            .iter()
            .all(|r| r.outcome == Outcome::Inconclusive
                && r.reason.contains("sign-in did not finish within"))
    );
    assert!(
        results
            .role_cases
            .iter()
            .all(|c| c.outcome == RoleOutcome::Inconclusive)
    );
}

/// `input` with one basic-flow attack case for `user` on role `role` appended to its plan.
pub(crate) fn with_attack_case(
    mut input: RunInput,
    user: &str,
    tenant: &str,
    role: &str,
) -> (RunInput, ProbeName) {
    let kind = AttackKind::BasicFlow;
    let name = ProbeName::from(format!("{user}::attack::basic-flow::{role}"));
    std::sync::Arc::make_mut(&mut input.plan)
        .probes
        .push(PlannedProbe {
            name: name.clone(),
            user: user.to_owned().into(),
            tenant: tenant.to_owned().into(),
            resource: "attack:basic-flow".to_owned().into(),
            target: ResourceTarget::Identity {
                attack: Box::new(AttackTarget {
                    kind,
                    role_arn: Some(format!("arn:aws:iam::111122223333:role/{role}")),
                    victim: None,
                    claims: Vec::new(),
                    reach: Vec::new(),
                }),
            }
            .into(),
            action: Action::Api(kind.api().into()),
            expectation: Expectation::Deny,
            source: ExpectationSource::Attack {
                attack: kind,
                rule: kind.rule().to_owned(),
                reference: kind.reference().to_owned(),
            }
            .into(),
            shape: None,
        });
    (input, name)
}

#[tokio::test(start_paused = true)]
async fn an_attack_that_obtains_credentials_re_runs_the_users_row_right_after_it() {
    let (input, attack) = with_attack_case(two_tenants(), "alice", "acme", "globex-role");
    let mut backend = fake_for(&input);
    backend.escalating.insert(attack.clone());
    let results = run(&input, backend, &RunOptions::default()).await;
    let names: Vec<String> = results
        .records
        .iter()
        .map(|r| r.name.0.to_string())
        .collect();
    let alice_row: Vec<&str> = input
        .plan
        .probes
        .iter()
        .filter(|p| p.user == "alice" && p.name != attack)
        .map(|p| p.name.0.as_str())
        .collect();
    let at = names.iter().position(|n| *n == attack.0).unwrap();
    let reruns = &names[at + 1..at + 1 + alice_row.len()];
    for (rerun, cell) in reruns.iter().zip(&alice_row) {
        let suffix = cell.strip_prefix("alice::").unwrap();
        assert_eq!(*rerun, format!("{attack}::{suffix}"));
    }
    assert_eq!(names.len(), input.plan.probes.len() + alice_row.len());
    // The escalated credentials reach everything: alice's cross-tenant cells breach.
    let rerun_breaches = results
        .records
        .iter()
        .filter(|r| r.source.is_escalated() && r.outcome == Outcome::Breach)
        .count();
    let cross_tenant = input
        .plan
        .probes
        .iter()
        .filter(|p| p.user == "alice" && p.tenant == "globex")
        .count();
    assert_eq!(rerun_breaches, cross_tenant);
    assert_eq!(results.counts().breach, 1 + cross_tenant);
    let selection = results.selection();
    assert!(!selection.partial, "{selection:?}");
    assert_eq!(selection.selected_probes, input.plan.probes.len());
    assert_eq!(
        xtenant::run::exit_code_for(&results),
        xtenant::exit_code::BREACH
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_attack_re_runs_nothing() {
    let (input, attack) = with_attack_case(two_tenants(), "alice", "acme", "globex-role");
    let results = run(&input, fake_for(&input), &RunOptions::default()).await;
    assert_eq!(results.records.len(), input.plan.probes.len());
    let record = results.records.iter().find(|r| r.name == attack).unwrap();
    assert_eq!(record.outcome, Outcome::Held);
    assert!(!results.records.iter().any(|r| r.source.is_escalated()));
}

#[tokio::test(start_paused = true)]
async fn re_runs_respect_the_concurrency_bound_and_max_rps() {
    let (input, attack) = with_attack_case(big_scenario(), "alice", "acme", "globex-role");
    let mut backend = fake_for(&input);
    backend.escalating.insert(attack.clone());
    backend.probe_delay = Duration::from_millis(50);
    let backend = Arc::new(backend);
    let options = RunOptions {
        concurrency: NonZeroUsize::new(2).unwrap(),
        max_rps: NonZeroU32::new(4),
        ..RunOptions::default()
    };
    let origin = tokio::time::Instant::now();
    let results = run_plan(
        &input,
        &Selection::only([attack.0.as_str()], []),
        backend.clone(),
        &options,
        &EventSink::discard(),
        std::future::pending(),
    )
    .await;
    // Only the attack case was selected; its re-run is the whole row all the same.
    let row = input
        .plan
        .probes
        .iter()
        .filter(|p| p.user == "alice" && p.name != attack)
        .count();
    assert_eq!(results.records.len(), 1 + row);
    let selection = results.selection();
    assert!(selection.partial);
    assert_eq!(selection.selected_probes, 1);
    assert!(backend.max_in_flight.load(Ordering::SeqCst) <= 2);
    let starts = backend.starts.lock().unwrap().clone();
    // The attack case, then its re-run.
    assert_eq!(starts.len(), 1 + row);
    for service in ["docs", "records", "vault"] {
        let times: Vec<Duration> = starts
            .iter()
            .filter(|(name, _)| name.0.contains(&format!("/{service}::")))
            .map(|(_, at)| *at - origin)
            .collect();
        for window_start in &times {
            let in_window = times
                .iter()
                .filter(|t| **t >= *window_start && **t < *window_start + Duration::from_secs(1))
                .count();
            assert!(
                in_window <= 4,
                "{service}: {in_window} re-runs within a second"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn roles_seen_in_the_run_are_tried_by_the_basic_flow_attackers_after_every_planned_case() {
    let (input, _) = with_attack_case(two_tenants(), "alice", "acme", "stolen-role");
    let (input, _) = with_attack_case(input, "bob", "globex", "stolen-role");
    let mut backend = fake_for(&input);
    // alice's credentials carry a role the scenario never named.
    backend.roles.insert("alice".into(), "initech".into());
    let results = run(&input, backend, &RunOptions::default()).await;
    let planned = input.plan.probes.len();
    let added: Vec<String> = results
        .records
        .iter()
        .skip(planned)
        .map(|r| r.name.0.to_string())
        .collect();
    assert_eq!(
        added,
        [
            "alice::attack::basic-flow::globex-role",
            "bob::attack::basic-flow::initech-role"
        ]
    );
    assert!(
        results
            .records
            .iter()
            .skip(planned)
            .all(|r| r.expectation == Expectation::Deny && r.outcome == Outcome::Held)
    );
    let selection = results.selection();
    assert!(!selection.partial, "{selection:?}");
    assert_eq!(selection.selected_probes, planned);
}

#[tokio::test(start_paused = true)]
async fn a_revocation_case_starts_only_after_every_other_case_and_re_run() {
    let (mut input, attack) = with_attack_case(big_scenario(), "alice", "acme", "globex-role");
    let kind = AttackKind::Revocation;
    let revocation = ProbeName::from("alice::attack::revocation::session".to_owned());
    // Planned first, so only the scheduler can put it last.
    std::sync::Arc::make_mut(&mut input.plan).probes.insert(
        0,
        PlannedProbe {
            name: revocation.clone(),
            user: "alice".to_owned().into(),
            tenant: "acme".to_owned().into(),
            resource: "attack:revocation".to_owned().into(),
            target: ResourceTarget::Identity {
                attack: Box::new(AttackTarget {
                    kind,
                    role_arn: None,
                    victim: None,
                    claims: Vec::new(),
                    reach: Vec::new(),
                }),
            }
            .into(),
            action: Action::Api(kind.api().into()),
            expectation: Expectation::Deny,
            source: ExpectationSource::Attack {
                attack: kind,
                rule: kind.rule().to_owned(),
                reference: kind.reference().to_owned(),
            }
            .into(),
            shape: None,
        },
    );
    let mut backend = fake_for(&input);
    backend.escalating.insert(attack);
    backend.probe_delay = Duration::from_millis(20);
    let backend = Arc::new(backend);
    let options = RunOptions {
        concurrency: NonZeroUsize::new(4).unwrap(),
        ..RunOptions::default()
    };
    let results = run_shared(&input, &Selection::all(&input), &backend, &options).await;
    let starts = backend.starts.lock().unwrap().clone();
    let (last, _) = starts.last().unwrap();
    assert_eq!(*last, revocation);
    assert!(
        starts
            .iter()
            .any(|(name, _)| name.0.contains("::attack::basic-flow::globex-role::"))
    );
    // Its record keeps its plan position.
    assert_eq!(results.records.get(0).unwrap().name, revocation);
}
