//! The sandbox as a merchant's test tool: its methods play the customer and show what happened
//! (orders, invoices, notification deliveries), so a test needs no HTTP of its own.

use std::time::Duration;

use crate::control::{self, ControlError};
use crate::server::Sandbox;
use crate::state::{Delivery, DeliveryState, Invoice, Order, Owner, Status};

/// The merchant's test drives the sandbox directly: no HTTP to the admin routes.
impl Sandbox {
    /// The customer pays the pending order `merchant_reference`; its notification goes to the
    /// order's callback. The order as it is now.
    pub fn pay(&self, merchant_reference: &str) -> Result<Order, ControlError> {
        control::settle(self.app(), merchant_reference, None, Status::Paid)
    }

    /// The payment of the pending order `merchant_reference` fails; its notification follows.
    pub fn fail(&self, merchant_reference: &str) -> Result<Order, ControlError> {
        control::settle(self.app(), merchant_reference, None, Status::Failed)
    }

    /// The customer cancels the pending order `merchant_reference`; its notification follows.
    pub fn cancel(&self, merchant_reference: &str) -> Result<Order, ControlError> {
        control::settle(self.app(), merchant_reference, None, Status::Canceled)
    }

    /// The order `merchant_reference` as the sandbox holds it.
    pub fn order(&self, merchant_reference: &str) -> Result<Order, ControlError> {
        let store = self.app().lock();
        control::find_order(&store, merchant_reference, None).map(|i| store.order(i).clone())
    }

    /// The customer pays the unpaid invoice `invoice_id` by `payment_method`, one of the
    /// invoice's `payment_methods` (`alipay` or `wechat`); its notification follows.
    pub fn pay_invoice(
        &self,
        invoice_id: &str,
        payment_method: &str,
    ) -> Result<Invoice, ControlError> {
        control::pay_invoice(self.app(), invoice_id, payment_method)
    }

    /// The invoice `invoice_id` as the sandbox holds it.
    pub fn invoice(&self, invoice_id: &str) -> Result<Invoice, ControlError> {
        control::invoice(&self.app().lock(), invoice_id)
    }

    /// Every notification of the order `merchant_reference` so far, each with its attempts.
    pub fn notifications(&self, merchant_reference: &str) -> Result<Vec<Delivery>, ControlError> {
        let store = self.app().lock();
        let i = control::find_order(&store, merchant_reference, None)?;
        Ok(store.deliveries_of(&Owner::Order(store.order(i).order_id.clone())))
    }

    /// Waits until the order `merchant_reference` has a notification and every one of them has
    /// ended (delivered, given up, or stopped with the sandbox), at most `timeout`, and returns
    /// the latest with its attempts ([`Sandbox::notifications`] has all). A merchant whose
    /// callback answers anything but `sent` sees its retries here.
    pub async fn wait_for_notification(
        &self,
        merchant_reference: &str,
        timeout: Duration,
    ) -> Result<Delivery, ControlError> {
        let app = self.app();
        let mut changed = app.changed.subscribe();
        let ended = async {
            loop {
                // Marked seen before reading, so a change after the read wakes the wait.
                changed.borrow_and_update();
                let mut all = self.notifications(merchant_reference)?;
                if all.iter().all(|d| d.state != DeliveryState::Retrying)
                    && let Some(latest) = all.pop()
                {
                    return Ok(latest);
                }
                if changed.changed().await.is_err() {
                    return Err(ControlError::Timeout(
                        "the sandbox stopped while waiting".to_owned(),
                    ));
                }
            }
        };
        match tokio::time::timeout(timeout, ended).await {
            Ok(result) => result,
            Err(_) => Err(ControlError::Timeout(format!(
                "no notification of order `{merchant_reference}` ended within {timeout:?}; \
                 its deliveries: {:?}",
                self.notifications(merchant_reference)
                    .unwrap_or_default()
                    .iter()
                    .map(|d| (d.status.as_str(), d.state, d.attempts.len()))
                    .collect::<Vec<_>>()
            ))),
        }
    }
}
