//! Masking by position (issue 10, defect 3): a password is never printed, whether or not
//! the file around it parses. Each typo from the issue goes through the CLI as a user
//! meets it; then every one-character mutation of the lines around a password, in a matrix
//! and in a world, must keep the password out of every diagnostic.

use crate::support::AWS_TARGET;
use std::path::Path;
use std::process::Command;
use xtenant::scenario;
use xtenant::sim::World;

const PASSWORD: &str = "Sw0rdfish-Never-Shown";

/// A matrix whose user `alice` has `password_line` (indented as a key of the user).
fn matrix_with(password_line: &str) -> String {
    format!(
        "{AWS_TARGET}tenants: [acme]\nusers:\n  alice:\n    tenant: acme\n    {password_line}\nresources:\n  documents:\n    s3_object: {{bucket: pacific-data, key: \"{{tenant}}/report.pdf\"}}\n    actions: [read]\n"
    )
}

/// A world whose only user entry is `user` (a list item under `Users:`).
fn world_with(user: &str) -> String {
    format!(
        "account_id: \"123456789012\"\nregion: eu-west-1\nuser_pools:\n  - Id: eu-west-1_Pacific01\n    PoolName: pacific\n    Clients:\n      - {{ClientId: pacificweb0001, ClientName: pacific-web}}\n    Users:\n      {user}\n"
    )
}

/// `xtenant validate` of a matrix (or `sim serve` of a world) written to a fresh folder:
/// exit code and everything printed.
fn validate_matrix(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("matrix.yaml");
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .arg("validate")
        .arg(&path)
        .output()
        .expect("run xtenant");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), printed)
}

fn serve_world(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.yaml");
    std::fs::write(&path, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtenant"))
        .args(["sim", "serve", "--exit-after", "1", "--world"])
        .arg(&path)
        .output()
        .expect("run xtenant");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), printed)
}

fn assert_refused_without_password((code, printed): (Option<i32>, String)) {
    assert_eq!(code, Some(xtenant::exit_code::INVALID_INPUT), "{printed}");
    assert!(printed.contains("error["), "{printed}");
    assert!(
        !printed.contains(PASSWORD),
        "the password leaked:\n{printed}"
    );
}

#[test]
fn matrix_password_value_without_its_colon_is_masked() {
    assert_refused_without_password(validate_matrix(&matrix_with(&format!(
        "password: {{value \"{PASSWORD}\"}}"
    ))));
}

#[test]
fn matrix_password_written_as_a_key_is_masked() {
    assert_refused_without_password(validate_matrix(&matrix_with(&format!(
        "password: {{\"{PASSWORD}\"}}"
    ))));
}

#[test]
fn matrix_password_value_run_into_its_key_is_masked() {
    assert_refused_without_password(validate_matrix(&matrix_with(&format!(
        "password: {{value:*\"{PASSWORD}\"}}"
    ))));
}

#[test]
fn matrix_near_miss_of_password_is_masked() {
    assert_refused_without_password(validate_matrix(&matrix_with(&format!(
        "pas-word: {{value: \"{PASSWORD}\"}}"
    ))));
}

#[test]
fn world_password_without_its_colon_is_masked() {
    assert_refused_without_password(serve_world(&world_with(&format!(
        "- {{Username: alice, Password \"{PASSWORD}\"}}"
    ))));
}

#[test]
fn world_bare_password_in_a_user_is_masked() {
    assert_refused_without_password(serve_world(&world_with(&format!(
        "- {{Username: alice, \"{PASSWORD}\"}}"
    ))));
}

#[test]
fn world_password_line_that_does_not_parse_is_masked() {
    assert_refused_without_password(serve_world(&world_with(&format!(
        "- Username: alice\n        Password \"{PASSWORD}\"\n        Groups: []"
    ))));
}

/// Every text made from `text` by deleting, doubling, or putting one of a few
/// YAML-significant characters before or in place of, one character of the lines that
/// hold or precede the password; and the password's line wrapped after each blank (a
/// value that slipped onto the next line).
fn mutations(text: &str) -> Vec<String> {
    let at = text
        .find(PASSWORD)
        .expect("the template holds the password");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let region_start = text[..line_start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let region_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let password = at..at + PASSWORD.len();
    let mut out = Vec::new();
    for (offset, c) in text[region_start..region_end].char_indices() {
        let i = region_start + offset;
        if password.contains(&i) {
            // Changing the password itself makes it another string.
            continue;
        }
        let end = i + c.len_utf8();
        out.push(format!("{}{}", &text[..i], &text[end..]));
        out.push(format!("{}{c}{}", &text[..i], &text[i..]));
        if c == ' ' && i > line_start {
            out.push(format!("{}\n{}", &text[..i], &text[end..]));
        }
        for inserted in [
            ":", " ", "\"", "'", "{", "}", "[", "-", "*", "&", "!", "#", "\t",
        ] {
            out.push(format!("{}{inserted}{}", &text[..i], &text[i..]));
            out.push(format!("{}{inserted}{}", &text[..i], &text[end..]));
        }
    }
    out
}

fn shown_for_matrix(text: &str) -> Option<String> {
    scenario::load_str(text, Path::new("mutated.yaml"))
        .err()
        .map(|d| format!("{}\n{d:?}", d.render()))
}

fn shown_for_world(text: &str) -> Option<String> {
    World::from_yaml(text, "mutated.yaml")
        .err()
        .map(|e| format!("{}\n{:?}\n{e}", e.diagnostics.render(), e.diagnostics))
}

#[test]
fn no_mutation_of_a_matrix_password_line_prints_the_password() {
    for template in [
        matrix_with(&format!("password: {{value: \"{PASSWORD}\"}}")),
        matrix_with(&format!("password:\n      value: {PASSWORD}")),
        format!(
            "{AWS_TARGET}tenants: [acme]\nusers:\n  alice: {{tenant: acme, password: {{value: '{PASSWORD}'}}}}\nresources: {{}}\n"
        ),
    ] {
        let mutants = mutations(&template);
        assert!(mutants.len() > 100, "{} mutants", mutants.len());
        for mutant in mutants {
            if let Some(shown) = shown_for_matrix(&mutant) {
                assert!(
                    !shown.contains(PASSWORD),
                    "the password leaked for\n{mutant}\n---\n{shown}"
                );
            }
        }
    }
}

#[test]
fn no_mutation_of_a_world_password_line_prints_the_password() {
    for template in [
        world_with(&format!("- {{Username: alice, Password: \"{PASSWORD}\"}}")),
        world_with(&format!("- Username: alice\n        Password: {PASSWORD}")),
        format!(
            "account_id: \"123456789012\"\nregion: eu-west-1\nsecrets:\n  - Name: acme/api-key\n    SecretString: '{PASSWORD}'\n"
        ),
    ] {
        for mutant in mutations(&template) {
            if let Some(shown) = shown_for_world(&mutant) {
                assert!(
                    !shown.contains(PASSWORD),
                    "the password leaked for\n{mutant}\n---\n{shown}"
                );
            }
        }
    }
}

#[test]
fn no_broken_fixture_prints_its_password() {
    // The scenario fixtures' inline secret and the invalid worlds' password.
    for (dir, secret) in [
        ("tests/fixtures/scenarios/broken", "Hunter2-Never-Shown"),
        ("tests/fixtures/worlds/invalid", PASSWORD),
    ] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for shown in [shown_for_matrix(&text), shown_for_world(&text)]
                .into_iter()
                .flatten()
            {
                assert!(!shown.contains(secret), "{}:\n{shown}", path.display());
            }
        }
    }
}
