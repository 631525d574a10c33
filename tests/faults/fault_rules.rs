//! Which requests the proxy faults, and how: a rule names services, operations (empty for
//! all), the fraction of distinct calls it hits and a seed. The choice is a hash of the
//! seed and the call's identity, so every retry of a faulted call is faulted again and two
//! runs with the same rules fault the same calls.

use crate::aws_request::AwsRequest;
use std::hash::{DefaultHasher, Hash, Hasher};

/// How a faulted call is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// 500 InternalError / InternalFailure, on every attempt.
    InternalError,
    /// 503 ServiceUnavailable, on every attempt.
    ServiceUnavailable,
    /// The service's throttling error, on every attempt.
    Throttling,
    /// The connection is reset before any response.
    ConnectionReset,
    /// No response at all, longer than the attempt timeout.
    Hang,
    /// 200 with a body that is not the protocol's document.
    GarbageBody,
    /// 200 with the real headers and half the real body, then the connection drops.
    TruncatedBody,
    SignatureDoesNotMatch,
    RequestTimeTooSkewed,
    ExpiredToken,
    InvalidAccessKeyId,
    UnrecognizedClient,
    /// The service's AccessDenied, naming an action other than the one probed.
    AccessDeniedOtherAction,
    /// The service's AccessDenied code with a message that is no authorization decision.
    AccessDeniedWithoutDecision,
    /// A 400 validation error that echoes the request's headers and body (tokens included).
    EchoRequest,
}

#[derive(Debug, Clone)]
pub struct FaultRule {
    pub kind: FaultKind,
    /// Signing names (`s3`, `secretsmanager`, ...).
    pub services: Vec<&'static str>,
    /// Operations the rule applies to; empty for every operation of the services.
    pub operations: Vec<&'static str>,
    /// Share of distinct calls faulted, 0.0 to 1.0.
    pub fraction: f64,
    pub seed: u64,
}

/// The services a probe calls.
pub const PROBED_SERVICES: [&str; 3] = ["s3", "dynamodb", "secretsmanager"];

impl FaultRule {
    /// `kind` on `fraction` of every probed service's calls.
    pub fn on_probes(kind: FaultKind, fraction: f64, seed: u64) -> FaultRule {
        FaultRule {
            kind,
            services: PROBED_SERVICES.to_vec(),
            operations: Vec::new(),
            fraction,
            seed,
        }
    }

    pub fn only(mut self, services: &[&'static str], operations: &[&'static str]) -> FaultRule {
        self.services = services.to_vec();
        self.operations = operations.to_vec();
        self
    }

    pub fn applies_to(&self, request: &AwsRequest) -> bool {
        if !self.services.contains(&request.service.as_str()) {
            return false;
        }
        if !self.operations.is_empty() && !self.operations.contains(&request.operation.as_str()) {
            return false;
        }
        let mut hasher = DefaultHasher::new();
        self.seed.hash(&mut hasher);
        request.identity.hash(&mut hasher);
        let draw = (hasher.finish() % 10_000) as f64 / 10_000.0;
        draw < self.fraction
    }
}

/// The first rule that applies to `request`.
pub fn fault_for(rules: &[FaultRule], request: &AwsRequest) -> Option<FaultKind> {
    rules
        .iter()
        .find(|rule| rule.applies_to(request))
        .map(|rule| rule.kind)
}
