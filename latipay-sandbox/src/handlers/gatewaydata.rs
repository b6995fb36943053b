//! The merchant-hosted offline step, `GET {host_url}/{nonce}` (`gatewaydata`): the QR code of a
//! `host_type: "1"` transaction, served once per nonce at Latipay's address for it.

use std::sync::Arc;

use axum::response::Response;
use latipay_spec::Endpoint;

use super::merchant::{organisation, wallet_name};
use super::reply::{answer, internal, not_saved};
use crate::answer::Members;
use crate::app::App;
use crate::codes::{ApiError, Code};
use crate::lifecycle::{amount_cny, rate};
use crate::qr;

/// Where the sandbox serves the merchant-hosted `gatewaydata` step, as Latipay does: a
/// `transaction` with `host_type` "1" answers `host_url` = the sandbox's base URL and this path,
/// and the step is `GET {host_url}/{nonce}`.
pub(crate) const GATEWAYDATA_PATH: &str = "/v2/merchanthosted/gatewaydata";

/// `GET {host_url}/{nonce}`, the merchant-hosted offline step: the order and the QR code the
/// merchant shows (a PNG of `qr_code_url`), in `data` signed by Rule A over its own members.
/// Each nonce serves once; an unknown or used one is refused.
pub(super) fn gatewaydata(
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
                    Code::OrderNotExist,
                    format!(
                        "no merchant-hosted (host_type \"1\") transaction has the nonce `{nonce}`"
                    ),
                )
            })?;
        if store.order(i).gatewaydata_served {
            return Err(ApiError::new(
                Code::Fail,
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
