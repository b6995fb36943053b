//! The life cycle of orders and invoices after they are created: paid, failed or canceled (by
//! a magic amount, the admin routes, the payment page or `/cancel`), and what is sent about each
//! change: the signed notification, delivered and retried on an interval until the merchant
//! answers HTTP 200 with the body exactly `sent` (every attempt recorded; a merchant that is down
//! gets it when it comes back), and the signed `return_url` redirect.
//!
//! Changes are made on the locked store the caller holds, so the caller can find the order and
//! build its answer in the same critical section; the deliveries they queue are started with
//! [`deliver`] once the store is unlocked.

use std::sync::Arc;

use latipay_spec::inbound::{self, SIGNATURE};
use latipay_spec::{Amount, ApiKey, SigningKey};

use crate::app::App;
use crate::ids::Time;
use crate::magic::Magic;
use crate::persist::StateError;
use crate::state::{Attempt, DeliveryState, Invoice, NotPending, Order, Owner, Status, Store};

/// Why an order could not be created.
#[derive(Debug)]
pub(crate) enum CreateError {
    /// Its user already has an order with this merchant_reference: that order's order_id.
    Duplicate(String),
    /// Created (and, if its amount says so, settled and notified) in memory, but not saved.
    NotSaved(StateError),
}

/// Records a new pending order, refusing a merchant_reference its user already used, then plays
/// its magic amount: paid or failed at once, with the notification. `paid_at_once` settles it
/// as paid whatever the amount (barcode payments: the customer confirmed before the request).
/// The order as created.
pub(crate) fn create(
    app: &Arc<App>,
    order: Order,
    paid_at_once: bool,
) -> Result<Order, CreateError> {
    let magic = order.magic;
    let (created, deliveries) = {
        let mut store = app.lock();
        let i = store.insert(order).map_err(CreateError::Duplicate)?;
        let to = match magic {
            Magic::Fail => Some(Status::Failed),
            Magic::Pay | Magic::PayBadNotification | Magic::PayDuplicateNotification => {
                Some(Status::Paid)
            }
            _ if paid_at_once => Some(Status::Paid),
            _ => None,
        };
        let deliveries = to
            .and_then(|to| settle(app, &mut store, i, to).ok())
            .unwrap_or_default();
        let saved = store.commit();
        (saved.map(|()| store.order(i).clone()), deliveries)
    };
    // Delivered even when saving failed: while running, memory is the truth.
    deliver(app, deliveries);
    created.map_err(CreateError::NotSaved)
}

/// Moves pending order `i` of the locked `store` to `to` (paying stamps pay_time and a
/// transaction id) and queues its notification: the deliveries to hand to [`deliver`] once the
/// store is unlocked. An order that is not pending does not move.
pub(crate) fn settle(
    app: &App,
    store: &mut Store,
    i: usize,
    to: Status,
) -> Result<Vec<u64>, NotPending> {
    let transaction_id = if to == Status::Paid {
        app.ids.prefixed("4200")
    } else {
        String::new()
    };
    store.transition(i, to, transaction_id)?;
    Ok(queue_order(app, store, i))
}

/// The payment methods an invoice offers (its `payment_methods`), and so the ones it can be paid
/// by.
pub(crate) const INVOICE_PAYMENT_METHODS: [&str; 2] = ["alipay", "wechat"];

