//! An endpoint from the merchant's own spec file: the derive checks the struct against it and
//! types its answer from the file's model, and the sandbox, given the same file, checks and
//! accepts the request and answers from that model.
//!
//! `cargo run --example merchant_spec`

use latipay_runtime::{Amount, Client, Credentials, Environment, LatipaySigned};

#[derive(Debug, LatipaySigned)]
#[latipay(
    endpoint = "loyalty_topup",
    spec = "examples/latipay-extra.yaml",
    builder
)]
struct LoyaltyTopup {
    member_id: String,
    amount: Amount,
    channel: &'static str,
    note: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // The sandbox plays the built-in endpoints and the merchant's.
    let extra = latipay_spec::from_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/latipay-extra.yaml"
    )))?;
    let mut config = latipay_sandbox::Config::ephemeral();
    config.add_spec(&extra)?;
    let sandbox = latipay_sandbox::Sandbox::start(config).await?;

    let credentials = Credentials::new(
        latipay_sandbox::DEFAULT_USER_ID,
        latipay_sandbox::DEFAULT_WALLET_ID,
        latipay_sandbox::DEFAULT_API_KEY,
    );
    let topup = LoyaltyTopup::builder()
        .member_id("M 42")
        .amount(Amount::from_cents(2500))
        .channel("pos")
        .note("birthday bonus")
        .build();
    println!("signed:  {}", topup.canonical_message(&credentials)?);
    let request = topup.to_request(&credentials)?;
    println!("request: {} {}", request.method, request.path_and_query());
    println!("body:    {}", request.body.as_deref().unwrap_or(""));

    let client = Client::new(credentials, Environment::Custom(sandbox.url().to_owned()))?;
    // The answer's type is generated from the file's `loyalty_topup` model, its signature
    // (member_id + balance) verified before it is decoded.
    let answer: LoyaltyTopupResponse = client.send(&topup).await?;
    println!(
        "answer:  code {} {}: member {} balance {}",
        answer.code, answer.message, answer.member_id, answer.balance
    );
    sandbox.shutdown().await?;
    Ok(())
}
