//! Reading the JSON body of a user pools request, with the validation errors Cognito gives.

use super::error::IdpError;
use serde_json::{Map, Value};

/// A parsed JSON 1.1 request body.
pub struct RequestBody(Map<String, Value>);

impl RequestBody {
    /// Parses the body; anything but a JSON object is a `SerializationException`.
    pub fn parse(bytes: &[u8]) -> Result<Self, IdpError> {
        let bytes = if bytes.is_empty() {
            b"{}".as_slice()
        } else {
            bytes
        };
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(RequestBody(map)),
            _ => Err(IdpError::Serialization(
                "the request body is not a JSON object".to_string(),
            )),
        }
    }

    /// A required string member; absent or empty gives Cognito's validation message.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html>.
    pub fn required(&self, name: &str) -> Result<&str, IdpError> {
        match self.0.get(name).and_then(Value::as_str) {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(IdpError::InvalidParameter(format!(
                "1 validation error detected: Value at '{}' failed to satisfy constraint: Member must not be null",
                lower_first(name)
            ))),
        }
    }

    pub fn optional(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// A string-to-string map member such as `AuthParameters`.
    pub fn string_map(&self, name: &str) -> StringMap<'_> {
        StringMap(self.0.get(name).and_then(Value::as_object))
    }

    /// A list of `{Name, Value}` attributes such as `UserAttributes`.
    pub fn attributes(&self, name: &str) -> Result<Vec<(String, String)>, IdpError> {
        let Some(list) = self.0.get(name) else {
            return Ok(Vec::new());
        };
        let malformed = || IdpError::Serialization(format!("`{name}` is not a list of attributes"));
        list.as_array()
            .ok_or_else(malformed)?
            .iter()
            .map(|item| {
                let name = item
                    .get("Name")
                    .and_then(Value::as_str)
                    .ok_or_else(malformed)?;
                let value = item
                    .get("Value")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                Ok((name.to_string(), value.to_string()))
            })
            .collect()
    }
}

/// A JSON object of strings.
pub struct StringMap<'a>(Option<&'a Map<String, Value>>);

impl StringMap<'_> {
    /// Every string entry, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .into_iter()
            .flat_map(|map| map.iter())
            .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0?.get(key).and_then(Value::as_str)
    }

    /// A required entry, with the message Cognito gives for a missing auth parameter.
    pub fn required(&self, key: &str) -> Result<&str, IdpError> {
        self.get(key)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| IdpError::InvalidParameter(format!("Missing required parameter {key}")))
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
