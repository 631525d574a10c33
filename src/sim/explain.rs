//! `xtenant sim explain`: evaluates one request of a role session or an IAM user against a
//! world without starting a server, and says which statements decided it. It adds what the
//! running services would add: the resource's own policy and tags from the world
//! (`explain_resource`), session policies and session tags.

use super::authorization::authorize_explained;
use super::core::AccessRequest;
use super::explain_resource::resource_facts;
use super::iam::{Evaluation, NamedPolicy, Policy, PolicyError, PolicyUse, RequestContext};
use super::principal::{Principal, PrincipalKind};
use super::state::SimState;
use super::world::{World, WorldError};
use std::collections::BTreeMap;

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplainCaller {
    /// A session of the role with this ARN, under this session name.
    RoleSession {
        role_arn: String,
        session_name: String,
    },
    /// The IAM user with this name (or ARN).
    IamUser(String),
}

/// The request to explain.
#[derive(Debug, Clone)]
pub struct ExplainRequest {
    pub caller: ExplainCaller,
    pub action: String,
    pub resource: String,
    /// Extra condition keys (`k=v`); a key given twice becomes multivalued. They override
    /// the keys local staging derives from the caller and the resource.
    pub context: Vec<(String, String)>,
    /// A resource-based policy (bucket or secret policy) as JSON text, in place of the
    /// world's own policy of the resource.
    pub resource_policy: Option<String>,
    /// Session policies as JSON text (a role session only), as AssumeRole* passes them.
    pub session_policies: Vec<String>,
    /// Session tags (a role session only); a session tag replaces a role tag of the same key.
    pub session_tags: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("invalid world: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    World(Vec<WorldError>),
    #[error("the world has no role `{0}`")]
    UnknownRole(String),
    #[error("the world has no IAM user `{0}`")]
    UnknownUser(String),
    #[error("invalid resource policy")]
    ResourcePolicy(#[source] PolicyError),
    #[error("invalid session policy {index}")]
    SessionPolicy {
        index: usize,
        #[source]
        source: PolicyError,
    },
    #[error("session policies and session tags belong to a role session, not to an IAM user")]
    SessionOptionsForUser,
}

/// An explained decision.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub evaluation: Evaluation,
    /// The human-readable account of the decision.
    pub text: String,
}

pub fn explain(world: &World, request: &ExplainRequest) -> Result<Explanation, ExplainError> {
    let state = SimState::from_world(world).map_err(ExplainError::World)?;
    let principal = caller_principal(&state, request)?;
    let facts =
        resource_facts(world, &request.resource).map_err(|e| ExplainError::World(vec![e]))?;
    let given_policy = request
        .resource_policy
        .as_deref()
        .map(|text| {
            Policy::parse_for(text, PolicyUse::Resource)
                .map(|policy| NamedPolicy::new("resource-policy", policy))
                .map_err(ExplainError::ResourcePolicy)
        })
        .transpose()?;
    let (resource_policy, policy_source) = match (given_policy, facts.policy) {
        (Some(given), _) => (Some(given), "the policy given with --resource-policy"),
        (None, Some(own)) => (Some(own), "the resource's own policy in the world"),
        (None, None) => (None, "none"),
    };
    let mut context = facts.context;
    context.extend(&given_context(&request.context));
    let (evaluation, decision_text) = authorize_explained(
        &state,
        &AccessRequest {
            principal: &principal,
            action: &request.action,
            resource: &request.resource,
            context,
            resource_policy: resource_policy.as_ref(),
        },
    );
    let resource_line = match &facts.found {
        Some(found) => format!("resource: {found} (from the world)\n"),
        None => "resource: not in the world\n".to_string(),
    };
    let text = format!(
        "caller: {}\n{resource_line}resource-based policy: {policy_source}\n{decision_text}",
        principal.arn
    );
    Ok(Explanation { evaluation, text })
}

/// The condition keys given on the command line; a key given twice is multivalued.
fn given_context(pairs: &[(String, String)]) -> RequestContext {
    let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (key, value) in pairs {
        grouped.entry(key).or_default().push(value);
    }
    let mut context = RequestContext::new();
    for (key, values) in grouped {
        match values.as_slice() {
            [one] => context.set(key, *one),
            many => context.set_multi(key, many.iter().copied()),
        };
    }
    context
}

/// The caller as the front door would resolve its credentials.
fn caller_principal(state: &SimState, request: &ExplainRequest) -> Result<Principal, ExplainError> {
    match &request.caller {
        ExplainCaller::RoleSession {
            role_arn,
            session_name,
        } => {
            let role = state
                .iam()
                .role_by_arn(role_arn)
                .ok_or_else(|| ExplainError::UnknownRole(role_arn.clone()))?
                .clone();
            let session_policies = if request.session_policies.is_empty() {
                None
            } else {
                let mut parsed = Vec::new();
                for (index, text) in request.session_policies.iter().enumerate() {
                    let policy =
                        Policy::parse_for(text, PolicyUse::Identity).map_err(|source| {
                            ExplainError::SessionPolicy {
                                index: index + 1,
                                source,
                            }
                        })?;
                    parsed.push(NamedPolicy::new(
                        format!("session-policy-{}", index + 1),
                        policy,
                    ));
                }
                Some(parsed)
            };
            // Session tags override role tags with the same key.
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-tags>.
            let mut principal_tags = role.tags.clone();
            for (key, value) in &request.session_tags {
                principal_tags.insert(key.clone(), value.clone());
            }
            Ok(Principal {
                kind: PrincipalKind::AssumedRole {
                    role_arn: role.arn.clone(),
                    role_name: role.name.clone(),
                    session_name: session_name.clone(),
                },
                // The session is in the role's account (`accounts:` roles included).
                arn: format!(
                    "arn:aws:sts::{}:assumed-role/{}/{}",
                    role.account, role.name, session_name
                ),
                account: role.account.clone(),
                userid: format!("{}:{}", role.role_id, session_name),
                access_key_id: "ASIAEXPLAINEXPLAIN00".to_string(),
                principal_tags,
                session_policies,
                federated_context: RequestContext::new(),
                expires: None,
            })
        }
        ExplainCaller::IamUser(name_or_arn) => {
            if !request.session_policies.is_empty() || !request.session_tags.is_empty() {
                return Err(ExplainError::SessionOptionsForUser);
            }
            let name = name_or_arn
                .rsplit_once(":user/")
                .map(|(_, path_and_name)| path_and_name.rsplit('/').next().unwrap_or_default())
                .unwrap_or(name_or_arn);
            let user = state
                .iam()
                .user_by_arn(name_or_arn)
                .or_else(|| state.iam().user(name))
                .ok_or_else(|| ExplainError::UnknownUser(name_or_arn.clone()))?;
            Ok(Principal {
                kind: PrincipalKind::IamUser {
                    user_name: user.name.clone(),
                },
                arn: user.arn.clone(),
                account: user.account.clone(),
                userid: user.user_id.clone(),
                access_key_id: "AKIAEXPLAINEXPLAIN00".to_string(),
                principal_tags: user.tags.clone(),
                session_policies: None,
                federated_context: RequestContext::new(),
                expires: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::iam::Decision;

    const WORLD: &str = r#"account_id: "111122223333"
region: us-east-1
iam:
  roles:
    - RoleName: TenantA
      Tags: [{Key: tenant, Value: acme}]
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Federated: cognito-identity.amazonaws.com}
            Action: sts:AssumeRoleWithWebIdentity
      Policies:
        - PolicyName: s3
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: OwnPrefix
                Effect: Allow
                Action: s3:GetObject
                Resource: "arn:aws:s3:::data/${aws:PrincipalTag/tenant}/*"
              - Sid: TaggedSecrets
                Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: "*"
                Condition:
                  StringEquals:
                    "secretsmanager:ResourceTag/tenant": "${aws:PrincipalTag/tenant}"
  users:
    - UserName: auditor
      Policies:
        - PolicyName: none
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sqs:ListQueues
                Resource: "*"
s3:
  buckets:
    - Bucket: data
    - Bucket: shared
      Policy:
        Statement:
          - Sid: AuditorReads
            Effect: Allow
            Principal: {AWS: "arn:aws:iam::111122223333:user/auditor"}
            Action: s3:GetObject
            Resource: "arn:aws:s3:::shared/*"
          - Sid: NoGlobexPrefix
            Effect: Deny
            Principal: "*"
            Action: s3:GetObject
            Resource: "arn:aws:s3:::shared/globex/*"
secrets:
    - Name: acme/db
      SecretString: "not-printed"
      Tags: [{Key: tenant, Value: acme}]
"#;

    fn request(resource: &str) -> ExplainRequest {
        ExplainRequest {
            caller: ExplainCaller::RoleSession {
                role_arn: "arn:aws:iam::111122223333:role/TenantA".to_string(),
                session_name: "explain".to_string(),
            },
            action: "s3:GetObject".to_string(),
            resource: resource.to_string(),
            context: Vec::new(),
            resource_policy: None,
            session_policies: Vec::new(),
            session_tags: Vec::new(),
        }
    }

    #[test]
    fn explains_an_allow_by_the_role_tag_and_an_implicit_deny_elsewhere() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let allowed = explain(&world, &request("arn:aws:s3:::data/acme/a.txt")).unwrap();
        assert_eq!(allowed.evaluation.decision, Decision::Allow);
        assert_eq!(
            allowed.evaluation.statements[0].sid.as_deref(),
            Some("OwnPrefix")
        );
        assert!(allowed.text.contains("OwnPrefix"), "{}", allowed.text);

        let denied = explain(&world, &request("arn:aws:s3:::data/globex/a.txt")).unwrap();
        assert_eq!(denied.evaluation.decision, Decision::ImplicitDeny);
    }

    #[test]
    fn context_given_on_the_command_line_overrides_derived_keys() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let mut overridden = request("arn:aws:s3:::data/globex/a.txt");
        overridden
            .context
            .push(("aws:PrincipalTag/tenant".to_string(), "globex".to_string()));
        let allowed = explain(&world, &overridden).unwrap();
        assert_eq!(allowed.evaluation.decision, Decision::Allow);
    }

    #[test]
    fn the_world_bucket_policy_applies_without_being_given() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let denied = explain(&world, &request("arn:aws:s3:::shared/globex/a.txt")).unwrap();
        assert_eq!(denied.evaluation.decision, Decision::ExplicitDeny);
        assert_eq!(
            denied.evaluation.statements[0].sid.as_deref(),
            Some("NoGlobexPrefix")
        );
        assert!(denied.text.contains("bucket shared"), "{}", denied.text);
        assert!(denied.text.contains("own policy"), "{}", denied.text);
    }

    #[test]
    fn an_iam_user_is_a_caller_and_a_bucket_policy_naming_it_grants() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let mut by_user = request("arn:aws:s3:::shared/acme/a.txt");
        by_user.caller = ExplainCaller::IamUser("auditor".to_string());
        let allowed = explain(&world, &by_user).unwrap();
        assert_eq!(allowed.evaluation.decision, Decision::Allow);
        assert!(allowed.text.contains("user/auditor"), "{}", allowed.text);
        by_user.caller = ExplainCaller::IamUser("nobody".to_string());
        assert!(matches!(
            explain(&world, &by_user),
            Err(ExplainError::UnknownUser(_))
        ));
    }

