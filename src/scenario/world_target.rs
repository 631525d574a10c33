//! Reads, from a local staging world file, the few things a `local` target needs: region,
//! user pool id, app client id (and secret), identity pool id. The world file is read as
//! plain YAML with the field names of `docs/world.md`; the harness never imports the
//! emulator's own world model, and local staging validates the whole file when it starts.

use crate::secret::SecretString;
use serde_yaml::Value;
use std::path::Path;

/// The target ids a world file provides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldTarget {
    pub region: String,
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub identity_pool_id: String,
}

/// Which scenario key a world problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorldTargetKey {
    Local,
    /// The world file itself is broken (not YAML, not UTF-8, a required key missing):
    /// the world's own diagnostics say where, so the scenario only notes it.
    Unloadable,
    UserPool,
    Client,
    IdentityPool,
}

/// Why the world file cannot give the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldTargetProblem {
    pub key: WorldTargetKey,
    pub message: String,
    pub help: String,
}

/// What the scenario asks of the world: each selector names an entry by id or by name and
/// may be left out when the world has exactly one.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorldSelectors<'a> {
    pub user_pool: Option<&'a str>,
    pub client: Option<&'a str>,
    pub identity_pool: Option<&'a str>,
    /// `attacks.foreign_pool`: the tester's pool, never the application's, so it is left
    /// out when the application's pool is picked as the only one.
    pub foreign_identity_pool: Option<&'a str>,
}

pub fn resolve(
    path: &Path,
    selectors: WorldSelectors<'_>,
) -> Result<WorldTarget, WorldTargetProblem> {
    let local = |message: String, help: &str| WorldTargetProblem {
        key: WorldTargetKey::Local,
        message,
        help: help.to_string(),
    };
    // serde_yaml's message can quote the file (a password included), so it is never shown
    // here: the world's own diagnostics locate the problem and mask what they must.
    let unloadable = || WorldTargetProblem {
        key: WorldTargetKey::Unloadable,
        message: format!("world file `{}` does not load", path.display()),
        help: "its own diagnostics say why (`xtenant validate` shows them)".to_string(),
    };
    let bytes = std::fs::read(path).map_err(|error| {
        local(
            format!("failed to read world file `{}`: {error}", path.display()),
            "`local` is a path relative to the scenario file",
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| unloadable())?;
    let world: Value = serde_yaml::from_str(&text).map_err(|_| unloadable())?;
    let region = world
        .get("region")
        .and_then(Value::as_str)
        .ok_or_else(unloadable)?
        .to_string();
    let pools = entries(&world, "user_pools");
    let pool = pick(
        &pools,
        selectors.user_pool,
        &["Id", "PoolName"],
        "user pool",
        "user_pools",
        WorldTargetKey::UserPool,
        "`target.user_pool.id`",
    )?;
    let clients = entries(pool, "Clients");
    let client = pick(
        &clients,
        selectors.client,
        &["ClientId", "ClientName"],
        "app client",
        "Clients",
        WorldTargetKey::Client,
        "`target.user_pool.client_id`",
    )?;
    let identity_pools: Vec<&Value> = entries(&world, "identity_pools")
        .into_iter()
        .filter(|pool| {
            selectors.foreign_identity_pool.is_none()
                || pool.get("IdentityPoolId").and_then(Value::as_str)
                    != selectors.foreign_identity_pool
        })
        .collect();
    let identity_pool = pick(
        &identity_pools,
        selectors.identity_pool,
        &["IdentityPoolId", "IdentityPoolName"],
        "identity pool",
        "identity_pools",
        WorldTargetKey::IdentityPool,
        "`target.identity_pool.id`",
    )?;
    let field = |entry: &Value, name: &str| {
        entry
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| WorldTargetProblem {
                key: WorldTargetKey::Unloadable,
                message: format!("the world's entry has no `{name}`"),
                help: "its own diagnostics say why (`xtenant validate` shows them)".to_string(),
            })
    };
    Ok(WorldTarget {
        region,
        user_pool_id: field(pool, "Id")?,
        client_id: field(client, "ClientId")?,
        client_secret: client
            .get("ClientSecret")
            .and_then(Value::as_str)
            .map(SecretString::new),
        identity_pool_id: field(identity_pool, "IdentityPoolId")?,
    })
}

/// The world file a scenario's `target.local` names, resolved against the scenario's
/// folder, read as plain YAML so it is found even when the scenario has other problems.
pub fn local_world_of(scenario_file: &Path) -> Option<std::path::PathBuf> {
    let text = std::fs::read_to_string(scenario_file).ok()?;
    let scenario: Value = serde_yaml::from_str(&text).ok()?;
    let local = scenario.get("target")?.get("local")?.as_str()?;
    Some(scenario_file.parent().unwrap_or(Path::new(".")).join(local))
}

fn entries<'v>(parent: &'v Value, key: &str) -> Vec<&'v Value> {
    parent
        .get(key)
        .and_then(Value::as_sequence)
        .map(|items| items.iter().collect())
        .unwrap_or_default()
}

