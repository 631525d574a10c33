//! The fail-closed verdict of an identity-layer call that did not hand out what the attack
//! tried for: Denied only for the refusal each API reference documents, Inconclusive for
//! everything else.

use crate::probe::{CallEnd, Classification, Observation, Verdict};

/// What an attack call was, so that only its own documented refusals count as denials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityCall {
    /// GetId without logins (the guest).
    GetId,
    GetOpenIdToken,
    AssumeRoleWithWebIdentity,
    /// GetCredentialsForIdentity; `custom_role` when CustomRoleArn was set.
    GetCredentialsForIdentity {
        custom_role: bool,
    },
}

impl IdentityCall {
    pub fn api(self) -> &'static str {
        match self {
            IdentityCall::GetId => "cognito-identity:GetId",
            IdentityCall::GetOpenIdToken => "cognito-identity:GetOpenIdToken",
            IdentityCall::AssumeRoleWithWebIdentity => "sts:AssumeRoleWithWebIdentity",
            IdentityCall::GetCredentialsForIdentity { .. } => {
                "cognito-identity:GetCredentialsForIdentity"
            }
        }
    }
}

/// Classifies a failed identity-layer call.
pub fn classify_refusal(call: IdentityCall, observation: &Observation) -> Classification {
    let api = call.api();
    if let Some(unanswered) = unanswered(api, observation) {
        return unanswered;
    }
    let code = observation.error_code.as_deref().unwrap_or_default();
    let message = observation.error_message.as_deref().unwrap_or_default();
    let denied = match (call, code) {
        // GetOpenIdToken on a pool whose basic (classic) flow is off: InvalidParameterException
        // "Basic (classic) flow is not enabled, please use enhanced flow." Any other
        // InvalidParameterException (a reported "... not supported with RoleMappings ..."
        // among them, which no AWS page documents) stays Inconclusive
        // (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html,
        // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html).
        (IdentityCall::GetOpenIdToken, "InvalidParameterException")
            if message.contains("Basic (classic) flow") =>
        {
            Some("the identity pool refuses the basic (classic) flow")
        }
        // Logins that do not own the identity, or a pool without guest access, are refused
        // with NotAuthorizedException
        // (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html#API_GetOpenIdToken_Errors,
        // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html#API_GetId_Errors).
        (IdentityCall::GetOpenIdToken | IdentityCall::GetId, "NotAuthorizedException") => {
            Some("the identity pool refused the identity")
        }
        // A role whose trust policy refuses the token: AccessDenied "Not authorized to
        // perform sts:AssumeRoleWithWebIdentity"
        // (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_Errors).
        (IdentityCall::AssumeRoleWithWebIdentity, "AccessDenied")
            if message.contains("sts:AssumeRoleWithWebIdentity") =>
        {
            Some("the role's trust policy refused the token")
        }
        // NotAuthorizedException: logins that do not own the identity id, a CustomRoleArn
        // the mapping does not allow, or AmbiguousRoleResolution Deny
        // (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html#API_GetCredentialsForIdentity_Errors,
        // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html).
        (IdentityCall::GetCredentialsForIdentity { .. }, "NotAuthorizedException") => {
            Some("the identity pool refused credentials")
        }
        // No role to give, or the role refuses the pool: InvalidIdentityPoolConfigurationException
        // (same API reference).
        (
            IdentityCall::GetCredentialsForIdentity { .. },
            "InvalidIdentityPoolConfigurationException",
        ) => Some("the identity pool has no role it can give this identity"),
        // A CustomRoleArn the pool does not accept as a parameter (same API reference).
        (
            IdentityCall::GetCredentialsForIdentity { custom_role: true },
            "InvalidParameterException",
        ) => Some("the identity pool refused the CustomRoleArn"),
        _ => None,
    };
    refusal_or_inconclusive(api, code, message, denied)
}

