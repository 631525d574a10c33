//! Tests of the whole service: requests built by hand, answered through `handle`, with a
//! core whose authorization is a closure.

use super::test_support::{Asked, Harness, allow_all, harness, with_policy};
use crate::sim::iam::Decision;
use crate::sim::request::SimRequest;
use http::{HeaderMap, Method};
use serde_json::{Value, json};
use std::sync::Arc;

impl Harness {
    /// Sends one operation and returns the status and the JSON body.
    fn call(&self, operation: &str, body: Value) -> (u16, Value) {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amz-target",
            format!("DynamoDB_20120810.{operation}").parse().unwrap(),
        );
        let request = SimRequest {
            method: Method::POST,
            raw_path: "/".into(),
            query: Vec::new(),
            headers,
            body: body.to_string().into(),
            request_id: "test".into(),
            caller: Some(self.principal.clone()),
        };
        let response = self.service.handle(&self.core, &request);
        let content_type = response.headers.get(http::header::CONTENT_TYPE).unwrap();
        assert_eq!(content_type, "application/x-amz-json-1.0");
        (
            response.status.as_u16(),
            serde_json::from_slice(&response.body).unwrap(),
        )
    }

    fn ok(&self, operation: &str, body: Value) -> Value {
        let (status, value) = self.call(operation, body);
        assert_eq!(status, 200, "{value}");
        value
    }

    /// Sends one operation that must fail and returns the short error code and message.
    fn error(&self, operation: &str, body: Value) -> (String, String) {
        let (status, value) = self.call(operation, body);
        assert_eq!(status, 400, "{value}");
        let code = value["__type"].as_str().unwrap();
        (
            code.rsplit('#').next().unwrap().to_string(),
            value["message"].as_str().unwrap_or_default().to_string(),
        )
    }

    fn last_context(&self) -> Asked {
        self.core.asked.lock().unwrap().last().cloned().unwrap()
    }

    fn get(&self, pk: &str, sk: &str) -> Value {
        self.ok(
            "GetItem",
            json!({"TableName": "records", "Key": {"pk": {"S": pk}, "sk": {"S": sk}}}),
        )
    }
}

fn values(asked: &Asked, key: &str) -> Option<Vec<String>> {
    asked.context.get(key).map(<[String]>::to_vec)
}

#[test]
fn get_item_returns_the_item_or_an_empty_object() {
    let h = allow_all();
    assert_eq!(
        h.get("tenant-a", "doc#1")["Item"]["body"],
        json!({"S": "a1"})
    );
    assert_eq!(h.get("tenant-a", "missing"), json!({}));
    let asked = h.last_context();
    assert_eq!(asked.action, "dynamodb:GetItem");
    assert_eq!(
        asked.resource,
        "arn:aws:dynamodb:us-east-1:123456789012:table/records"
    );
}

#[test]
fn get_item_projection_and_its_context_keys() {
    let h = allow_all();
    let value = h.ok(
        "GetItem",
        json!({
            "TableName": "records",
            "Key": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}},
            "ProjectionExpression": "#b, pk",
            "ExpressionAttributeNames": {"#b": "body"},
            "ConsistentRead": true,
            "ReturnConsumedCapacity": "TOTAL"
        }),
    );
    assert_eq!(
        value,
        json!({
            "Item": {"pk": {"S": "tenant-a"}, "body": {"S": "a1"}},
            "ConsumedCapacity": {"TableName": "records", "CapacityUnits": 1.0}
        })
    );
    let asked = h.last_context();
    assert_eq!(
        values(&asked, "dynamodb:LeadingKeys"),
        Some(vec!["tenant-a".to_string()])
    );
    assert!(asked.context.is_multi_valued("dynamodb:LeadingKeys"));
    assert_eq!(
        values(&asked, "dynamodb:Attributes"),
        Some(vec!["body".to_string(), "pk".to_string(), "sk".to_string()])
    );
    assert_eq!(
        values(&asked, "aws:ResourceTag/env"),
        Some(vec!["staging".to_string()])
    );
    assert_eq!(values(&asked, "dynamodb:Select"), None);
    assert_eq!(
        values(&asked, "dynamodb:ReturnConsumedCapacity"),
        Some(vec!["TOTAL".to_string()])
    );
}

