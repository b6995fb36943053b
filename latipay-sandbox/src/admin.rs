//! The sandbox's own routes under `/sandbox`: look at orders and their notification deliveries,
//! and move an order as its customer would (pay, fail, cancel). Answers are plain JSON, with
//! `{"error": ...}` and a 4xx status when the request cannot be done.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::magic::MAGIC_AMOUNTS;
use crate::notify;
use crate::redirect::redirect_url;
use crate::server::App;
use crate::state::{Owner, Status, Store};

/// `?user_id=` to pick among users with the same merchant_reference.
#[derive(Debug, Deserialize)]
pub(crate) struct WhichUser {
    pub(crate) user_id: Option<String>,
    pub(crate) payment_method: Option<String>,
}

/// A refusal of an admin route: `{"error": ...}` with a 4xx status.
#[derive(Debug)]
pub(crate) struct AdminError(StatusCode, String);

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({"error": self.1}))).into_response()
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    AdminError(status, message.into()).into_response()
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
            let path = crate::api::served_path(e)?;
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

/// A change that could not be written to the state file: the client must not believe it.
fn not_saved(e: &crate::persist::StateError) -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the change was made in memory but not saved: {e}"),
    )
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
        Err(e) => not_saved(&e),
    }
}

/// `GET /sandbox/orders`: every order, without deliveries.
pub(crate) async fn list(State(app): State<Arc<App>>) -> Json<Value> {
    let store = app.lock();
    Json(json!({"orders": store.orders()}))
}

/// An order with its refunds, deliveries and redirect URL.
pub(crate) fn view(app: &App, store: &Store, i: usize) -> Value {
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

fn resolve(store: &Store, reference: &str, who: &WhichUser) -> Result<usize, AdminError> {
    let found: Vec<usize> = store
        .find_any(reference)
        .into_iter()
        .filter(|&i| {
            who.user_id
                .as_deref()
                .is_none_or(|u| store.order(i).user_id == u)
        })
        .collect();
    match found.as_slice() {
        [i] => Ok(*i),
        [] => Err(AdminError(
            StatusCode::NOT_FOUND,
            format!("no order with merchant_reference `{reference}`"),
        )),
        _ => Err(AdminError(
            StatusCode::CONFLICT,
            format!("several users have an order `{reference}`; add ?user_id=..."),
        )),
    }
}

/// `GET /sandbox/orders/{merchant_reference}`.
pub(crate) async fn show(
    State(app): State<Arc<App>>,
    Path(reference): Path<String>,
    Query(who): Query<WhichUser>,
) -> Response {
    let store = app.lock();
    match resolve(&store, &reference, &who) {
        Ok(i) => Json(view(&app, &store, i)).into_response(),
        Err(r) => r.into_response(),
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
            return error(
                StatusCode::NOT_FOUND,
                format!("unknown action `{other}`; use pay, fail or cancel"),
            );
        }
    };
    match transition(&app, &reference, &who, to) {
        Ok(v) => Json(v).into_response(),
        Err(r) => r.into_response(),
    }
}

/// Moves the order and queues its notification; the order's view, or the refusal.
pub(crate) fn transition(
    app: &Arc<App>,
    reference: &str,
    who: &WhichUser,
    to: Status,
) -> Result<Value, AdminError> {
    let (v, deliveries) = {
        let mut store = app.lock();
        let i = resolve(&store, reference, who)?;
        let tx = app.ids.prefixed("4200");
        if let Err(not_pending) = store.transition(i, to, tx) {
            return Err(AdminError(
                StatusCode::CONFLICT,
                format!(
                    "order `{reference}` is already {}; only pending orders can be moved",
                    not_pending.0.as_str()
                ),
            ));
        }
        let deliveries = notify::queue_order(app, &mut store, i);
        let saved = store.commit();
        (saved.map(|()| view(app, &store, i)), deliveries)
    };
    // Delivered even when saving failed: while running, memory is the truth.
    notify::spawn(app, deliveries);
    v.map_err(|e| {
        AdminError(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the change was made in memory but not saved: {e}"),
        )
    })
}

impl WhichUser {
    /// Any user.
    pub(crate) fn any() -> WhichUser {
        WhichUser {
            user_id: None,
            payment_method: None,
        }
    }
}

/// `GET /sandbox/invoices/{invoice_id}`.
pub(crate) async fn show_invoice(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let store = app.lock();
    match store.invoices().iter().find(|i| i.invoice_id == id) {
        Some(invoice) => {
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
        None => error(StatusCode::NOT_FOUND, format!("no invoice `{id}`")),
    }
}

/// `POST /sandbox/invoices/{invoice_id}/pay`: the customer pays the invoice.
pub(crate) async fn pay_invoice(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(who): Query<WhichUser>,
) -> Response {
    let method = who.payment_method.as_deref().unwrap_or("alipay");
    let deliveries = {
        let mut store = app.lock();
        let Some(i) = store.invoices().iter().position(|x| x.invoice_id == id) else {
            return error(StatusCode::NOT_FOUND, format!("no invoice `{id}`"));
        };
        if store.invoices()[i].status != "unpaid" {
            return error(
                StatusCode::CONFLICT,
                format!("invoice `{id}` is {}", store.invoices()[i].status),
            );
        }
        let invoice = store.invoice_mut(i);
        invoice.status = "paid".into();
        invoice.pay_time = Some(crate::ids::Time::now().text());
        invoice.paid_method = Some(method.to_owned());
        let deliveries = crate::api::queue_invoice(&app, &mut store, i, method);
        (deliveries, store.commit())
    };
    notify::spawn(&app, deliveries.0);
    if let Err(e) = deliveries.1 {
        return not_saved(&e);
    }
    let store = app.lock();
    match store.invoices().iter().find(|i| i.invoice_id == id) {
        Some(invoice) => Json(json!(invoice)).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no invoice `{id}`")),
    }
}
