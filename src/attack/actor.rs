//! The user an attack runs as: the user's own session (sign-in, tokens, identity id, taken
//! over from the matrix run, never a second sign-in) and what the user's attacks share.

use super::calls::open_id_token;
use crate::identity::UserSession;
use crate::identity::exchange::logins;
use crate::probe::Observation;
use crate::secret::SecretString;
use std::collections::HashMap;
use tokio::sync::OnceCell;

/// Per user: the OpenID token of the basic flow, asked for once. When the pool refuses it,
/// that single refusal is the denial of every basic-flow case of the user.
#[derive(Debug, Default)]
pub struct AttackMemo {
    open_id_token: OnceCell<Result<SecretString, Observation>>,
}

/// One user as an attacker.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub session: &'a UserSession,
    pub memo: &'a AttackMemo,
}

/// The user's ID token as identity-pool `Logins`, and the identity id.
pub struct Identity {
    pub logins: HashMap<String, String>,
    pub identity_id: String,
}

impl Actor<'_> {
    /// The user's logins and identity id, from the session (signing in again only when the
    /// ID token is about to expire). The error is a reason without secrets.
    pub async fn identity(&self) -> Result<Identity, String> {
        let provider = &self.session.provider;
        let (id_token, identity_id) = provider
            .identity()
            .await
            .map_err(|error| format!("the user's identity is not available: {error}"))?;
        Ok(Identity {
            logins: logins(provider.spec(), id_token.as_ref()),
            identity_id,
        })
    }

    /// The basic flow's OpenID token for this user, asked for once per user.
    pub async fn open_id_token(&self) -> Result<Result<SecretString, Observation>, String> {
        let identity = self.identity().await?;
        let clients = self.session.provider.exchange_clients();
        let token = self
            .memo
            .open_id_token
            .get_or_init(|| {
                open_id_token(
                    &self.session.spec.redactor,
                    &clients.identity,
                    &identity.identity_id,
                    &identity.logins,
                )
            })
            .await;
        Ok(token.clone())
    }
}
