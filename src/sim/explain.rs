//! `xtenant sim explain`: evaluates one request of a role session against a world without
//! starting a server, and says which statements decided it.

use super::authorization::authorize_explained;
use super::core::{AccessRequest, SimCore};
use super::iam::{Evaluation, NamedPolicy, Policy, PolicyError, PolicyUse, RequestContext};
use super::principal::{Principal, PrincipalKind};
use super::state::SimState;
use super::world::{World, WorldError};
use std::collections::BTreeMap;

/// The request to explain.
#[derive(Debug, Clone)]
pub struct ExplainRequest {
    pub role_arn: String,
    pub session_name: String,
    pub action: String,
    pub resource: String,
    /// Extra condition keys (`k=v`); a key given twice becomes multivalued. They override
    /// the keys local staging derives from the role session.
    pub context: Vec<(String, String)>,
    /// A resource-based policy (bucket or secret policy) as JSON text.
    pub resource_policy: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("invalid world: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    World(Vec<WorldError>),
    #[error("the world has no role `{0}`")]
    UnknownRole(String),
    #[error("invalid resource policy")]
    ResourcePolicy(#[source] PolicyError),
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
    let role = state
        .iam()
        .role_by_arn(&request.role_arn)
        .ok_or_else(|| ExplainError::UnknownRole(request.role_arn.clone()))?
        .clone();
    let resource_policy = request
        .resource_policy
        .as_deref()
        .map(|text| {
            Policy::parse_for(text, PolicyUse::Resource)
                .map(|policy| NamedPolicy::new("resource-policy", policy))
                .map_err(ExplainError::ResourcePolicy)
        })
        .transpose()?;
    let principal = Principal {
        kind: PrincipalKind::AssumedRole {
            role_arn: role.arn.clone(),
            role_name: role.name.clone(),
            session_name: request.session_name.clone(),
        },
        arn: format!(
            "arn:aws:sts::{}:assumed-role/{}/{}",
            state.account_id(),
            role.name,
            request.session_name
        ),
        account: state.account_id().to_string(),
        userid: format!("{}:{}", role.role_id, request.session_name),
        access_key_id: "ASIAEXPLAINEXPLAIN00".to_string(),
        principal_tags: role.tags.clone(),
        session_policies: None,
        federated_context: RequestContext::new(),
        expires: None,
    };
    let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (key, value) in &request.context {
        grouped.entry(key).or_default().push(value);
    }
    let mut context = RequestContext::new();
    for (key, values) in grouped {
        match values.as_slice() {
            [one] => context.set(key, *one),
            many => context.set_multi(key, many.iter().copied()),
        };
    }
    let (evaluation, text) = authorize_explained(
        &state,
        &AccessRequest {
            principal: &principal,
            action: &request.action,
            resource: &request.resource,
            context,
            resource_policy: resource_policy.as_ref(),
        },
    );
    Ok(Explanation { evaluation, text })
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
"#;

    fn request(resource: &str) -> ExplainRequest {
        ExplainRequest {
            role_arn: "arn:aws:iam::111122223333:role/TenantA".to_string(),
            session_name: "explain".to_string(),
            action: "s3:GetObject".to_string(),
            resource: resource.to_string(),
            context: Vec::new(),
            resource_policy: None,
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
    fn an_unknown_role_is_an_error() {
        let world = World::from_yaml(WORLD, "w.yaml").unwrap();
        let mut unknown = request("*");
        unknown.role_arn = "arn:aws:iam::111122223333:role/Nobody".to_string();
        assert!(matches!(
            explain(&world, &unknown),
            Err(ExplainError::UnknownRole(_))
        ));
    }
}
