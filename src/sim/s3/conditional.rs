//! HTTP conditional headers on S3 reads and writes.
//! See https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html.

use std::time::{SystemTime, UNIX_EPOCH};

use super::bucket::StoredObject;
use super::s3_error::S3Error;
use crate::sim::request::SimRequest;

/// Whether an `If-Match` / `If-None-Match` value names this ETag (`*` names any).
pub(crate) fn etag_matches(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*"
            || candidate == etag
            || candidate.trim_matches('"') == etag.trim_matches('"')
    })
}

fn whole_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// What a conditional GET or HEAD resolves to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ReadCondition {
    Proceed,
    NotModified,
}

/// GetObject / HeadObject conditions: `If-Match` and `If-Unmodified-Since` fail with 412;
/// `If-None-Match` and `If-Modified-Since` answer 304; `If-Match` true overrides a false
/// `If-Unmodified-Since`, and `If-None-Match` false overrides a true `If-Modified-Since`.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax.
pub(crate) fn check_read(
    request: &SimRequest,
    object: &StoredObject,
) -> Result<ReadCondition, S3Error> {
    let modified = whole_seconds(object.last_modified);
    let if_match = request.header("if-match");
    if let Some(value) = if_match
        && !etag_matches(value, &object.etag)
    {
        return Err(S3Error::precondition_failed("If-Match"));
    }
    if if_match.is_none()
        && let Some(since) = request
            .header("if-unmodified-since")
            .and_then(|v| httpdate::parse_http_date(v).ok())
        && modified > whole_seconds(since)
    {
        return Err(S3Error::precondition_failed("If-Unmodified-Since"));
    }
    let if_none_match = request.header("if-none-match");
    if let Some(value) = if_none_match
        && etag_matches(value, &object.etag)
    {
        return Ok(ReadCondition::NotModified);
    }
    if if_none_match.is_none()
        && let Some(since) = request
            .header("if-modified-since")
            .and_then(|v| httpdate::parse_http_date(v).ok())
        && modified <= whole_seconds(since)
    {
        return Ok(ReadCondition::NotModified);
    }
    Ok(ReadCondition::Proceed)
}

/// PutObject conditions on the current object (`None` when absent): `If-None-Match: *`
/// fails with 412 when the key exists (S3 accepts only `*`), and `If-Match` as in
/// [`check_if_match`].
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html.
pub(crate) fn check_write(
    request: &SimRequest,
    key: &str,
    current: Option<&StoredObject>,
) -> Result<(), S3Error> {
    if let Some(value) = request.header("if-none-match") {
        if value.trim() != "*" {
            return Err(S3Error::not_implemented(
                "If-None-Match with a value other than *",
            ));
        }
        if current.is_some() {
            return Err(S3Error::precondition_failed("If-None-Match"));
        }
    }
    check_if_match(request, key, current)
}

/// `If-Match` on PutObject and DeleteObject: 412 when the ETag differs, 404 NoSuchKey when
/// the key is absent (`*` matches any existing object).
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html and
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html.
pub(crate) fn check_if_match(
    request: &SimRequest,
    key: &str,
    current: Option<&StoredObject>,
) -> Result<(), S3Error> {
    if let Some(value) = request.header("if-match") {
        match current {
            None => return Err(S3Error::no_such_key(key)),
            Some(object) if !etag_matches(value, &object.etag) => {
                return Err(S3Error::precondition_failed("If-Match"));
            }
            Some(_) => {}
        }
    }
    Ok(())
}
