//! A fake harness: canned verdicts, counted sign-ins, measured concurrency, recorded start
//! times, optional delays, hangs and failures.

use crate::synthetic::caller_arn;
use aws_credential_types::Credentials;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use xtenant::attack::{AttackRecord, Escalation};
use xtenant::identity::UserEvidence;
use xtenant::probe::{Outcome, ProbeRecord, Verdict};
use xtenant::run::{CleanupSummary, ProbeBackend, SignedIn};
use xtenant::scenario::{Expectation, PlannedProbe, ProbeName};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FakeSignInError(String);

/// The session the fake hands out: just who signed in.
#[derive(Debug)]
pub struct FakeSession {
    pub user: String,
}

#[derive(Default)]
pub struct FakeBackend {
    /// Verdicts that differ from "everything as expected".
    pub verdicts: BTreeMap<ProbeName, Verdict>,
    /// Users whose sign-in fails, with the error message.
    pub failing_users: BTreeMap<String, String>,
    /// Users whose credentials carry another tenant's role.
    pub roles: BTreeMap<String, String>,
    /// How long each probe takes, by default.
    pub probe_delay: Duration,
    /// Per-probe delays overriding `probe_delay`.
    pub delays: BTreeMap<ProbeName, Duration>,
    /// Probes that never finish.
    pub hanging: BTreeSet<ProbeName>,
    /// How long a sign-in takes.
    pub sign_in_delay: Duration,
    /// Tenants by user, for the evidence.
    pub tenants: BTreeMap<String, String>,
    /// An error message attached to every record, to test scrubbing.
    pub error_message: Option<String>,
    /// A token each sign-in is "issued" and registers with this redactor, as the identity
    /// layer does, to test that secrets learned during the run are scrubbed.
    pub issued_token: Option<(xtenant::redaction::Redactor, String)>,
    /// Records returned with a wrong outcome, to test that the runner recomputes it.
    pub lie_about_outcome: bool,
    /// Records returned for another probe's name.
    pub swap_names: bool,
    /// Attack cases that obtain credentials (Allowed, with an escalation); every other
    /// attack case is refused. Re-runs with those credentials are allowed everywhere.
    pub escalating: BTreeSet<ProbeName>,
    pub cleanup: CleanupSummary,

    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    pub sign_ins: Mutex<BTreeMap<String, usize>>,
    pub starts: Mutex<Vec<(ProbeName, tokio::time::Instant)>>,
}

impl FakeBackend {
    pub fn sign_in_count(&self, user: &str) -> usize {
        self.sign_ins
            .lock()
            .unwrap()
            .get(user)
            .copied()
            .unwrap_or(0)
    }

    pub fn started(&self) -> Vec<ProbeName> {
        self.starts
            .lock()
            .unwrap()
            .iter()
            .map(|(name, _)| name.clone())
            .collect()
    }
}

impl ProbeBackend for FakeBackend {
    type Session = FakeSession;
    type Error = FakeSignInError;

    async fn prepare_user(&self, user: &str) -> Result<SignedIn<FakeSession>, FakeSignInError> {
        *self
            .sign_ins
            .lock()
            .unwrap()
            .entry(user.to_owned())
            .or_default() += 1;
        tokio::time::sleep(self.sign_in_delay).await;
        if let Some((redactor, token)) = &self.issued_token {
            redactor.register_str(token);
        }
        if let Some(message) = self.failing_users.get(user) {
            return Err(FakeSignInError(message.clone()));
        }
        let tenant = self.tenants.get(user).cloned().unwrap_or_default();
        let role_tenant = self
            .roles
            .get(user)
            .cloned()
            .unwrap_or_else(|| tenant.clone());
        Ok(SignedIn {
            session: FakeSession {
                user: user.to_owned(),
            },
            evidence: UserEvidence {
                user: user.to_owned(),
                tenant,
                identity_id: Some(format!("us-east-1:0000-{user}")),
                caller_arn: Some(caller_arn(&role_tenant)),
                role_arn: Some(crate::synthetic::role_arn(&role_tenant)),
                account: Some("111122223333".into()),
                groups: vec![role_tenant.clone()],
                preferred_role: None,
                roles: vec![crate::synthetic::role_arn(&role_tenant)],
                error: None,
                sign_in_flow: Some("USER_SRP_AUTH, enhanced flow".into()),
            },
        })
    }

