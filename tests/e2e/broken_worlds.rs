//! Each broken world under `tests/fixtures/worlds/` breaches exactly the probes its
//! README lists (in its `breaches` block), every other probe and role case holds, and the
//! run exits 1.

use crate::support::{matrices, root, run_scenario};
use std::collections::BTreeSet;
use std::path::Path;
use xtenant::exit_code;
use xtenant::probe::Outcome;

/// The probe names of the README's fenced `breaches` block.
pub(crate) fn listed_breaches(readme: &Path) -> BTreeSet<String> {
    fenced_lines(readme, "breaches")
        .unwrap_or_else(|| panic!("{} has no ```breaches block", readme.display()))
}

/// The non-empty lines of the README's fenced block named `name`, if it has one.
pub(crate) fn fenced_lines(readme: &Path, name: &str) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(readme)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", readme.display()));
    let block = text
        .split(&format!("```{name}\n"))
        .nth(1)
        .and_then(|rest| rest.split("```").next())?;
    Some(
        block
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

pub(crate) fn assert_breaches_exactly_as_listed(folder: &str) {
    let dir = root().join("tests/fixtures/worlds").join(folder);
    let listed = listed_breaches(&dir.join("README.md"));
    assert!(!listed.is_empty(), "{folder} lists no breach");
    let ran = run_scenario(&dir.join("matrix.yaml"));
    let breaches: BTreeSet<String> = ran
        .results
        .records
        .iter()
        .filter(|record| record.outcome == Outcome::Breach)
        .map(|record| record.name.to_string())
        .collect();
    assert_eq!(breaches, listed, "{folder}");
    let counts = ran.results.counts();
    assert_eq!(
        (counts.breach, counts.unexpected_deny, counts.inconclusive),
        (listed.len(), 0, 0),
        "{folder}: {counts:?}"
    );
    assert_eq!((counts.wrong_role, counts.role_inconclusive), (0, 0));
    assert_eq!(ran.exit_code, exit_code::BREACH);
}

#[test]
fn every_broken_world_is_tested() {
    let folders: Vec<String> = matrices(&root().join("tests/fixtures/worlds"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        folders,
        [
            "abac-leading-keys--for-any-value",
            "abac-leading-keys--missing-null-guard",
            "admin-editor--editor-object-wildcard",
            "books--reader-item-wildcard",
            "books--reader-update-item",
            "pacific--prefix-if-exists",
            "pacific--prefix-wildcard",
        ]
    );
}

#[test]
fn abac_without_null_guard_breaches_on_scans() {
    assert_breaches_exactly_as_listed("abac-leading-keys--missing-null-guard");
}

#[test]
fn editor_object_wildcard_breaches_on_deletes() {
    assert_breaches_exactly_as_listed("admin-editor--editor-object-wildcard");
}

#[test]
fn reader_item_wildcard_breaches_on_writes_and_deletes() {
    assert_breaches_exactly_as_listed("books--reader-item-wildcard");
}

#[test]
fn prefix_wildcard_breaches_across_tenants() {
    assert_breaches_exactly_as_listed("pacific--prefix-wildcard");
}

/// The three mistakes that only a sibling API of a verb shows: the shipped matrix, unchanged,
/// names the request-shape case that breaches.
#[test]
fn reader_allowed_update_item_breaches_on_the_update_item_shape() {
    assert_breaches_exactly_as_listed("books--reader-update-item");
}

#[test]
fn prefix_condition_with_if_exists_breaches_on_a_listing_without_prefix() {
    assert_breaches_exactly_as_listed("pacific--prefix-if-exists");
}

#[test]
fn leading_keys_for_any_value_breaches_on_a_batch_mixed_with_an_own_key() {
    assert_breaches_exactly_as_listed("abac-leading-keys--for-any-value");
}
