//! `xtenant merge`: the evidence files of every shard of one run (`--shard K/N`) read back
//! and joined into the results one unsharded run gives, so that the report writers produce
//! the same reports and the same exit code from them. Shards must come from the same
//! scenario and world (SHA-256), agree on N, all be present and not overlap.

use super::results::{RunResults, RunTiming};
use super::shard::Shard;
use crate::audit::{AuditSection, join_findings};
use crate::probe::ProbeRecord;
use crate::scenario::{Plan, PlannedProbe};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Why shards cannot be merged; each names the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("failed to read evidence `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not xtenant evidence (schema version 1): {message}")]
    Parse { path: PathBuf, message: String },
    #[error(
        "`{path}` is the evidence of an unsharded run (no `run.shard`); merge only the files of `xtenant run --shard K/N`"
    )]
    NotSharded { path: PathBuf },
    #[error(
        "`{path}` is shard {shard} but `{first}` is of {count} shards; merge the shards of one run"
    )]
    ShardCount {
        path: PathBuf,
        shard: Shard,
        first: PathBuf,
        count: usize,
    },
    #[error(
        "`{path}` ran {what} `{found}` but `{first}` ran `{expected}`; merge the shards of one scenario"
    )]
    DifferentFile {
        path: PathBuf,
        first: PathBuf,
        what: &'static str,
        expected: String,
        found: String,
    },
    #[error("`{path}` and `{other}` are both shard {shard}; give each shard once")]
    Duplicate {
        path: PathBuf,
        other: PathBuf,
        shard: Shard,
    },
    #[error("shards {missing} of {count} are missing; give every shard's evidence")]
    Missing { missing: String, count: usize },
    #[error("case `{case}` is in both `{path}` and `{other}`: the shards overlap")]
    Overlap {
        case: String,
        path: PathBuf,
        other: PathBuf,
    },
    #[error("`{path}`: {problem}; merge every shard of one run once")]
    NotAShare { path: PathBuf, problem: String },
    #[error("no evidence file given")]
    Nothing,
}

/// The part of an evidence document the merge reads back; the rest (counts, exit code,
/// selection) is recomputed from the merged results.
#[derive(serde::Deserialize)]
struct ShardEvidence {
    schema_version: u32,
    results: RunResults,
}

/// Reads one shard's evidence file.
pub fn read_shard_evidence(path: &Path) -> Result<RunResults, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Read {
        path: path.to_owned(),
        source,
    })?;
    let parse = |message: String| MergeError::Parse {
        path: path.to_owned(),
        message,
    };
    // serde_json's message names the line and column and never quotes a value.
    let evidence: ShardEvidence =
        serde_json::from_str(&text).map_err(|error| parse(error.to_string()))?;
    if evidence.schema_version != crate::report::EVIDENCE_SCHEMA_VERSION {
        return Err(parse(format!("schema version {}", evidence.schema_version)));
    }
    Ok(evidence.results)
}