    async fn execute(&self, probe: &PlannedProbe, session: &FakeSession) -> ProbeRecord {
        assert_eq!(
            session.user, probe.user,
            "a probe ran with another user's session"
        );
        self.starts
            .lock()
            .unwrap()
            .push((probe.name.clone(), tokio::time::Instant::now()));
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        if self.hanging.contains(&probe.name) {
            std::future::pending::<()>().await;
        }
        let delay = self
            .delays
            .get(&probe.name)
            .copied()
            .unwrap_or(self.probe_delay);
        tokio::time::sleep(delay).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);

        let verdict = self
            .verdicts
            .get(&probe.name)
            .copied()
            .unwrap_or(match probe.expectation {
                Expectation::Allow => Verdict::Allowed,
                Expectation::Deny => Verdict::Denied,
            });
        let denied = verdict == Verdict::Denied;
        let outcome = if self.lie_about_outcome {
            Outcome::Held
        } else {
            Outcome::of(probe.expectation, verdict)
        };
        let name = if self.swap_names {
            ProbeName::from(format!("{}-other", probe.name))
        } else {
            probe.name.clone()
        };
        ProbeRecord {
            name,
            user: probe.user.clone(),
            tenant: probe.tenant.clone(),
            resource: probe.resource.clone(),
            target: probe.target.clone(),
            action: probe.action.clone(),
            expectation: probe.expectation,
            source: probe.source.clone(),
            shape: probe.shape.clone(),
            api_call: "s3:GetObject".into(),
            method: "direct".into(),
            verdict,
            outcome,
            http_status: Some(match verdict {
                Verdict::Allowed => 200,
                Verdict::Denied => 403,
                Verdict::Inconclusive => 500,
            }),
            error_code: denied.then(|| "AccessDenied".into()),
            error_message: self.error_message.as_deref().map(Into::into).or_else(|| {
                denied.then(|| "no identity-based policy allows the s3:GetObject action".into())
            }),
            denied_action: None,
            denial_layer: None,
            denial_explicit: None,
            request_id: Some(format!("req-{}", probe.name)),
            reason: match verdict {
                Verdict::Allowed => "the call succeeded".into(),
                Verdict::Denied => "403 AccessDenied".into(),
                Verdict::Inconclusive => "500 InternalError".into(),
            },
            duration_ms: 5,
            read_evidence: None,
            waiver: None,
        }
    }

    async fn attack(
        &self,
        case: &PlannedProbe,
        attacker: Option<&FakeSession>,
        _victim: Option<&FakeSession>,
    ) -> AttackRecord {
        let session = FakeSession {
            user: attacker.map_or_else(|| case.user.to_string(), |a| a.user.clone()),
        };
        self.starts
            .lock()
            .unwrap()
            .push((case.name.clone(), tokio::time::Instant::now()));
        let mut fake = FakeBackend {
            verdicts: self.verdicts.clone(),
            ..FakeBackend::default()
        };
        let escalates = self.escalating.contains(&case.name);
        fake.verdicts.insert(
            case.name.clone(),
            if escalates {
                Verdict::Allowed
            } else {
                Verdict::Denied
            },
        );
        let record = fake.execute(case, &session).await;
        AttackRecord {
            record,
            escalation: escalates.then(|| Escalation {
                role: "arn:aws:iam::111122223333:role/stolen-role".to_owned(),
                credentials: Credentials::new("AKIDFAKE", "fake-secret", None, None, "fake"),
            }),
        }
    }

    async fn execute_escalated(
        &self,
        probe: &PlannedProbe,
        escalation: &Escalation,
    ) -> ProbeRecord {
        assert!(escalation.role.ends_with("stolen-role"));
        let mut verdicts = BTreeMap::new();
        verdicts.insert(probe.name.clone(), Verdict::Allowed);
        let session = FakeSession {
            user: probe.user.to_string(),
        };
        self.starts
            .lock()
            .unwrap()
            .push((probe.name.clone(), tokio::time::Instant::now()));
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.probe_delay).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        FakeBackend {
            verdicts,
            ..FakeBackend::default()
        }
        .execute(probe, &session)
        .await
    }

    async fn cleanup(&self) -> CleanupSummary {
        self.cleanup.clone()
    }
}

/// A fake for `input` whose evidence knows each user's tenant.
pub fn fake_for(input: &xtenant::run::RunInput) -> FakeBackend {
    FakeBackend {
        tenants: input
            .users
            .iter()
            .map(|user| (user.name.clone(), user.tenant.clone()))
            .collect(),
        ..FakeBackend::default()
    }
}
