//! XA008: self sign-up allowed.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

// AllowAdminCreateUserOnly false lets anyone call SignUp with the public client
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    if let Some(pool) = &layer.user_pool
        && !pool.allow_admin_create_user_only
    {
        findings.push(Finding::new(
            FindingCode::SelfSignUp,
            &pool.user_pool_id,
            "AdminCreateUserConfig.AllowAdminCreateUserOnly is false: anyone can sign up with claims they choose",
        ));
    }
}
