//! The identity-layer reads an audit makes, through the real SDK clients: IAM's role and
//! policy reads (documents URL-encoded), the identity pool and user pool descriptions, each
//! authorized by IAM and refused in AWS's shape.

use crate::support::{ACCOUNT, credentials, sdk_config, start};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

const POOL: &str = "us-east-1:7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const USER_POOL: &str = "us-east-1_AuditReads1";
const CLIENT: &str = "6auditreadsclient00000001";

fn world() -> String {
    format!(
        r#"
account_id: "{ACCOUNT}"
region: us-east-1
iam:
  policies:
    - PolicyName: TenantData
      Path: /tenants/
      PolicyDocument: '{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/${{aws:PrincipalTag/tenant}}/*"}}]}}'
  roles:
    - RoleName: Tenant
      Path: /app/
      AssumeRolePolicyDocument: '{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"cognito-identity.amazonaws.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"cognito-identity.amazonaws.com:aud":"{POOL}"}}}}}}]}}'
      Policies:
        - PolicyName: Extra
          PolicyDocument: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "dynamodb:GetItem", Resource: "*"}}]}}
      ManagedPolicyArns: ["arn:aws:iam::{ACCOUNT}:policy/tenants/TenantData"]
  users:
    - UserName: auditor
      AccessKeys: [{{AccessKeyId: AKIAAUDITREADS000001, SecretAccessKey: auditor-reads-secret}}]
      Policies:
        - PolicyName: Audit
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["cognito-identity:DescribeIdentityPool", "cognito-identity:GetIdentityPoolRoles", "cognito-identity:GetPrincipalTagAttributeMap"]
                Resource: "arn:aws:cognito-identity:us-east-1:{ACCOUNT}:identitypool/{POOL}"
              - Effect: Allow
                Action: ["cognito-idp:DescribeUserPool", "cognito-idp:DescribeUserPoolClient", "cognito-idp:ListGroups"]
                Resource: "arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{USER_POOL}"
              - Effect: Allow
                Action: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"]
                Resource: "arn:aws:iam::{ACCOUNT}:role/*"
              - Effect: Allow
                Action: ["iam:GetPolicy", "iam:GetPolicyVersion"]
                Resource: "arn:aws:iam::{ACCOUNT}:policy/*"
    - UserName: nobody
      AccessKeys: [{{AccessKeyId: AKIANOBODYREADS00001, SecretAccessKey: nobody-reads-secret}}]
user_pools:
  - Id: {USER_POOL}
    PoolName: audit-reads
    Clients:
      - ClientId: {CLIENT}
        ClientSecret: audit-reads-client-secret
        WriteAttributes: [email, custom:tenant_id]
        IdTokenValidity: 90
        TokenValidityUnits: {{IdToken: minutes}}
    Groups:
      - {{GroupName: readers, Precedence: 2, RoleArn: "arn:aws:iam::{ACCOUNT}:role/app/Tenant"}}
      - {{GroupName: guests, Description: no role}}
identity_pools:
  - IdentityPoolId: "{POOL}"
    IdentityPoolName: audit-reads
    AllowUnauthenticatedIdentities: true
    CognitoIdentityProviders:
      - {{ProviderName: cognito-idp.us-east-1.amazonaws.com/{USER_POOL}, ClientId: {CLIENT}}}
    Roles: {{authenticated: "arn:aws:iam::{ACCOUNT}:role/app/Tenant"}}
    RoleMappings:
      "cognito-idp.us-east-1.amazonaws.com/{USER_POOL}:{CLIENT}":
        Type: Rules
        AmbiguousRoleResolution: AuthenticatedRole
        RulesConfiguration:
          Rules: [{{Claim: "custom:tenant_id", MatchType: Equals, Value: acme, RoleARN: "arn:aws:iam::{ACCOUNT}:role/app/Tenant"}}]
    PrincipalTags:
      cognito-idp.us-east-1.amazonaws.com/{USER_POOL}:
        UseDefaults: true
"#
    )
}

