//! XA009: ServerSideTokenCheck off on a Cognito provider of the identity pool.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

// Without ServerSideTokenCheck the identity pool does not ask the user pool whether a
// token was revoked (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    let Some(pool) = &layer.identity_pool else {
        return;
    };
    for provider in pool.providers.iter().filter(|p| !p.server_side_token_check) {
        findings.push(Finding::new(
            FindingCode::NoServerSideTokenCheck,
            format!("{}:{}", provider.provider_name, provider.client_id),
            format!(
                "ServerSideTokenCheck is false for {} client {}: a token revoked by a global sign-out still mints credentials",
                provider.provider_name, provider.client_id
            ),
        ));
    }
}