/// Joins the shards' results (each with the file it came from) into one run's.
pub fn merge_shards(shards: Vec<(PathBuf, RunResults)>) -> Result<RunResults, MergeError> {
    let shards = check_shards(shards)?;
    let (first_path, first) = &shards[0];
    let plan = whole_plan(&shards)?;
    let position: HashMap<&str, usize> = plan
        .probes
        .iter()
        .enumerate()
        .map(|(index, probe)| (probe.name.0.as_str(), index))
        .collect();
    // Each planned record with the re-runs that follow it; what else a shard added (the
    // basic-flow cases on roles seen in the run) goes last, as in an unsharded run.
    let mut groups: Vec<(usize, Vec<ProbeRecord>)> = Vec::new();
    let mut added = Vec::new();
    let mut seen: HashMap<crate::scenario::SharedName, &Path> = HashMap::new();
    for (path, results) in &shards {
        for record in &results.records {
            if let Some(other) = seen.insert(record.name.0.clone(), path) {
                return Err(MergeError::Overlap {
                    case: record.name.to_string(),
                    path: path.clone(),
                    other: other.to_owned(),
                });
            }
            match position.get(record.name.0.as_str()) {
                Some(index) => groups.push((*index, vec![record])),
                None if record.source.is_escalated() && !groups.is_empty() => {
                    groups.last_mut().expect("a group exists").1.push(record)
                }
                None => added.push(record),
            }
        }
    }
    groups.sort_by_key(|(index, _)| *index);
    let mut records: Vec<ProbeRecord> = groups.into_iter().flat_map(|(_, group)| group).collect();
    records.extend(added);

    // Users and role cases in scenario order, as the shards recorded it.
    let scenario_users: &[String] = first
        .run
        .as_ref()
        .map_or(&[], |run| run.scenario_users.as_slice());
    let user_rank = |user: &str| {
        scenario_users
            .iter()
            .position(|listed| listed == user)
            .unwrap_or(usize::MAX)
    };
    // A user's evidence comes from the shard that ran its cases: a victim of another
    // share's identity-swap case signed in there too, and appears once.
    let owner: HashMap<crate::scenario::SharedName, usize> = shards
        .iter()
        .enumerate()
        .flat_map(|(shard, (_, results))| {
            results
                .records
                .iter()
                .map(move |record| (record.user, shard))
        })
        .collect();
    let mut users = Vec::new();
    let mut listed = HashSet::new();
    for (shard, (_, results)) in shards.iter().enumerate() {
        for user in &results.users {
            if owner
                .get(user.user.as_str())
                .is_none_or(|owner| *owner == shard)
                && listed.insert(user.user.clone())
            {
                users.push(user.clone());
            }
        }
    }
    users.sort_by_key(|user| user_rank(&user.user));
    let mut role_cases: Vec<_> = shards
        .iter()
        .flat_map(|(_, r)| r.role_cases.clone())
        .collect();
    role_cases.sort_by_key(|case| user_rank(&case.user));
    let mut role_users = HashSet::new();
    for case in &role_cases {
        if !role_users.insert(case.user.clone()) {
            return Err(MergeError::Overlap {
                case: case.name.clone(),
                path: first_path.clone(),
                other: first_path.clone(),
            });
        }
    }

    let mut cleanup = super::backend::CleanupSummary::default();
    for (_, results) in &shards {
        cleanup.removed += results.cleanup.removed;
        cleanup
            .failures
            .extend(results.cleanup.failures.iter().cloned());
    }
    let mut run = first.run.clone();
    if let Some(run) = run.as_mut() {
        run.shard = None;
        run.scenario_users = Vec::new();
    }
    let mut merged = RunResults {
        scenario: first.scenario.clone(),
        plan: plan.clone(),
        records: records.into(),
        users,
        role_cases,
        cleanup,
        timing: span(shards.iter().map(|(_, results)| &results.timing)),
        interrupted: shards.iter().any(|(_, results)| results.interrupted),
        run,
        audit: None,
        waivers: Default::default(),
        redactor: first.redactor.clone(),
    };
    // Each shard judged the waivers on its own records; judged again on all of them, on
    // the first shard's day, a waiver is stale only if no shard had a finding it covers.
    if let Some(day) = first.waivers.as_of {
        let plan = merged.plan.clone();
        merged.waivers = super::waiver_review::apply_waivers(&plan, &mut merged.records, day).0;
    }
    // Every shard audited the same identity layer; its findings are joined again with
    // every shard's cases, as one run joins them with its own.
    merged.audit = first.audit.as_ref().map(|audit| {
        let findings: Vec<_> = audit
            .findings
            .iter()
            .map(|joined| joined.finding.clone())
            .collect();
        AuditSection {
            findings: join_findings(&findings, &merged),
            warnings: audit.warnings.clone(),
            skipped: audit.skipped.clone(),
            duration_ms: audit.duration_ms,
        }
    });
    Ok(merged)
}

