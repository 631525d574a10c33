//! The README's "What local staging emulates" section lists every operation local staging
//! serves: the operations are read from each service's dispatch `match` (the string arms
//! of its `handle`), so a new operation without its line in the README fails here.

const README: &str = include_str!("../../README.md");

/// Each service's dispatch source, by the name the README gives the service.
const DISPATCH: [(&str, &str); 6] = [
    (
        "Cognito user pools",
        include_str!("../../src/sim/cognito_idp/service.rs"),
    ),
    (
        "Cognito identity pools",
        include_str!("../../src/sim/cognito_identity/service.rs"),
    ),
    (
        "DynamoDB",
        include_str!("../../src/sim/dynamodb/service.rs"),
    ),
    (
        "Secrets Manager",
        include_str!("../../src/sim/secrets/service.rs"),
    ),
    ("STS", include_str!("../../src/sim/sts/service.rs")),
    (
        "IAM read API",
        include_str!("../../src/sim/iam_api/service.rs"),
    ),
];

/// String arms of those files that are error codes, not operations.
const NOT_OPERATIONS: [&str; 1] = ["AccessDenied"];

/// S3 routes by method, path and query rather than by operation name; these are the
/// operations `s3/service.rs` answers.
const S3_OPERATIONS: [&str; 7] = [
    "GetObject",
    "HeadObject",
    "PutObject",
    "DeleteObject",
    "ListObjectsV2",
    "ListObjects",
    "HeadBucket",
];

/// The names of a file's match arms that are quoted operation names
/// (`"GetItem" =>`, `Some("GetCallerIdentity") =>`, `"A" | "B" =>`).
fn operation_arms(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in source.lines() {
        let Some((pattern, _)) = line.trim().split_once("=>") else {
            continue;
        };
        let pattern = pattern.trim();
        let pattern = pattern
            .strip_prefix("Some(")
            .and_then(|p| p.strip_suffix(')'))
            .unwrap_or(pattern);
        let alternatives: Vec<&str> = pattern.split('|').map(str::trim).collect();
        let quoted: Option<Vec<&str>> = alternatives
            .iter()
            .map(|a| a.strip_prefix('"').and_then(|a| a.strip_suffix('"')))
            .collect();
        let Some(quoted) = quoted else { continue };
        for name in quoted {
            let is_operation_name = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric());
            if is_operation_name && !NOT_OPERATIONS.contains(&name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

fn emulation_section() -> &'static str {
    let start = README
        .find("### What local staging emulates, and what it does not")
        .expect("the README has the section");
    let rest = &README[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn every_served_operation_is_listed_in_the_readme() {
    let section = emulation_section();
    let mut missing = Vec::new();
    for (service, source) in DISPATCH {
        assert!(
            section.contains(&format!("**{service}**")),
            "no paragraph for {service}"
        );
        let operations = operation_arms(source);
        assert!(!operations.is_empty(), "no operations read for {service}");
        for operation in operations {
            if !section.contains(&format!("`{operation}`")) {
                missing.push(format!("{service}: {operation}"));
            }
        }
    }
    for operation in S3_OPERATIONS {
        if !section.contains(&format!("`{operation}`")) {
            missing.push(format!("S3: {operation}"));
        }
    }
    assert!(
        missing.is_empty(),
        "served but not in the README: {missing:?}"
    );
}

#[test]
fn the_dispatch_reader_finds_the_arms_it_must() {
    let sts = operation_arms(DISPATCH[4].1);
    assert_eq!(
        sts,
        [
            "AssumeRoleWithWebIdentity",
            "GetCallerIdentity",
            "AssumeRole"
        ]
    );
    let identity = operation_arms(DISPATCH[1].1);
    assert!(identity.contains(&"GetPrincipalTagAttributeMap".to_string()));
    assert!(!identity.contains(&"AccessDenied".to_string()));
    // Every section also says what it does not emulate.
    assert!(emulation_section().matches("*Not emulated:*").count() >= 8);
}
