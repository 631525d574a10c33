//! Each attack world under `tests/fixtures/worlds/attacks/` has one identity-layer mistake
//! that the unchanged shipped matrix alone does not see: its matrix probes all hold,
//! exactly the attack cases its README lists come out as breaches, and each of those that
//! obtained credentials re-ran its user's row with them, reaching exactly as many cells as
//! the README's `rerun-breaches` block says; the run exits 1.

use crate::broken_worlds::{fenced_lines, listed_breaches};
use crate::support::{matrices, root, run_scenario};
use std::collections::BTreeMap;
use xtenant::attack::is_rerun_of;
use xtenant::exit_code;
use xtenant::probe::Outcome;
use xtenant::scenario::{ExpectationSource, ProbeName};

/// Runs the attack world in `folder` and holds it to its README.
fn assert_breaches_exactly_as_listed(folder: &str) {
    let dir = root().join("tests/fixtures/worlds").join(folder);
    let readme = dir.join("README.md");
    let listed = listed_breaches(&readme);
    assert!(!listed.is_empty(), "{folder} lists no breach");
    let expected_reruns: BTreeMap<String, usize> = fenced_lines(&readme, "rerun-breaches")
        .unwrap_or_default()
        .into_iter()
        .map(|line| {
            let (case, count) = line.rsplit_once(' ').expect("`case count`");
            (case.to_owned(), count.parse().expect("a count"))
        })
        .collect();
    let ran = run_scenario(&dir.join("matrix.yaml"));
    let records = &ran.results.records;
    let (reruns, planned): (Vec<_>, Vec<_>) = records
        .iter()
        .partition(|record| record.source.is_escalated());
    let breaches: std::collections::BTreeSet<String> = planned
        .iter()
        .filter(|record| record.outcome == Outcome::Breach)
        .map(|record| record.name.to_string())
        .collect();
    assert_eq!(breaches, listed, "{folder}");
    assert!(
        planned
            .iter()
            .all(|record| matches!(record.outcome, Outcome::Held | Outcome::Breach)),
        "{folder}: a planned case neither held nor breached"
    );
    let mut rerun_breaches: BTreeMap<String, usize> = BTreeMap::new();
    for record in &reruns {
        let ExpectationSource::Escalated { case, .. } = &*record.source else {
            unreachable!()
        };
        assert!(
            listed.contains(case),
            "{folder}: {} re-runs a case that held",
            record.name
        );
        assert!(is_rerun_of(&record.name, &ProbeName::from(case.clone())));
        assert_ne!(
            record.outcome,
            Outcome::Inconclusive,
            "{}: {}",
            record.name,
            record.reason
        );
        if record.outcome == Outcome::Breach {
            *rerun_breaches.entry(case.clone()).or_default() += 1;
        }
    }
    assert_eq!(
        rerun_breaches, expected_reruns,
        "{folder}: re-run breaches per attack case"
    );
    let counts = ran.results.counts();
    assert_eq!((counts.wrong_role, counts.role_inconclusive), (0, 0));
    assert_eq!(ran.exit_code, exit_code::BREACH);
}

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
            "pacific--classic-flow-without-amr",
            "pacific--foreign-account-pool-without-aud",
            "pacific--foreign-pool-without-aud",
            "pacific--no-server-side-token-check",
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

#[test]
fn a_trust_policy_without_amr_lets_the_guest_assume_the_tenant_roles() {
    assert_breaches_exactly_as_listed("attacks/pacific--classic-flow-without-amr");
}

#[test]
fn a_trust_policy_without_aud_takes_a_foreign_pools_token() {
    assert_breaches_exactly_as_listed("attacks/pacific--foreign-pool-without-aud");
}

/// The foreign pool in another account of the world (`accounts:`), where a tester's pool
/// really lives: its token is taken as readily by a trust policy without `aud`.
#[test]
fn a_trust_policy_without_aud_takes_a_foreign_accounts_pool_token() {
    assert_breaches_exactly_as_listed("attacks/pacific--foreign-account-pool-without-aud");
}

#[test]
fn without_server_side_token_check_a_signed_out_id_token_still_mints_credentials() {
    assert_breaches_exactly_as_listed("attacks/pacific--no-server-side-token-check");
}

/// On the shipped world (ServerSideTokenCheck on) every revocation case holds: the revoked
/// ID token and refresh token are refused, and the credentials minted earlier are reported
/// with their remaining lifetime, not as a breach.
#[test]
fn a_pool_that_checks_revocation_refuses_the_signed_out_tokens() {
    let ran = run_scenario(&root().join("tests/fixtures/revocation/pacific-matrix.yaml"));
    let cases: Vec<_> = ran
        .results
        .records
        .iter()
        .filter(|record| record.name.0.ends_with("::attack::revocation::session"))
        .collect();
    assert_eq!(cases.len(), 6);
    for case in &cases {
        assert_eq!(
            case.outcome,
            Outcome::Held,
            "{}: {}",
            case.name,
            case.reason
        );
        assert!(
            case.reason.contains("refresh token was refused"),
            "{}",
            case.reason
        );
        assert!(
            case.reason.contains("more seconds (AWS cannot revoke them"),
            "{}",
            case.reason
        );
    }
    assert_eq!(
        ran.exit_code,
        exit_code::SUCCESS,
        "{:?}",
        ran.results.counts()
    );
}
