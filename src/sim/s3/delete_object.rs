//! DeleteObject: 204 whether or not the key existed, once authorized; `If-Match` makes it
//! conditional.
//! See https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html.

use http::{HeaderMap, StatusCode};

use super::access::{S3Access, base_context, object_arn};
use super::bucket::Bucket;
use super::conditional::check_if_match;
use super::s3_error::S3Error;
use crate::sim::core::SimCore;
use crate::sim::request::{SimRequest, SimResponse};

pub(crate) fn delete_object(
    core: &dyn SimCore,
    request: &SimRequest,
    bucket: &Bucket,
    key: &str,
) -> Result<SimResponse, S3Error> {
    let caller = request.caller.as_deref();
    let mut context = base_context(bucket, request);
    let if_match = request.header("if-match");
    if let Some(value) = if_match {
        // See https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-delete-enforce.html.
        context.set("s3:if-match", value);
    }
    let resource = object_arn(&bucket.name, key);
    S3Access {
        action: "s3:DeleteObject",
        resource: resource.clone(),
        context: context.clone(),
        bucket_policy: bucket.policy.as_ref(),
    }
    .require(core, caller)?;
    // A conditional delete on an ETag reads the object's ETag, so it needs s3:GetObject too.
    // See https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html.
    if if_match.is_some_and(|value| value.trim() != "*") {
        S3Access {
            action: "s3:GetObject",
            resource,
            context,
            bucket_policy: bucket.policy.as_ref(),
        }
        .require(core, caller)?;
    }
    {
        let mut objects = bucket
            .objects
            .write()
            .map_err(|_| S3Error::internal_error())?;
        check_if_match(request, key, objects.get(key))?;
        objects.remove(key);
    }
    Ok(SimResponse {
        status: StatusCode::NO_CONTENT,
        headers: HeaderMap::new(),
        body: bytes::Bytes::new(),
    })
}
