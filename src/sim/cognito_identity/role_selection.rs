//! Which role an authenticated identity gets: the default authenticated role, a Token
//! mapping (`cognito:preferred_role`, or `CustomRoleArn` among `cognito:roles`) or a Rules
//! mapping (first matching rule), then `AmbiguousRoleResolution`.
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html>.

use super::error::IdentityError;
use super::world::{
    AmbiguousRoleResolution, IdentityPoolSpec, MappingRule, MatchType, RoleMappingType,
};
use serde_json::Value;

/// Picks the role for a verified ID token from `provider_name` whose `aud` is `client_id`.
pub fn select_authenticated_role(
    pool: &IdentityPoolSpec,
    provider_name: &str,
    client_id: &str,
    claims: &Value,
    custom_role_arn: Option<&str>,
) -> Result<String, IdentityError> {
    // Mappings are keyed `provider:clientId`.
    // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html#CognitoIdentity-SetIdentityPoolRoles-request-RoleMappings>.
    let key = format!("{provider_name}:{client_id}");
    let Some(mapping) = pool.role_mappings.get(&key) else {
        return default_authenticated_role(pool);
    };
    let chosen = match mapping.mapping_type {
        RoleMappingType::Token => {
            let roles: Vec<&str> = claims
                .get("cognito:roles")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match custom_role_arn {
                // A requested role must be one the token carries.
                // See <https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html#using-tokens-to-assign-roles-to-users>.
                Some(custom) if roles.contains(&custom) => Some(custom.to_string()),
                Some(_) => {
                    return Err(IdentityError::NotAuthorized(
                        "the CustomRoleArn is not among the cognito:roles of the token".to_string(),
                    ));
                }
                None => claims
                    .get("cognito:preferred_role")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }
        }
        RoleMappingType::Rules => mapping
            .rules_configuration
            .as_ref()
            .and_then(|c| c.rules.iter().find(|rule| rule_matches(rule, claims)))
            .map(|rule| rule.role_arn.clone()),
    };
    if let Some(role) = chosen {
        return Ok(role);
    }
    // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html#CognitoIdentity-Type-RoleMapping-AmbiguousRoleResolution>;
    // the message is the one AWS returns (aws-amplify/amplify-js#8644).
    match mapping.ambiguous_role_resolution {
        Some(AmbiguousRoleResolution::AuthenticatedRole) => default_authenticated_role(pool),
        Some(AmbiguousRoleResolution::Deny) | None => Err(IdentityError::NotAuthorized(
            "The ambiguous role mapping rules denied this request.".to_string(),
        )),
    }
}

fn default_authenticated_role(pool: &IdentityPoolSpec) -> Result<String, IdentityError> {
    pool.roles
        .authenticated
        .clone()
        .ok_or_else(IdentityError::invalid_configuration)
}

/// Whether a rule matches. The claim must be present; a list claim (such as
/// `cognito:groups`) matches Equals, Contains and StartsWith when any member does, and
/// NotEqual when no member equals the value.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_MappingRule.html>.
pub fn rule_matches(rule: &MappingRule, claims: &Value) -> bool {
    let Some(claim) = claims.get(&rule.claim) else {
        return false;
    };
    let values: Vec<String> = match claim {
        Value::Array(items) => items.iter().map(claim_text).collect(),
        other => vec![claim_text(other)],
    };
    let wanted = rule.value.as_str();
    match rule.match_type {
        MatchType::Equals => values.iter().any(|v| v == wanted),
        MatchType::Contains => values.iter().any(|v| v.contains(wanted)),
        MatchType::StartsWith => values.iter().any(|v| v.starts_with(wanted)),
        MatchType::NotEqual => values.iter().all(|v| v != wanted),
    }
}

