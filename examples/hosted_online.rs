//! A hosted online payment built with the typed builder: create it, send the customer to the
//! payment page, and poll the result.
//!
//! `cargo run --example hosted_online` (offline, against the sandbox, unless `LATIPAY_*` are set)

use latipay_runtime::response::PaymentStatus;
use latipay_runtime::{Client, Credentials, Environment, LatipaySigned};

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "transaction", builder)]
struct HostedOrder {
    amount: String,
    payment_method: &'static str,
    return_url: String,
    callback_url: String,
    merchant_reference: String,
    ip: std::net::Ipv4Addr,
    product_name: String,
}

#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "query")]
struct PaymentQuery {
    merchant_reference: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (client, sandbox) = match Client::credentials_from_env()? {
        Some((credentials, environment)) => (Client::new(credentials, environment)?, None),
        None => {
            let sandbox =
                latipay_sandbox::Sandbox::start(latipay_sandbox::Config::ephemeral()).await?;
            let credentials = Credentials::new(
                latipay_sandbox::DEFAULT_USER_ID,
                latipay_sandbox::DEFAULT_WALLET_ID,
                latipay_sandbox::DEFAULT_API_KEY,
            );
            let client = Client::new(credentials, Environment::Custom(sandbox.url().to_owned()))?;
            (client, Some(sandbox))
        }
    };

    let reference = format!("hosted-{}", std::process::id());
    // Leaving out any required setter is a compile error naming it.
    let order = HostedOrder::builder()
        .amount("49.9") // sent and signed as 49.90
        .payment_method("wechat")
        .return_url("https://merchantsite.com/checkout")
        .callback_url("https://merchantsite.com/confirm")
        .merchant_reference(reference.clone())
        .ip([122, 122, 122, 1])
        .product_name("Sauvignon Blanc, Marlborough")
        .build();
    let created = client.send(&order).await?;
    println!("send the customer to: {}", created.payment_url());

    let result = client
        .send(&PaymentQuery {
            merchant_reference: reference,
        })
        .await?;
    println!(
        "status: {} ({} {})",
        result.status, result.amount, result.currency
    );
    assert_eq!(result.status, PaymentStatus::Pending);

    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await?;
    }
    Ok(())
}
