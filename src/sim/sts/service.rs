//! STS's query protocol: form-encoded `Action` requests, XML responses in the
//! `https://sts.amazonaws.com/doc/2011-06-15/` namespace.
//! See <https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html>.

use super::assume_role::{AssumeRoleRequest, assume_role};
use super::web_identity::assume_role_with_web_identity;
use crate::sim::auth_error::{query_error, xml_escape};
use crate::sim::clock::iso8601;
use crate::sim::core::{StsError, WebIdentityRequest};
use crate::sim::request::{SimRequest, SimResponse};
use crate::sim::state::SimState;
use http::StatusCode;

const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

#[derive(Debug, Default)]
pub struct StsService;

impl StsService {
    pub fn handle(&self, state: &SimState, request: &SimRequest) -> SimResponse {
        // Query-protocol parameters come in the form body (POST) or the query string (GET).
        let mut params: Vec<(String, String)> = form_urlencoded::parse(&request.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        params.extend(request.query.iter().cloned());
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let result = match get("Action") {
            Some("AssumeRoleWithWebIdentity") => web_identity_action(state, &params),
            Some("GetCallerIdentity") => get_caller_identity(request),
            Some("AssumeRole") => assume_role_action(state, request, &params),
            Some(other) => Err(StsError {
                code: "InvalidAction".to_string(),
                message: format!("Could not find operation {other} for version 2011-06-15"),
                status: 400,
            }),
            None => Err(StsError {
                code: "MissingAction".to_string(),
                message: "Missing Action".to_string(),
                status: 400,
            }),
        };
        match result {
            Ok((action, result_xml)) => SimResponse::new(
                StatusCode::OK,
                "text/xml",
                format!(
                    "<{action}Response xmlns=\"{NAMESPACE}\"><{action}Result>{result_xml}</{action}Result><ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata></{action}Response>",
                    xml_escape(&request.request_id)
                ),
            ),
            Err(error) => query_error(
                StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST),
                &error.code,
                &error.message,
                &request.request_id,
            ),
        }
    }
}

/// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>.
fn web_identity_action(
    state: &SimState,
    params: &[(String, String)],
) -> Result<(&'static str, String), StsError> {
    let get = |name: &str| param(params, name);
    let required = |name: &str| required_param(params, name);
    let duration_seconds = duration_seconds(params)?;
    let request = WebIdentityRequest {
        role_arn: required("RoleArn")?,
        role_session_name: required("RoleSessionName")?,
        web_identity_token: required("WebIdentityToken")?,
        duration_seconds,
        policy: get("Policy"),
        policy_arns: policy_arns(params),
    };
    let issued = assume_role_with_web_identity(state, &request)?;
    let xml = format!(
        "<SubjectFromWebIdentityToken>{}</SubjectFromWebIdentityToken><Audience>{}</Audience><AssumedRoleUser><Arn>{}</Arn><AssumedRoleId>{}</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey><SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials><Provider>{}</Provider>",
        xml_escape(&issued.subject_from_web_identity_token),
        xml_escape(&issued.audience),
        xml_escape(&issued.assumed_role_arn),
        xml_escape(&issued.assumed_role_id),
        xml_escape(&issued.access_key_id),
        xml_escape(&issued.secret_access_key),
        xml_escape(&issued.session_token),
        iso8601(issued.expiration),
        xml_escape(&issued.provider),
    );
    Ok(("AssumeRoleWithWebIdentity", xml))
}

/// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>.
fn assume_role_action(
    state: &SimState,
    request: &SimRequest,
    params: &[(String, String)],
) -> Result<(&'static str, String), StsError> {
    let caller = signed_caller(request)?;
    let get = |name: &str| param(params, name);
    let required = |name: &str| required_param(params, name);
    // Session tags, MFA and source identity on AssumeRole are not emulated: refusing them
    // is better than a session that silently lacks them.
    if let Some((name, _)) = params.iter().find(|(k, _)| {
        k.starts_with("Tags.")
            || k.starts_with("TransitiveTagKeys.")
            || k.starts_with("ProvidedContexts.")
            || ["SerialNumber", "TokenCode", "SourceIdentity"].contains(&k.as_str())
    }) {
        return Err(StsError {
            code: "ValidationError".to_string(),
            message: format!("local staging does not emulate AssumeRole's `{name}` parameter"),
            status: 400,
        });
    }
    let duration_seconds = duration_seconds(params)?;
    let assumed = assume_role(
        state,
        caller,
        &AssumeRoleRequest {
            role_arn: required("RoleArn")?,
            role_session_name: required("RoleSessionName")?,
            duration_seconds,
            external_id: get("ExternalId"),
            policy: get("Policy"),
            policy_arns: policy_arns(params),
        },
    )?;
    let xml = format!(
        "<Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey><SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>{}</AssumedRoleId><Arn>{}</Arn></AssumedRoleUser>",
        xml_escape(&assumed.keys.access_key_id),
        xml_escape(assumed.keys.secret_access_key.expose()),
        xml_escape(assumed.keys.session_token.expose()),
        iso8601(assumed.expiration),
        xml_escape(&assumed.principal.userid),
        xml_escape(&assumed.principal.arn),
    );
    Ok(("AssumeRole", xml))
}

/// The value of query parameter `name`.
fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// The value of a required query parameter, or the ValidationError AWS gives for a missing
/// member.
fn required_param(params: &[(String, String)], name: &str) -> Result<String, StsError> {
    param(params, name).ok_or_else(|| StsError {
        code: "ValidationError".to_string(),
        message: format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            lower_first(name)
        ),
        status: 400,
    })
}

/// `DurationSeconds`, if given.
fn duration_seconds(params: &[(String, String)]) -> Result<Option<u32>, StsError> {
    param(params, "DurationSeconds")
        .map(|text| {
            text.parse::<u32>().map_err(|_| StsError {
                code: "ValidationError".to_string(),
                message: "DurationSeconds is not a number".to_string(),
                status: 400,
            })
        })
        .transpose()
}

/// The managed session policies, in member order: `PolicyArns.member.N.arn` in the query
/// protocol.
fn policy_arns(params: &[(String, String)]) -> Vec<String> {
    let mut numbered: Vec<(usize, String)> = params
        .iter()
        .filter_map(|(k, v)| {
            let n = k.strip_prefix("PolicyArns.member.")?.strip_suffix(".arn")?;
            Some((n.parse().ok()?, v.clone()))
        })
        .collect();
    numbered.sort();
    numbered.into_iter().map(|(_, arn)| arn).collect()
}

/// The caller of a signed STS action.
/// See <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html> (MissingAuthenticationToken).
fn signed_caller(request: &SimRequest) -> Result<&crate::sim::principal::Principal, StsError> {
    request.caller.as_deref().ok_or_else(|| StsError {
        code: "MissingAuthenticationToken".to_string(),
        message: "Request is missing Authentication Token".to_string(),
        status: 403,
    })
}

/// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>.
fn get_caller_identity(request: &SimRequest) -> Result<(&'static str, String), StsError> {
    // Every STS action except the web-identity and SAML exchanges must be signed.
    // See <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html> (MissingAuthenticationToken).
    let caller = request.caller.as_ref().ok_or_else(|| StsError {
        code: "MissingAuthenticationToken".to_string(),
        message: "Request is missing Authentication Token".to_string(),
        status: 403,
    })?;
    Ok((
        "GetCallerIdentity",
        format!(
            "<Arn>{}</Arn><UserId>{}</UserId><Account>{}</Account>",
            xml_escape(&caller.arn),
            xml_escape(&caller.userid),
            xml_escape(&caller.account)
        ),
    ))
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
