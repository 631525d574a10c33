//! A conformance case: policies, a request, the expected decision, and the AWS rule it pins.

use xtenant::sim::iam::{
    Decision, EvaluationInput, NamedPolicy, Policy, PolicyKind, PolicyUse, PrincipalMatch,
    RequestContext, evaluate,
};

pub const ACCOUNT: &str = "111122223333";
pub const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/TenantRole";
pub const SESSION_ARN: &str = "arn:aws:sts::111122223333:assumed-role/TenantRole/alice";
pub const USER_ARN: &str = "arn:aws:iam::111122223333:user/bob";
pub const ROOT_ARN: &str = "arn:aws:iam::111122223333:root";
/// The trusted account of the cross-account cases: the caller's, not the resource's.
pub const OTHER_ACCOUNT: &str = "444455556666";
pub const OTHER_ROLE_ARN: &str = "arn:aws:iam::444455556666:role/PartnerRole";
pub const OTHER_SESSION_ARN: &str = "arn:aws:sts::444455556666:assumed-role/PartnerRole/carol";
pub const OTHER_ROOT_ARN: &str = "arn:aws:iam::444455556666:root";

pub mod doc {
    pub const EVALUATION: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html";
    pub const DENY_ALLOW: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html";
    pub const GRAMMAR: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html";
    pub const VERSION: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html";
    pub const STATEMENT: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html";
    pub const SID: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html";
    pub const EFFECT: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html";
    pub const ACTION: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html";
    pub const NOT_ACTION: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html";
    pub const RESOURCE: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html";
    pub const NOT_RESOURCE: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html";
    pub const PRINCIPAL: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html";
    pub const NOT_PRINCIPAL: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html";
    pub const CONDITION: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html";
    pub const CONDITION_LOGIC: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_logic_multiple_context_keys_or_values.html";
    pub const OPERATORS: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html";
    pub const MULTI_VALUED: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html";
    pub const VARIABLES: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html";
    pub const SESSION_POLICIES: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session";
    pub const BOUNDARIES: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html";
    pub const ROLE_TRUST: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html";
    pub const COGNITO_TRUST: &str =
        "https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html";
    pub const S3_PREFIX: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_cognito-bucket.html";
    pub const DYNAMODB_LEADING_KEYS: &str = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html";
    pub const SECRETS_ABAC: &str =
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html";
    pub const CROSS_ACCOUNT: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html";
    pub const ACCESS_DENIED: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html";
}

