//! The shipped scenarios (`scenarios/*/`) and the broken fixture worlds
//! (`tests/fixtures/worlds/*/`), end to end through the real AWS SDK clients: each world
//! loads and local staging starts; every user of the matching matrix signs in
//! (USER_PASSWORD_AUTH), exchanges the ID token at the identity pool (GetId and
//! GetCredentialsForIdentity, the enhanced flow) and is checked with GetCallerIdentity to
//! hold the matrix's expected `role`; then every probe of the matrix is made with the
//! real SDK call and compared with the matrix's expectation.
//!
//! The matrix is read loosely with `serde_yaml::Value` (the cross-tenant rule, overrides
//! and cells as the scenario format defines them) so that this module does not depend on
//! the scenario loader. A shipped world must hold every expectation; a broken world must
//! breach exactly the probes its `README.md` lists, and fail no other expectation.

use crate::support::{self, credentials, sdk_config};
use aws_sdk_cognitoidentity::Client as IdentityClient;
use aws_sdk_cognitoidentityprovider::Client as UserPoolClient;
use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;
use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_s3::primitives::ByteStream;
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;
use xtenant::sim::{LocalStaging, World};

/// The time one world may take, sign-ins and probes together.
const WORLD_BUDGET: Duration = Duration::from_secs(30);

/// The repository root, where `scenarios/` and `tests/` live.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `world.yaml` with a `matrix.yaml` beside it under `dir`, by folder name.
fn world_folders(dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.join("world.yaml").is_file() && path.join("matrix.yaml").is_file())
        .collect();
    folders.sort();
    folders
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    value.and_then(Value::as_sequence).map(|items| {
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    })
}

/// Override patterns: literal text where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|skip| {
                    text.is_char_boundary(head.len() + skip)
                        && glob(tail, &text[head.len() + skip..])
                })
        }
    }
}

fn any_glob(patterns: &Option<Vec<String>>, text: &str) -> bool {
    patterns
        .as_ref()
        .is_none_or(|patterns| patterns.iter().any(|p| glob(p, text)))
}

/// A matrix user.
#[derive(Debug)]
struct MatrixUser {
    name: String,
    tenant: Option<String>,
    username: String,
    /// `None` for guests.
    password: Option<String>,
    role: Option<String>,
}

/// What a probe touches, with `{tenant}` already substituted.
#[derive(Debug, Clone)]
enum Target {
    S3Object {
        bucket: String,
        key: String,
    },
    S3Prefix {
        bucket: String,
        prefix: String,
    },
    DynamoDbItem {
        table: String,
        key: Vec<(String, AttributeValue)>,
    },
    Secret {
        id: String,
    },
}

#[derive(Debug, Clone)]
struct Probe {
    name: String,
    user: usize,
    target: Target,
    action: String,
    expect_allow: bool,
}

/// A matrix expanded into probes, as the scenario format defines it: every user × tenant ×
/// resource × action; own tenant allowed and other tenants denied, then each matching
/// override in order, then a matching cell.
#[derive(Debug)]
struct Matrix {
    users: Vec<MatrixUser>,
    probes: Vec<Probe>,
}

fn key_attribute(value: &Value, tenant: &str) -> (String, AttributeValue) {
    let name = text(value, "name").expect("key attribute name").to_string();
    let attribute = match (text(value, "S"), text(value, "N")) {
        (Some(s), None) => AttributeValue::S(s.replace("{tenant}", tenant)),
        (None, Some(n)) => AttributeValue::N(n.replace("{tenant}", tenant)),
        _ => panic!("key attribute `{name}` needs exactly one of S or N"),
    };
    (name, attribute)
}

