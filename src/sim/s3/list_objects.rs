//! ListObjectsV2: prefix, delimiter roll-up into CommonPrefixes, max-keys, start-after and
//! continuation tokens over the bucket's keys in UTF-8 binary order.
//! See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html.

use base64::Engine;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::BTreeMap;
use std::ops::Bound;

use super::bucket::StoredObject;
use super::s3_error::S3Error;
use super::xml::{S3_NAMESPACE, XML_DECLARATION, push_element};
use crate::sim::request::SimRequest;

/// S3 returns at most 1,000 keys per page, the default too.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_RequestSyntax.
pub(crate) const MAX_KEYS_LIMIT: usize = 1000;

/// The request's listing parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ListParams {
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    /// As sent, for the `s3:max-keys` condition key and the response's `MaxKeys`.
    pub max_keys: Option<usize>,
    pub continuation_token: Option<String>,
    pub start_after: Option<String>,
    /// `start_after` is a common prefix (a version 1 `NextMarker`): resume after every key
    /// under it, not only after the prefix itself.
    pub start_after_whole_prefix: bool,
    pub url_encoding: bool,
}

impl ListParams {
    pub fn from_request(request: &SimRequest) -> Result<ListParams, S3Error> {
        let max_keys = match request.query_param("max-keys") {
            None => None,
            Some(text) => Some(text.parse::<usize>().map_err(|_| {
                S3Error::invalid_argument(
                    "Provided max-keys not an integer or within integer range",
                    "max-keys",
                    text,
                )
            })?),
        };
        let url_encoding = match request.query_param("encoding-type") {
            None => false,
            Some("url") => true,
            Some(other) => {
                return Err(S3Error::invalid_argument(
                    "Invalid Encoding Method specified in Request",
                    "encoding-type",
                    other,
                ));
            }
        };
        let non_empty = |name: &str| {
            request
                .query_param(name)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Ok(ListParams {
            prefix: request.query_param("prefix").map(str::to_string),
            delimiter: non_empty("delimiter"),
            max_keys,
            continuation_token: request
                .query_param("continuation-token")
                .map(str::to_string),
            start_after: non_empty("start-after"),
            start_after_whole_prefix: false,
            url_encoding,
        })
    }

    pub(crate) fn page_size(&self) -> usize {
        self.max_keys.unwrap_or(MAX_KEYS_LIMIT).min(MAX_KEYS_LIMIT)
    }
}

/// One entry of a page: an object or a rolled-up common prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Object(String),
    CommonPrefix(String),
}

/// Where a continuation token resumes: after this key, or after every key under this
/// common prefix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Resume {
    after: String,
    whole_prefix: bool,
}

