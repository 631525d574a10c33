//! Waivers and the SARIF report through the real binary on a breached world: a waived
//! breach passes the gate and says so everywhere, an expired waiver fails it again, a stale
//! waiver is warned about; the SARIF report validates and locates every result in the
//! scenario file.

use crate::support::{read_junit, root, text, xtenant_command};
use serde_json::Value;
use std::path::Path;
use xtenant::exit_code;

const WAIVED: &str = "tests/fixtures/waivers/books-reader-update-item.yaml";
const BREACHED: &str = "tests/fixtures/worlds/books--reader-update-item/matrix.yaml";

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("tests/fixtures/sarif/sarif-2.1.0-subset.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// The one file under `dir` whose name ends with `suffix`.
fn report(dir: &Path, suffix: &str) -> String {
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} report in {}", dir.display()));
    std::fs::read_to_string(path).unwrap()
}

/// The 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let index = text
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {file}"));
    index as u64 + 1
}

#[test]
fn a_waived_breach_passes_an_expired_waiver_fails_and_a_stale_one_is_warned_about() {
    let reports = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        WAIVED,
        "--no-audit",
        "--reports-dir",
        reports.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let stderr = text(&output.stderr);
    // globex's waiver lapsed in 2000: its breach fails the run again.
    assert_eq!(output.status.code(), Some(exit_code::BREACH), "{stderr}");
    assert!(
        stderr.contains("warning: waiver #1 `globex-reader::globex/book::write::update-item` (SEC-102) expired after 2000-01-01: it waives nothing, 1 finding(s) fail again"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: waiver #2 `acme-writer::acme/book::*` (SEC-103) is stale"),
        "{stderr}"
    );
    // The console's last line counts the waived case apart, and the case's line says which
    // waiver accepted it.
    let stdout = text(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("xtenant: 1 breach, 0 unexpected denies, 0 inconclusive (")
            && last.contains(", 1 waived;")
            && last.ends_with("— exit 1"),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|line| line.starts_with("REVISED")
            && line.contains(
                "acme-reader::acme/book::write::update-item (now breach (waived: SEC-101):"
            )),
        "{stdout}"
    );
    assert!(
        stdout.contains("waived (known findings a scenario waiver accepts; not failures) (1):"),
        "{stdout}"
    );

    let evidence: Value = serde_json::from_str(&report(reports.path(), ".evidence.json")).unwrap();
    assert_eq!(
        (&evidence["counts"]["breach"], &evidence["counts"]["waived"]),
        (&Value::from(1), &Value::from(1))
    );
    let statuses: Vec<&str> = evidence["results"]["waivers"]["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|waiver| waiver["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["applied", "expired", "stale"]);

    let junit = read_junit(&report(reports.path(), ".junit.xml"));
    assert_eq!((junit.failures, junit.skipped), (1, 1));

    let sarif: Value = serde_json::from_str(&report(reports.path(), ".sarif")).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let override_line = line_of(WAIVED, "- description: the BooksRead group is read-only");
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], WAIVED);
        assert_eq!(location["region"]["startLine"], override_line);
        let waived = result["properties"]["probe"] == "acme-reader::acme/book::write::update-item";
        assert_eq!(result.get("suppressions").is_some(), waived, "{result}");
    }
}

#[test]
fn the_sarif_report_of_a_breached_world_has_every_breach_and_audit_finding_located() {
    let reports = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        BREACHED,
        "--reports-dir",
        reports.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(exit_code::BREACH),
        "{}",
        text(&output.stderr)
    );
    let sarif: Value = serde_json::from_str(&report(reports.path(), ".sarif")).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let evidence: Value = serde_json::from_str(&report(reports.path(), ".evidence.json")).unwrap();
    let findings = evidence["results"]["audit"]["findings"]
        .as_array()
        .map_or(0, Vec::len);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let breaches: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"].as_str().unwrap().starts_with("breach/"))
        .collect();
    let audit: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"].as_str().unwrap().starts_with("XA"))
        .collect();
    assert_eq!(breaches.len(), 2);
    assert_eq!(audit.len(), findings);
    assert_eq!(breaches.len() + audit.len(), results.len());
    let override_line = line_of(BREACHED, "- description: the BooksRead group is read-only");
    for breach in &breaches {
        let location = &breach["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], BREACHED);
        assert_eq!(location["region"]["startLine"], override_line);
    }
    let target_line = line_of(BREACHED, "target:");
    for finding in &audit {
        let location = &finding["locations"][0]["physicalLocation"];
        assert_eq!(location["region"]["startLine"], target_line, "{finding}");
    }
    // Every rule a result names is described by the driver.
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
    }
}
