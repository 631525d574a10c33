//! Local staging's front door: one HTTP/1.1 listener on 127.0.0.1 serving every service.

use super::auth_error::AuthError;
use super::cognito_identity::CognitoIdentityService;
use super::cognito_idp::signing_key::{self, SharedKey};
use super::cognito_idp::{CognitoIdpService, UserPoolSummary};
use super::core::SimCore;
use super::dynamodb::DynamoDbService;
use super::front_door::{self, SignedParts};
use super::iam_api::IamApiService;
use super::internal_failure::internal_failure_response;
use super::request::{SimRequest, SimResponse};
use super::router::{self, ServiceName};
use super::s3::S3Service;
use super::secrets::SecretsService;
use super::sigv4;
use super::state::SimState;
use super::sts::StsService;
use super::tls::{StagingTls, TlsSetupError};
use super::world::{World, WorldError};
use bytes::Bytes;
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use percent_encoding::percent_decode_str;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

/// The largest request body local staging reads (S3's single PUT is larger, but no test
/// or probe needs more).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// How long a client may take to send a request's headers, then its body: a client that
/// stalls must not hold a connection forever.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Why local staging could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("invalid world: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    World(Vec<WorldError>),
    #[error("failed to set up TLS")]
    Tls(#[source] TlsSetupError),
    #[error("failed to listen on 127.0.0.1:{port}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
}

/// A running local staging. Stops when shut down or dropped.
#[derive(Debug)]
pub struct LocalStaging {
    endpoint: String,
    address: SocketAddr,
    state: Arc<SimState>,
    user_pools: Vec<UserPoolSummary>,
    identity_pool_ids: Vec<String>,
    tls: Option<StagingTls>,
    accept_loop: Option<JoinHandle<()>>,
}

/// Every service, seeded from the world.
struct Services {
    state: Arc<SimState>,
    s3: S3Service,
    dynamodb: DynamoDbService,
    secrets: SecretsService,
    user_pools: Arc<CognitoIdpService>,
    identity_pools: CognitoIdentityService,
    sts: StsService,
    iam: IamApiService,
}

impl LocalStaging {
    /// Seeds every service from the world and listens on 127.0.0.1 (`port`, or an
    /// ephemeral one when `None`).
    pub async fn start(world: World, port: Option<u16>) -> Result<LocalStaging, StartError> {
        LocalStaging::start_with(world, port, None).await
    }

    /// As [`LocalStaging::start`], over HTTPS with a certificate authority generated now:
    /// clients that trust [`LocalStaging::tls_authority_pem`] send requests with
    /// `aws:SecureTransport` true.
    pub async fn start_tls(world: World, port: Option<u16>) -> Result<LocalStaging, StartError> {
        let tls = StagingTls::generate().map_err(StartError::Tls)?;
        LocalStaging::start_with(world, port, Some(tls)).await
    }

