//! The mini program endpoints: `minialipay` (Alipay's trade parameters in Alipay's key order)
//! and `miniapppay` (what WeChat's `wx.requestPayment` takes). Both create a pending order.

use std::sync::Arc;

use axum::response::Response;
use latipay_spec::Endpoint;
use serde::Serialize;

use super::reply::answer;
use super::transaction::{NewOrder, create_order};
use crate::answer::Members;
use crate::app::App;
use crate::check::Checked;
use crate::codes::ApiError;

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
pub(super) fn minialipay(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
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

/// A WeChat mini program payment: what `wx.requestPayment` takes, and Latipay's order id.
pub(super) fn miniapppay(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
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
