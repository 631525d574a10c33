//! A canary: something a probe writes because no write-free method could prove a write, or
//! something an attack changes in the identity layer (a user attribute, a signed-up user).

use serde::{Deserialize, Serialize};

/// What a probe may have created, with what proves it is ours (never another tenant's data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Canary {
    /// An S3 object whose body is exactly `marker`; removed only while it still is.
    S3Object {
        bucket: String,
        key: String,
        marker: String,
    },
    /// A Secrets Manager version carrying the staging label `version_stage`; cleanup removes
    /// the label, which leaves the version deprecated for Secrets Manager to delete.
    SecretVersion {
        secret_id: String,
        version_stage: String,
    },
    /// A user attribute an attack changed (claim-tamper): restored to `original` only while
    /// it still holds `tampered`.
    UserAttribute {
        user_pool_id: String,
        username: String,
        attribute: String,
        original: String,
        tampered: String,
    },
    /// A user an attack created by self sign-up: the canary username is ours alone, so the
    /// user is deleted whatever it holds.
    SignedUpUser {
        user_pool_id: String,
        username: String,
    },
    /// A DynamoDB item whose attribute `xtenant_canary` is exactly `marker`, at a key no
    /// real item has (the probed item's partition key, a sort key unique to the write);
    /// removed only while it still holds the marker.
    DynamoDbItem {
        table: String,
        key: Vec<CanaryKeyAttribute>,
        marker: String,
    },
}

/// One attribute of a canary item's primary key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanaryKeyAttribute {
    pub name: String,
    /// `S` or `N`, as DynamoDB types a key attribute.
    pub kind: String,
    pub value: String,
}

/// The attribute a DynamoDB canary carries its marker in.
pub const DYNAMODB_MARKER_ATTRIBUTE: &str = "xtenant_canary";

impl Canary {
    /// A one-line description for logs and reasons.
    pub fn describe(&self) -> String {
        match self {
            Canary::S3Object { bucket, key, .. } => format!("s3://{bucket}/{key}"),
            Canary::SecretVersion {
                secret_id,
                version_stage,
            } => format!("secret `{secret_id}` version labelled `{version_stage}`"),
            Canary::UserAttribute {
                user_pool_id,
                username,
                attribute,
                ..
            } => format!(
                "attribute `{attribute}` of user `{username}` in user pool `{user_pool_id}`"
            ),
            Canary::SignedUpUser {
                user_pool_id,
                username,
            } => format!("signed-up user `{username}` in user pool `{user_pool_id}`"),
            Canary::DynamoDbItem { table, key, .. } => {
                let key: Vec<String> = key
                    .iter()
                    .map(|attribute| {
                        format!("{}={}:{}", attribute.name, attribute.kind, attribute.value)
                    })
                    .collect();
                format!("dynamodb:{table}[{}]", key.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dynamodb_canary_reads_back_from_its_ledger_line_and_names_its_key() {
        let canary = Canary::DynamoDbItem {
            table: "orders".to_owned(),
            key: vec![
                CanaryKeyAttribute {
                    name: "tenant_id".to_owned(),
                    kind: "S".to_owned(),
                    value: "globex".to_owned(),
                },
                CanaryKeyAttribute {
                    name: "order_id".to_owned(),
                    kind: "S".to_owned(),
                    value: "xtenant-canary-1".to_owned(),
                },
            ],
            marker: "xtenant canary m".to_owned(),
        };
        let line = serde_json::to_string(&canary).unwrap();
        assert!(
            line.starts_with(r#"{"kind":"dynamo_db_item","table":"orders""#),
            "{line}"
        );
        assert_eq!(serde_json::from_str::<Canary>(&line).unwrap(), canary);
        assert_eq!(
            canary.describe(),
            "dynamodb:orders[tenant_id=S:globex, order_id=S:xtenant-canary-1]"
        );
    }
}
