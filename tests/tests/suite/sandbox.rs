//! Every endpoint of the spec sent through `Client` to the sandbox over real HTTP, and accepted.
//! The sandbox answers from the same declarations the client decodes with, so these types are the
//! documented shapes (the invoice's fields at the top level, the offline `gatewaydata` step).

use std::time::Duration;

use latipay_runtime::response::{GatewaydataDataPaymentMethod, PaymentStatus};
use latipay_runtime::{Amount, Client, Code, Credentials, Environment, Error};
use latipay_sandbox::{Config, Sandbox};
use latipay_tests::*;

use latipay_tests::endpoints::*;

pub async fn sandbox() -> (Sandbox, Client) {
    let mut config = Config::ephemeral();
    config.notify_interval = Duration::from_millis(50);
    let sandbox = Sandbox::start(config).await.unwrap();
    let credentials = Credentials::new(
        latipay_sandbox::DEFAULT_USER_ID,
        latipay_sandbox::DEFAULT_WALLET_ID,
        latipay_sandbox::DEFAULT_API_KEY,
    );
    let client = Client::new(credentials, Environment::Custom(sandbox.url().to_owned())).unwrap();
    (sandbox, client)
}

#[tokio::test]
async fn every_endpoint_is_accepted() {
    let (sandbox, client) = sandbox().await;
    let callback = "https://merchant.example/notify".to_owned();

    let hosted = HostedOrder::builder()
        .amount("10.00")
        .payment_method("alipay")
        .return_url("https://merchant.example/return")
        .callback_url(callback.clone())
        .merchant_reference("hosted-1")
        .ip("122.122.122.1")
        .product_name("wine")
        .build();
    let t = client.send(&hosted).await.unwrap();
    assert!(t.payment_url().starts_with(&t.host_url) && !t.nonce.is_empty());

    let mini = MiniOrder::builder()
        .amount(Amount::from_cents(1000))
        .callback_url(callback.clone())
        .order_ref("mini-1")
        .ip([1, 2, 3, 4])
        .product_name("wine")
        .build();
    let m = client.send(&mini).await.unwrap();
    assert!(m.order_str().starts_with("service="), "{}", m.order_str());
    let keys: Vec<&str> = m.gatewaydata.iter().map(|(k, _)| k).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_ne!(
        keys, sorted,
        "gatewaydata keeps the server's (non-alphabetical) order"
    );

    let wechat = WechatMiniOrder {
        amount: Amount::from_cents(500),
        notify_url: callback.clone(),
        merchant_reference: "wx-1".into(),
        product_name: "wine".into(),
        app_id: "wx123".into(),
        open_id: "o456".into(),
    };
    let w = client.send(&wechat).await.unwrap();
    assert!(w.payment.iter().any(|(k, _)| k == "paySign"));

    let barcode = BarcodeOrder::builder()
        .amount("3.00")
        .pay_code("134588558514585062")
        .merchant_reference("bar-1")
        .build();
    let b = client.send(&barcode).await.unwrap();
    assert!(!b.order_id.is_empty());

    sandbox.pay("mini-1").expect("the customer pays");
    let q = client
        .send(&PaymentQuery {
            merchant_reference: "mini-1".into(),
            is_block: None,
        })
        .await
        .unwrap();
    assert_eq!(
        (q.status.clone(), q.amount.as_str(), q.currency.as_str()),
        (PaymentStatus::Paid, "10.00", "NZD")
    );

    let refund = Refund {
        order_id: q
            .order_id
            .clone()
            .expect("a paid order has Latipay's order id"),
        refund_amount: Amount::from_cents(400),
        reference: None,
    };
    client.send(&refund).await.unwrap();

    let cancel = Cancel {
        merchant_reference: "hosted-1".into(),
    };
    client.send(&cancel).await.unwrap();
    let e = client
        .send(&Cancel {
            merchant_reference: "mini-1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(Code::AlreadyCompleted), "{e}");

    let invoice = InvoiceOrder::builder()
        .amount("1")
        .product_name("ticket")
        .notify_url("https://merchant.example/invoice")
        .build();
    let created = client.send(&invoice).await.unwrap();
    // Its fields at the top level, as Latipay documents them.
    assert!(!created.invoice_id.is_empty(), "{created:?}");
    assert!(!created.invoice_url.is_empty(), "{created:?}");
    let invoice_id = Some(created.invoice_id.clone());
    let got = client
        .send(&InvoiceGet {
            invoice_id: invoice_id.clone(),
            customer_order_id: None,
        })
        .await
        .unwrap();
    assert_eq!(got.invoice_id, created.invoice_id);
    let list = client
        .send(&InvoiceList {
            start_time: "2020-01-01".into(),
            end_time: None,
        })
        .await
        .unwrap();
    let listed = list
        .data
        .iter()
        .find(|i| i.invoice_id == created.invoice_id)
        .expect("the invoice is listed");
    assert_eq!(listed.amount.to_amount().unwrap(), Amount::from_cents(100));

    let id = invoice_id.clone().unwrap();
    sandbox
        .pay_invoice(&id, "alipay")
        .expect("the customer pays the invoice");
    client
        .send(&InvoiceRefund {
            invoice_id: Some(id.clone()),
            customer_order_id: None,
            reference: Some("r".into()),
        })
        .await
        .unwrap();
    let unpaid = client
        .send(&InvoiceOrder::builder().amount("2.00").build())
        .await
        .unwrap();
    let unpaid_id = unpaid.invoice_id.clone();
    client
        .send(&InvoiceDelete {
            invoice_id: Some(unpaid_id),
            customer_order_id: None,
        })
        .await
        .unwrap();

    sandbox.shutdown().await.unwrap();
}

/// Merchant-hosted offline: a `transaction` with `host_type` "1" (and no `return_url`), then the
/// `gatewaydata` step at the answer's `host_url`, verified by Rule A over its `data`.
#[tokio::test]
async fn the_merchant_hosted_offline_step_gives_the_qr_code() {
    let (sandbox, client) = sandbox().await;
    let order = OfflineOrder {
        amount: Amount::from_cents(1),
        payment_method: "wechat".into(),
        callback_url: "https://merchant.example/notify".into(),
        merchant_reference: "offline-1".into(),
        ip: "122.122.122.1".into(),
        product_name: "wine".into(),
        host_type: "1",
    };
    let t = client.send(&order).await.unwrap();
    let g = client.gateway_data(&t).await.unwrap();
    assert_eq!(g.code, 0);
    let d = &g.data;
    assert_eq!(d.nonce, t.nonce);
    assert_eq!(d.merchant_reference, "offline-1");
    assert_eq!(d.payment_method, GatewaydataDataPaymentMethod::Wechat);
    assert_eq!(d.amount.to_amount().unwrap(), Amount::from_cents(1));
    assert_eq!(d.user_id, latipay_sandbox::DEFAULT_USER_ID);
    assert_eq!(d.wallet_id, latipay_sandbox::DEFAULT_WALLET_ID);
    assert!(
        d.qr_code.starts_with("data:image/png;base64,"),
        "{}",
        d.qr_code
    );
    assert!(!d.qr_code_url.is_empty());
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn failures_keep_latipays_code_and_message() {
    let (sandbox, client) = sandbox().await;
    let refund = Refund {
        order_id: "no-such-order".into(),
        refund_amount: Amount::from_cents(1),
        reference: None,
    };
    let Error::Api(e) = client.send(&refund).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(e.status, 200);
    assert!(
        matches!(e.code, Code::RefundOrderNotExist | Code::OrderNotExist),
        "{e:?}"
    );
    assert!(!e.message.is_empty());

    let wrong = Client::new(
        Credentials::new(
            latipay_sandbox::DEFAULT_USER_ID,
            latipay_sandbox::DEFAULT_WALLET_ID,
            "not-the-key",
        ),
        Environment::Custom(sandbox.url().to_owned()),
    )
    .unwrap();
    let e = wrong
        .send(&PaymentQuery {
            merchant_reference: "x".into(),
            is_block: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(Code::SignatureWrong), "{e}");
    sandbox.shutdown().await.unwrap();
}
