//! The hosted payment page at `{host_url}/{nonce}`: what the customer sees after a transaction.
//! It shows the order with Pay and Fail buttons; either moves the order and sends the browser to
//! the merchant's return_url with the signed redirect parameters.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use latipay_spec::{RuleKind, Signer};
use serde_json::{Value, json};

use crate::admin::{WhichUser, transition};
use crate::codes::{self, message_cn};
use crate::redirect::redirect_url;
use crate::server::App;
use crate::state::{Order, Status};

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

/// Standard base64 with padding; the sandbox needs it only for the merchant-hosted `qrcode`.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The merchant-hosted answer: the payment `data` signed by Rule A over its fields.
fn hosted_data(app: &App, o: &Order, nonce: &str) -> Response {
    let page = format!("{}/pay/{nonce}", app.base_url);
    let mut data: Vec<(&str, String)> = vec![
        ("amount", o.amount.to_string()),
        ("currency", o.currency.clone()),
        ("merchant_reference", o.merchant_reference.clone()),
        ("nonce", nonce.to_owned()),
        ("order_id", o.order_id.clone()),
        ("payment_method", o.payment_method.clone()),
        ("qrcode", base64(page.as_bytes())),
        ("status", o.status.as_str().to_owned()),
    ];
    data.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let signature = app.key(&o.user_id).map(|key| {
        let mut signer = Signer::new(&key, RuleKind::SortedJoin);
        for (n, v) in &data {
            signer.field(n, v);
        }
        signer.finish().to_hex()
    });
    let data: serde_json::Map<String, Value> = data
        .into_iter()
        .map(|(n, v)| (n.to_owned(), Value::String(v)))
        .collect();
    Json(json!({
        "code": 0,
        "message": "SUCCESS",
        "messageCN": message_cn(codes::OK),
        "data": data,
        "signature": signature,
    }))
    .into_response()
}

/// `GET /pay/{nonce}`: the payment page, or JSON `data` for a merchant-hosted transaction.
pub(crate) async fn show(State(app): State<Arc<App>>, Path(nonce): Path<String>) -> Response {
    let store = app.lock();
    let Some(i) = store.find_nonce(&nonce) else {
        return not_found(&nonce);
    };
    let o = store.order(i);
    if o.merchant_hosted {
        return hosted_data(&app, o, &nonce);
    }
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
    let body = match crate::api::read_body(&app, body).await {
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
    let (reference, user_id) = {
        let store = app.lock();
        let Some(i) = store.find_nonce(&nonce) else {
            return not_found(&nonce);
        };
        let o = store.order(i);
        (o.merchant_reference.clone(), o.user_id.clone())
    };
    let who = WhichUser {
        user_id: Some(user_id),
        ..WhichUser::any()
    };
    if let Err(r) = transition(&app, &reference, &who, to) {
        return r.into_response();
    }
    let store = app.lock();
    let target = store
        .find_nonce(&nonce)
        .and_then(|i| redirect_url(&app, store.order(i)));
    match target {
        Some(url) => (StatusCode::SEE_OTHER, [(header::LOCATION, url)]).into_response(),
        None => Html("<h1>Done</h1>").into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
