//! XA006: a Rules mapping or a principal tag fed by a claim the app client may write.

use super::standard_attributes::writable_by_default;
use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    let Some(client) = &layer.app_client else {
        return;
    };
    let writable = |claim: &str| {
        is_user_attribute(claim)
            && match &client.write_attributes {
                None => writable_by_default(claim),
                Some(attributes) => attributes.iter().any(|a| a == claim),
            }
    };
    let how = match client.write_attributes {
        None => "the client has no WriteAttributes, so it writes the standard attributes",
        Some(_) => "the client's WriteAttributes list it",
    };
    if let Some(roles) = &layer.pool_roles {
        for (provider, mapping) in &roles.mappings {
            for rule in mapping.rules.iter().filter(|rule| writable(&rule.claim)) {
                findings.push(Finding::new(
                    FindingCode::WritableClaim,
                    &client.client_id,
                    format!(
                        "rule of {provider} on claim `{}` picks {}, and {how}",
                        rule.claim, rule.role_arn
                    ),
                ));
            }
        }
    }
    for map in &layer.principal_tags {
        for (tag, claim) in map.tags.iter().filter(|(_, claim)| writable(claim)) {
            findings.push(Finding::new(
                FindingCode::WritableClaim,
                &client.client_id,
                format!(
                    "principal tag `{tag}` of {} comes from claim `{claim}`, and {how}",
                    map.provider_name
                ),
            ));
        }
    }
}

/// Claims that are user attributes; `cognito:groups`, `aud` or `sub` are not writable.
pub(super) fn is_user_attribute(claim: &str) -> bool {
    !claim.starts_with("cognito:")
        && !matches!(
            claim,
            "sub" | "aud" | "iss" | "exp" | "iat" | "auth_time" | "token_use" | "email_verified"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::identity_layer::{AppClientConfig, PrincipalTagMap};

    fn layer(write_attributes: Option<Vec<String>>) -> IdentityLayer {
        IdentityLayer {
            app_client: Some(AppClientConfig {
                client_id: "web".to_owned(),
                write_attributes,
                read_attributes: None,
                id_token_seconds: 3600,
                access_token_seconds: 3600,
            }),
            principal_tags: vec![PrincipalTagMap {
                provider_name: "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1".to_owned(),
                use_defaults: false,
                tags: [("tenant", "custom:tenant_id"), ("mail", "email")]
                    .into_iter()
                    .map(|(tag, claim)| (tag.to_owned(), claim.to_owned()))
                    .collect(),
            }],
            ..IdentityLayer::default()
        }
    }

    fn claims_found(layer: &IdentityLayer) -> Vec<String> {
        let mut findings = Vec::new();
        check(layer, &mut findings);
        findings
            .into_iter()
            .map(|f| f.detail.split('`').nth(3).unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn a_client_without_write_attributes_writes_standard_attributes_but_not_custom_ones() {
        assert_eq!(claims_found(&layer(None)), ["email"]);
    }

    #[test]
    fn write_attributes_that_list_a_custom_claim_make_it_writable() {
        let listed = Some(vec!["custom:tenant_id".to_owned()]);
        assert_eq!(claims_found(&layer(listed)), ["custom:tenant_id"]);
        assert!(claims_found(&layer(Some(Vec::new()))).is_empty());
    }
}
