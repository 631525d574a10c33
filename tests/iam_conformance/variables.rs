//! Policy variables in Resource and Condition, defaults, escapes, and unresolvable keys.

use crate::case::{Case, allow, allow_if, case, doc, policy};
use xtenant::sim::iam::PolicyKind::Identity;

pub fn cases() -> Vec<Case> {
    let tag = "aws:PrincipalTag/tenant";
    let home = policy(&allow(
        "s3:GetObject",
        "arn:aws:s3:::bucket/home/${aws:username}/*",
    ));
    let tenant_prefix = policy(&allow(
        "s3:GetObject",
        "arn:aws:s3:::bucket/${aws:PrincipalTag/tenant}/*",
    ));
    vec![
        case("username_in_resource", doc::VARIABLES, "${aws:username} is replaced by the caller's user name")
            .identity(home.clone())
            .by_iam_user()
            .ctx("aws:username", "bob")
            .resource("arn:aws:s3:::bucket/home/bob/notes.txt")
            .expect_allow(),
        case("username_other_home", doc::VARIABLES, "a replaced variable matches only the caller's own value")
            .identity(home.clone())
            .by_iam_user()
            .ctx("aws:username", "bob")
            .resource("arn:aws:s3:::bucket/home/alice/notes.txt")
            .expect_implicit_deny(Identity),
        case("username_absent_for_role", doc::VARIABLES, "an unresolvable variable makes the statement not match")
            .identity(home.clone())
            .resource("arn:aws:s3:::bucket/home/alice/notes.txt")
            .expect_implicit_deny(Identity),
        case("unresolved_variable_does_not_match_literal", doc::VARIABLES, "an unresolved variable never matches its own text")
            .identity(home.clone())
            .resource("arn:aws:s3:::bucket/home/${aws:username}/x")
            .expect_implicit_deny(Identity),
        case("variable_key_case_insensitive", doc::VARIABLES, "variable names are condition keys and are case-insensitive")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/home/${AWS:UserName}/*")))
            .ctx("aws:username", "bob")
            .resource("arn:aws:s3:::bucket/home/bob/x")
            .expect_allow(),
        case("principal_tag_in_resource", doc::VARIABLES, "${aws:PrincipalTag/key} is replaced by the principal's tag")
            .identity(tenant_prefix.clone())
            .ctx(tag, "acme")
            .resource("arn:aws:s3:::bucket/acme/report.pdf")
            .expect_allow(),
        case("principal_tag_missing", doc::VARIABLES, "a missing principal tag leaves the variable unresolved")
            .identity(tenant_prefix.clone())
            .resource("arn:aws:s3:::bucket/acme/report.pdf")
            .expect_implicit_deny(Identity),
        case("default_value_when_absent", doc::VARIABLES, "a default value replaces a variable whose key is absent")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:PrincipalTag/tenant, 'shared'}/*")))
            .resource("arn:aws:s3:::bucket/shared/readme")
            .expect_allow(),
        case("default_value_ignored_when_present", doc::VARIABLES, "the default is not used when the key is present")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:PrincipalTag/tenant, 'shared'}/*")))
            .ctx(tag, "acme")
            .resource("arn:aws:s3:::bucket/shared/readme")
            .expect_implicit_deny(Identity),
        case("default_value_case_sensitive", doc::VARIABLES, "default values keep their case")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:PrincipalTag/tenant, 'Shared'}/*")))
            .resource("arn:aws:s3:::bucket/shared/readme")
            .expect_implicit_deny(Identity),
        case("legacy_version_keeps_variables_literal", doc::VERSION, "2008-10-17 policies treat ${...} as literal text")
            .identity(r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}]}"#)
            .ctx("aws:username", "bob")
            .resource("arn:aws:s3:::bucket/home/bob/x")
            .expect_implicit_deny(Identity),
        case("legacy_version_matches_literal_text", doc::VERSION, "2008-10-17 policies match the variable's literal text")
            .identity(r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}]}"#)
            .resource("arn:aws:s3:::bucket/home/${aws:username}/x")
            .expect_allow(),
        case("missing_version_is_legacy", doc::VERSION, "a policy without Version is evaluated as 2008-10-17")
            .identity(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}]}"#)
            .ctx("aws:username", "bob")
            .resource("arn:aws:s3:::bucket/home/bob/x")
            .expect_implicit_deny(Identity),
        case("escape_star_is_literal", doc::VARIABLES, "${*} stands for a literal asterisk")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${*}")))
            .resource("arn:aws:s3:::bucket/*")
            .expect_allow(),
        case("escape_star_is_not_wildcard", doc::VARIABLES, "${*} does not act as a wildcard")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${*}")))
            .resource("arn:aws:s3:::bucket/anything")
            .expect_implicit_deny(Identity),
        case("escape_question_mark", doc::VARIABLES, "${?} stands for a literal question mark")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/what${?}")))
            .resource("arn:aws:s3:::bucket/whatx")
            .expect_implicit_deny(Identity),
        case("escape_dollar", doc::VARIABLES, "${$} stands for a literal dollar sign")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${$}{x}")))
            .resource("arn:aws:s3:::bucket/${x}")
            .expect_allow(),
        case("variable_value_is_literal", doc::VARIABLES, "a value substituted for a variable is matched literally, not as a wildcard")
            .identity(tenant_prefix.clone())
            .ctx(tag, "*")
            .resource("arn:aws:s3:::bucket/globex/report.pdf")
            .expect_implicit_deny(Identity),
        case("variable_in_string_equals", doc::VARIABLES, "variables work in StringEquals condition values")
            .identity(policy(&allow_if("secretsmanager:GetSecretValue", "*", r#"{"StringEquals":{"aws:ResourceTag/tenant":"${aws:PrincipalTag/tenant}"}}"#)))
            .action("secretsmanager:GetSecretValue")
            .ctx(tag, "acme")
            .ctx("aws:ResourceTag/tenant", "acme")
            .expect_allow(),
        case("variable_in_string_like", doc::VARIABLES, "variables work in StringLike condition values")
            .identity(policy(&allow_if("s3:ListBucket", "arn:aws:s3:::bucket", r#"{"StringLike":{"s3:prefix":"${aws:PrincipalTag/tenant}/*"}}"#)))
            .action("s3:ListBucket")
            .resource("arn:aws:s3:::bucket")
            .ctx(tag, "acme")
            .ctx("s3:prefix", "acme/docs")
            .expect_allow(),
        case("variable_in_condition_unresolved", doc::VARIABLES, "an unresolvable variable in a condition value does not match")
            .identity(policy(&allow_if("s3:GetObject", "*", r#"{"StringEquals":{"aws:ResourceTag/tenant":"${aws:PrincipalTag/tenant}"}}"#)))
            .ctx("aws:ResourceTag/tenant", "acme")
            .expect_implicit_deny(Identity),
        case("variable_in_negated_condition_unresolved", doc::VARIABLES, "an unresolvable variable makes a negated condition not match")
            .identity(policy(&allow_if("s3:GetObject", "*", r#"{"StringNotEquals":{"aws:ResourceTag/tenant":"${aws:PrincipalTag/tenant}"}}"#)))
            .ctx("aws:ResourceTag/tenant", "acme")
            .expect_implicit_deny(Identity),
        case("multivalued_key_as_variable", doc::MULTI_VALUED, "a multivalued key cannot be used as a policy variable")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:TagKeys}/*")))
            .ctx_multi("aws:TagKeys", &["acme"])
            .resource("arn:aws:s3:::bucket/acme/x")
            .expect_implicit_deny(Identity),
        case("variable_in_arn_condition", doc::VARIABLES, "variables work in ARN condition values")
            .identity(policy(&allow_if("s3:GetObject", "*", r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/${aws:PrincipalTag/tenant}-*"}}"#)))
            .ctx(tag, "acme")
            .ctx("aws:PrincipalArn", "arn:aws:iam::111122223333:role/acme-reader")
            .expect_allow(),
        case("cognito_sub_variable", doc::VARIABLES, "${cognito-identity.amazonaws.com:sub} is replaced by the identity id")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*")))
            .ctx("cognito-identity.amazonaws.com:sub", "us-east-1:1111-aaaa")
            .resource("arn:aws:s3:::bucket/private/us-east-1:1111-aaaa/photo.jpg")
            .expect_allow(),
        case("several_variables_in_one_resource", doc::VARIABLES, "several variables in one element are all replaced")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:PrincipalTag/tenant}/${aws:username}/*")))
            .ctx(tag, "acme")
            .ctx("aws:username", "bob")
            .resource("arn:aws:s3:::bucket/acme/bob/x")
            .expect_allow(),
        case("unresolved_entry_does_not_block_others", doc::VARIABLES, "another entry of the Resource list still matches when one entry cannot be resolved")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::bucket/${aws:username}/*","arn:aws:s3:::bucket/public/*"]}"#))
            .resource("arn:aws:s3:::bucket/public/x")
            .expect_allow(),
    ]
}