/// The plan of the unsharded run: the first shard's when it holds the whole plan; the
/// shards' share plans (`Shard::share_plan`) put back in plan order otherwise.
fn whole_plan(shards: &[(PathBuf, RunResults)]) -> Result<std::sync::Arc<Plan>, MergeError> {
    let (first_path, first) = &shards[0];
    let Some(first_share) = &first.plan.share else {
        return Ok(first.plan.clone());
    };
    let mut placed: Vec<(usize, &PlannedProbe)> = Vec::with_capacity(first_share.planned_probes);
    for (path, results) in shards {
        let share = results.plan.share.as_ref().filter(|share| {
            share.planned_probes == first_share.planned_probes
                && share.positions.len() == results.plan.probes.len()
        });
        let Some(share) = share else {
            return Err(MergeError::NotAShare {
                path: path.clone(),
                problem: format!(
                    "its plan is not a share of the {}-case plan of `{}`",
                    first_share.planned_probes,
                    first_path.display()
                ),
            });
        };
        placed.extend(share.positions.iter().copied().zip(&results.plan.probes));
    }
    placed.sort_by_key(|(position, _)| *position);
    let whole = placed.len() == first_share.planned_probes
        && placed
            .iter()
            .enumerate()
            .all(|(index, (position, _))| index == *position);
    if !whole {
        return Err(MergeError::NotAShare {
            path: first_path.clone(),
            problem: format!(
                "the shards' plans do not add up to the whole {}-case plan",
                first_share.planned_probes
            ),
        });
    }
    Ok(std::sync::Arc::new(Plan {
        probes: placed.into_iter().map(|(_, probe)| probe.clone()).collect(),
        not_exercised: first.plan.not_exercised.clone(),
        waivers: first.plan.waivers.clone(),
        lines: first.plan.lines.clone(),
        share: None,
    }))
}

/// Checks that the shards are the N shares of one scenario's run; returns them by K.
fn check_shards(
    shards: Vec<(PathBuf, RunResults)>,
) -> Result<Vec<(PathBuf, RunResults)>, MergeError> {
    let shard_of = |path: &Path, results: &RunResults| {
        results
            .run
            .as_ref()
            .and_then(|run| run.shard)
            .ok_or_else(|| MergeError::NotSharded {
                path: path.to_owned(),
            })
    };
    let Some((first_path, first)) = shards.first() else {
        return Err(MergeError::Nothing);
    };
    let count = shard_of(first_path, first)?.count;
    let digest = |results: &RunResults, world: bool| {
        results
            .run
            .as_ref()
            .and_then(|run| {
                if world {
                    run.world_file.as_ref().and_then(|file| file.sha256.clone())
                } else {
                    run.scenario_file.sha256.clone()
                }
            })
            .unwrap_or_else(|| "unknown".to_owned())
    };
    let mut by_index: HashMap<usize, PathBuf> = HashMap::new();
    for (path, results) in &shards {
        let shard = shard_of(path, results)?;
        if shard.count != count {
            return Err(MergeError::ShardCount {
                path: path.clone(),
                shard,
                first: first_path.clone(),
                count,
            });
        }
        for (what, world) in [("scenario (SHA-256)", false), ("world (SHA-256)", true)] {
            let (expected, found) = (digest(first, world), digest(results, world));
            if expected != found || expected == "unknown" && !world {
                return Err(MergeError::DifferentFile {
                    path: path.clone(),
                    first: first_path.clone(),
                    what,
                    expected,
                    found,
                });
            }
        }
        if let Some(other) = by_index.insert(shard.index, path.clone()) {
            return Err(MergeError::Duplicate {
                path: path.clone(),
                other,
                shard,
            });
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|index| !by_index.contains_key(index))
        .map(|index| index.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing {
            missing: missing.join(", "),
            count,
        });
    }
    let mut shards = shards;
    shards.sort_by_key(|(path, results)| shard_of(path, results).map_or(0, |shard| shard.index));
    Ok(shards)
}

/// From the first start to the last finish.
fn span<'a>(timings: impl Iterator<Item = &'a RunTiming>) -> RunTiming {
    let parse = |text: &str| OffsetDateTime::parse(text, &Rfc3339).ok();
    let timings: Vec<&RunTiming> = timings.collect();
    let started = timings
        .iter()
        .filter_map(|timing| parse(&timing.started_at))
        .min();
    let finished = timings
        .iter()
        .filter_map(|timing| parse(&timing.finished_at))
        .max();
    let format = |at: Option<OffsetDateTime>| {
        at.and_then(|at| at.format(&Rfc3339).ok())
            .unwrap_or_else(|| "unknown".to_owned())
    };
    let duration_ms = match (started, finished) {
        (Some(started), Some(finished)) => {
            u64::try_from((finished - started).whole_milliseconds()).unwrap_or(0)
        }
        _ => timings
            .iter()
            .map(|timing| timing.duration_ms)
            .max()
            .unwrap_or(0),
    };
    RunTiming {
        started_at: format(started),
        finished_at: format(finished),
        duration_ms,
    }
}