    #[test]
    fn secret_tags_are_resource_tag_keys() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let mut read = request("arn:aws:secretsmanager:us-east-1:111122223333:secret:acme/db");
        read.action = "secretsmanager:GetSecretValue".to_string();
        let allowed = explain(&world, &read).unwrap();
        assert_eq!(
            allowed.evaluation.decision,
            Decision::Allow,
            "{}",
            allowed.text
        );
        assert!(!allowed.text.contains("not-printed"));
        read.session_tags = vec![("tenant".to_string(), "globex".to_string())];
        let other_tenant = explain(&world, &read).unwrap();
        assert_eq!(other_tenant.evaluation.decision, Decision::ImplicitDeny);
    }

    #[test]
    fn session_policies_narrow_the_role() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let mut narrowed = request("arn:aws:s3:::data/acme/a.txt");
        narrowed.session_policies = vec![
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#
                .to_string(),
        ];
        let denied = explain(&world, &narrowed).unwrap();
        assert_eq!(denied.evaluation.decision, Decision::ImplicitDeny);
        assert_eq!(
            denied.evaluation.missing_allow_in,
            Some(crate::sim::iam::PolicyKind::Session)
        );
        narrowed.caller = ExplainCaller::IamUser("auditor".to_string());
        assert!(matches!(
            explain(&world, &narrowed),
            Err(ExplainError::SessionOptionsForUser)
        ));
    }

    #[test]
    fn an_unknown_role_is_an_error() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let mut unknown = request("*");
        unknown.caller = ExplainCaller::RoleSession {
            role_arn: "arn:aws:iam::111122223333:role/Nobody".to_string(),
            session_name: "explain".to_string(),
        };
        assert!(matches!(
            explain(&world, &unknown),
            Err(ExplainError::UnknownRole(_))
        ));
    }

    /// A role of another account reading a bucket of the default account: the explanation
    /// says the request is cross-account, and the bucket policy naming the role is needed
    /// on top of the role's identity policy.
    #[test]
    fn a_role_of_another_account_is_explained_with_the_cross_account_rules() {
        let world = World::from_yaml(
            &format!(
                "{WORLD}accounts:\n  - account_id: \"444455556666\"\n    iam:\n      roles:\n        - RoleName: Partner\n          AssumeRolePolicyDocument: {{Statement: [{{Effect: Allow, Principal: {{Federated: cognito-identity.amazonaws.com}}, Action: sts:AssumeRoleWithWebIdentity}}]}}\n          Policies: [{{PolicyName: read, PolicyDocument: {{Statement: [{{Effect: Allow, Action: s3:GetObject, Resource: \"*\"}}]}}}}]\n"
            ),
            "w.yaml",
        )
        .unwrap();
        let mut partner = request("arn:aws:s3:::data/acme/a.txt");
        partner.caller = ExplainCaller::RoleSession {
            role_arn: "arn:aws:iam::444455556666:role/Partner".to_string(),
            session_name: "explain".to_string(),
        };
        let denied = explain(&world, &partner).unwrap();
        assert_eq!(denied.evaluation.decision, Decision::ImplicitDeny);
        assert!(
            denied.text.contains("cross-account request"),
            "{}",
            denied.text
        );
        assert!(denied.text.contains("444455556666"), "{}", denied.text);
        partner.resource_policy = Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Partner"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}"#
                .to_string(),
        );
        let allowed = explain(&world, &partner).unwrap();
        assert_eq!(allowed.evaluation.decision, Decision::Allow);
    }
}
