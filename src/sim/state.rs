//! Local staging's shared state: account, region, clock, IAM, sessions and token issuers.
//! It implements `SimCore`, the interface every service uses.

use super::authorization;
use super::clock::SimClock;
use super::core::{
    AccessRequest, IssuedCredentials, SimCore, StsError, TokenIssuer, VerifiedToken,
    WebIdentityRequest,
};
use super::iam::Evaluation;
use super::iam_store::IamStore;
use super::sessions::SessionStore;
use super::signing_key_cache::SigningKeyCache;
use super::sts::web_identity;
use super::token_issuers::TokenIssuerRegistry;
use super::world::{World, WorldError};
use std::time::SystemTime;

#[derive(Debug)]
pub struct SimState {
    account_id: String,
    region: String,
    pub(crate) clock: SimClock,
    pub(crate) iam: IamStore,
    pub(crate) sessions: SessionStore,
    pub(crate) issuers: TokenIssuerRegistry,
    /// The SigV4 signing keys derived so far, so a request costs one HMAC, not five.
    signing_keys: SigningKeyCache,
    /// The lifetime of credentials handed out without a requested duration.
    credentials_lifetime_seconds: u32,
    /// Whether requests reach local staging over TLS (the server listens for one or the
    /// other, never both).
    secure_transport: bool,
}

impl SimState {
    /// Builds the state from a world, registering its OIDC providers as token issuers.
    pub fn from_world(world: &World) -> Result<SimState, Vec<WorldError>> {
        let iam = IamStore::from_world(world)?;
        let issuers = TokenIssuerRegistry::default();
        for issuer in iam.oidc_issuers() {
            issuers.register(issuer.clone());
        }
        let clock = SimClock::default();
        clock.shift(world.staging.clock_offset_seconds.unwrap_or(0));
        Ok(SimState {
            account_id: world.account_id.clone(),
            region: world.region.clone(),
            clock,
            iam,
            sessions: SessionStore::default(),
            issuers,
            signing_keys: SigningKeyCache::default(),
            credentials_lifetime_seconds: world.staging.credentials_lifetime_seconds(),
            secure_transport: false,
        })
    }

    /// Moves local staging's clock by whole seconds (tests use it for expiry and skew).
    pub fn shift_clock(&self, seconds: i64) {
        self.clock.shift(seconds);
    }

    /// Marks every request as arriving over TLS, for a server started with it.
    pub fn set_secure_transport(&mut self, secure: bool) {
        self.secure_transport = secure;
    }

    /// `aws:SecureTransport` of every request.
    pub fn secure_transport(&self) -> bool {
        self.secure_transport
    }

    /// How long credentials live when the request names no duration.
    pub fn credentials_lifetime_seconds(&self) -> u32 {
        self.credentials_lifetime_seconds
    }

    pub fn iam(&self) -> &IamStore {
        &self.iam
    }

    pub fn sessions(&self) -> &SessionStore {
        &self.sessions
    }

    pub fn signing_keys(&self) -> &SigningKeyCache {
        &self.signing_keys
    }
}

impl SimCore for SimState {
    fn account_id(&self) -> &str {
        &self.account_id
    }

    fn region(&self) -> &str {
        &self.region
    }

    fn now(&self) -> SystemTime {
        self.clock.now()
    }

    fn authorize(&self, request: &AccessRequest<'_>) -> Evaluation {
        authorization::authorize(self, request)
    }

    fn assume_role_with_web_identity(
        &self,
        request: &WebIdentityRequest,
    ) -> Result<IssuedCredentials, StsError> {
        web_identity::assume_role_with_web_identity(self, request)
    }

    fn register_issuer(&self, issuer: TokenIssuer) {
        self.issuers.register(issuer);
    }

    fn verify_token(&self, token: &str) -> Result<VerifiedToken, StsError> {
        self.issuers
            .verify(token, self.clock.now())
            .map(|(_, verified)| verified)
    }
}
