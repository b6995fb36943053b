//! The program of the README's "Getting started": an Alipay mini app order from your own struct.
//!
//! `cargo run --example getting_started`, with `LATIPAY_USER_ID`, `LATIPAY_WALLET_ID`,
//! `LATIPAY_API_KEY` and `LATIPAY_BASE_URL` (`staging`, `production`, or a local sandbox's URL)
//! set. `.ci/run` runs it against `latipay sandbox`.

use latipay_runtime::{Amount, Client, LatipaySigned};

/// Your order, in your names; the derive checks it against Latipay's `minialipay` endpoint.
#[derive(LatipaySigned)]
#[latipay(endpoint = "minialipay", builder)]
struct MiniOrder {
    amount: Amount, // money is never a float
    callback_url: String,
    #[latipay(rename = "merchant_reference")]
    order_ref: String,
    ip: std::net::Ipv4Addr,
    product_name: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // LATIPAY_USER_ID, LATIPAY_WALLET_ID, LATIPAY_API_KEY and LATIPAY_BASE_URL.
    let client = Client::from_env()?;
    let order = MiniOrder::builder()
        .amount(Amount::parse("12.50")?)
        .callback_url("https://merchant.example/latipay/notify")
        .order_ref(format!("order-{}", std::process::id()))
        .ip([203, 0, 113, 7])
        .product_name("Pinot Noir, Otago")
        .build();
    let created = client.send(&order).await?; // signed, sent, answer verified
    println!("my.tradePay orderStr: {}", created.order_str());
    Ok(())
}
