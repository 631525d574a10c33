//! The configuration audit against local staging: the secure base world yields nothing, a
//! world with one mistake yields exactly that finding code, a missing permission is one
//! warning naming the API, and the shipped scenarios yield nothing above info, fast.

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use std::path::{Path, PathBuf};
use xtenant::audit::{AuditOutcome, FindingCode, Severity, audit_scenario};
use xtenant::identity::CredentialsSource;
use xtenant::redaction::Redactor;
use xtenant::run::RunTarget;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audit");
const AUDITOR: (&str, &str) = ("AKIAXTENANTAUDIT0001", "local-staging-auditor-secret");
const AUDITOR_WITHOUT_GET_ROLE: (&str, &str) =
    ("AKIAXTENANTAUDIT0002", "local-staging-auditor-secret-2");

fn signing_as((key, secret): (&str, &str)) -> CredentialsSource {
    CredentialsSource::Provider(SharedCredentialsProvider::new(Credentials::new(
        key,
        secret,
        None,
        None,
        "audit-test",
    )))
}

/// Audits the scenario at `matrix` (its world started in-process) as `credentials`.
async fn audit_file(matrix: &Path, credentials: CredentialsSource) -> AuditOutcome {
    let scenario = xtenant::scenario::load(matrix).expect("the scenario is valid");
    let mut target = RunTarget::start(&scenario)
        .await
        .expect("local staging starts");
    let outcome = audit_scenario(&scenario, &target.aws, credentials, &Redactor::default()).await;
    target.stop();
    outcome
}

/// The base world with `from` (which must occur exactly once) replaced by `to`, and the
/// base scenario with `matrix_extra` appended, audited as the least-privilege auditor.
async fn audit_base_with(from: &str, to: &str, matrix_extra: &str) -> AuditOutcome {
    let dir = tempfile::tempdir().unwrap();
    let world = std::fs::read_to_string(Path::new(FIXTURE).join("world.yaml")).unwrap();
    assert_eq!(world.matches(from).count(), 1, "`{from}` must occur once");
    std::fs::write(dir.path().join("world.yaml"), world.replace(from, to)).unwrap();
    let matrix = std::fs::read_to_string(Path::new(FIXTURE).join("matrix.yaml")).unwrap();
    let matrix_path = dir.path().join("matrix.yaml");
    std::fs::write(&matrix_path, matrix + matrix_extra).unwrap();
    audit_file(&matrix_path, signing_as(AUDITOR)).await
}

fn codes(outcome: &AuditOutcome) -> Vec<&'static str> {
    let mut codes: Vec<&str> = outcome.findings.iter().map(|f| f.code.as_str()).collect();
    codes.dedup();
    codes
}

const AUD: &str = r#""StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c13"},
                "#;
const AMR: &str = r#"},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}"#;
const NULL_GUARD: &str = r#"},
                    "Null": {"dynamodb:LeadingKeys": "false"}"#;
const PREFIX_STATEMENT: &str = r#""Resource": "arn:aws:s3:::audit-data",
                  "Condition": {"StringLike": {"s3:prefix": "${aws:PrincipalTag/tenant}/*"}}"#;

/// One mistake per code: the line of the base world it changes.
const MISTAKES: [(&str, &str, &str); 14] = [
    (
        "XA001",
        "AllowUnauthenticatedIdentities: false",
        "AllowUnauthenticatedIdentities: true",
    ),
    ("XA002", "    AllowClassicFlow: false\n", ""),
    ("XA003", AUD, ""),
    ("XA004", AMR, "}"),
    (
        "XA005",
        "AmbiguousRoleResolution: Deny",
        "AmbiguousRoleResolution: AuthenticatedRole",
    ),
    (
        "XA006",
        "WriteAttributes: [email]",
        "WriteAttributes: [email, custom:tenant_id]",
    ),
    ("XA007", "UseDefaults: false", "UseDefaults: true"),
    (
        "XA008",
        "AllowAdminCreateUserOnly: true",
        "AllowAdminCreateUserOnly: false",
    ),
    (
        "XA009",
        "ServerSideTokenCheck: true",
        "ServerSideTokenCheck: false",
    ),
    (
        "XA010",
        r#""ForAllValues:StringEquals": {"dynamodb:LeadingKeys""#,
        r#""ForAnyValue:StringEquals": {"dynamodb:LeadingKeys""#,
    ),
    (
        "XA011",
        r#"{"StringLike": {"s3:prefix""#,
        r#"{"StringLikeIfExists": {"s3:prefix""#,
    ),
    ("XA012", NULL_GUARD, "}"),
    ("XA013", PREFIX_STATEMENT, r#""Resource": "*""#),
    (
        "XA014",
        "WriteAttributes: [email]",
        "WriteAttributes: [email]\n        IdTokenValidity: 2",
    ),
];

#[tokio::test]
async fn the_secure_base_world_yields_no_finding_and_no_warning() {
    let outcome = audit_file(&Path::new(FIXTURE).join("matrix.yaml"), signing_as(AUDITOR)).await;
    assert_eq!(outcome.findings, [], "{outcome:#?}");
    assert_eq!(outcome.warnings, []);
    assert_eq!(outcome.skipped, None);
}

#[tokio::test]
async fn each_mistake_yields_exactly_its_finding_code() {
    for (code, from, to) in MISTAKES {
        let outcome = audit_base_with(from, to, "").await;
        assert_eq!(codes(&outcome), [code], "{code}: {outcome:#?}");
        assert_eq!(outcome.warnings, [], "{code}");
        let finding = &outcome.findings[0];
        assert_eq!(finding.severity, finding.code.default_severity());
    }
}

#[tokio::test]
async fn a_mistake_in_a_trust_policy_names_the_role_and_what_is_missing() {
    let outcome = audit_base_with(AUD, "", "").await;
    let finding = &outcome.findings[0];
    assert_eq!(finding.code, FindingCode::TrustWithoutAud);
    assert_eq!(
        finding.subject,
        "arn:aws:iam::111122223333:role/AuditTenantAcme"
    );
    assert!(
        finding
            .detail
            .contains("no cognito-identity.amazonaws.com:aud condition"),
        "{}",
        finding.detail
    );
    assert_eq!(finding.severity, Severity::High);
}

/// A Token mapping hands out the roles of the user's groups, so the audit reads the pool's
/// groups (ListGroups) and audits their roles though no scenario user names them.
#[tokio::test]
async fn a_group_role_a_token_mapping_hands_out_is_audited_though_no_user_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let world = std::fs::read_to_string(Path::new(FIXTURE).join("world.yaml")).unwrap();
    let group_role = r#"    - RoleName: AuditGroupRole
      AssumeRolePolicyDocument: |
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "cognito-identity.amazonaws.com"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}}]}
  users:
