//! Latipay's own endpoints, as the spec lists them: find the endpoint for the method and path,
//! check the request, then play the endpoint (create orders, query, refund, cancel, invoices, the
//! merchant-hosted QR code). Every answer is built from the endpoint's model in the spec and
//! signed where its model says (see `answer`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latipay_spec::{Amount, Endpoint};
use serde::Serialize;

use crate::answer::{self, AnswerError, Members};
use crate::check::{Checked, Incoming, check, check_unsigned, match_path};
use crate::codes::{self, ApiError};
use crate::ids::Time;
use crate::magic::Magic;
use crate::notify::{self, amount_cny, rate};
use crate::persist::StateError;
use crate::qr;
use crate::server::App;
use crate::state::{Invoice, Order, Owner, Refund, Status};

/// Where the sandbox serves the merchant-hosted `gatewaydata` step, as Latipay does: a
/// `transaction` with `host_type` "1" answers `host_url` = the sandbox's base URL and this path,
/// and the step is `GET {host_url}/{nonce}`.
pub(crate) const GATEWAYDATA_PATH: &str = "/v2/merchanthosted/gatewaydata";

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
pub(crate) async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
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
        "barcode" => barcode(app, endpoint, &c),
        "minialipay" => minialipay(app, endpoint, &c),
        "miniapppay" => miniapppay(app, endpoint, &c),
        "query" => query(app, endpoint, &c).await,
        "refund" => refund(app, endpoint, &c),
        "cancel" => cancel(app, endpoint, &c),
        "invoice_create" => invoice_create(app, endpoint, &c),
        "invoice_get" => invoice_get(app, endpoint, &c),
        "invoice_list" => invoice_list(app, endpoint, &c),
        "invoice_delete" => invoice_delete(app, endpoint, &c),
        "invoice_refund" => invoice_refund(app, endpoint, &c),
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
        "gatewaydata" => gatewaydata(app, endpoint, fields),
        _ => answer(app, endpoint, None, fields, Members::new()),
    }
}

