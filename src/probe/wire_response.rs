//! What a call's HTTP response looked like on the wire. SDK outputs do not carry the status
//! or the raw body, so a per-call interceptor records them for the verdict to rest on.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, Mutex};

/// The last attempt's response of one call: its status and, for operations whose body the
/// SDK reads into memory (every operation but streaming downloads), the body's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenResponse {
    pub status: u16,
    pub body_len: Option<usize>,
}

/// Attach with `.customize().interceptor(wire.clone())` to one call; read with `seen()`.
/// Retries overwrite it, so it holds the response the SDK's result came from.
#[derive(Debug, Clone, Default)]
pub struct WireResponse {
    seen: Arc<Mutex<Option<SeenResponse>>>,
}

impl WireResponse {
    pub fn seen(&self) -> Option<SeenResponse> {
        *self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Intercept for WireResponse {
    fn name(&self) -> &'static str {
        "xtenant-wire-response"
    }

    // After deserialization a non-streaming body has been read into memory, so its length
    // is known; a streaming body (GetObject) is still unread and reports `None`.
    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        let seen = SeenResponse {
            status: response.status().as_u16(),
            body_len: response.body().bytes().map(<[u8]>::len),
        };
        *self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(seen);
        Ok(())
    }
}
