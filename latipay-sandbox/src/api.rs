//! Latipay's own endpoints, as the spec lists them: find the endpoint for the method and path,
//! check the request, then play the endpoint (create orders, query, refund, cancel, invoices).
//! Responses carry what the real API returns and are signed where it signs.

use std::borrow::Cow;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latipay_spec::inbound::sign_concat;
use latipay_spec::{Amount, Endpoint};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::check::{Checked, Incoming, check, match_path};
use crate::codes::{self, ApiError, message_cn};
use crate::ids::Time;
use crate::magic::Magic;
use crate::notify::{self, amount_cny, rate};
use crate::persist::StateError;
use crate::server::App;
use crate::state::{Invoice, Order, Owner, Refund, Status};

/// Every request that is not a sandbox route: one of the spec's endpoints, or a clear 404/405.
pub(crate) async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let method = parts.method.as_str().to_owned();
    let mut allowed: Vec<&str> = Vec::new();
    let mut found = None;
    for endpoint in app.config.spec.endpoints.values() {
        if let Some(params) = match_path(&endpoint.path, &path) {
            if endpoint.method.as_str() == method {
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
                .map(|e| format!("{} {}", e.method, e.path))
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
    let result = match check(endpoint, &app.config.users, &incoming) {
        Ok(checked) => dispatch(&app, endpoint, checked).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(response) => {
            tracing::info!(endpoint = %endpoint.name, %method, %path, code = 0, "request");
            response
        }
        Err(e) => {
            tracing::info!(endpoint = %endpoint.name, %method, %path, code = e.code, message = %e.message, "request refused");
            e.into_response()
        }
    }
}

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

async fn dispatch(app: &Arc<App>, endpoint: &Endpoint, c: Checked) -> Result<Response, ApiError> {
    match endpoint.name.as_str() {
        "transaction" => transaction(app, endpoint, &c),
        "barcode" => barcode(app, &c),
        "minialipay" => minialipay(app, &c),
        "miniapppay" => miniapppay(app, &c),
        "query" => query(app, endpoint, &c).await,
        "refund" => refund(app, &c),
        "cancel" => cancel(app, &c),
        "invoice_create" => invoice_create(app, &c),
        "invoice_get" => invoice_get(app, &c),
        "invoice_list" => invoice_list(app, &c),
        "invoice_delete" => invoice_delete(app, &c),
        "invoice_refund" => invoice_refund(app, &c),
        // An endpoint this sandbox has no behaviour for (a custom spec): checked, then accepted.
        _ => Ok(success(json!({}))),
    }
}

/// `{code: 0, message, messageCN}` plus the members of `extra`.
fn success(extra: Value) -> Response {
    let mut body = json!({"code": 0, "message": "SUCCESS", "messageCN": message_cn(codes::OK)});
    if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
        b.extend(extra);
    }
    Json(body).into_response()
}

/// How a new order starts.
struct NewOrder {
    payment_method: String,
    notify_url: Option<String>,
    return_url: Option<String>,
    nonce: Option<String>,
    /// Barcode payments are confirmed by the customer before the request: paid at once.
    paid_at_once: bool,
}

/// Creates an order from a checked request (refusing a reused merchant_reference) and applies
/// the amount's magic scenario.
fn create_order(
    app: &Arc<App>,
    endpoint: &str,
    c: &Checked,
    new: NewOrder,
) -> Result<Order, ApiError> {
    let amount = positive_amount(c, "amount")?;
    let magic = Magic::of(amount);
    if magic == Magic::OverLimit {
        return Err(ApiError::new(
            codes::OVER_LIMIT,
            "magic amount ending in .54: the sandbox's single payment limit is exceeded on purpose",
        ));
    }
    let wallet = c
        .wallet
        .clone()
        .or_else(|| c.user.wallets.first().cloned())
        .ok_or_else(|| ApiError::new(codes::WALLET_NOT_ASSIGNED, "the user has no wallet"))?;
    let order_id = app.ids.order_id();
    let merchant_reference = c.get("merchant_reference").unwrap_or(&order_id).to_owned();
    let order = Order {
        user_id: c.user.user_id.clone(),
        wallet_id: wallet.wallet_id,
        currency: wallet.currency,
        merchant_reference: merchant_reference.clone(),
        order_id,
        endpoint: endpoint.to_owned(),
        payment_method: new.payment_method,
        amount,
        product_name: c.get("product_name").unwrap_or_default().to_owned(),
        notify_url: new.notify_url,
        return_url: new.return_url,
        nonce: new.nonce,
        merchant_hosted: c.get("host_type") == Some("1"),
        status: Status::Pending,
        created_at: Time::now().text(),
        pay_time: None,
        transaction_id: None,
        refunds: Vec::new(),
        magic,
    };
    let (snapshot, deliveries) = {
        let mut store = app.lock();
        let i = store.insert(order).map_err(|existing| {
            ApiError::new(
                codes::FAIL,
                format!(
                    "merchant_reference `{merchant_reference}` is already used by order {existing}; every order needs a new merchant_reference"
                ),
            )
        })?;
        let to = match magic {
            Magic::Fail => Some(Status::Failed),
            Magic::Pay | Magic::PayBadNotification | Magic::PayDuplicateNotification => {
                Some(Status::Paid)
            }
            _ if new.paid_at_once => Some(Status::Paid),
            _ => None,
        };
        let mut deliveries = Vec::new();
        if let Some(to) = to {
            let tx = app.ids.prefixed("4200");
            if store.transition(i, to, tx).is_ok() {
                deliveries = notify::queue_order(app, &mut store, i);
            }
        }
        let saved = store.commit();
        (saved.map(|()| store.order(i).clone()), deliveries)
    };
    notify::spawn(app, deliveries);
    snapshot.map_err(not_saved)
}

/// A change that could not be written to the state file: the client must not believe it.
fn not_saved(e: StateError) -> ApiError {
    ApiError::http(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the change was made in memory but not saved: {e}"),
    )
}

fn positive_amount(c: &Checked, name: &str) -> Result<Amount, ApiError> {
    let amount = c
        .amount(name)
        .ok_or_else(|| ApiError::new(codes::FIELD_NULL, format!("`{name}`")))?;
    if amount == Amount::ZERO {
        return Err(ApiError::new(
            codes::PARAM_WRONG,
            format!("`{name}` must be more than 0.00"),
        ));
    }
    Ok(amount)
}

/// Signs a response by the endpoint's response rule (Rule C, Rule B) over `lookup`.
fn response_signature<'v>(
    app: &App,
    endpoint: &Endpoint,
    user_id: &str,
    lookup: impl Fn(&str) -> Option<Cow<'v, str>>,
) -> Option<String> {
    let rule = endpoint.response.signature.as_ref()?;
    let key = app.key(user_id)?;
    sign_concat(rule, &key, lookup).ok().map(|s| s.to_hex())
}

