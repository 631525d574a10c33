//! The front door as each protocol's SDK sees it: signature, key and token errors in the
//! shape S3 (REST-XML), DynamoDB (JSON) and STS (query) document, request ids, and a
//! request signed by an independent SigV4 signer.

use crate::support::{self, TestOidcProvider, credentials, http_status, sdk_config};
use aws_credential_types::Credentials;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use std::time::SystemTime;
use xtenant::sim::LocalStaging;

const USER_KEY: &str = "AKIAFRONTDOOREXAMPLE";
const USER_SECRET: &str = "front/door/secret/EXAMPLEKEY000000000000";
const WRONG_SECRET: &str = "not/the/secret/EXAMPLEKEY000000000000000";
const UNKNOWN_KEY: &str = "AKIAUNKNOWNEXAMPLE00";

const ISSUER: &str = "https://door-idp.example.test";
const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/Door";

async fn staging() -> LocalStaging {
    let provider = TestOidcProvider::new(ISSUER);
    support::start(&format!(
        r#"account_id: "111122223333"
region: us-east-1
iam:
  roles:
    - RoleName: Door
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Federated: "{federated}"}}
            Action: sts:AssumeRoleWithWebIdentity
  users:
    - UserName: door
      AccessKeys:
        - AccessKeyId: {USER_KEY}
          SecretAccessKey: {USER_SECRET}
oidc_providers:
{entry}"#,
        federated = provider.federated_principal("111122223333"),
        entry = provider.world_entry(&[]),
    ))
    .await
}

/// Session credentials for the `Door` role, and the clock shift after which they have
/// expired (local staging's clock is moved by it; clients must sign with the same shift).
async fn expired_session(staging: &LocalStaging) -> (Credentials, i64) {
    let provider = TestOidcProvider::new(ISSUER);
    let assumed = aws_sdk_sts::Client::new(&sdk_config(staging, None).await)
        .assume_role_with_web_identity()
        .role_arn(ROLE_ARN)
        .role_session_name("door")
        .web_identity_token(provider.token("door-sub", "any-client"))
        .duration_seconds(900)
        .send()
        .await
        .expect("the trust policy allows the provider");
    let issued = assumed.credentials().expect("credentials");
    let shift = 1000;
    staging.core().shift_clock(shift);
    (
        credentials(
            issued.access_key_id(),
            issued.secret_access_key(),
            Some(issued.session_token()),
        ),
        shift,
    )
}

/// An expired session is `ExpiredToken` (400) for S3 and `ExpiredTokenException` (400) for
/// JSON services, never a denial.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>.
#[tokio::test]
async fn an_expired_session_is_reported_as_expired_by_s3_and_dynamodb() {
    let staging = staging().await;
    let (session, shift) = expired_session(&staging).await;
    let config = support::sdk_config_shifted(&staging, Some(session), shift).await;
    let error = support::s3_client(&config)
        .get_object()
        .bucket("bucket")
        .key("k")
        .send()
        .await
        .expect_err("the session ended");
    assert_eq!(error.code(), Some("ExpiredToken"));
    assert_eq!(http_status(&error), Some(400));

    let error = aws_sdk_dynamodb::Client::new(&config)
        .list_tables()
        .send()
        .await
        .expect_err("the session ended");
    assert_eq!(error.code(), Some("ExpiredTokenException"));
    assert_eq!(http_status(&error), Some(400));
}

async fn dynamodb(staging: &LocalStaging, key: &str, secret: &str) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(&sdk_config(staging, Some(credentials(key, secret, None))).await)
}

async fn s3(staging: &LocalStaging, key: &str, secret: &str) -> aws_sdk_s3::Client {
    support::s3_client(&sdk_config(staging, Some(credentials(key, secret, None))).await)
}

/// JSON services answer a bad signature with 400 InvalidSignatureException.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html>.
#[tokio::test]
async fn dynamodb_reports_a_bad_signature_as_invalid_signature_exception() {
    let staging = staging().await;
    let error = dynamodb(&staging, USER_KEY, WRONG_SECRET)
        .await
        .list_tables()
        .send()
        .await
        .expect_err("the signature cannot match");
    assert_eq!(error.code(), Some("InvalidSignatureException"));
    assert_eq!(http_status(&error), Some(400));
}

/// JSON services answer an unknown key with 400 UnrecognizedClientException.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html>.
#[tokio::test]
async fn dynamodb_reports_an_unknown_key_as_unrecognized_client() {
    let staging = staging().await;
    let error = dynamodb(&staging, UNKNOWN_KEY, USER_SECRET)
        .await
        .list_tables()
        .send()
        .await
        .expect_err("nobody owns that key");
    assert_eq!(error.code(), Some("UnrecognizedClientException"));
    assert_eq!(http_status(&error), Some(400));
}

