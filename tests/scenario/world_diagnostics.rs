//! Local staging world files get a scenario's diagnostics (issue 10, defect 8): each
//! invalid world under `tests/fixtures/worlds/invalid/` yields exactly its promised codes,
//! located, every problem at once and each mistake once; `xtenant validate` refuses a
//! local matrix whose world does not load, and `validate`, `run` and `sim serve` print the
//! same masked diagnostics.

use std::path::{Path, PathBuf};
use std::process::Command;
use xtenant::exit_code;
use xtenant::sim::World;

/// The password of every user in the invalid worlds.
const PASSWORD: &str = "Sw0rdfish-Never-Shown";

fn invalid_worlds() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/worlds/invalid")
        .expect("invalid worlds folder")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn world_problems(path: &Path) -> xtenant::scenario::Diagnostics {
    World::load(path)
        .map(drop)
        .expect_err(&path.display().to_string())
        .diagnostics
}

fn xtenant(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args(args)
        .output()
        .expect("run xtenant")
}

/// A local matrix next to `world` (its text), in a fresh folder.
fn local_matrix(world: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("world.yaml"), world).unwrap();
    let matrix = dir.path().join("matrix.yaml");
    std::fs::write(
        &matrix,
        "target:\n  local: world.yaml\ntenants: [acme]\nusers:\n  alice: {tenant: acme, password: {env: XTENANT_TEST_UNSET_PASSWORD}}\nresources:\n  documents:\n    s3_object: {bucket: pacific-data, key: \"{tenant}/report.pdf\"}\n    actions: [read]\n",
    )
    .unwrap();
    (dir, matrix)
}

/// A world that loads, with one user whose password line is `password_line`.
fn world_with_user(user: &str) -> String {
    format!(
        "account_id: \"123456789012\"\nregion: eu-west-1\nuser_pools:\n  - Id: eu-west-1_Pacific01\n    PoolName: pacific\n    Clients:\n      - {{ClientId: pacificweb0001, ClientName: pacific-web}}\n    Users:\n{user}\nidentity_pools:\n  - IdentityPoolId: \"eu-west-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\"\n    IdentityPoolName: pacific\n"
    )
}

#[test]
fn every_invalid_world_reports_exactly_its_promised_codes() {
    let worlds = invalid_worlds();
    assert!(worlds.len() >= 8, "only {} invalid worlds", worlds.len());
    for path in worlds {
        let diagnostics = world_problems(&path);
        let mut codes: Vec<String> = diagnostics.iter().map(|d| d.code.to_string()).collect();
        let mut expected = crate::support::expected_codes(&path);
        codes.sort();
        expected.sort();
        assert_eq!(codes, expected, "{}:\n{diagnostics}", path.display());
    }
}

#[test]
fn rendered_world_diagnostics_match_snapshots() {
    for path in invalid_worlds() {
        let diagnostics = world_problems(&path);
        let name = format!(
            "world_{}",
            path.file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('-', "_")
        );
        insta::assert_snapshot!(name, diagnostics.render());
    }
}

#[test]
fn world_passwords_never_appear_in_diagnostics() {
    for path in invalid_worlds() {
        let diagnostics = world_problems(&path);
        let shown = format!("{}\n{diagnostics:?}", diagnostics.render());
        assert!(!shown.contains(PASSWORD), "{}:\n{shown}", path.display());
    }
}

#[test]
fn a_misspelled_required_key_is_one_diagnostic_with_a_suggestion() {
    let diagnostics = world_problems(Path::new(
        "tests/fixtures/worlds/invalid/misspelled_required_key.yaml",
    ));
    assert_eq!(diagnostics.len(), 1, "{diagnostics}");
    let only = diagnostics.iter().next().unwrap();
    assert_eq!(only.path.to_string(), "user_pools[0].PoolNme");
    assert_eq!(only.help.as_deref(), Some("did you mean `PoolName`?"));
    let at = diagnostics.location(only);
    assert_eq!((at.line, at.column), (6, 5));
}

#[test]
fn a_json_string_policy_error_points_inside_the_string() {
    let diagnostics = world_problems(Path::new(
        "tests/fixtures/worlds/invalid/json_string_policy.yaml",
    ));
    let only = diagnostics.iter().next().unwrap();
    assert_eq!(
        only.path.to_string(),
        "iam.roles[0].AssumeRolePolicyDocument"
    );
    let source =
        std::fs::read_to_string("tests/fixtures/worlds/invalid/json_string_policy.yaml").unwrap();
    // The JSON lacks a comma before `"Action"`: serde_json stops at its opening quote.
    assert_eq!(&source[only.span.start..only.span.start + 8], "\"Action\"");
    let at = diagnostics.location(only);
    let line = source.lines().nth(at.line - 1).unwrap();
    assert_eq!(line.chars().nth(at.column - 1), Some('"'));
    assert!(line[..only.span.start - source.find(line).unwrap()].ends_with("} "));
}

#[test]
fn invalid_utf8_is_located_at_the_first_invalid_byte() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.yaml");
    let mut bytes = b"account_id: \"123456789012\"\nregion: eu-\xff\xfewest-1\n".to_vec();
    bytes.extend_from_slice(b"user_pools: []\n");
    std::fs::write(&world, bytes).unwrap();
    let diagnostics = world_problems(&world);
    let only = diagnostics.iter().next().unwrap();
    assert_eq!(only.code.as_str(), "X0004");
    let at = diagnostics.location(only);
    assert_eq!((at.line, at.column), (2, 12));
}

