//! A validated scenario user.

use super::secret_source::SecretSource;

/// A user the harness signs in as (or a guest identity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The name used in probe names.
    pub name: String,
    /// The tenant the user belongs to; `None` only for guests without one.
    pub tenant: Option<String>,
    /// The user-pool username; `None` for guests.
    pub username: Option<String>,
    /// The password source; `None` for guests. Resolved only when needed.
    pub password: Option<SecretSource>,
    /// The expected role ARN (enhanced flow), or the role to assume (basic flow).
    pub role_arn: Option<String>,
    /// An unauthenticated identity of the identity pool.
    pub guest: bool,
    /// Declared `credentials: refused`: the identity pool must give this user no role.
    pub credentials_refused: bool,
}
