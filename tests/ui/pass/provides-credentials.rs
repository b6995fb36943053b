use latipay_runtime::{Amount, Credentials, LatipaySigned};

// A marketplace sending for several merchants: the struct provides `user_id` and `wallet_id`,
// which are signed and sent instead of the credentials' own; an empty or `None` one falls back to
// the credentials'.
#[derive(LatipaySigned)]
#[latipay(endpoint = "barcode")]
struct BarcodeOrder {
    #[latipay(provides_credentials)]
    user_id: String,
    #[latipay(provides_credentials, rename = "wallet_id")]
    wallet: Option<String>,
    amount: Amount,
    merchant_reference: String,
    pay_code: String,
}

fn main() {
    let credentials = Credentials::new("U_PLATFORM", "W_PLATFORM", "0123456789abcdef");
    let order = BarcodeOrder {
        user_id: "U_SELLER".into(),
        wallet: Some("W_SELLER".into()),
        amount: Amount::from_cents(5),
        merchant_reference: "r1".into(),
        pay_code: "134588558514585062".into(),
    };
    assert_eq!(
        order.canonical_message(&credentials).unwrap(),
        "amount=0.05&merchant_reference=r1&pay_code=134588558514585062&user_id=U_SELLER&wallet_id=W_SELLER***"
    );
    let body = order.to_request(&credentials).unwrap().body.unwrap();
    assert!(body.contains(r#""user_id":"U_SELLER""#), "{body}");
    assert!(body.contains(r#""wallet_id":"W_SELLER""#), "{body}");
    assert!(!body.contains("PLATFORM"), "{body}");

    let own_wallet_only = BarcodeOrder {
        user_id: String::new(),
        wallet: None,
        ..order
    };
    let message = own_wallet_only.canonical_message(&credentials).unwrap();
    assert!(
        message.ends_with("user_id=U_PLATFORM&wallet_id=W_PLATFORM***"),
        "{message}"
    );
}
