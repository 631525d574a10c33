//! AWS naming rules for the identifiers a scenario names: regions, S3 buckets and keys,
//! DynamoDB tables and keys, Secrets Manager ids, IAM role ARNs, Cognito pool and client
//! ids. Each check returns what is wrong in words a user can act on.

/// What is wrong with a name, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    pub message: String,
    pub help: String,
}

fn problem(message: impl Into<String>, help: impl Into<String>) -> Result<(), NameProblem> {
    Err(NameProblem {
        message: message.into(),
        help: help.into(),
    })
}

/// AWS region codes, for example `eu-west-1` or `us-gov-west-1`.
/// Follows the region codes listed in the AWS General Reference, "AWS service endpoints".
pub fn check_region(region: &str) -> Result<(), NameProblem> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty();
    if well_formed {
        Ok(())
    } else {
        problem(
            format!("malformed region `{region}`"),
            "write a region code such as `eu-west-1` or `us-east-1`",
        )
    }
}

/// General purpose bucket naming rules (Amazon S3 User Guide, "General purpose bucket
/// naming rules").
pub fn check_bucket_name(bucket: &str) -> Result<(), NameProblem> {
    let help = "bucket names are 3-63 characters of lowercase letters, digits, `.` and `-`, \
                starting and ending with a letter or digit";
    if bucket.len() < 3 || bucket.len() > 63 {
        return problem(
            format!("bucket name `{bucket}` is {} characters long", bucket.len()),
            help,
        );
    }
    if let Some(bad) = bucket
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return problem(format!("bucket name `{bucket}` contains `{bad}`"), help);
    }
    let first = bucket.chars().next().unwrap_or('-');
    let last = bucket.chars().last().unwrap_or('-');
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return problem(
            format!("bucket name `{bucket}` must start and end with a letter or digit"),
            help,
        );
    }
    if bucket.contains("..") {
        return problem(
            format!("bucket name `{bucket}` has two adjacent periods"),
            help,
        );
    }
    if bucket.split('.').count() == 4 && bucket.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return problem(
            format!("bucket name `{bucket}` is formatted as an IP address"),
            help,
        );
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if bucket.starts_with(prefix) {
            return problem(
                format!("bucket name `{bucket}` starts with the reserved prefix `{prefix}`"),
                help,
            );
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if bucket.ends_with(suffix) {
            return problem(
                format!("bucket name `{bucket}` ends with the reserved suffix `{suffix}`"),
                help,
            );
        }
    }
    Ok(())
}

/// Object keys are 1 to 1,024 bytes of UTF-8 (Amazon S3 User Guide, "Naming Amazon S3
/// objects"). A prefix may be empty, meaning the whole bucket.
pub fn check_object_key(key: &str, is_prefix: bool) -> Result<(), NameProblem> {
    if key.is_empty() && !is_prefix {
        return problem(
            "object key is empty",
            "name the object, for example `{tenant}/report.pdf`",
        );
    }
    if key.len() > 1024 {
        return problem(
            format!("object key is {} bytes long", key.len()),
            "S3 object keys are at most 1,024 bytes",
        );
    }
    Ok(())
}

/// Table names are 3-255 characters of `a-z A-Z 0-9 _ - .` (Amazon DynamoDB Developer
/// Guide, "Supported data types and naming rules").
pub fn check_table_name(table: &str) -> Result<(), NameProblem> {
    let help = "table names are 3-255 characters of letters, digits, `_`, `-` and `.`";
    if table.len() < 3 || table.len() > 255 {
        return problem(
            format!("table name `{table}` is {} characters long", table.len()),
            help,
        );
    }
    if let Some(bad) = table
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return problem(format!("table name `{table}` contains `{bad}`"), help);
    }
    Ok(())
}

/// Key attribute names are 1-255 bytes; partition key values at most 2,048 bytes and sort
/// key values at most 1,024 bytes (Amazon DynamoDB Developer Guide, "Service, account, and
/// table quotas": attributes); string key values must not be empty; numbers have at most
/// 38 digits of precision (Developer Guide, "Supported data types": Number).
pub fn check_key_value(
    attribute: &str,
    value: &str,
    is_number: bool,
    is_sort_key: bool,
) -> Result<(), NameProblem> {
    if attribute.is_empty() || attribute.len() > 255 {
        return problem(
            "key attribute name must be 1-255 bytes",
            "name the attribute as the table's key schema does, for example `pk`",
        );
    }
    let limit = if is_sort_key { 1024 } else { 2048 };
    if value.is_empty() {
        return problem(
            format!("key attribute `{attribute}` has an empty value"),
            "key attribute values must not be empty",
        );
    }
    if value.len() > limit {
        return problem(
            format!(
                "key attribute `{attribute}` value is {} bytes long",
                value.len()
            ),
            format!("this key value is limited to {limit} bytes"),
        );
    }
    if is_number && !is_decimal_number(value) {
        return problem(
            format!("key attribute `{attribute}` has `N` value `{value}`, which is not a number"),
            "write a decimal number such as `42` or `-3.5`, or use `S` for strings",
        );
    }
    Ok(())
}