fn decode(document: &str) -> serde_json::Value {
    let text = percent_encoding::percent_decode_str(document)
        .decode_utf8()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn iam_serves_the_role_and_its_policies_url_encoded() {
    let staging = start(&world()).await;
    let config = sdk_config(
        &staging,
        Some(credentials(
            "AKIAAUDITREADS000001",
            "auditor-reads-secret",
            None,
        )),
    )
    .await;
    let iam = aws_sdk_iam::Client::new(&config);

    let role = iam.get_role().role_name("Tenant").send().await.unwrap();
    let role = role.role().unwrap();
    assert_eq!(
        role.arn(),
        format!("arn:aws:iam::{ACCOUNT}:role/app/Tenant")
    );
    assert_eq!(role.path(), "/app/");
    let trust = role.assume_role_policy_document().unwrap();
    // URL-encoded as the IAM API reference says, so no raw JSON punctuation.
    assert!(!trust.contains('{') && !trust.contains('"'), "{trust}");
    assert_eq!(
        decode(trust)["Statement"][0]["Condition"]["StringEquals"]["cognito-identity.amazonaws.com:aud"],
        POOL
    );

    let inline = iam
        .list_role_policies()
        .role_name("Tenant")
        .send()
        .await
        .unwrap();
    assert_eq!(inline.policy_names(), ["Extra"]);
    let extra = iam
        .get_role_policy()
        .role_name("Tenant")
        .policy_name("Extra")
        .send()
        .await
        .unwrap();
    assert_eq!(
        decode(extra.policy_document())["Statement"][0]["Resource"],
        "*"
    );

    let attached = iam
        .list_attached_role_policies()
        .role_name("Tenant")
        .send()
        .await
        .unwrap();
    let arn = format!("arn:aws:iam::{ACCOUNT}:policy/tenants/TenantData");
    assert_eq!(
        attached.attached_policies()[0].policy_arn(),
        Some(arn.as_str())
    );
    assert_eq!(
        attached.attached_policies()[0].policy_name(),
        Some("TenantData")
    );
    let policy = iam.get_policy().policy_arn(&arn).send().await.unwrap();
    let version = policy.policy().unwrap().default_version_id().unwrap();
    assert_eq!(version, "v1");
    let document = iam
        .get_policy_version()
        .policy_arn(&arn)
        .version_id(version)
        .send()
        .await
        .unwrap();
    assert_eq!(
        decode(document.policy_version().unwrap().document().unwrap())["Statement"][0]["Resource"],
        "arn:aws:s3:::data/${aws:PrincipalTag/tenant}/*"
    );

    // A role that does not exist is NoSuchEntity (404).
    let missing = iam.get_role().role_name("Nope").send().await.unwrap_err();
    assert_eq!(missing.code(), Some("NoSuchEntity"));
    assert_eq!(missing.raw_response().unwrap().status().as_u16(), 404);
}

#[tokio::test]
async fn the_pools_are_described_as_their_api_references_shape_them() {
    let staging = start(&world()).await;
    let config = sdk_config(
        &staging,
        Some(credentials(
            "AKIAAUDITREADS000001",
            "auditor-reads-secret",
            None,
        )),
    )
    .await;
    let identity = aws_sdk_cognitoidentity::Client::new(&config);
    let pool = identity
        .describe_identity_pool()
        .identity_pool_id(POOL)
        .send()
        .await
        .unwrap();
    assert!(pool.allow_unauthenticated_identities());
    assert_eq!(pool.allow_classic_flow(), None);
    assert_eq!(
        pool.cognito_identity_providers()[0].server_side_token_check(),
        Some(false)
    );
    let roles = identity
        .get_identity_pool_roles()
        .identity_pool_id(POOL)
        .send()
        .await
        .unwrap();
    let mapping = roles.role_mappings().unwrap().values().next().unwrap();
    assert_eq!(mapping.r#type().as_str(), "Rules");
    assert_eq!(
        mapping.ambiguous_role_resolution().unwrap().as_str(),
        "AuthenticatedRole"
    );
    assert_eq!(
        mapping.rules_configuration().unwrap().rules()[0].claim(),
        "custom:tenant_id"
    );
    let tags = identity
        .get_principal_tag_attribute_map()
        .identity_pool_id(POOL)
        .identity_provider_name(format!("cognito-idp.us-east-1.amazonaws.com/{USER_POOL}"))
        .send()
        .await
        .unwrap();
    assert_eq!(tags.use_defaults(), Some(true));

    let user_pools = aws_sdk_cognitoidentityprovider::Client::new(&config);
    let described = user_pools
        .describe_user_pool()
        .user_pool_id(USER_POOL)
        .send()
        .await
        .unwrap();
    let admin_only = described
        .user_pool()
        .unwrap()
        .admin_create_user_config()
        .unwrap()
        .allow_admin_create_user_only();
    assert!(!admin_only);
    let client = user_pools
        .describe_user_pool_client()
        .user_pool_id(USER_POOL)
        .client_id(CLIENT)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    assert_eq!(client.write_attributes(), ["email", "custom:tenant_id"]);
    assert_eq!(client.id_token_validity(), Some(90));
    assert_eq!(
        client
            .token_validity_units()
            .unwrap()
            .id_token()
            .unwrap()
            .as_str(),
        "minutes"
    );
}

#[tokio::test]
async fn every_read_is_authorized_by_iam_and_denied_in_the_services_shape() {
    let staging = start(&world()).await;
    let config = sdk_config(
        &staging,
        Some(credentials(
            "AKIANOBODYREADS00001",
            "nobody-reads-secret",
            None,
        )),
    )
    .await;
    let denied = aws_sdk_iam::Client::new(&config)
        .get_role()
        .role_name("Tenant")
        .send()
        .await
        .unwrap_err();
    // IAM: 403 AccessDenied naming the action and the role.
    assert_eq!(denied.code(), Some("AccessDenied"));
    assert_eq!(denied.raw_response().unwrap().status().as_u16(), 403);
    let message = denied.message().unwrap();
    assert!(
        message.contains("iam:GetRole") && message.contains("role/app/Tenant"),
        "{message}"
    );
    // A role that does not exist is still a denial for a caller without permission.
    let missing = aws_sdk_iam::Client::new(&config)
        .get_role()
        .role_name("Nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("AccessDenied"));

    let identity = aws_sdk_cognitoidentity::Client::new(&config)
        .describe_identity_pool()
        .identity_pool_id(POOL)
        .send()
        .await
        .unwrap_err();
    assert_eq!(identity.code(), Some("AccessDeniedException"));
    assert!(
        identity
            .message()
            .unwrap()
            .contains("cognito-identity:DescribeIdentityPool")
    );
    let user_pool = aws_sdk_cognitoidentityprovider::Client::new(&config)
        .describe_user_pool_client()
        .user_pool_id(USER_POOL)
        .client_id(CLIENT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(user_pool.code(), Some("AccessDeniedException"));
}

#[tokio::test]
async fn iam_is_global_signed_for_us_east_1_or_for_the_worlds_own_region() {
    let world = format!(
        r#"
account_id: "{ACCOUNT}"
region: eu-west-1
iam:
  roles:
    - RoleName: Reader
      AssumeRolePolicyDocument: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Principal: {{Federated: cognito-identity.amazonaws.com}}, Action: "sts:AssumeRoleWithWebIdentity"}}]}}
  users:
    - UserName: auditor
      AccessKeys: [{{AccessKeyId: AKIAAUDITEUWEST00001, SecretAccessKey: auditor-eu-secret}}]
      Policies:
        - PolicyName: Audit
          PolicyDocument: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "iam:GetRole", Resource: "*"}}]}}