/// Marks unpaid invoice `i` of the locked `store` paid by `payment_method` and queues its
/// notification: the deliveries to hand to [`deliver`]. An invoice that is not unpaid does not
/// move: its status.
pub(crate) fn pay_invoice(
    app: &App,
    store: &mut Store,
    i: usize,
    payment_method: &str,
) -> Result<Vec<u64>, String> {
    if store.invoices()[i].status != "unpaid" {
        return Err(store.invoices()[i].status.clone());
    }
    let invoice = store.invoice_mut(i);
    invoice.status = "paid".into();
    invoice.pay_time = Some(Time::now().text());
    invoice.paid_method = Some(payment_method.to_owned());
    let invoice = invoice.clone();
    Ok(queue_invoice(app, store, &invoice))
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

/// Queues the notification of paid `invoice`, if it has somewhere to go.
fn queue_invoice(app: &App, store: &mut Store, invoice: &Invoice) -> Vec<u64> {
    let (Some(url), Some(key)) = (invoice.notify_url.as_deref(), app.key(&invoice.user_id)) else {
        return Vec::new();
    };
    let mut pairs = invoice_result(invoice, "paid");
    // Not signable (a spec whose notification rule names other fields): not sent, logged.
    if sign_pairs(app, "notification", &key, &mut pairs).is_err() {
        return Vec::new();
    }
    vec![store.add_delivery(
        Owner::Invoice(invoice.invoice_id.clone()),
        "paid",
        url,
        encode(&pairs),
    )]
}

/// The `return_query` of a paid invoice, the redirect query a point-of-sale integration reads,
/// signed by the redirect's rule; `None` until the invoice is paid. A query that cannot be
/// signed is an error (why), never sent unsigned.
pub(crate) fn invoice_return_query(app: &App, invoice: &Invoice) -> Result<Option<String>, String> {
    if invoice.status != "paid" {
        return Ok(None);
    }
    let Some(key) = app.key(&invoice.user_id) else {
        return Ok(None);
    };
    let mut pairs = invoice_result(invoice, "paid");
    pairs.retain(|(n, _)| !matches!(n.as_str(), "order_id" | "pay_time"));
    sign_pairs(app, "redirect", &key, &mut pairs)?;
    Ok(Some(encode(&pairs)))
}

/// Queues the notification for order `i`'s current status, if it has somewhere to go; the ids
/// to hand to [`deliver`] once the store is unlocked.
fn queue_order(app: &App, store: &mut Store, i: usize) -> Vec<u64> {
    let order = store.order(i).clone();
    let (Some(url), Some(body)) = (order.notify_url.clone(), order_form(app, &order)) else {
        return Vec::new();
    };
    let copies = if order.magic == Magic::PayDuplicateNotification && order.status == Status::Paid {
        2
    } else {
        1
    };
    (0..copies)
        .map(|_| {
            store.add_delivery(
                Owner::Order(order.order_id.clone()),
                order.status.as_str(),
                &url,
                body.clone(),
            )
        })
        .collect()
}

/// The key an order's notifications are signed with.
fn notification_key(app: &App, order: &Order) -> Option<SigningKey> {
    if order.magic == Magic::PayBadNotification {
        return Some(SigningKey::new(ApiKey::new("not-the-merchant-api-key")));
    }
    app.key(&order.user_id)
}

/// The form body announcing `order`'s current status.
fn order_form(app: &App, order: &Order) -> Option<String> {
    let key = notification_key(app, order)?;
    let (_, rate_text) = rate(&order.currency);
    let mut pairs: Vec<(String, String)> = [
        ("merchant_reference", order.merchant_reference.clone()),
        ("order_id", order.order_id.clone()),
        ("currency", order.currency.clone()),
        ("amount", order.amount.to_string()),
        (
            "amount_cny",
            amount_cny(order.amount, &order.currency).to_string(),
        ),
        ("rate", rate_text.to_owned()),
        ("payment_method", order.payment_method.clone()),
        ("status", order.status.as_str().to_owned()),
        ("pay_time", order.pay_time.clone().unwrap_or_default()),
        (
            "transaction_id",
            order.transaction_id.clone().unwrap_or_default(),
        ),
        ("createDate", order.created_at.clone()),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v))
    .collect();
    sign_pairs(app, "notification", &key, &mut pairs).ok()?;
    Some(encode(&pairs))
}

/// The `return_url` redirect of a settled order (status `paid`, or `cancel_or_fail`): where the
/// customer's browser goes after paying, with the result signed by Rule B (Latipay says not to
/// trust it; the sandbox makes it available to test that). `None` while it is pending or when it
/// has no return_url.
pub(crate) fn redirect_url(app: &App, order: &Order) -> Option<String> {
    let return_url = order.return_url.as_deref()?;
    let status = match order.status {
        Status::Pending => return None,
        Status::Paid => "paid",
        Status::Failed | Status::Canceled => "cancel_or_fail",
    };
    let key = app.key(&order.user_id)?;
    let mut pairs: Vec<(String, String)> = [
        ("merchant_reference", order.merchant_reference.clone()),
        ("payment_method", order.payment_method.clone()),
        ("status", status.to_owned()),
        ("currency", order.currency.clone()),
        ("amount", order.amount.to_string()),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v))
    .collect();
    // Not signable (a spec whose redirect rule names other fields): no redirect, logged.
    sign_pairs(app, "redirect", &key, &mut pairs).ok()?;
    let sep = if return_url.contains('?') { '&' } else { '?' };
    Some(format!("{return_url}{sep}{}", encode(&pairs)))
}

/// The CNY rate the sandbox reports for a currency, in hundred-thousandths, and as text with
/// five decimals as Latipay writes it (`4.63733`; the real query answer has `0.00000`).
pub(crate) fn rate(currency: &str) -> (u64, &'static str) {
    match currency {
        "NZD" => (463_733, "4.63733"),
        "AUD" => (482_120, "4.82120"),
        _ => (100_000, "1.00000"),
    }
}

/// The amount in CNY at the sandbox rate, rounded to the cent.
pub(crate) fn amount_cny(amount: Amount, currency: &str) -> Amount {
    let (r, _) = rate(currency);
    let cents = (u128::from(amount.cents()) * u128::from(r) + 50_000) / 100_000;
    Amount::from_cents(u64::try_from(cents).unwrap_or(u64::MAX))
}

