//! The composite GitHub Action (`action.yml`) as a runner would execute it: its shell steps
//! run locally with bash, the runner's expressions and files stood in for, the built
//! binary on PATH (so the install step uses it), on a scenario copied outside the
//! repository.

use crate::support::{root, text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the action's shell steps left behind.
struct ActionRun {
    /// The exit code of the first step that failed, or 0.
    exit_code: i32,
    step_summary: String,
    output: String,
    reports_dir: PathBuf,
    /// Every step's stdout and stderr, in order.
    log: String,
}

fn action() -> Value {
    let text = std::fs::read_to_string(root().join("action.yml")).expect("action.yml");
    serde_yaml::from_str(&text).expect("action.yml is YAML")
}

/// `${{ inputs.NAME }}` replaced by the given inputs (or the declared default).
fn expand(template: &str, action: &Value, inputs: &[(&str, &str)]) -> String {
    let mut expanded = template.to_owned();
    for (name, declared) in action["inputs"].as_object().expect("inputs") {
        let value = inputs
            .iter()
            .find(|(given, _)| given == name)
            .map(|(_, value)| (*value).to_owned())
            .or_else(|| declared["default"].as_str().map(str::to_owned))
            .unwrap_or_default();
        expanded = expanded.replace(&format!("${{{{ inputs.{name} }}}}"), &value);
    }
    expanded
}

/// The folder a user's repository keeps its scenario in; reports are named after it.
const USER_FOLDER: &str = "tenant-staging";

/// Copies the matrix and world of `folder` into `tenant-staging/` of a new directory
/// outside the repository.
fn scenario_outside_the_repository(folder: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let workspace = dir.path().join(USER_FOLDER);
    std::fs::create_dir(&workspace).expect("the user's folder");
    for file in ["matrix.yaml", "world.yaml"] {
        std::fs::copy(folder.join(file), workspace.join(file)).expect("copy the scenario");
    }
    dir
}

fn run_action(workspace: &Path, inputs: &[(&str, &str)]) -> ActionRun {
    let action = action();
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let binary_dir = Path::new(env!("CARGO_BIN_EXE_xtenant"))
        .parent()
        .expect("the binary's folder")
        .to_owned();
    let path = format!(
        "{}:{}",
        binary_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let step_summary = workspace.join("step-summary.md");
    let output = workspace.join("github-output");
    let mut log = String::new();
    let mut exit_code = 0;
    for step in steps {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let mut command = Command::new("bash");
        command
            .arg("-e")
            .arg("-c")
            .arg(expand(script, &action, inputs))
            .current_dir(workspace)
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &step_summary)
            .env("GITHUB_OUTPUT", &output);
        for (name, value) in step["env"].as_object().into_iter().flatten() {
            command.env(
                name,
                expand(value.as_str().unwrap_or_default(), &action, inputs),
            );
        }
        let ran = command.output().expect("bash runs");
        log.push_str(&text(&ran.stdout));
        log.push_str(&text(&ran.stderr));
        if !ran.status.success() {
            exit_code = ran.status.code().unwrap_or(-1);
            break;
        }
    }
    ActionRun {
        exit_code,
        step_summary: std::fs::read_to_string(&step_summary).unwrap_or_default(),
        output: std::fs::read_to_string(&output).unwrap_or_default(),
        reports_dir: workspace.join(expand("${{ inputs.reports-dir }}", &action, inputs)),
        log,
    }
}

#[test]
fn the_action_runs_a_scenario_outside_the_repository_and_publishes_its_summary() {
    let workspace = scenario_outside_the_repository(&root().join("scenarios/books"));
    let run = run_action(
        &workspace.path().join(USER_FOLDER),
        &[("scenario", "matrix.yaml")],
    );
    assert_eq!(run.exit_code, 0, "{}", run.log);
    assert!(
        run.log.contains("using "),
        "the built binary was not used: {}",
        run.log
    );
    assert!(run.output.contains("exit-code=0"), "{}", run.output);
    assert!(
        run.step_summary.starts_with("# xtenant: "),
        "{}",
        run.step_summary
    );
    for report in ["junit.xml", "evidence.json", "html", "md"] {
        let name = format!("{USER_FOLDER}.{report}");
        assert!(
            run.reports_dir.join(&name).is_file(),
            "no {name} in {}",
            run.reports_dir.display()
        );
    }
    // The upload step sends the same folder, even when the run failed.
    let action = action();
    let upload = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|uses| uses.starts_with("actions/upload-artifact@"))
        })
        .expect("an upload step");
    assert_eq!(upload["if"], "always()");
    assert_eq!(upload["with"]["path"], "${{ inputs.reports-dir }}");
}

#[test]
fn a_breach_fails_the_step_with_exit_code_1_and_still_publishes_the_summary() {
    let workspace = scenario_outside_the_repository(
        &root().join("tests/fixtures/worlds/attacks/pacific--classic-flow"),
    );
    let run = run_action(
        &workspace.path().join(USER_FOLDER),
        &[
            ("scenario", "matrix.yaml"),
            ("args", "--concurrency 4"),
            ("reports-dir", "out"),
        ],
    );
    assert_eq!(run.exit_code, 1, "{}", run.log);
    assert!(run.output.contains("exit-code=1"), "{}", run.output);
    assert!(
        run.step_summary.contains("basic-flow"),
        "{}",
        run.step_summary
    );
    assert!(run.reports_dir.ends_with("out") && run.reports_dir.is_dir());
}