fn claim_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_P";

    fn pool(mapping_yaml: &str) -> IdentityPoolSpec {
        let yaml = format!(
            r#"
IdentityPoolId: "us-east-1:11111111-2222-3333-4444-555555555555"
IdentityPoolName: p
Roles: {{ authenticated: role/Default }}
RoleMappings:
  "{PROVIDER}:web":
{mapping_yaml}
"#
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    fn rules(ambiguous: &str) -> IdentityPoolSpec {
        pool(&format!(
            r#"    Type: Rules
    AmbiguousRoleResolution: {ambiguous}
    RulesConfiguration:
      Rules:
        - {{ Claim: "custom:tenant_id", MatchType: StartsWith, Value: ac, RoleARN: role/First }}
        - {{ Claim: "custom:tenant_id", MatchType: Equals, Value: acme, RoleARN: role/Second }}
        - {{ Claim: "cognito:groups", MatchType: Contains, Value: admin, RoleARN: role/Admins }}
        - {{ Claim: "custom:tier", MatchType: NotEqual, Value: free, RoleARN: role/Paid }}
"#
        ))
    }

    fn select(
        pool: &IdentityPoolSpec,
        claims: Value,
        custom: Option<&str>,
    ) -> Result<String, IdentityError> {
        select_authenticated_role(pool, PROVIDER, "web", &claims, custom)
    }

    #[test]
    fn rules_are_evaluated_in_order_and_the_first_match_wins() {
        let p = rules("Deny");
        assert_eq!(
            select(&p, json!({"custom:tenant_id": "acme"}), None).unwrap(),
            "role/First"
        );
    }

    #[test]
    fn contains_matches_a_member_of_a_list_claim_and_not_equal_needs_the_claim() {
        let p = rules("Deny");
        let admins = json!({"cognito:groups": ["staff", "superadmins"]});
        assert_eq!(select(&p, admins, None).unwrap(), "role/Admins");
        assert_eq!(
            select(&p, json!({"custom:tier": "gold"}), None).unwrap(),
            "role/Paid"
        );
        let free = select(&p, json!({"custom:tier": "free"}), None).unwrap_err();
        assert_eq!(free.code(), "NotAuthorizedException");
        let missing = select(&p, json!({}), None).unwrap_err();
        assert_eq!(missing.code(), "NotAuthorizedException");
    }

    #[test]
    fn no_match_with_authenticated_role_resolution_gives_the_default_role() {
        let p = rules("AuthenticatedRole");
        assert_eq!(
            select(&p, json!({"custom:tenant_id": "zeta"}), None).unwrap(),
            "role/Default"
        );
    }

    fn token(ambiguous: &str) -> IdentityPoolSpec {
        pool(&format!(
            "    Type: Token\n    AmbiguousRoleResolution: {ambiguous}\n"
        ))
    }

    #[test]
    fn a_token_mapping_uses_the_preferred_role() {
        let claims =
            json!({"cognito:roles": ["role/A", "role/B"], "cognito:preferred_role": "role/A"});
        assert_eq!(select(&token("Deny"), claims, None).unwrap(), "role/A");
    }

    #[test]
    fn without_a_preferred_role_deny_refuses_and_authenticated_role_falls_back() {
        let claims = json!({"cognito:roles": ["role/A", "role/B"]});
        let denied = select(&token("Deny"), claims.clone(), None).unwrap_err();
        assert_eq!(denied.code(), "NotAuthorizedException");
        assert_eq!(
            select(&token("AuthenticatedRole"), claims, None).unwrap(),
            "role/Default"
        );
    }

    #[test]
    fn a_custom_role_is_granted_only_when_the_token_carries_it() {
        let claims =
            json!({"cognito:roles": ["role/A", "role/B"], "cognito:preferred_role": "role/A"});
        assert_eq!(
            select(&token("Deny"), claims.clone(), Some("role/B")).unwrap(),
            "role/B"
        );
        let refused = select(&token("Deny"), claims, Some("role/Admin")).unwrap_err();
        assert_eq!(refused.code(), "NotAuthorizedException");
    }

    #[test]
    fn no_mapping_and_no_default_role_is_a_configuration_error() {
        let mut p = token("Deny");
        p.role_mappings.clear();
        assert_eq!(select(&p, json!({}), None).unwrap(), "role/Default");
        p.roles.authenticated = None;
        let e = select(&p, json!({}), None).unwrap_err();
        assert_eq!(e.code(), "InvalidIdentityPoolConfigurationException");
    }
}
