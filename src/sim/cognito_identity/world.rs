//! The world file's `cognito_identity` section.
//! CONTRACT PLACEHOLDER: filled by the Cognito work.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityPoolSpec {}