fn encode_token(resume: &Resume) -> String {
    let json = serde_json::to_vec(resume).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn decode_token(token: &str) -> Result<Resume, S3Error> {
    let invalid = || {
        S3Error::invalid_argument(
            "The continuation token provided is incorrect",
            "continuation-token",
            token,
        )
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

/// A page of results.
#[derive(Debug, Clone)]
pub(crate) struct ListPage {
    pub objects: Vec<(String, StoredObject)>,
    pub common_prefixes: Vec<String>,
    pub is_truncated: bool,
    pub next_continuation_token: Option<String>,
}

/// Computes one page. The continuation token, when given, wins over `start-after`.
pub(crate) fn list_page(
    objects: &BTreeMap<String, StoredObject>,
    params: &ListParams,
) -> Result<ListPage, S3Error> {
    let resume = match &params.continuation_token {
        Some(token) => Some(decode_token(token)?),
        None => params.start_after.clone().map(|after| Resume {
            after,
            whole_prefix: params.start_after_whole_prefix,
        }),
    };
    let prefix = params.prefix.as_deref().unwrap_or("");
    let lower = match &resume {
        Some(resume) => Bound::Excluded(resume.after.clone()),
        None => Bound::Unbounded,
    };
    let page_size = params.page_size();
    if page_size == 0 {
        // Nothing is asked for, so there is nothing to resume either.
        return Ok(ListPage {
            objects: Vec::new(),
            common_prefixes: Vec::new(),
            is_truncated: false,
            next_continuation_token: None,
        });
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut page = ListPage {
        objects: Vec::new(),
        common_prefixes: Vec::new(),
        is_truncated: false,
        next_continuation_token: None,
    };
    for (key, object) in objects.range((lower, Bound::Unbounded)) {
        if let Some(resume) = &resume
            && resume.whole_prefix
            && key.starts_with(&resume.after)
        {
            continue;
        }
        let Some(rest) = key.strip_prefix(prefix) else {
            if key.as_str() > prefix {
                // Keys are sorted, so keys under the prefix are contiguous: past it, stop.
                break;
            }
            continue;
        };
        let entry = match &params.delimiter {
            Some(delimiter) => match rest.find(delimiter.as_str()) {
                Some(at) => {
                    Entry::CommonPrefix(format!("{prefix}{}", &rest[..at + delimiter.len()]))
                }
                None => Entry::Object(key.clone()),
            },
            None => Entry::Object(key.clone()),
        };
        if let (Entry::CommonPrefix(new), Some(Entry::CommonPrefix(last))) =
            (&entry, entries.last())
            && new == last
        {
            continue;
        }
        if entries.len() == page_size {
            page.is_truncated = true;
            break;
        }
        if let Entry::Object(_) = entry {
            page.objects.push((key.clone(), object.clone()));
        }
        entries.push(entry);
    }
    for entry in &entries {
        if let Entry::CommonPrefix(common) = entry {
            page.common_prefixes.push(common.clone());
        }
    }
    if page.is_truncated
        && let Some(last) = entries.last()
    {
        let resume = match last {
            Entry::Object(key) => Resume {
                after: key.clone(),
                whole_prefix: false,
            },
            Entry::CommonPrefix(common) => Resume {
                after: common.clone(),
                whole_prefix: true,
            },
        };
        page.next_continuation_token = Some(encode_token(&resume));
    }
    Ok(page)
}

/// The characters S3 leaves unescaped with `encoding-type=url`.
const URL_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

pub(crate) fn encoded(value: &str, url_encoding: bool) -> String {
    if url_encoding {
        utf8_percent_encode(value, URL_ENCODE).to_string()
    } else {
        value.to_string()
    }
}

/// Seconds with milliseconds in UTC, as S3 writes `LastModified` in listings.
pub(crate) fn iso8601(time: std::time::SystemTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::from(time)
        .format(&format)
        .unwrap_or_default()
}

/// The `ListBucketResult` document.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_ResponseSyntax.
pub(crate) fn render(bucket: &str, params: &ListParams, page: &ListPage) -> String {
    let url = params.url_encoding;
    let mut out = String::from(XML_DECLARATION);
    out.push_str(&format!("<ListBucketResult xmlns=\"{S3_NAMESPACE}\">"));
    push_element(&mut out, "Name", bucket);
    push_element(
        &mut out,
        "Prefix",
        &encoded(params.prefix.as_deref().unwrap_or(""), url),
    );
    if let Some(delimiter) = &params.delimiter {
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
    push_element(
        &mut out,
        "KeyCount",
        &(page.objects.len() + page.common_prefixes.len()).to_string(),
    );
    push_element(&mut out, "IsTruncated", &page.is_truncated.to_string());
    if let Some(token) = &params.continuation_token {
        push_element(&mut out, "ContinuationToken", token);
    }
    if let Some(token) = &page.next_continuation_token {
        push_element(&mut out, "NextContinuationToken", token);
    }
    if let Some(start_after) = &params.start_after {
        push_element(&mut out, "StartAfter", &encoded(start_after, url));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use std::time::SystemTime;

    fn bucket(keys: &[&str]) -> BTreeMap<String, StoredObject> {
        keys.iter()
            .map(|k| {
                (
                    k.to_string(),
                    StoredObject::new(
                        Bytes::from(k.to_string()),
                        None,
                        BTreeMap::new(),
                        SystemTime::UNIX_EPOCH,
                    ),
                )
            })
            .collect()
    }

    fn keys(page: &ListPage) -> Vec<&str> {
        page.objects.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn prefix_selects_keys_in_binary_order() {
        let objects = bucket(&["a/1", "b/1", "b/2", "c"]);
        let params = ListParams {
            prefix: Some("b/".into()),
            ..Default::default()
        };
        let page = list_page(&objects, &params).unwrap();
        assert_eq!(keys(&page), vec!["b/1", "b/2"]);
        assert!(!page.is_truncated);
    }

    #[test]
    fn delimiter_rolls_keys_up_into_common_prefixes() {
        let objects = bucket(&["root.txt", "t1/a", "t1/b", "t2/x/y", "t2/z"]);
        let params = ListParams {
            delimiter: Some("/".into()),
            ..Default::default()
        };
        let page = list_page(&objects, &params).unwrap();
        assert_eq!(keys(&page), vec!["root.txt"]);
        assert_eq!(page.common_prefixes, vec!["t1/", "t2/"]);
    }

    #[test]
    fn pages_resume_with_the_continuation_token_and_count_common_prefixes() {
        let objects = bucket(&["a", "p/1", "p/2", "q/1", "z"]);
        let mut params = ListParams {
            delimiter: Some("/".into()),
            max_keys: Some(2),
            ..Default::default()
        };
        let first = list_page(&objects, &params).unwrap();
        assert_eq!(keys(&first), vec!["a"]);
        assert_eq!(first.common_prefixes, vec!["p/"]);
        assert!(first.is_truncated);
        params.continuation_token = first.next_continuation_token.clone();
        let second = list_page(&objects, &params).unwrap();
        assert_eq!(keys(&second), vec!["z"]);
        assert_eq!(second.common_prefixes, vec!["q/"]);
        assert!(!second.is_truncated);
        assert!(second.next_continuation_token.is_none());
    }

    #[test]
    fn max_keys_zero_is_an_empty_page_without_a_token() {
        let params = ListParams {
            max_keys: Some(0),
            ..Default::default()
        };
        let page = list_page(&bucket(&["a"]), &params).unwrap();
        assert!(page.objects.is_empty() && !page.is_truncated);
        assert!(page.next_continuation_token.is_none());
    }

    #[test]
    fn start_after_skips_earlier_keys() {
        let objects = bucket(&["a", "b", "c"]);
        let params = ListParams {
            start_after: Some("a".into()),
            ..Default::default()
        };
        assert_eq!(keys(&list_page(&objects, &params).unwrap()), vec!["b", "c"]);
    }

    #[test]
    fn a_forged_continuation_token_is_invalid_argument() {
        let params = ListParams {
            continuation_token: Some("not-a-token!".into()),
            ..Default::default()
        };
        let error = list_page(&bucket(&["a"]), &params).unwrap_err();
        assert_eq!(error.code, "InvalidArgument");
        assert_eq!(error.status, http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn rendering_counts_keys_and_url_encodes_when_asked() {
        let objects = bucket(&["dir/a b"]);
        let params = ListParams {
            url_encoding: true,
            ..Default::default()
        };
        let page = list_page(&objects, &params).unwrap();
        let xml = render("bkt", &params, &page);
        assert!(xml.contains("<KeyCount>1</KeyCount>"));
        assert!(xml.contains("<Key>dir/a%20b</Key>"));
        assert!(xml.contains("<MaxKeys>1000</MaxKeys>"));
    }
}