/// S3 answers a bad signature with 403 SignatureDoesNotMatch and an unknown key with
/// 403 InvalidAccessKeyId.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>.
#[tokio::test]
async fn s3_reports_signature_and_key_errors_in_its_xml_shape() {
    let staging = staging().await;
    let error = s3(&staging, USER_KEY, WRONG_SECRET)
        .await
        .get_object()
        .bucket("bucket")
        .key("a/b.txt")
        .send()
        .await
        .expect_err("the signature cannot match");
    assert_eq!(error.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(http_status(&error), Some(403));

    let error = s3(&staging, UNKNOWN_KEY, USER_SECRET)
        .await
        .get_object()
        .bucket("bucket")
        .key("a/b.txt")
        .send()
        .await
        .expect_err("nobody owns that key");
    assert_eq!(error.code(), Some("InvalidAccessKeyId"));
    assert_eq!(http_status(&error), Some(403));
}

/// S3 refuses a request signed outside the 15-minute window with 403 RequestTimeTooSkewed.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>.
#[tokio::test]
async fn s3_reports_clock_skew_as_request_time_too_skewed() {
    let staging = staging().await;
    let config = support::sdk_config_shifted(
        &staging,
        Some(credentials(USER_KEY, USER_SECRET, None)),
        30 * 60,
    )
    .await;
    let error = support::s3_client(&config)
        .get_object()
        .bucket("bucket")
        .key("k")
        .send()
        .await
        .expect_err("signed thirty minutes in the future");
    assert_eq!(error.code(), Some("RequestTimeTooSkewed"));
    assert_eq!(http_status(&error), Some(403));
}

/// Unsigned DynamoDB calls never reach the service.
#[tokio::test]
async fn unsigned_dynamodb_calls_are_refused_with_a_request_id() {
    let staging = staging().await;
    let response = support::raw_request(
        &staging,
        "POST",
        "/",
        &[
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "DynamoDB_20120810.ListTables"),
        ],
        "{}",
    )
    .await;
    assert_eq!(response.status, 400);
    assert!(
        response
            .body
            .contains("MissingAuthenticationTokenException")
    );
    assert!(response.header("x-amzn-requestid").is_some());
}

/// Every S3 response carries `x-amz-request-id` and `x-amz-id-2`.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/RESTCommonResponseHeaders.html>.
#[tokio::test]
async fn s3_responses_carry_both_request_id_headers() {
    let staging = staging().await;
    let response = support::raw_request(&staging, "GET", "/bucket/key", &[], "").await;
    assert!(response.header("x-amz-request-id").is_some());
    assert!(response.header("x-amz-id-2").is_some());
}

/// A request signed by the `aws-sigv4` crate (an implementation independent of local
/// staging's verifier) is accepted; the same request with its body altered after signing
/// is refused.
#[tokio::test]
async fn an_independently_signed_request_verifies_and_a_tampered_one_does_not() {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    use aws_sigv4::sign::v4;

    let staging = staging().await;
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let url = format!("{}/", staging.endpoint());
    let host = staging.endpoint().trim_start_matches("http://").to_string();
    let identity = credentials(USER_KEY, USER_SECRET, None).into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("sts")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let unsigned_headers = [
        ("host", host.as_str()),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let signable = SignableRequest::new(
        "POST",
        &url,
        unsigned_headers.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable request");
    let (instructions, _) = sign(signable, &params).expect("signing").into_parts();
    let signed_headers: Vec<(String, String)> = instructions
        .headers()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let mut headers: Vec<(&str, &str)> =
        vec![("content-type", "application/x-www-form-urlencoded")];
    headers.extend(signed_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));

    let accepted = support::raw_request(&staging, "POST", "/", &headers, body).await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert!(
        accepted
            .body
            .contains("arn:aws:iam::111122223333:user/door")
    );

    let tampered_body = "Action=GetCallerIdentity&Version=2011-06-16";
    let refused = support::raw_request(&staging, "POST", "/", &headers, tampered_body).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("<Code>SignatureDoesNotMatch</Code>"));
}

