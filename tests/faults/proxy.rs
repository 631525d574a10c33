//! The fault-injecting proxy: an HTTP/1.1 listener on 127.0.0.1 in front of local staging.
//! Every request is read whole, described (service, operation, resource), and either
//! answered by the first fault rule that applies or forwarded unchanged (the Host header
//! included, so SigV4 signatures still verify). It keeps the list of calls it faulted and
//! of every secret it saw go by, for the assertions and the secret scanner.

use crate::aws_request::{AwsRequest, Protocol, describe};
use crate::fault_response::{error_body, service_error};
use crate::fault_rules::{FaultKind, FaultRule, fault_for};
use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A call the proxy answered with a fault instead of local staging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultedCall {
    pub kind: FaultKind,
    /// `s3:GetObject`, as the harness names its calls.
    pub api_call: String,
    pub resource: String,
}

#[derive(Default)]
struct Log {
    faulted: Vec<FaultedCall>,
    secrets: Vec<String>,
    forwarded: usize,
}

pub struct Proxy {
    endpoint: String,
    log: Arc<Mutex<Log>>,
    accept_loop: JoinHandle<()>,
}

struct Shared {
    upstream: SocketAddr,
    rules: Vec<FaultRule>,
    log: Arc<Mutex<Log>>,
}

impl Proxy {
    /// Listens on an ephemeral 127.0.0.1 port and forwards to `upstream`
    /// (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str, rules: Vec<FaultRule>) -> Proxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .parse()
            .expect("local staging listens on a socket address");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let address = listener.local_addr().expect("the proxy's address");
        let log = Arc::new(Mutex::new(Log::default()));
        let shared = Arc::new(Shared {
            upstream,
            rules,
            log: log.clone(),
        });
        let accept_loop = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                // Closing with a zero linger sends RST: a dropped connection is a reset.
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let shared = shared.clone();
                        async move { shared.handle(request).await }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy {
            endpoint: format!("http://{address}"),
            log,
            accept_loop,
        }
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Every call answered with a fault, in arrival order (retries included).
    pub fn faulted(&self) -> Vec<FaultedCall> {
        self.log.lock().unwrap().faulted.clone()
    }

    /// Every token, credential, password and secret value that went through, either way.
    pub fn secrets(&self) -> Vec<String> {
        self.log.lock().unwrap().secrets.clone()
    }

    /// Calls forwarded to local staging.
    pub fn forwarded(&self) -> usize {
        self.log.lock().unwrap().forwarded
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

type ProxyResponse = Response<ProxyBody>;

impl Shared {
    async fn handle(&self, request: Request<Incoming>) -> Result<ProxyResponse, std::io::Error> {
        let (parts, body) = request.into_parts();
        let body = body
            .collect()
            .await
            .map_err(std::io::Error::other)?
            .to_bytes();
        let call = describe(&parts.method, &parts.uri, &parts.headers, &body);
        self.record_request_secrets(&call, &body);
        let Some(kind) = fault_for(&self.rules, &call) else {
            let response = self.forward(&parts, body).await?;
            self.log.lock().unwrap().forwarded += 1;
            self.record_response_secrets(&call, &response);
            return Ok(response.map(ProxyBody::full));
        };
        self.log.lock().unwrap().faulted.push(FaultedCall {
            kind,
            api_call: call.api_call(),
            resource: call.resource.clone(),
        });
        if let Some(error) = service_error(kind, &call, &parts.headers, &body) {
            let (content_type, document) = error_body(call.protocol(), &error);
            return Ok(respond(error.status, content_type, document.into()));
        }
        match kind {
            FaultKind::ConnectionReset => {
                Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset))
            }
            FaultKind::Hang => {
                // Far past any attempt timeout the tests use; the client gives up first.
                tokio::time::sleep(Duration::from_secs(120)).await;
                Err(std::io::Error::from(std::io::ErrorKind::TimedOut))
            }
            FaultKind::GarbageBody => {
                let content_type = match call.protocol() {
                    Protocol::RestXml | Protocol::Query => "application/xml",
                    Protocol::Json => "application/x-amz-json-1.1",
                };
                Ok(respond(
                    StatusCode::OK,
                    content_type,
                    Bytes::from_static(b"\x00\x9f<<garbage{{ not a document"),
                ))
            }
            FaultKind::TruncatedBody => {
                let response = self.forward(&parts, body).await?;
                self.record_response_secrets(&call, &response);
                let (head, full) = response.into_parts();
                let half = full.slice(..full.len() / 2);
                Ok(Response::from_parts(head, ProxyBody::truncated(half)))
            }
            _ => unreachable!("every error kind has a service error"),
        }
    }

