//! The hosted payment page at `{host_url}/{nonce}`: what the customer sees after a transaction.
//! It shows the order with Pay, Fail and Cancel buttons; each moves the order through its life
//! cycle and sends the browser to the merchant's return_url with the signed redirect parameters.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::reply::{Refusal, read_body};
use crate::app::App;
use crate::lifecycle::{self, redirect_url};
use crate::state::Status;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn not_found(nonce: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(format!("<h1>No payment for nonce {}</h1>", escape(nonce))),
    )
        .into_response()
}

/// `GET /pay/{nonce}`: the payment page. A merchant-hosted transaction's QR code is served by
/// the `gatewaydata` step instead; its page is here all the same, to pay it in a browser.
pub(crate) async fn show(State(app): State<Arc<App>>, Path(nonce): Path<String>) -> Response {
    let store = app.lock();
    let Some(i) = store.find_nonce(&nonce) else {
        return not_found(&nonce);
    };
    let o = store.order(i);
    let buttons = if o.status == Status::Pending {
        format!(
            r#"<form method="post" action="/pay/{n}"><button name="action" value="pay">Pay</button> <button name="action" value="fail">Fail</button> <button name="action" value="cancel">Cancel</button></form>"#,
            n = escape(&nonce)
        )
    } else {
        format!("<p>This order is {}.</p>", o.status.as_str())
    };
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Latipay sandbox payment</title>\
         <h1>Latipay sandbox</h1><p>{product}</p><p><b>{amount} {currency}</b> by {method}</p>\
         <p>Order {order_id}, merchant reference {reference}</p>{buttons}",
        product = escape(&o.product_name),
        amount = o.amount,
        currency = escape(&o.currency),
        method = escape(&o.payment_method),
        order_id = escape(&o.order_id),
        reference = escape(&o.merchant_reference),
    ))
    .into_response()
}

/// `POST /pay/{nonce}` with `action=pay|fail|cancel` from the page's form.
pub(crate) async fn act(
    State(app): State<Arc<App>>,
    Path(nonce): Path<String>,
    body: axum::body::Body,
) -> Response {
    let body = match read_body(&app, body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let action = form_urlencoded::parse(&body)
        .find(|(n, _)| n == "action")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let to = match action.as_str() {
        "pay" => Status::Paid,
        "fail" => Status::Failed,
        "cancel" => Status::Canceled,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                Html("<h1>Choose pay, fail or cancel</h1>"),
            )
                .into_response();
        }
    };
    let (moved, deliveries) = {
        let mut store = app.lock();
        let Some(i) = store.find_nonce(&nonce) else {
            return not_found(&nonce);
        };
        let deliveries = match lifecycle::settle(&app, &mut store, i, to) {
            Ok(deliveries) => deliveries,
            Err(not_pending) => {
                let reference = &store.order(i).merchant_reference;
                return Refusal::not_pending(reference, not_pending.0).into_response();
            }
        };
        let saved = store.commit();
        (
            saved.map(|()| redirect_url(&app, store.order(i))),
            deliveries,
        )
    };
    // Delivered even when saving failed: while running, memory is the truth.
    lifecycle::deliver(&app, deliveries);
    match moved {
        Ok(Some(url)) => (StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response(),
        Ok(None) => Html("<h1>Done</h1>").into_response(),
        Err(e) => Refusal::not_saved(&e).into_response(),
    }
}