"#;
    let rules = world.find("        Type: Rules").expect("the base mapping");
    let end = world[rules..]
        .find("    PrincipalTags:")
        .expect("after the mapping")
        + rules;
    let world = format!(
        "{}        Type: Token\n        AmbiguousRoleResolution: Deny\n{}",
        &world[..rules],
        &world[end..]
    );
    let world = world
        .replacen("  users:\n", group_role, 1)
        .replacen(
            "    Users:\n      - Username: alice",
            "    Groups:\n      - {GroupName: auditors, RoleArn: \"arn:aws:iam::111122223333:role/AuditGroupRole\"}\n    Users:\n      - Username: alice",
            1,
        );
    std::fs::write(dir.path().join("world.yaml"), &world).unwrap();
    let matrix = std::fs::read_to_string(Path::new(FIXTURE).join("matrix.yaml")).unwrap();
    let matrix_path = dir.path().join("matrix.yaml");
    std::fs::write(&matrix_path, matrix).unwrap();
    let outcome = audit_file(&matrix_path, signing_as(AUDITOR)).await;
    assert_eq!(outcome.warnings, [], "{world}");
    let group_findings: Vec<_> = outcome
        .findings
        .iter()
        .filter(|finding| finding.subject == "arn:aws:iam::111122223333:role/AuditGroupRole")
        .map(|finding| finding.code)
        .collect();
    assert_eq!(
        group_findings,
        [FindingCode::TrustWithoutAud],
        "{:?}",
        outcome.findings
    );
}

#[tokio::test]
async fn the_scenario_raises_or_lowers_a_codes_severity() {
    let outcome = audit_base_with(
        "AllowAdminCreateUserOnly: true",
        "AllowAdminCreateUserOnly: false",
        "  severity: {XA008: info, XA001: high}\n",
    )
    .await;
    assert_eq!(codes(&outcome), ["XA008"]);
    assert_eq!(outcome.findings[0].severity, Severity::Info);
    assert_eq!(outcome.high_findings().count(), 0);
}

#[tokio::test]
async fn without_iam_get_role_the_audit_warns_once_naming_the_api_and_reads_the_rest() {
    let outcome = audit_file(
        &Path::new(FIXTURE).join("matrix.yaml"),
        signing_as(AUDITOR_WITHOUT_GET_ROLE),
    )
    .await;
    assert_eq!(outcome.warnings.len(), 1, "{outcome:#?}");
    let warning = &outcome.warnings[0];
    assert_eq!(warning.action, "iam:GetRole");
    assert_eq!(
        warning.resources,
        ["arn:aws:iam::111122223333:role/AuditTenantAcme"]
    );
    assert!(
        warning.error.starts_with("AccessDenied: "),
        "{}",
        warning.error
    );
    assert!(
        warning.line().contains("grant `iam:GetRole`"),
        "{}",
        warning.line()
    );
    // The secret key it signed with is never in a warning.
    assert!(!warning.line().contains(AUDITOR_WITHOUT_GET_ROLE.1));
    // The pools were still read: no finding, because none is there.
    assert_eq!(outcome.findings, []);
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .join("matrix.yaml")
}

#[tokio::test]
async fn the_shipped_scenarios_yield_nothing_above_info_in_under_a_second() {
    for name in [
        "pacific",
        "admin-editor",
        "rules-claim",
        "abac-leading-keys",
        "books",
    ] {
        let outcome = audit_file(&shipped(name), signing_as(AUDITOR)).await;
        assert_eq!(outcome.warnings, [], "{name}");
        let above_info: Vec<_> = outcome
            .findings
            .iter()
            .filter(|finding| finding.severity > Severity::Info)
            .collect();
        assert_eq!(above_info, Vec::<&xtenant::audit::Finding>::new(), "{name}");
        assert!(
            outcome.duration_ms < 1000,
            "{name}: {} ms",
            outcome.duration_ms
        );
    }
}
