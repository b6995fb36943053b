//! Acting as the customer: pay, fail or cancel an order by its merchant_reference, pay an
//! invoice, find them. The one implementation behind the admin routes (`/sandbox/...`) and the
//! methods a merchant's test calls on the sandbox (`tool`).

use std::fmt;
use std::sync::Arc;

use crate::app::App;
use crate::lifecycle;
use crate::persist::StateError;
use crate::state::{Invoice, Order, Status, Store};

/// Why the sandbox could not do what a test or an admin route asked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ControlError {
    /// No order or invoice has that reference or id.
    NotFound(String),
    /// Several users have an order with that merchant_reference (the admin routes take
    /// `?user_id=`).
    Ambiguous(String),
    /// The order or invoice has already moved on (only a pending order can be paid, failed or
    /// cancelled; only an unpaid invoice paid).
    Finished(String),
    /// The change was made in memory but could not be written to the state file.
    NotSaved(String),
    /// What was asked cannot be: an invoice paid by a method it does not offer.
    Invalid(String),
    /// `Sandbox::wait_for_notification` gave up waiting.
    Timeout(String),
    /// A blocking call of [`BlockingSandbox`](crate::BlockingSandbox) was made inside an async
    /// runtime, where it would stall it.
    InsideRuntime(String),
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ControlError::NotFound(m)
            | ControlError::Ambiguous(m)
            | ControlError::Finished(m)
            | ControlError::Invalid(m)
            | ControlError::NotSaved(m)
            | ControlError::Timeout(m)
            | ControlError::InsideRuntime(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ControlError {}

fn not_saved(e: &StateError) -> ControlError {
    ControlError::NotSaved(format!("the change was made in memory but not saved: {e}"))
}

/// The order with `reference` (of `user_id`, when given, if several users have one).
pub(crate) fn find_order(
    store: &Store,
    reference: &str,
    user_id: Option<&str>,
) -> Result<usize, ControlError> {
    let found: Vec<usize> = store
        .find_any(reference)
        .into_iter()
        .filter(|&i| user_id.is_none_or(|u| store.order(i).user_id == u))
        .collect();
    match found.as_slice() {
        [i] => Ok(*i),
        [] => Err(ControlError::NotFound(format!(
            "no order with merchant_reference `{reference}`"
        ))),
        _ => Err(ControlError::Ambiguous(format!(
            "several users have an order `{reference}`; name the user (?user_id=...)"
        ))),
    }
}

/// Moves the order `reference` from pending to `to`, as its customer (or Latipay) would, and
/// starts delivering its notification: the order as it is now.
pub(crate) fn settle(
    app: &Arc<App>,
    reference: &str,
    user_id: Option<&str>,
    to: Status,
) -> Result<Order, ControlError> {
    settle_found(app, |store| find_order(store, reference, user_id), to)
}

/// [`settle`] for the order `find` picks (the payment page finds it by its nonce).
pub(crate) fn settle_found(
    app: &Arc<App>,
    find: impl FnOnce(&Store) -> Result<usize, ControlError>,
    to: Status,
) -> Result<Order, ControlError> {
    let (order, deliveries, saved) = {
        let mut store = app.lock();
        let i = find(&store)?;
        let deliveries = lifecycle::settle(app, &mut store, i, to).map_err(|not_pending| {
            ControlError::Finished(format!(
                "order `{}` is already {}; only pending orders can be moved",
                store.order(i).merchant_reference,
                not_pending.0.as_str()
            ))
        })?;
        let saved = store.commit();
        (store.order(i).clone(), deliveries, saved)
    };
    // Delivered even when saving failed: while running, memory is the truth.
    lifecycle::deliver(app, deliveries);
    saved.map_err(|e| not_saved(&e)).map(|()| order)
}

/// Marks the unpaid invoice `invoice_id` paid by `payment_method` and starts delivering its
/// notification: the invoice as it is now.
pub(crate) fn pay_invoice(
    app: &Arc<App>,
    invoice_id: &str,
    payment_method: &str,
) -> Result<Invoice, ControlError> {
    let offered = lifecycle::INVOICE_PAYMENT_METHODS;
    if !offered.contains(&payment_method) {
        return Err(ControlError::Invalid(format!(
            "an invoice is paid by one of the payment_methods it offers ({}), not `{payment_method}`",
            offered.join(", ")
        )));
    }
    let (invoice, deliveries, saved) = {
        let mut store = app.lock();
        let i = store
            .invoices()
            .iter()
            .position(|x| x.invoice_id == invoice_id)
            .ok_or_else(|| ControlError::NotFound(format!("no invoice `{invoice_id}`")))?;
        let deliveries =
            lifecycle::pay_invoice(app, &mut store, i, payment_method).map_err(|status| {
                ControlError::Finished(format!("invoice `{invoice_id}` is {status}"))
            })?;
        let saved = store.commit();
        (store.invoices()[i].clone(), deliveries, saved)
    };
    lifecycle::deliver(app, deliveries);
    saved.map_err(|e| not_saved(&e)).map(|()| invoice)
}

/// The invoice `invoice_id`.
pub(crate) fn invoice(store: &Store, invoice_id: &str) -> Result<Invoice, ControlError> {
    store
        .invoices()
        .iter()
        .find(|i| i.invoice_id == invoice_id)
        .cloned()
        .ok_or_else(|| ControlError::NotFound(format!("no invoice `{invoice_id}`")))
}
