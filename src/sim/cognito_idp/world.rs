//! The world file's `cognito_idp` section.
//! CONTRACT PLACEHOLDER: filled by the Cognito work.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPoolSpec {}
