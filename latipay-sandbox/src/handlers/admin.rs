//! The sandbox's own routes under `/sandbox`: look at orders and their notification deliveries,
//! and move an order as its customer would (pay, fail, cancel). Answers are plain JSON, with
//! `{"error": ...}` and a 4xx status when the request cannot be done (500 when a change cannot
//! be saved).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::reply::Refusal;
use super::route::served_path;
use crate::app::App;
use crate::control;
use crate::lifecycle::redirect_url;
use crate::magic::MAGIC_AMOUNTS;
use crate::state::{Owner, Status, Store};

/// `?user_id=` to pick among users with the same merchant_reference; `?payment_method=` for
/// paying an invoice.
#[derive(Debug, Deserialize)]
pub(crate) struct WhichUser {
    user_id: Option<String>,
    payment_method: Option<String>,
}

/// `GET /sandbox`: what this sandbox serves.
pub(crate) async fn index(State(app): State<Arc<App>>) -> Json<Value> {
    let users: Vec<Value> = app
        .config
        .users
        .iter()
        .map(|u| {
            json!({
                "user_id": u.user_id,
                "wallets": u.wallets.iter().map(|w| json!({"wallet_id": w.wallet_id, "currency": w.currency})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let endpoints: Vec<Value> = app
        .config
        .spec
        .endpoints
        .values()
        .filter_map(|e| {
            let path = served_path(e)?;
            Some(json!({"name": e.name, "method": e.method.as_str(), "path": path}))
        })
        .collect();
    let magic: Vec<Value> = MAGIC_AMOUNTS
        .iter()
        .map(|(ending, what)| json!({"amount_ending": ending, "effect": what}))
        .collect();
    Json(json!({
        "sandbox": "latipay-sandbox",
        "base_url": app.base_url,
        "users": users,
        "endpoints": endpoints,
        "magic_amounts": magic,
        "notify_interval_ms": u64::try_from(app.config.notify_interval.as_millis()).unwrap_or(u64::MAX),
        "max_attempts": app.config.max_attempts,
        "admin": [
            "GET /sandbox",
            "GET /sandbox/orders",
            "GET /sandbox/orders/{merchant_reference}[?user_id=]",
            "POST /sandbox/orders/{merchant_reference}/pay|fail|cancel[?user_id=]",
            "GET /sandbox/invoices/{invoice_id}",
            "POST /sandbox/invoices/{invoice_id}/pay[?payment_method=]",
            "POST /sandbox/reset",
            "GET /pay/{nonce} (hosted payment page)",
        ],
    }))
}

/// `POST /sandbox/reset`: forgets every order, invoice and delivery.
pub(crate) async fn reset(State(app): State<Arc<App>>) -> Response {
    let saved = {
        let mut store = app.lock();
        store.clear();
        store.commit()
    };
    app.bump();
    match saved {
        Ok(()) => Json(json!({"reset": true})).into_response(),
        Err(e) => Refusal::not_saved(&e).into_response(),
    }
}

/// `GET /sandbox/orders`: every order, without deliveries.
pub(crate) async fn list(State(app): State<Arc<App>>) -> Json<Value> {
    let store = app.lock();
    Json(json!({"orders": store.orders()}))
}

/// An order with its refunds, deliveries and redirect URL.
fn view(app: &App, store: &Store, i: usize) -> Value {
    let order = store.order(i);
    let mut v = serde_json::to_value(order).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "refunded".into(),
            Value::String(order.refunded().to_string()),
        );
        o.insert(
            "redirect_url".into(),
            redirect_url(app, order).map_or(Value::Null, Value::String),
        );
        let deliveries = store.deliveries_of(&Owner::Order(order.order_id.clone()));
        o.insert(
            "notifications".into(),
            serde_json::to_value(deliveries).unwrap_or(Value::Null),
        );
    }
    v
}

/// `GET /sandbox/orders/{merchant_reference}`.
pub(crate) async fn show(
    State(app): State<Arc<App>>,
    Path(reference): Path<String>,
    Query(who): Query<WhichUser>,
) -> Response {
    let store = app.lock();
    match control::find_order(&store, &reference, who.user_id.as_deref()) {
        Ok(i) => Json(view(&app, &store, i)).into_response(),
        Err(e) => Refusal::from(e).into_response(),
    }
}

/// `POST /sandbox/orders/{merchant_reference}/{pay|fail|cancel}`: the customer pays, the payment
/// fails, or the customer cancels; the notification follows.
pub(crate) async fn act(
    State(app): State<Arc<App>>,
    Path((reference, action)): Path<(String, String)>,
    Query(who): Query<WhichUser>,
) -> Response {
    let to = match action.as_str() {
        "pay" => Status::Paid,
        "fail" => Status::Failed,
        "cancel" => Status::Canceled,
        other => {
            return Refusal::not_found(format!(
                "unknown action `{other}`; use pay, fail or cancel"
            ))
            .into_response();
        }
    };
    let moved = control::settle(&app, &reference, who.user_id.as_deref(), to).map(|order| {
        let store = app.lock();
        // The order's view with its deliveries; `settle` found it, so it is there.
        let i = control::find_order(&store, &order.merchant_reference, Some(&order.user_id));
        i.map_or(Value::Null, |i| view(&app, &store, i))
    });
    match moved {
        Ok(v) => Json(v).into_response(),
        Err(e) => Refusal::from(e).into_response(),
    }
}

/// `GET /sandbox/invoices/{invoice_id}`.
pub(crate) async fn show_invoice(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let store = app.lock();
    match control::invoice(&store, &id) {
        Ok(invoice) => {
            let mut v = serde_json::to_value(invoice).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "notifications".into(),
                    serde_json::to_value(store.deliveries_of(&Owner::Invoice(id.clone())))
                        .unwrap_or(Value::Null),
                );
            }
            Json(v).into_response()
        }
        Err(e) => Refusal::from(e).into_response(),
    }
}

/// `POST /sandbox/invoices/{invoice_id}/pay`: the customer pays the invoice.
pub(crate) async fn pay_invoice(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(who): Query<WhichUser>,
) -> Response {
    let method = who.payment_method.as_deref().unwrap_or("alipay");
    match control::pay_invoice(&app, &id, method) {
        Ok(invoice) => Json(json!(invoice)).into_response(),
        Err(e) => Refusal::from(e).into_response(),
    }
}

/// A route of the sandbox's own asked with a method it does not take (`DELETE /sandbox/orders`):
/// 405 with `{"error": ...}` like every other refusal of these routes (and axum's `Allow`
/// header), rather than an empty answer.
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    Refusal(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} does not take {method}; GET /sandbox lists the sandbox's routes with their methods",
            uri.path()
        ),
    )
    .into_response()
}
