//! The sandbox as a merchant's test tool, used as a merchant's test would use it: started in
//! process (async, or blocking for a test without a runtime), driven by its methods (pay, fail,
//! cancel, pay an invoice, read an order) and the notification's delivery to the merchant's own
//! callback awaited with its attempts. No HTTP to the admin routes.

use std::time::Duration;

use axum::routing::post;
use latipay_runtime::response::PaymentStatus;
use latipay_runtime::{Client, Credentials, Environment, Notification};
use latipay_sandbox::state::{DeliveryState, Status};
use latipay_sandbox::{BlockingSandbox, Config, ControlError, Sandbox};
use latipay_tests::*;

const WAIT: Duration = Duration::from_secs(10);

fn credentials() -> Credentials {
    Credentials::new(
        latipay_sandbox::DEFAULT_USER_ID,
        latipay_sandbox::DEFAULT_WALLET_ID,
        latipay_sandbox::DEFAULT_API_KEY,
    )
}

fn config() -> Config {
    let mut config = Config::ephemeral();
    config.notify_interval = Duration::from_millis(20);
    config
}

fn hosted(reference: &str, callback_url: &str) -> HostedOrder {
    HostedOrder::builder()
        .amount("12.00")
        .payment_method("wechat")
        .return_url("https://merchant.example/return")
        .callback_url(callback_url)
        .merchant_reference(reference)
        .ip("122.122.122.1")
        .product_name("Pinot Noir")
        .build()
}