fn target(resource: &Value, tenant: &str) -> Target {
    let sub = |value: &Value, key: &str| {
        text(value, key)
            .unwrap_or_else(|| panic!("resource field `{key}` missing"))
            .replace("{tenant}", tenant)
    };
    if let Some(object) = resource.get("s3_object") {
        Target::S3Object {
            bucket: sub(object, "bucket"),
            key: sub(object, "key"),
        }
    } else if let Some(prefix) = resource.get("s3_prefix") {
        Target::S3Prefix {
            bucket: sub(prefix, "bucket"),
            prefix: sub(prefix, "prefix"),
        }
    } else if let Some(item) = resource.get("dynamodb_item") {
        let mut key = vec![key_attribute(
            item.get("partition_key").expect("partition_key"),
            tenant,
        )];
        if let Some(sort) = item.get("sort_key") {
            key.push(key_attribute(sort, tenant));
        }
        Target::DynamoDbItem {
            table: sub(item, "table"),
            key,
        }
    } else if let Some(secret) = resource.get("secret") {
        Target::Secret {
            id: sub(secret, "id"),
        }
    } else {
        panic!("resource kind not supported here: {resource:?}")
    }
}

impl Matrix {
    fn read(path: &Path) -> Matrix {
        let raw = yaml(path);
        let tenants = strings(raw.get("tenants")).expect("tenants");
        let mut users = Vec::new();
        for (name, user) in raw.get("users").and_then(Value::as_mapping).expect("users") {
            let name = name.as_str().expect("user name").to_string();
            let guest = user.get("guest").and_then(Value::as_bool).unwrap_or(false);
            users.push(MatrixUser {
                tenant: text(user, "tenant").map(str::to_string),
                username: text(user, "username").unwrap_or(&name).to_string(),
                password: if guest {
                    None
                } else {
                    Some(
                        user.get("password")
                            .and_then(|p| text(p, "value"))
                            .unwrap_or_else(|| panic!("user `{name}` needs password.value"))
                            .to_string(),
                    )
                },
                role: text(user, "role").map(str::to_string),
                name,
            });
        }
        let expect = raw.get("expect");
        let overrides: Vec<&Value> = expect
            .and_then(|e| e.get("overrides"))
            .and_then(Value::as_sequence)
            .map(|o| o.iter().collect())
            .unwrap_or_default();
        let cells: BTreeMap<String, bool> = expect
            .and_then(|e| e.get("cells"))
            .and_then(Value::as_sequence)
            .map(|cells| {
                cells
                    .iter()
                    .map(|c| {
                        (
                            text(c, "probe").expect("cell probe").to_string(),
                            text(c, "expect") == Some("allow"),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let resources = raw
            .get("resources")
            .and_then(Value::as_mapping)
            .expect("resources");
        let mut probes = Vec::new();
        for (index, user) in users.iter().enumerate() {
            for tenant in &tenants {
                let own = user.tenant.as_deref() == Some(tenant.as_str());
                for (resource_name, resource) in resources {
                    let resource_name = resource_name.as_str().expect("resource name");
                    for action in strings(resource.get("actions")).expect("actions") {
                        let name = format!("{}::{tenant}/{resource_name}::{action}", user.name);
                        let mut expect_allow = own;
                        for rule in &overrides {
                            let relation_ok = match text(rule, "relation") {
                                None => true,
                                Some("own") => own,
                                Some(_) => !own,
                            };
                            if relation_ok
                                && any_glob(&strings(rule.get("users")), &user.name)
                                && any_glob(&strings(rule.get("tenants")), tenant)
                                && any_glob(&strings(rule.get("resources")), resource_name)
                                && any_glob(&strings(rule.get("actions")), &action)
                            {
                                expect_allow = text(rule, "expect") == Some("allow");
                            }
                        }
                        if let Some(cell) = cells.get(&name) {
                            expect_allow = *cell;
                        }
                        probes.push(Probe {
                            name,
                            user: index,
                            target: target(resource, tenant),
                            action,
                            expect_allow,
                        });
                    }
                }
            }
        }
        Matrix { users, probes }
    }
}

/// How AWS answered a probe.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Allowed,
    Denied,
    /// Anything that is neither: never counts as either expectation.
    Inconclusive(String),
}

/// Access denied, as each service words it: S3 `AccessDenied` (403), DynamoDB and Secrets
/// Manager `AccessDeniedException` (400).
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>,
/// <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html> and
/// <https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html>.
fn classify<T, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<
        T,
        aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
    >,
    allowed_codes: &[&str],
) -> Outcome {
    match result {
        Ok(_) => Outcome::Allowed,
        Err(error) => {
            let status = support::http_status(&error);
            let code = error
                .as_service_error()
                .and_then(|e| e.code())
                .map(str::to_string);
            match code.as_deref() {
                Some("AccessDenied") | Some("AccessDeniedException") => Outcome::Denied,
                Some(code) if allowed_codes.contains(&code) => Outcome::Allowed,
                // HeadObject has no body: a bare 403 is its denial.
                // See <https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html>.
                None if status == Some(403) && allowed_codes.contains(&"403") => Outcome::Denied,
                _ => Outcome::Inconclusive(format!("status {status:?}, code {code:?}")),
            }
        }
    }
}

/// Two calls that must agree (GetItem and Query, PutItem and UpdateItem).
fn both(first: Outcome, second: Outcome) -> Outcome {
    if first == second {
        first
    } else {
        Outcome::Inconclusive(format!("calls disagree: {first:?} and {second:?}"))
    }
}

/// The SDK clients of one signed-in user.
struct Session {
    s3: aws_sdk_s3::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    secrets: aws_sdk_secretsmanager::Client,
}

/// What the world file says about where users sign in.
struct WorldIds {
    client_id: String,
    provider: String,
    identity_pool_id: String,
}

fn world_ids(world: &Value) -> WorldIds {
    let region = text(world, "region").expect("region");
    let pool = &world["user_pools"][0];
    WorldIds {
        client_id: text(&pool["Clients"][0], "ClientId")
            .expect("client id")
            .to_string(),
        provider: format!(
            "cognito-idp.{region}.amazonaws.com/{}",
            text(pool, "Id").expect("pool id")
        ),
        identity_pool_id: text(&world["identity_pools"][0], "IdentityPoolId")
            .expect("identity pool id")
            .to_string(),
    }
}

/// Signs a user in (or a guest), exchanges at the identity pool, checks the assumed role
/// with GetCallerIdentity and returns the user's clients.
async fn sign_in(staging: &LocalStaging, ids: &WorldIds, user: &MatrixUser) -> Session {
    let anonymous = sdk_config(staging, None).await;
    let identity = IdentityClient::new(&anonymous);
    let logins = match &user.password {
        Some(password) => {
            let output = UserPoolClient::new(&anonymous)
                .initiate_auth()
                .client_id(&ids.client_id)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", &user.username)
                .auth_parameters("PASSWORD", password)
                .send()
                .await
                .unwrap_or_else(|e| {
                    panic!("{} cannot sign in: {}", user.name, DisplayErrorContext(e))
                });
            let id_token = output
                .authentication_result()
                .and_then(|r| r.id_token())
                .expect("an ID token")
                .to_string();
            Some((ids.provider.clone(), id_token))
        }
        None => None,
    };
    let mut get_id = identity.get_id().identity_pool_id(&ids.identity_pool_id);
    if let Some((provider, token)) = &logins {
        get_id = get_id.logins(provider, token);
    }
    let identity_id = get_id
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetId for {}: {}", user.name, DisplayErrorContext(e)))
        .identity_id()
        .expect("identity id")
        .to_string();
    let mut exchange = identity
        .get_credentials_for_identity()
        .identity_id(identity_id);
    if let Some((provider, token)) = &logins {
        exchange = exchange.logins(provider, token);
    }
    let output = exchange.send().await.unwrap_or_else(|e| {
        panic!(
            "GetCredentialsForIdentity for {}: {}",
            user.name,
            DisplayErrorContext(e)
        )
    });
    let issued = output.credentials().expect("credentials");
    let config = sdk_config(
        staging,
        Some(credentials(
            issued.access_key_id().expect("access key id"),
            issued.secret_key().expect("secret key"),
            issued.session_token(),
        )),
    )
    .await;
    let caller = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    if let Some(role) = &user.role {
        // A session of a role is `arn:aws:sts::ACCOUNT:assumed-role/ROLE_NAME/SESSION`.
        // See <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>.
        let (account_and_kind, role_name) = role
            .strip_prefix("arn:aws:iam::")
            .and_then(|rest| rest.split_once(":role/"))
            .expect("a role ARN");
        let role_name = role_name.rsplit('/').next().unwrap_or(role_name);
        let expected = format!("arn:aws:sts::{account_and_kind}:assumed-role/{role_name}/");
        let arn = caller.arn().unwrap_or_default();
        assert!(
            arn.starts_with(&expected),
            "{} assumed {arn}, expected role {role}",
            user.name
        );
    }
    Session {
        s3: support::s3_client(&config),
        dynamodb: aws_sdk_dynamodb::Client::new(&config),
        secrets: aws_sdk_secretsmanager::Client::new(&config),
    }
}

/// Makes the probe's call. Writes and deletes leave data as it was where AWS offers a way
/// (S3 `If-None-Match: *` on an existing object, DynamoDB conditions that always fail); the
/// remaining ones (S3 DeleteObject, PutSecretValue) run after every read.
async fn run(session: &Session, probe: &Probe) -> Outcome {
    let action = probe.action.as_str();
    match (&probe.target, action) {
        (Target::S3Object { bucket, key }, "read") => classify(
            session.s3.get_object().bucket(bucket).key(key).send().await,
            &[],
        ),
        // An allowed conditional write of an existing key answers 412 PreconditionFailed.
        // See <https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html>.
        (Target::S3Object { bucket, key }, "write") => classify(
            session
                .s3
                .put_object()
                .bucket(bucket)
                .key(key)
                .if_none_match("*")
                .body(ByteStream::from_static(b"xtenant probe"))
                .send()
                .await,
            &["PreconditionFailed"],
        ),
        (Target::S3Object { bucket, key }, "delete") => classify(
            session
                .s3
                .delete_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await,
            &[],
        ),
        (Target::S3Object { bucket, key }, "s3:HeadObject") => classify(
            session
                .s3
                .head_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await,
            &["403"],
        ),
        (Target::S3Prefix { bucket, prefix }, "list") => classify(
            session
                .s3
                .list_objects_v2()
                .bucket(bucket)
                .prefix(prefix)
                .send()
                .await,
            &[],
        ),
        (Target::DynamoDbItem { table, key }, _) => dynamodb(session, table, key, action).await,
        (Target::Secret { id }, "read") => classify(
            session
                .secrets
                .get_secret_value()
                .secret_id(id)
                .send()
                .await,
            &[],
        ),
        (Target::Secret { id }, "write") => classify(
            session
                .secrets
                .put_secret_value()
                .secret_id(id)
                .secret_string("xtenant-probe-value")
                .send()
                .await,
            &[],
        ),
        (Target::Secret { id }, "secretsmanager:DescribeSecret") => classify(
            session.secrets.describe_secret().secret_id(id).send().await,
            &[],
        ),
        (target, action) => panic!(
            "probe {} ({target:?}, {action}) is not supported here",
            probe.name
        ),
    }
}

/// DynamoDB probes. Writes carry `attribute_not_exists(<partition key>)` on an existing
/// item, so an allowed write fails its condition and changes nothing.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html>.
async fn dynamodb(
    session: &Session,
    table: &str,
    key: &[(String, AttributeValue)],
    action: &str,
) -> Outcome {
    let client = &session.dynamodb;
    let key_map: std::collections::HashMap<String, AttributeValue> = key.iter().cloned().collect();
    let (partition_name, partition_value) = key[0].clone();
    let never = "attribute_not_exists(#pk)";
    let failed = ["ConditionalCheckFailedException"];
    match action {
        "read" => both(
            classify(
                client
                    .get_item()
                    .table_name(table)
                    .set_key(Some(key_map))
                    .send()
                    .await,
                &[],
            ),
            classify(
                client
                    .query()
                    .table_name(table)
                    .key_condition_expression("#pk = :pk")
                    .expression_attribute_names("#pk", partition_name)
                    .expression_attribute_values(":pk", partition_value)
                    .send()
                    .await,
                &[],
            ),
        ),
        "write" => both(
            classify(
                client
                    .put_item()
                    .table_name(table)
                    .set_item(Some(key_map.clone()))
                    .condition_expression(never)
                    .expression_attribute_names("#pk", &partition_name)
                    .send()
                    .await,
                &failed,
            ),
            classify(
                client
                    .update_item()
                    .table_name(table)
                    .set_key(Some(key_map))
                    .update_expression("SET #probe = :probe")
                    .condition_expression(never)
                    .expression_attribute_names("#pk", &partition_name)
                    .expression_attribute_names("#probe", "xtenant_probe")
                    .expression_attribute_values(":probe", AttributeValue::S("probe".into()))
                    .send()
                    .await,
                &failed,
            ),
        ),
        "delete" => classify(
            client
                .delete_item()
                .table_name(table)
                .set_key(Some(key_map))
                .condition_expression(never)
                .expression_attribute_names("#pk", &partition_name)
                .send()
                .await,
            &failed,
        ),
        "list" => classify(client.scan().table_name(table).send().await, &[]),
        other => panic!("DynamoDB action `{other}` is not supported here"),
    }
}

/// Whether a probe changes data a later probe reads.
fn destructive(probe: &Probe) -> bool {
    matches!(
        (&probe.target, probe.action.as_str()),
        (Target::S3Object { .. }, "delete") | (Target::Secret { .. }, "write")
    )
}

/// What running one folder's matrix gave.
#[derive(Debug)]
struct FolderRun {
    /// Every probe made.
    probes: usize,
    /// The probes that came out allowed.
    allowed: usize,
    /// Expected deny, allowed.
    breaches: BTreeSet<String>,
    /// Every other failed expectation, with its outcome.
    other_failures: Vec<String>,
}

/// Starts the folder's world, signs every user in and runs every probe.
async fn run_folder(folder: &Path) -> FolderRun {
    let world_path = folder.join("world.yaml");
    let world = World::load(&world_path)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", world_path.display()));
    let staging = LocalStaging::start(world, None)
        .await
        .unwrap_or_else(|e| panic!("{} does not start: {e}", world_path.display()));
    let ids = world_ids(&yaml(&world_path));
    let matrix = Matrix::read(&folder.join("matrix.yaml"));
    let local = yaml(&folder.join("matrix.yaml"));
    assert_eq!(
        local["target"]["local"].as_str(),
        Some("world.yaml"),
        "{}: the matrix targets the world beside it",
        folder.display()
    );
    let mut sessions = Vec::new();
    for user in &matrix.users {
        sessions.push(sign_in(&staging, &ids, user).await);
    }
    let (later, first): (Vec<&Probe>, Vec<&Probe>) =
        matrix.probes.iter().partition(|p| destructive(p));
    let mut breaches = BTreeSet::new();
    let mut other_failures = Vec::new();
    let mut allowed = 0;
    for probe in first.into_iter().chain(later) {
        let outcome = run(&sessions[probe.user], probe).await;
        if outcome == Outcome::Allowed {
            allowed += 1;
        }
        match (probe.expect_allow, &outcome) {
            (true, Outcome::Allowed) | (false, Outcome::Denied) => {}
            (false, Outcome::Allowed) => {
                breaches.insert(probe.name.clone());
            }
            _ => other_failures.push(format!(
                "{} expected {}, got {outcome:?}",
                probe.name,
                if probe.expect_allow { "allow" } else { "deny" }
            )),
        }
    }
    FolderRun {
        probes: matrix.probes.len(),
        allowed,
        breaches,
        other_failures,
    }
}

/// The probe names between "```breaches" and "```" in a fixture's README.
fn listed_breaches(readme: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(readme)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", readme.display()));
    let block = text
        .split_once("```breaches\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .unwrap_or_else(|| panic!("{} has no ```breaches block", readme.display()));
    block
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs every folder at once, each within `WORLD_BUDGET`, in folder order.
async fn run_all(folders: Vec<PathBuf>) -> Vec<(PathBuf, FolderRun)> {
    let mut tasks = tokio::task::JoinSet::new();
    for (index, folder) in folders.into_iter().enumerate() {
        tasks.spawn(async move {
            let result = tokio::time::timeout(WORLD_BUDGET, run_folder(&folder)).await;
            let result =
                result.unwrap_or_else(|_| panic!("{} did not finish in time", folder.display()));
            (index, folder, result)
        });
    }
    let mut done = tasks.join_all().await;
    done.sort_by_key(|(index, _, _)| *index);
    done.into_iter()
        .map(|(_, folder, result)| (folder, result))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_scenario_holds_every_expectation_on_its_world() {
    let folders = world_folders(&root().join("scenarios"));
    let names: Vec<String> = folders
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for pattern in [
        "pacific",
        "admin-editor",
        "rules-claim",
        "abac-leading-keys",
        "books",
    ] {
        assert!(
            names.iter().any(|n| n == pattern),
            "scenario `{pattern}` missing: {names:?}"
        );
    }
    let mut counts = BTreeMap::new();
    for (folder, run) in run_all(folders).await {
        assert!(
            run.breaches.is_empty() && run.other_failures.is_empty(),
            "{}: breaches {:?}, other failures {:?}",
            folder.display(),
            run.breaches,
            run.other_failures
        );
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        counts.insert(name, (run.probes, run.allowed));
    }
    // Users × tenants × resources × actions, and how many of them are allowed: a change
    // to a matrix or a world that drops probes or flips outcomes shows here.
    let expected: BTreeMap<String, (usize, usize)> = [
        ("abac-leading-keys", (40, 8)),
        ("admin-editor", (40, 18)),
        ("books", (24, 8)),
        ("pacific", (168, 48)),
        ("rules-claim", (45, 15)),
    ]
    .into_iter()
    .map(|(name, counts)| (name.to_string(), counts))
    .collect();
    assert_eq!(counts, expected, "(probes, allowed) per scenario");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_broken_world_breaches_exactly_the_probes_its_readme_lists() {
    let folders = world_folders(&root().join("tests/fixtures/worlds"));
    assert!(
        folders.len() >= 3,
        "at least three broken worlds: {folders:?}"
    );
    for (folder, run) in run_all(folders).await {
        let listed = listed_breaches(&folder.join("README.md"));
        assert!(
            !listed.is_empty(),
            "{}: a broken world breaches",
            folder.display()
        );
        assert_eq!(run.breaches, listed, "{}: breaches", folder.display());
        assert!(
            run.other_failures.is_empty(),
            "{}: other failures {:?}",
            folder.display(),
            run.other_failures
        );
    }
}

#[test]
fn override_patterns_match_runs_of_characters() {
    assert!(glob("*-reader", "acme-reader"));
    assert!(glob("*", ""));
    assert!(glob("s3:*", "s3:HeadObject"));
    assert!(!glob("s3:*", "dynamodb:Query"));
    assert!(!glob("acme", "acme2"));
    assert!(glob("a*b*c", "aXbYc"));
    assert!(!glob("a*b*c", "acb"));
}

/// A broken world's folder is `<shipped scenario>--<mistake>`, and its matrix is the
/// shipped matrix, pointed at the broken world beside it.
#[test]
fn every_broken_world_matrix_equals_its_shipped_matrix_but_for_the_target() {
    let folders = world_folders(&root().join("tests/fixtures/worlds"));
    assert!(!folders.is_empty());
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let (shipped, _) = name
            .split_once("--")
            .unwrap_or_else(|| panic!("`{name}` is not `<scenario>--<mistake>`"));
        let without_target = |path: &Path| {
            let mut matrix = yaml(path);
            matrix
                .as_mapping_mut()
                .expect("a matrix is a map")
                .remove("target")
                .expect("a target");
            matrix
        };
        assert_eq!(
            without_target(&folder.join("matrix.yaml")),
            without_target(&root().join("scenarios").join(shipped).join("matrix.yaml")),
            "{name}"
        );
    }
}