fn transaction(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
    let method = c.get("payment_method").unwrap_or_default().to_owned();
    if c.get("host_type") == Some("1") && !matches!(method.as_str(), "alipay" | "wechat") {
        return Err(ApiError::new(
            codes::PARAM_WRONG,
            format!(
                "host_type 1 (merchant-hosted) takes payment_method alipay or wechat, not {method}"
            ),
        ));
    }
    if c.get("present_qr").is_some() && method != "wechat" {
        return Err(ApiError::new(
            codes::PARAM_WRONG,
            "present_qr is for payment_method wechat only",
        ));
    }
    let nonce = app.ids.nonce();
    create_order(
        app,
        &endpoint.name,
        c,
        NewOrder {
            payment_method: method,
            notify_url: c.get("callback_url").map(str::to_owned),
            return_url: c.get("return_url").map(str::to_owned),
            nonce: Some(nonce.clone()),
            paid_at_once: false,
        },
    )?;
    let host_url = format!("{}/pay", app.base_url);
    let signature = response_signature(app, endpoint, &c.user.user_id, |n| match n {
        "nonce" => Some(Cow::Borrowed(nonce.as_str())),
        "host_url" => Some(Cow::Borrowed(host_url.as_str())),
        _ => None,
    });
    Ok(success(
        json!({"host_url": host_url, "nonce": nonce, "signature": signature}),
    ))
}

