//! Hostile and broken requests: every one gets an AWS-shaped 4xx answer in time, never a
//! panic, a dropped connection or a hang, and local staging keeps serving afterwards.

use crate::support::{self, RawResponse, credentials, sdk_config};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xtenant::sim::LocalStaging;

const KEY: &str = "AKIAMALFORMEDEXAMPLE";
const SECRET: &str = "malformed/requests/EXAMPLEKEY0000000000";
const CLIENT_ID: &str = "malformedclient0000000001";
const IDENTITY_POOL: &str = "us-east-1:0b7a3c9e-1f2d-4c5b-8a6e-9d0c1b2a3f4e";

async fn staging() -> LocalStaging {
    support::start(&format!(
        r#"account_id: "111122223333"
region: us-east-1
iam:
  users:
    - UserName: admin
      AccessKeys: [{{AccessKeyId: {KEY}, SecretAccessKey: {SECRET}}}]
      Policies:
        - PolicyName: everything
          PolicyDocument:
            Statement: [{{Effect: Allow, Action: "*", Resource: "*"}}]
user_pools:
  - Id: us-east-1_Malformed
    PoolName: malformed
    Clients:
      - ClientId: {CLIENT_ID}
        ClientName: web
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH]
    Users:
      - {{Username: alice, Password: "Alice-Pa55word!"}}
identity_pools:
  - IdentityPoolId: "{IDENTITY_POOL}"
    IdentityPoolName: malformed
    AllowUnauthenticatedIdentities: false
    CognitoIdentityProviders:
      - {{ProviderName: cognito-idp.us-east-1.amazonaws.com/us-east-1_Malformed, ClientId: {CLIENT_ID}}}
s3:
  buckets:
    - Bucket: bucket
dynamodb:
  tables:
    - TableName: records
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
secrets:
  - Name: app/db
    SecretString: app-db-password
"#
    ))
    .await
}

