//! AssumeRoleWithWebIdentity: verify the token, evaluate the role's trust policy and issue
//! a session. Both STS's own endpoint and Cognito identity pools use this code.
//! See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>.

use crate::sim::authorization::time_context;
use crate::sim::clock::iso8601;
use crate::sim::core::{IssuedCredentials, SimCore, StsError, WebIdentityRequest};
use crate::sim::iam::{
    EvaluationInput, NamedPolicy, Policy, PolicyUse, PrincipalMatch, RequestContext,
};
use crate::sim::iam_store::Role;
use crate::sim::principal::{Principal, PrincipalKind};
use crate::sim::sessions::SessionStore;
use crate::sim::state::SimState;
use crate::sim::token_issuers::{audiences, issuer_key};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The issuer whose tokens carry the `amr` claim AWS exposes as a condition key.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>.
const COGNITO_IDENTITY: &str = "cognito-identity.amazonaws.com";
/// The claim that carries session tags in a web identity token.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp>.
const TAGS_CLAIM: &str = "https://aws.amazon.com/tags";
/// DurationSeconds' lower bound. Without DurationSeconds a session lives one hour on AWS,
/// in local staging what the world's `staging.credentials_lifetime_seconds` says (within
/// the role's MaxSessionDuration).
const MIN_DURATION_SECONDS: u32 = 900;

