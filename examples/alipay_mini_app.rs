//! The Alipay mini app flow end to end: create the order from the merchant's own struct, hand
//! `orderStr` to `my.tradePay`, receive and verify the notification, confirm by query, refund.
//!
//! `cargo run --example alipay_mini_app`
//!
//! With no `LATIPAY_*` variables set it starts the sandbox in this process and plays the
//! customer there, so it runs offline. With `LATIPAY_USER_ID`, `LATIPAY_WALLET_ID`,
//! `LATIPAY_API_KEY` (and `LATIPAY_BASE_URL=staging`) set it creates a real order and stops where
//! a real customer would have to pay; set `LATIPAY_CALLBACK_URL` to a public URL of this machine
//! for the notification to arrive.

use std::net::Ipv4Addr;
use std::time::Duration;

use axum::extract::State;
use latipay_runtime::{
    Amount, Client, Credentials, Environment, LatipaySigned, Notification, TradePayResult,
};
use tokio::sync::mpsc;

/// The merchant's order, in the merchant's names.
#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "minialipay", builder)]
struct MiniOrder {
    amount: Amount,
    callback_url: String,
    #[latipay(rename = "merchant_reference")]
    order_ref: String,
    ip: Ipv4Addr,
    product_name: String,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "query")]
struct PaymentQuery {
    merchant_reference: String,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund {
    order_id: String,
    refund_amount: Amount,
    reference: Option<String>,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let (credentials, environment, sandbox) = match Client::credentials_from_env()? {
        Some((credentials, environment)) => (credentials, environment, None),
        None => {
            let sandbox = latipay_sandbox::Sandbox::start(sandbox_config()).await?;
            println!(
                "no LATIPAY_* variables: using the sandbox at {}",
                sandbox.url()
            );
            let credentials = Credentials::new(
                latipay_sandbox::DEFAULT_USER_ID,
                latipay_sandbox::DEFAULT_WALLET_ID,
                latipay_sandbox::DEFAULT_API_KEY,
            );
            let url = sandbox.url().to_owned();
            (credentials, Environment::Custom(url), Some(sandbox))
        }
    };
    let client = Client::new(credentials.clone(), environment)?;

    // The merchant's notification endpoint.
    let (notified, mut notifications) = mpsc::unbounded_channel();
    let callback_url = match std::env::var("LATIPAY_CALLBACK_URL") {
        Ok(url) => url,
        Err(_) => merchant_server(credentials.clone(), notified).await?,
    };

    // 1. Create the order.
    let amount = Amount::parse("120.00")?;
    let order = MiniOrder::builder()
        .amount(amount)
        .callback_url(callback_url)
        .order_ref(format!("mini-{}", std::process::id()))
        .ip(Ipv4Addr::new(122, 122, 122, 1))
        .product_name("Pinot Noir, Otago")
        .build();
    println!("signed:    {}", order.canonical_message(&credentials)?);
    let created = client.send(&order).await?;
    // 2. What the mini app passes to my.tradePay({ orderStr }).
    println!("orderStr:  {}", created.order_str());

    let Some(sandbox) = sandbox else {
        println!(
            "pay it in the Alipay mini app, then query {}",
            order.order_ref
        );
        return Ok(());
    };

    // 3. The customer pays (the sandbox plays the customer); the app reports 9000, which is not
    //    signed, so the server's word decides.
    let paid = sandbox.pay(&order.order_ref)?;
    println!("customer:  paid (the sandbox's order is {:?})", paid.status);
    // The mini app reports `resultCode` as the string "9000" (`TradePayResult::from_json` also
    // takes the number, as some wrappers pass it).
    let app_result: TradePayResult = "9000".parse()?;
    println!(
        "my.tradePay: {app_result}; confirm by query: {}",
        app_result.must_confirm_by_query()
    );

    // 4. The notification arrives, verified and checked against the order.
    let notification = tokio::time::timeout(Duration::from_secs(10), notifications.recv())
        .await?
        .ok_or("the merchant server stopped")?;
    notification.check_order(amount, "NZD")?;
    println!(
        "notified:  {} {} {} (order_id {})",
        notification.merchant_reference,
        notification.status,
        notification.amount,
        notification
            .order_id
            .unverified()
            .as_deref()
            .unwrap_or("not sent")
    );

    // 5. Confirm by query: the response's signature is verified over the amount's raw text.
    let query = PaymentQuery {
        merchant_reference: order.order_ref.clone(),
    };
    let result = client.send(&query).await?;
    println!(
        "query:     {} {} {}",
        result.status, result.currency, result.amount
    );

    // 6. Refund half; the same refund sent again is refused, never paid out twice.
    let order_id = created
        .order_id()
        .or(result.order_id.as_deref())
        .ok_or("no order id")?
        .to_owned();
    let refund = Refund {
        order_id: order_id.clone(),
        refund_amount: Amount::from_cents(amount.cents() / 2),
        reference: Some("customer changed their mind".into()),
    };
    client.send(&refund).await?;
    println!("refunded:  {}", refund.refund_amount);
    match client.send(&refund).await {
        Err(e) => println!("refused:   {e}"),
        Ok(_) => return Err("a refund beyond the paid amount was accepted".into()),
    }

    sandbox.shutdown().await?;
    Ok(())
}

fn sandbox_config() -> latipay_sandbox::Config {
    let mut config = latipay_sandbox::Config::ephemeral();
    config.notify_interval = Duration::from_millis(200);
    config
}

/// A merchant server on 127.0.0.1 that verifies notifications from their raw body and answers
/// `sent`; returns its callback URL.
async fn merchant_server(
    credentials: Credentials,
    notified: mpsc::UnboundedSender<Notification>,
) -> Result<String, Failure> {
    async fn notify(
        State((credentials, notified)): State<(Credentials, mpsc::UnboundedSender<Notification>)>,
        body: axum::body::Bytes,
    ) -> (axum::http::StatusCode, &'static str) {
        match Notification::verify(&body, &credentials) {
            Ok(n) => {
                let _ = notified.send(n);
                let (_, body) = Notification::ack();
                (axum::http::StatusCode::OK, body)
            }
            Err(e) => {
                eprintln!("rejected a notification: {e}");
                (axum::http::StatusCode::BAD_REQUEST, "invalid")
            }
        }
    }
    let app = axum::Router::new()
        .route("/latipay/notify", axum::routing::post(notify))
        .with_state((credentials, notified));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/latipay/notify", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}
