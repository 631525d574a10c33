//! The world file's `s3` section: buckets with their policy, tags and seeded objects.

use base64::Engine;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::sim::iam_world::PolicyDocument;
use crate::sim::world::WorldError;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3World {
    #[serde(default)]
    pub buckets: Vec<BucketSpec>,
}

/// One bucket, in the field names of CreateBucket / PutBucketPolicy / PutBucketTagging.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct BucketSpec {
    pub bucket: String,
    /// The bucket policy: a YAML map or a JSON string.
    #[serde(default)]
    pub policy: Option<PolicyDocument>,
    #[serde(default)]
    pub tags: Vec<TagSpec>,
    #[serde(default)]
    pub objects: Vec<ObjectSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TagSpec {
    pub key: String,
    pub value: String,
}

/// A seeded object. `Debug` shows the body's size only: objects hold tenant data.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ObjectSpec {
    pub key: String,
    /// The body as text.
    #[serde(default)]
    pub body: Option<String>,
    /// The body as base64, for binary content.
    #[serde(default)]
    pub body_base64: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    /// User metadata, returned as `x-amz-meta-*` headers.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

impl fmt::Debug for ObjectSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectSpec")
            .field("key", &self.key)
            .field("body_len", &self.body.as_ref().map(String::len))
            .field(
                "body_base64_len",
                &self.body_base64.as_ref().map(String::len),
            )
            .field("content_type", &self.content_type)
            .field("metadata_keys", &self.metadata.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ObjectSpec {
    /// The object's bytes: `Body` as UTF-8 or `BodyBase64` decoded; exactly one may be set
    /// (none gives an empty object).
    pub fn body_bytes(&self, path: &str) -> Result<Vec<u8>, WorldError> {
        match (&self.body, &self.body_base64) {
            (Some(_), Some(_)) => Err(WorldError {
                path: path.to_string(),
                message: "give either `Body` or `BodyBase64`, not both".to_string(),
            }),
            (Some(text), None) => Ok(text.as_bytes().to_vec()),
            (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .map_err(|error| WorldError {
                    path: format!("{path}.BodyBase64"),
                    message: format!("not valid base64: {error}"),
                }),
            (None, None) => Ok(Vec::new()),
        }
    }
}

impl S3World {
    /// Every problem in the section, each with its key path.
    pub fn validate(&self) -> Vec<WorldError> {
        let mut errors = Vec::new();
        let mut names = BTreeSet::new();
        for (index, bucket) in self.buckets.iter().enumerate() {
            let path = format!("s3.buckets[{index}]");
            if let Err(message) = check_bucket_name(&bucket.bucket) {
                errors.push(WorldError {
                    path: format!("{path}.Bucket"),
                    message,
                });
            }
            if !names.insert(bucket.bucket.as_str()) {
                errors.push(WorldError {
                    path: format!("{path}.Bucket"),
                    message: format!("bucket `{}` is defined twice", bucket.bucket),
                });
            }
            let mut keys = BTreeSet::new();
            for (object_index, object) in bucket.objects.iter().enumerate() {
                let object_path = format!("{path}.Objects[{object_index}]");
                if object.key.is_empty() || object.key.len() > 1024 {
                    // Object keys are 1 to 1024 bytes of UTF-8.
                    // See https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html.
                    errors.push(WorldError {
                        path: format!("{object_path}.Key"),
                        message: "an object key must be 1 to 1024 bytes long".to_string(),
                    });
                }
                if !keys.insert(object.key.as_str()) {
                    errors.push(WorldError {
                        path: format!("{object_path}.Key"),
                        message: format!("key `{}` is defined twice in this bucket", object.key),
                    });
                }
                if let Err(error) = object.body_bytes(&object_path) {
                    errors.push(error);
                }
            }
        }
        errors
    }
}

/// General purpose bucket naming rules.
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html.
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    let fail = |why: &str| Err(format!("bucket name `{name}` is invalid: {why}"));
    if !(3..=63).contains(&name.len()) {
        return fail("it must be 3 to 63 characters long");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return fail("only lowercase letters, digits, dots and hyphens are allowed");
    }
    let first_and_last = [name.chars().next(), name.chars().last()];
    if first_and_last
        .iter()
        .flatten()
        .any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
    {
        return fail("it must begin and end with a letter or digit");
    }
    if name.contains("..") {
        return fail("it must not contain two adjacent dots");
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return fail("it must not be formatted as an IP address");
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            return fail(&format!("it must not start with `{prefix}`"));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if name.ends_with(suffix) {
            return fail(&format!("it must not end with `{suffix}`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(yaml: &str) -> S3World {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn bucket_names_follow_the_naming_rules() {
        assert!(check_bucket_name("tenant-a.data").is_ok());
        for bad in [
            "ab",
            "Upper",
            "-start",
            "end-",
            "a..b",
            "192.168.1.1",
            "xn--abc",
            "data-s3alias",
            "under_score",
        ] {
            assert!(check_bucket_name(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn validation_reports_every_problem_with_its_key_path() {
        let world = world(
            r#"
buckets:
  - Bucket: good-bucket
    Objects:
      - {Key: a, Body: x}
      - {Key: a, Body: y}
      - {Key: b, Body: x, BodyBase64: eA==}
  - Bucket: good-bucket
  - Bucket: Bad_Name
"#,
        );
        let paths: Vec<String> = world.validate().into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            vec![
                "s3.buckets[0].Objects[1].Key",
                "s3.buckets[0].Objects[2]",
                "s3.buckets[1].Bucket",
                "s3.buckets[2].Bucket",
            ]
        );
    }

    #[test]
    fn unknown_fields_are_errors() {
        let result: Result<S3World, _> =
            serde_yaml::from_str("buckets: [{Bucket: abc, Polcy: {}}]");
        assert!(result.is_err());
    }

    #[test]
    fn debug_does_not_show_object_bodies() {
        let world =
            world("buckets: [{Bucket: abc, Objects: [{Key: k, Body: tenant-secret-data}]}]");
        assert!(!format!("{world:?}").contains("tenant-secret-data"));
    }
}