/// A credential scoped to another region is refused, never served.
#[tokio::test]
async fn a_credential_scoped_to_another_region_is_refused() {
    let staging = staging().await;
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("eu-west-1"))
        .endpoint_url(staging.endpoint())
        .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
        .credentials_provider(credentials(USER_KEY, USER_SECRET, None))
        .load()
        .await;
    let error = aws_sdk_dynamodb::Client::new(&config)
        .list_tables()
        .send()
        .await
        .expect_err("local staging is in us-east-1");
    assert_eq!(error.code(), Some("InvalidSignatureException"));
}

/// Codes only the front door produces for an upload's framing or signature.
const DOOR_UPLOAD_ERRORS: [&str; 5] = [
    "SignatureDoesNotMatch",
    "BadDigest",
    "IncompleteBody",
    "XAmzContentSHA256Mismatch",
    "AuthorizationHeaderMalformed",
];

/// Fails when the door, rather than S3, answered an upload.
fn assert_passed_the_door<T>(
    result: Result<
        T,
        aws_sdk_s3::error::SdkError<aws_sdk_s3::operation::put_object::PutObjectError>,
    >,
) {
    if let Err(error) = result {
        let code = error.code().unwrap_or_default();
        let message = error.message().unwrap_or_default();
        assert!(
            !DOOR_UPLOAD_ERRORS.contains(&code) && !message.contains("payload signing"),
            "the door refused the SDK's upload: {code}: {message}"
        );
    }
}

/// An in-memory upload is signed with its SHA-256 in `x-amz-content-sha256`.
#[tokio::test]
async fn an_sdk_upload_with_a_payload_hash_passes_the_door() {
    let staging = staging().await;
    let result = s3(&staging, USER_KEY, USER_SECRET)
        .await
        .put_object()
        .bucket("bucket")
        .key("tenant-a/doc.txt")
        .body(aws_sdk_s3::primitives::ByteStream::from_static(
            b"hello from the upload test",
        ))
        .send()
        .await;
    assert_passed_the_door(result);
}

/// A streamed upload over plain HTTP is sent as aws-chunked with signed chunks and a
/// signed checksum trailer (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`); the door checks
/// the chain and the checksum and hands the decoded body on.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html>.
#[tokio::test]
async fn an_sdk_streamed_upload_with_signed_chunks_passes_the_door() {
    let staging = staging().await;
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), b"hello from a streamed upload").expect("write");
    let body = aws_sdk_s3::primitives::ByteStream::from_path(file.path())
        .await
        .expect("file stream");
    let result = s3(&staging, USER_KEY, USER_SECRET)
        .await
        .put_object()
        .bucket("bucket")
        .key("tenant-a/streamed.txt")
        .body(body)
        .send()
        .await;
    assert_passed_the_door(result);
}

/// Headers and seed signature of an S3 request signed by the `aws-sigv4` crate with a
/// precomputed payload mode.
fn sign_upload(
    staging: &LocalStaging,
    at: SystemTime,
    path: &str,
    payload_mode: &str,
    framing: &[(&str, &str)],
) -> (Vec<(String, String)>, String) {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    use aws_sigv4::sign::v4;

    let url = format!("{}{path}", staging.endpoint());
    let host = staging.endpoint().trim_start_matches("http://").to_string();
    let identity = credentials(USER_KEY, USER_SECRET, None).into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("s3")
        .time(at)
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let mut to_sign = vec![
        ("host", host.as_str()),
        ("x-amz-content-sha256", payload_mode),
    ];
    to_sign.extend_from_slice(framing);
    let signable = SignableRequest::new(
        "PUT",
        &url,
        to_sign.iter().copied(),
        SignableBody::Precomputed(payload_mode.to_string()),
    )
    .expect("signable request");
    let (instructions, signature) = sign(signable, &params).expect("signing").into_parts();
    let mut headers: Vec<(String, String)> = to_sign[1..]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    headers.extend(
        instructions
            .headers()
            .map(|(n, v)| (n.to_string(), v.to_string())),
    );
    (headers, signature.to_string())
}

/// Signs one chunk of a streaming upload over the previous signature, with the `aws-sigv4`
/// crate's chunk signer.
fn sign_chunk(at: SystemTime, data: &'static [u8], previous: &str) -> String {
    use aws_sigv4::sign::v4;
    let identity = credentials(USER_KEY, USER_SECRET, None).into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("s3")
        .time(at)
        .settings(())
        .build()
        .expect("signing params");
    v4::sign_chunk(&bytes::Bytes::from_static(data), previous, &params)
        .expect("chunk signing")
        .signature()
        .to_string()
}

