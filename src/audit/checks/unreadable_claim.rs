//! XA016: a Rules mapping or a principal tag reads an attribute the app client cannot read.
//! The ID token carries only the attributes the client may read, so such a rule never
//! matches and such a tag is never set: the users it was meant for fall to the ambiguous
//! resolution (the default authenticated role, or no credentials), and a policy scoped by
//! the tag matches nobody.

use super::standard_attributes::readable_by_default;
use super::writable_claim::is_user_attribute;
use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    let Some(client) = &layer.app_client else {
        return;
    };
    let unreadable = |claim: &str| {
        is_user_attribute(claim)
            && claim != "sub"
            && match &client.read_attributes {
                None => !readable_by_default(claim),
                Some(attributes) => !attributes.iter().any(|a| a == claim),
            }
    };
    let why = match client.read_attributes {
        None => "the client has no ReadAttributes, so it reads the standard attributes only",
        Some(_) => "the client's ReadAttributes do not list it",
    };
    if let Some(roles) = &layer.pool_roles {
        for (provider, mapping) in &roles.mappings {
            for rule in mapping.rules.iter().filter(|rule| unreadable(&rule.claim)) {
                findings.push(Finding::new(
                    FindingCode::UnreadableClaim,
                    &client.client_id,
                    format!(
                        "rule of {provider} on claim `{}` (for {}) never matches: {why}",
                        rule.claim, rule.role_arn
                    ),
                ));
            }
        }
    }
    for map in &layer.principal_tags {
        for (tag, claim) in map.tags.iter().filter(|(_, claim)| unreadable(claim)) {
            findings.push(Finding::new(
                FindingCode::UnreadableClaim,
                &client.client_id,
                format!(
                    "principal tag `{tag}` of {} comes from claim `{claim}`, which is never set: {why}",
                    map.provider_name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::identity_layer::{AppClientConfig, PrincipalTagMap};

    fn layer(read_attributes: Option<Vec<String>>) -> IdentityLayer {
        IdentityLayer {
            app_client: Some(AppClientConfig {
                client_id: "web".to_owned(),
                write_attributes: Some(vec!["email".to_owned()]),
                read_attributes,
                id_token_seconds: 3600,
                access_token_seconds: 3600,
            }),
            principal_tags: vec![PrincipalTagMap {
                provider_name: "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1".to_owned(),
                use_defaults: false,
                tags: [
                    ("tenant", "custom:tenant_id"),
                    ("mail", "email"),
                    ("client", "aud"),
                ]
                .into_iter()
                .map(|(tag, claim)| (tag.to_owned(), claim.to_owned()))
                .collect(),
            }],
            ..IdentityLayer::default()
        }
    }

    fn details(layer: &IdentityLayer) -> Vec<String> {
        let mut findings = Vec::new();
        check(layer, &mut findings);
        assert!(
            findings
                .iter()
                .all(|f| f.code == FindingCode::UnreadableClaim)
        );
        findings.into_iter().map(|f| f.detail).collect()
    }

    #[test]
    fn a_tag_on_a_custom_claim_the_client_reads_by_default_is_never_set() {
        assert_eq!(
            details(&layer(None)),
            [
                "principal tag `tenant` of cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1 comes from claim `custom:tenant_id`, which is never set: the client has no ReadAttributes, so it reads the standard attributes only"
            ]
        );
    }

    #[test]
    fn read_attributes_that_list_the_claims_leave_nothing_to_find() {
        let listed = Some(vec!["email".to_owned(), "custom:tenant_id".to_owned()]);
        assert!(details(&layer(listed)).is_empty());
        let without_email = Some(vec!["custom:tenant_id".to_owned()]);
        assert_eq!(details(&layer(without_email)).len(), 1);
    }
}
