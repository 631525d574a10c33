//! The world file's `dynamodb` section.
//! CONTRACT PLACEHOLDER: filled by the service work.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamoDbWorld {}
