//! Authorizing S3 requests: the action, the resource ARN, the S3 condition keys, and the
//! bucket policy evaluated together with the caller's identity policies.

use crate::sim::clock::{epoch_seconds, iso8601};
use crate::sim::core::{AccessRequest, SimCore};
use crate::sim::iam::{
    Evaluation, EvaluationInput, NamedPolicy, PrincipalMatch, RequestContext, evaluate,
};
use crate::sim::principal::Principal;
use crate::sim::request::SimRequest;

use super::bucket::Bucket;
use super::s3_error::S3Error;

/// The message S3 gives when it adds no context (anonymous or cross-account callers).
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
pub(crate) const PLAIN_ACCESS_DENIED: &str = "Access Denied";

/// `arn:aws:s3:::bucket`.
pub(crate) fn bucket_arn(bucket: &str) -> String {
    format!("arn:aws:s3:::{bucket}")
}

/// `arn:aws:s3:::bucket/key`.
pub(crate) fn object_arn(bucket: &str, key: &str) -> String {
    format!("arn:aws:s3:::{bucket}/{key}")
}

/// Condition keys every S3 request carries.
/// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys.
pub(crate) fn base_context(bucket: &Bucket, request: &SimRequest) -> RequestContext {
    let mut context = RequestContext::new();
    let presigned = request.query_param("X-Amz-Signature").is_some();
    context.set(
        "s3:authType",
        if presigned {
            "REST-QUERY-STRING"
        } else {
            "REST-HEADER"
        },
    );
    context.set("s3:signatureversion", "AWS4-HMAC-SHA256");
    // The bucket owner's account; the core also reads it to tell a cross-account request.
    // See https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2.
    context.set("s3:ResourceAccount", bucket.owner_account.as_str());
    if let Some(hash) = request.header("x-amz-content-sha256") {
        context.set("s3:x-amz-content-sha256", hash);
    }
    context
}

/// One authorization question about a bucket or an object.
pub(crate) struct S3Access<'a> {
    pub action: &'a str,
    pub resource: String,
    pub context: RequestContext,
    pub bucket_policy: Option<&'a NamedPolicy>,
}

impl S3Access<'_> {
    /// Evaluates the question for a signed caller through the core, or for an anonymous
    /// caller against the bucket policy alone.
    pub fn evaluate(&self, core: &dyn SimCore, caller: Option<&Principal>) -> Evaluation {
        match caller {
            Some(principal) => core.authorize(&AccessRequest {
                principal,
                action: self.action,
                resource: &self.resource,
                context: self.context.clone(),
                resource_policy: self.bucket_policy,
            }),
            None => self.evaluate_anonymous(core),
        }
    }

    /// An unsigned request has no identity policies: only a bucket policy that grants
    /// everyone (`"Principal": "*"`) can allow it.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html#example-bucket-policies-anonymous-user.
    fn evaluate_anonymous(&self, core: &dyn SimCore) -> Evaluation {
        let now = core.now();
        let mut context = RequestContext::new();
        // The global keys an anonymous request still carries.
        // See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html.
        context.set("aws:CurrentTime", iso8601(now));
        context.set("aws:EpochTime", epoch_seconds(now).to_string());
        context.set("aws:SecureTransport", "false");
        context.set("aws:RequestedRegion", core.region());
        context.extend(&self.context);
        context.set("s3:authType", "REST-HEADER");
        let anonymous = PrincipalMatch::default();
        evaluate(&EvaluationInput {
            action: self.action,
            resource: &self.resource,
            principal: &anonymous,
            context: &context,
            identity_policies: &[],
            resource_policy: self.bucket_policy,
            resource_policy_is_trust: false,
            session_policies: None,
            permissions_boundary: None,
            cross_account: false,
        })
    }

    /// `Ok` when allowed, else S3's 403 AccessDenied.
    pub fn require(&self, core: &dyn SimCore, caller: Option<&Principal>) -> Result<(), S3Error> {
        let evaluation = self.evaluate(core, caller);
        if evaluation.is_allowed() {
            return Ok(());
        }
        let message = match caller {
            Some(principal) => {
                let owner = self
                    .context
                    .get("s3:ResourceAccount")
                    .and_then(|values| values.first())
                    .map_or_else(|| core.account_id(), String::as_str);
                denial_message(owner, principal, self.action, &self.resource, &evaluation)
            }
            None => PLAIN_ACCESS_DENIED.to_string(),
        };
        Err(S3Error::access_denied(message))
    }
}

/// For same-account requests S3 names the caller, action, resource and the kind of policy
/// that denied: `User: ARN is not authorized to perform: s3:GetObject on resource:
/// "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action`.
/// Other callers get the plain "Access Denied".
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples.
pub(crate) fn denial_message(
    bucket_owner: &str,
    principal: &Principal,
    action: &str,
    resource: &str,
    evaluation: &Evaluation,
) -> String {
    if principal.account != bucket_owner {
        return PLAIN_ACCESS_DENIED.to_string();
    }
    match evaluation.denial_reason(action) {
        Some(reason) => format!(
            "User: {} is not authorized to perform: {action} on resource: \"{resource}\" {reason}",
            principal.arn
        ),
        None => PLAIN_ACCESS_DENIED.to_string(),
    }
}
