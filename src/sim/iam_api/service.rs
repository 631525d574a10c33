//! IAM's query protocol: form-encoded `Action` requests, XML responses in the
//! `https://iam.amazonaws.com/doc/2010-05-08/` namespace, policy documents URL-encoded.
//! See <https://docs.aws.amazon.com/IAM/latest/APIReference/welcome.html>.

use super::entities::{IamEntities, ManagedPolicyEntity, RoleEntity};
use crate::sim::auth_error::xml_escape;
use crate::sim::clock::iso8601;
use crate::sim::core::{AccessRequest, SimCore};
use crate::sim::iam::RequestContext;
use crate::sim::request::{SimRequest, SimResponse};
use crate::sim::world::World;
use http::StatusCode;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

const NAMESPACE: &str = "https://iam.amazonaws.com/doc/2010-05-08/";

/// RFC 3986's unreserved characters stay as they are; everything else is encoded.
// "Policies returned by this operation are URL-encoded compliant with RFC 3986"
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
const RFC_3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Local staging's IAM, read-only: what the world file declares.
#[derive(Debug, Default)]
pub struct IamApiService {
    account_id: String,
    entities: IamEntities,
}

/// An IAM error: its code, HTTP status and message.
/// See <https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html>.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IamError {
    code: &'static str,
    status: StatusCode,
    message: String,
}

impl IamError {
    // GetRole and the other reads answer NoSuchEntity (404) for a name that does not exist
    // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html#API_GetRole_Errors).
    fn no_such_entity(message: String) -> Self {
        IamError {
            code: "NoSuchEntity",
            status: StatusCode::NOT_FOUND,
            message,
        }
    }

    fn validation(message: String) -> Self {
        IamError {
            code: "ValidationError",
            status: StatusCode::BAD_REQUEST,
            message,
        }
    }
}

type Params = Vec<(String, String)>;

impl IamApiService {
    pub fn from_world(world: &World) -> Self {
        IamApiService {
            account_id: world.account_id.clone(),
            entities: IamEntities::from_world(world),
        }
    }

