//! `query`: an order's status by merchant_reference, signed by Rule B; with `is_block=1` it waits
//! until the order is settled, up to `Config::long_poll`.

use std::sync::Arc;

use axum::response::Response;
use latipay_spec::Endpoint;

use super::reply::answer;
use crate::answer::Members;
use crate::app::App;
use crate::check::Checked;
use crate::codes::{ApiError, Code};
use crate::lifecycle::{amount_cny, rate};
use crate::state::Status;

/// The query answer: `amount` is a JSON number written with two decimals, and Rule B signs that
/// very text, so it is written from the amount's text, never through a float. Until the order
/// is paid, `amount_cny` is `null` and `rate` `0.00000`, as in Latipay's real answer.
pub(super) async fn query(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
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
                Code::OrderNotExist,
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
