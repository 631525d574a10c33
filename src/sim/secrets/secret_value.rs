//! A secret version's value, never printed.

use std::fmt;

use crate::secret::SecretString;

/// The value of one version: text or bytes. `Debug` shows only which kind and its size.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum SecretValue {
    Text(SecretString),
    Binary(Vec<u8>),
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretValue::Text(text) => write!(f, "Text({} bytes)", text.expose().len()),
            SecretValue::Binary(bytes) => write!(f, "Binary({} bytes)", bytes.len()),
        }
    }
}

/// The value a CreateSecret or PutSecretValue request carries: at most one of
/// `SecretString` and `SecretBinary` (base64 in the JSON protocol).
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#API_PutSecretValue_RequestSyntax.
pub(crate) fn value_from_input(
    secret_string: Option<String>,
    secret_binary: Option<String>,
) -> Result<Option<SecretValue>, super::secrets_error::SecretsError> {
    use super::secrets_error::SecretsError;
    use base64::Engine;
    match (secret_string, secret_binary) {
        (Some(_), Some(_)) => Err(SecretsError::invalid_parameter(
            "You can't specify both a binary secret value and a string secret value in the same secret.",
        )),
        (Some(text), None) => Ok(Some(SecretValue::Text(SecretString::new(text)))),
        (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map(|bytes| Some(SecretValue::Binary(bytes)))
            .map_err(|_| SecretsError::invalid_parameter("SecretBinary is not valid base64.")),
        (None, None) => Ok(None),
    }
}

/// A `ClientRequestToken` is 32 to 64 characters; without one, a fresh UUID is used as
/// the SDKs do.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#SecretsManager-PutSecretValue-request-ClientRequestToken.
pub(crate) fn version_id_from_token(
    token: Option<String>,
) -> Result<String, super::secrets_error::SecretsError> {
    match token {
        None => Ok(uuid::Uuid::new_v4().to_string()),
        Some(token) if (32..=64).contains(&token.chars().count()) => Ok(token),
        Some(_) => Err(super::secrets_error::SecretsError::invalid_parameter(
            "ClientRequestToken must be 32 to 64 characters long.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_only_the_size() {
        let value = SecretValue::Text(SecretString::new("hunter2"));
        assert_eq!(format!("{value:?}"), "Text(7 bytes)");
        let value = SecretValue::Binary(b"hunter2".to_vec());
        assert!(!format!("{value:?}").contains("104"));
    }
}
