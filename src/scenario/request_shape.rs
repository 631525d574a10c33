//! Request shapes: the sibling APIs of a verb. A policy that is right for the one API a
//! cell's primary probe sends can be wrong for another API of the same verb (UpdateItem
//! under `write`, a listing without a prefix, a BatchGetItem that mixes in a key of the
//! caller's own tenant), so every expected-deny cell is also probed with each shape that
//! applies to its target, as its own case `{user}::{tenant}/{resource}::{action}::{shape}`.

use super::plan::{Action, ItemKey, ResourceTarget};
use serde::Serialize;
use std::fmt;

/// One sibling API of a cell's verb, beyond the primary probe the probe table names.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(tag = "shape", rename_all = "kebab-case")]
pub enum RequestShape {
    /// `read` on an item: Query on the item's partition key.
    Query,
    /// `read` on an item: BatchGetItem with only the item's key.
    BatchGetItem,
    /// `read` on an item: BatchGetItem with the item's key and the same item of the
    /// caller's own tenant, the request a `ForAnyValue` condition on
    /// `dynamodb:LeadingKeys` lets through.
    BatchGetItemWithOwnKey {
        own_tenant: String,
        own_key: ItemKey,
    },
    /// `read` on an item: a Scan of its table (it reads every tenant's items).
    Scan,
    /// `write` on an item: UpdateItem with a condition that cannot hold.
    UpdateItem,
    /// `write` on an item of a table with a sort key: BatchWriteItem with one PutRequest of a
    /// canary item (the item's partition key, a unique sort key), recorded in the cleanup
    /// ledger first and removed afterwards.
    BatchWriteItemPut,
    /// `delete` on an item of a table with a sort key: BatchWriteItem with one DeleteRequest
    /// for a key no item has (the item's partition key, a unique sort key).
    BatchWriteItemDelete,
    /// `list` on a prefix: ListObjectsV2 of the whole bucket, without a prefix.
    NoPrefix,
    /// `list` on a prefix: ListObjectsV2 of the prefix's parent (`a/b/` lists `a/`).
    ParentPrefix { parent: String },
    /// `list` on a prefix: the prefix listed with ListObjects (version 1).
    ListObjectsV1,
    /// `read` on a secret: DescribeSecret.
    DescribeSecret,
    /// `read` on a secret: BatchGetSecretValue naming only the secret.
    BatchGetSecretValue,
}