#[test]
fn a_second_document_is_located_at_its_marker() {
    let diagnostics = world_problems(Path::new(
        "tests/fixtures/worlds/invalid/several_documents.yaml",
    ));
    let only = diagnostics.iter().next().unwrap();
    let at = diagnostics.location(only);
    assert_eq!((only.code.as_str(), at.line, at.column), ("X0003", 4, 1));
}

#[test]
fn a_multi_megabyte_value_is_cut_in_the_diagnostic() {
    let huge = "x".repeat(4 * 1024 * 1024);
    let world = format!(
        "account_id: \"123456789012\"\nregion: eu-west-1\nuser_pools:\n  - Id: eu-west-1_Pacific01\n    PoolName: pacific\n    Clients:\n      - {{ClientId: pacificweb0001, ExplicitAuthFlows: [ALLOW_{huge}]}}\n"
    );
    let error = World::from_yaml(&world, "huge.yaml").map(drop).unwrap_err();
    let rendered = error.diagnostics.render();
    assert!(
        rendered.contains("X0104"),
        "{}",
        &rendered[..rendered.len().min(2000)]
    );
    assert!(rendered.len() < 4000, "{} bytes rendered", rendered.len());
    assert!(rendered.contains('…'), "{rendered}");
    for line in rendered.lines() {
        assert!(line.chars().count() < 200, "{line}");
    }
}

#[test]
fn validate_refuses_a_local_matrix_whose_world_does_not_load() {
    let (_dir, matrix) = local_matrix(&world_with_user(
        "      - {Username: alice, Password: Sw0rdfish-Never-Shown, UserStatus: CONFIRMD}",
    ));
    let output = xtenant(&["validate", matrix.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::INVALID_INPUT),
        "{stderr}"
    );
    assert!(stderr.contains("error[X0104]"), "{stderr}");
    assert!(stderr.contains("world.yaml:9:"), "{stderr}");
    assert!(stderr.contains("did you mean `CONFIRMED`?"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn validate_reports_an_unparseable_world_once_in_the_world_file() {
    let (_dir, matrix) = local_matrix("account_id: \"123456789012\"\nregion: [eu-west-1\n");
    let output = xtenant(&["validate", matrix.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::INVALID_INPUT),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert!(stderr.contains("error[X0002]"), "{stderr}");
    assert!(stderr.contains("world.yaml:"), "{stderr}");
}

#[test]
fn validate_still_accepts_a_local_matrix_whose_world_loads() {
    let (_dir, matrix) = local_matrix(&world_with_user(
        "      - {Username: alice, Password: Sw0rdfish-Never-Shown}",
    ));
    let output = xtenant(&["validate", matrix.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn run_prints_a_world_type_error_located_and_masked() {
    // The password written in the wrong field: serde_yaml's message quotes it
    // (`invalid type: string "…", expected a sequence`), and `run` used to print that.
    let (dir, _) = local_matrix(&world_with_user(&format!(
        "      - Username: alice\n        Attributes: {PASSWORD}"
    )));
    // A password that needs no environment, so `run` gets as far as the world.
    let matrix = dir.path().join("matrix.yaml");
    let text = std::fs::read_to_string(&matrix).unwrap().replace(
        "{env: XTENANT_TEST_UNSET_PASSWORD}",
        "{value: Local-Only-Password-1}",
    );
    std::fs::write(&matrix, text).unwrap();
    let output = xtenant(&["run", matrix.to_str().unwrap(), "--no-reports"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(exit_code::INVALID_INPUT),
        "{stderr}"
    );
    assert!(stderr.contains("error[X0102]"), "{stderr}");
    assert!(stderr.contains("world.yaml:10:21"), "{stderr}");
    assert!(
        stderr.contains("user_pools[0].Users[0].Attributes"),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    assert!(!stdout.contains(PASSWORD), "{stdout}");
}

#[test]
fn sim_serve_prints_world_diagnostics_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.yaml");
    std::fs::write(
        &world,
        world_with_user(&format!(
            "      - {{Username: alice, Password \"{PASSWORD}\"}}"
        )),
    )
    .unwrap();
    let output = xtenant(&[
        "sim",
        "serve",
        "--world",
        world.to_str().unwrap(),
        "--exit-after",
        "1",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::INVALID_INPUT),
        "{stderr}"
    );
    assert!(stderr.contains("error[X0101]"), "{stderr}");
    assert!(stderr.contains("user_pools[0].Users[0].***"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn an_unknown_policy_element_is_located_with_a_suggestion_in_yaml_and_in_json() {
    let path = Path::new("tests/fixtures/worlds/invalid/policy_elements.yaml");
    let diagnostics = world_problems(path);
    let source = std::fs::read_to_string(path).unwrap();
    let found: Vec<(&str, Option<&str>)> = diagnostics
        .iter()
        .map(|d| (&source[d.span.clone()], d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("\"Efect\"", Some("did you mean `Effect`?")),
            ("Actoin", Some("did you mean `Action`?")),
        ]
    );
}