fn is_decimal_number(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let digits_ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let significant = whole.len() + fraction.map_or(0, str::len);
    digits_ok(whole)
        && fraction.is_none_or(digits_ok)
        && exponent.is_none_or(|e| digits_ok(e.strip_prefix(['+', '-']).unwrap_or(e)))
        && significant <= 38
}

/// Secret names are 1-512 characters of letters, digits and `/_+=.@-`; a secret may also
/// be named by ARN (Secrets Manager API Reference, CreateSecret `Name` and `SecretId`).
pub fn check_secret_id(id: &str) -> Result<(), NameProblem> {
    if id.starts_with("arn:") {
        let parts: Vec<&str> = id.splitn(7, ':').collect();
        let ok = parts.len() == 7
            && is_partition(parts[1])
            && parts[2] == "secretsmanager"
            && check_region(parts[3]).is_ok()
            && is_account_id(parts[4])
            && parts[5] == "secret"
            && !parts[6].is_empty();
        if !ok {
            return problem(
                format!("malformed secret ARN `{id}`"),
                "write `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX`, or the secret's name",
            );
        }
        return Ok(());
    }
    let help = "secret names are 1-512 characters of letters, digits and `/_+=.@-`";
    if id.is_empty() || id.chars().count() > 512 {
        return problem(format!("secret name `{id}` has the wrong length"), help);
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/_+=.@-".contains(*c)))
    {
        return problem(format!("secret name `{id}` contains `{bad}`"), help);
    }
    Ok(())
}

/// IAM role ARNs: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` (IAM User Guide, "IAM
/// identifiers": IAM ARNs); role names are 1-64 characters of letters, digits and
/// `+=,.@_-` (IAM API Reference, CreateRole `RoleName`).
pub fn check_role_arn(arn: &str) -> Result<(), NameProblem> {
    let help = "write `arn:aws:iam::123456789012:role/NAME` (a path such as `role/tenants/NAME` is allowed)";
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return problem(format!("malformed role ARN `{arn}`"), help);
    }
    if !is_partition(parts[1]) {
        return problem(
            format!("role ARN `{arn}` has unknown partition `{}`", parts[1]),
            "the partition is `aws`, `aws-cn` or `aws-us-gov`",
        );
    }
    if parts[2] != "iam" || !parts[3].is_empty() {
        return problem(
            format!("role ARN `{arn}` is not an IAM ARN"),
            "IAM ARNs have the service `iam` and an empty region: `arn:aws:iam::ACCOUNT:role/NAME`",
        );
    }
    if !is_account_id(parts[4]) {
        return problem(
            format!(
                "role ARN `{arn}` has account `{}`, not twelve digits",
                parts[4]
            ),
            help,
        );
    }
    let Some(path_and_name) = parts[5].strip_prefix("role/") else {
        return problem(format!("ARN `{arn}` does not name a role"), help);
    };
    let name = path_and_name.rsplit('/').next().unwrap_or("");
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !name_ok {
        return problem(
            format!("role ARN `{arn}` has an invalid role name `{name}`"),
            "role names are 1-64 characters of letters, digits and `+=,.@_-`",
        );
    }
    Ok(())
}

/// User pool ids: `REGION_ID` (Cognito user pools API Reference, `UserPoolId` pattern
/// `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters).
/// With `region`, the id's region must be it.
pub fn check_user_pool_id(id: &str, region: Option<&str>) -> Result<(), NameProblem> {
    let help = format!(
        "user pool ids look like `{}_AbC123def`",
        region.unwrap_or("eu-west-1")
    );
    let Some((pool_region, suffix)) = id.split_once('_') else {
        return problem(format!("malformed user pool id `{id}`"), help);
    };
    if id.len() > 55
        || suffix.is_empty()
        || !suffix.chars().all(|c| c.is_ascii_alphanumeric())
        || check_region(pool_region).is_err()
    {
        return problem(format!("malformed user pool id `{id}`"), help);
    }
    if let Some(region) = region
        && pool_region != region
    {
        return problem(
            format!("user pool `{id}` is in `{pool_region}`, but the target region is `{region}`"),
            "a user pool id starts with the region it lives in; fix the region or the id",
        );
    }
    Ok(())
}

/// App client ids: pattern `[\w+]+`, 1-128 characters (Cognito user pools API Reference,
/// `ClientId`).
pub fn check_client_id(id: &str) -> Result<(), NameProblem> {
    if id.is_empty()
        || id.len() > 128
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
    {
        return problem(
            format!("malformed app client id `{id}`"),
            "app client ids are 1-128 letters, digits, `_` or `+`, as shown in the user pool's app clients",
        );
    }
    Ok(())
}