#[test]
fn implicit_deny_uses_aws_message() {
    let h = harness(|_, _, _| Decision::ImplicitDeny);
    let (code, message) = h.error(
        "GetItem",
        json!({"TableName": "records", "Key": {"pk": {"S": "tenant-b"}, "sk": {"S": "doc#1"}}}),
    );
    assert_eq!(code, "AccessDeniedException");
    assert_eq!(
        message,
        "User: arn:aws:sts::123456789012:assumed-role/TenantA/alice is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/records because no identity-based policy allows the dynamodb:GetItem action"
    );
}

#[test]
fn explicit_deny_uses_aws_message() {
    let h = harness(|_, _, _| Decision::ExplicitDeny);
    let (code, message) = h.error("Scan", json!({"TableName": "records"}));
    assert_eq!(code, "AccessDeniedException");
    assert_eq!(
        message,
        "User: arn:aws:sts::123456789012:assumed-role/TenantA/alice is not authorized to perform: dynamodb:Scan on resource: arn:aws:dynamodb:us-east-1:123456789012:table/records with an explicit deny in an identity-based policy"
    );
}

#[test]
fn a_denied_caller_never_learns_whether_the_table_exists() {
    let denied = harness(|_, _, _| Decision::ImplicitDeny);
    let body = json!({"TableName": "nope", "Key": {"pk": {"S": "tenant-a"}}});
    assert_eq!(
        denied.error("GetItem", body.clone()).0,
        "AccessDeniedException"
    );
    let allowed = allow_all();
    assert_eq!(
        allowed.error("GetItem", body),
        (
            "ResourceNotFoundException".to_string(),
            "Requested resource not found".to_string()
        )
    );
}

#[test]
fn a_denied_caller_never_learns_whether_the_condition_holds() {
    let denied = harness(|_, _, _| Decision::ImplicitDeny);
    let put = |condition: &str| {
        json!({
            "TableName": "records",
            "Item": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}, "body": {"S": "overwritten"}},
            "ConditionExpression": condition
        })
    };
    // The same answer whether the condition would hold or fail, and nothing is written.
    assert_eq!(
        denied.error("PutItem", put("attribute_not_exists(pk)")).0,
        "AccessDeniedException"
    );
    assert_eq!(
        denied.error("PutItem", put("attribute_exists(pk)")).0,
        "AccessDeniedException"
    );
    let allowed = allow_all();
    assert_eq!(
        allowed.error("PutItem", put("attribute_not_exists(pk)")),
        (
            "ConditionalCheckFailedException".to_string(),
            "The conditional request failed".to_string()
        )
    );
    assert_eq!(
        allowed.get("tenant-a", "doc#1")["Item"]["body"],
        json!({"S": "a1"})
    );
    allowed.ok("PutItem", put("attribute_exists(pk)"));
    assert_eq!(
        allowed.get("tenant-a", "doc#1")["Item"]["body"],
        json!({"S": "overwritten"})
    );
}

#[test]
fn put_item_return_values_and_context() {
    let h = allow_all();
    let value = h.ok(
        "PutItem",
        json!({
            "TableName": "records",
            "Item": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}, "body": {"S": "new"}},
            "ReturnValues": "ALL_OLD"
        }),
    );
    assert_eq!(value["Attributes"]["body"], json!({"S": "a1"}));
    let asked = h.last_context();
    assert_eq!(asked.action, "dynamodb:PutItem");
    assert_eq!(
        values(&asked, "dynamodb:LeadingKeys"),
        Some(vec!["tenant-a".to_string()])
    );
    assert_eq!(
        values(&asked, "dynamodb:Attributes"),
        Some(vec!["body".to_string(), "pk".to_string(), "sk".to_string()])
    );
    assert_eq!(
        values(&asked, "dynamodb:ReturnValues"),
        Some(vec!["ALL_OLD".to_string()])
    );
    let (code, message) = h.error(
        "PutItem",
        json!({
            "TableName": "records",
            "Item": {"pk": {"S": "tenant-a"}, "sk": {"S": "x"}},
            "ReturnValues": "ALL_NEW"
        }),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "ValidationException",
            "ReturnValues can only be ALL_OLD or NONE"
        )
    );
}

#[test]
fn put_item_key_validation_messages() {
    let h = allow_all();
    let (code, message) = h.error(
        "PutItem",
        json!({"TableName": "records", "Item": {"pk": {"S": "tenant-a"}}}),
    );
    assert_eq!(code, "ValidationException");
    assert_eq!(
        message,
        "One or more parameter values were invalid: Missing the key sk in the item"
    );
    let (_, message) = h.error(
        "PutItem",
        json!({"TableName": "records", "Item": {"pk": {"N": "1"}, "sk": {"S": "x"}}}),
    );
    assert_eq!(
        message,
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
    );
}