impl RequestShape {
    /// The last segment of the case name, and the JUnit `request-shape` property.
    pub fn slug(&self) -> &'static str {
        match self {
            RequestShape::Query => "query",
            RequestShape::BatchGetItem => "batch-get-item",
            RequestShape::BatchGetItemWithOwnKey { .. } => "batch-get-item-with-own-key",
            RequestShape::Scan => "scan",
            RequestShape::UpdateItem => "update-item",
            RequestShape::BatchWriteItemPut | RequestShape::BatchWriteItemDelete => {
                "batch-write-item"
            }
            RequestShape::NoPrefix => "no-prefix",
            RequestShape::ParentPrefix { .. } => "parent-prefix",
            RequestShape::ListObjectsV1 => "list-objects-v1",
            RequestShape::DescribeSecret => "describe-secret",
            RequestShape::BatchGetSecretValue => "batch-get-secret-value",
        }
    }

    /// The API the shape sends, as IAM spells the operation.
    pub fn api(&self) -> &'static str {
        match self {
            RequestShape::Query => "dynamodb:Query",
            RequestShape::BatchGetItem | RequestShape::BatchGetItemWithOwnKey { .. } => {
                "dynamodb:BatchGetItem"
            }
            RequestShape::Scan => "dynamodb:Scan",
            RequestShape::UpdateItem => "dynamodb:UpdateItem",
            RequestShape::BatchWriteItemPut | RequestShape::BatchWriteItemDelete => {
                "dynamodb:BatchWriteItem"
            }
            RequestShape::NoPrefix | RequestShape::ParentPrefix { .. } => "s3:ListObjectsV2",
            RequestShape::ListObjectsV1 => "s3:ListObjects",
            RequestShape::DescribeSecret => "secretsmanager:DescribeSecret",
            RequestShape::BatchGetSecretValue => "secretsmanager:BatchGetSecretValue",
        }
    }

    /// Every shape of `action` on `target` beyond the primary probe. `own` is the same
    /// resource of the caller's own tenant (for the mixed BatchGetItem), when the caller
    /// has a tenant other than the target's.
    pub fn shapes_of(
        target: &ResourceTarget,
        action: &Action,
        own: Option<(&str, &ResourceTarget)>,
    ) -> Vec<RequestShape> {
        match (target, action) {
            (ResourceTarget::DynamoDbItem { table, .. }, Action::Read) => {
                let mut shapes = vec![RequestShape::Query, RequestShape::BatchGetItem];
                if let Some((
                    own_tenant,
                    ResourceTarget::DynamoDbItem {
                        table: own_table,
                        key: own_key,
                    },
                )) = own
                    && own_table == table
                {
                    shapes.push(RequestShape::BatchGetItemWithOwnKey {
                        own_tenant: own_tenant.to_owned(),
                        own_key: (**own_key).clone(),
                    });
                }
                shapes.push(RequestShape::Scan);
                shapes
            }
            // Without a sort key the only key with the item's partition value is the item
            // itself, so there is no other key to write a canary to or delete.
            (ResourceTarget::DynamoDbItem { key, .. }, Action::Write) if key.sort.is_some() => {
                vec![RequestShape::UpdateItem, RequestShape::BatchWriteItemPut]
            }
            (ResourceTarget::DynamoDbItem { .. }, Action::Write) => vec![RequestShape::UpdateItem],
            (ResourceTarget::DynamoDbItem { key, .. }, Action::Delete) if key.sort.is_some() => {
                vec![RequestShape::BatchWriteItemDelete]
            }
            (ResourceTarget::S3Prefix { prefix, .. }, Action::List) => {
                let mut shapes = vec![RequestShape::NoPrefix];
                if let Some(parent) = parent_prefix(prefix) {
                    shapes.push(RequestShape::ParentPrefix { parent });
                }
                shapes.push(RequestShape::ListObjectsV1);
                shapes
            }
            (ResourceTarget::Secret { .. }, Action::Read) => vec![
                RequestShape::DescribeSecret,
                RequestShape::BatchGetSecretValue,
            ],
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for RequestShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// The enclosing prefix of `prefix`: `tenants/acme/` → `tenants/`, `a/b/c` → `a/b/`.
/// A top-level prefix (`acme/`) has none: its parent is the whole bucket, which the
/// `no-prefix` shape already lists.
fn parent_prefix(prefix: &str) -> Option<String> {
    let trimmed = prefix.strip_suffix('/').unwrap_or(prefix);
    let cut = trimmed.rfind('/')?;
    Some(trimmed[..=cut].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::KeyValue;

    fn item(table: &str, tenant: &str) -> ResourceTarget {
        ResourceTarget::DynamoDbItem {
            table: table.to_owned(),
            key: Box::new(ItemKey {
                partition: ("pk".to_owned(), KeyValue::S(tenant.to_owned())),
                sort: None,
            }),
        }
    }

    #[test]
    fn a_parent_prefix_is_the_enclosing_folder_and_a_top_level_prefix_has_none() {
        assert_eq!(parent_prefix("tenants/acme/"), Some("tenants/".to_owned()));
        assert_eq!(parent_prefix("a/b/c"), Some("a/b/".to_owned()));
        assert_eq!(parent_prefix("acme/"), None);
        assert_eq!(parent_prefix("acme"), None);
    }

    #[test]
    fn an_item_read_gets_the_mixed_batch_only_with_an_own_item_of_the_same_table() {
        let target = item("orders", "globex");
        let own = item("orders", "acme");
        let slugs = |own| {
            RequestShape::shapes_of(&target, &Action::Read, own)
                .iter()
                .map(RequestShape::slug)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            slugs(Some(("acme", &own))),
            [
                "query",
                "batch-get-item",
                "batch-get-item-with-own-key",
                "scan"
            ]
        );
        assert_eq!(slugs(None), ["query", "batch-get-item", "scan"]);
        let other_table = item("invoices", "acme");
        assert_eq!(
            slugs(Some(("acme", &other_table))),
            ["query", "batch-get-item", "scan"]
        );
    }

    #[test]
    fn batch_writes_are_planned_only_where_a_sort_key_leaves_room_for_another_key() {
        let without_sort = item("orders", "globex");
        assert!(RequestShape::shapes_of(&without_sort, &Action::Delete, None).is_empty());
        let with_sort = ResourceTarget::DynamoDbItem {
            table: "orders".to_owned(),
            key: Box::new(ItemKey {
                partition: ("pk".to_owned(), KeyValue::S("globex".to_owned())),
                sort: Some(("sk".to_owned(), KeyValue::S("order-1".to_owned()))),
            }),
        };
        assert_eq!(
            RequestShape::shapes_of(&with_sort, &Action::Delete, None),
            [RequestShape::BatchWriteItemDelete]
        );
        assert_eq!(
            RequestShape::shapes_of(&with_sort, &Action::Write, None),
            [RequestShape::UpdateItem, RequestShape::BatchWriteItemPut]
        );
        assert_eq!(
            RequestShape::shapes_of(&without_sort, &Action::Write, None),
            [RequestShape::UpdateItem]
        );
    }

    #[test]
    fn verbs_without_siblings_have_no_shapes() {
        let secret = ResourceTarget::Secret {
            secret_id: "s".to_owned(),
        };
        assert!(RequestShape::shapes_of(&secret, &Action::Write, None).is_empty());
        let object = ResourceTarget::S3Object {
            bucket: "b".to_owned(),
            key: "k".to_owned(),
        };
        assert!(RequestShape::shapes_of(&object, &Action::Read, None).is_empty());
        assert!(
            RequestShape::shapes_of(
                &item("t", "a"),
                &Action::Api("dynamodb:GetItem".into()),
                None
            )
            .is_empty()
        );
    }
}
