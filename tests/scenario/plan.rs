//! Plan expansion: counts, the generated rule, each override kind, explicit cells, names.

use crate::support::scenario;
use xtenant::scenario::{Expectation, ExpectationSource, Plan, PlannedProbe};

const BASE: &str = "tenants: [acme, globex, initech]
users:
  alice: {tenant: acme, password: {env: ALICE_PASSWORD}}
  bob: {tenant: globex, password: {env: BOB_PASSWORD}}
  carol: {tenant: acme, password: {value: Carol-Inline-Secret}}
  visitor: {guest: true}
resources:
  documents:
    s3_object: {bucket: pacific-data, key: \"{tenant}/report.pdf\"}
    actions: [read, write, s3:HeadObject]
  records:
    dynamodb_item:
      table: pacific-records
      partition_key: {name: pk, S: \"TENANT#{tenant}\"}
    actions: [read, write]
  api_key:
    secret: {id: \"pacific/{tenant}/api-key\"}
    actions: [read]
# Matrix expansion only: the attack cases are pinned by src/attack/planning.rs.
attacks: {identity_swap: false, claim_tamper: false, sign_up: false}
";

fn probe<'p>(plan: &'p Plan, name: &str) -> &'p PlannedProbe {
    plan.probes
        .iter()
        .find(|p| p.name.0 == name)
        .unwrap_or_else(|| panic!("no probe {name}"))
}

#[test]
fn probe_count_is_users_times_tenants_times_resource_actions() {
    let plan = scenario(BASE).plan();
    let primary = plan.probes.iter().filter(|p| p.shape.is_none()).count();
    // 4 users × 3 tenants × (3 + 2 + 1) actions.
    assert_eq!(primary, 4 * 3 * 6);
    // The 9 expected-deny cells of each verb with siblings get their request shapes:
    // records read × (query, batch-get-item, scan) plus the mixed batch for the 6 cells
    // whose user has an own tenant, records write × update-item, api_key read ×
    // (describe-secret, batch-get-secret-value).
    assert_eq!(plan.probes.len() - primary, 9 * 3 + 6 + 9 + 9 * 2);
}

#[test]
fn each_expected_deny_cell_is_followed_by_its_request_shapes_with_its_expectation() {
    let plan = scenario(BASE).plan();
    let names: Vec<&str> = plan.probes.iter().map(|p| p.name.0.as_str()).collect();
    let at = names
        .iter()
        .position(|name| *name == "alice::globex/records::read")
        .unwrap();
    assert_eq!(
        &names[at..at + 6],
        &[
            "alice::globex/records::read",
            "alice::globex/records::read::query",
            "alice::globex/records::read::batch-get-item",
            "alice::globex/records::read::batch-get-item-with-own-key",
            "alice::globex/records::read::scan",
            "alice::globex/records::write",
        ]
    );
    let mixed = probe(
        &plan,
        "alice::globex/records::read::batch-get-item-with-own-key",
    );
    assert_eq!(mixed.expectation, Expectation::Deny);
    assert_eq!(mixed.source, ExpectationSource::CrossTenantDefault);
    let json = serde_json::to_value(mixed).unwrap();
    assert_eq!(json["shape"]["shape"], "batch-get-item-with-own-key");
    assert_eq!(json["shape"]["own_tenant"], "acme");
    assert_eq!(json["shape"]["own_key"]["partition"][1]["s"], "TENANT#acme");
    // A guest has no own tenant to mix in.
    assert!(!names.contains(&"visitor::acme/records::read::batch-get-item-with-own-key"));
    assert!(names.contains(&"visitor::acme/records::read::batch-get-item"));
    // Expected-allow cells keep their one primary probe.
    assert!(
        !names
            .iter()
            .any(|name| name.starts_with("alice::acme/records::read::"))
    );
    // The primary probe's plan JSON has no shape at all.
    let primary = serde_json::to_value(probe(&plan, "alice::globex/records::read")).unwrap();
    assert!(primary.get("shape").is_none(), "{primary}");
}

#[test]
fn cross_tenant_default_allows_own_tenant_and_denies_others_and_guests() {
    let plan = scenario(BASE).plan();
    for p in &plan.probes {
        let own = match p.user.as_str() {
            "alice" | "carol" => p.tenant == "acme",
            "bob" => p.tenant == "globex",
            _ => false,
        };
        let expected = if own {
            Expectation::Allow
        } else {
            Expectation::Deny
        };
        assert_eq!(p.expectation, expected, "{}", p.name);
        assert_eq!(p.source, ExpectationSource::CrossTenantDefault);
    }
}

#[test]
fn names_are_unique_ordered_and_stable() {
    let first = scenario(BASE).plan();
    let second = scenario(BASE).plan();
    assert_eq!(first, second);
    let all: Vec<&str> = first.probes.iter().map(|p| p.name.0.as_str()).collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len());
    let names: Vec<&str> = first
        .probes
        .iter()
        .filter(|p| p.shape.is_none())
        .map(|p| p.name.0.as_str())
        .collect();
    assert_eq!(
        &names[..7],
        &[
            "alice::acme/documents::read",
            "alice::acme/documents::write",
            "alice::acme/documents::s3:HeadObject",
            "alice::acme/records::read",
            "alice::acme/records::write",
            "alice::acme/api_key::read",
            "alice::globex/documents::read",
        ]
    );
    assert_eq!(names.last(), Some(&"visitor::initech/api_key::read"));
}

