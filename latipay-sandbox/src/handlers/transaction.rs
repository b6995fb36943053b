//! Orders created by a request: the hosted `transaction` (payment page or merchant-hosted QR
//! code) and the `barcode` payment, and the order creation the mini program endpoints share.

use std::sync::Arc;

use axum::response::Response;
use latipay_spec::Endpoint;

use super::gatewaydata::GATEWAYDATA_PATH;
use super::merchant::{required_amount, wallet};
use super::reply::{answer, not_saved};
use crate::answer::Members;
use crate::app::App;
use crate::check::Checked;
use crate::codes::{ApiError, Code};
use crate::ids::Time;
use crate::lifecycle::{self, CreateError};
use crate::magic::Magic;
use crate::state::{Order, Status};

/// A hosted order: `host_url` and a fresh `nonce`, `{host_url}/{nonce}` being the payment page
/// (or, merchant-hosted, the `gatewaydata` step).
pub(super) fn transaction(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    let method = c.get("payment_method").unwrap_or_default().to_owned();
    let hosted = c.get("host_type") == Some("1");
    if hosted && !matches!(method.as_str(), "alipay" | "wechat") {
        return Err(ApiError::new(
            Code::ParamWrong,
            format!(
                "host_type 1 (merchant-hosted) takes payment_method alipay or wechat, not {method}"
            ),
        ));
    }
    if !hosted && c.get("return_url").is_none() {
        return Err(ApiError::new(
            Code::FieldsNull,
            "`return_url` (required unless host_type is \"1\")",
        ));
    }
    if c.get("present_qr").is_some() && method != "wechat" {
        return Err(ApiError::new(
            Code::ParamWrong,
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

/// An order paid at once: the customer confirmed it in their wallet app before the request.
pub(super) fn barcode(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
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

/// How a new order starts.
pub(super) struct NewOrder {
    pub payment_method: String,
    pub notify_url: Option<String>,
    pub return_url: Option<String>,
    pub nonce: Option<String>,
    /// Barcode payments are confirmed by the customer before the request: paid at once.
    pub paid_at_once: bool,
}

/// Creates an order from a checked request (refusing a reused merchant_reference) and applies
/// the amount's magic scenario (see `lifecycle::create`); the order as created.
pub(super) fn create_order(
    app: &Arc<App>,
    endpoint: &str,
    c: &Checked,
    new: NewOrder,
) -> Result<Order, ApiError> {
    let amount = required_amount(c, "amount")?;
    let magic = Magic::of(amount);
    if magic == Magic::OverLimit {
        return Err(ApiError::new(
            Code::ExceedsLimit,
            "magic amount ending in .54: the sandbox's single payment limit is exceeded on purpose",
        ));
    }
    let wallet = wallet(c)?;
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
        back_page_url: c.get("backPage_url").map(str::to_owned),
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
    lifecycle::create(app, order, new.paid_at_once).map_err(|e| match e {
        CreateError::Duplicate(existing) => ApiError::new(
            Code::Fail,
            format!(
                "merchant_reference `{merchant_reference}` is already used by order {existing}; every order needs a new merchant_reference"
            ),
        ),
        CreateError::NotSaved(e) => not_saved(e),
    })
}