/// Headers signed by the `aws-sigv4` crate for a request to `service`, `extra` included.
fn signed_headers(
    staging: &LocalStaging,
    service: &str,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: SignedBody<'_>,
) -> Vec<(String, String)> {
    use aws_sigv4::http_request::{
        PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign,
    };
    use aws_sigv4::sign::v4;

    let url = format!("{}{path}", staging.endpoint());
    let host = staging.endpoint().trim_start_matches("http://").to_string();
    let identity = credentials(KEY, SECRET, None).into();
    let mut settings = SigningSettings::default();
    if service == "s3" && matches!(body, SignedBody::Bytes(_)) {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .expect("signing params")
        .into();
    let mut to_sign = vec![("host", host.as_str())];
    to_sign.extend_from_slice(extra);
    let signable_body = match body {
        SignedBody::Bytes(bytes) => SignableBody::Bytes(bytes),
        SignedBody::Precomputed(mode) => SignableBody::Precomputed(mode.to_string()),
    };
    let signable = SignableRequest::new(method, &url, to_sign.iter().copied(), signable_body)
        .expect("signable request");
    let (instructions, _) = sign(signable, &params).expect("signing").into_parts();
    let mut headers: Vec<(String, String)> = extra
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    headers.extend(
        instructions
            .headers()
            .map(|(n, v)| (n.to_string(), v.to_string())),
    );
    headers
}

/// What the signature covers of the body.
enum SignedBody<'a> {
    Bytes(&'a [u8]),
    /// A payload mode such as `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.
    Precomputed(&'a str),
}

async fn signed_request(
    staging: &LocalStaging,
    service: &str,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &str,
) -> RawResponse {
    let headers = signed_headers(
        staging,
        service,
        method,
        path,
        extra,
        SignedBody::Bytes(body.as_bytes()),
    );
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    support::raw_request(staging, method, path, &headers, body).await
}

async fn json_call(
    staging: &LocalStaging,
    service: &str,
    target: &str,
    content_type: &str,
    body: &str,
) -> RawResponse {
    signed_request(
        staging,
        service,
        "POST",
        "/",
        &[("content-type", content_type), ("x-amz-target", target)],
        body,
    )
    .await
}

fn assert_json_error(response: &RawResponse, code: &str) {
    assert_eq!(response.status, 400, "{}", response.body);
    let body: serde_json::Value = serde_json::from_str(&response.body).expect("a JSON error body");
    let kind = body["__type"].as_str().unwrap_or_default();
    assert!(
        kind.ends_with(code),
        "expected {code}, got {}",
        response.body
    );
}

fn assert_xml_error(response: &RawResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "{}", response.body);
    assert!(
        response.body.contains(&format!("<Code>{code}</Code>")),
        "expected {code}, got {}",
        response.body
    );
}

/// Proves local staging still serves: a signed STS call succeeds.
async fn assert_still_serving(staging: &LocalStaging) {
    let config = sdk_config(staging, Some(credentials(KEY, SECRET, None))).await;
    let identity = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect("local staging still answers");
    assert_eq!(identity.arn(), Some("arn:aws:iam::111122223333:user/admin"));
}

/// Malformed JSON bodies are each service's documented `SerializationException` (DynamoDB,
/// Secrets Manager) or `InvalidParameterException`-style 400s (Cognito), never a 5xx.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html>.
#[tokio::test]
async fn broken_json_bodies_are_400s() {
    let staging = staging().await;
    let dynamodb = json_call(
        &staging,
        "dynamodb",
        "DynamoDB_20120810.GetItem",
        "application/x-amz-json-1.0",
        r#"{"TableName": "records", "Key": "#,
    )
    .await;
    assert_json_error(&dynamodb, "SerializationException");

    let secrets = json_call(
        &staging,
        "secretsmanager",
        "secretsmanager.GetSecretValue",
        "application/x-amz-json-1.1",
        "not json at all",
    )
    .await;
    assert_eq!(secrets.status, 400, "{}", secrets.body);
    assert!(
        !secrets.body.contains("app-db-password"),
        "an error must never carry a secret value"
    );

    let wrong_types = json_call(
        &staging,
        "dynamodb",
        "DynamoDB_20120810.GetItem",
        "application/x-amz-json-1.0",
        r#"{"TableName": 7, "Key": [1, 2, 3]}"#,
    )
    .await;
    assert_eq!(wrong_types.status, 400, "{}", wrong_types.body);

    // Cognito's public operations are unsigned; their bodies are parsed before anything else.
    for (target, body) in [
        ("AWSCognitoIdentityProviderService.InitiateAuth", "[1, 2"),
        (
            "AWSCognitoIdentityProviderService.InitiateAuth",
            r#"{"AuthFlow": 5, "ClientId": null}"#,
        ),
        ("AWSCognitoIdentityService.GetId", "{\"IdentityPoolId\":"),
        (
            "AWSCognitoIdentityService.GetId",
            r#"{"IdentityPoolId": [true]}"#,
        ),
    ] {
        let response = support::raw_request(
            &staging,
            "POST",
            "/",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", target),
            ],
            body,
        )
        .await;
        assert_eq!(response.status, 400, "{target} {body}: {}", response.body);
        assert!(response.body.contains("__type"), "{}", response.body);
    }
    assert_still_serving(&staging).await;
}

/// Expressions with multi-byte characters, undefined names, unbalanced parentheses and
/// stray tokens are
/// DynamoDB `ValidationException`s.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html>.
#[tokio::test]
async fn broken_dynamodb_expressions_are_validation_errors() {
    let staging = staging().await;
    for expression in [
        "pk = :v AND ü > :v",
        "#undefined = :v",
        "((pk = :v",
        "pk = :v)",
        "pk =",
        "= = = =",
        "pk BETWEEN :v",
        "size(",
        "€",
    ] {
        let mut body = serde_json::json!({
            "TableName": "records",
            "KeyConditionExpression": expression,
            "ExpressionAttributeValues": {":v": {"S": "tenant-a"}},
        });
        if expression.contains('#') {
            body["ExpressionAttributeNames"] = serde_json::json!({"#n": "pk"});
        }
        let body = body.to_string();
        let response = json_call(
            &staging,
            "dynamodb",
            "DynamoDB_20120810.Query",
            "application/x-amz-json-1.0",
            &body,
        )
        .await;
        assert_eq!(response.status, 400, "{expression}: {}", response.body);
        assert_json_error(&response, "ValidationException");
    }
    assert_still_serving(&staging).await;
}

