//! The world file's `s3` section.
//! CONTRACT PLACEHOLDER: filled by the service work.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3World {}
