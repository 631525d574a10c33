//! Broken scenario files: each yields exactly the promised diagnostic codes, rendered
//! snapshots stay stable, and no inline secret is ever echoed.

use crate::support::{broken_fixtures, expected_codes, problems};
use xtenant::scenario;

const INLINE_SECRET: &str = "Hunter2-Never-Shown";

#[test]
fn every_broken_fixture_reports_exactly_its_promised_codes() {
    let fixtures = broken_fixtures();
    assert!(
        fixtures.len() >= 12,
        "only {} broken fixtures",
        fixtures.len()
    );
    for path in fixtures {
        let diagnostics = scenario::load(&path).expect_err(&path.display().to_string());
        let mut codes: Vec<String> = diagnostics.iter().map(|d| d.code.to_string()).collect();
        let mut expected = expected_codes(&path);
        codes.sort();
        expected.sort();
        assert_eq!(codes, expected, "{}:\n{diagnostics}", path.display());
    }
}

#[test]
fn rendered_diagnostics_match_snapshots() {
    for path in broken_fixtures() {
        let diagnostics = scenario::load(&path).expect_err(&path.display().to_string());
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, diagnostics.render());
    }
}

#[test]
fn inline_secrets_never_appear_in_diagnostics() {
    for path in broken_fixtures() {
        let diagnostics = scenario::load(&path).expect_err(&path.display().to_string());
        let rendered = diagnostics.render();
        assert!(
            !rendered.contains(INLINE_SECRET),
            "{}:\n{rendered}",
            path.display()
        );
        assert!(!format!("{diagnostics:?}").contains(INLINE_SECRET));
    }
}

#[test]
fn several_mistakes_are_reported_together_in_file_order_with_positions() {
    let path = crate::support::fixtures().join("broken/several_mistakes.yaml");
    let diagnostics = scenario::load(&path).unwrap_err();
    assert_eq!(diagnostics.len(), 5);
    let positions: Vec<(usize, usize)> = diagnostics
        .iter()
        .map(|d| {
            let at = diagnostics.location(d);
            (at.line, at.column)
        })
        .collect();
    // The bad role ARN (line 9) and the undefined tenant (line 11) are located precisely.
    assert!(positions.contains(&(9, 11)), "{positions:?}");
    assert!(positions.contains(&(11, 13)), "{positions:?}");
    let paths: Vec<String> = diagnostics.iter().map(|d| d.path.to_string()).collect();
    assert!(paths.contains(&"users.bob.tenant".to_string()), "{paths:?}");
    assert!(
        paths.contains(&"resources.api_key.actions[1]".to_string()),
        "{paths:?}"
    );
}

#[test]
fn unknown_keys_do_not_hide_later_semantic_problems() {
    let diagnostics = problems(
        "tenants: [acme, globex]
users:
  alice: {tenant: acme, pasword: {env: X}, password: {env: ALICE_PASSWORD}}
  bob: {tenant: initech, password: {env: BOB_PASSWORD}}
resources:
  documents:
    s3_object: {bucket: pacific-data, key: \"{tenant}/report.pdf\"}
    actions: [read]
",
    );
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["X0101", "X0201"]);
}

#[test]
fn a_tenant_independent_resource_is_rejected() {
    let diagnostics = problems(
        "tenants: [acme, globex]
users:
  alice: {tenant: acme, password: {env: ALICE_PASSWORD}}
resources:
  shared:
    s3_object: {bucket: pacific-data, key: shared/report.pdf}
    actions: [read]
",
    );
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["X0302"]);
}

#[test]
fn an_unusable_claim_to_tamper_with_is_located_and_a_stranger_case_may_be_allowed() {
    let diagnostics = problems(
        "tenants: [acme, globex]
users:
  alice: {tenant: acme, password: {env: ALICE_PASSWORD}}
resources:
  documents:
    s3_object: {bucket: pacific-data, key: \"{tenant}/report.pdf\"}
    actions: [read]
attacks:
  claims: [\"custom:tenant_id\", \"has space\", sub]
  allow:
    - case: stranger::attack::sign-up::user-pool
",
    );
    let found: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_owned(), d.path.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("X0408".to_owned(), "attacks.claims[1]".to_owned()),
            ("X0408".to_owned(), "attacks.claims[2]".to_owned()),
        ]
    );
    let rendered = diagnostics.to_string();
    assert!(rendered.contains("inline.yaml:"), "{rendered}");
    assert!(
        rendered.contains("`has space` is not a claim a user could change"),
        "{rendered}"
    );
}

