//! The S3 service: seeding from the world file and routing path-style requests
//! (`/{bucket}` and `/{bucket}/{key}`) to operations.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;
use std::sync::RwLock;

use super::access::{S3Access, base_context, bucket_arn};
use super::bucket::{Bucket, StoredObject};
use super::delete_object::delete_object;
use super::list_objects::{ListParams, list_page, render};
use super::list_objects_v1::{params_v1, render_v1};
use super::object_read::read_object;
use super::put_object::put_object;
use super::resource_policy::resource_policy_from_world;
use super::s3_error::S3Error;
use super::world::S3World;
use crate::sim::core::SimCore;
use crate::sim::request::{SimRequest, SimResponse};
use crate::sim::world::{World, WorldError};

/// Query parameters that select an object sub-resource local staging does not serve.
const UNSUPPORTED_OBJECT_SUBRESOURCES: &[&str] = &[
    "acl",
    "tagging",
    "uploads",
    "uploadId",
    "partNumber",
    "retention",
    "legal-hold",
    "torrent",
    "attributes",
    "restore",
    "select",
    "versionId",
];

/// Local staging's S3.
#[derive(Debug)]
pub struct S3Service {
    buckets: BTreeMap<String, Bucket>,
}

impl S3Service {
    /// Seeds the service from the world file.
    pub fn from_world(world: &World, core: &dyn SimCore) -> Result<Self, WorldError> {
        let mut buckets = BTreeMap::new();
        for (owner_account, prefix, s3) in world.s3_by_account() {
            if let Some(error) = s3.validate().into_iter().next() {
                return Err(error.under(&prefix));
            }
            Self::seed(&mut buckets, owner_account, &prefix, s3, core)?;
        }
        Ok(S3Service { buckets })
    }

    /// Adds the buckets of one account's S3 section; key paths start with `prefix`.
    fn seed(
        buckets: &mut BTreeMap<String, Bucket>,
        owner_account: &str,
        prefix: &str,
        s3: &S3World,
        core: &dyn SimCore,
    ) -> Result<(), WorldError> {
        for (index, spec) in s3.buckets.iter().enumerate() {
            let path = format!("{prefix}s3.buckets[{index}]");
            let policy = spec
                .policy
                .as_ref()
                .map(|value| {
                    resource_policy_from_world(
                        value,
                        format!("s3/{}/bucket-policy", spec.bucket),
                        &format!("{path}.Policy"),
                    )
                })
                .transpose()?;
            let mut objects = BTreeMap::new();
            for (object_index, object) in spec.objects.iter().enumerate() {
                let body = object.body_bytes(&format!("{path}.Objects[{object_index}]"))?;
                objects.insert(
                    object.key.clone(),
                    StoredObject::new(
                        Bytes::from(body),
                        object.content_type.clone(),
                        object.metadata.clone(),
                        core.now(),
                    ),
                );
            }
            buckets.insert(
                spec.bucket.clone(),
                Bucket {
                    name: spec.bucket.clone(),
                    owner_account: owner_account.to_string(),
                    policy,
                    tags: spec
                        .tags
                        .iter()
                        .map(|t| (t.key.clone(), t.value.clone()))
                        .collect(),
                    objects: RwLock::new(objects),
                },
            );
        }
        Ok(())
    }

    /// Serves one verified request routed to this service.
    pub fn handle(&self, core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        match self.route(core, request) {
            Ok(response) => response,
            Err(error) => error.to_response(request),
        }
    }

    /// The names of the seeded buckets, in order.
    pub fn bucket_names(&self) -> impl Iterator<Item = &str> {
        self.buckets.keys().map(String::as_str)
    }

    /// A bucket's tags as the world file gave them (`None` for an unknown bucket).
    pub fn bucket_tags(&self, bucket: &str) -> Option<&[(String, String)]> {
        self.buckets.get(bucket).map(|b| b.tags.as_slice())
    }

