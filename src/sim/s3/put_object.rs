//! PutObject, with conditional writes and Content-MD5 checking.
//! See https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html.

use base64::Engine;
use http::{HeaderMap, HeaderValue, StatusCode};
use md5::{Digest, Md5};
use std::collections::BTreeMap;

use super::access::{S3Access, base_context, object_arn};
use super::bucket::{Bucket, StoredObject};
use super::conditional::check_write;
use super::s3_error::S3Error;
use crate::sim::core::SimCore;
use crate::sim::request::{SimRequest, SimResponse};

/// Request headers that are PutObject condition keys of the same name under `s3:`.
/// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-actions-as-permissions.
const HEADER_CONDITION_KEYS: &[&str] = &[
    "x-amz-acl",
    "x-amz-grant-full-control",
    "x-amz-grant-read",
    "x-amz-grant-read-acp",
    "x-amz-grant-write",
    "x-amz-grant-write-acp",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-storage-class",
    "x-amz-object-lock-mode",
    "x-amz-object-lock-retain-until-date",
    "x-amz-object-lock-legal-hold",
    "if-match",
    "if-none-match",
];

/// Headers S3 stores with the object and returns on reads.
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#SysMetadata.
const REPRESENTATION_HEADERS: &[&str] = &[
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
];

/// The checksum headers S3 stores and echoes.
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html.
const CHECKSUM_HEADERS: &[&str] = &[
    "x-amz-checksum-crc32",
    "x-amz-checksum-crc32c",
    "x-amz-checksum-crc64nvme",
    "x-amz-checksum-sha1",
    "x-amz-checksum-sha256",
];

pub(crate) fn put_object(
    core: &dyn SimCore,
    request: &SimRequest,
    bucket: &Bucket,
    key: &str,
) -> Result<SimResponse, S3Error> {
    let mut context = base_context(bucket, request);
    for header in HEADER_CONDITION_KEYS {
        if let Some(value) = request.header(header) {
            context.set(format!("s3:{header}"), value);
        }
    }
    S3Access {
        action: "s3:PutObject",
        resource: object_arn(&bucket.name, key),
        context,
        bucket_policy: bucket.policy.as_ref(),
    }
    .require(core, request.caller.as_deref())?;
    check_content_md5(request)?;
    check_header_checksums(request)?;

    let metadata: BTreeMap<String, String> = request
        .headers
        .iter()
        .filter_map(|(name, value)| {
            let user_key = name.as_str().strip_prefix("x-amz-meta-")?;
            Some((user_key.to_string(), value.to_str().ok()?.to_string()))
        })
        .collect();
    let checksums: Vec<(String, String)> = CHECKSUM_HEADERS
        .iter()
        .filter_map(|name| Some((name.to_string(), request.header(name)?.to_string())))
        .collect();
    let mut object = StoredObject::new(
        request.body.clone(),
        request.header("content-type").map(str::to_string),
        metadata,
        core.now(),
    );
    object.checksums = checksums.clone();
    object.representation_headers = REPRESENTATION_HEADERS
        .iter()
        .filter_map(|name| {
            let value = stored_header_value(name, request.header(name)?);
            (!value.is_empty()).then(|| (name.to_string(), value))
        })
        .collect();
    let etag = object.etag.clone();
    {
        let mut objects = bucket
            .objects
            .write()
            .map_err(|_| S3Error::internal_error())?;
        // Checked under the write lock so that two racing conditional writes cannot both win.
        check_write(request, key, objects.get(key))?;
        objects.insert(key.to_string(), object);
    }

    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(http::header::ETAG, value);
    }
    headers.insert(
        "x-amz-server-side-encryption",
        HeaderValue::from_static("AES256"),
    );
    for (name, value) in checksums {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(&value),
        ) {
            headers.insert(name, value);
        }
    }
    Ok(SimResponse {
        status: StatusCode::OK,
        headers,
        body: bytes::Bytes::new(),
    })
}

/// The value S3 keeps: `aws-chunked` is only the upload's framing and is not stored as a
/// content encoding.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html.
fn stored_header_value(name: &str, value: &str) -> String {
    if name != "content-encoding" {
        return value.trim().to_string();
    }
    value
        .split(',')
        .map(str::trim)
        .filter(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("aws-chunked"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// S3 rejects a body whose MD5 differs from `Content-MD5` (base64 of the digest).
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax.
fn check_content_md5(request: &SimRequest) -> Result<(), S3Error> {
    let Some(sent) = request.header("content-md5") else {
        return Ok(());
    };
    let digest = base64::engine::general_purpose::STANDARD
        .decode(sent.trim())
        .map_err(|_| S3Error::invalid_digest())?;
    if digest.len() != 16 {
        return Err(S3Error::invalid_digest());
    }
    if digest.as_slice() != Md5::digest(&request.body).as_slice() {
        return Err(S3Error::bad_digest());
    }
    Ok(())
}

/// S3 computes every `x-amz-checksum-*` header it is sent over the body and stores nothing
/// when one differs (400 BadDigest), as it does for the same checksum in a trailer.
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
/// and https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
fn check_header_checksums(request: &SimRequest) -> Result<(), S3Error> {
    for name in CHECKSUM_HEADERS {
        let Some(sent) = request.header(name) else {
            continue;
        };
        let algorithm_name = name.trim_start_matches("x-amz-checksum-");
        let algorithm: aws_smithy_checksums::ChecksumAlgorithm = algorithm_name
            .parse()
            .map_err(|_| S3Error::internal_error())?;
        let mut checksum = algorithm.into_impl();
        checksum.update(&request.body);
        let digest = checksum.finalize();
        let sent_digest = base64::engine::general_purpose::STANDARD
            .decode(sent.trim())
            .ok()
            .filter(|decoded| decoded.len() == digest.len());
        match sent_digest {
            None => return Err(S3Error::invalid_checksum_header(name)),
            Some(sent_digest) if sent_digest.as_slice() != digest.as_ref() => {
                return Err(S3Error::checksum_mismatch(algorithm_name));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_chunked_is_not_stored_as_a_content_encoding() {
        assert_eq!(stored_header_value("content-encoding", "aws-chunked"), "");
        assert_eq!(
            stored_header_value("content-encoding", "gzip, aws-chunked"),
            "gzip"
        );
        assert_eq!(
            stored_header_value("cache-control", " no-cache "),
            "no-cache"
        );
    }
}
