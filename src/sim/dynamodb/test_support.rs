//! Test support shared by the service's tests: a core whose authorization is a closure
//! or the IAM engine with one identity policy, and a small world of tables.

use super::DynamoDbService;
use crate::sim::core::{
    AccessRequest, IssuedCredentials, SimCore, StsError, TokenIssuer, VerifiedToken,
    WebIdentityRequest,
};
use crate::sim::iam::{
    DecidingStatement, Decision, Evaluation, EvaluationInput, NamedPolicy, Policy, PolicyKind,
    PrincipalMatch, RequestContext, evaluate,
};
use crate::sim::principal::{Principal, PrincipalKind};
use crate::sim::world::World;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

pub type Decide = dyn Fn(&str, &str, &RequestContext) -> Decision + Send + Sync;

/// What one authorization call asked.
#[derive(Debug, Clone)]
pub struct Asked {
    pub action: String,
    pub resource: String,
    pub context: RequestContext,
}

pub struct TestCore {
    pub decide: Box<Decide>,
    /// When set, decisions come from the IAM engine with this identity policy instead.
    pub policy: Option<NamedPolicy>,
    pub asked: Mutex<Vec<Asked>>,
}

impl SimCore for TestCore {
    fn account_id(&self) -> &str {
        "123456789012"
    }
    fn region(&self) -> &str {
        "us-east-1"
    }
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH
    }
    fn authorize(&self, request: &AccessRequest<'_>) -> Evaluation {
        self.asked.lock().unwrap().push(Asked {
            action: request.action.to_string(),
            resource: request.resource.to_string(),
            context: request.context.clone(),
        });
        if let Some(policy) = &self.policy {
            return evaluate(&EvaluationInput {
                action: request.action,
                resource: request.resource,
                principal: &PrincipalMatch::default(),
                context: &request.context,
                identity_policies: std::slice::from_ref(policy),
                resource_policy: None,
                resource_policy_is_trust: false,
                session_policies: None,
                permissions_boundary: None,
                cross_account: false,
            });
        }
        let decision = (self.decide)(request.action, request.resource, &request.context);
        let statements = match decision {
            Decision::ImplicitDeny => Vec::new(),
            Decision::Allow | Decision::ExplicitDeny => vec![DecidingStatement {
                policy: "role/Tenant/inline/dynamodb".to_string(),
                kind: PolicyKind::Identity,
                sid: None,
                index: 0,
                allow: decision == Decision::Allow,
            }],
        };
        Evaluation {
            decision,
            statements,
            missing_allow_in: (decision == Decision::ImplicitDeny).then_some(PolicyKind::Identity),
        }
    }
    fn assume_role_with_web_identity(
        &self,
        _: &WebIdentityRequest,
    ) -> Result<IssuedCredentials, StsError> {
        Err(StsError {
            code: "AccessDenied".into(),
            message: "not used by these tests".into(),
            status: 403,
        })
    }
    fn register_issuer(&self, _: TokenIssuer) {}
    fn verify_token(&self, _: &str) -> Result<VerifiedToken, StsError> {
        Err(StsError {
            code: "InvalidIdentityToken".into(),
            message: "not used by these tests".into(),
            status: 400,
        })
    }
}

pub const WORLD: &str = r#"
account_id: "123456789012"
region: us-east-1
dynamodb:
  tables:
    - TableName: records
      KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}]
      Tags: [{Key: env, Value: staging}]
      Items:
        - {pk: {S: tenant-a}, sk: {S: doc#1}, body: {S: a1}, size: {N: "10"}}
        - {pk: {S: tenant-a}, sk: {S: doc#2}, body: {S: a2}, size: {N: "20"}}
        - {pk: {S: tenant-a}, sk: {S: note#1}, body: {S: a3}, size: {N: "30"}}
        - {pk: {S: tenant-b}, sk: {S: doc#1}, body: {S: b1}, size: {N: "40"}}
    - TableName: counters
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: N}]
"#;

pub struct Harness {
    pub service: DynamoDbService,
    pub core: TestCore,
    pub principal: Arc<Principal>,
}

pub fn principal() -> Arc<Principal> {
    Arc::new(Principal {
        kind: PrincipalKind::AssumedRole {
            role_arn: "arn:aws:iam::123456789012:role/TenantA".into(),
            role_name: "TenantA".into(),
            session_name: "alice".into(),
        },
        arn: "arn:aws:sts::123456789012:assumed-role/TenantA/alice".into(),
        account: "123456789012".into(),
        userid: "AROAEXAMPLE:alice".into(),
        access_key_id: "ASIAEXAMPLE".into(),
        principal_tags: Default::default(),
        session_policies: None,
        federated_context: RequestContext::new(),
        expires: None,
    })
}

pub fn harness(
    decide: impl Fn(&str, &str, &RequestContext) -> Decision + Send + Sync + 'static,
) -> Harness {
    let world: World = serde_yaml::from_str(WORLD).unwrap();
    let core = TestCore {
        decide: Box::new(decide),
        policy: None,
        asked: Mutex::new(Vec::new()),
    };
    let service = DynamoDbService::from_world(&world, &core).unwrap();
    Harness {
        service,
        core,
        principal: principal(),
    }
}

/// A harness whose decisions come from the IAM engine with one identity policy.
pub fn with_policy(policy: Value) -> Harness {
    let mut h = harness(|_, _, _| Decision::ImplicitDeny);
    let parsed = Policy::parse(&policy.to_string()).unwrap();
    h.core.policy = Some(NamedPolicy::new("role/TenantA/inline/dynamodb", parsed));
    h
}

pub fn allow_all() -> Harness {
    harness(|_, _, _| Decision::Allow)
}
