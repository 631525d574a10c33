//! Who a scenario user is on AWS: user-pool sign-in, identity-pool exchange and the
//! temporary credentials that result, with the evidence that explains the role.

pub mod evidence;
pub mod secret_hash;
pub mod srp;
pub mod target;
pub mod user;

pub use evidence::UserEvidence;
pub use target::{AwsTarget, CredentialsSource};
pub use user::{IdentityFlow, SignInFlow, UserAccess, UserPoolClient, UserSpec};
