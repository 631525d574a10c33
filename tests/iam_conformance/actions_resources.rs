//! Action / NotAction and Resource / NotResource matching.

use crate::case::{Case, allow, case, deny, doc, policy};
use xtenant::sim::iam::PolicyKind::Identity;

pub fn cases() -> Vec<Case> {
    let obj = "arn:aws:s3:::bucket/key";
    vec![
        case("action_exact_match", doc::ACTION, "an action value names service:operation")
            .identity(policy(&allow("s3:GetObject", obj)))
            .expect_allow(),
        case("action_case_insensitive", doc::ACTION, "action names are case-insensitive")
            .identity(policy(&allow("S3:getobject", obj)))
            .expect_allow(),
        case("action_prefix_wildcard", doc::ACTION, "* in an action matches any run of characters")
            .identity(policy(&allow("s3:Get*", obj)))
            .expect_allow(),
        case("action_service_wildcard", doc::ACTION, "service:* matches every action of the service")
            .identity(policy(&allow("s3:*", obj)))
            .expect_allow(),
        case("action_star_alone", doc::ACTION, "* alone matches every action")
            .identity(policy(&allow("*", obj)))
            .expect_allow(),
        case("action_question_mark", doc::ACTION, "? in an action matches exactly one character")
            .identity(policy(&allow("s3:GetObjec?", obj)))
            .expect_allow(),
        case("action_question_mark_needs_one_char", doc::ACTION, "? does not match an empty run")
            .identity(policy(&allow("s3:GetObject?", obj)))
            .expect_implicit_deny(Identity),
        case("action_wildcard_other_operation", doc::ACTION, "s3:Get* does not match s3:PutObject")
            .identity(policy(&allow("s3:Get*", obj)))
            .action("s3:PutObject")
            .expect_implicit_deny(Identity),
        case("action_other_service", doc::ACTION, "the service prefix must match")
            .identity(policy(&allow("dynamodb:GetItem", "*")))
            .expect_implicit_deny(Identity),
        case("action_list_any_entry", doc::ACTION, "an action list matches when any entry matches")
            .identity(policy(r#"{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"}"#))
            .expect_allow(),
        case("action_middle_wildcard", doc::ACTION, "wildcards may appear anywhere in the action name")
            .identity(policy(&allow("s3:*Object", obj)))
            .expect_allow(),
        case("not_action_allows_unlisted", doc::NOT_ACTION, "NotAction with Allow grants every action not listed")
            .identity(policy(r#"{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"*"}"#))
            .expect_allow(),
        case("not_action_excludes_listed", doc::NOT_ACTION, "NotAction with Allow does not grant the listed actions")
            .identity(policy(r#"{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}"#))
            .expect_implicit_deny(Identity),
        case("not_action_excludes_case_insensitively", doc::NOT_ACTION, "NotAction entries match case-insensitively")
            .identity(policy(r#"{"Effect":"Allow","NotAction":"S3:GETOBJECT","Resource":"*"}"#))
            .expect_implicit_deny(Identity),
        case("not_action_deny_everything_else", doc::NOT_ACTION, "NotAction with Deny denies every action not listed")
            .identity(policy(&format!(r#"{},{{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}}"#, allow("*", "*"))))
            .expect_explicit_deny(),
        case("not_action_deny_spares_listed", doc::NOT_ACTION, "NotAction with Deny does not deny the listed actions")
            .identity(policy(&format!(r#"{},{{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}}"#, allow("*", "*"))))
            .expect_allow(),
        case("resource_exact_match", doc::RESOURCE, "a resource ARN matches itself")
            .identity(policy(&allow("s3:GetObject", obj)))
            .expect_allow(),
        case("resource_case_sensitive", doc::RESOURCE, "resource ARNs are case-sensitive")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::Bucket/key")))
            .expect_implicit_deny(Identity),
        case("resource_star_spans_slashes", doc::RESOURCE, "* in a resource matches across / characters")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/*")))
            .resource("arn:aws:s3:::bucket/a/b/c.txt")
            .expect_allow(),
        case("resource_star_spans_colons", doc::RESOURCE, "* in a resource matches across ARN segments")
            .identity(policy(&allow("dynamodb:GetItem", "arn:aws:dynamodb:*")))
            .action("dynamodb:GetItem")
            .resource("arn:aws:dynamodb:us-east-1:111122223333:table/records")
            .expect_allow(),
        case("resource_question_mark", doc::RESOURCE, "? in a resource matches exactly one character")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/file?.txt")))
            .resource("arn:aws:s3:::bucket/file1.txt")
            .expect_allow(),
        case("resource_question_mark_one_only", doc::RESOURCE, "? matches one character, not two")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/file?.txt")))
            .resource("arn:aws:s3:::bucket/file10.txt")
            .expect_implicit_deny(Identity),
        case("object_wildcard_excludes_bucket", doc::RESOURCE, "bucket/* does not match the bucket ARN itself")
            .identity(policy(&allow("s3:ListBucket", "arn:aws:s3:::bucket/*")))
            .action("s3:ListBucket")
            .resource("arn:aws:s3:::bucket")
            .expect_implicit_deny(Identity),
        case("resource_list_any_entry", doc::RESOURCE, "a resource list matches when any entry matches")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::other/*","arn:aws:s3:::bucket/*"]}"#))
            .expect_allow(),
        case("resource_prefix_is_not_enough", doc::RESOURCE, "a resource pattern must match the whole ARN")
            .identity(policy(&allow("s3:GetObject", "arn:aws:s3:::bucket/ke")))
            .expect_implicit_deny(Identity),
        case("resource_star_matches_star_resource", doc::RESOURCE, "actions without a resource type are granted by Resource *")
            .identity(policy(&allow("secretsmanager:ListSecrets", "*")))
            .action("secretsmanager:ListSecrets")
            .resource("*")
            .expect_allow(),
        case("resource_arn_does_not_match_star_resource", doc::RESOURCE, "an ARN pattern does not grant an action that takes no resource")
            .identity(policy(&allow("secretsmanager:ListSecrets", "arn:aws:secretsmanager:*")))
            .action("secretsmanager:ListSecrets")
            .resource("*")
            .expect_implicit_deny(Identity),
        case("not_resource_allows_unlisted", doc::NOT_RESOURCE, "NotResource with Allow grants every resource not listed")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}"#))
            .expect_allow(),
        case("not_resource_excludes_listed", doc::NOT_RESOURCE, "NotResource with Allow does not grant listed resources")
            .identity(policy(r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::bucket/*"}"#))
            .expect_implicit_deny(Identity),
        case("not_resource_deny_outside_prefix", doc::NOT_RESOURCE, "NotResource with Deny denies everything outside the listed resources")
            .identity(policy(&format!(r#"{},{{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::bucket/acme/*"}}"#, allow("s3:*", "*"))))
            .resource("arn:aws:s3:::bucket/globex/doc")
            .expect_explicit_deny(),
        case("not_resource_deny_spares_listed", doc::NOT_RESOURCE, "NotResource with Deny spares the listed resources")
            .identity(policy(&format!(r#"{},{{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::bucket/acme/*"}}"#, allow("s3:*", "*"))))
            .resource("arn:aws:s3:::bucket/acme/doc")
            .expect_allow(),
        case("deny_needs_matching_resource", doc::DENY_ALLOW, "a Deny for another resource does not apply")
            .identity(policy(&format!("{},{}", allow("s3:*", "*"), deny("s3:GetObject", "arn:aws:s3:::other/*"))))
            .expect_allow(),
        case("deny_needs_matching_action", doc::DENY_ALLOW, "a Deny for another action does not apply")
            .identity(policy(&format!("{},{}", allow("s3:*", "*"), deny("s3:PutObject", "*"))))
            .expect_allow(),
    ]
}
