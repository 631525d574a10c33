//! One table of local staging: its identity, key schema, tags and items, safe to share
//! between concurrent requests.

use super::attribute_value::Item;
use super::key_schema::{KeySchema, StorageKey};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// A table and its items. Items sit behind one mutex; each operation holds it only for
/// its own read-check-write, which makes single-item operations atomic as DynamoDB's are.
#[derive(Debug)]
pub struct Table {
    pub name: String,
    /// `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`.
    /// See <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html#amazondynamodb-resources-for-iam-policies>.
    pub arn: String,
    pub schema: KeySchema,
    pub tags: BTreeMap<String, String>,
    items: Mutex<BTreeMap<StorageKey, Item>>,
}

impl Table {
    pub fn new(
        name: &str,
        region: &str,
        account_id: &str,
        schema: KeySchema,
        tags: BTreeMap<String, String>,
    ) -> Table {
        Table {
            name: name.to_string(),
            arn: format!("arn:aws:dynamodb:{region}:{account_id}:table/{name}"),
            schema,
            tags,
            items: Mutex::new(BTreeMap::new()),
        }
    }

    /// Adds an item while loading the world; `false` when the key is taken.
    pub fn seed(&self, key: StorageKey, item: Item) -> bool {
        let mut items = self.items();
        if items.contains_key(&key) {
            return false;
        }
        items.insert(key, item);
        true
    }

    pub fn item_count(&self) -> usize {
        self.items().len()
    }

    /// The items, locked. A poisoned lock still holds consistent data: every writer
    /// replaces whole items, so the guard is recovered rather than failing every request.
    pub fn items(&self) -> MutexGuard<'_, BTreeMap<StorageKey, Item>> {
        self.items
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
