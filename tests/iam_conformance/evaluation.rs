//! The evaluation logic: explicit deny, identity and resource-based allows, session
//! policies, permissions boundaries, Principal / NotPrincipal, trust policies.

use crate::case::{
    ACCOUNT, Case, ROLE_ARN, ROOT_ARN, SESSION_ARN, USER_ARN, allow, case, deny, doc, policy,
};
use xtenant::sim::iam::PolicyKind::{Identity, PermissionsBoundary, Resource, Session, Trust};
use xtenant::sim::iam::PrincipalMatch;

const OBJ: &str = "arn:aws:s3:::bucket/key";

/// A bucket policy allowing s3:GetObject to the given principal element.
fn bucket_allow(principal: &str) -> String {
    policy(&format!(
        r#"{{"Sid":"BucketAllow","Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}"#
    ))
}

/// A bucket policy allowing s3:GetObject to a wildcard principal when `aws:PrincipalArn` is
/// the test role: the usual way to grant one role through `*`.
fn wildcard_allow_for_principal_arn(principal: &str) -> String {
    policy(&format!(
        r#"{{"Sid":"BucketAllow","Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*","Condition":{{"ArnEquals":{{"aws:PrincipalArn":"{ROLE_ARN}"}}}}}}"#
    ))
}

fn cognito_trust(amr: &str) -> String {
    policy(&format!(
        r#"{{"Sid":"CognitoTrust","Effect":"Allow","Principal":{{"Federated":"cognito-identity.amazonaws.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"cognito-identity.amazonaws.com:aud":"us-east-1:pool-1"}},"ForAnyValue:StringLike":{{"cognito-identity.amazonaws.com:amr":"{amr}"}}}}}}"#
    ))
}

