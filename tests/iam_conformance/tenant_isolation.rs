//! The tenant-isolation patterns xtenant verifies: per-tenant S3 prefixes keyed by principal
//! tags or the Cognito identity id, DynamoDB leading keys, secrets scoped by resource tags.

use crate::case::{Case, allow, case, doc, policy};
use xtenant::sim::iam::PolicyKind::Identity;

const SUB: &str = "cognito-identity.amazonaws.com:sub";
const TAG: &str = "aws:PrincipalTag/tenant";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/records";

/// The ABAC tenant role: objects and listing under the tenant's prefix.
fn s3_tag_role() -> String {
    policy(
        r#"{"Sid":"TenantObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::data/${aws:PrincipalTag/tenant}/*"},
           {"Sid":"TenantListing","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::data","Condition":{"StringLike":{"s3:prefix":["${aws:PrincipalTag/tenant}/*"]}}}"#,
    )
}

/// The per-identity prefix of the Cognito documentation.
fn s3_sub_role() -> String {
    policy(&allow(
        "s3:*",
        "arn:aws:s3:::data/private/${cognito-identity.amazonaws.com:sub}/*",
    ))
}

fn leading_keys_role(guard_absent: bool) -> String {
    let null_guard = if guard_absent {
        r#","Null":{"dynamodb:LeadingKeys":"false"}"#
    } else {
        ""
    };
    policy(&format!(
        r#"{{"Sid":"OwnItems","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:PutItem","dynamodb:Scan"],"Resource":"{TABLE}","Condition":{{"ForAllValues:StringEquals":{{"dynamodb:LeadingKeys":["${{cognito-identity.amazonaws.com:sub}}"]}}{null_guard}}}}}"#
    ))
}

fn secrets_role() -> String {
    policy(
        r#"{"Sid":"TenantSecrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/tenant":"${aws:PrincipalTag/tenant}"}}},
           {"Sid":"ListAll","Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*"}"#,
    )
}

fn secret_case(name: &str, rule: &'static str) -> Case {
    case(name, doc::SECRETS_ABAC, rule)
        .identity(secrets_role())
        .action("secretsmanager:GetSecretValue")
        .resource("arn:aws:secretsmanager:us-east-1:111122223333:secret:acme-db-AbCdEf")
}

