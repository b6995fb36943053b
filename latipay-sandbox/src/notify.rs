//! Notifications: the signed form Latipay POSTs to the merchant, and its delivery, retried on an
//! interval until the merchant answers HTTP 200 with the body exactly `sent`. Every attempt is
//! recorded; a merchant that is down gets the notification when it comes back.

use std::sync::Arc;

use latipay_spec::inbound::{self, SIGNATURE};
use latipay_spec::{Amount, ApiKey, SigningKey};

use crate::ids::Time;
use crate::magic::Magic;
use crate::server::App;
use crate::state::{Attempt, DeliveryState, Order, Owner, Status, Store};

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
pub(crate) fn sign_pairs(
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

/// The key an order's notifications are signed with.
fn notification_key(app: &App, order: &Order) -> Option<SigningKey> {
    if order.magic == Magic::PayBadNotification {
        return Some(SigningKey::new(ApiKey::new("not-the-merchant-api-key")));
    }
    app.key(&order.user_id)
}

/// The form body announcing `order`'s current status.
pub(crate) fn order_form(app: &App, order: &Order) -> Option<String> {
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

/// `application/x-www-form-urlencoded` text of `pairs`.
pub(crate) fn encode(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (n, v) in pairs {
        s.append_pair(n, v);
    }
    s.finish()
}

/// Queues the notification for order `i`'s current status, if it has somewhere to go; the ids
/// to hand to [`spawn`] once the store is unlocked.
pub(crate) fn queue_order(app: &App, store: &mut Store, i: usize) -> Vec<u64> {
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

/// Starts delivering each of `ids` in the background.
pub(crate) fn spawn(app: &Arc<App>, ids: Vec<u64>) {
    for id in ids {
        tokio::spawn(deliver(app.clone(), id));
    }
    app.bump();
}

/// Delivers notification `id` until it is delivered, given up, reset away or the sandbox
/// stops. Each attempt is recorded (and, with a state file, committed) before the next one: a
/// delivery is `delivered` only once the merchant's `sent` is saved, so after a kill it is
/// either recorded as delivered or delivered again, never lost.
async fn deliver(app: Arc<App>, id: u64) {
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
