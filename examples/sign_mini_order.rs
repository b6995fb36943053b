//! A merchant's own order struct for Latipay's Alipay mini app endpoint: derive, build, sign.
//!
//! `cargo run --example sign_mini_order`

use latipay_runtime::{Amount, Credentials, LatipaySigned};

/// The merchant's order, in the merchant's own names.
#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "minialipay", builder)]
struct MiniOrder {
    amount: Amount,
    callback_url: String,
    #[latipay(rename = "merchant_reference")]
    order_ref: String,
    ip: std::net::Ipv4Addr,
    product_name: String,
    /// Kept in the merchant's system, never sent to Latipay.
    #[latipay(skip)]
    internal_note: Option<String>,
}

fn main() -> Result<(), latipay_runtime::Error> {
    // Latipay's documented example credentials; real ones come from the merchant portal.
    let credentials = Credentials::new("U000334333", "W00000001", "111222333");
    let order = MiniOrder::builder()
        .amount(Amount::parse("120.00").expect("a valid amount"))
        .callback_url("https://merchantsite.com/confirm")
        .order_ref("dsi39ej430sks03")
        .ip([122, 122, 122, 1])
        .product_name("Pinot Noir, Otago")
        .internal_note("gift wrap")
        .build();

    println!("order:     {order:?}");
    println!("not sent:  {:?}", order.internal_note);
    println!("credentials: {credentials:?}");
    println!("message:   {}", order.canonical_message(&credentials)?);
    println!("signature: {}", order.sign(&credentials)?);
    let request = order.to_request(&credentials)?;
    println!(
        "request:   {} {}\n           {}",
        request.method,
        request.url("https://api.latipay.net"),
        request.body.as_deref().unwrap_or("")
    );
    Ok(())
}