fn barcode(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    // The customer's code says which wallet app it is: WeChat codes start with 1, Alipay with 2.
    let method = match c.get("pay_code").and_then(|p| p.chars().next()) {
        Some('1') => "wechat",
        _ => "alipay",
    };
    let order = create_order(
        app,
        "barcode",
        c,
        NewOrder {
            payment_method: method.to_owned(),
            notify_url: None,
            return_url: None,
            nonce: None,
            paid_at_once: true,
        },
    )?;
    Ok(success(json!({"order_id": order.order_id})))
}

/// Alipay's trade parameters, in the key order Alipay's `my.tradePay` gets them: not alphabetical,
/// so clients must keep the server's order.
#[derive(Serialize)]
struct GatewayData {
    service: &'static str,
    partner: &'static str,
    _input_charset: &'static str,
    sign_type: &'static str,
    sign: String,
    notify_url: String,
    return_url: String,
    subject: String,
    body: &'static str,
    out_trade_no: String,
    currency: String,
    total_fee: String,
    supplier: &'static str,
    secondary_merchant_id: String,
    secondary_merchant_name: &'static str,
    secondary_merchant_industry: &'static str,
    product_code: &'static str,
    app_pay: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AlipayPayData {
    order_id: String,
    customer_order_id: String,
    currency: String,
    amount: String,
}

#[derive(Serialize)]
struct MiniAlipayBody {
    code: u32,
    message: &'static str,
    #[serde(rename = "messageCN")]
    message_cn: &'static str,
    gatewaydata: GatewayData,
    paydata: AlipayPayData,
}

fn minialipay(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let order = create_order(
        app,
        "minialipay",
        c,
        NewOrder {
            payment_method: "alipay".into(),
            notify_url: c.get("callback_url").map(str::to_owned),
            return_url: None,
            nonce: None,
            paid_at_once: false,
        },
    )?;
    let body = MiniAlipayBody {
        code: codes::OK,
        message: "SUCCESS",
        message_cn: message_cn(codes::OK),
        gatewaydata: GatewayData {
            service: "create_forex_trade_wap",
            partner: "2088000000000000",
            _input_charset: "UTF-8",
            sign_type: "MD5",
            sign: app.ids.token(32),
            notify_url: format!("{}/notify/alipay", app.base_url),
            return_url: format!("{}/notify/sync/alipay", app.base_url),
            subject: order.product_name.clone(),
            body: "5399",
            out_trade_no: order.order_id.clone(),
            currency: order.currency.clone(),
            total_fee: order.amount.to_string(),
            supplier: "Latipay Sandbox",
            secondary_merchant_id: order.wallet_id.clone(),
            secondary_merchant_name: "Latipay Sandbox",
            secondary_merchant_industry: "5399",
            product_code: "NEW_WAP_OVERSEAS_SELLER",
            app_pay: "Y",
        },
        paydata: AlipayPayData {
            order_id: order.order_id.clone(),
            customer_order_id: order.merchant_reference.clone(),
            currency: order.currency.clone(),
            amount: order.amount.to_string(),
        },
    };
    Ok(Json(body).into_response())
}

fn miniapppay(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let order = create_order(
        app,
        "miniapppay",
        c,
        NewOrder {
            payment_method: "wechat".into(),
            notify_url: c.get("notify_url").map(str::to_owned),
            return_url: None,
            nonce: None,
            paid_at_once: false,
        },
    )?;
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Ok(success(json!({
        "payment": {
            "nonceStr": app.ids.token(32),
            "paySign": app.ids.token(32).to_uppercase(),
            "signType": "MD5",
            "timeStamp": timestamp.to_string(),
            "packageStr": format!("prepay_id=wx{}", app.ids.token(28)),
        },
        "paydata": {"order_id": order.order_id},
    })))
}

/// The query response: `amount` is a JSON number written with two decimals, and Rule B signs
/// that very text, so it is written from the amount's text, never through a float.
#[derive(Serialize)]
struct QueryBody<'a> {
    code: u32,
    message: &'static str,
    #[serde(rename = "messageCN")]
    message_cn: &'static str,
    merchant_reference: &'a str,
    currency: &'a str,
    amount: Box<RawValue>,
    amount_cny: Box<RawValue>,
    rate: Box<RawValue>,
    payment_method: &'a str,
    status: &'static str,
    pay_time: &'a str,
    order_id: &'a str,
    transaction_id: &'a str,
    signature: Option<String>,
}

