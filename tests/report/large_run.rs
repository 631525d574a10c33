//! A large synthetic run built directly as `RunResults` (no scheduler), the SaaS of issue
//! 17: T tenants, U users per tenant, every user probing `cells` resource × action cells
//! of every tenant. Shared by the report tests and the browser test.

use xtenant::identity::UserEvidence;
use xtenant::probe::{Outcome, ProbeRecord, Verdict};
use xtenant::redaction::Redactor;
use xtenant::run::{CleanupSummary, RunResults, RunTiming};
use xtenant::scenario::{
    Action, Expectation, ExpectationSource, Plan, PlannedProbe, ProbeName, ResourceTarget,
};

/// The shape of the run and which probes go wrong.
pub struct LargeRun {
    pub tenants: usize,
    pub users_per_tenant: usize,
    pub cells: usize,
    /// Every `breach_every`-th cross-tenant probe is allowed (a breach); 0 for none.
    pub breach_every: usize,
    /// Every `inconclusive_every`-th probe is inconclusive; 0 for none.
    pub inconclusive_every: usize,
}

impl LargeRun {
    /// 50 tenants × 2 users × (50 tenants × 20 cells): 100,000 probes.
    pub fn hundred_thousand() -> LargeRun {
        LargeRun {
            tenants: 50,
            users_per_tenant: 2,
            cells: 20,
            breach_every: 997,
            inconclusive_every: 1009,
        }
    }

    pub fn probes(&self) -> usize {
        self.tenants * self.users_per_tenant * self.tenants * self.cells
    }

    pub fn build(&self) -> RunResults {
        let tenant = |t: usize| format!("tenant-{t:02}");
        let mut probes = Vec::with_capacity(self.probes());
        let mut records = Vec::with_capacity(self.probes());
        let mut users = Vec::new();
        for own in 0..self.tenants {
            for u in 0..self.users_per_tenant {
                let user = format!("{}-user-{u}", tenant(own));
                users.push(UserEvidence {
                    user: user.clone(),
                    tenant: tenant(own),
                    identity_id: Some(format!("us-east-1:00000000-0000-0000-{own:04}-{u:08}")),
                    caller_arn: Some(format!(
                        "arn:aws:sts::111122223333:assumed-role/{}-role/CognitoIdentityCredentials",
                        tenant(own)
                    )),
                    role_arn: Some(format!(
                        "arn:aws:iam::111122223333:role/{}-role",
                        tenant(own)
                    )),
                    account: Some("111122223333".into()),
                    groups: vec![tenant(own)],
                    sign_in_flow: Some("USER_SRP_AUTH, enhanced flow".into()),
                    ..UserEvidence::default()
                });
                for owner in 0..self.tenants {
                    for cell in 0..self.cells {
                        let n = records.len();
                        let name = ProbeName::from(format!(
                            "{user}::{}/doc-{cell:02}::read",
                            tenant(owner)
                        ));
                        let expectation = if owner == own {
                            Expectation::Allow
                        } else {
                            Expectation::Deny
                        };
                        let inconclusive =
                            self.inconclusive_every > 0 && n % self.inconclusive_every == 7;
                        let breach = self.breach_every > 0 && n % self.breach_every == 3;
                        let verdict = if inconclusive {
                            Verdict::Inconclusive
                        } else if owner == own || breach {
                            Verdict::Allowed
                        } else {
                            Verdict::Denied
                        };
                        let planned = PlannedProbe {
                            name: name.clone(),
                            user: user.clone().into(),
                            tenant: tenant(owner).into(),
                            resource: format!("doc-{cell:02}").into(),
                            target: ResourceTarget::S3Object {
                                bucket: "saas-docs".into(),
                                key: format!("{}/doc-{cell:02}.txt", tenant(owner)),
                            }
                            .into(),
                            action: Action::Read,
                            expectation,
                            source: ExpectationSource::CrossTenantDefault.into(),
                            shape: None,
                        };
                        records.push(record(&planned, verdict, n));
                        probes.push(planned);
                    }
                }
            }
        }
        RunResults {
            scenario: "saas-at-scale".into(),
            plan: std::sync::Arc::new(Plan {
                probes,
                not_exercised: Vec::new(),
                waivers: Vec::new(),
                lines: Default::default(),
                share: None,
            }),
            records: records.into(),
            users,
            role_cases: Vec::new(),
            cleanup: CleanupSummary::default(),
            timing: RunTiming {
                started_at: "2026-12-02T03:00:00Z".into(),
                finished_at: "2026-12-02T03:00:30Z".into(),
                duration_ms: 30_000,
            },
            interrupted: false,
            run: None,
            audit: None,
            waivers: Default::default(),
            redactor: Redactor::new(&[]),
        }
    }
}

fn record(planned: &PlannedProbe, verdict: Verdict, n: usize) -> ProbeRecord {
    let (status, code, reason) = match verdict {
        Verdict::Allowed => (200, None, "the call succeeded"),
        Verdict::Denied => (
            403,
            Some("AccessDenied"),
            "403 AccessDenied: implicit deny in an identity-based policy",
        ),
        Verdict::Inconclusive => (503, Some("SlowDown"), "503 SlowDown outlived the retries"),
    };
    ProbeRecord {
        name: planned.name.clone(),
        user: planned.user.clone(),
        tenant: planned.tenant.clone(),
        resource: planned.resource.clone(),
        target: planned.target.clone(),
        action: planned.action.clone(),
        expectation: planned.expectation,
        source: planned.source.clone(),
        shape: None,
        api_call: "s3:GetObject".into(),
        method: "read".into(),
        verdict,
        outcome: Outcome::of(planned.expectation, verdict),
        http_status: Some(status),
        error_code: code.map(Into::into),
        error_message: None,
        denied_action: None,
        denial_layer: None,
        denial_explicit: None,
        request_id: Some(format!("req-{n:08x}")),
        reason: reason.into(),
        duration_ms: 3,
        read_evidence: None,
        waiver: None,
    }
}
