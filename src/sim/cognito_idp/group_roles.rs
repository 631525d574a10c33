//! The `cognito:roles` and `cognito:preferred_role` claims a user's groups produce.

use super::world::GroupSpec;

/// The roles a user's groups carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupRoles {
    /// Every role of the user's groups, highest precedence first, without repeats.
    pub roles: Vec<String>,
    /// The role of the group with the lowest precedence value; `None` when that lowest
    /// precedence is shared by groups with different roles.
    pub preferred_role: Option<String>,
}

/// Computes the claims for the groups a user belongs to. Zero is the highest precedence
/// and groups without one rank below every group with one; two groups with the same
/// precedence and different role ARNs leave `cognito:preferred_role` unset.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html#CognitoUserPools-CreateGroup-request-Precedence>.
pub fn group_roles<'a>(groups: impl IntoIterator<Item = &'a GroupSpec>) -> GroupRoles {
    let mut with_roles: Vec<(&'a GroupSpec, &'a str)> = groups
        .into_iter()
        .filter_map(|g| g.role_arn.as_deref().map(|role| (g, role)))
        .collect();
    // `None` sorts after every `Some`, matching "lower precedence values take precedence
    // over higher or null values".
    with_roles.sort_by_key(|(g, _)| (g.precedence.is_none(), g.precedence));
    let mut roles: Vec<String> = Vec::new();
    for (_, role) in &with_roles {
        if !roles.iter().any(|r| r == role) {
            roles.push((*role).to_string());
        }
    }
    let preferred_role = with_roles.first().and_then(|(top, top_role)| {
        let tied_with_other_role = with_roles
            .iter()
            .any(|(g, role)| g.precedence == top.precedence && role != top_role);
        (!tied_with_other_role).then(|| (*top_role).to_string())
    });
    GroupRoles {
        roles,
        preferred_role,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, precedence: Option<u32>, role: Option<&str>) -> GroupSpec {
        GroupSpec {
            group_name: name.to_string(),
            precedence,
            role_arn: role.map(str::to_string),
            description: None,
        }
    }

    #[test]
    fn the_lowest_precedence_value_gives_the_preferred_role() {
        let groups = [
            group("editor", Some(5), Some("role/Editor")),
            group("admin", Some(1), Some("role/Admin")),
        ];
        let claims = group_roles(&groups);
        assert_eq!(claims.preferred_role.as_deref(), Some("role/Admin"));
        assert_eq!(claims.roles, vec!["role/Admin", "role/Editor"]);
    }

    #[test]
    fn a_tie_between_different_roles_gives_no_preferred_role() {
        let groups = [
            group("a", Some(1), Some("role/A")),
            group("b", Some(1), Some("role/B")),
            group("c", Some(9), Some("role/C")),
        ];
        let claims = group_roles(&groups);
        assert_eq!(claims.preferred_role, None);
        assert_eq!(claims.roles.len(), 3);
    }

    #[test]
    fn a_tie_on_the_same_role_keeps_it_preferred() {
        let groups = [
            group("a", Some(1), Some("role/A")),
            group("b", Some(1), Some("role/A")),
        ];
        assert_eq!(
            group_roles(&groups).preferred_role.as_deref(),
            Some("role/A")
        );
    }

    #[test]
    fn groups_without_precedence_rank_last_and_groups_without_roles_are_ignored() {
        let groups = [
            group("none", None, Some("role/None")),
            group("numbered", Some(100), Some("role/Numbered")),
            group("roleless", Some(0), None),
        ];
        let claims = group_roles(&groups);
        assert_eq!(claims.preferred_role.as_deref(), Some("role/Numbered"));
        let two_null = [
            group("x", None, Some("role/X")),
            group("y", None, Some("role/Y")),
        ];
        assert_eq!(group_roles(&two_null).preferred_role, None);
    }
}
