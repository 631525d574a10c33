//! Every shipped scenario holds, with pinned numbers of probes and expected-role cases: a
//! probe that silently disappears from a plan, or a case that stops holding, fails here.

use crate::support::{matrices, not_held, root, run_scenario};
use xtenant::exit_code;
use xtenant::run::OutcomeCounts;

/// (scenario, probes, request-shape cases and attack cases held, expected-role cases held).
/// Nothing else may happen. The request-shape cases of each scenario's expected-deny cells:
/// abac-leading-keys 46 (6 read cells × query, batch-get-item, scan + 4 mixed batches; 8
/// write cells × update-item, batch-write-item; 8 delete cells × batch-write-item),
/// admin-editor 12 (4 list cells × no-prefix, parent-prefix, list-objects-v1), books 34 (4
/// read cells × 4; 6 write cells × 2; 6 delete cells), pacific 60 (15 list cells × no-prefix, list-objects-v1; 15 secret
/// reads × describe-secret, batch-get-secret-value), rules-claim 12 (6 secret reads × 2).
const PINNED: [(&str, usize, usize); 5] = [
    ("abac-leading-keys", 121, 5),
    ("admin-editor", 78, 4),
    ("books", 84, 4),
    ("pacific", 326, 7),
    ("rules-claim", 80, 3),
];

fn assert_holds(name: &str) {
    let (_, held, role_held) = PINNED
        .iter()
        .find(|(pinned, _, _)| *pinned == name)
        .unwrap_or_else(|| panic!("scenario `{name}` has no pinned counts"));
    let ran = run_scenario(&root().join("scenarios").join(name).join("matrix.yaml"));
    assert_eq!(
        ran.results.counts(),
        OutcomeCounts {
            held: *held,
            role_held: *role_held,
            ..OutcomeCounts::default()
        },
        "{name}: {:#?}",
        not_held(&ran.results)
    );
    assert_eq!(ran.exit_code, exit_code::SUCCESS);
    assert!(
        ran.results.cleanup.failures.is_empty(),
        "{:?}",
        ran.results.cleanup
    );
    assert!(!ran.results.interrupted);
}

#[test]
fn every_shipped_scenario_has_pinned_counts() {
    let shipped: Vec<String> = matrices(&root().join("scenarios"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let pinned: Vec<&str> = PINNED.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(shipped, pinned);
}

#[test]
fn abac_leading_keys_holds() {
    assert_holds("abac-leading-keys");
}

#[test]
fn admin_editor_holds() {
    assert_holds("admin-editor");
}

#[test]
fn books_holds() {
    assert_holds("books");
}

#[test]
fn pacific_holds() {
    assert_holds("pacific");
}

#[test]
fn rules_claim_holds() {
    assert_holds("rules-claim");
}
