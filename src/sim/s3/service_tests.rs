//! The S3 service driven with hand-built requests and a test core.

use http::{Method, StatusCode};
use std::sync::Arc;

use super::S3Service;
use super::test_core::{
    ACCOUNT, TestCore, allow, explicit_deny, implicit_deny, request, role_session,
};
use crate::sim::iam::PolicyKind;
use crate::sim::principal::Principal;
use crate::sim::request::SimResponse;
use crate::sim::world::World;

const WORLD: &str = r#"
account_id: "123456789012"
region: us-east-1
s3:
  buckets:
    - Bucket: tenant-data
      Policy:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:DeleteObject
            Resource: arn:aws:s3:::tenant-data/locked/*
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: arn:aws:s3:::tenant-data/public/*
      Objects:
        - Key: acme/report.txt
          Body: acme quarterly
          ContentType: text/plain
          Metadata: {tenant: acme}
        - Key: globex/report.txt
          Body: globex quarterly
        - Key: public/notice.txt
          Body: hello world
    - Bucket: open-bucket
"#;

fn service(core: &TestCore) -> S3Service {
    let world: World = serde_yaml::from_str(WORLD).unwrap();
    S3Service::from_world(&world, core).unwrap()
}

fn caller() -> Option<Arc<Principal>> {
    Some(role_session("TenantAcme"))
}

fn body(response: &SimResponse) -> String {
    String::from_utf8(response.body.to_vec()).unwrap()
}

fn header<'a>(response: &'a SimResponse, name: &str) -> Option<&'a str> {
    response.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The `<Code>` of an S3 error body.
fn error_code(response: &SimResponse) -> String {
    let text = body(response);
    let start = text.find("<Code>").expect("an error body") + "<Code>".len();
    let end = text.find("</Code>").unwrap();
    text[start..end].to_string()
}

fn get(s3: &S3Service, core: &TestCore, path: &str, headers: &[(&str, &str)]) -> SimResponse {
    s3.handle(
        core,
        &request(Method::GET, path, &[], headers, "", caller()),
    )
}

fn put(
    s3: &S3Service,
    core: &TestCore,
    path: &str,
    headers: &[(&str, &str)],
    data: &'static str,
) -> SimResponse {
    s3.handle(
        core,
        &request(
            Method::PUT,
            path,
            &[("x-id", "PutObject")],
            headers,
            data,
            caller(),
        ),
    )
}

#[test]
fn get_object_returns_body_and_object_headers() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let response = get(&s3, &core, "/tenant-data/acme/report.txt", &[]);
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(body(&response), "acme quarterly");
    assert_eq!(header(&response, "content-type"), Some("text/plain"));
    assert_eq!(header(&response, "content-length"), Some("14"));
    assert_eq!(header(&response, "x-amz-meta-tenant"), Some("acme"));
    assert_eq!(
        header(&response, "etag"),
        Some(super::bucket::etag_of(b"acme quarterly").as_str())
    );
    assert_eq!(
        header(&response, "last-modified"),
        Some("Tue, 14 Nov 2023 22:13:20 GMT")
    );
    let asked = core.asked();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].action, "s3:GetObject");
    assert_eq!(
        asked[0].resource,
        "arn:aws:s3:::tenant-data/acme/report.txt"
    );
    assert!(asked[0].had_resource_policy, "the bucket policy takes part");
}

#[test]
fn percent_encoded_keys_are_decoded() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    assert_eq!(
        put(&s3, &core, "/tenant-data/a%20b/c%2Bd", &[], "x").status,
        StatusCode::OK
    );
    let response = get(&s3, &core, "/tenant-data/a%20b/c%2Bd", &[]);
    assert_eq!(body(&response), "x");
    assert_eq!(core.asked()[1].resource, "arn:aws:s3:::tenant-data/a b/c+d");
}

#[test]
fn implicit_denial_names_caller_action_resource_and_missing_identity_allow() {
    let core = TestCore::new(|_| implicit_deny());
    let s3 = service(&core);
    let response = get(&s3, &core, "/tenant-data/globex/report.txt", &[]);
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&response), "AccessDenied");
    let text = body(&response);
    assert!(text.contains(&format!(
        "<Message>User: arn:aws:sts::{ACCOUNT}:assumed-role/TenantAcme/test is not authorized to perform: s3:GetObject on resource: &quot;arn:aws:s3:::tenant-data/globex/report.txt&quot; because no identity-based policy allows the s3:GetObject action</Message>"
    )), "{text}");
    assert!(text.contains("<RequestId>REQ123</RequestId>"));
    assert!(text.contains("<HostId>"));
    assert!(
        !text.contains("globex quarterly"),
        "a denial reveals nothing"
    );
}

#[test]
fn explicit_denial_in_a_bucket_policy_says_so() {
    let core = TestCore::new(|_| explicit_deny(PolicyKind::Resource));
    let s3 = service(&core);
    let response = get(&s3, &core, "/tenant-data/acme/report.txt", &[]);
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(body(&response).contains("with an explicit deny in a resource-based policy"));
}

#[test]
fn other_accounts_and_unsigned_callers_get_plain_access_denied() {
    let core = TestCore::new(|_| implicit_deny());
    let s3 = service(&core);
    let mut outsider = (*role_session("Other")).clone();
    outsider.account = "999999999999".into();
    for caller in [Some(Arc::new(outsider)), None] {
        let response = s3.handle(
            &core,
            &request(
                Method::GET,
                "/tenant-data/acme/report.txt",
                &[],
                &[],
                "",
                caller,
            ),
        );
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        assert!(body(&response).contains("<Message>Access Denied</Message>"));
    }
}

#[test]
fn anonymous_callers_get_only_what_the_bucket_policy_grants_everyone() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let anonymous = |path: &str| s3.handle(&core, &request(Method::GET, path, &[], &[], "", None));
    let public = anonymous("/tenant-data/public/notice.txt");
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(body(&public), "hello world");
    let private = anonymous("/tenant-data/acme/report.txt");
    assert_eq!(private.status, StatusCode::FORBIDDEN);
    assert!(body(&private).contains("<Message>Access Denied</Message>"));
    assert!(
        core.asked().is_empty(),
        "anonymous requests never reach the core"
    );
}

#[test]
fn missing_key_is_404_only_for_callers_who_may_list_the_bucket() {
    let lister = TestCore::allow_all();
    let s3 = service(&lister);
    let response = get(&s3, &lister, "/tenant-data/acme/nope.txt", &[]);
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&response), "NoSuchKey");
    assert!(body(&response).contains("<Key>acme/nope.txt</Key>"));
    assert_eq!(lister.asked()[1].action, "s3:ListBucket");
    assert_eq!(lister.asked()[1].resource, "arn:aws:s3:::tenant-data");

    let reader_only = TestCore::new(|r| {
        if r.action == "s3:GetObject" {
            allow()
        } else {
            implicit_deny()
        }
    });
    let response = get(&s3, &reader_only, "/tenant-data/acme/nope.txt", &[]);
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&response), "AccessDenied");
}

#[test]
fn a_denied_read_of_a_missing_key_is_403_and_asks_nothing_else() {
    let core = TestCore::new(|_| implicit_deny());
    let s3 = service(&core);
    let response = get(&s3, &core, "/tenant-data/acme/nope.txt", &[]);
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(core.asked().len(), 1);
}

#[test]
fn head_errors_have_no_body_and_head_success_has_length_without_body() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let ok = s3.handle(
        &core,
        &request(
            Method::HEAD,
            "/tenant-data/acme/report.txt",
            &[],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.is_empty());
    assert_eq!(header(&ok, "content-length"), Some("14"));
    let missing = s3.handle(
        &core,
        &request(Method::HEAD, "/tenant-data/none", &[], &[], "", caller()),
    );
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.is_empty());
    let denied_core = TestCore::new(|_| implicit_deny());
    let denied = s3.handle(
        &denied_core,
        &request(
            Method::HEAD,
            "/tenant-data/acme/report.txt",
            &[],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(denied.body.is_empty());
}

#[test]
fn unknown_bucket_is_no_such_bucket() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let response = get(&s3, &core, "/no-such-bucket/k", &[]);
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&response), "NoSuchBucket");
    assert!(body(&response).contains("<BucketName>no-such-bucket</BucketName>"));
}

#[test]
fn put_then_get_round_trips_body_type_and_metadata() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let response = put(
        &s3,
        &core,
        "/open-bucket/new.bin",
        &[
            ("x-amz-meta-owner", "acme"),
            ("x-amz-checksum-crc32", "NhCmhg=="),
            ("content-disposition", "attachment"),
        ],
        "hello",
    );
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        header(&response, "etag"),
        Some("\"5d41402abc4b2a76b9719d911017c592\"")
    );
    assert_eq!(header(&response, "x-amz-checksum-crc32"), Some("NhCmhg=="));
    let read = get(
        &s3,
        &core,
        "/open-bucket/new.bin",
        &[("x-amz-checksum-mode", "ENABLED")],
    );
    assert_eq!(body(&read), "hello");
    assert_eq!(header(&read, "content-type"), Some("binary/octet-stream"));
    assert_eq!(header(&read, "x-amz-meta-owner"), Some("acme"));
    assert_eq!(header(&read, "content-disposition"), Some("attachment"));
    assert_eq!(header(&read, "x-amz-checksum-crc32"), Some("NhCmhg=="));
    let plain = get(&s3, &core, "/open-bucket/new.bin", &[]);
    assert_eq!(header(&plain, "x-amz-checksum-crc32"), None);
}

#[test]
fn put_is_authorized_with_the_conditional_headers_as_condition_keys() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    put(&s3, &core, "/open-bucket/k", &[("if-none-match", "*")], "x");
    let asked = core.asked();
    assert_eq!(asked[0].action, "s3:PutObject");
    assert_eq!(asked[0].resource, "arn:aws:s3:::open-bucket/k");
    assert_eq!(
        asked[0].context.get("s3:if-none-match"),
        Some(&["*".to_string()][..])
    );
}

#[test]
fn if_none_match_star_fails_with_412_when_the_key_exists() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let response = put(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("if-none-match", "*")],
        "overwrite",
    );
    assert_eq!(response.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(error_code(&response), "PreconditionFailed");
    assert!(body(&response).contains("<Condition>If-None-Match</Condition>"));
    assert_eq!(
        body(&get(&s3, &core, "/tenant-data/acme/report.txt", &[])),
        "acme quarterly"
    );
    let created = put(
        &s3,
        &core,
        "/tenant-data/acme/new.txt",
        &[("if-none-match", "*")],
        "fresh",
    );
    assert_eq!(created.status, StatusCode::OK);
}

#[test]
fn a_denied_conditional_write_is_403_not_412() {
    let core = TestCore::new(|_| implicit_deny());
    let s3 = service(&core);
    let response = put(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("if-none-match", "*")],
        "x",
    );
    assert_eq!(response.status, StatusCode::FORBIDDEN);
}

#[test]
fn if_match_on_put_compares_etags_and_needs_the_key() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let wrong = put(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("if-match", "\"0000\"")],
        "x",
    );
    assert_eq!(wrong.status, StatusCode::PRECONDITION_FAILED);
    assert!(body(&wrong).contains("<Condition>If-Match</Condition>"));
    let absent = put(
        &s3,
        &core,
        "/tenant-data/acme/absent.txt",
        &[("if-match", "\"0000\"")],
        "x",
    );
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&absent), "NoSuchKey");
    let etag = super::bucket::etag_of(b"acme quarterly");
    let right = put(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("if-match", &etag)],
        "v2",
    );
    assert_eq!(right.status, StatusCode::OK);
}

#[test]
fn content_md5_mismatch_is_bad_digest() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    // A well-formed 16-byte digest that is not the MD5 of the body.
    let response = put(
        &s3,
        &core,
        "/open-bucket/k",
        &[("content-md5", "eV0+MVJq1o6k7jC6WmVuCQ==")],
        "hello",
    );
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&response), "BadDigest");
    // base64 of MD5("hello").
    let ok = put(
        &s3,
        &core,
        "/open-bucket/k",
        &[("content-md5", "XUFAKrxLKna5cZ2REBfFkg==")],
        "hello",
    );
    assert_eq!(ok.status, StatusCode::OK);
}

#[test]
fn put_checks_every_checksum_header_against_the_body() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let put = |headers: &[(&str, &str)]| {
        s3.handle(
            &core,
            &request(
                Method::PUT,
                "/open-bucket/sum",
                &[],
                headers,
                "hello",
                caller(),
            ),
        )
    };
    // CRC32 of "hello" is 0x3610a686.
    let right = put(&[("x-amz-checksum-crc32", "NhCmhg==")]);
    assert_eq!(right.status, StatusCode::OK);
    let wrong = put(&[("x-amz-checksum-crc32", "AAAAAA==")]);
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&wrong), "BadDigest");
    let not_a_digest = put(&[("x-amz-checksum-sha1", "c2hvcnQ=")]);
    assert_eq!(not_a_digest.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&not_a_digest), "InvalidRequest");
    // One right header does not excuse a wrong one.
    let mixed = put(&[
        ("x-amz-checksum-crc32", "NhCmhg=="),
        ("x-amz-checksum-crc32c", "AAAAAA=="),
    ]);
    assert_eq!(error_code(&mixed), "BadDigest");
}

#[test]
fn delete_answers_204_even_when_absent_and_honours_if_match() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let delete = |path: &str, headers: &[(&str, &str)]| {
        s3.handle(
            &core,
            &request(Method::DELETE, path, &[], headers, "", caller()),
        )
    };
    assert_eq!(
        delete("/tenant-data/never-existed", &[]).status,
        StatusCode::NO_CONTENT
    );
    let mismatch = delete("/tenant-data/acme/report.txt", &[("if-match", "\"0000\"")]);
    assert_eq!(mismatch.status, StatusCode::PRECONDITION_FAILED);
    let absent = delete("/tenant-data/never-existed", &[("if-match", "*")]);
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&absent), "NoSuchKey");
    assert_eq!(
        delete("/tenant-data/acme/report.txt", &[]).status,
        StatusCode::NO_CONTENT
    );
    let after = get(&s3, &core, "/tenant-data/acme/report.txt", &[]);
    assert_eq!(after.status, StatusCode::NOT_FOUND);
}

#[test]
fn delete_with_an_etag_also_needs_get_object() {
    let core = TestCore::new(|r| {
        if r.action == "s3:DeleteObject" {
            allow()
        } else {
            implicit_deny()
        }
    });
    let s3 = service(&core);
    let etag = super::bucket::etag_of(b"acme quarterly");
    let response = s3.handle(
        &core,
        &request(
            Method::DELETE,
            "/tenant-data/acme/report.txt",
            &[],
            &[("if-match", &etag)],
            "",
            caller(),
        ),
    );
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(body(&response).contains("s3:GetObject"));
    let asked = core.asked();
    assert_eq!(asked[0].context.get("s3:if-match"), Some(&[etag][..]));
}

#[test]
fn a_denied_delete_is_403_and_removes_nothing() {
    let core = TestCore::new(|r| {
        if r.action == "s3:DeleteObject" {
            explicit_deny(PolicyKind::Resource)
        } else {
            allow()
        }
    });
    let s3 = service(&core);
    let response = s3.handle(
        &core,
        &request(
            Method::DELETE,
            "/tenant-data/acme/report.txt",
            &[],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&s3, &core, "/tenant-data/acme/report.txt", &[]).status,
        StatusCode::OK
    );
}

#[test]
fn list_objects_v2_is_list_bucket_with_prefix_delimiter_and_max_keys_keys() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let response = s3.handle(
        &core,
        &request(
            Method::GET,
            "/tenant-data",
            &[
                ("list-type", "2"),
                ("prefix", "acme/"),
                ("delimiter", "/"),
                ("max-keys", "10"),
            ],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(response.status, StatusCode::OK);
    let text = body(&response);
    assert!(text.contains("<Key>acme/report.txt</Key>"), "{text}");
    assert!(!text.contains("globex"));
    assert!(text.contains("<KeyCount>1</KeyCount>"));
    assert!(text.contains("<MaxKeys>10</MaxKeys>"));
    let asked = core.asked();
    assert_eq!(asked[0].action, "s3:ListBucket");
    assert_eq!(asked[0].resource, "arn:aws:s3:::tenant-data");
    assert_eq!(
        asked[0].context.get("s3:prefix"),
        Some(&["acme/".to_string()][..])
    );
    assert_eq!(
        asked[0].context.get("s3:delimiter"),
        Some(&["/".to_string()][..])
    );
    assert_eq!(
        asked[0].context.get("s3:max-keys"),
        Some(&["10".to_string()][..])
    );
}

#[test]
fn list_without_prefix_carries_no_prefix_key_and_denial_names_list_bucket() {
    let core = TestCore::new(|_| implicit_deny());
    let s3 = service(&core);
    let response = s3.handle(
        &core,
        &request(
            Method::GET,
            "/tenant-data/",
            &[("list-type", "2")],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(
        body(&response)
            .contains("because no identity-based policy allows the s3:ListBucket action")
    );
    assert_eq!(core.asked()[0].context.get("s3:prefix"), None);
}

#[test]
fn a_byte_range_answers_206_with_content_range_and_past_the_end_416() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let first = get(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("range", "bytes=0-0")],
    );
    assert_eq!(first.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body(&first), "a");
    assert_eq!(header(&first, "content-range"), Some("bytes 0-0/14"));
    assert_eq!(header(&first, "content-length"), Some("1"));
    let past = get(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("range", "bytes=14-")],
    );
    assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(error_code(&past), "InvalidRange");
}

#[test]
fn conditional_get_answers_304_and_412() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let etag = super::bucket::etag_of(b"acme quarterly");
    let not_modified = get(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("if-none-match", &etag)],
    );
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert!(not_modified.body.is_empty());
    let failed = get(
        &s3,
        &core,
        "/tenant-data/acme/report.txt",
        &[("if-match", "\"abc\"")],
    );
    assert_eq!(failed.status, StatusCode::PRECONDITION_FAILED);
}

#[test]
fn unsupported_operations_are_not_implemented_never_success() {
    let core = TestCore::allow_all();
    let s3 = service(&core);
    let acl = s3.handle(
        &core,
        &request(
            Method::GET,
            "/tenant-data/acme/report.txt",
            &[("acl", "")],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(acl.status, StatusCode::NOT_IMPLEMENTED);
    let buckets = s3.handle(&core, &request(Method::GET, "/", &[], &[], "", caller()));
    assert_eq!(buckets.status, StatusCode::NOT_IMPLEMENTED);
}

#[test]
fn debug_output_of_the_service_never_shows_object_bodies() {
    let core = TestCore::allow_all();
    let debug = format!("{:?}", service(&core));
    assert!(debug.contains("acme/report.txt"));
    assert!(!debug.contains("acme quarterly"));
}

#[test]
fn world_errors_name_the_key_path() {
    let core = TestCore::allow_all();
    let world: World = serde_yaml::from_str(
        "account_id: '123456789012'\nregion: us-east-1\ns3: {buckets: [{Bucket: ok-bucket}, {Bucket: BAD}]}",
    )
    .unwrap();
    let error = S3Service::from_world(&world, &core).unwrap_err();
    assert_eq!(error.path, "s3.buckets[1].Bucket");
    let world: World = serde_yaml::from_str(
        "account_id: '123456789012'\nregion: us-east-1\ns3: {buckets: [{Bucket: ok-bucket, Policy: [1]}]}",
    )
    .unwrap();
    let error = S3Service::from_world(&world, &core).unwrap_err();
    assert_eq!(error.path, "s3.buckets[0].Policy");
}

#[test]
fn racing_create_only_writes_have_exactly_one_winner() {
    let core = Arc::new(TestCore::allow_all());
    let s3 = Arc::new(service(&core));
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let (core, s3) = (core.clone(), s3.clone());
            std::thread::spawn(move || {
                let response = s3.handle(
                    core.as_ref(),
                    &request(
                        Method::PUT,
                        "/open-bucket/canary",
                        &[],
                        &[("if-none-match", "*")],
                        format!("writer {i}"),
                        Some(role_session("Writer")),
                    ),
                );
                response.status
            })
        })
        .collect();
    let statuses: Vec<StatusCode> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1);
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
            .count(),
        15
    );
}

/// The PACIFIC pattern: each tenant's role may read and write under its own prefix and
/// list only that prefix.
const TENANT_PREFIX_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
     "Resource": "arn:aws:s3:::tenant-data/${aws:PrincipalTag/tenant}/*"},
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::tenant-data",
     "Condition": {"StringLike": {"s3:prefix": "${aws:PrincipalTag/tenant}/*"}}}
  ]
}"#;

fn acme_caller() -> Option<Arc<Principal>> {
    Some(super::test_core::tagged_role_session(
        "Tenant",
        &[("tenant", "acme")],
    ))
}

#[test]
fn with_the_iam_engine_a_tenant_reads_its_prefix_and_not_another() {
    let core = super::test_core::iam_engine_core(&[TENANT_PREFIX_POLICY]);
    let s3 = service(&core);
    let as_acme = |method: Method, path: &str, query: &[(&str, &str)]| {
        s3.handle(&core, &request(method, path, query, &[], "", acme_caller()))
    };
    assert_eq!(
        as_acme(Method::GET, "/tenant-data/acme/report.txt", &[]).status,
        StatusCode::OK
    );
    let cross = as_acme(Method::GET, "/tenant-data/globex/report.txt", &[]);
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert!(
        body(&cross).contains("because no identity-based policy allows the s3:GetObject action")
    );
    let own_list = as_acme(
        Method::GET,
        "/tenant-data",
        &[("list-type", "2"), ("prefix", "acme/")],
    );
    assert_eq!(own_list.status, StatusCode::OK);
    let other_list = as_acme(
        Method::GET,
        "/tenant-data",
        &[("list-type", "2"), ("prefix", "globex/")],
    );
    assert_eq!(other_list.status, StatusCode::FORBIDDEN);
    let whole_list = as_acme(Method::GET, "/tenant-data", &[("list-type", "2")]);
    assert_eq!(
        whole_list.status,
        StatusCode::FORBIDDEN,
        "no s3:prefix, no match"
    );
}

#[test]
fn with_the_iam_engine_the_bucket_policy_deny_wins() {
    let core = super::test_core::iam_engine_core(&[
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
    ]);
    let s3 = service(&core);
    let response = s3.handle(
        &core,
        &request(
            Method::DELETE,
            "/tenant-data/locked/x",
            &[],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(body(&response).contains("with an explicit deny in a resource-based policy"));
    let response = s3.handle(
        &core,
        &request(
            Method::DELETE,
            "/tenant-data/open/x",
            &[],
            &[],
            "",
            caller(),
        ),
    );
    assert_eq!(response.status, StatusCode::NO_CONTENT);
}
