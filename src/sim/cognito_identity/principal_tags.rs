//! Attributes for access control: the session tags an identity pool puts on the role
//! session, from the provider's principal tag map.
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html>.

use super::world::IdentityPoolSpec;
use serde_json::Value;
use std::collections::BTreeMap;

/// The tags for a token from `provider_name`. With `UseDefaults`, Cognito user pool
/// tokens map `aud` to `client` and `sub` to `username`; otherwise each tag takes the
/// value of its claim, and a claim the token lacks gives no tag.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/provider-mappings.html>.
pub fn principal_tags(
    pool: &IdentityPoolSpec,
    provider_name: &str,
    claims: &Value,
) -> BTreeMap<String, String> {
    let Some(map) = pool.principal_tags.get(provider_name) else {
        return BTreeMap::new();
    };
    let defaults;
    let mapping = if map.use_defaults {
        defaults = BTreeMap::from([
            ("client".to_string(), "aud".to_string()),
            ("username".to_string(), "sub".to_string()),
        ]);
        &defaults
    } else {
        &map.principal_tags
    };
    mapping
        .iter()
        .filter_map(|(tag, claim)| {
            let value = match claims.get(claim)? {
                Value::String(s) => s.clone(),
                Value::Array(_) | Value::Object(_) | Value::Null => return None,
                other => other.to_string(),
            };
            Some((tag.clone(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pool(map: &str) -> IdentityPoolSpec {
        serde_yaml::from_str(&format!(
            "IdentityPoolId: x\nIdentityPoolName: p\nPrincipalTags:\n  prov: {map}\n"
        ))
        .unwrap()
    }

    #[test]
    fn defaults_map_client_to_aud_and_username_to_sub() {
        let tags = principal_tags(
            &pool("{ UseDefaults: true }"),
            "prov",
            &json!({"aud": "web", "sub": "u-1"}),
        );
        assert_eq!(tags.get("client").map(String::as_str), Some("web"));
        assert_eq!(tags.get("username").map(String::as_str), Some("u-1"));
    }

    #[test]
    fn custom_tags_take_claim_values_and_skip_missing_claims() {
        let p = pool(r#"{ PrincipalTags: { tenant: "custom:tenant_id", tier: "custom:tier" } }"#);
        let tags = principal_tags(&p, "prov", &json!({"custom:tenant_id": "acme"}));
        assert_eq!(
            tags,
            BTreeMap::from([("tenant".to_string(), "acme".to_string())])
        );
        assert!(principal_tags(&p, "other", &json!({"custom:tenant_id": "acme"})).is_empty());
    }
}
