//! ListSecrets: every secret's metadata in the account, authorized on `*` only (the
//! action supports no resource), with filters and pagination.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html.

use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};

use super::access::SecretAccess;
use super::secret_record::SecretRecord;
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

/// MaxResults is 1 to 100; without it, up to 100 are returned.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html#SecretsManager-ListSecrets-request-MaxResults.
const MAX_RESULTS: i64 = 100;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ListSecretsInput {
    #[serde(default)]
    max_results: Option<i64>,
    #[serde(default)]
    next_token: Option<String>,
    #[serde(default)]
    filters: Vec<FilterInput>,
    #[serde(default)]
    include_planned_deletion: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FilterInput {
    key: String,
    #[serde(default)]
    values: Vec<String>,
}

/// A filter's match rule: prefix matches, case-sensitive except `description`; `all`
/// looks for each word of the value in the name, description and tags, ignoring case;
/// a leading `!` negates.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Filter.html.
fn filter_matches(key: &str, value: &str, secret: &SecretRecord) -> bool {
    let (negated, value) = match value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let found = match key {
        "name" => secret.name.starts_with(value),
        "description" => secret
            .description
            .as_deref()
            .is_some_and(|d| d.to_lowercase().starts_with(&value.to_lowercase())),
        "tag-key" => secret.tags.iter().any(|(k, _)| k.starts_with(value)),
        "tag-value" => secret.tags.iter().any(|(_, v)| v.starts_with(value)),
        // Local staging's secrets have no primary region replica or owning service.
        "primary-region" | "owning-service" => false,
        _ => {
            let haystack = std::iter::once(secret.name.as_str())
                .chain(secret.description.as_deref())
                .chain(
                    secret
                        .tags
                        .iter()
                        .flat_map(|(k, v)| [k.as_str(), v.as_str()]),
                )
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            value
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| !word.is_empty())
                .any(|word| haystack.contains(&word.to_lowercase()))
        }
    };
    found != negated
}

const FILTER_KEYS: &[&str] = &[
    "description",
    "name",
    "tag-key",
    "tag-value",
    "primary-region",
    "owning-service",
    "all",
];

pub(crate) fn list_secrets(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &SecretsState,
    input: ListSecretsInput,
) -> Result<Value, SecretsError> {
    SecretAccess {
        action: "secretsmanager:ListSecrets",
        resource: "*",
        shown_resource: None,
        context: RequestContext::new(),
        resource_policy: None,
    }
    .require(core, caller)?;
    let max_results = input.max_results.unwrap_or(MAX_RESULTS);
    if !(1..=MAX_RESULTS).contains(&max_results) {
        return Err(SecretsError::invalid_parameter(
            "MaxResults must be between 1 and 100.",
        ));
    }
    for filter in &input.filters {
        if !FILTER_KEYS.contains(&filter.key.as_str()) {
            return Err(SecretsError::invalid_parameter(format!(
                "Invalid filter key: {}",
                filter.key
            )));
        }
        if filter.values.is_empty() || filter.values.len() > 10 {
            return Err(SecretsError::invalid_parameter(
                "Each filter needs 1 to 10 values.",
            ));
        }
    }
    let after = match &input.next_token {
        None => None,
        Some(token) => Some(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(token)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(SecretsError::invalid_next_token)?,
        ),
    };
    let include_deleted = input.include_planned_deletion.unwrap_or(false);
    let mut matching = state
        .secrets
        .values()
        .filter(|secret| after.as_ref().is_none_or(|after| &secret.name > after))
        .filter(|secret| include_deleted || secret.deleted.is_none())
        .filter(|secret| {
            input.filters.iter().all(|filter| {
                filter
                    .values
                    .iter()
                    .any(|value| filter_matches(&filter.key, value, secret))
            })
        });
    let page: Vec<&SecretRecord> = matching.by_ref().take(max_results as usize).collect();
    let mut out = json!({
        "SecretList": page
            .iter()
            .map(|secret| secret.metadata_json("SecretVersionsToStages"))
            .collect::<Vec<_>>(),
    });
    if matching.next().is_some()
        && let Some(last) = page.last()
    {
        out["NextToken"] =
            json!(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last.name.as_bytes()));
    }
    Ok(out)
}
