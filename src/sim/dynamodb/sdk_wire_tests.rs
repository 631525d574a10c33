//! Wire-protocol tests: the real aws-sdk-dynamodb client talks to the service over HTTP on
//! 127.0.0.1, through a minimal test server that skips SigV4 (the front door's job) and
//! attributes every request to one caller.

use super::test_support::{Harness, allow_all, harness};
use crate::sim::iam::Decision;
use crate::sim::request::SimRequest;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, Select};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Serves the harness on an ephemeral loopback port and returns a client for it.
async fn serve(harness: Harness) -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let harness = Arc::new(harness);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let harness = Arc::clone(&harness);
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let harness = Arc::clone(&harness);
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body.collect().await?.to_bytes();
                        let sim_request = SimRequest {
                            method: parts.method,
                            raw_path: parts.uri.path().to_string(),
                            query: Vec::new(),
                            headers: parts.headers,
                            body,
                            request_id: "wire-test".to_string(),
                            caller: Some(Arc::clone(&harness.principal)),
                        };
                        let response = harness.service.handle(&harness.core, &sim_request);
                        let mut reply = hyper::Response::new(Full::new(response.body));
                        *reply.status_mut() = response.status;
                        *reply.headers_mut() = response.headers;
                        Ok::<_, hyper::Error>(reply)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{address}"))
        .credentials_provider(Credentials::new(
            "AKIDWIRETEST",
            "wire-test-secret",
            None,
            None,
            "wire-test",
        ))
        .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
        .timeout_config(
            aws_sdk_dynamodb::config::timeout::TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(10))
                .build(),
        )
        .build();
    Client::from_conf(config)
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

fn key(pk: &str, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_string(), s(pk)), ("sk".to_string(), s(sk))])
}

#[tokio::test]
async fn sdk_reads_and_writes_items() {
    let client = serve(allow_all()).await;
    let got = client
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .projection_expression("#b")
        .expression_attribute_names("#b", "body")
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    assert_eq!(got.item().unwrap().get("body"), Some(&s("a1")));
    assert_eq!(got.item().unwrap().len(), 1);

    let put = client
        .put_item()
        .table_name("records")
        .item("pk", s("tenant-a"))
        .item("sk", s("doc#9"))
        .item("n", AttributeValue::N("1".into()))
        .condition_expression("attribute_not_exists(pk)")
        .return_values(ReturnValue::AllOld)
        .send()
        .await
        .unwrap();
    assert!(put.attributes().is_none());

    let updated = client
        .update_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#9")))
        .update_expression("SET n = n + :one, tags = :tags")
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .expression_attribute_values(":tags", AttributeValue::Ss(vec!["x".into()]))
        .return_values(ReturnValue::UpdatedNew)
        .send()
        .await
        .unwrap();
    let attributes = updated.attributes().unwrap();
    assert_eq!(attributes.get("n"), Some(&AttributeValue::N("2".into())));
    assert_eq!(
        attributes.get("tags"),
        Some(&AttributeValue::Ss(vec!["x".into()]))
    );

    let deleted = client
        .delete_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#9")))
        .return_values(ReturnValue::AllOld)
        .send()
        .await
        .unwrap();
    assert_eq!(
        deleted.attributes().unwrap().get("n"),
        Some(&AttributeValue::N("2".into()))
    );
    let gone = client
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#9")))
        .send()
        .await
        .unwrap();
    assert!(gone.item().is_none());
}

#[tokio::test]
async fn sdk_queries_and_scans_with_pagination() {
    let client = serve(allow_all()).await;
    let pages: Vec<_> = client
        .query()
        .table_name("records")
        .key_condition_expression("pk = :p AND begins_with(sk, :d)")
        .expression_attribute_values(":p", s("tenant-a"))
        .expression_attribute_values(":d", s("doc"))
        .limit(1)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let items: Vec<_> = pages.iter().flat_map(|p| p.items().iter()).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].get("sk"), Some(&s("doc#1")));
    assert_eq!(items[1].get("sk"), Some(&s("doc#2")));

    let counted = client
        .query()
        .table_name("records")
        .key_condition_expression("pk = :p")
        .expression_attribute_values(":p", s("tenant-a"))
        .select(Select::Count)
        .scan_index_forward(false)
        .send()
        .await
        .unwrap();
    assert_eq!(counted.count(), 3);
    assert!(counted.items().is_empty());

    let scanned: Vec<_> = client
        .scan()
        .table_name("records")
        .limit(3)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(scanned.len(), 4);
}

#[tokio::test]
async fn sdk_classifies_each_error() {
    let client = serve(allow_all()).await;
    let failed = client
        .put_item()
        .table_name("records")
        .item("pk", s("tenant-a"))
        .item("sk", s("doc#1"))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(failed.is_conditional_check_failed_exception());
    assert_eq!(failed.message(), Some("The conditional request failed"));

    let missing = client
        .get_item()
        .table_name("nope")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(missing.is_resource_not_found_exception());

    let invalid = client
        .get_item()
        .table_name("records")
        .key("pk", s("tenant-a"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(invalid.code(), Some("ValidationException"));
    assert_eq!(
        invalid.message(),
        Some("The provided key element does not match the schema")
    );
}

#[tokio::test]
async fn sdk_sees_access_denied_with_aws_message() {
    let client = serve(harness(|_, _, _| Decision::ImplicitDeny)).await;
    let denied = client
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-b", "doc#1")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(denied.code(), Some("AccessDeniedException"));
    assert_eq!(
        denied.message(),
        Some(
            "User: arn:aws:sts::123456789012:assumed-role/TenantA/alice is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/records because no identity-based policy allows the dynamodb:GetItem action"
        )
    );
}
