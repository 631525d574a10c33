//! ListObjects, version 1: a bucket GET without `list-type=2`. It pages with `marker`
//! (resume after this key) instead of a continuation token, and returns `NextMarker` only
//! when a delimiter was sent; otherwise the caller resumes after the last key.
//! See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html.

use super::list_objects::{ListPage, ListParams, MAX_KEYS_LIMIT, encoded, iso8601};
use super::s3_error::S3Error;
use super::xml::{S3_NAMESPACE, XML_DECLARATION, push_element};
use crate::sim::request::SimRequest;

/// The version 1 parameters: version 2's, with `marker` for `start-after`.
pub(crate) fn params_v1(request: &SimRequest) -> Result<ListParams, S3Error> {
    let mut params = ListParams::from_request(request)?;
    // Version 1 knows neither continuation tokens nor start-after.
    params.continuation_token = None;
    params.start_after = request
        .query_param("marker")
        .filter(|marker| !marker.is_empty())
        .map(str::to_string);
    // A marker ending in the delimiter is a common prefix a previous page rolled up.
    params.start_after_whole_prefix = match (&params.start_after, &params.delimiter) {
        (Some(marker), Some(delimiter)) => marker.ends_with(delimiter.as_str()),
        _ => false,
    };
    Ok(params)
}

/// The version 1 `ListBucketResult`.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html#API_ListObjects_ResponseSyntax.
pub(crate) fn render_v1(bucket: &str, params: &ListParams, page: &ListPage) -> String {
    let url = params.url_encoding;
    let mut out = String::from(XML_DECLARATION);
    out.push_str(&format!("<ListBucketResult xmlns=\"{S3_NAMESPACE}\">"));
    push_element(&mut out, "Name", bucket);
    push_element(
        &mut out,
        "Prefix",
        &encoded(params.prefix.as_deref().unwrap_or(""), url),
    );
    push_element(
        &mut out,
        "Marker",
        &encoded(params.start_after.as_deref().unwrap_or(""), url),
    );
    // NextMarker is returned only with a delimiter: the last key or common prefix listed.
    if page.is_truncated
        && let Some(delimiter) = &params.delimiter
    {
        let last_key = page.objects.last().map(|(key, _)| key.as_str());
        let last_prefix = page.common_prefixes.last().map(String::as_str);
        if let Some(next) = last_key.max(last_prefix) {
            push_element(&mut out, "NextMarker", &encoded(next, url));
        }
        push_element(&mut out, "Delimiter", &encoded(delimiter, url));
    } else if let Some(delimiter) = &params.delimiter {
        push_element(&mut out, "Delimiter", &encoded(delimiter, url));
    }
    push_element(
        &mut out,
        "MaxKeys",
        &params.max_keys.unwrap_or(MAX_KEYS_LIMIT).to_string(),
    );
    if url {
        push_element(&mut out, "EncodingType", "url");
    }
    push_element(&mut out, "IsTruncated", &page.is_truncated.to_string());
    for (key, object) in &page.objects {
        out.push_str("<Contents>");
        push_element(&mut out, "Key", &encoded(key, url));
        push_element(&mut out, "LastModified", &iso8601(object.last_modified));
        push_element(&mut out, "ETag", &object.etag);
        push_element(&mut out, "Size", &object.body.len().to_string());
        push_element(&mut out, "StorageClass", "STANDARD");
        out.push_str("</Contents>");
    }
    for common in &page.common_prefixes {
        out.push_str("<CommonPrefixes>");
        push_element(&mut out, "Prefix", &encoded(common, url));
        out.push_str("</CommonPrefixes>");
    }
    out.push_str("</ListBucketResult>");
    out
}