    async fn start_with(
        world: World,
        port: Option<u16>,
        tls: Option<StagingTls>,
    ) -> Result<LocalStaging, StartError> {
        let problems = world.validate();
        if !problems.is_empty() {
            return Err(StartError::World(problems));
        }
        // The token keys a world signs with are generated while the rest starts and the
        // harness prepares, instead of on the first sign-in: ID and access tokens for user
        // pools, OpenID tokens for identity pools.
        let token_keys: &[SharedKey] = if !world.user_pools.is_empty() {
            &[SharedKey::First, SharedKey::Second]
        } else if !world.identity_pools.is_empty() {
            &[SharedKey::First]
        } else {
            &[]
        };
        signing_key::generate_in_background(token_keys);
        let mut state = SimState::from_world(&world).map_err(StartError::World)?;
        state.set_secure_transport(tls.is_some());
        let state = Arc::new(state);
        let core: &dyn SimCore = state.as_ref();
        let seeded = (|| {
            let user_pools = Arc::new(CognitoIdpService::from_world(&world, core)?);
            Ok::<_, WorldError>(Services {
                identity_pools: CognitoIdentityService::from_world(
                    &world,
                    core,
                    user_pools.clone(),
                )?,
                user_pools,
                s3: S3Service::from_world(&world, core)?,
                dynamodb: DynamoDbService::from_world(&world, core)?,
                secrets: SecretsService::from_world(&world, core)?,
                sts: StsService,
                iam: IamApiService::from_world(&world),
                state: state.clone(),
            })
        })();
        let services = Arc::new(seeded.map_err(|e| StartError::World(vec![e]))?);

        let port = port.unwrap_or(0);
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| StartError::Bind { port, source })?;
        let address = listener
            .local_addr()
            .map_err(|source| StartError::Bind { port, source })?;
        let user_pools = services.user_pools.summary();
        let identity_pool_ids = services.identity_pools.identity_pool_ids();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let accept_loop = tokio::spawn(accept_loop(
            listener,
            services,
            tls.as_ref().map(|tls| tls.acceptor().clone()),
        ));
        Ok(LocalStaging {
            endpoint: format!("{scheme}://{address}"),
            address,
            state,
            user_pools,
            identity_pool_ids,
            tls,
            accept_loop: Some(accept_loop),
        })
    }

    /// `http://127.0.0.1:PORT`, or `https://` when started with TLS.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The certificate authority (PEM) a client must trust, when started with TLS.
    pub fn tls_authority_pem(&self) -> Option<&str> {
        self.tls.as_ref().map(StagingTls::authority_pem)
    }

    /// The SHA-256 fingerprint of that authority, when started with TLS.
    pub fn tls_authority_sha256(&self) -> Option<&str> {
        self.tls.as_ref().map(StagingTls::authority_sha256)
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn region(&self) -> &str {
        self.state.region()
    }

    pub fn account_id(&self) -> &str {
        self.state.account_id()
    }

    /// The user pools being served, with their app client ids (never their secrets).
    pub fn user_pools(&self) -> &[UserPoolSummary] {
        &self.user_pools
    }

    /// The identity pool ids being served.
    pub fn identity_pool_ids(&self) -> &[String] {
        &self.identity_pool_ids
    }

    /// The shared state, for tests that need to move the clock or inspect sessions.
    pub fn core(&self) -> &Arc<SimState> {
        &self.state
    }

    /// Stops accepting and closes open connections.
    pub fn shutdown(&mut self) {
        if let Some(task) = self.accept_loop.take() {
            task.abort();
        }
    }
}

impl Drop for LocalStaging {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Accepts connections until aborted; dropping the `JoinSet` then ends every connection.
/// With an acceptor, each connection first completes a TLS handshake (bounded in time).
async fn accept_loop(listener: TcpListener, services: Arc<Services>, tls: Option<TlsAcceptor>) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Accept errors (out of file descriptors) are transient; back off instead of
                // spinning.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let services = services.clone();
        let tls = tls.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let services = services.clone();
                async move { Ok::<_, Infallible>(serve(&services, request).await) }
            });
            let http = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .clone();
            // A connection error (client gone, malformed HTTP, a failed handshake) concerns
            // only that client.
            match tls {
                None => {
                    let _ = http.serve_connection(TokioIo::new(stream), service).await;
                }
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(HEADER_READ_TIMEOUT, acceptor.accept(stream)).await;
                    if let Ok(Ok(stream)) = handshake {
                        let _ = http.serve_connection(TokioIo::new(stream), service).await;
                    }
                }
            }
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
}

async fn serve(services: &Services, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let raw_path = parts.uri.path().to_string();
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let query: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode_str(k).decode_utf8_lossy().into_owned(),
                percent_decode_str(v).decode_utf8_lossy().into_owned(),
            )
        })
        .collect();
    let unsigned_route = router::route_unsigned(&parts.method, &raw_path, &query, &parts.headers);
    let refuse_body = || {
        into_http(
            unsigned_route,
            AuthError::UnreadableBody.to_response(unsigned_route.protocol(), &request_id),
            &request_id,
        )
    };
    // A declared length beyond the limit is refused before reading: waiting for a body that
    // large would hold the connection for nothing.
    if declared_length(&parts.headers).is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return refuse_body();
    }
    let collected = tokio::time::timeout(
        BODY_READ_TIMEOUT,
        Limited::new(body, MAX_BODY_BYTES).collect(),
    )
    .await;
    let body = match collected {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(_)) | Err(_) => return refuse_body(),
    };
    let read = ReadRequest {
        parts: &parts,
        raw_path,
        raw_query: &raw_query,
        query,
        body,
        request_id: &request_id,
        unsigned_route,
    };
    // A panic while handling one request (a bug) must answer that request with a 500 and
    // leave the server serving; it must never read as a denial or a success.
    let handled = std::panic::catch_unwind(AssertUnwindSafe(|| handle(services, read)));
    let (service, response) = handled.unwrap_or_else(|_| {
        (
            unsigned_route,
            internal_failure_response(unsigned_route.protocol(), &request_id),
        )
    });
    into_http(service, response, &request_id)
}

