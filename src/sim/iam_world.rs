//! The world file's IAM section: roles, managed policies, users, OIDC providers.
//! CONTRACT PLACEHOLDER: filled by the local-staging core work.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamWorld {}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderSpec {}
