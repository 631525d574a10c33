//! Every secret of the world, looked up by name, full ARN or partial ARN.

use std::collections::BTreeMap;

use super::arn_suffix::{secret_arn, unsuffixed_arn};
use super::secret_record::SecretRecord;
use super::secrets_error::SecretsError;

#[derive(Debug)]
pub(crate) struct SecretsState {
    pub account: String,
    pub region: String,
    /// Keyed by name: names are unique among the account's secrets, including those
    /// scheduled for deletion.
    pub secrets: BTreeMap<String, SecretRecord>,
    /// How many times each name was created, for fresh ARN suffixes after a re-create.
    generations: BTreeMap<String, u32>,
}

impl SecretsState {
    pub fn new(account: &str, region: &str) -> SecretsState {
        SecretsState {
            account: account.to_string(),
            region: region.to_string(),
            secrets: BTreeMap::new(),
            generations: BTreeMap::new(),
        }
    }

    /// The ARN the next creation of `name` gets.
    pub fn next_arn(&self, name: &str) -> String {
        let generation = self.generations.get(name).copied().unwrap_or(0);
        secret_arn(&self.account, &self.region, name, generation)
    }

    /// Stores a newly created secret and advances its name's generation.
    pub fn insert_new(&mut self, record: SecretRecord) {
        *self.generations.entry(record.name.clone()).or_insert(0) += 1;
        self.secrets.insert(record.name.clone(), record);
    }

    /// The name of the secret a `SecretId` designates: a name, a full ARN, or a partial ARN
    /// (the ARN without the six-character suffix).
    /// See https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen.
    pub fn resolve(&self, secret_id: &str) -> Option<&str> {
        if !secret_id.starts_with("arn:") {
            return self.secrets.get(secret_id).map(|s| s.name.as_str());
        }
        self.secrets
            .values()
            .find(|secret| secret.arn == secret_id)
            .or_else(|| {
                self.secrets.values().find(|secret| {
                    unsuffixed_arn(&self.account, &self.region, &secret.name) == secret_id
                })
            })
            .map(|secret| secret.name.as_str())
    }

    /// The ARN a policy is evaluated against when no secret matches `secret_id`: the ARN
    /// as given, or the unsuffixed ARN of the name.
    pub fn unresolved_arn(&self, secret_id: &str) -> String {
        if secret_id.starts_with("arn:") {
            secret_id.to_string()
        } else {
            unsuffixed_arn(&self.account, &self.region, secret_id)
        }
    }

    /// The secret named `name` (as `authorize_on_secret` returned it), refusing one
    /// scheduled for deletion with InvalidRequestException.
    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors.
    pub fn live(&self, name: &str) -> Result<&SecretRecord, SecretsError> {
        let secret = self
            .secrets
            .get(name)
            .ok_or_else(SecretsError::secret_not_found)?;
        if secret.deleted.is_some() {
            return Err(SecretsError::marked_for_deletion());
        }
        Ok(secret)
    }

    /// As [`SecretsState::live`], for changing the secret.
    pub fn live_mut(&mut self, name: &str) -> Result<&mut SecretRecord, SecretsError> {
        let secret = self
            .secrets
            .get_mut(name)
            .ok_or_else(SecretsError::secret_not_found)?;
        if secret.deleted.is_some() {
            return Err(SecretsError::marked_for_deletion());
        }
        Ok(secret)
    }
}