/// Signs `pairs` by the spec's rule for the inbound message `inbound` (through the spec crate's
/// one writer per rule) and appends `signature`. A key that is not the merchant's makes the
/// signature wrong on purpose (magic `.56`). A message that cannot be signed is not sent: the
/// error says why, and is logged.
fn sign_pairs(
    app: &App,
    inbound: &str,
    key: &SigningKey,
    pairs: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let signed = app
        .config
        .spec
        .inbound(inbound)
        .ok_or_else(|| format!("the spec has no inbound message `{inbound}`"))
        .and_then(|message| {
            inbound::sign(&message.signature, &pairs[..], key)
                .map_err(|e| format!("cannot sign the {inbound}: {e}"))
        });
    match signed {
        Ok((signature, _)) => {
            pairs.push((SIGNATURE.into(), signature.to_hex()));
            Ok(())
        }
        Err(e) => {
            tracing::error!(inbound, error = %e, "not sent unsigned");
            Err(e)
        }
    }
}

/// `application/x-www-form-urlencoded` text of `pairs`.
fn encode(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (n, v) in pairs {
        s.append_pair(n, v);
    }
    s.finish()
}

/// Restarts the delivery of every notification a state file holds undelivered (`retrying`, or
/// `stopped` by an earlier shutdown); attempt numbers continue where they were. How many.
pub(crate) fn resume(app: &Arc<App>) -> Result<usize, StateError> {
    let ids: Vec<u64> = {
        let mut store = app.lock();
        let ids: Vec<u64> = store
            .deliveries()
            .iter()
            .filter(|d| matches!(d.state, DeliveryState::Retrying | DeliveryState::Stopped))
            .map(|d| d.id)
            .collect();
        for &id in &ids {
            store.set_delivery_state(id, DeliveryState::Retrying);
        }
        store.commit()?;
        ids
    };
    let n = ids.len();
    if n > 0 {
        deliver(app, ids);
    }
    Ok(n)
}

/// Starts delivering each of `ids` in the background.
pub(crate) fn deliver(app: &Arc<App>, ids: Vec<u64>) {
    for id in ids {
        app.runtime.spawn(deliver_one(app.clone(), id));
    }
    app.bump();
}

/// Delivers notification `id` until it is delivered, given up, reset away or the sandbox
/// stops. Each attempt is recorded (and, with a state file, committed) before the next one: a
/// delivery is `delivered` only once the merchant's `sent` is saved, so after a kill it is
/// either recorded as delivered or delivered again, never lost.
async fn deliver_one(app: Arc<App>, id: u64) {
    let mut shutdown = app.shutdown.clone();
    loop {
        let Some((url, body, number)) = ({
            let store = app.lock();
            store
                .delivery(id)
                .filter(|d| d.state == DeliveryState::Retrying)
                .map(|d| {
                    let done = u32::try_from(d.attempts.len()).unwrap_or(u32::MAX);
                    (d.url.clone(), d.body.clone(), done.saturating_add(1))
                })
        }) else {
            return;
        };
        let at = Time::now().text();
        let result = app
            .client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .timeout(app.config.notify_timeout)
            .send()
            .await;
        let attempt = match result {
            Ok(response) => {
                let status = response.status().as_u16();
                let text = response.text().await.unwrap_or_default();
                Attempt {
                    number,
                    at,
                    http_status: Some(status),
                    delivered: status == 200 && text == "sent",
                    response_body: text.chars().take(200).collect(),
                    error: None,
                }
            }
            Err(e) => Attempt {
                number,
                at,
                http_status: None,
                response_body: String::new(),
                error: Some(describe(&e)),
                delivered: false,
            },
        };
        let delivered = attempt.delivered;
        tracing::info!(
            delivery = id,
            attempt = number,
            url = %url,
            http_status = ?attempt.http_status,
            error = attempt.error.as_deref().unwrap_or(""),
            delivered,
            "notification attempt"
        );
        let state = {
            let mut store = app.lock();
            let state = store.record_attempt(id, attempt, app.config.max_attempts);
            if let Err(e) = store.commit() {
                tracing::error!(delivery = id, error = %e, "notification attempt not saved");
            }
            state
        };
        app.bump();
        if state != Some(DeliveryState::Retrying) {
            return;
        }
        if app.stopping() {
            mark_stopped(&app, id);
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(app.config.notify_interval) => {}
            _ = shutdown.wait_for(|stopping| *stopping) => {
                mark_stopped(&app, id);
                return;
            }
        }
    }
}

fn mark_stopped(app: &App, id: u64) {
    app.lock().set_delivery_state(id, DeliveryState::Stopped);
}

/// One line saying why an attempt got no answer.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
