//! The README's CI example as a user copies it into their own repository: its shell steps
//! run with bash in a folder outside the xtenant repository, with no xtenant on PATH, so
//! the install step really runs `cargo install --locked` and every later step uses the
//! installed binary on the user's own matrix file.
//!
//! Two things stand in for what a runner has and this machine has not: the install source
//! is this checkout (`--path`, as the README's "Installing" section shows) instead of the
//! git URL, and `--debug` builds with the profile of the test build, so the install reuses
//! the compiled SDK instead of an optimised build of it (about ten minutes on two cores).
//! `CARGO_INSTALL_ROOT` takes the place of `~/.cargo`.

use crate::support::{root, text};
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The install source the README names, and what this test installs from instead.
const README_SOURCE: &str = "--git https://github.com/xtenant/xtenant --tag v0.1.0";

/// The workflow in the README's "In CI" section.
fn readme_workflow() -> Value {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme
        .split_once("\n## In CI\n")
        .expect("the README has an \"In CI\" section")
        .1;
    let block = section
        .split_once("```yaml\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .expect("the \"In CI\" section has a yaml block")
        .0;
    serde_yaml::from_str(block).expect("the README's workflow is YAML")
}

/// The target folder of this test build: the install must build into the same one.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_xtenant"))
        .ancestors()
        .nth(2)
        .expect("the binary sits in <target>/debug/")
        .to_owned()
}

/// PATH without any folder that already holds an `xtenant`, so `command -v xtenant` fails
/// as on a fresh runner, with the install root's `bin` first.
fn fresh_runner_path(install_root: &Path) -> String {
    let inherited = std::env::var("PATH").unwrap_or_default();
    let mut folders = vec![install_root.join("bin")];
    folders.extend(
        std::env::split_paths(&inherited).filter(|folder| !folder.join("xtenant").exists()),
    );
    std::env::join_paths(folders)
        .expect("PATH folders")
        .to_string_lossy()
        .into_owned()
}

struct Step {
    name: String,
    script: String,
}

fn shell_steps(workflow: &Value) -> Vec<Step> {
    workflow["jobs"]["isolation"]["steps"]
        .as_sequence()
        .expect("the isolation job's steps")
        .iter()
        .filter_map(|step| {
            Some(Step {
                name: step["name"].as_str().unwrap_or_default().to_owned(),
                script: step["run"].as_str()?.to_owned(),
            })
        })
        .collect()
}

#[test]
fn the_readme_ci_example_installs_xtenant_and_runs_the_users_matrix_outside_the_repository() {
    let workflow = readme_workflow();
    let steps = shell_steps(&workflow);
    let install = steps
        .iter()
        .find(|step| step.script.contains("cargo install"))
        .expect("an install step");
    assert!(
        install.script.contains("cargo install --locked") && install.script.contains(README_SOURCE),
        "the README's install step changed form; update this test with it: {}",
        install.script
    );

    let runner = tempfile::tempdir().expect("a temporary folder");
    let install_root = runner.path().join("cargo-home");
    let workspace = runner.path().join("the-saas-repository");
    let staging = workspace.join("staging");
    std::fs::create_dir_all(&staging).expect("the user's folder");
    let scenario = root().join("scenarios/books");
    for file in ["matrix.yaml", "world.yaml"] {
        std::fs::copy(scenario.join(file), staging.join(file)).expect("copy the scenario");
    }
    let path = fresh_runner_path(&install_root);

    let mut log = String::new();
    for step in &steps {
        let script = step
            .script
            .replace("cargo install --locked", "cargo install --debug --locked");
        let script = script.replace(README_SOURCE, &format!("--path '{}'", root().display()));
        let ran = Command::new("bash")
            .arg("-e")
            .arg("-c")
            .arg(&script)
            .current_dir(&workspace)
            .env("PATH", &path)
            .env("CARGO_INSTALL_ROOT", &install_root)
            .env("CARGO_TARGET_DIR", target_dir())
            .output()
            .expect("bash runs");
        let output = format!("{}{}", text(&ran.stdout), text(&ran.stderr));
        log.push_str(&format!("--- {}\n{output}", step.name));
        assert!(
            ran.status.success(),
            "the step \"{}\" failed with {:?}:\n{log}",
            step.name,
            ran.status.code()
        );
        if step.script.contains("cargo install") {
            // The test build has already compiled everything the install needs, so it
            // compiles nothing. A dependency compiled here means the normal build's
            // features differ from the test build's (see the feature pins in Cargo.toml)
            // and every user's install builds a second SDK; xtenant compiled here means
            // its build script is always stale (build.rs watches only files that exist).
            let compiled: Vec<&str> = output
                .lines()
                .filter(|line| line.trim_start().starts_with("Compiling "))
                .collect();
            assert!(compiled.is_empty(), "the install recompiled: {compiled:?}");
        }
    }

    let installed = install_root.join("bin/xtenant");
    assert!(
        installed.is_file(),
        "nothing installed at {}:\n{log}",
        installed.display()
    );
    assert!(
        log.contains("Installed package `xtenant"),
        "the install step did not run cargo install:\n{log}"
    );
    // What the workflow's later steps pick up: the JUnit for the check annotations and the
    // reports folder for the artifact upload.
    let reports = workspace.join("reports");
    for report in ["junit.xml", "evidence.json", "html", "md"] {
        let file = reports.join(format!("staging.{report}"));
        assert!(
            file.is_file(),
            "no {} after the run:\n{log}",
            file.display()
        );
    }
    let evidence: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("staging.evidence.json")).unwrap(),
    )
    .expect("the evidence is JSON");
    assert_eq!(evidence["exit_code"], 0, "{log}");
}
