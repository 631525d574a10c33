//! A bucket's state: its policy, tags and objects, safe under concurrent requests.

use bytes::Bytes;
use md5::{Digest, Md5};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::RwLock;
use std::time::SystemTime;

use crate::sim::iam::NamedPolicy;

/// One bucket. The map of buckets is fixed at startup, so only the objects need a lock.
#[derive(Debug)]
pub(crate) struct Bucket {
    pub name: String,
    /// The account that owns the bucket (`s3:ResourceAccount`).
    pub owner_account: String,
    pub policy: Option<NamedPolicy>,
    pub tags: Vec<(String, String)>,
    pub objects: RwLock<BTreeMap<String, StoredObject>>,
}

/// An object's current version.
#[derive(Clone)]
pub(crate) struct StoredObject {
    pub body: Bytes,
    /// The quoted hex MD5 of the body, as S3 returns it for single-part uploads.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html.
    pub etag: String,
    pub last_modified: SystemTime,
    pub content_type: String,
    pub metadata: BTreeMap<String, String>,
    /// `x-amz-checksum-*` headers sent with the upload, echoed back.
    pub checksums: Vec<(String, String)>,
    /// `Content-Encoding`, `Content-Disposition` and the other representation headers
    /// sent with the upload, returned by GetObject and HeadObject.
    pub representation_headers: Vec<(String, String)>,
}

impl fmt::Debug for StoredObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredObject")
            .field("size", &self.body.len())
            .field("etag", &self.etag)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

/// S3's default content type for objects uploaded without one.
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#SysMetadata.
pub(crate) const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";

impl StoredObject {
    pub fn new(
        body: Bytes,
        content_type: Option<String>,
        metadata: BTreeMap<String, String>,
        now: SystemTime,
    ) -> StoredObject {
        StoredObject {
            etag: etag_of(&body),
            body,
            last_modified: now,
            content_type: content_type.unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_string()),
            metadata,
            checksums: Vec::new(),
            representation_headers: Vec::new(),
        }
    }
}

/// The quoted hex MD5 of a body.
pub(crate) fn etag_of(body: &[u8]) -> String {
    format!("\"{}\"", hex::encode(Md5::digest(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_is_the_quoted_md5_hex() {
        // MD5("hello") is a well-known value.
        assert_eq!(etag_of(b"hello"), "\"5d41402abc4b2a76b9719d911017c592\"");
    }

    #[test]
    fn debug_hides_the_body() {
        let object = StoredObject::new(
            Bytes::from_static(b"tenant-a-payroll"),
            None,
            BTreeMap::new(),
            SystemTime::UNIX_EPOCH,
        );
        assert!(!format!("{object:?}").contains("payroll"));
        assert_eq!(object.content_type, DEFAULT_CONTENT_TYPE);
    }
}
