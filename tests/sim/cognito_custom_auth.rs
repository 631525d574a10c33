//! ALLOW_CUSTOM_AUTH through the SDK: InitiateAuth CUSTOM_AUTH answers CUSTOM_CHALLENGE
//! with a Session and the USERNAME parameter; RespondToAuthChallenge with an ANSWER never
//! signs in (local staging runs no verify-auth-challenge Lambda); a client without the flow
//! refuses it.
//! See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html>
//! and <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html>.

use crate::support::{ACCOUNT, credentials, sdk_config, start};
use aws_sdk_cognitoidentityprovider::Client as UserPoolClient;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
};

const POOL: &str = "us-east-1_Custom01";
const READER_KEY: &str = "AKIAREADEREXAMPLE001";

fn world() -> String {
    format!(
        r#"account_id: "{ACCOUNT}"
region: us-east-1
iam:
  users:
    - UserName: reader
      AccessKeys: [{{ AccessKeyId: {READER_KEY}, SecretAccessKey: reader-secret }}]
      Policies:
        - PolicyName: describe
          PolicyDocument: '{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "cognito-idp:DescribeUserPoolClient", "Resource": "*"}}]}}'
user_pools:
  - Id: {POOL}
    PoolName: passwordless
    Clients:
      - ClientId: custom-web
        ExplicitAuthFlows: [ALLOW_CUSTOM_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
      - ClientId: password-web
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH]
    Users:
      - {{ Username: carol, Password: "Carol-Pa55!" }}
"#
    )
}

#[tokio::test]
async fn custom_auth_answers_the_custom_challenge_and_no_answer_signs_in() {
    let staging = start(&world()).await;
    let client = UserPoolClient::new(&sdk_config(&staging, None).await);
    let started = client
        .initiate_auth()
        .auth_flow(AuthFlowType::CustomAuth)
        .client_id("custom-web")
        .auth_parameters("USERNAME", "carol")
        .send()
        .await
        .expect("the client offers CUSTOM_AUTH");
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::CustomChallenge)
    );
    assert!(started.authentication_result().is_none());
    let session = started.session().expect("a challenge session").to_owned();
    assert_eq!(
        started
            .challenge_parameters()
            .and_then(|p| p.get("USERNAME"))
            .map(String::as_str),
        Some("carol")
    );

    let answered = client
        .respond_to_auth_challenge()
        .client_id("custom-web")
        .challenge_name(ChallengeNameType::CustomChallenge)
        .session(session)
        .challenge_responses("USERNAME", "carol")
        .challenge_responses("ANSWER", "123456")
        .send()
        .await
        .unwrap_err();
    assert_eq!(answered.code(), Some("NotAuthorizedException"));

    // The password is no way around the flow the client offers.
    let refused = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id("custom-web")
        .auth_parameters("USERNAME", "carol")
        .auth_parameters("PASSWORD", "Carol-Pa55!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("InvalidParameterException"));
}

#[tokio::test]
async fn a_client_without_allow_custom_auth_refuses_the_flow_and_unknown_users_are_named() {
    let staging = start(&world()).await;
    let client = UserPoolClient::new(&sdk_config(&staging, None).await);
    let refused = client
        .initiate_auth()
        .auth_flow(AuthFlowType::CustomAuth)
        .client_id("password-web")
        .auth_parameters("USERNAME", "carol")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("InvalidParameterException"));
    assert_eq!(
        refused.message(),
        Some("CUSTOM_AUTH flow not enabled for this client")
    );
    // A client created without PreventUserExistenceErrors is LEGACY: an unknown user is
    // named as such.
    // See <https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html>.
    let unknown = client
        .initiate_auth()
        .auth_flow(AuthFlowType::CustomAuth)
        .client_id("custom-web")
        .auth_parameters("USERNAME", "nobody")
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("UserNotFoundException"));
}

#[tokio::test]
async fn describe_user_pool_client_lists_allow_custom_auth() {
    let staging = start(&world()).await;
    let config = sdk_config(
        &staging,
        Some(credentials(READER_KEY, "reader-secret", None)),
    )
    .await;
    let described = UserPoolClient::new(&config)
        .describe_user_pool_client()
        .user_pool_id(POOL)
        .client_id("custom-web")
        .send()
        .await
        .expect("the reader may describe the client");
    let flows = described.user_pool_client().unwrap().explicit_auth_flows();
    assert_eq!(
        flows,
        [
            ExplicitAuthFlowsType::AllowCustomAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth
        ]
    );
}
