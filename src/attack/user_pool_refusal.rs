//! The fail-closed verdict of a user-pool call an attack made that did not do what it
//! tried: Denied only for the refusal the API reference documents for what was tried (an
//! attribute the client may not write, an immutable attribute, self sign-up off);
//! anything else, an expired or invalid access token among it, is Inconclusive.

use super::refusal::{refusal_or_inconclusive, unanswered};
use crate::probe::{Classification, Observation};

/// Which user-pool call the attack made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserPoolCall {
    UpdateUserAttributes,
    SignUp,
}

impl UserPoolCall {
    pub fn api(self) -> &'static str {
        match self {
            UserPoolCall::UpdateUserAttributes => "cognito-idp:UpdateUserAttributes",
            UserPoolCall::SignUp => "cognito-idp:SignUp",
        }
    }
}

/// Whether a refusal is about the attributes sent (not about the call as a whole).
pub fn refused_for_attributes(observation: &Observation) -> bool {
    observation.error_code.as_deref() == Some("NotAuthorizedException")
        && message(observation).contains("unauthorized attribute")
}

/// Classifies a failed user-pool call.
pub fn classify_user_pool_refusal(call: UserPoolCall, observation: &Observation) -> Classification {
    let api = call.api();
    if let Some(unanswered) = unanswered(api, observation) {
        return unanswered;
    }
    let code = observation.error_code.as_deref().unwrap_or_default();
    let text = message(observation);
    let lowered = text.to_lowercase();
    let denied = match (call, code) {
        // A client without write permission on the attribute: NotAuthorizedException "A
        // client attempted to write unauthorized attribute"; the same code for an invalid
        // or expired access token proves nothing about the attribute
        // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html#API_UpdateUserAttributes_Errors,
        // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-WriteAttributes).
        (UserPoolCall::UpdateUserAttributes, "NotAuthorizedException")
            if refused_for_attributes(observation) =>
        {
            Some("the app client may not write this attribute")
        }
        // An attribute the schema makes immutable: InvalidParameterException "Attribute
        // cannot be updated"; other parameter errors (validation, format) stay Inconclusive
        // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SchemaAttributeType.html#CognitoUserPools-Type-SchemaAttributeType-Mutable).
        (UserPoolCall::UpdateUserAttributes, "InvalidParameterException")
            if lowered.contains("cannot be updated") || lowered.contains("immutable") =>
        {
            Some("the attribute is immutable")
        }
        // The value is another user's alias (email or phone as a sign-in alias): the write
        // is refused with AliasExistsException
        // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html#API_UpdateUserAttributes_Errors).
        (UserPoolCall::UpdateUserAttributes, "AliasExistsException") => {
            Some("the value is another user's sign-in alias")
        }
        // Self sign-up off (AllowAdminCreateUserOnly): NotAuthorizedException
        // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html#API_SignUp_Errors,
        // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html).
        (UserPoolCall::SignUp, "NotAuthorizedException")
            if lowered.contains("signup is not permitted") =>
        {
            Some("self sign-up is off: only administrators create users")
        }
        _ => None,
    };
    refusal_or_inconclusive(api, code, text, denied)
}

fn message(observation: &Observation) -> &str {
    observation.error_message.as_deref().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{CallEnd, Verdict};

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
    fn only_the_documented_refusals_of_a_tamper_are_denials() {
        let update = UserPoolCall::UpdateUserAttributes;
        for denied in [
            error(
                "NotAuthorizedException",
                "A client attempted to write unauthorized attribute",
            ),
            error(
                "InvalidParameterException",
                "user.custom:plan: Attribute cannot be updated.",
            ),
            error(
                "AliasExistsException",
                "An account with the given email already exists.",
            ),
        ] {
            assert_eq!(
                classify_user_pool_refusal(update, &denied).verdict,
                Verdict::Denied
            );
        }
        for unsure in [
            error("NotAuthorizedException", "Access Token has expired"),
            error("NotAuthorizedException", "Invalid Access Token"),
            error("InvalidParameterException", "1 validation error detected"),
            error("TooManyRequestsException", "Rate exceeded"),
        ] {
            assert_eq!(
                classify_user_pool_refusal(update, &unsure).verdict,
                Verdict::Inconclusive,
                "{unsure:?}"
            );
        }
    }

    #[test]
    fn sign_up_is_denied_only_when_self_sign_up_is_off() {
        let off = error(
            "NotAuthorizedException",
            "SignUp is not permitted for this user pool",
        );
        assert_eq!(
            classify_user_pool_refusal(UserPoolCall::SignUp, &off).verdict,
            Verdict::Denied
        );
        let attributes = error(
            "NotAuthorizedException",
            "A client attempted to write unauthorized attribute",
        );
        assert!(refused_for_attributes(&attributes));
        assert_eq!(
            classify_user_pool_refusal(UserPoolCall::SignUp, &attributes).verdict,
            Verdict::Inconclusive
        );
    }
}
