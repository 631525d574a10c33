//! `xtenant sim generate` writes a world and matrix that run green with exactly the counts
//! it announces, in-process and as the binary a user runs.

use crate::support::{not_held, run_scenario, text, xtenant_command};
use xtenant::exit_code;

#[test]
fn a_generated_world_runs_green_with_every_cell_planned_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scale");
    let generated = xtenant_command(&[
        "sim",
        "generate",
        "--tenants",
        "3",
        "--users-per-tenant",
        "2",
        "--resources",
        "2",
        "--out",
        out.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(generated.status.code(), Some(exit_code::SUCCESS));
    // 6 users x 3 tenants x 2 resources x 4 actions.
    assert!(
        text(&generated.stdout).starts_with("generated 6 users, 144 probes: "),
        "{}",
        text(&generated.stdout)
    );

    let ran = run_scenario(&out.join("matrix.yaml"));
    assert_eq!(
        ran.exit_code,
        exit_code::SUCCESS,
        "{:#?}",
        not_held(&ran.results)
    );
    let counts = ran.results.counts();
    assert_eq!(counts.held, 144);
    assert_eq!(counts.probes(), 144);
    assert_eq!(counts.role_held, 6);
    let own = ran
        .results
        .records
        .iter()
        .filter(|record| record.name.0.starts_with("t02-u1::t02/"))
        .count();
    assert_eq!(own, 8, "two own objects, four actions each");
}

#[test]
fn generate_refuses_a_zero_size() {
    let dir = tempfile::tempdir().unwrap();
    let refused = xtenant_command(&[
        "sim",
        "generate",
        "--tenants",
        "0",
        "--users-per-tenant",
        "1",
        "--resources",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(refused.status.code(), Some(exit_code::INVALID_INPUT));
    assert!(
        text(&refused.stderr).contains("--tenants"),
        "{}",
        text(&refused.stderr)
    );
}