/// The merchant's callback on 127.0.0.1: verifies each notification and answers `answer`.
async fn merchant(answer: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/notify",
        post(move |body: axum::body::Bytes| async move {
            match Notification::verify(&body, &credentials()) {
                Ok(_) => answer,
                Err(_) => "invalid",
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test]
async fn a_test_pays_an_order_and_sees_the_notification_delivered() {
    let sandbox = Sandbox::start(config()).await.unwrap();
    let client = Client::new(credentials(), Environment::Custom(sandbox.url().into())).unwrap();
    let callback = merchant("sent").await;
    client.send(&hosted("tool-pay", &callback)).await.unwrap();
    assert_eq!(sandbox.order("tool-pay").unwrap().status, Status::Pending);

    let paid = sandbox.pay("tool-pay").unwrap();
    assert_eq!(paid.status, Status::Paid);
    let delivery = sandbox
        .wait_for_notification("tool-pay", WAIT)
        .await
        .unwrap();
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    assert_eq!(delivery.status, "paid");
    assert_eq!(delivery.attempts.len(), 1, "{delivery:?}");
    assert_eq!(delivery.attempts[0].http_status, Some(200));
    // What was delivered is what Latipay would send: it verifies, and says paid.
    let sent = Notification::verify(delivery.body.as_bytes(), &credentials()).unwrap();
    assert_eq!(sent.status, PaymentStatus::Paid);
    assert_eq!(sent.merchant_reference, "tool-pay");
    assert_eq!(sandbox.notifications("tool-pay").unwrap().len(), 1);

    // A finished order does not move again, and an unknown one is named.
    let again = sandbox.pay("tool-pay").unwrap_err();
    assert!(matches!(again, ControlError::Finished(_)), "{again}");
    assert!(again.to_string().contains("already paid"), "{again}");
    let unknown = sandbox.cancel("no-such-order").unwrap_err();
    assert!(matches!(unknown, ControlError::NotFound(_)), "{unknown}");
    assert!(unknown.to_string().contains("no-such-order"), "{unknown}");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_test_fails_and_cancels_orders_and_sees_retries() {
    let mut config = config();
    config.max_attempts = Some(3);
    let sandbox = Sandbox::start(config).await.unwrap();
    let client = Client::new(credentials(), Environment::Custom(sandbox.url().into())).unwrap();
    // This merchant never acknowledges: the sandbox retries, then gives up.
    let callback = merchant("not yet").await;
    client.send(&hosted("tool-fail", &callback)).await.unwrap();
    client
        .send(&hosted("tool-cancel", &callback))
        .await
        .unwrap();

    assert_eq!(sandbox.fail("tool-fail").unwrap().status, Status::Failed);
    let failed = sandbox
        .wait_for_notification("tool-fail", WAIT)
        .await
        .unwrap();
    assert_eq!(failed.status, "failed");
    assert_eq!(failed.state, DeliveryState::GaveUp, "{failed:?}");
    assert_eq!(failed.attempts.len(), 3, "{failed:?}");
    assert!(
        failed
            .attempts
            .iter()
            .all(|a| a.http_status == Some(200) && a.response_body == "not yet" && !a.delivered),
        "{failed:?}"
    );

    assert_eq!(
        sandbox.cancel("tool-cancel").unwrap().status,
        Status::Canceled
    );
    let canceled = sandbox
        .wait_for_notification("tool-cancel", WAIT)
        .await
        .unwrap();
    assert_eq!(canceled.status, "canceled");

    // A wait with nothing to wait for ends at its timeout, saying what it saw.
    client.send(&hosted("tool-idle", &callback)).await.unwrap();
    let idle = sandbox
        .wait_for_notification("tool-idle", Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(matches!(idle, ControlError::Timeout(_)), "{idle}");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_test_pays_an_invoice() {
    let sandbox = Sandbox::start(config()).await.unwrap();
    let client = Client::new(credentials(), Environment::Custom(sandbox.url().into())).unwrap();
    let created = client
        .send(&InvoiceOrder::builder().amount("5.00").build())
        .await
        .unwrap();
    assert_eq!(
        sandbox.invoice(&created.invoice_id).unwrap().status,
        "unpaid"
    );
    for method in ["", "bitcoin"] {
        let refused = sandbox
            .pay_invoice(&created.invoice_id, method)
            .unwrap_err();
        assert!(matches!(refused, ControlError::Invalid(_)), "{refused}");
    }
    assert_eq!(
        sandbox.invoice(&created.invoice_id).unwrap().status,
        "unpaid"
    );
    let paid = sandbox.pay_invoice(&created.invoice_id, "wechat").unwrap();
    assert_eq!(paid.status, "paid");
    assert_eq!(paid.paid_method.as_deref(), Some("wechat"));
    let twice = sandbox
        .pay_invoice(&created.invoice_id, "wechat")
        .unwrap_err();
    assert!(matches!(twice, ControlError::Finished(_)), "{twice}");
    assert!(matches!(
        sandbox.invoice("no-such-invoice"),
        Err(ControlError::NotFound(_))
    ));
    sandbox.shutdown().await.unwrap();
}

/// A plain `#[test]`: the blocking sandbox and the blocking client, no runtime in sight.
#[test]
fn a_test_without_a_runtime_uses_the_blocking_sandbox() {
    let mut config = config();
    config.max_attempts = Some(2);
    let sandbox = BlockingSandbox::start(config).unwrap();
    let client = latipay_runtime::blocking::Client::new(
        credentials(),
        Environment::Custom(sandbox.url().into()),
    )
    .unwrap();
    // Nothing listens at this callback: the attempts record why.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let callback = format!("http://{}/notify", closed.local_addr().unwrap());
    drop(closed);
    client.send(&hosted("blocking-1", &callback)).unwrap();
    assert_eq!(sandbox.pay("blocking-1").unwrap().status, Status::Paid);
    let delivery = sandbox.wait_for_notification("blocking-1", WAIT).unwrap();
    assert_eq!(delivery.state, DeliveryState::GaveUp, "{delivery:?}");
    assert_eq!(delivery.attempts.len(), 2);
    assert!(
        delivery
            .attempts
            .iter()
            .all(|a| a.http_status.is_none() && a.error.is_some()),
        "{delivery:?}"
    );
    sandbox.shutdown().unwrap();
}

#[tokio::test]
async fn the_blocking_sandbox_inside_a_runtime_says_what_to_use() {
    let e = BlockingSandbox::start(config()).err().expect("refused");
    assert!(e.to_string().contains("Sandbox::start"), "{e}");
}

/// The merchant's own spec file, given by path (no dependency on `latipay-spec` in the test):
/// its endpoints are played next to the built-in ones, and its answers decode into the types the
/// derive generated from the same file.
#[tokio::test]
async fn a_test_adds_the_merchants_spec_file_by_path() {
    let mut config = config();
    config
        .add_spec_file(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/merchant.yaml"))
        .unwrap();
    let sandbox = Sandbox::start(config).await.unwrap();
    let client = Client::new(credentials(), Environment::Custom(sandbox.url().into())).unwrap();
    let redeemed = client
        .send(
            &GiftCardRedeem::builder()
                .card_number("GC-1")
                .amount(latipay_runtime::Amount::from_cents(500))
                .requested_by("test")
                .build(),
        )
        .await
        .unwrap();
    assert_eq!(redeemed.card_number, "GC-1");
    // The built-in endpoints are still there.
    client
        .send(&hosted("tool-spec", "http://127.0.0.1:9/"))
        .await
        .unwrap();
    // A broken file is every mistake at once, with its place.
    let broken = Config::ephemeral()
        .add_spec_file(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/broken.yaml"))
        .unwrap_err();
    assert!(broken.to_string().contains("broken.yaml:"), "{broken}");
    sandbox.shutdown().await.unwrap();
}
