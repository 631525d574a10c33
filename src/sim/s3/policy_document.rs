//! Policy documents as the world file gives them: a YAML map or a JSON string.

use crate::sim::iam::{NamedPolicy, Policy, PolicyUse};
use crate::sim::world::WorldError;
use std::sync::Arc;

/// Parses a bucket policy or secret resource policy from the world file, with the rules
/// of resource-based policies (a `Principal` in every statement). A map is serialized to
/// JSON first, so a policy pasted from a real account works either way.
pub fn policy_from_world_value(
    value: &serde_json::Value,
    name: String,
    path: &str,
) -> Result<NamedPolicy, WorldError> {
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Object(_) => value.to_string(),
        _ => {
            return Err(WorldError {
                path: path.to_string(),
                message: "a policy document must be a map or a JSON string".to_string(),
            });
        }
    };
    let policy = Policy::parse_for(&text, PolicyUse::Resource).map_err(|error| WorldError {
        path: path.to_string(),
        message: error.to_string(),
    })?;
    Ok(NamedPolicy {
        name,
        policy: Arc::new(policy),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_map_and_a_json_string() {
        let map = serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"
        }]});
        let from_map = policy_from_world_value(&map, "p".into(), "x").unwrap();
        let text = serde_json::Value::String(map.to_string());
        let from_text = policy_from_world_value(&text, "p".into(), "x").unwrap();
        assert_eq!(from_map.policy, from_text.policy);
    }

    #[test]
    fn a_statement_without_principal_is_a_world_error() {
        let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:*", "Resource": "*"
        }]});
        let error =
            policy_from_world_value(&policy, "p".into(), "secrets[0].ResourcePolicy").unwrap_err();
        assert_eq!(error.path, "secrets[0].ResourcePolicy");
        assert!(error.message.contains("Principal"), "{}", error.message);
    }

    #[test]
    fn rejects_a_list_with_the_key_path() {
        let error =
            policy_from_world_value(&serde_json::json!([1]), "p".into(), "s3.buckets[0].Policy")
                .unwrap_err();
        assert_eq!(error.path, "s3.buckets[0].Policy");
    }
}