#[test]
fn get_item_key_validation_messages() {
    let h = allow_all();
    for key in [
        json!({"pk": {"S": "tenant-a"}}),
        json!({"pk": {"N": "1"}, "sk": {"S": "doc#1"}}),
        json!({"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}, "body": {"S": "x"}}),
    ] {
        assert_eq!(
            h.error("GetItem", json!({"TableName": "records", "Key": key})),
            (
                "ValidationException".to_string(),
                "The provided key element does not match the schema".to_string()
            )
        );
    }
}

#[test]
fn expression_mistakes_use_aws_wording() {
    let h = allow_all();
    let key = json!({"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}});
    let (code, message) = h.error(
        "GetItem",
        json!({"TableName": "records", "Key": key, "ProjectionExpression": "#nope"}),
    );
    assert_eq!(code, "ValidationException");
    assert_eq!(
        message,
        "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope"
    );
    let (_, message) = h.error(
        "DeleteItem",
        json!({"TableName": "records", "Key": key, "ConditionExpression": "body = :v"}),
    );
    assert_eq!(
        message,
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v"
    );
    let (_, message) = h.error(
        "UpdateItem",
        json!({"TableName": "records", "Key": key, "UpdateExpression": "SET body = "}),
    );
    assert_eq!(
        message,
        "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"=\""
    );
    let (_, message) = h.error(
        "GetItem",
        json!({"TableName": "records", "Key": key, "ExpressionAttributeNames": {"#b": "body"}}),
    );
    assert_eq!(
        message,
        "ExpressionAttributeNames can only be specified when using expressions"
    );
}

#[test]
fn update_item_set_remove_add_and_return_values() {
    let h = allow_all();
    let value = h.ok(
        "UpdateItem",
        json!({
            "TableName": "records",
            "Key": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}},
            "UpdateExpression": "SET #s = #s + :inc, title = if_not_exists(title, :t) REMOVE body",
            "ConditionExpression": "#s >= :ten",
            "ExpressionAttributeNames": {"#s": "size"},
            "ExpressionAttributeValues": {":inc": {"N": "5"}, ":t": {"S": "T"}, ":ten": {"N": "10"}},
            "ReturnValues": "ALL_NEW"
        }),
    );
    assert_eq!(
        value,
        json!({"Attributes": {
            "pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}, "size": {"N": "15"}, "title": {"S": "T"}
        }})
    );
    let asked = h.last_context();
    assert_eq!(asked.action, "dynamodb:UpdateItem");
    assert_eq!(
        values(&asked, "dynamodb:Attributes"),
        Some(vec![
            "body".to_string(),
            "pk".to_string(),
            "size".to_string(),
            "sk".to_string(),
            "title".to_string()
        ])
    );
    // UpdateItem on a missing key creates the item from its key.
    let created = h.ok(
        "UpdateItem",
        json!({
            "TableName": "records",
            "Key": {"pk": {"S": "tenant-c"}, "sk": {"S": "x"}},
            "UpdateExpression": "ADD visits :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
            "ReturnValues": "UPDATED_NEW"
        }),
    );
    assert_eq!(created, json!({"Attributes": {"visits": {"N": "1"}}}));
    let (_, message) = h.error(
        "UpdateItem",
        json!({
            "TableName": "records",
            "Key": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}},
            "UpdateExpression": "SET pk = :v",
            "ExpressionAttributeValues": {":v": {"S": "tenant-b"}}
        }),
    );
    assert_eq!(
        message,
        "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"
    );
}

#[test]
fn update_item_condition_failure_changes_nothing() {
    let h = allow_all();
    let (code, _) = h.error(
        "UpdateItem",
        json!({
            "TableName": "records",
            "Key": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}},
            "UpdateExpression": "SET body = :v",
            "ConditionExpression": "attribute_not_exists(pk)",
            "ExpressionAttributeValues": {":v": {"S": "changed"}}
        }),
    );
    assert_eq!(code, "ConditionalCheckFailedException");
    assert_eq!(
        h.get("tenant-a", "doc#1")["Item"]["body"],
        json!({"S": "a1"})
    );
}

