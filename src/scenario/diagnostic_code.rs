//! Stable codes for every kind of scenario and world file mistake. A code never changes
//! meaning once released, so users can search for it; `docs/scenario.md` lists them all
//! (`docs/world.md` those of world files).

use std::fmt;

/// The kind of a scenario diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DiagnosticCode {
    /// The file could not be read.
    UnreadableFile,
    /// The file is not valid YAML.
    YamlSyntax,
    /// YAML the format does not use: tags, non-string keys, several documents.
    UnsupportedYaml,
    /// The file is not valid UTF-8.
    InvalidUtf8,
    /// A key the format does not know.
    UnknownKey,
    /// A value of the wrong type.
    WrongType,
    /// A required key is missing.
    MissingKey,
    /// A value outside its fixed set of choices.
    InvalidChoice,
    /// A key written twice in the same mapping.
    DuplicateKey,
    /// Keys that exclude each other, or a choice among keys left unmade.
    ConflictingKeys,
    /// A user names a tenant the scenario does not define.
    UndefinedTenant,
    /// A reference to a user the scenario does not define.
    UndefinedUser,
    /// A reference to a resource the scenario does not define.
    UndefinedResource,
    /// The same tenant, action, username or cell given twice.
    Duplicate,
    /// An explicit cell names a probe the plan does not have.
    UnknownProbe,
    /// A pattern that matches nothing.
    PatternMatchesNothing,
    /// A template with an unknown or malformed placeholder.
    BadTemplate,
    /// A resource whose templates do not depend on the tenant.
    TenantIndependentResource,
    /// A malformed ARN.
    MalformedArn,
    /// A malformed S3 bucket name.
    MalformedBucketName,
    /// A malformed AWS region.
    MalformedRegion,
    /// A malformed DynamoDB table name or key.
    MalformedTableKey,
    /// A malformed S3 object key or prefix.
    MalformedObjectKey,
    /// A malformed Secrets Manager secret id.
    MalformedSecretId,
    /// A malformed user pool id, app client id or identity pool id.
    MalformedPoolId,
    /// A tenant, user or resource name that cannot appear in a probe name.
    MalformedName,
    /// A malformed environment variable name or file path of a secret reference.
    MalformedSecretReference,
    /// A value that must say something is blank (a waiver's reason or ticket).
    BlankValue,
    /// A date that is not `YYYY-MM-DD` (a waiver's `expires`).
    MalformedDate,
    /// An action that is not in the probe table, or belongs to another service.
    UnknownAction,
    /// A user whose settings cannot work together with the target (for example the basic
    /// flow without a role to assume).
    UnusableUser,
    /// The scenario expands to no probe at all.
    EmptyPlan,
    /// An override rule that applies to no probe.
    OverrideMatchesNothing,
    /// The local staging world file cannot give the target it is asked for.
    WorldTarget,
    /// The local staging world file does not load; its own diagnostics say why.
    WorldUnloadable,
    /// A world value local staging cannot use (an id, a reference, a policy, a value).
    WorldValue,
    /// A world document (policy, JWKS) written as a JSON string that is not JSON.
    WorldJsonString,
}

impl DiagnosticCode {
    /// The stable code, for example `X0101`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::UnreadableFile => "X0001",
            DiagnosticCode::YamlSyntax => "X0002",
            DiagnosticCode::UnsupportedYaml => "X0003",
            DiagnosticCode::InvalidUtf8 => "X0004",
            DiagnosticCode::UnknownKey => "X0101",
            DiagnosticCode::WrongType => "X0102",
            DiagnosticCode::MissingKey => "X0103",
            DiagnosticCode::InvalidChoice => "X0104",
            DiagnosticCode::DuplicateKey => "X0105",
            DiagnosticCode::ConflictingKeys => "X0106",
            DiagnosticCode::UndefinedTenant => "X0201",
            DiagnosticCode::UndefinedUser => "X0202",
            DiagnosticCode::UndefinedResource => "X0203",
            DiagnosticCode::Duplicate => "X0204",
            DiagnosticCode::UnknownProbe => "X0205",
            DiagnosticCode::PatternMatchesNothing => "X0206",
            DiagnosticCode::BadTemplate => "X0301",
            DiagnosticCode::TenantIndependentResource => "X0302",
            DiagnosticCode::MalformedArn => "X0401",
            DiagnosticCode::MalformedBucketName => "X0402",
            DiagnosticCode::MalformedRegion => "X0403",
            DiagnosticCode::MalformedTableKey => "X0404",
            DiagnosticCode::MalformedObjectKey => "X0405",
            DiagnosticCode::MalformedSecretId => "X0406",
            DiagnosticCode::MalformedPoolId => "X0407",
            DiagnosticCode::MalformedName => "X0408",
            DiagnosticCode::MalformedSecretReference => "X0409",
            DiagnosticCode::BlankValue => "X0410",
            DiagnosticCode::MalformedDate => "X0411",
            DiagnosticCode::UnknownAction => "X0501",
            DiagnosticCode::UnusableUser => "X0502",
            DiagnosticCode::EmptyPlan => "X0601",
            DiagnosticCode::OverrideMatchesNothing => "X0602",
            DiagnosticCode::WorldTarget => "X0701",
            DiagnosticCode::WorldUnloadable => "X0702",
            DiagnosticCode::WorldValue => "X0801",
            DiagnosticCode::WorldJsonString => "X0802",
        }
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
