//! Cross-account evaluation: a caller of the trusted account (`OTHER_ACCOUNT`) asks for a
//! resource of the trusting account (`ACCOUNT`). Both the caller's identity-based policies
//! and the resource's policy (for a role, its trust policy) must allow; within one account
//! either one is enough (the same-account cases in `evaluation`).

use crate::case::{
    ACCOUNT, Case, OTHER_ACCOUNT, OTHER_ROLE_ARN, OTHER_ROOT_ARN, OTHER_SESSION_ARN, ROLE_ARN,
    ROOT_ARN, allow, case, deny, doc, policy,
};
use xtenant::sim::iam::PolicyKind::{Identity, PermissionsBoundary, Resource, Session, Trust};

/// A bucket policy allowing s3:GetObject to the given principal element.
fn bucket_allow(principal: &str) -> String {
    policy(&format!(
        r#"{{"Sid":"PartnerRead","Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}"#
    ))
}

/// A role trust policy letting `principal` call sts:AssumeRole.
fn assume_role_trust(principal: &str) -> String {
    policy(&format!(
        r#"{{"Sid":"PartnerAssume","Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}"#
    ))
}

fn cross(name: &str, rule: &'static str) -> Case {
    case(name, doc::CROSS_ACCOUNT, rule).by_other_account()
}

pub fn cases() -> Vec<Case> {
    let read = policy(&allow("s3:GetObject", "*"));
    let partner_role = format!(r#"{{"AWS":"{OTHER_ROLE_ARN}"}}"#);
    let partner_session = format!(r#"{{"AWS":"{OTHER_SESSION_ARN}"}}"#);
    let partner_root = format!(r#"{{"AWS":"{OTHER_ROOT_ARN}"}}"#);
    let partner_id = format!(r#"{{"AWS":"{OTHER_ACCOUNT}"}}"#);
    let assume = policy(&allow("sts:AssumeRole", ROLE_ARN));
    vec![
        cross("identity_allow_alone_is_not_enough", "a cross-account request the resource's account does not allow is denied, whatever the caller's identity policy allows")
            .identity(read.clone())
            .expect_implicit_deny(Resource),
        cross("resource_allow_alone_is_not_enough", "a resource-based policy naming a role of another account still needs that role's identity-based policy to allow")
            .resource_policy(bucket_allow(&partner_role))
            .expect_implicit_deny(Identity),
        cross("session_named_alone_is_not_enough", "naming another account's role session in a resource-based policy is not enough across accounts (within one account it is)")
            .resource_policy(bucket_allow(&partner_session))
            .expect_implicit_deny(Identity),
        cross("wildcard_alone_is_not_enough", "Principal * in a resource-based policy does not grant another account's caller without its identity-based policy")
            .resource_policy(bucket_allow(r#""*""#))
            .expect_implicit_deny(Identity),
        cross("both_allow_role", "the identity policy in the trusted account and the resource policy naming its role both allow: allowed")
            .identity(read.clone())
            .resource_policy(bucket_allow(&partner_role))
            .expect_allow()
            .deciding_kind(Identity),
        cross("both_allow_account_root", "a resource policy naming the trusted account's root delegates to that account's identity policies")
            .identity(read.clone())
            .resource_policy(bucket_allow(&partner_root))
            .expect_allow(),
        cross("both_allow_account_id", "a resource policy naming the trusted account by its id delegates to that account's identity policies")
            .identity(read.clone())
            .resource_policy(bucket_allow(&partner_id))
            .expect_allow(),
        cross("both_allow_wildcard", "Principal * plus the caller's identity allow grants across accounts")
            .identity(read.clone())
            .resource_policy(bucket_allow(r#""*""#))
            .expect_allow(),
        cross("resource_names_only_its_own_account", "a resource policy naming its own account's root does not name a caller of another account")
            .identity(read.clone())
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":"{ROOT_ARN}"}}"#)))
            .expect_implicit_deny(Resource),
        cross("resource_deny_wins", "an explicit deny in the resource's policy overrides both allows")
            .identity(read.clone())
            .resource_policy(policy(&format!(
                r#"{{"Effect":"Allow","Principal":{partner_role},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}},{{"Sid":"NoPartners","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*","Condition":{{"StringNotEquals":{{"aws:PrincipalAccount":"{ACCOUNT}"}}}}}}"#
            )))
            .ctx("aws:PrincipalAccount", OTHER_ACCOUNT)
            .expect_explicit_deny()
            .deciding_sid("NoPartners"),
        cross("identity_deny_wins", "an explicit deny in the caller's identity policy overrides the resource's allow")
            .identity(policy(&deny("s3:*", "*")))
            .resource_policy(bucket_allow(&partner_session))
            .expect_explicit_deny()
            .deciding_kind(Identity),
        cross("boundary_limits_the_caller_side", "the trusted account's side is its effective permissions: a permissions boundary that does not allow denies")
            .identity(read.clone())
            .boundary(policy(&allow("dynamodb:*", "*")))
            .resource_policy(bucket_allow(&partner_session))
            .expect_implicit_deny(PermissionsBoundary),
        cross("session_policy_limits_the_caller_side", "the trusted account's side is its effective permissions: a session policy that does not allow denies, even for a session-named grant")
            .identity(read.clone())
            .session(policy(&allow("s3:PutObject", "*")))
            .resource_policy(bucket_allow(&partner_session))
            .expect_implicit_deny(Session),
        cross("assume_role_needs_the_trust_policy", "AssumeRole into another account's role needs its trust policy to name the caller, whatever the caller's identity policy allows")
            .trust(assume_role_trust(&format!(r#"{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}}"#)))
            .action("sts:AssumeRole")
            .identity(assume.clone())
            .expect_implicit_deny(Trust),
        cross("assume_role_needs_the_identity_policy", "a trust policy naming another account delegates to that account: its identity policy must allow sts:AssumeRole")
            .trust(assume_role_trust(&partner_root))
            .action("sts:AssumeRole")
            .expect_implicit_deny(Identity),
        cross("assume_role_with_both", "the trust policy naming the trusted account and its identity policy allowing sts:AssumeRole: allowed")
            .trust(assume_role_trust(&partner_root))
            .action("sts:AssumeRole")
            .identity(assume)
            .expect_allow(),
    ]
}