/// Expressions built to exhaust the parser: deep nesting within DynamoDB's 4 KB limit, and
/// an expression over it. Each is a `ValidationException`; none brings the server down.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-expression-parameters>.
#[tokio::test]
async fn hostile_dynamodb_expressions_are_refused_and_the_server_survives() {
    let staging = staging().await;
    let deep_parentheses = format!("{}pk = :v{}", "(".repeat(2000), ")".repeat(2000));
    let deep_not = format!("{}pk = :v", "NOT ".repeat(1000));
    let deep_append = format!(
        "SET l = {}:l{}",
        "list_append(".repeat(300),
        ", :l)".repeat(300)
    );
    let oversized = format!("pk = :v{}", " AND pk = :v".repeat(400));
    // DynamoDB nests documents at most 32 levels deep.
    // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-attributes>.
    let deep_path = vec!["a"; 1500].join(".");
    let deep_index = format!("a{}", "[0]".repeat(1000));
    let requests = [
        (
            "DynamoDB_20120810.Query",
            serde_json::json!({
                "TableName": "records",
                "KeyConditionExpression": deep_parentheses,
                "ExpressionAttributeValues": {":v": {"S": "a"}},
            }),
        ),
        (
            "DynamoDB_20120810.Scan",
            serde_json::json!({
                "TableName": "records",
                "FilterExpression": deep_not,
                "ExpressionAttributeValues": {":v": {"S": "a"}},
            }),
        ),
        (
            "DynamoDB_20120810.UpdateItem",
            serde_json::json!({
                "TableName": "records",
                "Key": {"pk": {"S": "a"}},
                "UpdateExpression": deep_append,
                "ExpressionAttributeValues": {":l": {"L": []}},
            }),
        ),
        (
            "DynamoDB_20120810.UpdateItem",
            serde_json::json!({
                "TableName": "records",
                "Key": {"pk": {"S": "a"}},
                "UpdateExpression": format!("SET {deep_path} = :v"),
                "ExpressionAttributeValues": {":v": {"S": "a"}},
            }),
        ),
        (
            "DynamoDB_20120810.UpdateItem",
            serde_json::json!({
                "TableName": "records",
                "Key": {"pk": {"S": "a"}},
                "UpdateExpression": format!("SET {deep_index} = :v"),
                "ExpressionAttributeValues": {":v": {"S": "a"}},
            }),
        ),
        (
            "DynamoDB_20120810.Scan",
            serde_json::json!({
                "TableName": "records",
                "FilterExpression": oversized,
                "ExpressionAttributeValues": {":v": {"S": "a"}},
            }),
        ),
    ];
    for (target, body) in requests {
        let response = json_call(
            &staging,
            "dynamodb",
            target,
            "application/x-amz-json-1.0",
            &body.to_string(),
        )
        .await;
        assert_eq!(response.status, 400, "{target}: {}", response.body);
        assert_json_error(&response, "ValidationException");
    }
    assert_still_serving(&staging).await;
}

/// XML where a form or nothing is expected: STS (a form-encoded POST to `/`) answers a
/// query-protocol 400 (`Sender`),
/// and S3's bucket sub-resources that take XML bodies (`?delete`, `?tagging`), which local
/// staging does not implement, are S3's documented `NotImplemented` (501), never a 2xx.
/// See <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html> and
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>.
#[tokio::test]
async fn broken_xml_bodies_get_protocol_shaped_errors() {
    let staging = staging().await;
    for body in [
        "<Delete><Object><Key>a</Key>",
        "<Delete><Object><Key>a</Key></Object></Wrong>",
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;&a;&a;</x>",
        "not xml",
    ] {
        let sts = support::raw_request(
            &staging,
            "POST",
            "/",
            &[("content-type", "application/x-www-form-urlencoded")],
            body,
        )
        .await;
        assert_eq!(sts.status, 400, "{body:?}: {}", sts.body);
        assert!(sts.body.contains("<Type>Sender</Type>"), "{}", sts.body);

        for path in ["/bucket?delete", "/bucket?tagging"] {
            let s3 = signed_request(
                &staging,
                "s3",
                "POST",
                path,
                &[("content-type", "application/xml")],
                body,
            )
            .await;
            assert_xml_error(&s3, 501, "NotImplemented");
        }
    }
    assert_still_serving(&staging).await;
}

