//! A stand-in for local staging's core in unit tests: authorization decided by a closure
//! over the access request, and every question recorded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::sim::core::{
    AccessRequest, IssuedCredentials, SimCore, StsError, TokenIssuer, VerifiedToken,
    WebIdentityRequest,
};
use crate::sim::iam::{DecidingStatement, Decision, Evaluation, PolicyKind, RequestContext};
use crate::sim::principal::{Principal, PrincipalKind};
use crate::sim::request::SimRequest;

pub(crate) const ACCOUNT: &str = "123456789012";
pub(crate) const REGION: &str = "us-east-1";

/// One authorization question the service asked.
#[derive(Debug, Clone)]
pub(crate) struct AskedAccess {
    pub action: String,
    pub resource: String,
    pub context: RequestContext,
    pub had_resource_policy: bool,
}

type Rule = dyn Fn(&AccessRequest<'_>) -> Evaluation + Send + Sync;

pub(crate) struct TestCore {
    rule: Box<Rule>,
    pub asked: Mutex<Vec<AskedAccess>>,
}

impl TestCore {
    pub fn new(rule: impl Fn(&AccessRequest<'_>) -> Evaluation + Send + Sync + 'static) -> Self {
        TestCore {
            rule: Box::new(rule),
            asked: Mutex::new(Vec::new()),
        }
    }

    pub fn allow_all() -> Self {
        TestCore::new(|_| allow())
    }

    pub fn asked(&self) -> Vec<AskedAccess> {
        self.asked.lock().unwrap().clone()
    }
}

pub(crate) fn allow() -> Evaluation {
    Evaluation {
        decision: Decision::Allow,
        statements: vec![statement(PolicyKind::Identity, true)],
        missing_allow_in: None,
    }
}

pub(crate) fn implicit_deny() -> Evaluation {
    Evaluation {
        decision: Decision::ImplicitDeny,
        statements: Vec::new(),
        missing_allow_in: Some(PolicyKind::Identity),
    }
}

pub(crate) fn explicit_deny(kind: PolicyKind) -> Evaluation {
    Evaluation {
        decision: Decision::ExplicitDeny,
        statements: vec![statement(kind, false)],
        missing_allow_in: None,
    }
}

fn statement(kind: PolicyKind, allow: bool) -> DecidingStatement {
    DecidingStatement {
        policy: "test".into(),
        kind,
        sid: None,
        index: 0,
        allow,
    }
}

impl SimCore for TestCore {
    fn account_id(&self) -> &str {
        ACCOUNT
    }
    fn region(&self) -> &str {
        REGION
    }
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }
    fn authorize(&self, request: &AccessRequest<'_>) -> Evaluation {
        self.asked.lock().unwrap().push(AskedAccess {
            action: request.action.to_string(),
            resource: request.resource.to_string(),
            context: request.context.clone(),
            had_resource_policy: request.resource_policy.is_some(),
        });
        (self.rule)(request)
    }
    fn assume_role_with_web_identity(
        &self,
        _request: &WebIdentityRequest,
    ) -> Result<IssuedCredentials, StsError> {
        Err(StsError {
            code: "AccessDenied".into(),
            message: "the test core issues no sessions".into(),
            status: 403,
        })
    }
    fn register_issuer(&self, _issuer: TokenIssuer) {}
    fn verify_token(&self, _token: &str) -> Result<VerifiedToken, StsError> {
        Err(StsError {
            code: "InvalidIdentityToken".into(),
            message: "the test core verifies no tokens".into(),
            status: 400,
        })
    }
}

/// A role session of the test account.
pub(crate) fn role_session(role: &str) -> Arc<Principal> {
    Arc::new(Principal {
        kind: PrincipalKind::AssumedRole {
            role_arn: format!("arn:aws:iam::{ACCOUNT}:role/{role}"),
            role_name: role.into(),
            session_name: "test".into(),
        },
        arn: format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/test"),
        account: ACCOUNT.into(),
        userid: "AROATEST:test".into(),
        access_key_id: "ASIATEST".into(),
        principal_tags: BTreeMap::new(),
        session_policies: None,
        federated_context: RequestContext::new(),
        expires: None,
    })
}

/// A signed request from `caller`.
pub(crate) fn request(
    method: Method,
    raw_path: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
    caller: Option<Arc<Principal>>,
) -> SimRequest {
    let mut header_map = HeaderMap::new();
    for (name, value) in headers {
        header_map.insert(
            HeaderName::try_from(*name).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    SimRequest {
        method,
        raw_path: raw_path.to_string(),
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        headers: header_map,
        body: body.into(),
        request_id: "REQ123".into(),
        caller,
    }
}

/// A role session carrying session tags (`aws:PrincipalTag/*`).
pub(crate) fn tagged_role_session(role: &str, tags: &[(&str, &str)]) -> Arc<Principal> {
    let mut principal = (*role_session(role)).clone();
    principal.principal_tags = tags
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Arc::new(principal)
}

/// A core that decides with the real IAM engine: the caller's identity policies are the
/// given documents, the resource policy is the one the service passes, and the global
/// keys are built from the principal as the core does.
pub(crate) fn iam_engine_core(identity_policies: &[&str]) -> TestCore {
    use crate::sim::iam::{EvaluationInput, NamedPolicy, Policy, PolicyUse, PrincipalMatch};
    let policies: Vec<NamedPolicy> = identity_policies
        .iter()
        .enumerate()
        .map(|(i, text)| {
            NamedPolicy::new(
                format!("identity-{i}"),
                Policy::parse_for(text, PolicyUse::Identity).expect("a valid identity policy"),
            )
        })
        .collect();
    TestCore::new(move |request| {
        let principal = request.principal;
        let role_arn = match &principal.kind {
            PrincipalKind::AssumedRole { role_arn, .. } => role_arn.clone(),
            PrincipalKind::IamUser { .. } => principal.arn.clone(),
        };
        let mut context = RequestContext::new();
        context.set("aws:PrincipalArn", role_arn.clone());
        context.set("aws:PrincipalAccount", principal.account.clone());
        context.set("aws:userid", principal.userid.clone());
        for (key, value) in &principal.principal_tags {
            context.set(format!("aws:PrincipalTag/{key}"), value.clone());
        }
        context.extend(&request.context);
        let principal_match = PrincipalMatch {
            aws: vec![
                role_arn,
                principal.arn.clone(),
                format!("arn:aws:iam::{}:root", principal.account),
                principal.account.clone(),
            ],
            ..Default::default()
        };
        crate::sim::iam::evaluate(&EvaluationInput {
            action: request.action,
            resource: request.resource,
            principal: &principal_match,
            context: &context,
            identity_policies: &policies,
            resource_policy: request.resource_policy,
            resource_policy_is_trust: false,
            session_policies: None,
            permissions_boundary: None,
            cross_account: false,
        })
    })
}
