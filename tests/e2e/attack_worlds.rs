//! Each attack world under `tests/fixtures/worlds/attacks/` has one identity-layer mistake
//! that the unchanged shipped matrix alone does not see: its matrix probes all hold, and
//! exactly the attack cases its README lists come out as breaches, so the run exits 1.

use crate::broken_worlds::assert_breaches_exactly_as_listed;
use crate::support::{matrices, root};

#[test]
fn every_attack_world_is_tested() {
    let folders: Vec<String> = matrices(&root().join("tests/fixtures/worlds/attacks"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        folders,
        [
            "abac-leading-keys--writable-tag-claim",
            "admin-editor--reviewers-group",
            "pacific--classic-flow",
            "pacific--self-sign-up",
            "pacific--unmapped-default-role",
            "rules-claim--guest-broad-role",
            "rules-claim--writable-tenant-claim",
        ]
    );
}

#[test]
fn the_classic_flow_lets_every_user_assume_every_tenant_role() {
    assert_breaches_exactly_as_listed("attacks/pacific--classic-flow");
}

#[test]
fn a_group_role_is_picked_with_custom_role_arn() {
    assert_breaches_exactly_as_listed("attacks/admin-editor--reviewers-group");
}

#[test]
fn a_guest_the_matrix_does_not_list_reads_every_tenant() {
    assert_breaches_exactly_as_listed("attacks/rules-claim--guest-broad-role");
}

#[test]
fn a_user_no_rule_matches_falls_back_to_a_tenant_role() {
    assert_breaches_exactly_as_listed("attacks/pacific--unmapped-default-role");
}

#[test]
fn a_writable_tenant_claim_read_by_the_rules_gives_another_tenant_s_role() {
    assert_breaches_exactly_as_listed("attacks/rules-claim--writable-tenant-claim");
}

#[test]
fn a_writable_claim_behind_the_tenant_tag_reaches_another_tenant_s_partition() {
    assert_breaches_exactly_as_listed("attacks/abac-leading-keys--writable-tag-claim");
}

#[test]
fn self_sign_up_lets_a_stranger_create_an_account() {
    assert_breaches_exactly_as_listed("attacks/pacific--self-sign-up");
}
