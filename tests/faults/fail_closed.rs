//! What every faulted run must show: the exit code, all four reports, every probe whose
//! deciding response was faulted Inconclusive (so no false pass), every probe of a user
//! whose sign-in failed Inconclusive, and no secret in any output.

use crate::proxy::FaultedCall;
use crate::secret_scanner::leaks;
use crate::staged_run::FaultRun;
use serde_json::Value;

/// Asserts the promises of a faulted run; returns how many probes were faulted.
pub fn assert_fails_closed_and_leaks_nothing(run: &FaultRun, exit_code: i32) -> usize {
    let context = || {
        format!(
            "exit {:?} after {:?}; {} calls forwarded, {} faulted\n--- stderr (tail)\n{}",
            run.exit_code,
            run.elapsed,
            run.forwarded,
            run.faulted.len(),
            tail(&run.stderr, 3000)
        )
    };
    for report in [".junit.xml", ".evidence.json", ".html", ".md"] {
        assert!(
            run.files.iter().any(|(name, _)| name.ends_with(report)),
            "no {report} report was written: {:?}\n{}",
            run.files.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            context()
        );
    }
    let records = run.evidence["results"]["records"]
        .as_array()
        .unwrap_or_else(|| panic!("the evidence has no records\n{}", context()));
    assert!(!records.is_empty(), "no probe ran\n{}", context());

    let failed_users: Vec<&str> = run.evidence["results"]["users"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|user| !user["error"].is_null())
        .filter_map(|user| user["user"].as_str())
        .collect();
    let mut faulted_probes = 0;
    let mut false_passes = Vec::new();
    for record in records {
        let user = record["user"].as_str().unwrap_or_default();
        let decided_by_fault = run.faulted.iter().any(|call| decided(call, record));
        if decided_by_fault {
            faulted_probes += 1;
        }
        if (decided_by_fault || failed_users.contains(&user))
            && record["verdict"].as_str() != Some("inconclusive")
        {
            false_passes.push(format!(
                "{} ({}, expected {}): verdict {} outcome {}; {}",
                record["name"].as_str().unwrap_or_default(),
                record["api_call"].as_str().unwrap_or_default(),
                record["expectation"].as_str().unwrap_or_default(),
                record["verdict"].as_str().unwrap_or_default(),
                record["outcome"].as_str().unwrap_or_default(),
                record["reason"].as_str().unwrap_or_default(),
            ));
        }
    }
    assert!(
        false_passes.is_empty(),
        "{} probes decided on a faulted response are not Inconclusive:\n{}\n{}",
        false_passes.len(),
        false_passes.join("\n"),
        context()
    );
    assert!(
        faulted_probes > 0 || !failed_users.is_empty(),
        "the faults hit no probe and no sign-in: the test proves nothing\n{}",
        context()
    );

    assert_leaks_nothing(run);
    assert_eq!(run.exit_code, Some(exit_code), "{}", context());
    faulted_probes
}

/// No secret the run handled (proxy-recorded tokens and credentials, passwords, the
/// ambient key) in stdout, stderr, any report or the ledger.
pub fn assert_leaks_nothing(run: &FaultRun) {
    let mut outputs = vec![
        ("stdout".to_owned(), run.stdout.clone()),
        ("stderr".to_owned(), run.stderr.clone()),
    ];
    outputs.extend(run.files.iter().cloned());
    let leaked = leaks(&run.secrets, &outputs);
    assert!(
        leaked.is_empty(),
        "secrets leaked (of {} the run handled): {leaked:?}",
        run.secrets.len()
    );
    assert!(
        run.secrets.len() > 20,
        "the proxy saw too few secrets ({}) for the scan to mean anything",
        run.secrets.len()
    );
}

/// The faulted call is the one the record's verdict rests on: the same API call on the
/// same resource (the decision does not depend on the caller, so every user's identical
/// call was faulted alike).
fn decided(call: &FaultedCall, record: &Value) -> bool {
    if record["api_call"].as_str() != Some(call.api_call.as_str()) {
        return false;
    }
    let target = &record["target"];
    let text = |key: &str| target[key].as_str().unwrap_or_default();
    match target["kind"].as_str() {
        Some("s3_object") => call.resource == format!("{}/{}", text("bucket"), text("key")),
        Some("s3_prefix") => {
            // A listing shape sends another prefix than the cell's (none, or the parent).
            let prefix = match record["shape"]["shape"].as_str() {
                Some("no-prefix") => "",
                Some("parent-prefix") => record["shape"]["parent"].as_str().unwrap_or_default(),
                _ => text("prefix"),
            };
            call.resource == format!("{}/{prefix}", text("bucket"))
        }
        Some("secret") => call.resource == text("secret_id"),
        Some("dynamo_db_item" | "dynamodb_item") => {
            // The whole key, sort key included: a canary item's removal shares the probed
            // item's partition but not its sort key, and is not the call the probe rests on.
            let key = [&target["key"]["partition"], &target["key"]["sort"]];
            call.resource.starts_with(&format!("{} ", text("table")))
                && key.iter().filter(|part| !part.is_null()).all(|part| {
                    part.to_string()
                        .split('"')
                        .filter(|piece| piece.len() > 2)
                        .all(|piece| call.resource.contains(piece))
                })
        }
        _ => false,
    }
}

fn tail(text: &str, bytes: usize) -> &str {
    let mut start = text.len().saturating_sub(bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}