    async fn forward(
        &self,
        parts: &http::request::Parts,
        body: Bytes,
    ) -> Result<Response<Bytes>, std::io::Error> {
        let stream = TcpStream::connect(self.upstream).await?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(std::io::Error::other)?;
        tokio::spawn(connection);
        let mut request = Request::builder()
            .method(parts.method.clone())
            .uri(parts.uri.path_and_query().map_or("/", |path| path.as_str()))
            .body(Full::new(body))
            .map_err(std::io::Error::other)?;
        for (name, value) in &parts.headers {
            if name != http::header::CONNECTION {
                request.headers_mut().append(name, value.clone());
            }
        }
        let response = sender
            .send_request(request)
            .await
            .map_err(std::io::Error::other)?;
        let (mut head, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(std::io::Error::other)?
            .to_bytes();
        head.headers.remove(http::header::TRANSFER_ENCODING);
        head.headers.remove(http::header::CONNECTION);
        Ok(Response::from_parts(head, body))
    }

    /// Passwords and refresh tokens a sign-in sends.
    fn record_request_secrets(&self, call: &AwsRequest, body: &[u8]) {
        if call.protocol() != Protocol::Json {
            return;
        }
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
            let mut log = self.log.lock().unwrap();
            for field in ["AuthParameters", "ChallengeResponses"] {
                if let Some(parameters) = json.get(field).and_then(|v| v.as_object()) {
                    for name in ["PASSWORD", "REFRESH_TOKEN", "SECRET_HASH"] {
                        if let Some(value) = parameters.get(name).and_then(|v| v.as_str()) {
                            log.secrets.push(value.to_owned());
                        }
                    }
                }
            }
        }
    }

    /// Tokens, credentials and secret values local staging hands out.
    fn record_response_secrets(&self, call: &AwsRequest, response: &Response<Bytes>) {
        let body = response.body();
        let mut found = Vec::new();
        match call.protocol() {
            Protocol::Json => {
                if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
                    collect_json_secrets(&json, &mut found);
                }
            }
            Protocol::Query => {
                let text = String::from_utf8_lossy(body);
                for tag in ["SecretAccessKey", "SessionToken"] {
                    if let Some(value) = xml_element(&text, tag) {
                        found.push(value);
                    }
                }
            }
            Protocol::RestXml => {
                // Another tenant's object content must never be shown either.
                if call.operation == "GetObject"
                    && response.status().is_success()
                    && body.len() >= 8
                {
                    found.push(String::from_utf8_lossy(body).into_owned());
                }
            }
        }
        self.log.lock().unwrap().secrets.extend(found);
    }
}

/// Fields of Cognito, STS-over-JSON and Secrets Manager answers that hold a secret.
const SECRET_FIELDS: [&str; 9] = [
    "IdToken",
    "AccessToken",
    "RefreshToken",
    "SecretKey",
    "SecretAccessKey",
    "SessionToken",
    "Token",
    "SecretString",
    "SecretBinary",
];

fn collect_json_secrets(json: &serde_json::Value, found: &mut Vec<String>) {
    match json {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match value.as_str() {
                    Some(text) if SECRET_FIELDS.contains(&key.as_str()) => {
                        found.push(text.to_owned());
                    }
                    _ => collect_json_secrets(value, found),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_json_secrets(item, found);
            }
        }
        _ => {}
    }
}

fn xml_element(text: &str, tag: &str) -> Option<String> {
    let start = text.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + text[start..].find(&format!("</{tag}>"))?;
    Some(text[start..end].to_owned())
}

fn respond(status: StatusCode, content_type: &'static str, body: Bytes) -> ProxyResponse {
    let mut response = Response::new(ProxyBody::full(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    response.headers_mut().insert(
        "x-amzn-requestid",
        HeaderValue::from_static("fa017fa0-0000-4000-8000-000000000001"),
    );
    response
}

/// A response body: whole, or cut short by a connection error after its first part.
pub struct ProxyBody {
    data: Option<Bytes>,
    then_fail: bool,
}

impl ProxyBody {
    fn full(data: Bytes) -> ProxyBody {
        ProxyBody {
            data: Some(data),
            then_fail: false,
        }
    }

    fn truncated(first_part: Bytes) -> ProxyBody {
        ProxyBody {
            data: Some(first_part),
            then_fail: true,
        }
    }
}

impl Body for ProxyBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if self.then_fail {
            self.then_fail = false;
            return Poll::Ready(Some(Err(std::io::Error::from(
                std::io::ErrorKind::ConnectionAborted,
            ))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.then_fail
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match (&self.data, self.then_fail) {
            (Some(data), false) => hyper::body::SizeHint::with_exact(data.len() as u64),
            (None, false) => hyper::body::SizeHint::with_exact(0),
            (_, true) => hyper::body::SizeHint::default(),
        }
    }
}