pub fn assume_role_with_web_identity(
    state: &SimState,
    request: &WebIdentityRequest,
) -> Result<IssuedCredentials, StsError> {
    check_session_name(&request.role_session_name)?;
    if let Some(duration) = request.duration_seconds
        && duration < MIN_DURATION_SECONDS
    {
        return Err(validation_error(&format!(
            "1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
        )));
    }
    let now = state.now();
    let (issuer, token) = state.issuers.verify(&request.web_identity_token, now)?;
    let role = state
        .iam()
        .role_by_arn(&request.role_arn)
        .ok_or_else(not_authorized)?;
    let duration = request.duration_seconds.unwrap_or_else(|| {
        state
            .credentials_lifetime_seconds()
            .min(role.max_session_seconds)
    });
    if duration > role.max_session_seconds {
        return Err(validation_error(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    let session_policies =
        session_policies(state, request.policy.as_deref(), &request.policy_arns)?;
    let session_tags = session_tags(&token.claims)?;

    let provider = issuer_key(&issuer.issuer).to_string();
    let subject = token
        .claims
        .get("sub")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| StsError {
            code: "InvalidIdentityToken".to_string(),
            message: "The web identity token has no subject.".to_string(),
            status: 400,
        })?
        .to_string();
    let token_audiences = audiences(&token.claims);
    let mut web_keys = RequestContext::new();
    // Web identity keys: `<provider>:aud`, `<provider>:sub`, and for Cognito identity `amr`.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>.
    match token_audiences.as_slice() {
        [single] => web_keys.set(format!("{provider}:aud"), single.as_str()),
        many => web_keys.set_multi(format!("{provider}:aud"), many.iter().cloned()),
    };
    web_keys.set(format!("{provider}:sub"), subject.as_str());
    if provider == COGNITO_IDENTITY
        && let Some(amr) = token.claims.get("amr")
    {
        let values: Vec<String> = match amr {
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            serde_json::Value::String(one) => vec![one.clone()],
            _ => Vec::new(),
        };
        web_keys.set_multi(format!("{provider}:amr"), values);
    }
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-federatedprovider>.
    web_keys.set("aws:FederatedProvider", issuer.federated_principal.as_str());

    let principal_match = PrincipalMatch {
        aws: Vec::new(),
        federated: Some(issuer.federated_principal.clone()),
        service: None,
    };
    let mut trust_context = time_context(state);
    trust_context.extend(&web_keys);
    evaluate_trust(
        role,
        "sts:AssumeRoleWithWebIdentity",
        &principal_match,
        &trust_context,
    )?;
    if !session_tags.is_empty() {
        // Passing session tags needs sts:TagSession in the trust policy as well.
        // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required>.
        let mut tag_context = trust_context.clone();
        for (key, value) in &session_tags {
            tag_context.set(format!("aws:RequestTag/{key}"), value.as_str());
        }
        tag_context.set_multi("aws:TagKeys", session_tags.keys().cloned());
        evaluate_trust(role, "sts:TagSession", &principal_match, &tag_context)?;
    }

    // Session tags override role tags of the same key.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-tags>.
    let mut principal_tags = role.tags.clone();
    principal_tags.extend(session_tags);
    // The session belongs to the role's account, which may be another than the default.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns>.
    let session_arn = format!(
        "arn:aws:sts::{}:assumed-role/{}/{}",
        role.account, role.name, request.role_session_name
    );
    let userid = format!("{}:{}", role.role_id, request.role_session_name);
    let expiration = now + Duration::from_secs(u64::from(duration));
    let keys = SessionStore::fresh_keys();
    let mut session_context = web_keys;
    // Requests signed with temporary credentials carry the time they were issued.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tokenissuetime>.
    session_context.set("aws:TokenIssueTime", iso8601(now));
    let principal = Principal {
        kind: PrincipalKind::AssumedRole {
            role_arn: role.arn.clone(),
            role_name: role.name.clone(),
            session_name: request.role_session_name.clone(),
        },
        arn: session_arn.clone(),
        account: role.account.clone(),
        userid: userid.clone(),
        access_key_id: keys.access_key_id.clone(),
        principal_tags,
        session_policies,
        federated_context: session_context,
        expires: Some(expiration),
    };
    state.sessions().insert(&keys, Arc::new(principal));
    Ok(IssuedCredentials {
        access_key_id: keys.access_key_id,
        secret_access_key: keys.secret_access_key.expose().to_string(),
        session_token: keys.session_token.expose().to_string(),
        expiration,
        assumed_role_arn: session_arn,
        assumed_role_id: userid,
        subject_from_web_identity_token: subject,
        audience: token_audiences.first().cloned().unwrap_or_default(),
        provider,
    })
}

/// Evaluates the role's trust policy as a resource-based policy; anything but an allow is
/// the AccessDenied STS documents.
fn evaluate_trust(
    role: &Role,
    action: &str,
    principal: &PrincipalMatch,
    context: &RequestContext,
) -> Result<(), StsError> {
    let evaluation = crate::sim::iam::evaluate(&EvaluationInput {
        action,
        resource: &role.arn,
        principal,
        context,
        identity_policies: &[],
        resource_policy: Some(&role.trust_policy),
        resource_policy_is_trust: true,
        session_policies: None,
        permissions_boundary: None,
        cross_account: false,
    });
    if evaluation.is_allowed() {
        Ok(())
    } else {
        Err(not_authorized())
    }
}

fn not_authorized() -> StsError {
    StsError {
        code: "AccessDenied".to_string(),
        message: "Not authorized to perform sts:AssumeRoleWithWebIdentity".to_string(),
        status: 403,
    }
}

pub(crate) fn validation_error(message: &str) -> StsError {
    StsError {
        code: "ValidationError".to_string(),
        message: message.to_string(),
        status: 400,
    }
}

/// RoleSessionName is 2 to 64 characters of `[\w+=,.@-]`.
pub(crate) fn check_session_name(name: &str) -> Result<(), StsError> {
    let ok = (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(validation_error(
            "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        ))
    }
}

/// The inline `Policy` and the managed `PolicyArns` passed as session policies; `None`
/// when neither was passed (the session then has only the role's permissions).
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>.
pub(crate) fn session_policies(
    state: &SimState,
    policy: Option<&str>,
    policy_arns: &[String],
) -> Result<Option<Vec<NamedPolicy>>, StsError> {
    if policy.is_none() && policy_arns.is_empty() {
        return Ok(None);
    }
    let mut policies = Vec::new();
    if let Some(text) = policy {
        let policy = Policy::parse_for(text, PolicyUse::Identity).map_err(|e| StsError {
            code: "MalformedPolicyDocument".to_string(),
            message: e.to_string(),
            status: 400,
        })?;
        policies.push(NamedPolicy {
            name: "session/inline".to_string(),
            policy: Arc::new(policy),
        });
    }
    for arn in policy_arns {
        let policy = state.iam().managed_policy(arn).ok_or_else(|| {
            validation_error(&format!("The session policy ARN {arn} does not exist."))
        })?;
        policies.push(policy.clone());
    }
    Ok(Some(policies))
}

/// Session tags from the token's `https://aws.amazon.com/tags` claim.
fn session_tags(claims: &serde_json::Value) -> Result<BTreeMap<String, String>, StsError> {
    let mut tags = BTreeMap::new();
    let Some(claim) = claims.get(TAGS_CLAIM) else {
        return Ok(tags);
    };
    let malformed = || StsError {
        code: "InvalidIdentityToken".to_string(),
        message: format!("The {TAGS_CLAIM} claim is malformed."),
        status: 400,
    };
    let Some(principal_tags) = claim.get("principal_tags") else {
        return Ok(tags);
    };
    let map = principal_tags.as_object().ok_or_else(malformed)?;
    for (key, value) in map {
        // Each tag value is written as a one-element array.
        let value = match value {
            serde_json::Value::Array(items) if items.len() == 1 => items[0].as_str(),
            serde_json::Value::String(one) => Some(one.as_str()),
            _ => None,
        }
        .ok_or_else(malformed)?;
        tags.insert(key.clone(), value.to_string());
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::core::{AccessRequest, TokenIssuer};
    use crate::sim::iam::Decision;
    use crate::sim::world::World;
    use base64::Engine;
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    use std::sync::OnceLock;

    const ISSUER: &str = "https://idp.example.test";
    const FEDERATED: &str = "arn:aws:iam::111122223333:oidc-provider/idp.example.test";

    fn key() -> &'static rsa::RsaPrivateKey {
        static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
        KEY.get_or_init(|| rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap())
    }

    fn state(trust_actions: &str) -> SimState {
        let yaml = format!(
            r#"account_id: "111122223333"
region: us-east-1
iam:
  roles:
    - RoleName: Tenant
      Tags: [{{Key: tier, Value: gold}}, {{Key: tenant, Value: from-role}}]
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Federated: "{FEDERATED}"}}
            Action: {trust_actions}
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:*
                Resource: "arn:aws:s3:::data/${{aws:PrincipalTag/tenant}}/${{idp.example.test:sub}}/*"
"#
        );
        let world = World::from_yaml(&yaml, "w.yaml").unwrap();
        let state = SimState::from_world(&world).unwrap();
        let b64 = |b: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        state.register_issuer(TokenIssuer {
            issuer: ISSUER.to_string(),
            jwks: serde_json::json!({"keys": [{
                "kty": "RSA", "alg": "RS256", "kid": "k1",
                "n": b64(key().n().to_bytes_be()), "e": b64(key().e().to_bytes_be()),
            }]}),
            client_ids: vec!["client".to_string()],
            federated_principal: FEDERATED.to_string(),
        });
        state
    }

    fn token(extra: serde_json::Value) -> String {
        let now = crate::sim::clock::epoch_seconds(std::time::SystemTime::now());
        let mut claims = serde_json::json!({
            "iss": ISSUER, "sub": "alice", "aud": "client", "exp": now + 600,
        });
        if let (Some(claims), Some(extra)) = (claims.as_object_mut(), extra.as_object()) {
            claims.extend(extra.clone());
        }
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some("k1".to_string());
        let pem = key().to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        let signing = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        jsonwebtoken::encode(&header, &claims, &signing).unwrap()
    }

    fn request(token: String) -> WebIdentityRequest {
        WebIdentityRequest {
            role_arn: "arn:aws:iam::111122223333:role/Tenant".to_string(),
            role_session_name: "alice".to_string(),
            web_identity_token: token,
            duration_seconds: None,
            policy: None,
            policy_arns: Vec::new(),
        }
    }

    fn decision(state: &SimState, access_key_id: &str, action: &str, resource: &str) -> Decision {
        let session = state.sessions().get(access_key_id).unwrap();
        state
            .authorize(&AccessRequest {
                principal: &session.principal,
                action,
                resource,
                context: RequestContext::new(),
                resource_policy: None,
            })
            .decision
    }

    fn tagged_token() -> String {
        token(serde_json::json!({
            "https://aws.amazon.com/tags": {"principal_tags": {"tenant": ["acme"]}}
        }))
    }

    #[test]
    fn session_tags_need_tag_session_in_the_trust_policy() {
        let state = state("sts:AssumeRoleWithWebIdentity");
        let error = state
            .assume_role_with_web_identity(&request(tagged_token()))
            .unwrap_err();
        assert_eq!(error.code, "AccessDenied");
        assert_eq!(error.status, 403);
    }

    #[test]
    fn session_tags_override_role_tags_and_feed_policy_variables() {
        let state = state("[sts:AssumeRoleWithWebIdentity, sts:TagSession]");
        let issued = state
            .assume_role_with_web_identity(&request(tagged_token()))
            .unwrap();
        let session = state.sessions().get(&issued.access_key_id).unwrap();
        assert_eq!(
            session
                .principal
                .principal_tags
                .get("tenant")
                .map(String::as_str),
            Some("acme")
        );
        assert_eq!(
            session
                .principal
                .principal_tags
                .get("tier")
                .map(String::as_str),
            Some("gold")
        );
        let key = &issued.access_key_id;
        assert_eq!(
            decision(
                &state,
                key,
                "s3:GetObject",
                "arn:aws:s3:::data/acme/alice/x"
            ),
            Decision::Allow
        );
        // Another subject's prefix in the same tenant, and another tenant.
        assert_eq!(
            decision(&state, key, "s3:GetObject", "arn:aws:s3:::data/acme/bob/x"),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decision(
                &state,
                key,
                "s3:GetObject",
                "arn:aws:s3:::data/from-role/alice/x"
            ),
            Decision::ImplicitDeny
        );
    }

    /// Session policies intersect with the role's permissions.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>.
    #[test]
    fn a_session_policy_narrows_the_role() {
        let state = state("sts:AssumeRoleWithWebIdentity");
        let mut narrowed = request(token(serde_json::json!({})));
        narrowed.policy = Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
                .to_string(),
        );
        let issued = state.assume_role_with_web_identity(&narrowed).unwrap();
        let key = &issued.access_key_id;
        let object = "arn:aws:s3:::data/from-role/alice/x";
        assert_eq!(
            decision(&state, key, "s3:GetObject", object),
            Decision::Allow
        );
        assert_eq!(
            decision(&state, key, "s3:PutObject", object),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn a_malformed_session_policy_is_refused() {
        let state = state("sts:AssumeRoleWithWebIdentity");
        let mut bad = request(token(serde_json::json!({})));
        bad.policy = Some("{not json".to_string());
        let error = state.assume_role_with_web_identity(&bad).unwrap_err();
        assert_eq!(error.code, "MalformedPolicyDocument");
        assert_eq!(error.status, 400);
    }

    #[test]
    fn the_session_carries_the_web_identity_keys_and_global_keys() {
        let state = state("sts:AssumeRoleWithWebIdentity");
        let issued = state
            .assume_role_with_web_identity(&request(token(serde_json::json!({}))))
            .unwrap();
        let session = state.sessions().get(&issued.access_key_id).unwrap();
        let context = crate::sim::authorization::global_context(&state, &session.principal);
        let value = |k: &str| context.get(k).map(|v| v.join(","));
        assert_eq!(value("idp.example.test:sub").as_deref(), Some("alice"));
        assert_eq!(value("idp.example.test:aud").as_deref(), Some("client"));
        assert_eq!(
            value("aws:PrincipalArn").as_deref(),
            Some("arn:aws:iam::111122223333:role/Tenant")
        );
        assert_eq!(value("aws:PrincipalType").as_deref(), Some("AssumedRole"));
        assert_eq!(value("aws:userid"), Some(issued.assumed_role_id.clone()));
        assert_eq!(value("aws:SecureTransport").as_deref(), Some("false"));
        assert_eq!(value("aws:FederatedProvider").as_deref(), Some(FEDERATED));
        assert!(value("aws:TokenIssueTime").is_some_and(|t| t.ends_with('Z')));
        assert!(context.get("aws:username").is_none());
    }

    #[test]
    fn issued_credentials_never_show_secrets_in_debug() {
        let state = state("sts:AssumeRoleWithWebIdentity");
        let issued = state
            .assume_role_with_web_identity(&request(token(serde_json::json!({}))))
            .unwrap();
        let shown = format!("{issued:?}");
        assert!(!shown.contains(&issued.secret_access_key));
        assert!(!shown.contains(&issued.session_token));
    }
}
