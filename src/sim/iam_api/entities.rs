//! The roles and managed policies IAM's read API describes, with their documents as the
//! world file wrote them (JSON text, as IAM stores them).

use crate::sim::iam_store::stable_id;
use crate::sim::world::World;
use std::collections::BTreeMap;

/// One role as GetRole, ListRolePolicies and ListAttachedRolePolicies describe it.
#[derive(Debug, Clone)]
pub struct RoleEntity {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub role_id: String,
    pub trust_policy: String,
    pub max_session_duration: u32,
    /// Inline policies by name, as GetRolePolicy returns them.
    pub inline_policies: BTreeMap<String, String>,
    /// Attached managed policy ARNs, in world-file order.
    pub attached_policies: Vec<String>,
}

/// One customer managed policy with its single (default) version.
#[derive(Debug, Clone)]
pub struct ManagedPolicyEntity {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub policy_id: String,
    pub document: String,
    pub attachment_count: usize,
}

/// Every role (by name) and managed policy (by ARN) of the world.
#[derive(Debug, Clone, Default)]
pub struct IamEntities {
    pub roles: BTreeMap<String, RoleEntity>,
    pub policies: BTreeMap<String, ManagedPolicyEntity>,
}

impl IamEntities {
    /// The world's IAM section. The world was validated, so names and ARNs are unique.
    pub fn from_world(world: &World) -> IamEntities {
        let account = &world.account_id;
        let mut entities = IamEntities::default();
        for spec in &world.iam.policies {
            let path = spec.path.clone().unwrap_or_else(|| "/".to_owned());
            let arn = format!("arn:aws:iam::{account}:policy{path}{}", spec.policy_name);
            let attachment_count = world
                .iam
                .roles
                .iter()
                .flat_map(|role| &role.managed_policy_arns)
                .chain(
                    world
                        .iam
                        .users
                        .iter()
                        .flat_map(|user| &user.managed_policy_arns),
                )
                .filter(|attached| **attached == arn)
                .count();
            entities.policies.insert(
                arn.clone(),
                ManagedPolicyEntity {
                    name: spec.policy_name.clone(),
                    path,
                    policy_id: stable_id("ANPA", &arn),
                    arn,
                    document: spec.policy_document.to_json_text(),
                    attachment_count,
                },
            );
        }
        for spec in &world.iam.roles {
            let path = spec.path.clone().unwrap_or_else(|| "/".to_owned());
            let arn = format!("arn:aws:iam::{account}:role{path}{}", spec.role_name);
            entities.roles.insert(
                spec.role_name.clone(),
                RoleEntity {
                    name: spec.role_name.clone(),
                    path,
                    // The same id the role's sessions carry in `aws:userid`.
                    role_id: stable_id("AROA", &arn),
                    arn,
                    trust_policy: spec.assume_role_policy_document.to_json_text(),
                    max_session_duration: spec
                        .max_session_duration
                        .unwrap_or(crate::sim::iam_store::DEFAULT_MAX_SESSION_SECONDS),
                    inline_policies: spec
                        .policies
                        .iter()
                        .map(|inline| {
                            (
                                inline.policy_name.clone(),
                                inline.policy_document.to_json_text(),
                            )
                        })
                        .collect(),
                    attached_policies: spec.managed_policy_arns.clone(),
                },
            );
        }
        entities
    }
}