pub fn cases() -> Vec<Case> {
    let read = policy(&allow("s3:GetObject", "*"));
    let session_role = format!(r#"{{"AWS":"{SESSION_ARN}"}}"#);
    let role = format!(r#"{{"AWS":"{ROLE_ARN}"}}"#);
    let other_only = policy(&allow("s3:PutObject", "*"));
    vec![
        case("no_policies_implicit_deny", doc::EVALUATION, "requests are implicitly denied by default")
            .expect_implicit_deny(Identity),
        case("identity_allow", doc::EVALUATION, "an identity-based allow grants within one account")
            .identity(read.clone())
            .expect_allow(),
        case("deny_beats_allow_same_policy", doc::DENY_ALLOW, "an explicit deny overrides an allow in the same policy")
            .identity(policy(&format!(r#"{},{{"Sid":"NoGet","Effect":"Deny","Action":"s3:GetObject","Resource":"{OBJ}"}}"#, allow("s3:*", "*"))))
            .expect_explicit_deny()
            .deciding_sid("NoGet"),
        case("deny_beats_allow_other_policy", doc::DENY_ALLOW, "an explicit deny in any identity policy overrides allows in others")
            .identity(read.clone())
            .identity(policy(&deny("s3:*", "*")))
            .expect_explicit_deny()
            .deciding_kind(Identity),
        case("allow_in_any_identity_policy", doc::EVALUATION, "an allow in any attached identity policy is enough")
            .identity(other_only.clone())
            .identity(read.clone())
            .expect_allow(),
        case("deciding_allow_statement_named", doc::EVALUATION, "the statement that allowed is reported")
            .identity(policy(r#"{"Sid":"ReadObjects","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#))
            .expect_allow()
            .deciding_sid("ReadObjects"),
        case("resource_deny_beats_identity_allow", doc::DENY_ALLOW, "an explicit deny in a resource-based policy overrides an identity allow")
            .identity(read.clone())
            .resource_policy(policy(r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}"#))
            .expect_explicit_deny()
            .deciding_kind(Resource),
        case("identity_allow_with_unrelated_bucket_policy", doc::EVALUATION, "within one account an identity allow suffices even when a bucket policy exists")
            .identity(read.clone())
            .resource_policy(bucket_allow(r#"{"AWS":"arn:aws:iam::111122223333:role/Other"}"#))
            .expect_allow(),
        case("resource_allow_session_arn", doc::EVALUATION, "within one account a resource-based allow naming the session suffices")
            .resource_policy(bucket_allow(&session_role))
            .expect_allow()
            .deciding_kind(Resource),
        case("resource_allow_role_arn", doc::EVALUATION, "within one account a resource-based allow naming the role suffices")
            .resource_policy(bucket_allow(&role))
            .expect_allow(),
        case("resource_allow_everyone", doc::PRINCIPAL, "Principal * grants every caller")
            .resource_policy(bucket_allow(r#""*""#))
            .expect_allow(),
        case("resource_allow_aws_star", doc::PRINCIPAL, "{\"AWS\": \"*\"} grants every AWS principal")
            .resource_policy(bucket_allow(r#"{"AWS":"*"}"#))
            .expect_allow(),
        case("resource_allow_other_principal", doc::PRINCIPAL, "a resource-based allow for another principal does not apply")
            .resource_policy(bucket_allow(r#"{"AWS":"arn:aws:iam::111122223333:role/Other"}"#))
            .expect_implicit_deny(Resource),
        case("resource_allow_account_needs_identity", doc::PRINCIPAL, "naming the account delegates to the account's identity-based policies")
            .identity(other_only.clone())
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":"{ROOT_ARN}"}}"#)))
            .expect_implicit_deny(Identity),
        case("resource_allow_account_with_identity", doc::PRINCIPAL, "an account principal plus an identity allow grants")
            .identity(read.clone())
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":"{ACCOUNT}"}}"#)))
            .expect_allow(),
        case("resource_allow_principal_list", doc::PRINCIPAL, "a principal list matches when any entry names the caller")
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":["arn:aws:iam::111122223333:role/Other","{ROLE_ARN}"]}}"#)))
            .expect_allow(),
        case("resource_allow_other_resource", doc::RESOURCE, "a resource-based allow for another resource does not apply")
            .resource_policy(bucket_allow(&role))
            .resource("arn:aws:s3:::elsewhere/key")
            .expect_implicit_deny(Resource),
        case("resource_allow_with_condition", doc::CONDITION, "conditions apply in resource-based policies")
            .resource_policy(policy(&format!(r#"{{"Effect":"Allow","Principal":{role},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*","Condition":{{"Bool":{{"aws:SecureTransport":"true"}}}}}}"#)))
            .ctx("aws:SecureTransport", "false")
            .expect_implicit_deny(Resource),
        case("resource_allow_user_arn", doc::PRINCIPAL, "a resource-based allow naming an IAM user grants that user")
            .by_iam_user()
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":"{USER_ARN}"}}"#)))
            .expect_allow(),
        // Session policies.
        case("session_policy_intersects", doc::SESSION_POLICIES, "a session allows only what identity and session policies both allow")
            .identity(policy(&allow("s3:*", "*")))
            .session(policy(&allow("s3:GetObject", "*")))
            .expect_allow(),
        case("session_policy_limits", doc::SESSION_POLICIES, "an action the session policy does not allow is implicitly denied")
            .identity(policy(&allow("s3:*", "*")))
            .session(policy(&allow("s3:PutObject", "*")))
            .expect_implicit_deny(Session),
        case("session_policy_cannot_grant", doc::SESSION_POLICIES, "a session policy cannot grant more than the identity-based policies")
            .identity(other_only.clone())
            .session(policy(&allow("s3:*", "*")))
            .expect_implicit_deny(Identity),
        case("session_policy_explicit_deny", doc::SESSION_POLICIES, "an explicit deny in a session policy denies")
            .identity(policy(&allow("s3:*", "*")))
            .session(policy(&format!("{},{}", allow("s3:*", "*"), deny("s3:GetObject", "*"))))
            .expect_explicit_deny()
            .deciding_kind(Session),
        case("session_policies_union", doc::SESSION_POLICIES, "an allow in any of the session policies counts")
            .identity(policy(&allow("s3:*", "*")))
            .session(policy(&allow("s3:PutObject", "*")))
            .session(policy(&allow("s3:GetObject", "*")))
            .expect_allow(),
        case("session_policy_resource_names_role", doc::SESSION_POLICIES, "a resource-based policy naming the role is limited by the session policy")
            .resource_policy(bucket_allow(&role))
            .session(policy(&allow("s3:PutObject", "*")))
            .expect_implicit_deny(Session),
        case("session_policy_resource_names_session", doc::SESSION_POLICIES, "a resource-based policy naming the session is not limited by the session policy")
            .resource_policy(bucket_allow(&session_role))
            .session(policy(&allow("s3:PutObject", "*")))
            .expect_allow(),
        case("session_policy_resource_names_role_allowed", doc::SESSION_POLICIES, "a role-named resource allow within the session policy grants")
            .resource_policy(bucket_allow(&role))
            .session(policy(&allow("s3:GetObject", "*")))
            .expect_allow(),
        // Permissions boundaries.
        case("boundary_and_identity_allow", doc::BOUNDARIES, "effective permissions are the intersection of identity policy and boundary")
            .identity(read.clone())
            .boundary(policy(&allow("s3:*", "*")))
            .expect_allow(),
        case("boundary_limits", doc::BOUNDARIES, "an action outside the boundary is implicitly denied")
            .identity(read.clone())
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_implicit_deny(PermissionsBoundary),
        case("boundary_does_not_grant", doc::BOUNDARIES, "a boundary alone grants nothing")
            .boundary(policy(&allow("s3:*", "*")))
            .expect_implicit_deny(Identity),
        case("boundary_explicit_deny", doc::BOUNDARIES, "an explicit deny in a boundary denies")
            .identity(read.clone())
            .boundary(policy(&format!("{},{}", allow("*", "*"), deny("s3:GetObject", "*"))))
            .expect_explicit_deny()
            .deciding_kind(PermissionsBoundary),
        case("boundary_limits_role_named_resource_policy", doc::BOUNDARIES, "a resource-based policy naming the role is limited by the boundary")
            .resource_policy(bucket_allow(&role))
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_implicit_deny(PermissionsBoundary),
        case("boundary_spares_session_named_resource_policy", doc::BOUNDARIES, "a resource-based policy naming the session is not limited by the boundary")
            .resource_policy(bucket_allow(&session_role))
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_allow(),
        case("boundary_spares_user_named_resource_policy", doc::BOUNDARIES, "a resource-based policy naming an IAM user is not limited by the user's boundary")
            .by_iam_user()
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":"{USER_ARN}"}}"#)))
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_allow(),
        // The rows below follow the boundaries page's evaluation logic for a same-account
        // role session, as benkehoe/permissions-boundary-test observed it on AWS: a wildcard
        // grant is not limited by the boundary, an account grant delegates to identity policies.
        case("boundary_spares_wildcard_resource_policy", doc::BOUNDARIES, "a resource-based allow to * narrowed by aws:PrincipalArn is not limited by the boundary")
            .resource_policy(wildcard_allow_for_principal_arn(r#""*""#))
            .ctx("aws:PrincipalArn", ROLE_ARN)
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_allow()
            .deciding_kind(Resource),
        case("boundary_spares_aws_wildcard_resource_policy", doc::BOUNDARIES, "a resource-based allow to {\"AWS\": \"*\"} is not limited by the boundary")
            .resource_policy(wildcard_allow_for_principal_arn(r#"{"AWS":"*"}"#))
            .ctx("aws:PrincipalArn", ROLE_ARN)
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_allow(),
        case("boundary_spares_wildcard_despite_identity_implicit_deny", doc::BOUNDARIES, "a wildcard grant needs no identity allow even with a boundary that allows the action")
            .identity(other_only.clone())
            .resource_policy(wildcard_allow_for_principal_arn(r#""*""#))
            .ctx("aws:PrincipalArn", ROLE_ARN)
            .boundary(policy(&allow("s3:*", "*")))
            .expect_allow(),
        case("wildcard_condition_still_applies_with_boundary", doc::BOUNDARIES, "a wildcard grant whose aws:PrincipalArn names another role does not apply")
            .resource_policy(wildcard_allow_for_principal_arn(r#""*""#))
            .ctx("aws:PrincipalArn", "arn:aws:iam::111122223333:role/Other")
            .boundary(policy(&allow("s3:*", "*")))
            .expect_implicit_deny(Resource),
        case("boundary_role_grant_allowed_without_identity", doc::BOUNDARIES, "a role-named grant within the boundary needs no identity allow")
            .resource_policy(bucket_allow(&role))
            .boundary(policy(&allow("s3:*", "*")))
            .expect_allow(),
        case("boundary_account_grant_needs_identity", doc::BOUNDARIES, "an account-named grant within the boundary still needs an identity allow")
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":"{ROOT_ARN}"}}"#)))
            .boundary(policy(&allow("s3:*", "*")))
            .expect_implicit_deny(Resource),
        case("boundary_account_grant_limited", doc::BOUNDARIES, "an account-named grant with an identity allow is limited by the boundary")
            .identity(read.clone())
            .resource_policy(bucket_allow(&format!(r#"{{"AWS":"{ROOT_ARN}"}}"#)))
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_implicit_deny(PermissionsBoundary),
        case("session_policy_limits_wildcard_resource_policy", doc::SESSION_POLICIES, "a wildcard grant is limited by the session policy, which spares only grants to the session")
            .resource_policy(bucket_allow(r#""*""#))
            .session(policy(&allow("s3:PutObject", "*")))
            .expect_implicit_deny(Session),
        case("boundary_and_session_both_limit", doc::BOUNDARIES, "an allow needs the boundary and the session policy too")
            .identity(read.clone())
            .boundary(policy(&allow("s3:*", "*")))
            .session(policy(&allow("s3:PutObject", "*")))
            .expect_implicit_deny(Session),
        // NotPrincipal.
        case("not_principal_deny_others", doc::NOT_PRINCIPAL, "a Deny with NotPrincipal denies principals not listed")
            .identity(read.clone())
            .resource_policy(policy(r#"{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:role/Admin"]},"Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}"#))
            .expect_explicit_deny(),
        case("not_principal_deny_spares_fully_listed", doc::NOT_PRINCIPAL, "a Deny with NotPrincipal spares a session whose session, role and account are listed")
            .identity(read.clone())
            .resource_policy(policy(&format!(r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":["{SESSION_ARN}","{ROLE_ARN}","{ACCOUNT}"]}},"Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}}"#)))
            .expect_allow(),
        case("not_principal_deny_role_only_listed", doc::NOT_PRINCIPAL, "listing only the role in NotPrincipal does not spare its sessions")
            .identity(read.clone())
            .resource_policy(policy(&format!(r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":["{ROLE_ARN}"]}},"Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}}"#)))
            .expect_explicit_deny(),
        case("not_principal_deny_with_boundary", doc::BOUNDARIES, "a NotPrincipal Deny always denies a principal with a permissions boundary")
            .identity(read.clone())
            .boundary(policy(&allow("s3:*", "*")))
            .resource_policy(policy(&format!(r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":["{SESSION_ARN}","{ROLE_ARN}","{ACCOUNT}"]}},"Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}}"#)))
            .expect_explicit_deny(),
        case("not_principal_allow_excludes_listed", doc::NOT_PRINCIPAL, "an Allow with NotPrincipal does not grant the listed principals")
            .resource_policy(policy(&format!(r#"{{"Effect":"Allow","NotPrincipal":{{"AWS":"{ROLE_ARN}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}"#)))
            .expect_implicit_deny(Resource),
        // Trust policies.
        case("trust_cognito_authenticated", doc::COGNITO_TRUST, "a trust policy allows web identities from the named provider, audience and amr")
            .trust(cognito_trust("authenticated"))
            .by_web_identity("cognito-identity.amazonaws.com")
            .ctx("cognito-identity.amazonaws.com:aud", "us-east-1:pool-1")
            .ctx_multi("cognito-identity.amazonaws.com:amr", &["authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool"])
            .expect_allow()
            .deciding_kind(Trust),
        case("trust_cognito_wrong_audience", doc::COGNITO_TRUST, "an identity from another identity pool is refused")
            .trust(cognito_trust("authenticated"))
            .by_web_identity("cognito-identity.amazonaws.com")
            .ctx("cognito-identity.amazonaws.com:aud", "us-east-1:pool-2")
            .ctx_multi("cognito-identity.amazonaws.com:amr", &["authenticated"])
            .expect_implicit_deny(Trust),
        case("trust_cognito_unauthenticated", doc::COGNITO_TRUST, "a guest identity does not assume an authenticated role")
            .trust(cognito_trust("authenticated"))
            .by_web_identity("cognito-identity.amazonaws.com")
            .ctx("cognito-identity.amazonaws.com:aud", "us-east-1:pool-1")
            .ctx_multi("cognito-identity.amazonaws.com:amr", &["unauthenticated"])
            .expect_implicit_deny(Trust),
        case("trust_missing_audience", doc::ROLE_TRUST, "a token without the audience key fails the StringEquals on aud")
            .trust(cognito_trust("authenticated"))
            .by_web_identity("cognito-identity.amazonaws.com")
            .ctx_multi("cognito-identity.amazonaws.com:amr", &["authenticated"])
            .expect_implicit_deny(Trust),
        case("trust_other_provider", doc::ROLE_TRUST, "a trust policy refuses another identity provider")
            .trust(cognito_trust("authenticated"))
            .by_web_identity("accounts.google.com")
            .ctx("cognito-identity.amazonaws.com:aud", "us-east-1:pool-1")
            .ctx_multi("cognito-identity.amazonaws.com:amr", &["authenticated"])
            .expect_implicit_deny(Trust),
        case("trust_other_action", doc::ROLE_TRUST, "a trust policy for AssumeRoleWithWebIdentity does not allow AssumeRole")
            .trust(cognito_trust("authenticated"))
            .by_web_identity("cognito-identity.amazonaws.com")
            .action("sts:AssumeRole")
            .ctx("cognito-identity.amazonaws.com:aud", "us-east-1:pool-1")
            .ctx_multi("cognito-identity.amazonaws.com:amr", &["authenticated"])
            .expect_implicit_deny(Trust),
        case("trust_aws_star_excludes_web_identity", doc::PRINCIPAL, "{\"AWS\": \"*\"} names AWS principals, not web identities")
            .trust(policy(r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRoleWithWebIdentity"}"#))
            .by_web_identity("cognito-identity.amazonaws.com")
            .expect_implicit_deny(Trust),
        case("trust_explicit_deny", doc::DENY_ALLOW, "an explicit deny in a trust policy refuses the role")
            .trust(policy(r#"{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"},{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity"}"#))
            .by_web_identity("cognito-identity.amazonaws.com")
            .expect_explicit_deny()
            .deciding_kind(Trust),
        case("trust_service_principal", doc::PRINCIPAL, "a Service principal matches that service")
            .trust(policy(r#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}"#))
            .principal(PrincipalMatch { aws: vec![], federated: None, service: Some("lambda.amazonaws.com".into()) })
            .action("sts:AssumeRole")
            .expect_allow(),
        case("trust_policy_without_resource", doc::PRINCIPAL, "trust policies have no Resource element")
            .trust(policy(r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity"}"#))
            .by_web_identity("cognito-identity.amazonaws.com")
            .expect_allow(),
        case("reason_implicit_identity", doc::ACCESS_DENIED, "implicit deny message: because no identity-based policy allows the action")
            .identity(other_only.clone())
            .expect_implicit_deny(Identity)
            .denial_reason("because no identity-based policy allows the s3:GetObject action"),
        case("reason_explicit_identity", doc::ACCESS_DENIED, "explicit deny message: with an explicit deny in an identity-based policy")
            .identity(policy(&deny("s3:*", "*")))
            .expect_explicit_deny()
            .denial_reason("with an explicit deny in an identity-based policy"),
        case("reason_explicit_resource", doc::ACCESS_DENIED, "explicit deny message: with an explicit deny in a resource-based policy")
            .identity(read.clone())
            .resource_policy(policy(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#))
            .expect_explicit_deny()
            .denial_reason("with an explicit deny in a resource-based policy"),
        case("reason_implicit_session", doc::ACCESS_DENIED, "implicit deny message: because no session policy allows the action")
            .identity(read.clone())
            .session(policy(&allow("s3:PutObject", "*")))
            .expect_implicit_deny(Session)
            .denial_reason("because no session policy allows the s3:GetObject action"),
        case("reason_implicit_boundary", doc::ACCESS_DENIED, "implicit deny message: because no permissions boundary allows the action")
            .identity(read.clone())
            .boundary(policy(&allow("dynamodb:*", "*")))
            .expect_implicit_deny(PermissionsBoundary)
            .denial_reason("because no permissions boundary allows the s3:GetObject action"),
        case("reason_explicit_session", doc::ACCESS_DENIED, "explicit deny message: with an explicit deny in a session policy")
            .identity(read.clone())
            .session(policy(&deny("s3:*", "*")))
            .expect_explicit_deny()
            .denial_reason("with an explicit deny in a session policy"),
        case("reason_explicit_boundary", doc::ACCESS_DENIED, "explicit deny message: with an explicit deny in a permissions boundary")
            .identity(read.clone())
            .boundary(policy(&deny("s3:*", "*")))
            .expect_explicit_deny()
            .denial_reason("with an explicit deny in a permissions boundary"),
        case("implicit_deny_names_resource_policy", doc::ACCESS_DENIED, "with only a resource-based policy, the message names it")
            .resource_policy(bucket_allow(r#"{"AWS":"arn:aws:iam::111122223333:role/Other"}"#))
            .expect_implicit_deny(Resource),
    ]
}
