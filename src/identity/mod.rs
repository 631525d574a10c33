//! Who a scenario user is on AWS: user-pool sign-in, identity-pool exchange and the
//! temporary credentials that result, with the evidence that explains the role.

pub mod evidence;

pub use evidence::UserEvidence;
