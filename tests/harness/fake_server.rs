//! A loopback AWS stand-in that answers every request with a canned reply: enough to pin
//! how the harness reads each response shape, without local staging.

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the fake server saw.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    pub method: String,
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl SeenRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The operation named by `X-Amz-Target` (JSON protocols) or `Action=` (query protocol).
    pub fn operation(&self) -> String {
        if let Some(target) = self.header("x-amz-target") {
            return target.rsplit('.').next().unwrap_or(target).to_owned();
        }
        self.body
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .unwrap_or("")
            .to_owned()
    }
}

/// One canned reply.
#[derive(Debug, Clone)]
pub enum Reply {
    Http {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Declare `declared_len` bytes in Content-Length, send `body` (shorter), then close:
    /// a response whose body breaks off.
    Truncated {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
        declared_len: usize,
    },
    /// Close the connection without answering.
    Reset,
    /// Answer only after this long (longer than the client's timeout).
    Hang(Duration),
}

impl Reply {
    pub fn xml(status: u16, body: &str) -> Reply {
        Reply::Http {
            status,
            headers: vec![
                ("content-type", "application/xml".to_owned()),
                ("x-amz-request-id", "REQ-S3-1".to_owned()),
            ],
            body: body.to_owned(),
        }
    }

    pub fn s3_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::xml(
            status,
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
                 <Message>{message}</Message><RequestId>REQ-S3-1</RequestId><HostId>h</HostId></Error>"
            ),
        )
    }

    /// A JSON-protocol reply (`application/x-amz-json-1.x`).
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Http {
            status,
            headers: vec![
                ("content-type", "application/x-amz-json-1.1".to_owned()),
                ("x-amzn-requestid", "REQ-JSON-1".to_owned()),
            ],
            body: body.to_owned(),
        }
    }

    pub fn json_error(status: u16, error_type: &str, message: &str) -> Reply {
        Reply::json(
            status,
            &serde_json::json!({ "__type": error_type, "message": message }).to_string(),
        )
    }

    pub fn empty(status: u16) -> Reply {
        Reply::Http {
            status,
            headers: vec![("x-amz-request-id", "REQ-S3-1".to_owned())],
            body: String::new(),
        }
    }
}

type Responder = dyn Fn(&SeenRequest) -> Reply + Send + Sync;

/// A server on 127.0.0.1 with an ephemeral port; stops when dropped.
pub struct FakeServer {
    pub url: String,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    accept_loop: JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(
        responder: impl Fn(&SeenRequest) -> Reply + Send + Sync + 'static,
    ) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let responder: Arc<Responder> = Arc::new(responder);
        let seen_by_loop = seen.clone();
        let accept_loop = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let seen = seen_by_loop.clone();
                let responder = responder.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let seen = seen.clone();
                        let responder = responder.clone();
                        async move { answer(request, &seen, &*responder).await }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FakeServer {
            url,
            seen,
            accept_loop,
        }
    }

    pub fn seen(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, operation: &str) -> usize {
        self.seen()
            .iter()
            .filter(|request| request.operation() == operation)
            .count()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

#[derive(Debug)]
struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fake server resets the connection")
    }
}

impl std::error::Error for ResetConnection {}

async fn answer(
    request: Request<hyper::body::Incoming>,
    seen: &Mutex<Vec<SeenRequest>>,
    responder: &Responder,
) -> Result<Response<BoxBody<Bytes, std::convert::Infallible>>, ResetConnection> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let request = SeenRequest {
        method: parts.method.to_string(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let reply = responder(&request);
    seen.lock().unwrap().push(request);
    match reply {
        Reply::Reset => Err(ResetConnection),
        Reply::Hang(duration) => {
            tokio::time::sleep(duration).await;
            Ok(Response::builder()
                .status(200)
                .body(Full::new(Bytes::new()).boxed())
                .unwrap())
        }
        Reply::Http {
            status,
            headers,
            body,
        } => {
            let mut response = Response::builder().status(status);
            for (name, value) in headers {
                response = response.header(name, value);
            }
            Ok(response.body(Full::new(Bytes::from(body)).boxed()).unwrap())
        }
        Reply::Truncated {
            status,
            headers,
            body,
            declared_len,
        } => {
            let mut response = Response::builder()
                .status(status)
                .header("content-length", declared_len.to_string());
            for (name, value) in headers {
                response = response.header(name, value);
            }
            // A body of unknown size lets hyper trust the declared Content-Length, so the
            // connection closes short of it.
            Ok(response
                .body(UnsizedBody::new(Bytes::from(body)).boxed())
                .unwrap())
        }
    }
}

/// One chunk with no size hint, then a pause (so hyper flushes what it has) before the
/// body ends short of the declared length.
struct UnsizedBody {
    chunk: Option<Bytes>,
    pause: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl UnsizedBody {
    fn new(chunk: Bytes) -> UnsizedBody {
        UnsizedBody {
            chunk: Some(chunk),
            pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
        }
    }
}

impl hyper::body::Body for UnsizedBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        if let Some(chunk) = self.chunk.take() {
            return std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(chunk))));
        }
        self.pause.as_mut().poll(cx).map(|()| None)
    }
}
