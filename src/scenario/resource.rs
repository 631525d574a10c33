//! A validated per-tenant resource: templates, and the actions to probe on it.

use super::plan::{Action, ItemKey, KeyValue, ResourceTarget};
use super::probe_table::ResourceKind;
use super::template::Template;

/// A resource of the scenario, before `{tenant}` is substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub name: String,
    pub template: ResourceTemplate,
    /// In the order the scenario lists them.
    pub actions: Vec<Action>,
}

/// A DynamoDB key attribute template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTemplate {
    pub name: String,
    pub value: Template,
    pub is_number: bool,
}

/// The resource's templates by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceTemplate {
    S3Object {
        bucket: Template,
        key: Template,
    },
    S3Prefix {
        bucket: Template,
        prefix: Template,
    },
    DynamoDbItem {
        table: Template,
        partition: KeyTemplate,
        sort: Option<KeyTemplate>,
    },
    Secret {
        secret_id: Template,
    },
}

impl ResourceTemplate {
    pub fn kind(&self) -> ResourceKind {
        match self {
            ResourceTemplate::S3Object { .. } => ResourceKind::S3Object,
            ResourceTemplate::S3Prefix { .. } => ResourceKind::S3Prefix,
            ResourceTemplate::DynamoDbItem { .. } => ResourceKind::DynamoDbItem,
            ResourceTemplate::Secret { .. } => ResourceKind::Secret,
        }
    }

    /// The concrete resource of one tenant.
    pub fn render(&self, tenant: &str) -> ResourceTarget {
        let key_value = |key: &KeyTemplate| {
            let value = key.value.render(tenant);
            (
                key.name.clone(),
                if key.is_number {
                    KeyValue::N(value)
                } else {
                    KeyValue::S(value)
                },
            )
        };
        match self {
            ResourceTemplate::S3Object { bucket, key } => ResourceTarget::S3Object {
                bucket: bucket.render(tenant),
                key: key.render(tenant),
            },
            ResourceTemplate::S3Prefix { bucket, prefix } => ResourceTarget::S3Prefix {
                bucket: bucket.render(tenant),
                prefix: prefix.render(tenant),
            },
            ResourceTemplate::DynamoDbItem {
                table,
                partition,
                sort,
            } => ResourceTarget::DynamoDbItem {
                table: table.render(tenant),
                key: Box::new(ItemKey {
                    partition: key_value(partition),
                    sort: sort.as_ref().map(key_value),
                }),
            },
            ResourceTemplate::Secret { secret_id } => ResourceTarget::Secret {
                secret_id: secret_id.render(tenant),
            },
        }
    }

    /// Whether any template of the resource contains `{tenant}`.
    pub fn uses_tenant(&self) -> bool {
        match self {
            ResourceTemplate::S3Object { bucket, key } => bucket.uses_tenant() || key.uses_tenant(),
            ResourceTemplate::S3Prefix { bucket, prefix } => {
                bucket.uses_tenant() || prefix.uses_tenant()
            }
            ResourceTemplate::DynamoDbItem {
                table,
                partition,
                sort,
            } => {
                table.uses_tenant()
                    || partition.value.uses_tenant()
                    || sort.as_ref().is_some_and(|s| s.value.uses_tenant())
            }
            ResourceTemplate::Secret { secret_id } => secret_id.uses_tenant(),
        }
    }
}
