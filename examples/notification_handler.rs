//! An axum notification handler that never loses a notification and never applies one twice.
//!
//! `cargo run --example notification_handler`
//!
//! Latipay retries a notification about every 30 s until the answer is HTTP 200 `sent`, with no
//! limit and no timestamp. So the handler verifies the raw body, checks amount and currency
//! against the stored order, applies the change only if the order is not already in that state,
//! and acknowledges only after the change is stored. Here the "database" is a map in memory.
//! The sandbox's magic amount `.57` pays the order and delivers the notification twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use latipay_runtime::{
    Amount, Client, Credentials, Environment, LatipaySigned, Notification, PaymentStatus,
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

/// The merchant's orders: reference -> (amount, currency, status, times a notification applied).
type Orders = Arc<Mutex<HashMap<String, (Amount, &'static str, PaymentStatus, u32)>>>;

#[derive(Clone)]
struct AppState {
    credentials: Credentials,
    orders: Orders,
}

async fn latipay_notify(State(app): State<AppState>, body: Bytes) -> (StatusCode, &'static str) {
    let notification = match Notification::verify(&body, &app.credentials) {
        Ok(n) => n,
        // Not from Latipay, or tampered with: refuse, and Latipay (if it was Latipay) retries.
        Err(_) => return (StatusCode::BAD_REQUEST, "invalid"),
    };
    let mut orders = app.orders.lock().unwrap_or_else(|p| p.into_inner());
    let Some((amount, currency, status, applied)) =
        orders.get_mut(&notification.merchant_reference)
    else {
        return (StatusCode::NOT_FOUND, "unknown order");
    };
    if notification.check_order(*amount, currency).is_err() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount or currency mismatch",
        );
    }
    if *status != notification.status {
        // The state change is applied once; a repeat only gets acknowledged again.
        *status = notification.status.clone();
        *applied += 1;
    }
    let (_, ack) = Notification::ack();
    (StatusCode::OK, ack)
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
    let app = axum::Router::new()
        .route("/latipay/notify", axum::routing::post(latipay_notify))
        .with_state(AppState {
            credentials: credentials.clone(),
            orders: orders.clone(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let callback_url = format!("http://{}/latipay/notify", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let amount = Amount::parse("10.57")?; // magic: paid at once, notified twice
    let reference = format!("notify-{}", std::process::id());
    orders.lock().unwrap_or_else(|p| p.into_inner()).insert(
        reference.clone(),
        (amount, "NZD", PaymentStatus::Pending, 0),
    );
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

    // Wait until both deliveries were acknowledged.
    let show = format!("{}/sandbox/orders/{reference}", sandbox.url());
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let state = reqwest::get(&show).await?.text().await?;
        let acknowledged = state.matches("\"delivered\":true").count();
        if acknowledged >= 2 {
            break;
        }
    }
    let (_, _, status, applied) =
        orders.lock().unwrap_or_else(|p| p.into_inner())[&reference].clone();
    println!("order {reference}: {status}, notification applied {applied} time(s)");
    sandbox.shutdown().await?;
    Ok(())
}
