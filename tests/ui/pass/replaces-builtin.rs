use latipay_runtime::{Amount, Credentials, LatipaySigned};

// A merchant's file may replace a built-in endpoint when it says `replaces: true`; the built-in
// endpoints it does not replace stay available to structs naming the file.
#[derive(LatipaySigned)]
#[latipay(
    endpoint = "refund",
    spec = "../../../../tests/ui/pass/replaces-builtin.yaml"
)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
}

#[derive(LatipaySigned)]
#[latipay(
    endpoint = "cancel",
    spec = "../../../../tests/ui/pass/replaces-builtin.yaml"
)]
struct Cancel {
    merchant_reference: String,
}

#[derive(LatipaySigned)]
#[latipay(
    endpoint = "voucher_lookup",
    spec = "../../../../tests/ui/pass/replaces-builtin.yaml"
)]
struct VoucherLookup {
    code: Option<String>,
    serial: Option<String>,
}

fn main() {
    let credentials = Credentials::new("U1", "W1", "0123456789abcdef");
    let refund = Refund {
        order_id: "O1".into(),
        refund_amount: Amount::from_cents(100),
    };
    let request = refund.to_request(&credentials).unwrap();
    assert_eq!(request.path, "/v2/refund");
    let zero = Refund {
        refund_amount: Amount::ZERO,
        ..refund
    };
    let e = zero.to_request(&credentials).unwrap_err().to_string();
    assert!(e.contains("`refund_amount`: must be more than zero"), "{e}");

    let cancel = Cancel {
        merchant_reference: "R1".into(),
    };
    assert_eq!(cancel.to_request(&credentials).unwrap().path, "/cancel");

    let neither = VoucherLookup {
        code: None,
        serial: None,
    };
    let e = neither.to_request(&credentials).unwrap_err().to_string();
    assert_eq!(
        e,
        "invalid `voucher_lookup` request: missing `code` or `serial`: give at least one of them"
    );
    let by_serial = VoucherLookup {
        code: None,
        serial: Some("S1".into()),
    };
    assert_eq!(
        by_serial.canonical_message(&credentials).unwrap(),
        "serial=S1&user_id=U1***"
    );
}
