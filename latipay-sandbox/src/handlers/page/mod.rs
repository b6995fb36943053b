//! The hosted payment page at `{host_url}/{nonce}`: what the customer sees after a transaction.
//! A pending order shows what is paid, to whom and how, with Pay, Fail and Cancel (a QR code too
//! for the wallet methods); a finished one shows how it ended with a link back to the merchant,
//! never a live button and never JSON. The HTML is written in `html`; this module decides which
//! page, moves the order, and says where the browser goes next:
//!
//! - Pay: to `return_url` with the signed redirect parameters (`lifecycle::redirect_url`);
//! - Cancel: to `backPage_url` when the transaction gave one, else to the page, which now says
//!   the order is cancelled;
//! - Fail: to the page, which now says the payment failed.
//!
//! Every answer is `Cache-Control: no-store`, so Back after paying fetches the page again (and
//! finds it paid) instead of showing a cached Pay button; a browser that keeps the page in its
//! back-forward cache all the same is made to load it again by the page's one script. A content
//! security policy keeps the page to what it carries itself: that script, its style, `data:`
//! images.

mod html;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use self::html::{Finished, OrderView};
use super::merchant::organisation;
use super::reply::read_body;
use crate::app::App;
use crate::control::{self, ControlError};
use crate::lifecycle::redirect_url;
use crate::qr;
use crate::state::{Order, Status, Store};

/// The payment methods paid by scanning a code with a wallet app: their page shows a QR code.
const WALLET_METHODS: [&str; 2] = ["alipay", "wechat"];

/// The page's own path, where its form posts and where Fail and Cancel come back to.
fn page_path(nonce: &str) -> String {
    format!("/pay/{nonce}")
}

/// An HTML answer with `status`, never cached.
fn page(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(html::CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A `303 See Other` to `location` (after a form's POST the browser GETs it), never cached.
fn see_other(location: &str) -> Response {
    let Ok(value) = HeaderValue::from_str(location) else {
        tracing::error!(location, "not a valid Location header");
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            html::message(
                "The sandbox cannot send you on",
                "The merchant's address cannot be used as a redirect.",
            ),
        );
    };
    let mut response = page(StatusCode::SEE_OTHER, String::new());
    response.headers_mut().insert(header::LOCATION, value);
    response
}

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        html::message(
            "No such payment",
            "This payment link is not known to the sandbox: it may be mistyped, or the sandbox was restarted without its state file.",
        ),
    )
}

/// What the page shows of `order`, `merchant` being its merchant's name.
fn view<'a>(order: &'a Order, merchant: &'a str) -> OrderView<'a> {
    OrderView {
        merchant,
        product: &order.product_name,
        amount: order.amount.to_string(),
        currency: &order.currency,
        reference: &order.merchant_reference,
        order_id: &order.order_id,
        method: &order.payment_method,
    }
}

/// The merchant's name, as the customer sees it.
fn merchant_name(app: &App, order: &Order) -> String {
    organisation(app, &order.user_id).2
}

/// Where a finished order's page links back to the merchant: the signed `return_url` redirect
/// (`paid`, or `cancel_or_fail`); for a cancelled order `backPage_url` first.
fn back_link(app: &App, order: &Order) -> Option<String> {
    let back_page = order
        .back_page_url
        .clone()
        .filter(|_| order.status == Status::Canceled);
    back_page.or_else(|| redirect_url(app, order))
}

/// The page of `order` as it stands, with `status` (200; 409 when a button was pressed too late).
fn order_page(app: &App, order: &Order, nonce: &str, status: StatusCode) -> Response {
    let merchant = merchant_name(app, order);
    let view = view(order, &merchant);
    let how = match order.status {
        Status::Pending => {
            let qr = WALLET_METHODS
                .contains(&order.payment_method.as_str())
                .then(|| qr::png_data_url(&format!("{}{}", app.base_url, page_path(nonce))))
                .and_then(|made| {
                    made.map_err(|e| tracing::error!(error = %e, "no QR code on the page"))
                        .ok()
                });
            return page(
                status,
                html::payment(&view, &page_path(nonce), qr.as_deref()),
            );
        }
        Status::Paid => Finished::Paid,
        Status::Failed => Finished::Failed,
        Status::Canceled => Finished::Canceled,
    };
    let back = back_link(app, order);
    page(status, html::finished(&view, how, back.as_deref()))
}

/// `GET /pay/{nonce}`: the payment page of a pending order, or the page saying how it ended. A
/// merchant-hosted transaction's QR code is served by the `gatewaydata` step instead; its page
/// is here all the same, to pay it in a browser.
pub(crate) async fn show(State(app): State<Arc<App>>, Path(nonce): Path<String>) -> Response {
    let order = {
        let store = app.lock();
        let Some(i) = store.find_nonce(&nonce) else {
            return not_found();
        };
        store.order(i).clone()
    };
    order_page(&app, &order, &nonce, StatusCode::OK)
}

/// `POST /pay/{nonce}` with `action=pay|fail|cancel` from the page's form: moves the order (and
/// notifies the merchant), then sends the browser on with a 303 (see the module's doc). A button
/// pressed on an order that has already ended gets that order's page, with 409.
pub(crate) async fn act(
    State(app): State<Arc<App>>,
    Path(nonce): Path<String>,
    body: axum::body::Body,
) -> Response {
    let body = match read_body(&app, body).await {
        Ok(b) => b,
        Err(e) => {
            return page(
                e.status,
                html::message("The sandbox cannot read this", &e.message),
            );
        }
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
            return page(
                StatusCode::BAD_REQUEST,
                html::message(
                    "Choose Pay, Fail or Cancel",
                    "The form was sent without one of its buttons: go back to the payment page and press one.",
                ),
            );
        }
    };
    let find = |store: &Store| {
        store
            .find_nonce(&nonce)
            .ok_or_else(|| ControlError::NotFound(format!("no payment page `{nonce}`")))
    };
    let order = match control::settle_found(&app, find, to) {
        Ok(order) => order,
        Err(ControlError::Finished(_)) => {
            // A stale tab: the order's page as it is now.
            let store = app.lock();
            let Some(i) = store.find_nonce(&nonce) else {
                return not_found();
            };
            let order = store.order(i).clone();
            drop(store);
            return order_page(&app, &order, &nonce, StatusCode::CONFLICT);
        }
        Err(ControlError::NotFound(_)) => return not_found(),
        Err(e) => {
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                html::message("Not saved", &e.to_string()),
            );
        }
    };
    let next = match to {
        Status::Paid => redirect_url(&app, &order),
        Status::Canceled => order.back_page_url.clone(),
        Status::Failed | Status::Pending => None,
    };
    see_other(&next.unwrap_or_else(|| page_path(&nonce)))
}
