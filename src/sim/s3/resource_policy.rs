//! Resource-based policies in the world file (bucket policies, secret resource policies),
//! given as a YAML map or a JSON string like every policy document of the world.

use crate::sim::iam::{NamedPolicy, Policy, PolicyUse};
use crate::sim::iam_world::PolicyDocument;
use crate::sim::world::WorldError;
use std::sync::Arc;

/// Parses a resource-based policy with the rules of its kind (a `Principal` in every
/// statement); a problem is a world error at `path`.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html.
pub fn resource_policy_from_world(
    document: &PolicyDocument,
    name: String,
    path: &str,
) -> Result<NamedPolicy, WorldError> {
    let policy =
        Policy::parse_for(&document.to_json_text(), PolicyUse::Resource).map_err(|error| {
            WorldError {
                path: path.to_string(),
                message: error.to_string(),
            }
        })?;
    Ok(NamedPolicy {
        name,
        policy: Arc::new(policy),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(yaml: &str) -> PolicyDocument {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn accepts_a_map_and_a_json_string() {
        let json = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;
        let from_text = document(&format!("'{json}'"));
        let from_map = document(json);
        let a = resource_policy_from_world(&from_text, "p".into(), "x").unwrap();
        let b = resource_policy_from_world(&from_map, "p".into(), "x").unwrap();
        assert_eq!(a.policy, b.policy);
    }

    #[test]
    fn a_statement_without_principal_is_a_world_error_at_the_path() {
        let policy = document(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
        );
        let error = resource_policy_from_world(&policy, "p".into(), "secrets[0].ResourcePolicy")
            .unwrap_err();
        assert_eq!(error.path, "secrets[0].ResourcePolicy");
        assert!(error.message.contains("Principal"), "{}", error.message);
    }

    #[test]
    fn a_list_is_not_a_policy() {
        let error =
            resource_policy_from_world(&document("[1]"), "p".into(), "s3.buckets[0].Policy")
                .unwrap_err();
        assert_eq!(error.path, "s3.buckets[0].Policy");
    }
}