fn number(text: String) -> Result<Box<RawValue>, ApiError> {
    RawValue::from_string(text).map_err(|e| ApiError::new(codes::FAIL, e.to_string()))
}

async fn query(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
    let reference = c.get("merchant_reference").unwrap_or_default();
    let block = c.get("is_block") == Some("1");
    let deadline = tokio::time::Instant::now() + app.config.long_poll;
    let mut changes = app.changed.subscribe();
    let mut shutdown = app.shutdown.clone();
    let order = loop {
        let order = {
            let store = app.lock();
            store
                .find(&c.user.user_id, reference)
                .map(|i| store.order(i).clone())
        };
        let Some(order) = order else {
            return Err(ApiError::new(
                codes::ORDER_NOT_EXIST,
                format!(
                    "no order with merchant_reference `{reference}` for user {}",
                    c.user.user_id
                ),
            ));
        };
        if !block || order.status != Status::Pending || app.stopping() {
            break order;
        }
        tokio::select! {
            r = tokio::time::timeout_at(deadline, changes.changed()) => {
                if !matches!(r, Ok(Ok(()))) {
                    break order;
                }
            }
            _ = shutdown.wait_for(|s| *s) => break order,
        }
    };
    let amount = order.amount.to_string();
    let status = order.status.query_status();
    let signature = response_signature(app, endpoint, &order.user_id, |n| {
        Some(Cow::Owned(match n {
            "merchant_reference" => order.merchant_reference.clone(),
            "payment_method" => order.payment_method.clone(),
            "status" => status.to_owned(),
            "currency" => order.currency.clone(),
            "amount" => amount.clone(),
            "order_id" => order.order_id.clone(),
            _ => return None,
        }))
    });
    let body = QueryBody {
        code: codes::OK,
        message: "SUCCESS",
        message_cn: message_cn(codes::OK),
        merchant_reference: &order.merchant_reference,
        currency: &order.currency,
        amount: number(amount.clone())?,
        amount_cny: number(amount_cny(order.amount, &order.currency).to_string())?,
        rate: number(rate(&order.currency).1.to_owned())?,
        payment_method: &order.payment_method,
        status,
        pay_time: order.pay_time.as_deref().unwrap_or(""),
        order_id: &order.order_id,
        transaction_id: order.transaction_id.as_deref().unwrap_or(""),
        signature,
    };
    Ok(Json(body).into_response())
}

fn refund(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let order_id = c.get("order_id").unwrap_or_default();
    let amount = c
        .amount("refund_amount")
        .ok_or_else(|| ApiError::new(codes::FIELD_NULL, "`refund_amount`"))?;
    let reference = c.get("reference").unwrap_or_default().to_owned();
    let mut store = app.lock();
    let i = store
        .find_order_id(order_id)
        .filter(|&i| store.order(i).user_id == c.user.user_id)
        .ok_or_else(|| {
            ApiError::new(
                codes::REFUND_ORDER_NOT_EXIST,
                format!(
                    "no order with order_id `{order_id}` for user {}",
                    c.user.user_id
                ),
            )
        })?;
    let order = store.order(i);
    if order.status != Status::Paid {
        return Err(ApiError::new(
            codes::REFUND_PARAMS,
            format!(
                "order {order_id} is {}; only paid orders can be refunded",
                order.status.as_str()
            ),
        ));
    }
    if amount == Amount::ZERO {
        return Err(ApiError::new(
            codes::REFUND_PARAMS,
            "`refund_amount` must be more than 0.00",
        ));
    }
    let refunded = order.refunded();
    let left = Amount::from_cents(order.amount.cents().saturating_sub(refunded.cents()));
    let repeated = !reference.is_empty()
        && order
            .refunds
            .iter()
            .any(|r| r.reference == reference && r.amount == amount);
    if left == Amount::ZERO || repeated {
        return Err(ApiError::new(
            codes::REFUND_DONE,
            format!(
                "order {order_id} has already been refunded {refunded} of {}",
                order.amount
            ),
        ));
    }
    if amount > left {
        return Err(ApiError::new(
            codes::INSUFFICIENT,
            format!("order {order_id} has {left} left to refund, less than {amount}"),
        ));
    }
    let refund_id = app.ids.prefixed("R");
    store.order_mut(i).refunds.push(Refund {
        refund_id,
        amount,
        reference,
        at: Time::now().text(),
    });
    store.commit().map_err(not_saved)?;
    drop(store);
    app.bump();
    Ok(success(json!({})))
}