/// What a case expects.
#[derive(Debug, Clone)]
pub enum Expect {
    Allow,
    ExplicitDeny,
    /// An implicit deny, naming the kind of policy that lacked an allow.
    ImplicitDeny(PolicyKind),
    /// The first identity policy (checked for `use`) is rejected with a message holding the
    /// text.
    Malformed(PolicyUse, &'static str),
}

pub struct Case {
    pub name: String,
    pub doc: &'static str,
    pub rule: &'static str,
    identity: Vec<String>,
    resource_policy: Option<String>,
    resource_policy_is_trust: bool,
    session: Option<Vec<String>>,
    boundary: Option<String>,
    cross_account: bool,
    action: String,
    resource: String,
    principal: PrincipalMatch,
    context: RequestContext,
    expect: Option<Expect>,
    deciding_sid: Option<&'static str>,
    deciding_kind: Option<PolicyKind>,
    reason: Option<&'static str>,
}

/// A case named `name` pinning `rule` from the AWS page `doc`, with a role-session caller
/// asking for `s3:GetObject` on `arn:aws:s3:::bucket/key`.
pub fn case(name: &str, doc: &'static str, rule: &'static str) -> Case {
    Case {
        name: name.to_string(),
        doc,
        rule,
        identity: Vec::new(),
        resource_policy: None,
        resource_policy_is_trust: false,
        session: None,
        boundary: None,
        cross_account: false,
        action: "s3:GetObject".to_string(),
        resource: "arn:aws:s3:::bucket/key".to_string(),
        principal: role_session(),
        context: RequestContext::new(),
        expect: None,
        deciding_sid: None,
        deciding_kind: None,
        reason: None,
    }
}

pub fn role_session() -> PrincipalMatch {
    PrincipalMatch {
        aws: vec![
            SESSION_ARN.to_string(),
            ROLE_ARN.to_string(),
            ROOT_ARN.to_string(),
            ACCOUNT.to_string(),
        ],
        federated: None,
        service: None,
    }
}

/// A 2012-10-17 policy around the given statement JSON (one object or several, comma
/// separated).
pub fn policy(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

/// An identity statement allowing `action` on `resource`.
pub fn allow(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}"#)
}

/// An identity statement denying `action` on `resource`.
pub fn deny(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect":"Deny","Action":"{action}","Resource":"{resource}"}}"#)
}

/// An identity statement allowing `action` on `resource` under a condition block.
pub fn allow_if(action: &str, resource: &str, condition: &str) -> String {
    format!(
        r#"{{"Effect":"Allow","Action":"{action}","Resource":"{resource}","Condition":{condition}}}"#
    )
}

impl Case {
    pub fn identity(mut self, json: impl Into<String>) -> Self {
        self.identity.push(json.into());
        self
    }
    pub fn resource_policy(mut self, json: impl Into<String>) -> Self {
        self.resource_policy = Some(json.into());
        self
    }
    pub fn trust(mut self, json: impl Into<String>) -> Self {
        self.resource_policy = Some(json.into());
        self.resource_policy_is_trust = true;
        self.action = "sts:AssumeRoleWithWebIdentity".to_string();
        self.resource = ROLE_ARN.to_string();
        self
    }
    pub fn session(mut self, json: impl Into<String>) -> Self {
        self.session.get_or_insert_with(Vec::new).push(json.into());
        self
    }
    pub fn boundary(mut self, json: impl Into<String>) -> Self {
        self.boundary = Some(json.into());
        self
    }
    pub fn action(mut self, action: &str) -> Self {
        self.action = action.to_string();
        self
    }
    pub fn resource(mut self, resource: &str) -> Self {
        self.resource = resource.to_string();
        self
    }
    pub fn ctx(mut self, key: &str, value: &str) -> Self {
        self.context.set(key, value);
        self
    }
    pub fn ctx_multi(mut self, key: &str, values: &[&str]) -> Self {
        self.context.set_multi(key, values.iter().copied());
        self
    }
    pub fn principal(mut self, principal: PrincipalMatch) -> Self {
        self.principal = principal;
        self
    }
    /// A role session of another account (`OTHER_ACCOUNT`) than the resource's: the
    /// request is evaluated with the cross-account rules.
    pub fn by_other_account(mut self) -> Self {
        self.cross_account = true;
        self.principal(PrincipalMatch {
            aws: vec![
                OTHER_SESSION_ARN.into(),
                OTHER_ROLE_ARN.into(),
                OTHER_ROOT_ARN.into(),
                OTHER_ACCOUNT.into(),
            ],
            federated: None,
            service: None,
        })
    }
    /// An IAM user caller.
    pub fn by_iam_user(self) -> Self {
        self.principal(PrincipalMatch {
            aws: vec![USER_ARN.into(), ROOT_ARN.into(), ACCOUNT.into()],
            federated: None,
            service: None,
        })
    }
    /// A web-identity caller from `provider` (for trust policies).
    pub fn by_web_identity(self, provider: &str) -> Self {
        self.principal(PrincipalMatch {
            aws: Vec::new(),
            federated: Some(provider.to_string()),
            service: None,
        })
    }
    pub fn expect_allow(mut self) -> Self {
        self.expect = Some(Expect::Allow);
        self
    }
    pub fn expect_explicit_deny(mut self) -> Self {
        self.expect = Some(Expect::ExplicitDeny);
        self
    }
    pub fn expect_implicit_deny(mut self, missing: PolicyKind) -> Self {
        self.expect = Some(Expect::ImplicitDeny(missing));
        self
    }
    pub fn expect_malformed(mut self, fragment: &'static str) -> Self {
        self.expect = Some(Expect::Malformed(PolicyUse::Identity, fragment));
        self
    }
    pub fn expect_malformed_as(mut self, policy_use: PolicyUse, fragment: &'static str) -> Self {
        self.expect = Some(Expect::Malformed(policy_use, fragment));
        self
    }
    /// Also requires the first deciding statement to carry this Sid.
    pub fn deciding_sid(mut self, sid: &'static str) -> Self {
        self.deciding_sid = Some(sid);
        self
    }
    /// Also requires the first deciding statement to come from this kind of policy.
    pub fn deciding_kind(mut self, kind: PolicyKind) -> Self {
        self.deciding_kind = Some(kind);
        self
    }

