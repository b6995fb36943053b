//! An axum notification handler that never loses a notification, never applies one twice and
//! never moves an order backwards.
//!
//! `cargo run --example notification_handler` (and `cargo test --example notification_handler`
//! replays, reorders and tampers with deliveries)
//!
//! Latipay retries a notification about every 30 s until the answer is HTTP 200 `sent`, with no
//! limit and no timestamp, so the same notification comes again and an old one (`pending`) can
//! come after a newer one (`paid`). The handler verifies the raw body, then asks
//! `Notification::transition` what the notification does to the stored order: it compares amount
//! and currency with the order first, then allows only the one forward step of an order's life
//! (`pending` to a final status, as the spec declares them). It acknowledges only after the
//! change is stored. Here the "database" is a map in memory. The sandbox's magic amount `.57`
//! pays the order and delivers the notification twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use latipay_runtime::response::PaymentStatus;
use latipay_runtime::{
    Amount, Client, Credentials, Environment, LatipaySigned, Notification, Transition,
};

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "transaction", builder)]
struct HostedOrder {
    amount: Amount,
    payment_method: &'static str,
    return_url: String,
    callback_url: String,
    merchant_reference: String,
    ip: &'static str,
    product_name: String,
}

/// The merchant's order, as stored.
#[derive(Debug, Clone)]
struct Order {
    amount: Amount,
    currency: &'static str,
    status: PaymentStatus,
    /// How many notifications changed it.
    applied: u32,
    /// Notifications for a person to reconcile (another final status, an unknown one).
    review: Vec<Notification>,
}

impl Order {
    fn new(amount: Amount, currency: &'static str) -> Order {
        Order {
            amount,
            currency,
            status: PaymentStatus::Pending,
            applied: 0,
            review: Vec::new(),
        }
    }
}

/// The merchant's orders by merchant_reference.
type Orders = Arc<Mutex<HashMap<String, Order>>>;

#[derive(Clone)]
struct AppState {
    credentials: Credentials,
    orders: Orders,
}

fn router(credentials: Credentials, orders: Orders) -> axum::Router {
    axum::Router::new()
        .route("/latipay/notify", axum::routing::post(latipay_notify))
        .with_state(AppState {
            credentials,
            orders,
        })
}

