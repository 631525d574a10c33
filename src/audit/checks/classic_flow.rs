//! XA002: the basic (classic) flow is on.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

// GetOpenIdToken is refused only when AllowClassicFlow is false; a pool without the
// setting allows the basic flow
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DescribeIdentityPool.html#API_DescribeIdentityPool_ResponseSyntax).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    let Some(pool) = &layer.identity_pool else {
        return;
    };
    let setting = match pool.allow_classic_flow {
        Some(false) => return,
        Some(true) => "AllowClassicFlow is true",
        None => "AllowClassicFlow is not set (the basic flow is allowed)",
    };
    findings.push(Finding::new(
        FindingCode::ClassicFlow,
        &layer.identity_pool_id,
        format!("{setting}: GetOpenIdToken + AssumeRoleWithWebIdentity reach every role that trusts the pool"),
    ));
}