"#
    );
    let staging = start(&world).await;
    for region in ["eu-west-1", "us-east-1"] {
        let config = sdk_config(
            &staging,
            Some(credentials(
                "AKIAAUDITEUWEST00001",
                "auditor-eu-secret",
                None,
            )),
        )
        .await
        .into_builder()
        .region(aws_config::Region::new(region))
        .build();
        let role = aws_sdk_iam::Client::new(&config)
            .get_role()
            .role_name("Reader")
            .send()
            .await
            .unwrap_or_else(|error| panic!("signed for {region}: {error:?}"));
        assert_eq!(role.role().unwrap().role_name(), "Reader");
    }
    // Any other region is refused, as for every other service.
    let config = sdk_config(
        &staging,
        Some(credentials(
            "AKIAAUDITEUWEST00001",
            "auditor-eu-secret",
            None,
        )),
    )
    .await
    .into_builder()
    .region(aws_config::Region::new("ap-south-1"))
    .build();
    let refused = aws_sdk_iam::Client::new(&config)
        .get_role()
        .role_name("Reader")
        .send()
        .await
        .unwrap_err();
    assert!(refused.code().is_some(), "{refused:?}");
}

/// ListGroups names every group of the pool in name order with its role, authorized by IAM
/// as `cognito-idp:ListGroups` on the pool's ARN.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListGroups.html>.
#[tokio::test]
async fn list_groups_names_each_group_and_its_role_to_an_allowed_caller_only() {
    let staging = start(&world()).await;
    let as_user = |key: &'static str, secret: &'static str| {
        let staging = &staging;
        async move {
            aws_sdk_cognitoidentityprovider::Client::new(
                &sdk_config(staging, Some(credentials(key, secret, None))).await,
            )
        }
    };
    let auditor = as_user("AKIAAUDITREADS000001", "auditor-reads-secret").await;
    let listed = auditor
        .list_groups()
        .user_pool_id(USER_POOL)
        .send()
        .await
        .unwrap();
    let groups: Vec<(&str, Option<&str>, Option<i32>)> = listed
        .groups()
        .iter()
        .map(|g| (g.group_name().unwrap(), g.role_arn(), g.precedence()))
        .collect();
    assert_eq!(
        groups,
        [
            ("guests", None, None),
            (
                "readers",
                Some("arn:aws:iam::111122223333:role/app/Tenant"),
                Some(2)
            ),
        ]
    );
    let nobody = as_user("AKIANOBODYREADS00001", "nobody-reads-secret").await;
    let denied = nobody
        .list_groups()
        .user_pool_id(USER_POOL)
        .send()
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Some("AccessDeniedException"));
}