/// Identity pool ids: `REGION:UUID` (Cognito identity pools API Reference,
/// `IdentityPoolId` pattern `[\w-]+:[0-9a-f-]+`, at most 55 characters).
/// With `region`, the id's region must be it.
pub fn check_identity_pool_id(id: &str, region: Option<&str>) -> Result<(), NameProblem> {
    let help = format!(
        "identity pool ids look like `{}:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`",
        region.unwrap_or("eu-west-1")
    );
    let Some((pool_region, suffix)) = id.split_once(':') else {
        return problem(format!("malformed identity pool id `{id}`"), help);
    };
    if id.len() > 55
        || suffix.is_empty()
        || !suffix
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase() || c == '-')
        || check_region(pool_region).is_err()
    {
        return problem(format!("malformed identity pool id `{id}`"), help);
    }
    if let Some(region) = region
        && pool_region != region
    {
        return problem(
            format!(
                "identity pool `{id}` is in `{pool_region}`, but the target region is `{region}`"
            ),
            "an identity pool id starts with the region it lives in; fix the region or the id",
        );
    }
    Ok(())
}

/// Tenant, user and resource names appear in probe names (`user::tenant/resource::action`),
/// so they must not contain the separators; spaces would make filters awkward.
pub fn check_probe_name_part(kind: &str, name: &str) -> Result<(), NameProblem> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_.@+-".contains(c));
    if ok {
        Ok(())
    } else {
        problem(
            format!("{kind} name `{name}` cannot appear in a probe name"),
            format!(
                "{kind} names are 1-128 letters, digits, `_`, `.`, `@`, `+` or `-` (no spaces, `/` or `:`)"
            ),
        )
    }
}

/// Environment variable names as POSIX shells accept them.
pub fn check_env_name(name: &str) -> Result<(), NameProblem> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        problem(
            format!("`{name}` is not an environment variable name"),
            "use letters, digits and `_`, not starting with a digit, for example `ALICE_PASSWORD`",
        )
    }
}

fn is_partition(partition: &str) -> bool {
    matches!(partition, "aws" | "aws-cn" | "aws-us-gov")
}

fn is_account_id(account: &str) -> bool {
    account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for good in [
            "eu-west-1",
            "us-gov-west-1",
            "ap-southeast-2",
            "il-central-1",
        ] {
            assert!(check_region(good).is_ok(), "{good}");
        }
        for bad in ["eu-west", "EU-west-1", "euwest1", "mars-1", "us-east-1a"] {
            assert!(check_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bucket_names_follow_the_s3_rules() {
        assert!(check_bucket_name("pacific-data.v2").is_ok());
        for bad in [
            "ab",
            "Pacific-data",
            "pacific_data",
            "-pacific",
            "pacific..data",
            "192.168.5.4",
            "xn--pacific",
            "pacific-s3alias",
        ] {
            assert!(check_bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn table_names_and_key_values() {
        assert!(check_table_name("pacific.records-v2").is_ok());
        assert!(check_table_name("ab").is_err());
        assert!(check_table_name("records table").is_err());
        assert!(check_key_value("pk", "TENANT#acme", false, false).is_ok());
        assert!(check_key_value("pk", "", false, false).is_err());
        assert!(check_key_value("n", "-3.5e10", true, true).is_ok());
        assert!(check_key_value("n", "3.5.1", true, true).is_err());
        assert!(check_key_value("sk", &"x".repeat(1025), false, true).is_err());
        assert!(check_key_value("pk", &"x".repeat(1025), false, false).is_ok());
    }

    #[test]
    fn role_arns() {
        assert!(check_role_arn("arn:aws:iam::123456789012:role/tenants/acme-role").is_ok());
        for bad in [
            "arn:aws:iam::12345:role/x",
            "arn:aws:s3::123456789012:role/x",
            "arn:aws:iam:eu-west-1:123456789012:role/x",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam::123456789012:role/",
            "arn:aws-mars:iam::123456789012:role/x",
            "role/x",
        ] {
            assert!(check_role_arn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secret_ids_by_name_or_arn() {
        assert!(check_secret_id("pacific/acme/api-key").is_ok());
        assert!(
            check_secret_id("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf")
                .is_ok()
        );
        assert!(check_secret_id("pacific acme").is_err());
        assert!(check_secret_id("arn:aws:secretsmanager:eu-west-1:1234:secret:x").is_err());
    }

    #[test]
    fn pool_ids_must_match_the_region() {
        assert!(check_user_pool_id("eu-west-1_AbC123", Some("eu-west-1")).is_ok());
        assert!(check_user_pool_id("us-east-1_AbC123", Some("eu-west-1")).is_err());
        assert!(check_user_pool_id("eu-west-1AbC123", None).is_err());
        assert!(
            check_identity_pool_id(
                "eu-west-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
                Some("eu-west-1")
            )
            .is_ok()
        );
        assert!(check_identity_pool_id("eu-west-1:XYZ", Some("eu-west-1")).is_err());
        assert!(check_client_id("1example23456789").is_ok());
        assert!(check_client_id("bad-client").is_err());
    }

    #[test]
    fn probe_name_parts_and_env_names() {
        assert!(check_probe_name_part("user", "alice@acme.example").is_ok());
        assert!(check_probe_name_part("user", "alice::x").is_err());
        assert!(check_probe_name_part("tenant", "a/b").is_err());
        assert!(check_env_name("ALICE_PASSWORD").is_ok());
        assert!(check_env_name("1X").is_err());
    }
}