fn cancel(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let reference = c.get("merchant_reference").unwrap_or_default();
    let deliveries = {
        let mut store = app.lock();
        let i = store.find(&c.user.user_id, reference).ok_or_else(|| {
            ApiError::new(
                codes::ORDER_NOT_EXIST,
                format!(
                    "no order with merchant_reference `{reference}` for user {}",
                    c.user.user_id
                ),
            )
        })?;
        match store.transition(i, Status::Canceled, String::new()) {
            Ok(()) => (notify::queue_order(app, &mut store, i), store.commit()),
            Err(not_pending) => {
                let code = if not_pending.0 == Status::Paid {
                    codes::ALREADY_COMPLETED
                } else {
                    codes::ALREADY_FAILED
                };
                return Err(ApiError::new(
                    code,
                    format!("order `{reference}` is {}", not_pending.0.as_str()),
                ));
            }
        }
    };
    notify::spawn(app, deliveries.0);
    deliveries.1.map_err(not_saved)?;
    Ok(success(json!({})))
}

fn invoice_json(app: &App, invoice: &Invoice) -> Value {
    let mut v = serde_json::to_value(invoice).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.remove("user_id");
        o.insert(
            "pay_url".into(),
            Value::String(format!(
                "{}/sandbox/invoices/{}",
                app.base_url, invoice.invoice_id
            )),
        );
    }
    v
}

fn invoice_create(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let amount = positive_amount(c, "amount")?;
    if Magic::of(amount) == Magic::OverLimit {
        return Err(ApiError::new(
            codes::OVER_LIMIT,
            "magic amount ending in .54",
        ));
    }
    let wallet = c
        .wallet
        .clone()
        .or_else(|| c.user.wallets.first().cloned())
        .ok_or_else(|| ApiError::new(codes::WALLET_NOT_ASSIGNED, "the user has no wallet"))?;
    let get = |n: &str| c.get(n).map(str::to_owned);
    let invoice = Invoice {
        invoice_id: app.ids.prefixed("INV"),
        user_id: c.user.user_id.clone(),
        wallet_id: wallet.wallet_id,
        currency: wallet.currency,
        amount: c.get("amount").unwrap_or_default().to_owned(),
        product_name: get("product_name"),
        customer_order_id: get("customer_order_id"),
        customer_reference: get("customer_reference"),
        return_url: get("return_url"),
        notify_url: get("notify_url"),
        status: "unpaid".into(),
        create_time: Time::now().text(),
        pay_time: None,
        period_time: get("period_time"),
    };
    let mut store = app.lock();
    if let Some(id) = &invoice.customer_order_id
        && store
            .invoices()
            .iter()
            .any(|i| i.user_id == invoice.user_id && i.customer_order_id.as_ref() == Some(id))
    {
        return Err(ApiError::new(
            codes::FAIL,
            format!("customer_order_id `{id}` is already used by another invoice"),
        ));
    }
    let data = invoice_json(app, &invoice);
    store.push_invoice(invoice);
    store.commit().map_err(not_saved)?;
    Ok(success(json!({"data": data})))
}

/// The invoice named by invoice_id or customer_order_id, of the requesting user.
fn find_invoice(store: &crate::state::Store, c: &Checked) -> Result<usize, ApiError> {
    let by_id = c.get("invoice_id");
    let by_order = c.get("customer_order_id");
    if by_id.is_none() && by_order.is_none() {
        return Err(ApiError::new(
            codes::FIELD_NULL,
            "`invoice_id` or `customer_order_id`",
        ));
    }
    store
        .invoices()
        .iter()
        .position(|i| {
            i.user_id == c.user.user_id
                && by_id.is_none_or(|id| i.invoice_id == id)
                && by_order.is_none_or(|o| i.customer_order_id.as_deref() == Some(o))
        })
        .ok_or_else(|| ApiError::new(codes::ORDER_NOT_EXIST, "no such invoice"))
}

