//! `refund` and `cancel`: what a merchant does to an order after creating it. A refund is kept
//! with its order; a cancel moves the order through its life cycle (`lifecycle::settle`).

use std::sync::Arc;

use axum::response::Response;
use latipay_spec::{Amount, Endpoint};

use super::merchant::required_amount;
use super::reply::{answer, not_saved};
use crate::answer::Members;
use crate::app::App;
use crate::check::Checked;
use crate::codes::{ApiError, Code};
use crate::ids::Time;
use crate::lifecycle;
use crate::state::{Refund, Status};

/// Refunds a paid order by Latipay's `order_id`, partially or fully, never beyond the paid
/// amount; the same `reference` and amount twice is refused.
pub(super) fn refund(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    let order_id = c.get("order_id").unwrap_or_default();
    let amount = required_amount(c, "refund_amount")?;
    let reference = c.get("reference").unwrap_or_default().to_owned();
    let mut store = app.lock();
    let i = store
        .find_order_id(order_id)
        .filter(|&i| store.order(i).user_id == c.user.user_id)
        .ok_or_else(|| {
            ApiError::new(
                Code::RefundOrderNotExist,
                format!(
                    "no order with order_id `{order_id}` for user {}",
                    c.user.user_id
                ),
            )
        })?;
    let order = store.order(i);
    if order.status != Status::Paid {
        return Err(ApiError::new(
            Code::RefundParamsWrong,
            format!(
                "order {order_id} is {}; only paid orders can be refunded",
                order.status.as_str()
            ),
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
            Code::RefundAlreadyDone,
            format!(
                "order {order_id} has already been refunded {refunded} of {}",
                order.amount
            ),
        ));
    }
    if amount > left {
        return Err(ApiError::new(
            Code::InsufficientAmount,
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

/// Cancels a pending order (and notifies `canceled`).
pub(super) fn cancel(
    app: &Arc<App>,
    endpoint: &Endpoint,
    c: &Checked,
) -> Result<Response, ApiError> {
    let reference = c.get("merchant_reference").unwrap_or_default();
    let deliveries = {
        let mut store = app.lock();
        let i = store.find(&c.user.user_id, reference).ok_or_else(|| {
            ApiError::new(
                Code::OrderNotExist,
                format!(
                    "no order with merchant_reference `{reference}` for user {}",
                    c.user.user_id
                ),
            )
        })?;
        match lifecycle::settle(app, &mut store, i, Status::Canceled) {
            Ok(deliveries) => (deliveries, store.commit()),
            Err(not_pending) => {
                let code = if not_pending.0 == Status::Paid {
                    Code::AlreadyCompleted
                } else {
                    Code::AlreadyFailed
                };
                return Err(ApiError::new(
                    code,
                    format!("order `{reference}` is {}", not_pending.0.as_str()),
                ));
            }
        }
    };
    lifecycle::deliver(app, deliveries.0);
    deliveries.1.map_err(not_saved)?;
    answer(
        app,
        endpoint,
        Some(&c.user.user_id),
        &c.fields,
        Members::new(),
    )
}