    /// Also requires the tail of AWS's AccessDenied message to read exactly this.
    pub fn denial_reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }

    /// Runs the case; `Err` explains a mismatch.
    pub fn run(&self) -> Result<(), String> {
        let expect = self
            .expect
            .clone()
            .ok_or_else(|| "case has no expectation".to_string())?;
        if let Expect::Malformed(policy_use, fragment) = expect {
            let json = self
                .identity
                .first()
                .ok_or_else(|| "malformed case has no policy".to_string())?;
            return match Policy::parse_for(json, policy_use) {
                Ok(_) => Err(format!(
                    "expected a malformed policy error about `{fragment}`, parsed fine"
                )),
                Err(e) if e.to_string().contains(fragment) => Ok(()),
                Err(e) => Err(format!("expected an error about `{fragment}`, got `{e}`")),
            };
        }
        let parse = |name: String, json: &str, policy_use: PolicyUse| {
            Policy::parse_for(json, policy_use)
                .map(|p| NamedPolicy::new(name.clone(), p))
                .map_err(|e| format!("policy {name} does not parse: {e}"))
        };
        let identity = self
            .identity
            .iter()
            .enumerate()
            .map(|(i, json)| parse(format!("identity{i}"), json, PolicyUse::Identity))
            .collect::<Result<Vec<_>, _>>()?;
        let resource_use = if self.resource_policy_is_trust {
            PolicyUse::Trust
        } else {
            PolicyUse::Resource
        };
        let resource_policy = self
            .resource_policy
            .as_deref()
            .map(|json| parse("resource".into(), json, resource_use))
            .transpose()?;
        let session = self
            .session
            .as_ref()
            .map(|list| {
                list.iter()
                    .enumerate()
                    .map(|(i, json)| parse(format!("session{i}"), json, PolicyUse::Identity))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let boundary = self
            .boundary
            .as_deref()
            .map(|json| parse("boundary".into(), json, PolicyUse::Identity))
            .transpose()?;
        let input = EvaluationInput {
            action: &self.action,
            resource: &self.resource,
            principal: &self.principal,
            context: &self.context,
            identity_policies: &identity,
            resource_policy: resource_policy.as_ref(),
            resource_policy_is_trust: self.resource_policy_is_trust,
            session_policies: session.as_deref(),
            permissions_boundary: boundary.as_ref(),
            cross_account: self.cross_account,
        };
        let evaluation = evaluate(&input);
        let (decision, missing) = match expect {
            Expect::Allow => (Decision::Allow, None),
            Expect::ExplicitDeny => (Decision::ExplicitDeny, None),
            Expect::ImplicitDeny(kind) => (Decision::ImplicitDeny, Some(kind)),
            Expect::Malformed(..) => unreachable!("handled above"),
        };
        if evaluation.decision != decision || evaluation.missing_allow_in != missing {
            return Err(format!(
                "expected {decision:?} (missing allow in {missing:?}), got {:?} (missing allow in {:?}); statements {:?}",
                evaluation.decision, evaluation.missing_allow_in, evaluation.statements
            ));
        }
        if decision != Decision::ImplicitDeny && evaluation.statements.is_empty() {
            return Err("a decided request must name its deciding statements".into());
        }
        if let Some(sid) = self.deciding_sid {
            let first = evaluation.statements.first().and_then(|s| s.sid.as_deref());
            if first != Some(sid) {
                return Err(format!("expected deciding Sid {sid}, got {first:?}"));
            }
        }
        if let Some(reason) = self.reason {
            let actual = evaluation.denial_reason(&self.action);
            if actual.as_deref() != Some(reason) {
                return Err(format!("expected denial reason `{reason}`, got {actual:?}"));
            }
        }
        if let Some(kind) = self.deciding_kind {
            let first = evaluation.statements.first().map(|s| s.kind);
            if first != Some(kind) {
                return Err(format!("expected deciding kind {kind:?}, got {first:?}"));
            }
        }
        Ok(())
    }
}