fn invoice_get(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let store = app.lock();
    let i = find_invoice(&store, c)?;
    Ok(success(
        json!({"data": invoice_json(app, &store.invoices()[i])}),
    ))
}

/// Times are compared as text; a date alone as an end means the end of that day.
fn invoice_list(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let start = c.get("start_time").unwrap_or_default();
    let end = c.get("end_time").map(|e| {
        if e.len() == 10 {
            format!("{e} 23:59:59")
        } else {
            e.to_owned()
        }
    });
    for (name, t) in [("start_time", Some(start)), ("end_time", c.get("end_time"))] {
        if let Some(t) = t
            && !looks_like_time(t)
        {
            return Err(ApiError::new(
                codes::PARAM_WRONG,
                format!("`{name}` is written YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, got `{t}`"),
            ));
        }
    }
    let wallet = c.get("wallet_id");
    let store = app.lock();
    let data: Vec<Value> = store
        .invoices()
        .iter()
        .filter(|i| i.user_id == c.user.user_id)
        .filter(|i| wallet.is_none_or(|w| i.wallet_id == w))
        .filter(|i| i.create_time.as_str() >= start)
        .filter(|i| end.as_deref().is_none_or(|e| i.create_time.as_str() <= e))
        .map(|i| invoice_json(app, i))
        .collect();
    Ok(success(json!({"data": data})))
}

fn looks_like_time(t: &str) -> bool {
    let b = t.as_bytes();
    let date = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    date && (b.len() == 10 || (b.len() == 19 && b[10] == b' '))
}

fn invoice_delete(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let mut store = app.lock();
    let i = find_invoice(&store, c)?;
    let invoice = &store.invoices()[i];
    if invoice.status != "unpaid" {
        return Err(ApiError::new(
            codes::FAIL,
            format!(
                "invoice {} is {}; only unpaid invoices can be deleted",
                invoice.invoice_id, invoice.status
            ),
        ));
    }
    store.remove_invoice(i);
    store.commit().map_err(not_saved)?;
    Ok(success(json!({})))
}

fn invoice_refund(app: &Arc<App>, c: &Checked) -> Result<Response, ApiError> {
    let mut store = app.lock();
    let i = find_invoice(&store, c)?;
    let invoice = &store.invoices()[i];
    match invoice.status.as_str() {
        "paid" => {
            store.invoice_mut(i).status = "refunded".into();
            store.commit().map_err(not_saved)?;
            Ok(success(json!({})))
        }
        "refunded" => Err(ApiError::new(
            codes::REFUND_DONE,
            format!("invoice {} is already refunded", invoice.invoice_id),
        )),
        other => Err(ApiError::new(
            codes::REFUND_PARAMS,
            format!(
                "invoice {} is {other}; only paid invoices can be refunded",
                invoice.invoice_id
            ),
        )),
    }
}

/// Queues the notification of a paid invoice (used by the admin route).
pub(crate) fn queue_invoice(
    app: &App,
    store: &mut crate::state::Store,
    i: usize,
    payment_method: &str,
) -> Vec<u64> {
    let invoice = store.invoices()[i].clone();
    let (Some(url), Some(key)) = (invoice.notify_url.clone(), app.key(&invoice.user_id)) else {
        return Vec::new();
    };
    let amount = Amount::parse(&invoice.amount)
        .map(|a| a.to_string())
        .unwrap_or(invoice.amount.clone());
    let mut pairs: Vec<(String, String)> = [
        (
            "merchant_reference",
            invoice
                .customer_order_id
                .clone()
                .unwrap_or(invoice.invoice_id.clone()),
        ),
        ("order_id", invoice.invoice_id.clone()),
        ("currency", invoice.currency.clone()),
        ("amount", amount),
        ("payment_method", payment_method.to_owned()),
        ("status", "paid".to_owned()),
        ("pay_time", invoice.pay_time.clone().unwrap_or_default()),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v))
    .collect();
    notify::sign_pairs(app, "notification", &key, &mut pairs);
    vec![store.add_delivery(
        Owner::Invoice(invoice.invoice_id),
        "paid",
        &url,
        notify::encode(&pairs),
    )]
}