/// Inconclusive for a call that ended without an error response (success, timeout,
/// network, an unparsable answer, never sent): none of those is a refusal.
pub(super) fn unanswered(api: &str, observation: &Observation) -> Option<Classification> {
    if observation.end == CallEnd::ServiceError {
        return None;
    }
    let detail = observation
        .transport_detail
        .clone()
        .unwrap_or_else(|| "no detail".to_owned());
    let how = match observation.end {
        CallEnd::Success => "succeeded",
        CallEnd::Timeout => "timed out",
        CallEnd::Network => "failed on the network",
        CallEnd::MalformedResponse => "returned a response that could not be parsed",
        CallEnd::RequestNotSent | CallEnd::ServiceError => "was never sent",
    };
    Some(inconclusive(format!("{api} {how}: {detail}")))
}

/// Denied for a documented refusal (`denied` says why), Inconclusive for any other error.
pub(super) fn refusal_or_inconclusive(
    api: &str,
    code: &str,
    message: &str,
    denied: Option<&str>,
) -> Classification {
    match denied {
        Some(why) => Classification {
            verdict: Verdict::Denied,
            denial: None,
            reason: format!("{api} returned {code}: {why}"),
        },
        None => inconclusive(format!(
            "{api} returned {code} ({message}), which is not a documented refusal of this call"
        )),
    }
}

fn inconclusive(reason: String) -> Classification {
    Classification {
        verdict: Verdict::Inconclusive,
        denial: None,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: &str, message: &str) -> Observation {
        Observation {
            end: CallEnd::ServiceError,
            http_status: Some(400),
            error_code: Some(code.to_owned()),
            error_message: Some(message.to_owned()),
            request_id: None,
            transport_detail: None,
            shape_problem: None,
        }
    }

    #[test]
    fn each_call_is_denied_only_by_its_documented_refusal() {
        let classic_off = error(
            "InvalidParameterException",
            "Basic (classic) flow is not enabled, please use enhanced flow.",
        );
        assert_eq!(
            classify_refusal(IdentityCall::GetOpenIdToken, &classic_off).verdict,
            Verdict::Denied
        );
        let trust = error(
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        );
        assert_eq!(
            classify_refusal(IdentityCall::AssumeRoleWithWebIdentity, &trust).verdict,
            Verdict::Denied
        );
        let mismatch = error("NotAuthorizedException", "Logins don't match.");
        let swap = IdentityCall::GetCredentialsForIdentity { custom_role: false };
        assert_eq!(classify_refusal(swap, &mismatch).verdict, Verdict::Denied);
        let bad_role = error("InvalidParameterException", "bad CustomRoleArn");
        assert_eq!(
            classify_refusal(
                IdentityCall::GetCredentialsForIdentity { custom_role: true },
                &bad_role
            )
            .verdict,
            Verdict::Denied
        );
    }

    #[test]
    fn anything_else_is_inconclusive() {
        let swap = IdentityCall::GetCredentialsForIdentity { custom_role: false };
        for observation in [
            error("InvalidParameterException", "1 validation error detected"),
            error("ResourceNotFoundException", "Identity not found."),
            error("TooManyRequestsException", "Rate exceeded"),
            error("InternalErrorException", "boom"),
        ] {
            assert_eq!(
                classify_refusal(swap, &observation).verdict,
                Verdict::Inconclusive,
                "{observation:?}"
            );
        }
        let other_message = error("AccessDenied", "Request has expired");
        assert_eq!(
            classify_refusal(IdentityCall::AssumeRoleWithWebIdentity, &other_message).verdict,
            Verdict::Inconclusive
        );
        let classic_other = error("InvalidParameterException", "IdentityId is malformed");
        assert_eq!(
            classify_refusal(IdentityCall::GetOpenIdToken, &classic_other).verdict,
            Verdict::Inconclusive
        );
        let network = Observation {
            end: CallEnd::Network,
            http_status: None,
            error_code: None,
            error_message: None,
            request_id: None,
            transport_detail: Some("connection reset".to_owned()),
            shape_problem: None,
        };
        assert_eq!(
            classify_refusal(IdentityCall::GetOpenIdToken, &network).verdict,
            Verdict::Inconclusive
        );
    }
}
