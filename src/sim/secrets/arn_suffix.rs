//! The six random characters Secrets Manager appends to a secret's ARN, made
//! deterministic so that reports of two runs against the same world are diffable.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Secrets Manager appends a hyphen and six random characters to the name, so that a
/// secret deleted and recreated under the same name gets a new ARN; `generation` counts
/// how often the name was created in this world.
/// See https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources.
pub(crate) fn arn_suffix(account: &str, region: &str, name: &str, generation: u32) -> String {
    let digest = Sha256::digest(format!("{account}\0{region}\0{name}\0{generation}").as_bytes());
    digest
        .iter()
        .take(6)
        .map(|byte| ALPHABET[usize::from(*byte) % ALPHABET.len()] as char)
        .collect()
}

/// `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf`.
pub(crate) fn secret_arn(account: &str, region: &str, name: &str, generation: u32) -> String {
    format!(
        "arn:aws:secretsmanager:{region}:{account}:secret:{name}-{}",
        arn_suffix(account, region, name, generation)
    )
}

/// The ARN a policy sees for a secret that does not exist: the name without a suffix.
pub(crate) fn unsuffixed_arn(account: &str, region: &str, name: &str) -> String {
    format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_six_alphanumerics_stable_per_world_and_new_per_generation() {
        let first = secret_arn("123456789012", "us-east-1", "tenant-a/db", 0);
        assert_eq!(
            first,
            secret_arn("123456789012", "us-east-1", "tenant-a/db", 0)
        );
        let suffix = first.rsplit('-').next().unwrap();
        assert_eq!(suffix.len(), 6);
        assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(
            first.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:tenant-a/db-")
        );
        assert_ne!(
            first,
            secret_arn("123456789012", "us-east-1", "tenant-a/db", 1)
        );
    }
}