#[test]
fn targets_substitute_the_probed_tenant() {
    let plan = scenario(BASE).plan();
    let p = probe(&plan, "alice::globex/records::read");
    let json = serde_json::to_value(&p.target).unwrap();
    assert_eq!(json["table"], "pacific-records");
    assert_eq!(json["key"]["partition"][1]["s"], "TENANT#globex");
    let p = probe(&plan, "bob::initech/api_key::read");
    assert_eq!(
        serde_json::to_value(&p.target).unwrap()["secret_id"],
        "pacific/initech/api-key"
    );
}

#[test]
fn user_and_relation_override_lands_only_on_own_tenant_writes_of_that_user() {
    let plan = scenario(&format!(
        "{BASE}expect:
  overrides:
    - description: carol is read-only
      users: [carol]
      relation: own
      actions: [write]
      expect: deny
"
    ))
    .plan();
    let overridden: Vec<&str> = plan
        .probes
        .iter()
        .filter(|p| matches!(*p.source, ExpectationSource::Override { .. }))
        .map(|p| p.name.0.as_str())
        .collect();
    // The now expected-deny own write of the item also gets its UpdateItem shape, under
    // the same rule.
    assert_eq!(
        overridden,
        vec![
            "carol::acme/documents::write",
            "carol::acme/records::write",
            "carol::acme/records::write::update-item"
        ]
    );
    let p = probe(&plan, "carol::acme/records::write");
    assert_eq!(p.expectation, Expectation::Deny);
    assert_eq!(
        p.source,
        ExpectationSource::Override {
            index: 0,
            description: Some("carol is read-only".into())
        }
    );
    assert_eq!(
        probe(&plan, "carol::acme/records::read").expectation,
        Expectation::Allow
    );
    assert_eq!(
        probe(&plan, "alice::acme/records::write").expectation,
        Expectation::Allow
    );
}

#[test]
fn tenant_resource_and_wildcard_action_patterns_select_their_probes() {
    let plan = scenario(&format!(
        "{BASE}expect:
  overrides:
    - tenants: [initech]
      resources: [doc*]
      actions: [\"s3:*\"]
      expect: allow
"
    ))
    .plan();
    let overridden: Vec<&str> = plan
        .probes
        .iter()
        .filter(|p| p.source != ExpectationSource::CrossTenantDefault)
        .map(|p| p.name.0.as_str())
        .collect();
    assert_eq!(
        overridden,
        vec![
            "alice::initech/documents::s3:HeadObject",
            "bob::initech/documents::s3:HeadObject",
            "carol::initech/documents::s3:HeadObject",
            "visitor::initech/documents::s3:HeadObject",
        ]
    );
    assert!(
        plan.probes
            .iter()
            .filter(|p| p.source != ExpectationSource::CrossTenantDefault)
            .all(|p| p.expectation == Expectation::Allow)
    );
}

#[test]
fn a_later_override_wins_and_an_explicit_cell_wins_over_all() {
    let plan = scenario(&format!(
        "{BASE}expect:
  overrides:
    - users: [\"*\"]
      resources: [api_key]
      expect: allow
    - users: [visitor]
      resources: [api_key]
      expect: deny
  cells:
    - probe: \"visitor::acme/api_key::read\"
      expect: allow
"
    ))
    .plan();
    let p = probe(&plan, "bob::acme/api_key::read");
    assert_eq!(p.expectation, Expectation::Allow);
    assert_eq!(
        p.source,
        ExpectationSource::Override {
            index: 0,
            description: None
        }
    );
    let p = probe(&plan, "visitor::globex/api_key::read");
    assert_eq!(p.expectation, Expectation::Deny);
    assert_eq!(
        p.source,
        ExpectationSource::Override {
            index: 1,
            description: None
        }
    );
    let p = probe(&plan, "visitor::acme/api_key::read");
    assert_eq!(p.expectation, Expectation::Allow);
    assert_eq!(p.source, ExpectationSource::Cell { index: 0 });
}

#[test]
fn the_validated_scenario_exposes_users_without_leaking_inline_passwords() {
    let loaded = scenario(BASE);
    let carol = loaded.user("carol").unwrap();
    assert_eq!(carol.username.as_deref(), Some("carol"));
    assert_eq!(
        carol.password.as_ref().unwrap().resolve().unwrap().expose(),
        "Carol-Inline-Secret"
    );
    let visitor = loaded.user("visitor").unwrap();
    assert!(visitor.guest && visitor.password.is_none() && visitor.username.is_none());
    assert!(!format!("{loaded:?}").contains("Carol-Inline-Secret"));
    assert_eq!(loaded.target.region, "eu-west-1");
}

#[test]
fn a_local_target_takes_its_ids_from_the_world_file() {
    let loaded = xtenant::scenario::load(&crate::support::fixtures().join("valid/pacific.yaml"))
        .expect("valid example");
    assert_eq!(loaded.target.region, "eu-west-1");
    assert_eq!(loaded.target.user_pool.id, "eu-west-1_Pacific01");
    assert_eq!(loaded.target.user_pool.client_id, "pacificweb0001");
    assert_eq!(
        loaded.target.identity_pool.id,
        "eu-west-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    );
    assert!(
        loaded
            .target
            .local_world
            .unwrap()
            .ends_with("valid/world.yaml")
    );
}
