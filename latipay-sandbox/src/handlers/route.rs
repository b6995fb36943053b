//! Latipay's own endpoints, as the spec lists them: find the endpoint for a request's method and
//! path (a clear 404 or 405 otherwise), read and check the request (`check`), and hand it to the
//! handler of its endpoint group. An endpoint of a custom spec that the sandbox has no behaviour
//! for is answered with its model filled from the request (see `answer::build`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latipay_spec::Endpoint;

use super::gatewaydata::{self, GATEWAYDATA_PATH};
use super::reply::{answer, read_body};
use super::{invoice, mini, query, refund_cancel, transaction};
use crate::answer::Members;
use crate::app::App;
use crate::check::{Checked, Incoming, check, check_unsigned, match_path};
use crate::codes::ApiError;

/// The path the sandbox serves `endpoint` at: the spec's path; for an endpoint whose path starts
/// with a URL parameter (the request goes to an address an earlier answer gave, as `gatewaydata`
/// goes to the `host_url` of the `transaction` answer), the sandbox's own address for it. `None`
/// for such an endpoint the sandbox does not play.
pub(crate) fn served_path(endpoint: &Endpoint) -> Option<String> {
    if endpoint.path.starts_with('/') {
        return Some(endpoint.path.clone());
    }
    let first = endpoint.path_params().first().copied()?;
    let rest = endpoint.path.strip_prefix(&format!("{{{first}}}"))?;
    (endpoint.name == "gatewaydata").then(|| format!("{GATEWAYDATA_PATH}{rest}"))
}

/// Every request that is not a sandbox route: one of the spec's endpoints, or a clear 404/405.
pub(crate) async fn endpoint(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let method = parts.method.as_str().to_owned();
    let mut allowed: Vec<&str> = Vec::new();
    let mut found = None;
    for endpoint in app.config.spec.endpoints.values() {
        let Some(served) = served_path(endpoint) else {
            continue;
        };
        if let Some(mut params) = match_path(&served, &path) {
            if endpoint.method.as_str() == method {
                // The URL parameter an absolute path starts with: where the request came.
                if let Some(first) = endpoint.path_params().first()
                    && !endpoint.path.starts_with('/')
                {
                    // `{first}` and what follows it in the spec, `/{nonce}`, end both paths.
                    let rest = endpoint.path.len() - (first.len() + 2);
                    let url = format!("{}{}", app.base_url, &served[..served.len() - rest]);
                    params.insert(0, ((*first).to_owned(), url));
                }
                found = Some((endpoint, params));
                break;
            }
            allowed.push(endpoint.method.as_str());
        }
    }
    let Some((endpoint, path_params)) = found else {
        if allowed.is_empty() {
            let served: Vec<String> = app
                .config
                .spec
                .endpoints
                .values()
                .filter_map(|e| Some(format!("{} {}", e.method, served_path(e)?)))
                .collect();
            return ApiError::http(
                StatusCode::NOT_FOUND,
                format!(
                    "no Latipay endpoint at {method} {path}; the sandbox serves {}, and its own routes under /sandbox (GET /sandbox lists them)",
                    served.join(", ")
                ),
            )
            .into_response();
        }
        allowed.sort_unstable();
        allowed.dedup();
        let mut response = ApiError::http(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{path} takes {}, not {method}", allowed.join(" or ")),
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
            response.headers_mut().insert(header::ALLOW, v);
        }
        return response;
    };
    let bytes = match read_body(&app, body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let incoming = Incoming {
        path_params,
        query: parts.uri.query().unwrap_or(""),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        body: &bytes,
    };
    let result = match &endpoint.signing {
        Some(_) => match check(endpoint, &app.config.users, &incoming) {
            Ok(checked) => dispatch(&app, endpoint, checked).await,
            Err(e) => Err(e),
        },
        None => match check_unsigned(endpoint, &incoming) {
            Ok(fields) => dispatch_unsigned(&app, endpoint, &fields),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(response) => {
            tracing::info!(endpoint = %endpoint.name, %method, %path, code = 0, "request");
            response
        }
        Err(e) => {
            tracing::info!(endpoint = %endpoint.name, %method, %path, code = e.code.number(), message = %e.message, "request refused");
            e.into_response()
        }
    }
}

async fn dispatch(app: &Arc<App>, endpoint: &Endpoint, c: Checked) -> Result<Response, ApiError> {
    match endpoint.name.as_str() {
        "transaction" => transaction::transaction(app, endpoint, &c),
        "barcode" => transaction::barcode(app, endpoint, &c),
        "minialipay" => mini::minialipay(app, endpoint, &c),
        "miniapppay" => mini::miniapppay(app, endpoint, &c),
        "query" => query::query(app, endpoint, &c).await,
        "refund" => refund_cancel::refund(app, endpoint, &c),
        "cancel" => refund_cancel::cancel(app, endpoint, &c),
        "invoice_create" => invoice::invoice_create(app, endpoint, &c),
        "invoice_get" => invoice::invoice_get(app, endpoint, &c),
        "invoice_list" => invoice::invoice_list(app, endpoint, &c),
        "invoice_delete" => invoice::invoice_delete(app, endpoint, &c),
        "invoice_refund" => invoice::invoice_refund(app, endpoint, &c),
        // An endpoint this sandbox has no behaviour for (a custom spec): checked, then answered
        // with its model filled from the request (see `answer::build`).
        _ => answer(
            app,
            endpoint,
            Some(&c.user.user_id),
            &c.fields,
            Members::new(),
        ),
    }
}

/// The endpoints Latipay takes unsigned.
fn dispatch_unsigned(
    app: &Arc<App>,
    endpoint: &Endpoint,
    fields: &[(String, String)],
) -> Result<Response, ApiError> {
    match endpoint.name.as_str() {
        "gatewaydata" => gatewaydata::gatewaydata(app, endpoint, fields),
        _ => answer(app, endpoint, None, fields, Members::new()),
    }
}
