//! What the user pools service changes at run time: users, refresh tokens, pending
//! challenges and revoked sign-ins.

use super::srp::ServerSession;
use super::user_record::UserRecord;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The mutable state behind the service's lock. Holds refresh tokens as map keys, so it
/// has no `Debug`.
#[derive(Default)]
pub struct IdpState {
    /// Pool id to username to user.
    pub users: BTreeMap<String, BTreeMap<String, UserRecord>>,
    /// Refresh token to what it grants.
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    /// SECRET_BLOCK to the SRP exchange it belongs to.
    pub srp_sessions: HashMap<String, PendingSrp>,
    /// Session string to a pending NEW_PASSWORD_REQUIRED challenge.
    pub password_changes: HashMap<String, PendingPasswordChange>,
    /// `origin_jti` values revoked by a global sign-out.
    pub revoked_sign_ins: HashSet<String>,
}

/// What a refresh token grants.
#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub origin_jti: String,
    pub auth_time: u64,
    pub expires_at: u64,
}

/// An SRP exchange between InitiateAuth and RespondToAuthChallenge.
#[derive(Debug)]
pub struct PendingSrp {
    pub pool_id: String,
    pub client_id: String,
    /// `None` when the user does not exist: the exchange runs against a random password
    /// so the challenge does not reveal that.
    pub username: Option<String>,
    pub user_id_for_srp: String,
    pub session: ServerSession,
    pub expires_at: u64,
}

/// A NEW_PASSWORD_REQUIRED challenge waiting for its answer.
#[derive(Debug, Clone)]
pub struct PendingPasswordChange {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub expires_at: u64,
}

/// Challenge sessions last three minutes, Cognito's default for auth sessions.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html#CognitoUserPools-Type-UserPoolClientType-AuthSessionValidity>.
pub const CHALLENGE_SESSION_SECONDS: u64 = 180;

/// A fresh opaque value for refresh tokens, sessions and secret blocks.
pub fn opaque_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buffer = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buffer);
    base64::engine::general_purpose::STANDARD.encode(buffer)
}