/// A request whose body has been read, before authentication.
struct ReadRequest<'a> {
    parts: &'a http::request::Parts,
    raw_path: String,
    raw_query: &'a str,
    query: Vec<(String, String)>,
    body: Bytes,
    request_id: &'a str,
    /// The service the request is for, judged without a signature.
    unsigned_route: ServiceName,
}

/// The `Content-Length` the client declared, if it is a number.
fn declared_length(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Authenticates the request (when signed) and hands it to its service.
fn handle(services: &Services, read: ReadRequest<'_>) -> (ServiceName, SimResponse) {
    let ReadRequest {
        parts,
        raw_path,
        raw_query,
        query,
        body,
        request_id,
        unsigned_route,
    } = read;
    match sigv4::parse_claim(&parts.headers, &query) {
        Err(error) => (
            unsigned_route,
            error.to_response(unsigned_route.protocol(), request_id),
        ),
        Ok(None) => {
            let request = SimRequest {
                method: parts.method.clone(),
                raw_path,
                query,
                headers: parts.headers.clone(),
                body,
                request_id: request_id.to_string(),
                caller: None,
            };
            (
                unsigned_route,
                dispatch_unsigned(services, unsigned_route, &request),
            )
        }
        Ok(Some(claim)) => match ServiceName::from_signing_name(&claim.service) {
            None => (
                unsigned_route,
                AuthError::Malformed(format!(
                    "local staging serves no service `{}`",
                    claim.service
                ))
                .to_response(unsigned_route.protocol(), request_id),
            ),
            Some(service) => {
                let signed = SignedParts {
                    service,
                    method: &parts.method,
                    raw_path: &raw_path,
                    raw_query,
                    headers: parts.headers.clone(),
                    body,
                };
                let response = match front_door::authenticate(&services.state, &claim, signed) {
                    Err(error) => error.to_response(service.protocol(), request_id),
                    Ok(authenticated) => {
                        let request = SimRequest {
                            method: parts.method.clone(),
                            raw_path,
                            query,
                            headers: authenticated.headers,
                            body: authenticated.body,
                            request_id: request_id.to_string(),
                            caller: Some(authenticated.caller),
                        };
                        dispatch(services, service, &request)
                    }
                };
                (service, response)
            }
        },
    }
}

/// Unsigned requests reach only the services that accept them; DynamoDB and Secrets
/// Manager refuse them at the door.
fn dispatch_unsigned(
    services: &Services,
    service: ServiceName,
    request: &SimRequest,
) -> SimResponse {
    match service {
        ServiceName::DynamoDb | ServiceName::SecretsManager => {
            AuthError::MissingAuthentication.to_response(service.protocol(), &request.request_id)
        }
        _ => dispatch(services, service, request),
    }
}

fn dispatch(services: &Services, service: ServiceName, request: &SimRequest) -> SimResponse {
    let core: &dyn SimCore = services.state.as_ref();
    match service {
        ServiceName::S3 => services.s3.handle(core, request),
        ServiceName::DynamoDb => services.dynamodb.handle(core, request),
        ServiceName::SecretsManager => services.secrets.handle(core, request),
        ServiceName::Sts => services.sts.handle(&services.state, request),
        ServiceName::CognitoIdp => services.user_pools.handle(core, request),
        ServiceName::CognitoIdentity => services.identity_pools.handle(core, request),
        ServiceName::Iam => services.iam.handle(core, request),
    }
}

/// Adds the request-id headers each protocol carries: `x-amz-request-id` and `x-amz-id-2`
/// for S3, `x-amzn-RequestId` for the JSON and query services.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/RESTCommonResponseHeaders.html>.
fn into_http(
    service: ServiceName,
    response: SimResponse,
    request_id: &str,
) -> Response<Full<Bytes>> {
    let mut http_response = Response::new(Full::new(response.body));
    *http_response.status_mut() = response.status;
    *http_response.headers_mut() = response.headers;
    let headers = http_response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(request_id) {
        if service == ServiceName::S3 {
            headers.entry("x-amz-request-id").or_insert(id.clone());
            headers.entry("x-amz-id-2").or_insert(id);
        } else {
            headers.entry("x-amzn-requestid").or_insert(id);
        }
    }
    http_response
}