/// Requests missing what their protocol requires: a JSON call without `X-Amz-Target`, an
/// `Authorization` header without its parts, a signature without `X-Amz-Date`.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>.
#[tokio::test]
async fn requests_missing_required_parts_are_refused() {
    let staging = staging().await;
    let no_target = signed_request(
        &staging,
        "dynamodb",
        "POST",
        "/",
        &[("content-type", "application/x-amz-json-1.0")],
        "{}",
    )
    .await;
    assert_eq!(no_target.status, 400, "{}", no_target.body);

    let partial_authorization = support::raw_request(
        &staging,
        "POST",
        "/",
        &[
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "DynamoDB_20120810.ListTables"),
            ("authorization", "AWS4-HMAC-SHA256 Credential="),
        ],
        "{}",
    )
    .await;
    assert_json_error(&partial_authorization, "IncompleteSignatureException");

    let no_date = support::raw_request(
        &staging,
        "GET",
        "/bucket/key",
        &[(
            "authorization",
            &format!(
                "AWS4-HMAC-SHA256 Credential={KEY}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"
            ),
        )],
        "",
    )
    .await;
    assert_xml_error(&no_date, 400, "AuthorizationHeaderMalformed");

    let garbage_scheme = support::raw_request(
        &staging,
        "GET",
        "/bucket/key",
        &[("authorization", "Basic ZHVtbXk6ZHVtbXk=")],
        "",
    )
    .await;
    assert!(
        (400..500).contains(&garbage_scheme.status),
        "{}",
        garbage_scheme.body
    );
    assert_still_serving(&staging).await;
}

/// A truncated aws-chunked body, or one whose chunk size overflows, is S3's
/// `IncompleteBody` (400).
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html>.
#[tokio::test]
async fn truncated_or_oversized_aws_chunked_bodies_are_incomplete() {
    let staging = staging().await;
    let mode = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    let headers = signed_headers(
        &staging,
        "s3",
        "PUT",
        "/bucket/chunked.txt",
        &[
            ("content-encoding", "aws-chunked"),
            ("x-amz-content-sha256", mode),
            ("x-amz-decoded-content-length", "11"),
        ],
        SignedBody::Precomputed(mode),
    );
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    for body in [
        "b\r\nHello",
        "b\r\nHello world\r\n",
        "b\r\nHello world\r\n0\r\n",
        "ffffffffffffffff\r\nHello world\r\n0\r\n\r\n",
        "fffffffffffffffffffffffff\r\nHello world\r\n0\r\n\r\n",
        "zz\r\n\r\n",
    ] {
        let response =
            support::raw_request(&staging, "PUT", "/bucket/chunked.txt", &headers, body).await;
        assert_xml_error(&response, 400, "IncompleteBody");
    }
    assert_still_serving(&staging).await;
}

/// A Content-Length beyond what local staging reads is answered at once, without waiting
/// for a body that will never come.
#[tokio::test]
async fn a_huge_content_length_is_refused_without_waiting_for_the_body() {
    let staging = staging().await;
    let address = staging.endpoint().trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let head = format!(
        "PUT /bucket/huge HTTP/1.1\r\nhost: {address}\r\ncontent-length: 999999999999\r\n\r\nsome bytes"
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    // The write side stays open: the server must not wait for the rest.
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let answered = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let read = stream.read(&mut buffer).await.expect("read");
            received.extend_from_slice(&buffer[..read]);
            if read == 0 || received.windows(8).any(|w| w == b"</Error>") {
                break;
            }
        }
    })
    .await;
    assert!(answered.is_ok(), "local staging waited for a 1 TB body");
    let text = String::from_utf8_lossy(&received);
    let status: u16 = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    assert!((400..500).contains(&status), "{text}");
    assert!(text.contains("<Code>"), "{text}");
    drop(stream);
    assert_still_serving(&staging).await;
}

/// HTTP that is not HTTP, and a body cut short by the client closing its side, concern only
/// that client.
#[tokio::test]
async fn garbage_and_cut_connections_leave_the_server_serving() {
    let staging = staging().await;
    let address = staging.endpoint().trim_start_matches("http://").to_string();
    for garbage in [
        &b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST / HTTP/1.1\r\ncontent-length: 10\r\n\r\nabc",
    ] {
        let mut stream = tokio::net::TcpStream::connect(&address)
            .await
            .expect("connect");
        stream.write_all(garbage).await.expect("write");
        stream.shutdown().await.expect("half-close");
        let mut received = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received)).await;
        assert!(read.is_ok(), "the server held a broken connection open");
        let text = String::from_utf8_lossy(&received);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 4"),
            "a broken request got {text:?}"
        );
    }
    assert_still_serving(&staging).await;
}
