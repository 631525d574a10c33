//! Who a scenario user is on AWS: user-pool sign-in, identity-pool exchange and the
//! temporary credentials that result, with the evidence that explains the role.

pub mod claims;
pub mod credentials_provider;
pub mod error;
pub mod evidence;
pub mod exchange;
pub mod role_check;
pub mod secret_hash;
pub mod session;
pub mod shared_clients;
pub mod sign_in;
pub mod srp;
pub mod target;
pub mod tokens;
pub mod user;

pub use credentials_provider::UserCredentialsProvider;
pub use error::IdentityError;
pub use evidence::UserEvidence;
pub use role_check::{RoleCheck, check_expected_role};
pub use session::UserSession;
pub use target::{AwsTarget, CredentialsSource};
pub use user::{IdentityFlow, SignInFlow, UserAccess, UserPoolClient, UserSpec};