    pub fn handle(&self, core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        // Query-protocol parameters come in the form body (POST) or the query string (GET).
        let mut params: Params = form_urlencoded::parse(&request.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        params.extend(request.query.iter().cloned());
        let action = param(&params, "Action").unwrap_or_default().to_owned();
        let result = self.dispatch(core, request, &action, &params);
        match result {
            Ok(result_xml) => SimResponse::new(
                StatusCode::OK,
                "text/xml",
                format!(
                    "<{action}Response xmlns=\"{NAMESPACE}\"><{action}Result>{result_xml}</{action}Result><ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata></{action}Response>",
                    xml_escape(&request.request_id)
                ),
            ),
            Err(error) => error_response(&error, &request.request_id),
        }
    }

    fn dispatch(
        &self,
        core: &dyn SimCore,
        request: &SimRequest,
        action: &str,
        params: &Params,
    ) -> Result<String, IamError> {
        let caller =
            |iam_action: &str, resource: &str| authorize(core, request, iam_action, resource);
        match action {
            // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html>.
            "GetRole" => {
                let role = self.role(params, |role| caller("iam:GetRole", &role.arn))?;
                Ok(format!(
                    "<Role><Path>{}</Path><RoleName>{}</RoleName><RoleId>{}</RoleId><Arn>{}</Arn><CreateDate>{}</CreateDate><AssumeRolePolicyDocument>{}</AssumeRolePolicyDocument><MaxSessionDuration>{}</MaxSessionDuration></Role>",
                    xml_escape(&role.path),
                    xml_escape(&role.name),
                    xml_escape(&role.role_id),
                    xml_escape(&role.arn),
                    iso8601(core.now()),
                    encode_document(&role.trust_policy),
                    role.max_session_duration,
                ))
            }
            // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html>.
            "ListRolePolicies" => {
                let role = self.role(params, |role| caller("iam:ListRolePolicies", &role.arn))?;
                let members: String = role
                    .inline_policies
                    .keys()
                    .map(|name| format!("<member>{}</member>", xml_escape(name)))
                    .collect();
                Ok(format!(
                    "<PolicyNames>{members}</PolicyNames><IsTruncated>false</IsTruncated>"
                ))
            }
            // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html>.
            "GetRolePolicy" => {
                let role = self.role(params, |role| caller("iam:GetRolePolicy", &role.arn))?;
                let name = required(params, "PolicyName")?;
                let document = role.inline_policies.get(name).ok_or_else(|| {
                    IamError::no_such_entity(format!(
                        "The role policy with name {name} cannot be found."
                    ))
                })?;
                Ok(format!(
                    "<RoleName>{}</RoleName><PolicyName>{}</PolicyName><PolicyDocument>{}</PolicyDocument>",
                    xml_escape(&role.name),
                    xml_escape(name),
                    encode_document(document)
                ))
            }
            // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html>.
            "ListAttachedRolePolicies" => {
                let role = self.role(params, |role| {
                    caller("iam:ListAttachedRolePolicies", &role.arn)
                })?;
                let members: String = role
                    .attached_policies
                    .iter()
                    .map(|arn| {
                        let name = self
                            .entities
                            .policies
                            .get(arn)
                            .map_or_else(|| arn.rsplit('/').next().unwrap_or(arn), |p| &p.name);
                        format!(
                            "<member><PolicyName>{}</PolicyName><PolicyArn>{}</PolicyArn></member>",
                            xml_escape(name),
                            xml_escape(arn)
                        )
                    })
                    .collect();
                Ok(format!(
                    "<AttachedPolicies>{members}</AttachedPolicies><IsTruncated>false</IsTruncated>"
                ))
            }
            // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html>.
            "GetPolicy" => {
                let policy = self.policy(params, |policy| caller("iam:GetPolicy", &policy.arn))?;
                let now = iso8601(core.now());
                Ok(format!(
                    "<Policy><PolicyName>{}</PolicyName><PolicyId>{}</PolicyId><Arn>{}</Arn><Path>{}</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>{}</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable><CreateDate>{now}</CreateDate><UpdateDate>{now}</UpdateDate></Policy>",
                    xml_escape(&policy.name),
                    xml_escape(&policy.policy_id),
                    xml_escape(&policy.arn),
                    xml_escape(&policy.path),
                    policy.attachment_count,
                ))
            }
            // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html>.
            "GetPolicyVersion" => {
                let policy =
                    self.policy(params, |policy| caller("iam:GetPolicyVersion", &policy.arn))?;
                let version = required(params, "VersionId")?;
                // A world's managed policy has one version, `v1`, its default.
                if version != "v1" {
                    return Err(IamError::no_such_entity(format!(
                        "Policy {} version {version} does not exist or is not attachable.",
                        policy.arn
                    )));
                }
                Ok(format!(
                    "<PolicyVersion><Document>{}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>{}</CreateDate></PolicyVersion>",
                    encode_document(&policy.document),
                    iso8601(core.now())
                ))
            }
            "" => Err(IamError {
                code: "MissingAction",
                status: StatusCode::BAD_REQUEST,
                message: "Missing Action".to_owned(),
            }),
            other => Err(IamError {
                code: "InvalidAction",
                status: StatusCode::BAD_REQUEST,
                message: format!(
                    "Could not find operation {other} for version 2010-05-08 (local staging serves IAM's role and policy reads)"
                ),
            }),
        }
    }

    /// The role named by `RoleName`, after `authorized` accepted the call on its ARN. A
    /// caller without permission is denied before it learns whether the role exists.
    fn role(
        &self,
        params: &Params,
        authorized: impl Fn(&RoleEntity) -> Result<(), IamError>,
    ) -> Result<&RoleEntity, IamError> {
        let name = required(params, "RoleName")?;
        match self.entities.roles.get(name) {
            Some(role) => authorized(role).map(|()| role),
            None => {
                // The ARN the caller would need permission on, so a denial still names it.
                let placeholder = RoleEntity {
                    name: name.to_owned(),
                    path: "/".to_owned(),
                    arn: format!("arn:aws:iam::{}:role/{name}", self.account_id),
                    role_id: String::new(),
                    trust_policy: String::new(),
                    max_session_duration: 0,
                    inline_policies: Default::default(),
                    attached_policies: Vec::new(),
                };
                authorized(&placeholder)?;
                Err(IamError::no_such_entity(format!(
                    "The role with name {name} cannot be found."
                )))
            }
        }
    }

    fn policy(
        &self,
        params: &Params,
        authorized: impl Fn(&ManagedPolicyEntity) -> Result<(), IamError>,
    ) -> Result<&ManagedPolicyEntity, IamError> {
        let arn = required(params, "PolicyArn")?;
        match self.entities.policies.get(arn) {
            Some(policy) => authorized(policy).map(|()| policy),
            None => Err(IamError::no_such_entity(format!(
                "Policy {arn} does not exist or is not attachable."
            ))),
        }
    }
}

/// Authorizes a signed read with IAM on the entity's ARN; unsigned calls are refused.
/// Action names per <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html>.
fn authorize(
    core: &dyn SimCore,
    request: &SimRequest,
    action: &str,
    resource: &str,
) -> Result<(), IamError> {
    let Some(principal) = request.caller.as_deref() else {
        // See <https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html> (MissingAuthenticationToken).
        return Err(IamError {
            code: "MissingAuthenticationToken",
            status: StatusCode::FORBIDDEN,
            message: "Request is missing Authentication Token".to_owned(),
        });
    };
    let evaluation = core.authorize(&AccessRequest {
        principal,
        action,
        resource,
        context: RequestContext::new(),
        resource_policy: None,
    });
    if evaluation.is_allowed() {
        return Ok(());
    }
    // IAM denies with 403 AccessDenied, naming caller, action, resource and reason
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
    let reason = evaluation.denial_reason(action).unwrap_or_default();
    Err(IamError {
        code: "AccessDenied",
        status: StatusCode::FORBIDDEN,
        message: format!(
            "User: {} is not authorized to perform: {action} on resource: {resource} {reason}",
            principal.arn
        ),
    })
}

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, IamError> {
    param(params, name).ok_or_else(|| {
        IamError::validation(format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            lower_first(name)
        ))
    })
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A policy document as IAM returns it: URL-encoded, then XML-escaped.
fn encode_document(document: &str) -> String {
    xml_escape(&utf8_percent_encode(document, RFC_3986).to_string())
}

fn error_response(error: &IamError, request_id: &str) -> SimResponse {
    let kind = if error.status.is_server_error() {
        "Receiver"
    } else {
        "Sender"
    };
    SimResponse::new(
        error.status,
        "text/xml",
        format!(
            "<ErrorResponse xmlns=\"{NAMESPACE}\"><Error><Type>{kind}</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
            error.code,
            xml_escape(&error.message),
            xml_escape(request_id)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_rfc_3986_encoded_and_decode_back() {
        let document = r#"{"Statement":[{"Resource":"arn:aws:s3:::b/${aws:PrincipalTag/t}/*"}]}"#;
        let encoded = utf8_percent_encode(document, RFC_3986).to_string();
        assert!(encoded.starts_with("%7B%22Statement%22%3A"), "{encoded}");
        assert!(!encoded.contains('/'));
        let decoded = percent_encoding::percent_decode_str(&encoded)
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, document);
    }
}