/// Each chunk of a signed streaming upload carries a signature chained from the request's;
/// altering a chunk's data breaks the chain.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html>.
#[tokio::test]
async fn a_signed_chunk_with_altered_data_does_not_match() {
    let staging = staging().await;
    // One signing time for the request and its chunks: they share the scope and date.
    let at = SystemTime::now();
    let (headers, seed) = sign_upload(
        &staging,
        at,
        "/bucket/chunked.txt",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        &[
            ("content-encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "11"),
        ],
    );
    let first = sign_chunk(at, b"Hello world", &seed);
    let last = sign_chunk(at, b"", &first);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();

    let intact =
        format!("b;chunk-signature={first}\r\nHello world\r\n0;chunk-signature={last}\r\n\r\n");
    let response =
        support::raw_request(&staging, "PUT", "/bucket/chunked.txt", &headers, &intact).await;
    assert!(
        !DOOR_UPLOAD_ERRORS
            .iter()
            .any(|code| response.body.contains(&format!("<Code>{code}</Code>"))),
        "the door refused an intact chain: {}",
        response.body
    );

    let altered = intact.replace("Hello world", "Hello World");
    let response =
        support::raw_request(&staging, "PUT", "/bucket/chunked.txt", &headers, &altered).await;
    assert_eq!(response.status, 403, "{}", response.body);
    assert!(response.body.contains("<Code>SignatureDoesNotMatch</Code>"));
}

/// A trailer checksum that does not match the payload is S3's 400 BadDigest.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>.
#[tokio::test]
async fn an_upload_whose_trailer_checksum_is_wrong_is_bad_digest() {
    let staging = staging().await;
    // "Hello world" framed as aws-chunked, with the CRC32 of "Hello World" in the trailer.
    let body = "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:ShexVg==\r\n\r\n";
    let (headers, _) = sign_upload(
        &staging,
        SystemTime::now(),
        "/bucket/key.txt",
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        &[
            ("content-encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "11"),
            ("x-amz-trailer", "x-amz-checksum-crc32"),
        ],
    );
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let response = support::raw_request(&staging, "PUT", "/bucket/key.txt", &headers, body).await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(
        response.body.contains("<Code>BadDigest</Code>"),
        "{}",
        response.body
    );
}

/// A presigned URL signs the query instead of headers; it works until `X-Amz-Expires`
/// runs out and breaks when any signed part changes.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>.
#[tokio::test]
async fn presigned_urls_verify_expire_and_refuse_tampering() {
    use aws_sdk_s3::presigning::PresigningConfig;
    let staging = staging().await;
    let presigned = s3(&staging, USER_KEY, USER_SECRET)
        .await
        .get_object()
        .bucket("bucket")
        .key("tenant-a/doc.txt")
        .presigned(
            PresigningConfig::expires_in(std::time::Duration::from_secs(300))
                .expect("presigning config"),
        )
        .await
        .expect("presigned request");
    let uri: http::Uri = presigned.uri().parse().expect("presigned uri");
    let path_and_query = uri
        .path_and_query()
        .expect("path and query")
        .as_str()
        .to_string();
    assert!(path_and_query.contains("X-Amz-Signature="));

    let intact = support::raw_request(&staging, "GET", &path_and_query, &[], "").await;
    assert!(
        !DOOR_UPLOAD_ERRORS
            .iter()
            .chain(["AccessDenied", "InvalidAccessKeyId"].iter())
            .any(|code| intact.body.contains(&format!("<Code>{code}</Code>"))),
        "the door refused an intact presigned URL: {}",
        intact.body
    );

    let tampered_path = path_and_query.replace("tenant-a/doc.txt", "tenant-b/doc.txt");
    let tampered = support::raw_request(&staging, "GET", &tampered_path, &[], "").await;
    assert_eq!(tampered.status, 403, "{}", tampered.body);
    assert!(tampered.body.contains("<Code>SignatureDoesNotMatch</Code>"));

    staging.core().shift_clock(301);
    let expired = support::raw_request(&staging, "GET", &path_and_query, &[], "").await;
    assert_eq!(expired.status, 403, "{}", expired.body);
    assert!(expired.body.contains("<Code>AccessDenied</Code>"));
    assert!(expired.body.contains("Request has expired"));
}

/// Local staging listens on loopback only and stops listening when shut down.
#[tokio::test]
async fn local_staging_binds_loopback_and_stops_on_shutdown() {
    let mut staging = staging().await;
    assert!(staging.endpoint().starts_with("http://127.0.0.1:"));
    let address = staging.endpoint().trim_start_matches("http://").to_string();
    assert!(tokio::net::TcpStream::connect(&address).await.is_ok());
    staging.shutdown();
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(&address).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        refused,
        "local staging still accepts connections after shutdown"
    );
}
