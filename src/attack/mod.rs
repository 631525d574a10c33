//! Identity-layer attacks: the other ways of getting credentials (the basic flow on other
//! roles, CustomRoleArn, another user's identity id, guests the matrix did not list, users
//! no role mapping matches, a foreign identity pool's token, a claim the user rewrites, a
//! stranger's self sign-up, revoked tokens), planned from the scenario as
//! `{user}::attack::{kind}::{target}` cases and run by the same scheduler, with the same
//! records, as probes; one that obtains credentials re-runs the user's row with them.

pub mod actor;
pub mod basic_flow;
pub mod calls;
pub mod claim_tamper;
pub mod custom_role_arn;
pub mod escalated_reach;
pub mod escalation;
pub mod foreign_token;
pub mod guest;
pub mod identity_swap;
pub mod kind;
pub mod observed_roles;
pub mod planning;
pub mod refusal;
pub mod revocation;
pub mod run;
pub mod settings;
pub mod sign_up;
pub mod sign_up_confirmation;
pub mod target;
pub mod unmapped;
pub mod user_pool_refusal;
pub mod verdict;

pub use actor::{Actor, AttackMemo};
pub use escalation::{AttackAttempt, Escalation, escalated_cases, is_rerun_of};
pub use foreign_token::{FOREIGN_USER, ForeignPool, ForeignTokenMemo};
pub use guest::GuestContext;
pub use kind::AttackKind;
pub use observed_roles::observed_role_cases;
pub use planning::{GUEST_USER, STRANGER_USER, attack_case_name, attack_cases, known_roles};
pub use run::{AttackRecord, Parties, run_attack};
pub use settings::{AllowedAttack, AttackSettings};
pub use target::{AttackTarget, ReachProbe, role_name};