#[test]
fn pool_ids_must_belong_to_the_target_region() {
    let text = "target:
  region: us-east-1
  user_pool: {id: eu-west-1_Pacific01, client_id: pacificweb0001}
  identity_pool: {id: \"us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\"}
tenants: [acme]
users:
  alice: {tenant: acme, password: {env: ALICE_PASSWORD}}
resources:
  documents:
    s3_object: {bucket: pacific-data, key: \"{tenant}/report.pdf\"}
    actions: [read]
";
    let diagnostics = scenario::load_str(text, std::path::Path::new("region.yaml")).unwrap_err();
    let only = diagnostics.iter().next().unwrap();
    assert_eq!(only.code.as_str(), "X0407");
    assert_eq!(only.path.to_string(), "target.user_pool.id");
    assert!(only.message.contains("`eu-west-1`"), "{}", only.message);
}

#[test]
fn an_unreadable_file_is_a_diagnostic_not_a_panic() {
    let diagnostics =
        scenario::load(std::path::Path::new("tests/fixtures/scenarios/nope.yaml")).unwrap_err();
    assert_eq!(diagnostics.iter().next().unwrap().code.as_str(), "X0001");
}

#[test]
fn every_structural_problem_is_reported_in_file_order() {
    let diagnostics = problems(
        "tenants: [acme, 12]
users:
  alice: {tenant: acme, password: Hunter2-Never-Shown}
resources:
  docs: {s3_object: {bucket: pacific-data, key: \"{tenant}\"}, actions: read}
",
    );
    let found: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.path.to_string()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("X0102".to_string(), "tenants[1]".to_string()),
            ("X0102".to_string(), "users.alice.password".to_string()),
            ("X0102".to_string(), "resources.docs.actions".to_string()),
        ]
    );
    let rendered = diagnostics.render();
    assert!(rendered.contains("write `{env: NAME}`"), "{rendered}");
    assert!(!rendered.contains(INLINE_SECRET), "{rendered}");
}

#[test]
fn core_schema_tags_are_refused_each_at_its_position() {
    let diagnostics = problems(
        "tenants: [acme]
users:
  alice: {tenant: !!str acme, password: {value: !!binary aGVsbG8=}}
resources:
  documents:
    s3_object: {bucket: pacific-data, key: \"{tenant}/report.pdf\"}
    actions: [read]
",
    );
    let found: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.path.to_string()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("X0003".to_string(), "users.alice.tenant".to_string()),
            (
                "X0003".to_string(),
                "users.alice.password.value".to_string()
            ),
        ]
    );
    let rendered = diagnostics.render();
    assert!(
        rendered.contains("YAML tag `!!str` is not supported"),
        "{rendered}"
    );
    // The `!!binary` tag sits in a secret position, where a tag may be the secret itself.
    assert!(!rendered.contains("aGVsbG8="), "{rendered}");
}

#[test]
fn a_scenario_that_is_not_utf8_is_located_at_the_first_invalid_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    std::fs::write(
        &path,
        b"target:\n  region: eu-west-1\ntenants: [acme, gr\xfcn]\n",
    )
    .unwrap();
    let diagnostics = scenario::load(&path).unwrap_err();
    let only = diagnostics.iter().next().unwrap();
    assert_eq!(only.code.as_str(), "X0004");
    let at = diagnostics.location(only);
    assert_eq!((at.line, at.column), (3, 19));
}

#[test]
fn a_multi_megabyte_value_is_cut_in_scenario_diagnostics() {
    let huge = "a".repeat(3 * 1024 * 1024);
    let diagnostics = problems(&format!(
        "tenants: [acme]
users:
  alice: {{tenant: {huge}, password: {{env: ALICE_PASSWORD}}}}
resources:
  documents:
    s3_object: {{bucket: pacific-data, key: \"{{tenant}}/report.pdf\"}}
    actions: [read]
"
    ));
    let rendered = diagnostics.render();
    assert!(
        rendered.contains("X0201"),
        "{}",
        &rendered[..rendered.len().min(2000)]
    );
    assert!(rendered.len() < 4000, "{} bytes rendered", rendered.len());
    assert!(rendered.lines().all(|line| line.chars().count() < 200));
    assert!(rendered.contains('…'));
}