pub fn cases() -> Vec<Case> {
    vec![
        case("s3_tag_prefix_own_tenant", doc::VARIABLES, "a tenant reads objects under its own tag prefix")
            .identity(s3_tag_role())
            .ctx(TAG, "acme")
            .resource("arn:aws:s3:::data/acme/invoice.pdf")
            .expect_allow()
            .deciding_sid("TenantObjects"),
        case("s3_tag_prefix_other_tenant", doc::VARIABLES, "a tenant cannot read another tenant's prefix")
            .identity(s3_tag_role())
            .ctx(TAG, "acme")
            .resource("arn:aws:s3:::data/globex/invoice.pdf")
            .expect_implicit_deny(Identity),
        case("s3_tag_prefix_write_other_tenant", doc::VARIABLES, "a tenant cannot write another tenant's prefix")
            .identity(s3_tag_role())
            .ctx(TAG, "acme")
            .action("s3:PutObject")
            .resource("arn:aws:s3:::data/globex/new.pdf")
            .expect_implicit_deny(Identity),
        case("s3_tag_prefix_untagged_principal", doc::VARIABLES, "a principal without the tenant tag gets nothing")
            .identity(s3_tag_role())
            .resource("arn:aws:s3:::data/acme/invoice.pdf")
            .expect_implicit_deny(Identity),
        case("s3_tag_prefix_is_case_sensitive", doc::RESOURCE, "tenant prefixes differ by case")
            .identity(s3_tag_role())
            .ctx(TAG, "Acme")
            .resource("arn:aws:s3:::data/acme/invoice.pdf")
            .expect_implicit_deny(Identity),
        case("s3_tag_prefix_lookalike_tenant", doc::RESOURCE, "tenant acme does not reach tenant acme-corp")
            .identity(s3_tag_role())
            .ctx(TAG, "acme")
            .resource("arn:aws:s3:::data/acme-corp/invoice.pdf")
            .expect_implicit_deny(Identity),
        case("s3_tag_wildcard_value_stays_literal", doc::VARIABLES, "a tenant tag of * does not open every prefix")
            .identity(s3_tag_role())
            .ctx(TAG, "*")
            .resource("arn:aws:s3:::data/acme/invoice.pdf")
            .expect_implicit_deny(Identity),
        case("s3_list_own_prefix", doc::S3_PREFIX, "listing is allowed under the tenant's prefix")
            .identity(s3_tag_role())
            .ctx(TAG, "acme")
            .ctx("s3:prefix", "acme/2024/")
            .action("s3:ListBucket")
            .resource("arn:aws:s3:::data")
            .expect_allow(),
        case("s3_list_other_prefix", doc::S3_PREFIX, "listing another tenant's prefix is denied")
            .identity(s3_tag_role())
            .ctx(TAG, "acme")
            .ctx("s3:prefix", "globex/")
            .action("s3:ListBucket")
            .resource("arn:aws:s3:::data")
            .expect_implicit_deny(Identity),
        case("s3_list_without_prefix", doc::S3_PREFIX, "listing the whole bucket without a prefix is denied")
            .identity(s3_tag_role())
            .ctx(TAG, "acme")
            .action("s3:ListBucket")
            .resource("arn:aws:s3:::data")
            .expect_implicit_deny(Identity),
        case("s3_sub_prefix_own_identity", doc::S3_PREFIX, "an identity reaches its own private/<identity id>/ prefix")
            .identity(s3_sub_role())
            .ctx(SUB, "us-east-1:aaaa-1111")
            .resource("arn:aws:s3:::data/private/us-east-1:aaaa-1111/photo.jpg")
            .expect_allow(),
        case("s3_sub_prefix_other_identity", doc::S3_PREFIX, "an identity cannot reach another identity's prefix")
            .identity(s3_sub_role())
            .ctx(SUB, "us-east-1:aaaa-1111")
            .resource("arn:aws:s3:::data/private/us-east-1:bbbb-2222/photo.jpg")
            .expect_implicit_deny(Identity),
        case("s3_sub_prefix_without_identity", doc::VARIABLES, "without the Cognito sub key the prefix grants nothing")
            .identity(s3_sub_role())
            .resource("arn:aws:s3:::data/private/us-east-1:aaaa-1111/photo.jpg")
            .expect_implicit_deny(Identity),
        case("s3_cross_tenant_explicit_deny", doc::DENY_ALLOW, "a guard Deny outside the tenant prefix overrides a broad allow")
            .identity(policy(
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},
                   {"Sid":"StayInTenant","Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::data/${aws:PrincipalTag/tenant}/*"}"#,
            ))
            .ctx(TAG, "acme")
            .resource("arn:aws:s3:::data/globex/x")
            .expect_explicit_deny()
            .deciding_sid("StayInTenant"),
        case("s3_guard_with_unresolvable_variable_is_skipped", doc::VARIABLES, "a statement whose variable cannot be resolved is invalid, so an untagged principal escapes a NotResource guard")
            .identity(policy(
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},
                   {"Sid":"StayInTenant","Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::data/${aws:PrincipalTag/tenant}/*"}"#,
            ))
            .resource("arn:aws:s3:::data/globex/x")
            .expect_allow(),
        case("s3_guard_with_null_check_holds", doc::OPERATORS, "a Null guard on the tenant tag denies an untagged principal")
            .identity(policy(
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},
                   {"Sid":"NeedTenant","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/tenant":"true"}}}"#,
            ))
            .resource("arn:aws:s3:::data/globex/x")
            .expect_explicit_deny()
            .deciding_sid("NeedTenant"),
        case("dynamodb_leading_key_own", doc::DYNAMODB_LEADING_KEYS, "an identity reads items whose partition key is its identity id")
            .identity(leading_keys_role(false))
            .action("dynamodb:GetItem")
            .resource(TABLE)
            .ctx(SUB, "us-east-1:aaaa-1111")
            .ctx_multi("dynamodb:LeadingKeys", &["us-east-1:aaaa-1111"])
            .expect_allow(),
        case("dynamodb_leading_key_other", doc::DYNAMODB_LEADING_KEYS, "an identity cannot read another identity's partition")
            .identity(leading_keys_role(false))
            .action("dynamodb:GetItem")
            .resource(TABLE)
            .ctx(SUB, "us-east-1:aaaa-1111")
            .ctx_multi("dynamodb:LeadingKeys", &["us-east-1:bbbb-2222"])
            .expect_implicit_deny(Identity),
        case("dynamodb_leading_keys_mixed", doc::DYNAMODB_LEADING_KEYS, "ForAllValues fails when any requested partition is foreign")
            .identity(leading_keys_role(false))
            .action("dynamodb:Query")
            .resource(TABLE)
            .ctx(SUB, "us-east-1:aaaa-1111")
            .ctx_multi("dynamodb:LeadingKeys", &["us-east-1:aaaa-1111", "us-east-1:bbbb-2222"])
            .expect_implicit_deny(Identity),
        case("dynamodb_scan_without_leading_keys_passes_for_all_values", doc::MULTI_VALUED, "ForAllValues alone is true for a Scan, which carries no LeadingKeys")
            .identity(leading_keys_role(false))
            .action("dynamodb:Scan")
            .resource(TABLE)
            .ctx(SUB, "us-east-1:aaaa-1111")
            .expect_allow(),
        case("dynamodb_scan_blocked_by_null_guard", doc::MULTI_VALUED, "Null false on LeadingKeys stops a Scan from passing ForAllValues")
            .identity(leading_keys_role(true))
            .action("dynamodb:Scan")
            .resource(TABLE)
            .ctx(SUB, "us-east-1:aaaa-1111")
            .expect_implicit_deny(Identity),
        case("dynamodb_leading_key_without_identity", doc::VARIABLES, "without the Cognito sub key no partition matches")
            .identity(leading_keys_role(true))
            .action("dynamodb:GetItem")
            .resource(TABLE)
            .ctx_multi("dynamodb:LeadingKeys", &["us-east-1:aaaa-1111"])
            .expect_implicit_deny(Identity),
        case("dynamodb_other_table", doc::RESOURCE, "the grant is for one table only")
            .identity(leading_keys_role(true))
            .action("dynamodb:GetItem")
            .resource("arn:aws:dynamodb:us-east-1:111122223333:table/other")
            .ctx(SUB, "us-east-1:aaaa-1111")
            .ctx_multi("dynamodb:LeadingKeys", &["us-east-1:aaaa-1111"])
            .expect_implicit_deny(Identity),
        secret_case("secret_own_tenant_tag", "a secret tagged with the caller's tenant is readable")
            .ctx(TAG, "acme")
            .ctx("aws:ResourceTag/tenant", "acme")
            .expect_allow()
            .deciding_sid("TenantSecrets"),
        secret_case("secret_other_tenant_tag", "a secret tagged with another tenant is not readable")
            .ctx(TAG, "acme")
            .ctx("aws:ResourceTag/tenant", "globex")
            .expect_implicit_deny(Identity),
        secret_case("secret_untagged", "an untagged secret is not readable")
            .ctx(TAG, "acme")
            .expect_implicit_deny(Identity),
        secret_case("secret_untagged_principal", "a principal without the tenant tag reads no secret")
            .ctx("aws:ResourceTag/tenant", "acme")
            .expect_implicit_deny(Identity),
        secret_case("secret_list_is_account_wide", "ListSecrets takes no resource and is granted by Resource *")
            .action("secretsmanager:ListSecrets")
            .resource("*")
            .expect_allow(),
        secret_case("secret_resource_policy_deny_other_tenant", "a secret's resource policy can deny callers of other tenants")
            .resource_policy(policy(
                r#"{"Sid":"OnlyAcme","Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/tenant":"acme"}}}"#,
            ))
            .ctx(TAG, "globex")
            .ctx("aws:ResourceTag/tenant", "globex")
            .expect_explicit_deny()
            .deciding_sid("OnlyAcme"),
        secret_case("secret_resource_policy_spares_own_tenant", "a tenant guard in a resource policy spares the owning tenant")
            .resource_policy(policy(
                r#"{"Sid":"OnlyAcme","Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/tenant":"acme"}}}"#,
            ))
            .ctx(TAG, "acme")
            .ctx("aws:ResourceTag/tenant", "acme")
            .expect_allow(),
    ]
}