#[test]
fn delete_item_with_condition_and_return_values() {
    let h = allow_all();
    let key = json!({"pk": {"S": "tenant-a"}, "sk": {"S": "doc#2"}});
    let (code, _) = h.error(
        "DeleteItem",
        json!({"TableName": "records", "Key": key, "ConditionExpression": "body = :x",
               "ExpressionAttributeValues": {":x": {"S": "other"}}}),
    );
    assert_eq!(code, "ConditionalCheckFailedException");
    let value = h.ok(
        "DeleteItem",
        json!({"TableName": "records", "Key": key, "ReturnValues": "ALL_OLD"}),
    );
    assert_eq!(value["Attributes"]["body"], json!({"S": "a2"}));
    assert_eq!(h.get("tenant-a", "doc#2"), json!({}));
    let asked = h.last_context();
    assert_eq!(asked.action, "dynamodb:GetItem");
}

fn sort_keys(value: &Value) -> Vec<String> {
    value["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["sk"]["S"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn query_reads_one_partition_in_sort_order_with_key_conditions() {
    let h = allow_all();
    let query = |condition: &str, extra: Value| {
        let mut body = json!({
            "TableName": "records",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": {":p": {"S": "tenant-a"}, ":s": {"S": "doc"}}
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        h.ok("Query", body)
    };
    assert_eq!(
        sort_keys(&query("pk = :p AND begins_with(sk, :s)", json!({}))),
        ["doc#1", "doc#2"]
    );
    assert_eq!(
        sort_keys(&query("pk = :p AND sk > :s", json!({}))),
        ["doc#1", "doc#2", "note#1"]
    );
    let reversed = query("pk = :p AND sk >= :s", json!({"ScanIndexForward": false}));
    assert_eq!(sort_keys(&reversed), ["note#1", "doc#2", "doc#1"]);
    let counted = query(
        "pk = :p AND begins_with(sk, :s)",
        json!({"Select": "COUNT"}),
    );
    assert_eq!(counted, json!({"Count": 2, "ScannedCount": 2}));
    let asked = h.last_context();
    assert_eq!(asked.action, "dynamodb:Query");
    assert_eq!(
        values(&asked, "dynamodb:LeadingKeys"),
        Some(vec!["tenant-a".to_string()])
    );
    assert_eq!(
        values(&asked, "dynamodb:Select"),
        Some(vec!["COUNT".to_string()])
    );
}

#[test]
fn query_paginates_with_limit_and_exclusive_start_key() {
    let h = allow_all();
    let page = |start: Option<Value>| {
        let mut body = json!({
            "TableName": "records",
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "tenant-a"}},
            "Limit": 2
        });
        if let Some(start) = start {
            body["ExclusiveStartKey"] = start;
        }
        h.ok("Query", body)
    };
    let first = page(None);
    assert_eq!(sort_keys(&first), ["doc#1", "doc#2"]);
    assert_eq!(
        first["LastEvaluatedKey"],
        json!({"pk": {"S": "tenant-a"}, "sk": {"S": "doc#2"}})
    );
    let second = page(Some(first["LastEvaluatedKey"].clone()));
    assert_eq!(sort_keys(&second), ["note#1"]);
    assert!(second.get("LastEvaluatedKey").is_none());
}

#[test]
fn query_filter_counts_scanned_items_and_may_not_use_keys() {
    let h = allow_all();
    let value = h.ok(
        "Query",
        json!({
            "TableName": "records",
            "KeyConditionExpression": "pk = :p",
            "FilterExpression": "#s > :n",
            "ProjectionExpression": "sk",
            "ExpressionAttributeNames": {"#s": "size"},
            "ExpressionAttributeValues": {":p": {"S": "tenant-a"}, ":n": {"N": "15"}}
        }),
    );
    assert_eq!(value["Count"], 2);
    assert_eq!(value["ScannedCount"], 3);
    assert_eq!(
        value["Items"],
        json!([{"sk": {"S": "doc#2"}}, {"sk": {"S": "note#1"}}])
    );
    let asked = h.last_context();
    assert_eq!(
        values(&asked, "dynamodb:Select"),
        Some(vec!["SPECIFIC_ATTRIBUTES".to_string()])
    );
    let (_, message) = h.error(
        "Query",
        json!({
            "TableName": "records",
            "KeyConditionExpression": "pk = :p",
            "FilterExpression": "sk = :p",
            "ExpressionAttributeValues": {":p": {"S": "tenant-a"}}
        }),
    );
    assert_eq!(
        message,
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"
    );
}

#[test]
fn query_key_condition_errors() {
    let h = allow_all();
    let (code, message) = h.error(
        "Query",
        json!({
            "TableName": "records",
            "KeyConditionExpression": "sk = :p",
            "ExpressionAttributeValues": {":p": {"S": "tenant-a"}}
        }),
    );
    assert_eq!(code, "ValidationException");
    assert_eq!(message, "Query condition missed key schema element: pk");
}

#[test]
fn scan_paginates_and_has_no_leading_keys() {
    let h = allow_all();
    let first = h.ok("Scan", json!({"TableName": "records", "Limit": 3}));
    assert_eq!(first["Items"].as_array().unwrap().len(), 3);
    let second = h.ok(
        "Scan",
        json!({"TableName": "records", "Limit": 3, "ExclusiveStartKey": first["LastEvaluatedKey"]}),
    );
    assert_eq!(second["Items"].as_array().unwrap().len(), 1);
    assert_eq!(second["Items"][0]["pk"], json!({"S": "tenant-b"}));
    let asked = h.last_context();
    assert_eq!(asked.action, "dynamodb:Scan");
    assert_eq!(values(&asked, "dynamodb:LeadingKeys"), None);
    let filtered = h.ok(
        "Scan",
        json!({"TableName": "records", "FilterExpression": "body IN (:a, :b)",
               "ExpressionAttributeValues": {":a": {"S": "a3"}, ":b": {"S": "b1"}}}),
    );
    assert_eq!(filtered["Count"], 2);
    assert_eq!(filtered["ScannedCount"], 4);
}

const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/records";

fn leading_keys_policy(extra_condition: Value) -> Value {
    let mut condition = json!({
        "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["tenant-a"]}
    });
    for (k, v) in extra_condition.as_object().unwrap() {
        condition[k] = v.clone();
    }
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:Scan"],
            "Resource": TABLE_ARN,
            "Condition": condition
        }]
    })
}

