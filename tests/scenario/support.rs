//! Shared helpers: fixture paths and a small scenario builder for plan tests.

use std::path::{Path, PathBuf};
use xtenant::scenario::{self, Scenario};

/// The fixtures folder, relative to the package root (where cargo runs tests), so paths in
/// rendered diagnostics are stable across machines.
pub fn fixtures() -> PathBuf {
    PathBuf::from("tests/fixtures/scenarios")
}

/// Every `.yaml` scenario in `broken/` (the world file excepted), sorted.
pub fn broken_fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("broken"))
        .expect("broken fixtures folder")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .filter(|path| path.file_name().is_some_and(|n| n != "world.yaml"))
        .collect();
    files.sort();
    files
}

/// The codes a fixture's first line promises: `# expect: X0101 X0204`.
pub fn expected_codes(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("fixture");
    let first = text.lines().next().unwrap_or("");
    first
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// An AWS target that needs no world file, for inline scenarios.
pub const AWS_TARGET: &str = "target:
  region: eu-west-1
  user_pool: {id: eu-west-1_Pacific01, client_id: pacificweb0001}
  identity_pool: {id: \"eu-west-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\"}
";

/// Loads an inline scenario (with `AWS_TARGET` prepended), panicking with the rendered
/// diagnostics if it is invalid.
pub fn scenario(body: &str) -> Scenario {
    let text = format!("{AWS_TARGET}{body}");
    match scenario::load_str(&text, Path::new("inline.yaml")) {
        Ok(loaded) => loaded,
        Err(diagnostics) => panic!("scenario should be valid:\n{diagnostics}"),
    }
}

/// The diagnostics of an inline scenario that must be invalid.
pub fn problems(body: &str) -> scenario::Diagnostics {
    let text = format!("{AWS_TARGET}{body}");
    match scenario::load_str(&text, Path::new("inline.yaml")) {
        Ok(_) => panic!("scenario should be invalid"),
        Err(diagnostics) => diagnostics,
    }
}