/// The successful answer of `endpoint` to a request of `request`: its model filled with
/// `members` (see `answer::build`), signed with `user_id`'s key where the model is signed. An
/// answer that cannot be built is a bug of the sandbox: logged, and answered with HTTP 500,
/// never sent wrong or unsigned.
fn answer(
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
fn internal(endpoint: &str, e: &dyn std::fmt::Display) -> ApiError {
    tracing::error!(endpoint, error = %e, "answer not sent");
    ApiError::http(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("the sandbox could not build its `{endpoint}` answer (a sandbox bug): {e}"),
    )
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
        gatewaydata_served: false,
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

fn transaction(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
    let method = c.get("payment_method").unwrap_or_default().to_owned();
    let hosted = c.get("host_type") == Some("1");
    if hosted && !matches!(method.as_str(), "alipay" | "wechat") {
        return Err(ApiError::new(
            codes::PARAM_WRONG,
            format!(
                "host_type 1 (merchant-hosted) takes payment_method alipay or wechat, not {method}"
            ),
        ));
    }
    if !hosted && c.get("return_url").is_none() {
        return Err(ApiError::new(
            codes::FIELD_NULL,
            "`return_url` (required unless host_type is \"1\")",
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
    // Merchant-hosted: the QR code is fetched from `{host_url}/{nonce}` (`gatewaydata`);
    // otherwise `{host_url}/{nonce}` is the payment page.
    let host_url = if hosted {
        format!("{}{GATEWAYDATA_PATH}", app.base_url)
    } else {
        format!("{}/pay", app.base_url)
    };
    let members = Members::new()
        .text("host_url", host_url)
        .text("nonce", nonce);
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
}

/// Who the sandbox says a user is, where Latipay's answers name the merchant: an organisation
/// (its id, an integer, and name) and a user name. Made up: the sandbox has users only.
fn organisation(app: &App, user_id: &str) -> (String, String, String) {
    let index = app
        .config
        .users
        .iter()
        .position(|u| u.user_id == user_id)
        .unwrap_or(0);
    (
        (index + 1).to_string(),
        "Latipay Sandbox".to_owned(),
        format!("Sandbox merchant {user_id}"),
    )
}

/// The name Latipay gives a wallet; the sandbox's are named by their currency.
fn wallet_name(currency: &str) -> String {
    format!("{currency} Wallet")
}

/// `GET {host_url}/{nonce}`, the merchant-hosted offline step: the order and the QR code the
/// merchant shows (a PNG of `qr_code_url`), in `data` signed by Rule A over its own members.
/// Each nonce serves once; an unknown or used one is refused.
fn gatewaydata(
    app: &Arc<App>,
    endpoint: &Endpoint,
    fields: &[(String, String)],
) -> Result<Response, ApiError> {
    let nonce = fields
        .iter()
        .find(|(n, _)| n == "nonce")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let order = {
        let mut store = app.lock();
        let i = store
            .find_nonce(nonce)
            .filter(|&i| store.order(i).merchant_hosted)
            .ok_or_else(|| {
                ApiError::new(
                    codes::ORDER_NOT_EXIST,
                    format!(
                        "no merchant-hosted (host_type \"1\") transaction has the nonce `{nonce}`"
                    ),
                )
            })?;
        if store.order(i).gatewaydata_served {
            return Err(ApiError::new(
                codes::FAIL,
                format!(
                    "the nonce `{nonce}` was already used; a nonce is single use: start a new transaction"
                ),
            ));
        }
        store.order_mut(i).gatewaydata_served = true;
        store.commit().map_err(not_saved)?;
        store.order(i).clone()
    };
    let qr_code_url = match order.payment_method.as_str() {
        "wechat" => format!("weixin://wxpay/bizpayurl?pr={}", app.ids.token(7)),
        _ => format!("https://qr.alipay.com/bax{}", app.ids.token(20)),
    };
    let qr_code = qr::png_data_url(&qr_code_url).map_err(|e| internal(&endpoint.name, &e))?;
    let (organisation_id, organisation_name, user_name) = organisation(app, &order.user_id);
    let (_, currency_rate) = rate(&order.currency);
    let data = Members::new()
        .text("order_id", &order.order_id)
        .text("nonce", nonce)
        .text("payment_method", &order.payment_method)
        .number("amount", order.amount.to_string())
        .number(
            "amount_cny",
            amount_cny(order.amount, &order.currency).to_string(),
        )
        .text("currency", &order.currency)
        .text("product_name", &order.product_name)
        .number("organisation_id", organisation_id)
        .text("merchant_reference", &order.merchant_reference)
        .text("organisation_name", organisation_name)
        .text("user_id", &order.user_id)
        .text("user_name", user_name)
        .text("wallet_id", &order.wallet_id)
        .text("wallet_name", wallet_name(&order.currency))
        .text("qr_code", qr_code)
        .text("qr_code_url", qr_code_url)
        .number("currency_rate", currency_rate);
    let members = Members::new().object("data", data);
    answer(app, endpoint, Some(&order.user_id), fields, members)
}

fn barcode(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
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
    let members = Members::new().text("order_id", order.order_id);
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
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

/// A request without `payment_method` (as in Latipay's parameter table) is played exactly like
/// one with it: the request check fills in the constant.
fn minialipay(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
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
    let gatewaydata = GatewayData {
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
    };
    let paydata = AlipayPayData {
        order_id: order.order_id.clone(),
        customer_order_id: order.merchant_reference.clone(),
        currency: order.currency.clone(),
        amount: order.amount.to_string(),
    };
    let members = Members::new()
        .value("gatewaydata", &gatewaydata)
        .value("paydata", &paydata);
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
}

/// What `wx.requestPayment` takes, in the order Latipay sends it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WechatPayment {
    nonce_str: String,
    pay_sign: String,
    sign_type: &'static str,
    time_stamp: String,
    package_str: String,
}

#[derive(Serialize)]
struct WechatPayData {
    order_id: String,
}

fn miniapppay(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
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
    let payment = WechatPayment {
        nonce_str: app.ids.token(32),
        pay_sign: app.ids.token(32).to_uppercase(),
        sign_type: "MD5",
        time_stamp: timestamp.to_string(),
        package_str: format!("prepay_id=wx{}", app.ids.token(28)),
    };
    let members = Members::new().value("payment", &payment).value(
        "paydata",
        &WechatPayData {
            order_id: order.order_id,
        },
    );
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
}

/// The query answer: `amount` is a JSON number written with two decimals, and Rule B signs that
/// very text, so it is written from the amount's text, never through a float. Until the order
/// is paid, `amount_cny` is `null` and `rate` `0.00000`, as in Latipay's real answer.
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
    let paid = order.status == Status::Paid;
    let (amount_cny, rate) = if paid {
        (
            Some(amount_cny(order.amount, &order.currency).to_string()),
            rate(&order.currency).1,
        )
    } else {
        (None, "0.00000")
    };
    let members = Members::new()
        .text("merchant_reference", &order.merchant_reference)
        .text("currency", &order.currency)
        .number("amount", order.amount.to_string())
        .number_or_null("amount_cny", amount_cny)
        .number("rate", rate)
        .text("payment_method", &order.payment_method)
        .text("status", order.status.query_status())
        .text_or_null("pay_time", order.pay_time.as_deref())
        .text("order_id", &order.order_id)
        .text_or_null("transaction_id", order.transaction_id.as_deref());
    answer(app, endpoint, Some(&order.user_id), &c.fields, members)
}

fn refund(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
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
    answer(
        app,
        endpoint,
        Some(&c.user.user_id),
        &c.fields,
        Members::new(),
    )
}

fn cancel(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
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
    answer(
        app,
        endpoint,
        Some(&c.user.user_id),
        &c.fields,
        Members::new(),
    )
}

/// Where an invoice is paid: the sandbox's invoice route.
fn invoice_url(app: &App, invoice: &Invoice) -> String {
    format!("{}/sandbox/invoices/{}", app.base_url, invoice.invoice_id)
}

/// An invoice as Latipay answers it (created or looked up): `invoice_id`, `qrcode_pic` (a PNG
/// of the QR code of `invoice_url`), `invoice_url` at the top level, and for a paid invoice the
/// `return_query` a point-of-sale integration reads (a redirect query, signed by its rule).
fn invoice_members(app: &App, endpoint: &Endpoint, invoice: &Invoice) -> Result<Members, ApiError> {
    let url = invoice_url(app, invoice);
    let qrcode_pic = qr::png_data_url(&url).map_err(|e| internal(&endpoint.name, &e))?;
    let mut members = Members::new()
        .text("invoice_id", &invoice.invoice_id)
        .text("qrcode_pic", qrcode_pic)
        .text("invoice_url", url);
    if invoice.status == "paid"
        && let Some(key) = app.key(&invoice.user_id)
    {
        let mut pairs = invoice_result(invoice, "paid");
        pairs.retain(|(n, _)| !matches!(n.as_str(), "order_id" | "pay_time"));
        crate::notify::sign_pairs(app, "redirect", &key, &mut pairs)
            .map_err(|e| internal(&endpoint.name, &e))?;
        members = members.text("return_query", notify::encode(&pairs));
    }
    Ok(members)
}

fn invoice_create(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
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
        paid_method: None,
    };
    {
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
        store.push_invoice(invoice.clone());
        store.commit().map_err(not_saved)?;
    }
    let members = invoice_members(app, endpoint, &invoice)?;
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
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

fn invoice_get(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
    let invoice = {
        let store = app.lock();
        let i = find_invoice(&store, c)?;
        store.invoices()[i].clone()
    };
    let members = invoice_members(app, endpoint, &invoice)?;
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
}

/// The status an invoice list reports (`success`, `pending`, `paid`, `failed`): a refunded
/// invoice was paid, and the list has no word for the refund.
fn list_status(invoice: &Invoice) -> &'static str {
    match invoice.status.as_str() {
        "unpaid" => "pending",
        _ => "paid",
    }
}

/// One invoice of a list, with the item fields Latipay documents.
fn invoice_item(app: &App, invoice: &Invoice) -> Members {
    let amount =
        Amount::parse(&invoice.amount).map_or_else(|_| invoice.amount.clone(), |a| a.to_string());
    let (organisation_id, organisation, _) = organisation(app, &invoice.user_id);
    let period_time = invoice
        .period_time
        .as_deref()
        .filter(|p| p.parse::<i64>().is_ok());
    Members::new()
        .text("user_id", &invoice.user_id)
        .text("wallet_id", &invoice.wallet_id)
        .text("wallet_name", wallet_name(&invoice.currency))
        .number("amount", amount)
        .text("currency", &invoice.currency)
        .number("organisation_id", organisation_id)
        .text("organisation", organisation)
        .text_or_null("product_name", invoice.product_name.as_deref())
        .number_or_null("period_time", period_time)
        .number("open_count", "0")
        .text_or_null("customer_order_id", invoice.customer_order_id.as_deref())
        .text_or_null("customer_reference", invoice.customer_reference.as_deref())
        .text("created_time", &invoice.create_time)
        .text_or_null("paid_time", invoice.pay_time.as_deref())
        .text("invoice_id", &invoice.invoice_id)
        .text("invoice_url", invoice_url(app, invoice))
        .text_or_null("return_url", invoice.return_url.as_deref())
        .text_or_null("notify_url", invoice.notify_url.as_deref())
        .null("token")
        .text("status", list_status(invoice))
        .text_or_null("paid_method", invoice.paid_method.as_deref())
        .value("payment_methods", &["alipay", "wechat"])
        .null("payer")
}

/// Times are compared as text; a date alone as an end means the end of that day.
fn invoice_list(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
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
    let items: Vec<Members> = {
        let store = app.lock();
        store
            .invoices()
            .iter()
            .filter(|i| i.user_id == c.user.user_id)
            .filter(|i| wallet.is_none_or(|w| i.wallet_id == w))
            .filter(|i| i.create_time.as_str() >= start)
            .filter(|i| end.as_deref().is_none_or(|e| i.create_time.as_str() <= e))
            .map(|i| invoice_item(app, i))
            .collect()
    };
    let members = Members::new().objects("data", items);
    answer(app, endpoint, Some(&c.user.user_id), &c.fields, members)
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

fn invoice_delete(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
    {
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
    }
    answer(
        app,
        endpoint,
        Some(&c.user.user_id),
        &c.fields,
        Members::new(),
    )
}

fn invoice_refund(app: &Arc<App>, endpoint: &Endpoint, c: &Checked) -> Result<Response, ApiError> {
    {
        let mut store = app.lock();
        let i = find_invoice(&store, c)?;
        let invoice = &store.invoices()[i];
        match invoice.status.as_str() {
            "paid" => {
                store.invoice_mut(i).status = "refunded".into();
                store.commit().map_err(not_saved)?;
            }
            "refunded" => {
                return Err(ApiError::new(
                    codes::REFUND_DONE,
                    format!("invoice {} is already refunded", invoice.invoice_id),
                ));
            }
            other => {
                return Err(ApiError::new(
                    codes::REFUND_PARAMS,
                    format!(
                        "invoice {} is {other}; only paid invoices can be refunded",
                        invoice.invoice_id
                    ),
                ));
            }
        }
    }
    answer(
        app,
        endpoint,
        Some(&c.user.user_id),
        &c.fields,
        Members::new(),
    )
}

/// The pairs of an invoice's payment result, as a notification or redirect carries them.
fn invoice_result(invoice: &Invoice, status: &str) -> Vec<(String, String)> {
    let amount = Amount::parse(&invoice.amount)
        .map(|a| a.to_string())
        .unwrap_or(invoice.amount.clone());
    [
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
        (
            "payment_method",
            invoice
                .paid_method
                .clone()
                .unwrap_or_else(|| "alipay".to_owned()),
        ),
        ("status", status.to_owned()),
        ("pay_time", invoice.pay_time.clone().unwrap_or_default()),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v))
    .collect()
}

/// Queues the notification of a paid invoice (used by the admin route).
pub(crate) fn queue_invoice(
    app: &App,
    store: &mut crate::state::Store,
    i: usize,
    payment_method: &str,
) -> Vec<u64> {
    let mut invoice = store.invoices()[i].clone();
    let (Some(url), Some(key)) = (invoice.notify_url.clone(), app.key(&invoice.user_id)) else {
        return Vec::new();
    };
    invoice.paid_method = Some(payment_method.to_owned());
    let mut pairs = invoice_result(&invoice, "paid");
    // Not signable (a spec whose notification rule names other fields): not sent, logged.
    if notify::sign_pairs(app, "notification", &key, &mut pairs).is_err() {
        return Vec::new();
    }
    vec![store.add_delivery(
        Owner::Invoice(invoice.invoice_id),
        "paid",
        &url,
        notify::encode(&pairs),
    )]
}
