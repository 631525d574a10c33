//! What exactly a run tested, for the evidence and the report headers: the kind of target
//! (local staging is never mistakable for an AWS account), region, endpoint, pool ids, the
//! SHA-256 of the scenario and world files, the libtest filters, the xtenant build, the
//! command line (scrubbed) and the host.

use crate::identity::AwsTarget;
use crate::redaction::Redactor;
use crate::scenario::Scenario;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Where the run's calls went.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The in-process emulator on 127.0.0.1 (`target: {local: world.yaml}`).
    LocalStaging,
    /// An AWS account (or whatever `AWS_ENDPOINT_URL` / a profile's `endpoint_url` names).
    AwsAccount,
}

impl TargetKind {
    /// The words every report header uses, so that a local run never reads as an account's.
    pub fn description(self) -> &'static str {
        match self {
            TargetKind::LocalStaging => {
                "local staging (the emulator on 127.0.0.1, not an AWS account)"
            }
            TargetKind::AwsAccount => "AWS account",
        }
    }
}

/// The target of the run, as the scenario named it and as the SDK reached it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct TargetEvidence {
    pub kind: TargetKind,
    pub region: String,
    /// `AWS_REGION` (or `AWS_DEFAULT_REGION`) when it is set and differs from `region`: the
    /// run ignores it, since the scenario's region decides, and says so.
    pub ignored_environment_region: Option<String>,
    /// The endpoint the clients really sent to: local staging's, `AWS_ENDPOINT_URL` or a
    /// profile's `endpoint_url`; `None` for AWS's own endpoints.
    pub endpoint_url: Option<String>,
    pub user_pool_id: String,
    pub app_client_id: String,
    pub identity_pool_id: String,
}

/// A file the run read, by path and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct FileDigest {
    pub path: String,
    /// Hex SHA-256 of the file's bytes; `None` when it could not be read again.
    pub sha256: Option<String>,
}

impl FileDigest {
    pub fn of(path: &Path) -> FileDigest {
        FileDigest {
            path: path.display().to_string(),
            sha256: std::fs::read(path)
                .ok()
                .map(|bytes| hex::encode(Sha256::digest(bytes))),
        }
    }
}

/// The libtest arguments that selected the run's cases (see [`super::SelectionSummary`]).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct SelectionFilters {
    pub filter: Option<String>,
    pub skip: Vec<String>,
    pub exact: bool,
}

impl SelectionFilters {
    pub fn from_libtest(arguments: &libtest_mimic::Arguments) -> SelectionFilters {
        SelectionFilters {
            filter: arguments.filter.clone(),
            skip: arguments.skip.clone(),
            exact: arguments.exact,
        }
    }
}

/// The build of xtenant that ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct BuildEvidence {
    pub version: String,
    pub commit: String,
}

impl Default for BuildEvidence {
    fn default() -> BuildEvidence {
        BuildEvidence {
            version: crate::build_info::VERSION.to_owned(),
            commit: crate::build_info::COMMIT.to_owned(),
        }
    }
}

/// Everything the evidence says about how the run was made, besides its results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct RunMetadata {
    pub target: TargetEvidence,
    pub scenario_file: FileDigest,
    /// The world file of a local staging target.
    pub world_file: Option<FileDigest>,
    pub filters: SelectionFilters,
    pub xtenant: BuildEvidence,
    /// The process's arguments, each scrubbed through the run's redactor.
    pub command_line: Vec<String>,
    pub host: String,
    /// `--shard K/N`: this run tested one share of the plan; `xtenant merge` joins the
    /// shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<super::shard::Shard>,
    /// With `shard`: every user of the scenario in scenario order, so that the merge lists
    /// users and role cases as one run does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenario_users: Vec<String>,
}

impl RunMetadata {
    /// The metadata of a run of `scenario` against `aws`, whose clients resolved
    /// `endpoint_url`; the command line is this process's, scrubbed through `redactor`.
    pub fn new(
        scenario: &Scenario,
        aws: &AwsTarget,
        local: bool,
        endpoint_url: Option<&str>,
        redactor: &Redactor,
    ) -> RunMetadata {
        let environment_region = ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()));
        RunMetadata {
            target: TargetEvidence {
                kind: if local {
                    TargetKind::LocalStaging
                } else {
                    TargetKind::AwsAccount
                },
                region: aws.region.clone(),
                ignored_environment_region: environment_region
                    .filter(|region| *region != aws.region),
                endpoint_url: endpoint_url.map(str::to_owned),
                user_pool_id: scenario.target.user_pool.id.clone(),
                app_client_id: scenario.target.user_pool.client_id.clone(),
                identity_pool_id: scenario.target.identity_pool.id.clone(),
            },
            scenario_file: FileDigest::of(&scenario.file),
            world_file: scenario.target.local_world.as_deref().map(FileDigest::of),
            filters: SelectionFilters::default(),
            xtenant: BuildEvidence::default(),
            command_line: std::env::args()
                .map(|argument| redactor.scrub(&argument))
                .collect(),
            host: host_name(),
            shard: None,
            scenario_users: Vec::new(),
        }
    }

    /// One line for the HTML and Markdown headers: target kind first, then where and what.
    pub fn header_line(&self, accounts: &[String]) -> String {
        let target = &self.target;
        let mut parts = vec![
            format!("Target: {}", target.kind.description()),
            format!("region {}", target.region),
        ];
        if let Some(ignored) = &target.ignored_environment_region {
            parts.push(format!("AWS_REGION {ignored} ignored"));
        }
        parts.push(format!(
            "account {}",
            if accounts.is_empty() {
                "unknown (no caller identity)".to_owned()
            } else {
                accounts.join(", ")
            }
        ));
        parts.push(format!(
            "endpoint {}",
            target.endpoint_url.as_deref().unwrap_or("AWS default")
        ));
        parts.push(format!("user pool {}", target.user_pool_id));
        parts.push(format!("app client {}", target.app_client_id));
        parts.push(format!("identity pool {}", target.identity_pool_id));
        parts.push(format!(
            "scenario sha256 {}",
            self.scenario_file.sha256.as_deref().unwrap_or("unreadable")
        ));
        if let Some(world) = &self.world_file {
            parts.push(format!(
                "world sha256 {}",
                world.sha256.as_deref().unwrap_or("unreadable")
            ));
        }
        parts.push(format!(
            "xtenant {} (commit {})",
            self.xtenant.version, self.xtenant.commit
        ));
        parts.push(format!("host {}", self.host));
        parts.join(" · ")
    }
}

/// The machine's host name: `HOSTNAME`, then the kernel's, else "unknown".
fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_digest_is_the_sha256_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("matrix.yaml");
        std::fs::write(&file, "abc").unwrap();
        assert_eq!(
            FileDigest::of(&file).sha256.as_deref(),
            // SHA-256("abc"), FIPS 180-2 appendix B.1.
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(FileDigest::of(&dir.path().join("gone")).sha256, None);
    }

    #[test]
    fn the_header_says_local_staging_is_not_an_aws_account() {
        assert!(
            TargetKind::LocalStaging
                .description()
                .contains("not an AWS account")
        );
        assert_eq!(TargetKind::AwsAccount.description(), "AWS account");
    }
}
