//! A stand-in `SimCore` for unit tests of the Cognito services: verifies tokens against
//! registered issuers like STS, allows IAM calls for listed callers, and records the
//! web-identity exchanges instead of evaluating trust policies.

use crate::sim::core::{
    AccessRequest, IssuedCredentials, SimCore, StsError, TokenIssuer, VerifiedToken,
    WebIdentityRequest,
};
use crate::sim::iam::{Decision, Evaluation, PolicyKind};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

pub struct TestCore {
    pub now: Mutex<SystemTime>,
    pub issuers: Mutex<Vec<TokenIssuer>>,
    /// Caller ARNs IAM allows.
    pub allowed_callers: Mutex<BTreeSet<String>>,
    /// Roles whose trust policy refuses every token.
    pub refusing_roles: Mutex<BTreeSet<String>>,
    /// Every AssumeRoleWithWebIdentity call, with the token's verified claims.
    pub exchanges: Mutex<Vec<(WebIdentityRequest, Value)>>,
}

impl TestCore {
    pub fn new() -> Self {
        TestCore {
            now: Mutex::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)),
            issuers: Mutex::new(Vec::new()),
            allowed_callers: Mutex::new(BTreeSet::new()),
            refusing_roles: Mutex::new(BTreeSet::new()),
            exchanges: Mutex::new(Vec::new()),
        }
    }

    pub fn advance(&self, seconds: u64) {
        *self.now.lock().unwrap() += Duration::from_secs(seconds);
    }

    pub fn last_exchange(&self) -> (WebIdentityRequest, Value) {
        self.exchanges
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("an exchange happened")
    }
}

fn sts_error(code: &str, message: &str) -> StsError {
    StsError {
        code: code.to_string(),
        message: message.to_string(),
        status: 400,
    }
}

impl SimCore for TestCore {
    fn account_id(&self) -> &str {
        "111122223333"
    }

    fn region(&self) -> &str {
        "us-east-1"
    }

    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }

    fn authorize(&self, request: &AccessRequest<'_>) -> Evaluation {
        let allowed = self
            .allowed_callers
            .lock()
            .unwrap()
            .contains(&request.principal.arn);
        Evaluation {
            decision: if allowed {
                Decision::Allow
            } else {
                Decision::ImplicitDeny
            },
            statements: Vec::new(),
            missing_allow_in: (!allowed).then_some(PolicyKind::Identity),
        }
    }

    fn assume_role_with_web_identity(
        &self,
        request: &WebIdentityRequest,
    ) -> Result<IssuedCredentials, StsError> {
        let verified = self.verify_token(&request.web_identity_token)?;
        if self
            .refusing_roles
            .lock()
            .unwrap()
            .contains(&request.role_arn)
        {
            return Err(sts_error(
                "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithWebIdentity",
            ));
        }
        self.exchanges
            .lock()
            .unwrap()
            .push((request.clone(), verified.claims.clone()));
        Ok(IssuedCredentials {
            access_key_id: "ASIATESTTESTTESTTEST".to_string(),
            secret_access_key: "secret".to_string(),
            session_token: "session".to_string(),
            expiration: self.now() + Duration::from_secs(3600),
            assumed_role_arn: format!("{}/{}", request.role_arn, request.role_session_name),
            assumed_role_id: "AROATEST:session".to_string(),
            subject_from_web_identity_token: verified.claims["sub"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            audience: verified.claims["aud"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            provider: verified.issuer,
        })
    }

    fn register_issuer(&self, issuer: TokenIssuer) {
        self.issuers.lock().unwrap().push(issuer);
    }

    fn verify_token(&self, token: &str) -> Result<VerifiedToken, StsError> {
        let invalid = || sts_error("InvalidIdentityToken", "token verification failed");
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        let unverified: Value =
            jsonwebtoken::dangerous::insecure_decode_claims(token).map_err(|_| invalid())?;
        let iss = unverified["iss"].as_str().ok_or_else(invalid)?;
        let issuers = self.issuers.lock().unwrap();
        let issuer = issuers
            .iter()
            .find(|i| i.issuer == iss)
            .ok_or_else(invalid)?;
        let jwk = issuer.jwks["keys"]
            .as_array()
            .and_then(|keys| {
                keys.iter()
                    .find(|k| k["kid"].as_str() == header.kid.as_deref())
            })
            .ok_or_else(invalid)?;
        let key = jsonwebtoken::DecodingKey::from_rsa_components(
            jwk["n"].as_str().unwrap_or_default(),
            jwk["e"].as_str().unwrap_or_default(),
        )
        .map_err(|_| invalid())?;
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|_| invalid())?
            .claims;
        let now = self
            .now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        if claims["exp"].as_u64().is_none_or(|exp| exp <= now) {
            return Err(sts_error("ExpiredTokenException", "token is expired"));
        }
        if !issuer.client_ids.is_empty()
            && !issuer
                .client_ids
                .iter()
                .any(|c| claims["aud"].as_str() == Some(c))
        {
            return Err(invalid());
        }
        Ok(VerifiedToken {
            issuer: issuer.issuer.clone(),
            claims,
        })
    }
}
