//! The plumbing every handler shares: reading a request body within the sandbox's limits, the
//! successful answer of a Latipay endpoint (built from its model, see `answer`), and the
//! refusals that are not Latipay codes: a failure of the sandbox itself (HTTP 500), a change that
//! could not be saved, and the `{"error": ...}` answers of the sandbox's own routes.

use axum::Json;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use latipay_spec::Endpoint;
use serde_json::json;

use crate::answer::{self, AnswerError, Members};
use crate::app::App;
use crate::codes::ApiError;
use crate::persist::StateError;

/// Reads a request body, at most `Config::body_limit` bytes (413 beyond) within
/// `Config::body_read_timeout` (408 after): a client sending its body slowly or endlessly
/// holds one connection for a bounded time and never grows the sandbox's memory.
pub(crate) async fn read_body(app: &App, body: axum::body::Body) -> Result<Bytes, ApiError> {
    let limit = app.config.body_limit;
    let timeout = app.config.body_read_timeout;
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(ApiError::http(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is larger than the sandbox's limit of {limit} bytes (or was cut off)"
            ),
        )),
        Err(_) => Err(ApiError::http(
            StatusCode::REQUEST_TIMEOUT,
            format!("the body did not arrive within {timeout:?}"),
        )),
    }
}

/// The successful answer of `endpoint` to a request of `request`: its model filled with
/// `members` (see `answer::build`), signed with `user_id`'s key where the model is signed. An
/// answer that cannot be built is a bug of the sandbox: logged, and answered with HTTP 500,
/// never sent wrong or unsigned.
pub(crate) fn answer(
    app: &App,
    endpoint: &Endpoint,
    user_id: Option<&str>,
    request: &[(String, String)],
    members: Members,
) -> Result<Response, ApiError> {
    let spec = &app.config.spec;
    let built = spec
        .response_model(endpoint)
        .ok_or_else(|| {
            AnswerError(format!(
                "the spec has no model `{}`",
                endpoint.response.model
            ))
        })
        .and_then(|model| {
            let key = user_id.and_then(|u| app.key(u));
            let cx = answer::Context {
                spec,
                key: key.as_ref(),
                request,
            };
            answer::build(cx, model, members)
        });
    match built {
        Ok(text) => Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response()),
        Err(e) => Err(internal(&endpoint.name, &e)),
    }
}

/// A failure of the sandbox itself while answering `endpoint`: logged, and answered HTTP 500.
pub(crate) fn internal(endpoint: &str, e: &dyn std::fmt::Display) -> ApiError {
    tracing::error!(endpoint, error = %e, "answer not sent");
    ApiError::http(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the sandbox could not build its `{endpoint}` answer (a sandbox bug): {e}"),
    )
}

/// What a client is told about a change that could not be written to the state file: it must
/// not believe it.
fn not_saved_text(e: &StateError) -> String {
    format!("the change was made in memory but not saved: {e}")
}

/// A change that could not be saved, answered to a Latipay endpoint.
pub(crate) fn not_saved(e: StateError) -> ApiError {
    ApiError::http(StatusCode::INTERNAL_SERVER_ERROR, not_saved_text(&e))
}

/// A refusal of the sandbox's own admin routes: `{"error": ...}` with a 4xx or
/// 5xx status.
#[derive(Debug)]
pub(crate) struct Refusal(pub StatusCode, pub String);

impl Refusal {
    /// 404.
    pub(crate) fn not_found(message: impl Into<String>) -> Refusal {
        Refusal(StatusCode::NOT_FOUND, message.into())
    }

    /// 500: the change could not be saved.
    pub(crate) fn not_saved(e: &StateError) -> Refusal {
        Refusal(StatusCode::INTERNAL_SERVER_ERROR, not_saved_text(e))
    }
}

/// The admin routes answer what a test's call would return as an error.
impl From<crate::control::ControlError> for Refusal {
    fn from(e: crate::control::ControlError) -> Refusal {
        use crate::control::ControlError;
        let status = match &e {
            ControlError::NotFound(_) => StatusCode::NOT_FOUND,
            ControlError::Invalid(_) => StatusCode::BAD_REQUEST,
            ControlError::Ambiguous(_) | ControlError::Finished(_) => StatusCode::CONFLICT,
            ControlError::NotSaved(_) | ControlError::InsideRuntime(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ControlError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
        };
        Refusal(status, e.to_string())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, Json(json!({"error": self.1}))).into_response()
    }
}
