//! `xtenant diff OLD NEW` on real evidence: a new breach fails it (exit 1), a fixed one
//! does not, and a file that is not evidence is exit 4 naming the file.

use crate::support::{text, xtenant_command};
use std::path::Path;
use xtenant::exit_code;

fn diff(old: &Path, new: &Path) -> (Option<i32>, String, String) {
    let output = xtenant_command(&["diff", old.to_str().unwrap(), new.to_str().unwrap()])
        .output()
        .unwrap();
    (
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

#[test]
fn a_new_breach_fails_the_diff_a_fixed_one_does_not_and_bad_input_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = xtenant_command(&[
        "run",
        "scenarios/books/matrix.yaml",
        "--reports-dir",
        dir.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let baseline = dir.path().join("books.evidence.json");
    let mut evidence: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    let records = evidence["results"]["records"].as_array_mut().unwrap();
    let breached = records[1]["name"].as_str().unwrap().to_owned();
    records[1]["outcome"] = "breach".into();
    records[1]["verdict"] = "allowed".into();
    let removed = records.remove(0)["name"].as_str().unwrap().to_owned();
    let breaching = dir.path().join("breaching.evidence.json");
    std::fs::write(&breaching, evidence.to_string()).unwrap();

    let (code, stdout, stderr) = diff(&baseline, &baseline);
    assert_eq!(code, Some(exit_code::SUCCESS), "{stderr}");
    assert!(stdout.starts_with("new breaches: 0\n"), "{stdout}");

    let (code, stdout, _) = diff(&baseline, &breaching);
    assert_eq!(code, Some(exit_code::BREACH), "{stdout}");
    assert!(
        stdout.starts_with(&format!("new breaches: 1\n  {breached}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("removed probes: 1\n  {removed}\n")),
        "{stdout}"
    );

    let (code, stdout, _) = diff(&breaching, &baseline);
    assert_eq!(code, Some(exit_code::SUCCESS), "{stdout}");
    assert!(
        stdout.contains(&format!("fixed breaches: 1\n  {breached}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("new probes: 1\n  {removed}\n")),
        "{stdout}"
    );

    let junit = dir.path().join("books.junit.xml");
    let (code, stdout, stderr) = diff(&baseline, &junit);
    assert_eq!(code, Some(exit_code::INVALID_INPUT), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "error: cannot compare `{}`: it is not JSON (line 1, column 1)",
            junit.display()
        )),
        "{stderr}"
    );
    assert!(stdout.is_empty());
}