async fn latipay_notify(State(app): State<AppState>, body: Bytes) -> (StatusCode, &'static str) {
    let notification = match Notification::verify(&body, &app.credentials) {
        Ok(n) => n,
        // Not from Latipay, or tampered with: refuse, and Latipay (if it was Latipay) retries.
        Err(_) => return (StatusCode::BAD_REQUEST, "invalid"),
    };
    let mut orders = app.orders.lock().unwrap_or_else(|p| p.into_inner());
    let Some(order) = orders.get_mut(&notification.merchant_reference) else {
        return (StatusCode::NOT_FOUND, "unknown order");
    };
    match notification.transition(&order.status, order.amount, order.currency) {
        // From Latipay, but not for this order's amount or currency: nothing is marked paid, and
        // Latipay keeps retrying while someone looks.
        Err(_mismatch) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount or currency mismatch",
        ),
        Ok(Transition::Apply(status)) => {
            order.status = status;
            order.applied += 1;
            // A real handler commits the change here, before acknowledging.
            (StatusCode::OK, latipay_runtime::ACK_BODY)
        }
        // A repeat, or a `pending` after the order moved on: acknowledge again.
        Ok(Transition::Unchanged) => (StatusCode::OK, latipay_runtime::ACK_BODY),
        Ok(Transition::Review { .. }) => {
            order.review.push(notification);
            (StatusCode::OK, latipay_runtime::ACK_BODY)
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut config = latipay_sandbox::Config::ephemeral();
    config.notify_interval = Duration::from_millis(100);
    let sandbox = latipay_sandbox::Sandbox::start(config).await?;
    let credentials = Credentials::new(
        latipay_sandbox::DEFAULT_USER_ID,
        latipay_sandbox::DEFAULT_WALLET_ID,
        latipay_sandbox::DEFAULT_API_KEY,
    );

    let orders: Orders = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let callback_url = format!("http://{}/latipay/notify", listener.local_addr()?);
    let app = router(credentials.clone(), orders.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let amount = Amount::parse("10.57")?; // magic: paid at once, notified twice
    let reference = format!("notify-{}", std::process::id());
    orders
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(reference.clone(), Order::new(amount, "NZD"));
    let client = Client::new(credentials, Environment::Custom(sandbox.url().to_owned()))?;
    client
        .send(
            &HostedOrder::builder()
                .amount(amount)
                .payment_method("alipay")
                .return_url("https://merchantsite.com/checkout")
                .callback_url(callback_url)
                .merchant_reference(reference.clone())
                .ip("122.122.122.1")
                .product_name("Pinot Gris")
                .build(),
        )
        .await?;

    // Wait until both deliveries have ended (the sandbox plays Latipay and shows its attempts).
    sandbox
        .wait_for_notification(&reference, Duration::from_secs(10))
        .await?;
    let acknowledged = sandbox
        .notifications(&reference)?
        .iter()
        .filter(|d| d.attempts.iter().any(|a| a.delivered))
        .count();
    println!("latipay:   {acknowledged} notification(s) acknowledged with `sent`");
    let order = orders.lock().unwrap_or_else(|p| p.into_inner())[&reference].clone();
    let times = match order.applied {
        1 => "once".to_owned(),
        n => format!("{n} times"),
    };
    println!(
        "order {reference}: {}, notifications applied {times}",
        order.status
    );
    sandbox.shutdown().await?;
    Ok(())
}

/// The handler over HTTP on 127.0.0.1, fed notifications signed by the spec's rule: replayed,
/// reordered, tampered with, and genuine but for another amount or currency.
#[cfg(test)]
mod tests {
    use super::*;
    use latipay_spec::{ApiKey, SigningKey};

    const KEY: &str = "111222333";

    /// A notification body for `reference`, signed by the built-in spec's rule with `KEY`.
    fn signed(reference: &str, status: &str, currency: &str, amount: &str) -> String {
        let pairs: Vec<(String, String)> = [
            ("merchant_reference", reference),
            ("payment_method", "alipay"),
            ("status", status),
            ("currency", currency),
            ("amount", amount),
            ("order_id", "2017232323345678"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
        let rule = &latipay_spec::builtin()
            .inbound("notification")
            .unwrap()
            .signature;
        let (signature, _) =
            latipay_spec::inbound::sign(rule, &pairs[..], &SigningKey::new(ApiKey::new(KEY)))
                .unwrap();
        let body: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        format!("{}&signature={}", body.join("&"), signature.to_hex())
    }

    struct Merchant {
        url: String,
        orders: Orders,
        http: reqwest::Client,
    }

    impl Merchant {
        /// The handler on a free port, with `orders` stored (pending).
        async fn start(orders: &[(&str, &str, &'static str)]) -> Merchant {
            let stored: Orders = Arc::default();
            for (reference, amount, currency) in orders {
                stored.lock().unwrap().insert(
                    (*reference).to_owned(),
                    Order::new(Amount::parse(amount).unwrap(), currency),
                );
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}/latipay/notify", listener.local_addr().unwrap());
            let app = router(
                Credentials::new("U000334333", "W00000001", KEY),
                stored.clone(),
            );
            tokio::spawn(async move { axum::serve(listener, app).await });
            Merchant {
                url,
                orders: stored,
                http: reqwest::Client::new(),
            }
        }

        /// Delivers `body` as Latipay does; the status and the answer's body.
        async fn deliver(&self, body: &str) -> (u16, String) {
            let answer = self
                .http
                .post(&self.url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.to_owned())
                .send()
                .await
                .unwrap();
            (answer.status().as_u16(), answer.text().await.unwrap())
        }

        fn order(&self, reference: &str) -> Order {
            self.orders.lock().unwrap()[reference].clone()
        }
    }

    fn acknowledged() -> (u16, String) {
        (200, "sent".to_owned())
    }

    #[tokio::test]
    async fn a_replayed_notification_is_acknowledged_and_applied_once() {
        let m = Merchant::start(&[("o-1", "120.00", "NZD")]).await;
        let paid = signed("o-1", "paid", "NZD", "120.00");
        for _ in 0..3 {
            assert_eq!(m.deliver(&paid).await, acknowledged());
        }
        let order = m.order("o-1");
        assert_eq!((order.status, order.applied), (PaymentStatus::Paid, 1));
    }

    #[tokio::test]
    async fn a_late_pending_never_overwrites_paid() {
        let m = Merchant::start(&[("o-1", "120.00", "NZD"), ("o-2", "120.00", "NZD")]).await;
        // Out of order: paid, then the retried pending.
        assert_eq!(
            m.deliver(&signed("o-1", "paid", "NZD", "120.00")).await,
            acknowledged()
        );
        assert_eq!(
            m.deliver(&signed("o-1", "pending", "NZD", "120.00")).await,
            acknowledged()
        );
        let order = m.order("o-1");
        assert_eq!((order.status, order.applied), (PaymentStatus::Paid, 1));
        // In order: pending changes nothing, paid is applied.
        assert_eq!(
            m.deliver(&signed("o-2", "pending", "NZD", "120.00")).await,
            acknowledged()
        );
        assert_eq!(m.order("o-2").status, PaymentStatus::Pending);
        assert_eq!(
            m.deliver(&signed("o-2", "paid", "NZD", "120.00")).await,
            acknowledged()
        );
        assert_eq!(m.order("o-2").status, PaymentStatus::Paid);
    }

    #[tokio::test]
    async fn another_final_status_is_kept_for_review_not_applied() {
        let m = Merchant::start(&[("o-1", "120.00", "NZD")]).await;
        assert_eq!(
            m.deliver(&signed("o-1", "canceled", "NZD", "120.00")).await,
            acknowledged()
        );
        // Paid after the cancel: money moved, so a person decides (refund or fulfil).
        assert_eq!(
            m.deliver(&signed("o-1", "paid", "NZD", "120.00")).await,
            acknowledged()
        );
        let order = m.order("o-1");
        assert_eq!(order.status, PaymentStatus::Canceled);
        assert_eq!(order.applied, 1);
        assert_eq!(order.review.len(), 1);
        assert_eq!(order.review[0].status, PaymentStatus::Paid);
    }

    #[tokio::test]
    async fn a_tampered_notification_is_refused_and_changes_nothing() {
        let m = Merchant::start(&[("o-1", "120.00", "NZD")]).await;
        let paid = signed("o-1", "paid", "NZD", "120.00");
        for tampered in [
            paid.replace("amount=120.00", "amount=1.00"),
            paid.replace("status=paid", "status=failed"),
            paid.replace("currency=NZD", "currency=AUD"),
            paid.replace("merchant_reference=o-1", "merchant_reference=o-2"),
            paid[..paid.find("&signature").unwrap()].to_owned(),
        ] {
            assert_eq!(m.deliver(&tampered).await.0, 400, "{tampered}");
        }
        let order = m.order("o-1");
        assert_eq!((order.status, order.applied), (PaymentStatus::Pending, 0));
        // The unsigned order_id may be changed: it decides nothing.
        assert_eq!(
            m.deliver(&paid.replace("order_id=2017232323345678", "order_id=forged"))
                .await,
            acknowledged()
        );
        assert_eq!(m.order("o-1").status, PaymentStatus::Paid);
    }

    #[tokio::test]
    async fn a_genuine_notification_for_another_amount_or_currency_marks_nothing_paid() {
        let m = Merchant::start(&[("o-1", "120.00", "NZD")]).await;
        for other in [
            signed("o-1", "paid", "NZD", "1.20"),
            signed("o-1", "paid", "AUD", "120.00"),
        ] {
            assert_eq!(
                m.deliver(&other).await,
                (422, "amount or currency mismatch".to_owned())
            );
        }
        assert_eq!(m.order("o-1").status, PaymentStatus::Pending);
        // The same amount written otherwise is the same money.
        assert_eq!(
            m.deliver(&signed("o-1", "paid", "nzd", "120.0")).await,
            acknowledged()
        );
        assert_eq!(m.order("o-1").status, PaymentStatus::Paid);
        assert_eq!(
            m.deliver(&signed("o-9", "paid", "NZD", "120.00")).await.0,
            404
        );
    }
}