fn query_partition(h: &Harness, partition: &str) -> (u16, Value) {
    h.call(
        "Query",
        json!({"TableName": "records", "KeyConditionExpression": "pk = :p",
               "ExpressionAttributeValues": {":p": {"S": partition}}}),
    )
}

/// Leading-key isolation with the IAM engine: each single-partition operation is held to
/// the caller's partition, but a Scan carries no `dynamodb:LeadingKeys`, and
/// `ForAllValues` over an absent key holds, so the Scan reads every tenant. This is the
/// documented reason to pair `ForAllValues` with a `Null` check or a deny on Scan.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
#[test]
fn leading_keys_isolate_items_but_pass_vacuously_on_scan() {
    let h = with_policy(leading_keys_policy(json!({})));
    assert_eq!(
        h.get("tenant-a", "doc#1")["Item"]["body"],
        json!({"S": "a1"})
    );
    let (code, message) = h.error(
        "GetItem",
        json!({"TableName": "records", "Key": {"pk": {"S": "tenant-b"}, "sk": {"S": "doc#1"}}}),
    );
    assert_eq!(code, "AccessDeniedException");
    assert!(
        message.ends_with("because no identity-based policy allows the dynamodb:GetItem action")
    );
    assert_eq!(query_partition(&h, "tenant-a").0, 200);
    assert_eq!(
        query_partition(&h, "tenant-b").1["__type"],
        "com.amazonaws.dynamodb.v20120810#AccessDeniedException"
    );
    let (code, _) = h.error(
        "PutItem",
        json!({"TableName": "records", "Item": {"pk": {"S": "tenant-b"}, "sk": {"S": "x"}}}),
    );
    assert_eq!(code, "AccessDeniedException");
    let scanned = h.ok("Scan", json!({"TableName": "records"}));
    assert_eq!(scanned["Count"], 4, "Scan reads every tenant's items");
}

/// The documented fix: `"Null": {"dynamodb:LeadingKeys": "false"}` requires the key to be
/// present, which Scan's context never is.
#[test]
fn a_null_check_on_leading_keys_denies_scan() {
    let h = with_policy(leading_keys_policy(
        json!({"Null": {"dynamodb:LeadingKeys": "false"}}),
    ));
    assert_eq!(
        h.get("tenant-a", "doc#1")["Item"]["body"],
        json!({"S": "a1"})
    );
    let (code, message) = h.error("Scan", json!({"TableName": "records"}));
    assert_eq!(code, "AccessDeniedException");
    assert!(message.ends_with("because no identity-based policy allows the dynamodb:Scan action"));
}