fn pick<'v>(
    items: &[&'v Value],
    selector: Option<&str>,
    fields: &[&str],
    what: &str,
    section: &str,
    key: WorldTargetKey,
    scenario_key: &str,
) -> Result<&'v Value, WorldTargetProblem> {
    let label = |item: &Value| {
        fields
            .iter()
            .filter_map(|f| item.get(*f).and_then(Value::as_str))
            .next()
            .unwrap_or("?")
            .to_string()
    };
    let names: Vec<String> = items
        .iter()
        .map(|item| format!("`{}`", label(item)))
        .collect();
    match selector {
        Some(wanted) => items
            .iter()
            .copied()
            .find(|item| {
                fields
                    .iter()
                    .any(|f| item.get(*f).and_then(Value::as_str) == Some(wanted))
            })
            .ok_or_else(|| WorldTargetProblem {
                key,
                message: format!("the world file has no {what} `{wanted}`"),
                help: if names.is_empty() {
                    format!("the world file's `{section}` is empty")
                } else {
                    format!("{what}s in the world file: {}", names.join(", "))
                },
            }),
        None => match items {
            [only] => Ok(*only),
            [] => Err(WorldTargetProblem {
                key: WorldTargetKey::Local,
                message: format!("the world file has no {what}"),
                help: format!("add one under `{section}` in the world file"),
            }),
            _ => Err(WorldTargetProblem {
                key: WorldTargetKey::Local,
                message: format!("the world file has {} {what}s", items.len()),
                help: format!("name one with {scenario_key}: {}", names.join(", ")),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORLD: &str = "account_id: '123456789012'\nregion: eu-west-1\nuser_pools:\n  - Id: eu-west-1_Pacific1\n    PoolName: pacific\n    Clients:\n      - {ClientId: web123, ClientName: web}\n      - {ClientId: cli456, ClientName: cli, ClientSecret: s3cr3t}\nidentity_pools:\n  - {IdentityPoolId: 'eu-west-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', IdentityPoolName: pacific}\n";

    fn world_file() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.yaml");
        std::fs::write(&path, WORLD).unwrap();
        (dir, path)
    }

    #[test]
    fn picks_the_only_pool_and_the_named_client() {
        let (_dir, path) = world_file();
        let target = resolve(
            &path,
            WorldSelectors {
                client: Some("cli"),
                foreign_identity_pool: None,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(target.region, "eu-west-1");
        assert_eq!(target.user_pool_id, "eu-west-1_Pacific1");
        assert_eq!(target.client_id, "cli456");
        assert_eq!(target.client_secret.unwrap().expose(), "s3cr3t");
        assert!(target.identity_pool_id.starts_with("eu-west-1:"));
    }

    #[test]
    fn several_clients_without_a_selector_is_an_error_listing_them() {
        let (_dir, path) = world_file();
        let problem = resolve(&path, WorldSelectors::default()).unwrap_err();
        assert!(problem.message.contains("2 app clients"), "{problem:?}");
        assert!(problem.help.contains("`web123`") && problem.help.contains("`cli456`"));
    }

    #[test]
    fn unknown_selectors_and_missing_files_are_errors() {
        let (_dir, path) = world_file();
        let problem = resolve(
            &path,
            WorldSelectors {
                user_pool: Some("atlantic"),
                client: Some("web"),
                identity_pool: None,
                foreign_identity_pool: None,
            },
        )
        .unwrap_err();
        assert_eq!(problem.key, WorldTargetKey::UserPool);
        let problem = resolve(
            Path::new("/nonexistent/world.yaml"),
            WorldSelectors::default(),
        )
        .unwrap_err();
        assert_eq!(problem.key, WorldTargetKey::Local);
    }
}
