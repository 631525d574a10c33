//! A filtered run is a partial verdict: the console's last line and every report say how
//! many of the plan's probes were selected, so that none of them reads as the scenario's.

use crate::support::{text, xtenant_command};

fn report(dir: &std::path::Path, extension: &str) -> String {
    std::fs::read_to_string(dir.join(format!("books.{extension}")))
        .unwrap_or_else(|error| panic!("books.{extension}: {error}"))
}

#[test]
fn a_filtered_run_is_marked_partial_in_the_console_and_every_report() {
    let planned = xtenant_command(&["plan", "scenarios/books/matrix.yaml", "--format", "json"])
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
    let total = plan["probes"].as_array().unwrap().len();

    let reports = tempfile::tempdir().unwrap();
    let dir = reports.path().to_str().unwrap();
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--reports-dir",
        dir,
        "--",
        "acme-reader::",
    ])
    .output()
    .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let evidence: serde_json::Value =
        serde_json::from_str(&report(reports.path(), "evidence.json")).unwrap();
    let selected = evidence["results"]["records"].as_array().unwrap().len();
    assert!(0 < selected && selected < total, "{selected} of {total}");
    let phrase = format!("partial: {selected} of {total} probes selected");

    let stdout = text(&output.stdout);
    let last_line = stdout.lines().last().unwrap_or_default();
    assert!(last_line.starts_with("xtenant: "), "{stdout}");
    assert!(last_line.contains(&format!("; {phrase}; ")), "{stdout}");
    assert_eq!(evidence["selection"]["partial"], true);
    assert_eq!(evidence["selection"]["planned_probes"], total);
    let markdown = report(reports.path(), "md");
    assert!(markdown.contains(&phrase), "{markdown}");
    assert!(!markdown.contains("Every expectation held."), "{markdown}");
    assert!(report(reports.path(), "html").contains(&phrase));
    assert!(report(reports.path(), "junit.xml").contains(&format!(
        "<property name=\"selection\" value=\"{phrase}\"/>"
    )));

    // The whole scenario is not partial anywhere.
    let whole = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--reports-dir",
        whole.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!text(&output.stderr).contains("partial:"));
    assert!(!text(&output.stdout).contains("partial:"));
    for extension in ["md", "html", "junit.xml"] {
        assert!(
            !report(whole.path(), extension).contains("partial:"),
            "{extension}"
        );
    }
}
