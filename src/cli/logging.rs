//! `-v` and `RUST_LOG`: tracing logs on stderr. The AWS SDK crates already emit `tracing`
//! events (every call is an `invoke` span naming its service and operation, each attempt a
//! `try_attempt`); this installs the subscriber that prints them. Every line goes through a
//! redactor just before it leaves the process, because a log line can carry what a server
//! echoed or, at `trace`, whole requests and responses: shapes (JWTs, credentials) from the
//! start, and the run's own secrets once [`redact_logs_with`] hands over the run's redactor.

use crate::redaction::Redactor;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// `-v`: every SDK call and its attempts, xtenant's own events, warnings from the rest.
const SDK_CALLS: &str = "warn,xtenant=info,aws_config=info,aws_smithy_runtime=debug,\
    aws_sdk_cognitoidentity=debug,aws_sdk_cognitoidentityprovider=debug,aws_sdk_dynamodb=debug,\
    aws_sdk_iam=debug,aws_sdk_s3=debug,aws_sdk_secretsmanager=debug,aws_sdk_sts=debug";

/// `-vv`: every library's debug events.
const EVERYTHING: &str = "debug";

/// The redactor the installed subscriber masks with (shapes only until a run starts).
static LOG_REDACTOR: OnceLock<Arc<RwLock<Redactor>>> = OnceLock::new();
static LOGGING: AtomicBool = AtomicBool::new(false);

/// Installs the subscriber when `RUST_LOG` is set or `verbosity` asks for logs, and does
/// nothing (tracing then costs next to nothing) otherwise. A `RUST_LOG` that does not
/// parse falls back to what `verbosity` asks for, and is returned as a warning to print.
pub fn init(verbosity: u8) -> Option<String> {
    let (filter, warning) = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => match EnvFilter::try_new(&directives) {
            Ok(filter) => (Some(filter), None),
            Err(error) => (
                verbosity_filter(verbosity),
                Some(format!(
                    "warning: RUST_LOG is not a valid filter ({error}); it is ignored"
                )),
            ),
        },
        _ => (verbosity_filter(verbosity), None),
    };
    if let Some(filter) = filter {
        let redactor = LOG_REDACTOR.get_or_init(Arc::default).clone();
        let writer = RedactingMakeWriter::new(std::io::stderr(), redactor);
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(writer)
            .finish();
        if tracing::subscriber::set_global_default(subscriber).is_ok() {
            LOGGING.store(true, Ordering::Relaxed);
        }
    }
    warning
}

fn verbosity_filter(verbosity: u8) -> Option<EnvFilter> {
    match verbosity {
        0 => None,
        1 => Some(EnvFilter::new(SDK_CALLS)),
        _ => Some(EnvFilter::new(EVERYTHING)),
    }
}

/// Whether log lines are written to stderr (so nothing else should draw there).
pub fn is_logging() -> bool {
    LOGGING.load(Ordering::Relaxed)
}

/// From now on log lines mask everything `redactor` knows or learns: the scenario's
/// passwords and client secret, and every token and credential the run is issued.
pub fn redact_logs_with(redactor: &Redactor) {
    if let Some(slot) = LOG_REDACTOR.get() {
        *slot
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = redactor.clone();
    }
}

/// Hands the fmt layer one [`RedactedLine`] per event.
pub struct RedactingMakeWriter<W: Write> {
    sink: Mutex<W>,
    redactor: Arc<RwLock<Redactor>>,
}

impl<W: Write> RedactingMakeWriter<W> {
    pub fn new(sink: W, redactor: Arc<RwLock<Redactor>>) -> Self {
        RedactingMakeWriter {
            sink: Mutex::new(sink),
            redactor,
        }
    }
}

impl<'a, W: Write + 'a> MakeWriter<'a> for RedactingMakeWriter<W> {
    type Writer = RedactedLine<'a, W>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactedLine {
            buffer: Vec::new(),
            maker: self,
        }
    }
}

/// One event's text, collected whole (a secret split across two writes is still one
/// match), masked and written in one piece when the event is done with it.
pub struct RedactedLine<'a, W: Write> {
    buffer: Vec<u8>,
    maker: &'a RedactingMakeWriter<W>,
}

impl<W: Write> Write for RedactedLine<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for RedactedLine<'_, W> {
    fn drop(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.buffer);
        let redactor = self
            .maker
            .redactor
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        let masked = redactor.mask(&text);
        let mut sink = self
            .maker
            .sink
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A stderr that cannot be written is ignored: there is nowhere left to say so.
        let _ = sink.write_all(masked.as_bytes());
        let _ = sink.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink the test reads after the subscriber is gone.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Logs through a subscriber like the one [`init`] installs, with `redactor`.
    fn logged(redactor: Redactor, filter: &str, log: impl FnOnce()) -> String {
        let sink = Shared::default();
        let slot = Arc::new(RwLock::new(Redactor::default()));
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new(filter))
            .with_writer(RedactingMakeWriter::new(sink.clone(), slot.clone()))
            .finish();
        // Handed over after the subscriber exists, as `redact_logs_with` does for a run.
        *slot.write().unwrap() = redactor;
        tracing::subscriber::with_default(subscriber, log);
        String::from_utf8(sink.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn a_password_token_or_secret_echoed_in_a_log_line_never_appears() {
        let redactor = Redactor::new(&[crate::secret::SecretString::new("Tenant-Pa55word!")]);
        let learned = "secret-value-of-globex-7f3a";
        redactor.register_str(learned);
        let jwt = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";
        let out = logged(redactor, SDK_CALLS, || {
            let span = tracing::debug_span!(
                target: "aws_sdk_cognitoidentityprovider::operation::initiate_auth",
                "invoke",
                rpc.service = "CognitoIdentityProvider",
                rpc.method = "InitiateAuth",
            );
            let _entered = span.enter();
            tracing::debug!(
                target: "aws_smithy_runtime::client::orchestrator",
                body = "{\"AuthParameters\":{\"PASSWORD\":\"Tenant-Pa55word!\"}}",
                "transmitting request"
            );
            tracing::debug!(
                target: "aws_smithy_runtime::client::orchestrator",
                "received IdToken {jwt} and SecretString {learned}"
            );
        });
        assert!(out.contains("InitiateAuth"), "{out}");
        assert!(out.contains("transmitting request"), "{out}");
        for secret in ["Tenant-Pa55word!", learned, jwt] {
            assert!(!out.contains(secret), "{secret} in:\n{out}");
        }
        assert_eq!(out.matches("***").count(), 3, "{out}");
    }

    #[test]
    fn the_sdk_call_filter_leaves_out_other_libraries_debug_noise() {
        let out = logged(Redactor::default(), SDK_CALLS, || {
            tracing::debug!(target: "hyper_util::client::legacy::pool", "pooling idle connection");
            tracing::debug!(target: "aws_smithy_runtime::client::orchestrator", "beginning attempt #1");
        });
        assert!(out.contains("beginning attempt #1"), "{out}");
        assert!(!out.contains("pooling"), "{out}");
    }
}
