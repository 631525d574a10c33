//! Conformance suite of the IAM engine: every case pins one documented AWS rule (the page
//! and the rule travel with the case) and is listed as its own test, so
//! `cargo test --test iam_conformance -- variables` runs one family.

mod actions_resources;
mod case;
mod conditions;
mod cross_account;
mod evaluation;
mod grammar;
mod tenant_isolation;
mod variables;

use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeSet;

/// The suite promises at least this many evaluation and parsing cases.
const MINIMUM_CASES: usize = 150;

fn main() {
    let args = Arguments::from_args();
    let groups = [
        ("grammar", grammar::cases()),
        ("actions_resources", actions_resources::cases()),
        ("conditions", conditions::cases()),
        ("variables", variables::cases()),
        ("evaluation", evaluation::cases()),
        ("cross_account", cross_account::cases()),
        ("tenant_isolation", tenant_isolation::cases()),
    ];
    let mut names = BTreeSet::new();
    let mut duplicates = Vec::new();
    let mut trials = Vec::new();
    let mut total = 0usize;
    for (group, cases) in groups {
        for case in cases {
            total += 1;
            let name = format!("{group}::{}", case.name);
            if !names.insert(name.clone()) {
                duplicates.push(name.clone());
            }
            trials.push(Trial::test(name, move || {
                case.run().map_err(|message| {
                    Failed::from(format!(
                        "{message}\n  rule: {}\n  doc:  {}",
                        case.rule, case.doc
                    ))
                })
            }));
        }
    }
    trials.push(Trial::test("suite::has_enough_unique_cases", move || {
        if !duplicates.is_empty() {
            return Err(format!("duplicate case names: {duplicates:?}").into());
        }
        if total < MINIMUM_CASES {
            return Err(format!("{total} cases, fewer than {MINIMUM_CASES}").into());
        }
        Ok(())
    }));
    libtest_mimic::run(&args, trials).exit();
}
