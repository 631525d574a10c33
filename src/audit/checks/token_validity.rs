//! XA014: an ID or access token valid longer than the scenario's stated maximum.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;
use crate::audit::settings::AuditSettings;

pub(super) fn check(layer: &IdentityLayer, settings: &AuditSettings, findings: &mut Vec<Finding>) {
    let (Some(client), Some(maximum)) = (&layer.app_client, settings.max_token_validity_minutes)
    else {
        return;
    };
    for (token, seconds) in [
        ("ID", client.id_token_seconds),
        ("access", client.access_token_seconds),
    ] {
        if seconds > maximum * 60 {
            findings.push(Finding::new(
                FindingCode::TokenValidityOverMaximum,
                &client.client_id,
                format!(
                    "{token} tokens of client {} are valid for {} minutes, more than the scenario's {maximum}",
                    client.client_id,
                    seconds / 60
                ),
            ));
        }
    }
}
