//! XA007: principal tags with `UseDefaults`.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

// UseDefaults maps the `aud` and `sub` claims to the tags `client` and `username`, not the
// tenant (https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    for map in layer.principal_tags.iter().filter(|map| map.use_defaults) {
        findings.push(Finding::new(
            FindingCode::PrincipalTagDefaults,
            &map.provider_name,
            format!(
                "principal tags of {} use the defaults (client, username): policies keyed on a tenant tag see none",
                map.provider_name
            ),
        ));
    }
}
