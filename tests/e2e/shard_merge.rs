//! `xtenant run --shard K/N` on three runners and `xtenant merge` give the reports and the
//! exit code of one unsharded run; shards that do not belong together are refused.

use crate::support::{text, xtenant_command};
use std::path::Path;
use xtenant::exit_code;

const SCENARIO: &str = "scenarios/pacific/matrix.yaml";

fn run(args: &[&str]) -> std::process::Output {
    xtenant_command(args)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap()
}

fn evidence(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What a report says, without what differs between any two runs: times, durations,
/// request ids, identity ids and keys issued at sign-in.
fn outcomes(evidence: &serde_json::Value) -> serde_json::Value {
    let results = &evidence["results"];
    let records: Vec<serde_json::Value> = results["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|record| {
            serde_json::json!([
                record["name"],
                record["outcome"],
                record["verdict"],
                record["reason"]
            ])
        })
        .collect();
    let roles: Vec<serde_json::Value> = results["role_cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| serde_json::json!([case["name"], case["outcome"]]))
        .collect();
    let users: Vec<serde_json::Value> = results["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| serde_json::json!([user["user"], user["role_arn"], user["error"]]))
        .collect();
    serde_json::json!({
        "exit_code": evidence["exit_code"],
        "counts": evidence["counts"],
        "selection": evidence["selection"],
        "records": records,
        "roles": roles,
        "users": users,
    })
}

/// The JUnit test cases in order, each with whether it failed.
fn junit_cases(path: &Path) -> Vec<String> {
    let xml = std::fs::read_to_string(path).unwrap();
    let mut cases = Vec::new();
    for piece in xml.split("<testcase ").skip(1) {
        let name = piece
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned();
        let body = piece.split("</testcase>").next().unwrap_or_default();
        let failed = body.contains("<failure") || body.contains("<error");
        cases.push(format!("{name} failed={failed}"));
    }
    cases
}

#[test]
fn three_shards_merged_report_what_one_unsharded_run_reports() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let shards = dir.path().join("shards");
    let merged = dir.path().join("merged");
    let unsharded = run(&["run", SCENARIO, "--reports-dir", whole.to_str().unwrap()]);
    let mut shard_files = Vec::new();
    let mut listed = 0;
    for index in 1..=3 {
        let shard = format!("{index}/3");
        let plan = run(&["plan", SCENARIO, "--shard", &shard, "--format", "json"]);
        assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stderr));
        let planned: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
        listed += planned["probes"].as_array().unwrap().len();
        let ran = run(&[
            "run",
            SCENARIO,
            "--shard",
            &shard,
            "--reports-dir",
            shards.to_str().unwrap(),
        ]);
        assert_eq!(
            ran.status.code(),
            unsharded.status.code(),
            "{}",
            text(&ran.stderr)
        );
        shard_files.push(shards.join(format!("pacific.shard-{index}-of-3.evidence.json")));
    }
    let whole_evidence = evidence(&whole.join("pacific.evidence.json"));
    assert_eq!(
        listed,
        whole_evidence["results"]["plan"]["probes"]
            .as_array()
            .unwrap()
            .len(),
        "`plan --shard` lists every case in exactly one share"
    );
    for file in &shard_files {
        assert_eq!(
            evidence(file)["selection"]["partial"],
            true,
            "a shard is a partial run"
        );
    }

    let mut merge_args = vec!["merge".to_owned()];
    merge_args.extend(shard_files.iter().map(|file| file.display().to_string()));
    merge_args.extend(["--reports-dir".to_owned(), merged.display().to_string()]);
    let merge_args: Vec<&str> = merge_args.iter().map(String::as_str).collect();
    let merging = run(&merge_args);
    assert_eq!(
        merging.status.code(),
        unsharded.status.code(),
        "{}",
        text(&merging.stderr)
    );
    assert!(text(&merging.stdout).starts_with("merged 3 shards of `pacific`"));

    let merged_evidence = evidence(&merged.join("pacific.evidence.json"));
    let (merged_outcomes, whole_outcomes) = (outcomes(&merged_evidence), outcomes(&whole_evidence));
    for key in [
        "exit_code",
        "counts",
        "selection",
        "records",
        "roles",
        "users",
    ] {
        let (got, want) = (&merged_outcomes[key], &whole_outcomes[key]);
        if let (Some(got), Some(want)) = (got.as_array(), want.as_array()) {
            let first_difference = got.iter().zip(want).position(|(a, b)| a != b);
            assert_eq!(
                first_difference,
                None,
                "{key}: merged {:?} vs unsharded {:?}",
                first_difference.map(|at| &got[at]),
                first_difference.map(|at| &want[at])
            );
            assert_eq!(got.len(), want.len(), "{key}");
        } else {
            assert_eq!(got, want, "{key}");
        }
    }
    assert_eq!(
        junit_cases(&merged.join("pacific.junit.xml")),
        junit_cases(&whole.join("pacific.junit.xml"))
    );
    for report in ["pacific.html", "pacific.md"] {
        assert!(merged.join(report).is_file(), "{report} is written");
    }
    let markdown = std::fs::read_to_string(merged.join("pacific.md")).unwrap();
    assert!(
        !markdown.contains("partial"),
        "the merged run is complete:\n{markdown}"
    );
}

#[test]
fn shards_that_do_not_belong_together_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    for (scenario, shard) in [(SCENARIO, "1/2"), ("scenarios/books/matrix.yaml", "2/2")] {
        let ran = run(&[
            "run",
            scenario,
            "--shard",
            shard,
            "--reports-dir",
            out.to_str().unwrap(),
        ]);
        assert!(ran.status.code().is_some(), "{}", text(&ran.stderr));
    }
    let pacific = out.join("pacific.shard-1-of-2.evidence.json");
    let books = out.join("books.shard-2-of-2.evidence.json");
    let merged = out.join("merged");
    let cases: [(Vec<&Path>, &str); 3] = [
        (vec![&pacific, &books], "merge the shards of one scenario"),
        (vec![&pacific], "shards 2 of 2 are missing"),
        (vec![&pacific, &pacific], "are both shard 1/2"),
    ];
    for (files, expected) in cases {
        let mut args = vec!["merge".to_owned()];
        args.extend(files.iter().map(|file| file.display().to_string()));
        args.extend(["--reports-dir".to_owned(), merged.display().to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let refused = run(&args);
        assert_eq!(refused.status.code(), Some(exit_code::INVALID_INPUT));
        assert!(
            text(&refused.stderr).contains(expected),
            "{}",
            text(&refused.stderr)
        );
    }
    assert!(
        !merged.exists(),
        "nothing is written when the shards are refused"
    );
    let whole = out.join("whole");
    let ran = run(&["run", SCENARIO, "--reports-dir", whole.to_str().unwrap()]);
    assert!(ran.status.code().is_some());
    let refused = run(&[
        "merge",
        whole.join("pacific.evidence.json").to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(exit_code::INVALID_INPUT));
    assert!(
        text(&refused.stderr).contains("unsharded run"),
        "{}",
        text(&refused.stderr)
    );
}
