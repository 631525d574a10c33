//! The world file's `secrets` section.
//! CONTRACT PLACEHOLDER: filled by the service work.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsWorld {}
