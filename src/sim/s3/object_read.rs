//! GetObject and HeadObject (HEAD is authorized as `s3:GetObject`), whole or one byte range.
//! See https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};

use super::access::{S3Access, base_context, bucket_arn, object_arn};
use super::bucket::{Bucket, StoredObject};
use super::byte_range::{RangeRequest, parse_range};
use super::conditional::{ReadCondition, check_read};
use super::s3_error::S3Error;
use crate::sim::core::SimCore;
use crate::sim::request::{SimRequest, SimResponse};

/// Serves GET or HEAD on an object: authorize, then look the key up.
pub(crate) fn read_object(
    core: &dyn SimCore,
    request: &SimRequest,
    bucket: &Bucket,
    key: &str,
) -> Result<SimResponse, S3Error> {
    let caller = request.caller.as_deref();
    S3Access {
        action: "s3:GetObject",
        resource: object_arn(&bucket.name, key),
        context: base_context(bucket, request),
        bucket_policy: bucket.policy.as_ref(),
    }
    .require(core, caller)?;
    let object = bucket
        .objects
        .read()
        .map_err(|_| S3Error::internal_error())?
        .get(key)
        .cloned();
    let Some(object) = object else {
        return Err(missing_key(core, request, bucket, key));
    };
    let mut headers = object_headers(&object, request);
    if check_read(request, &object)? == ReadCondition::NotModified {
        headers.remove(http::header::CONTENT_LENGTH);
        headers.remove(http::header::CONTENT_TYPE);
        return Ok(SimResponse {
            status: StatusCode::NOT_MODIFIED,
            headers,
            body: Bytes::new(),
        });
    }
    let size = object.body.len();
    let (status, body) = match parse_range(request.header("range"), size) {
        RangeRequest::Whole => (StatusCode::OK, object.body.clone()),
        RangeRequest::Unsatisfiable => {
            return Err(S3Error::invalid_range(
                request.header("range").unwrap_or_default(),
                size,
            ));
        }
        RangeRequest::Partial(range) => {
            let (start, end) = (*range.start(), *range.end());
            if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{size}")) {
                headers.insert(http::header::CONTENT_RANGE, value);
            }
            headers.insert(
                http::header::CONTENT_LENGTH,
                HeaderValue::from(end + 1 - start),
            );
            (StatusCode::PARTIAL_CONTENT, object.body.slice(start..=end))
        }
    };
    let body = if request.method == http::Method::HEAD {
        Bytes::new()
    } else {
        body
    };
    Ok(SimResponse {
        status,
        headers,
        body,
    })
}

/// A key that does not exist answers 404 NoSuchKey only to callers who may list the
/// bucket; everyone else gets 403, so a denied caller cannot probe for keys.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions.
pub(crate) fn missing_key(
    core: &dyn SimCore,
    request: &SimRequest,
    bucket: &Bucket,
    key: &str,
) -> S3Error {
    let list = S3Access {
        action: "s3:ListBucket",
        resource: bucket_arn(&bucket.name),
        context: base_context(bucket, request),
        bucket_policy: bucket.policy.as_ref(),
    };
    match list.require(core, request.caller.as_deref()) {
        Ok(()) => S3Error::no_such_key(key),
        Err(denied) => denied,
    }
}

/// The headers GetObject and HeadObject return for an object.
fn object_headers(object: &StoredObject, request: &SimRequest) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut put = |name: &str, value: &str| {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::try_from(name),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    };
    put("content-type", &object.content_type);
    put("content-length", &object.body.len().to_string());
    put("etag", &object.etag);
    put(
        "last-modified",
        &httpdate::fmt_http_date(object.last_modified),
    );
    put("accept-ranges", "bytes");
    // Every object is encrypted at rest with SSE-S3 by default, and S3 says so.
    // See https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html.
    put("x-amz-server-side-encryption", "AES256");
    for (name, value) in &object.representation_headers {
        put(name, value);
    }
    for (name, value) in &object.metadata {
        put(&format!("x-amz-meta-{name}"), value);
    }
    // Checksums are returned only when the caller asks with x-amz-checksum-mode: ENABLED.
    // See https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax.
    if request
        .header("x-amz-checksum-mode")
        .is_some_and(|mode| mode.eq_ignore_ascii_case("ENABLED"))
    {
        for (name, value) in &object.checksums {
            put(name, value);
        }
    }
    headers
}
