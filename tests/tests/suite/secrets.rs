//! The api_key never appears in `Debug` or `Display` output, errors, messages or requests.

use latipay_runtime::{Amount, Credentials, LatipaySigned};
use latipay_spec::{ApiKey, SigningKey};
use latipay_tests::*;

const SECRET: &str = "s3cr3t-api-key-0123456789";

#[test]
fn the_api_key_never_appears_in_any_debug_output() {
    let credentials = Credentials::new("U1", "W1", SECRET);
    let order = MiniOrder::builder()
        .amount(Amount::from_cents(100))
        .callback_url("https://m.example/c")
        .order_ref("r1")
        .ip([1, 2, 3, 4])
        .product_name("wine")
        .build();
    let bad = HostedOrder::builder()
        .amount("x")
        .payment_method("alipay")
        .return_url("https://m.example/r")
        .callback_url("https://m.example/c")
        .merchant_reference("r1")
        .ip("1.2.3.4")
        .product_name("wine")
        .build();
    let error = bad.sign(&credentials).unwrap_err();
    let shown = [
        format!("{credentials:?}"),
        format!("{:?}", SigningKey::new(ApiKey::new(SECRET))),
        format!("{:?} {}", ApiKey::new(SECRET), ApiKey::new(SECRET)),
        format!("{order:?}"),
        format!("{:?}", order.signature(&credentials).unwrap()),
        format!("{}", order.signature(&credentials).unwrap()),
        order.canonical_message(&credentials).unwrap(),
        format!("{:?}", order.to_request(&credentials).unwrap()),
        format!("{error:?} {error}"),
    ];
    for s in &shown {
        assert!(!s.contains(SECRET), "the api_key leaked into: {s}");
        assert!(
            !s.contains("s3cr3t"),
            "part of the api_key leaked into: {s}"
        );
    }
    assert!(
        shown[0].contains("U1") && shown[0].contains("***"),
        "{}",
        shown[0]
    );
}

#[test]
fn a_merchant_unwrapping_our_errors_panics_without_the_api_key() {
    let credentials = Credentials::new("U1", "W1", SECRET);
    let bad = Refund {
        order_id: String::new(),
        refund_amount: Amount::from_cents(1),
        reference: None,
    };
    let panic = std::panic::catch_unwind(|| bad.sign(&credentials).unwrap()).unwrap_err();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("order_id"),
        "the panic says what is wrong: {message}"
    );
    assert!(
        !message.contains(SECRET) && !message.contains("s3cr3t"),
        "{message}"
    );
    // What `.expect()` on a `Result<_, Credentials>` or a `{:?}` in a panic would print.
    let panic = std::panic::catch_unwind(|| panic!("{credentials:?}")).unwrap_err();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("***") && !message.contains("s3cr3t"),
        "{message}"
    );
}
