//! The exit-code table: the worst outcome present decides.

use xtenant::exit_code;
use xtenant::run::{OutcomeCounts, exit_code_for_counts};

fn counts(probes: &[&str], roles: &[&str]) -> OutcomeCounts {
    let mut counts = OutcomeCounts::default();
    for probe in probes {
        match *probe {
            "held" => counts.held += 1,
            "breach" => counts.breach += 1,
            "unexpected_deny" => counts.unexpected_deny += 1,
            "inconclusive" => counts.inconclusive += 1,
            other => panic!("unknown outcome {other}"),
        }
    }
    for role in roles {
        match *role {
            "held" => counts.role_held += 1,
            "wrong_role" => counts.wrong_role += 1,
            "inconclusive" => counts.role_inconclusive += 1,
            other => panic!("unknown role outcome {other}"),
        }
    }
    counts
}

#[test]
fn the_worst_outcome_present_decides_the_exit_code() {
    let table: &[(&[&str], &[&str], i32)] = &[
        (&[], &[], exit_code::SUCCESS),
        (&["held"], &["held"], exit_code::SUCCESS),
        (
            &["held", "inconclusive"],
            &["held"],
            exit_code::INCONCLUSIVE,
        ),
        (&["held"], &["inconclusive"], exit_code::INCONCLUSIVE),
        (
            &["held", "unexpected_deny"],
            &[],
            exit_code::EXPECTATION_FAILED,
        ),
        (&["held"], &["wrong_role"], exit_code::EXPECTATION_FAILED),
        (
            &["inconclusive", "unexpected_deny"],
            &["inconclusive"],
            exit_code::EXPECTATION_FAILED,
        ),
        (&["held", "breach"], &[], exit_code::BREACH),
        (
            &["breach", "unexpected_deny", "inconclusive"],
            &["wrong_role"],
            exit_code::BREACH,
        ),
        (
            &["inconclusive", "breach"],
            &["inconclusive"],
            exit_code::BREACH,
        ),
    ];
    for (probes, roles, expected) in table {
        assert_eq!(
            exit_code_for_counts(&counts(probes, roles)),
            *expected,
            "probes {probes:?}, roles {roles:?}"
        );
    }
}