    fn route(&self, core: &dyn SimCore, request: &SimRequest) -> Result<SimResponse, S3Error> {
        let path = request.raw_path.split('?').next().unwrap_or("");
        let path = path.strip_prefix('/').unwrap_or(path);
        let (raw_bucket, raw_key) = match path.split_once('/') {
            Some((bucket, key)) => (bucket, key),
            None => (path, ""),
        };
        if raw_bucket.is_empty() {
            return Err(S3Error::not_implemented("ListBuckets"));
        }
        let bucket_name = decode(raw_bucket)?;
        let key = decode(raw_key)?;
        // S3 answers NoSuchBucket to any caller: bucket names are one global namespace,
        // and the missing bucket has no policy to evaluate.
        // See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
        let bucket = self
            .buckets
            .get(&bucket_name)
            .ok_or_else(|| S3Error::no_such_bucket(&bucket_name))?;

        if key.is_empty() {
            return match request.method {
                Method::GET if request.query_param("list-type") == Some("2") => {
                    list_objects(core, request, bucket, ListVersion::V2)
                }
                // A bucket GET without `list-type=2` and without a sub-resource is
                // ListObjects, version 1 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).
                Method::GET
                    if request.raw_path.split_once('?').is_none_or(|(_, query)| {
                        query.split('&').all(|pair| {
                            let name = pair.split('=').next().unwrap_or("");
                            LIST_V1_PARAMETERS.contains(&name) || name.starts_with("X-Amz-")
                        })
                    }) =>
                {
                    list_objects(core, request, bucket, ListVersion::V1)
                }
                Method::GET => Err(S3Error::not_implemented(
                    "bucket GET other than ListObjects and ListObjectsV2",
                )),
                Method::HEAD => head_bucket(core, request, bucket),
                _ => Err(S3Error::not_implemented("bucket operations")),
            };
        }
        // Object keys are at most 1,024 bytes.
        // See https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html.
        if key.len() > 1024 {
            return Err(S3Error {
                status: StatusCode::BAD_REQUEST,
                code: "KeyTooLongError",
                message: "Your key is too long".to_string(),
                details: Vec::new(),
            });
        }
        if let Some(name) = UNSUPPORTED_OBJECT_SUBRESOURCES
            .iter()
            .find(|name| request.query_param(name).is_some())
        {
            return Err(S3Error::not_implemented(name));
        }
        if request.header("x-amz-copy-source").is_some() {
            return Err(S3Error::not_implemented("CopyObject"));
        }
        match request.method {
            Method::GET | Method::HEAD => read_object(core, request, bucket, &key),
            Method::PUT => put_object(core, request, bucket, &key),
            Method::DELETE => delete_object(core, request, bucket, &key),
            ref other => Err(S3Error::method_not_allowed(other.as_str())),
        }
    }
}

fn decode(raw: &str) -> Result<String, S3Error> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| S3Error::invalid_uri())
}

/// The query parameters of a version 1 listing.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html#API_ListObjects_RequestSyntax.
// `x-id` names the operation for the SDKs.
const LIST_V1_PARAMETERS: &[&str] = &[
    "",
    "prefix",
    "delimiter",
    "marker",
    "max-keys",
    "encoding-type",
    "x-id",
];

/// Which ListObjects API a bucket GET is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListVersion {
    V1,
    V2,
}

/// ListObjects and ListObjectsV2 are both authorized as `s3:ListBucket` on the bucket, with
/// the listing parameters as the condition keys `s3:prefix`, `s3:delimiter` and
/// `s3:max-keys`; a request without a `prefix` parameter carries no `s3:prefix` key.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_Permissions,
/// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
/// and https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html.
fn list_objects(
    core: &dyn SimCore,
    request: &SimRequest,
    bucket: &Bucket,
    version: ListVersion,
) -> Result<SimResponse, S3Error> {
    let params = match version {
        ListVersion::V1 => params_v1(request)?,
        ListVersion::V2 => ListParams::from_request(request)?,
    };
    let mut context = base_context(bucket, request);
    if let Some(prefix) = &params.prefix {
        context.set("s3:prefix", prefix.clone());
    }
    if let Some(delimiter) = &params.delimiter {
        context.set("s3:delimiter", delimiter.clone());
    }
    if let Some(max_keys) = params.max_keys {
        context.set("s3:max-keys", max_keys.to_string());
    }
    S3Access {
        action: "s3:ListBucket",
        resource: bucket_arn(&bucket.name),
        context,
        bucket_policy: bucket.policy.as_ref(),
    }
    .require(core, request.caller.as_deref())?;
    let page = {
        let objects = bucket
            .objects
            .read()
            .map_err(|_| S3Error::internal_error())?;
        list_page(&objects, &params)?
    };
    let body = match version {
        ListVersion::V1 => render_v1(&bucket.name, &params, &page),
        ListVersion::V2 => render(&bucket.name, &params, &page),
    };
    Ok(SimResponse::new(StatusCode::OK, "application/xml", body))
}

/// HeadBucket is authorized as `s3:ListBucket`.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html.
fn head_bucket(
    core: &dyn SimCore,
    request: &SimRequest,
    bucket: &Bucket,
) -> Result<SimResponse, S3Error> {
    S3Access {
        action: "s3:ListBucket",
        resource: bucket_arn(&bucket.name),
        context: base_context(bucket, request),
        bucket_policy: bucket.policy.as_ref(),
    }
    .require(core, request.caller.as_deref())?;
    let mut headers = HeaderMap::new();
    if let Ok(region) = core.region().parse() {
        headers.insert("x-amz-bucket-region", region);
    }
    Ok(SimResponse {
        status: StatusCode::OK,
        headers,
        body: Bytes::new(),
    })
}