#[test]
fn an_explicit_deny_on_scan_is_reported_as_explicit() {
    let h = with_policy(json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "dynamodb:*", "Resource": TABLE_ARN},
            {"Effect": "Deny", "Action": "dynamodb:Scan", "Resource": "*"}
        ]
    }));
    let (code, message) = h.error("Scan", json!({"TableName": "records"}));
    assert_eq!(code, "AccessDeniedException");
    assert_eq!(
        message,
        format!(
            "User: arn:aws:sts::123456789012:assumed-role/TenantA/alice is not authorized to perform: dynamodb:Scan on resource: {TABLE_ARN} with an explicit deny in an identity-based policy"
        )
    );
}

#[test]
fn attribute_policies_see_projected_attributes() {
    let h = with_policy(json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": TABLE_ARN,
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "sk", "body"]}}
        }]
    }));
    let get = |projection: &str| {
        h.call(
            "GetItem",
            json!({"TableName": "records", "Key": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}},
                   "ProjectionExpression": projection}),
        )
    };
    assert_eq!(get("body").0, 200);
    assert_eq!(
        get("body, title").1["__type"],
        "com.amazonaws.dynamodb.v20120810#AccessDeniedException"
    );
}

#[test]
fn resource_tag_policies_see_table_tags() {
    let policy = |env: &str| {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": "dynamodb:GetItem",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/env": env}}
            }]
        })
    };
    assert_eq!(
        with_policy(policy("staging")).get("tenant-a", "doc#1")["Item"]["body"],
        json!({"S": "a1"})
    );
    let (code, _) = with_policy(policy("production")).error(
        "GetItem",
        json!({"TableName": "records", "Key": {"pk": {"S": "tenant-a"}, "sk": {"S": "doc#1"}}}),
    );
    assert_eq!(code, "AccessDeniedException");
}

#[test]
fn unsigned_requests_and_unknown_operations_are_rejected() {
    let h = allow_all();
    let mut request = SimRequest {
        method: Method::POST,
        raw_path: "/".into(),
        query: Vec::new(),
        headers: HeaderMap::new(),
        body: "{}".into(),
        request_id: "test".into(),
        caller: None,
    };
    request
        .headers
        .insert("x-amz-target", "DynamoDB_20120810.GetItem".parse().unwrap());
    let response = h.service.handle(&h.core, &request);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(response.status, 400);
    assert_eq!(
        body["__type"],
        "com.amazon.coral.service#MissingAuthenticationTokenException"
    );
    assert_eq!(
        h.error("CreateTable", json!({})).0,
        "UnknownOperationException"
    );
    assert!(
        h.core.asked.lock().unwrap().is_empty(),
        "nothing was authorized"
    );
}

#[test]
fn malformed_bodies_are_serialization_errors() {
    let h = allow_all();
    assert_eq!(
        h.error("GetItem", json!({"TableName": 7})).0,
        "SerializationException"
    );
}

#[test]
fn concurrent_updates_are_atomic() {
    let h = Arc::new(allow_all());
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let h = Arc::clone(&h);
            std::thread::spawn(move || {
                for _ in 0..25 {
                    h.ok(
                        "UpdateItem",
                        json!({
                            "TableName": "counters",
                            "Key": {"id": {"N": "1"}},
                            "UpdateExpression": "ADD hits :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}
                        }),
                    );
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let value = h.ok(
        "GetItem",
        json!({"TableName": "counters", "Key": {"id": {"N": "1.0"}}}),
    );
    assert_eq!(value["Item"]["hits"], json!({"N": "200"}));
}

#[test]
fn oversized_items_are_rejected_and_not_stored() {
    let h = allow_all();
    let (code, message) = h.error(
        "PutItem",
        json!({"TableName": "records", "Item": {
            "pk": {"S": "tenant-a"}, "sk": {"S": "big"}, "blob": {"S": "x".repeat(410 * 1024)}
        }}),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "ValidationException",
            "Item size has exceeded the maximum allowed size"
        )
    );
    assert_eq!(h.get("tenant-a", "big"), json!({}));
}

#[test]
fn index_reads_are_authorized_on_the_index_arn_then_rejected() {
    let h = allow_all();
    let (code, message) = h.error(
        "Query",
        json!({"TableName": "records", "IndexName": "by-body",
               "KeyConditionExpression": "body = :b",
               "ExpressionAttributeValues": {":b": {"S": "a1"}}}),
    );
    assert_eq!(code, "ValidationException");
    assert_eq!(
        message,
        "The table does not have the specified index: by-body"
    );
    assert_eq!(
        h.last_context().resource,
        "arn:aws:dynamodb:us-east-1:123456789012:table/records/index/by-body"
    );
}
