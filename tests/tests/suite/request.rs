//! The HTTP request description: what is sent is exactly what was signed.

use latipay_runtime::{
    Amount, Credentials, Error, InvalidRequest, LatipaySigned, Method, Problem, ValueError,
};
use latipay_tests::*;

fn credentials() -> Credentials {
    Credentials::new("U000334333", "W00000001", "111222333")
}

#[test]
fn minialipay_body_carries_the_unsigned_constant_and_the_signature() {
    let r = doc_mini_order().to_request(&credentials()).unwrap();
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.path, "/v2/minialipay");
    assert_eq!(r.query, "");
    let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "amount": "120.00",
            "callback_url": "https://merchantsite.com/confirm",
            "ip": "122.122.122.1",
            "merchant_reference": "dsi39ej430sks03",
            "payment_method": "alipay",
            "product_name": "Pinot Noir, Otago",
            "signature": "1f8e75dd34fc5ca7b478772efdb6fa9e1a5c89e8e0412ccde81912fc16e2ed07",
            "user_id": "U000334333",
            "version": "2.0",
            "wallet_id": "W00000001",
        })
    );
}

#[test]
fn query_puts_the_reference_in_the_path_signed_raw_and_sent_encoded() {
    let credentials = Credentials::new("U000000013", "", "111222333");
    let q = PaymentQuery {
        merchant_reference: "order 7/a".into(),
        is_block: Some("1"),
    };
    let r = q.to_request(&credentials).unwrap();
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.path, "/v2/transaction/order%207%2Fa");
    assert_eq!(
        q.canonical_message(&credentials).unwrap(),
        "is_block=1&merchant_reference=order 7/a&user_id=U000000013***"
    );
    let signature = q.sign(&credentials).unwrap();
    assert_eq!(
        r.query,
        format!("is_block=1&user_id=U000000013&signature={signature}")
    );
    assert_eq!(r.body, None);
    assert_eq!(
        r.url("https://api.latipay.net/"),
        format!(
            "https://api.latipay.net/v2/transaction/order%207%2Fa?{}",
            r.query
        )
    );
}

#[test]
fn merchant_spec_endpoint_with_path_parameter_and_unsigned_field() {
    let credentials = credentials();
    let redeem = GiftCardRedeem::builder()
        .card_number("GC 1")
        .amount(Amount::from_cents(500))
        .note("not signed")
        .requested_by("till 4")
        .build();
    assert_eq!(
        redeem.canonical_message(&credentials).unwrap(),
        "amount=5.00&card_number=GC 1&user_id=U000334333&wallet_id=W00000001***"
    );
    let r = redeem.to_request(&credentials).unwrap();
    assert_eq!(r.path, "/v2/giftcard/GC%201/redeem");
    let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["note"], "not signed");
    assert!(
        body.get("card_number").is_none(),
        "a path parameter is not repeated in the body"
    );
    // Its answer is the merchant's own model, typed by the derive and signed over
    // `card_number` + `balance` as the spec file declares.
    let body = |balance: &str, signature: &str| {
        format!(
            r#"{{"code":0,"message":"SUCCESS","card_number":"GC 1","balance":{balance},"expires":null,"signature":"{signature}","issuer":"acme"}}"#
        )
    };
    let signature = {
        use hmac::{KeyInit, Mac};
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"111222333").unwrap();
        mac.update(b"GC 15.00");
        hex::encode(mac.finalize().into_bytes())
    };
    let decode = |text: &str| {
        latipay_runtime::__private::decode_response::<GiftCardRedeem<'_>>(200, text, &credentials)
    };
    let r: GiftCardRedeemResponse = decode(&body("5.00", &signature)).unwrap();
    assert_eq!(
        (r.card_number.as_str(), r.balance.as_str(), r.expires),
        ("GC 1", "5.00", None)
    );
    assert_eq!(r.extra.text("issuer").as_deref(), Some("acme"));
    match decode(&body("5.01", &signature)) {
        Err(Error::Signature(e)) => assert_eq!(
            e.kind,
            latipay_spec::inbound::InboundError::Mismatch {
                rule: "concatenation: card_number + balance".to_owned(),
                expected_message: "GC 15.01".to_owned(),
            }
        ),
        other => panic!("a tampered answer was not refused: {other:?}"),
    }
}

#[test]
fn a_concatenation_rule_signs_in_its_own_order_and_skips_unsigned_fields() {
    use hmac::{KeyInit, Mac};
    let credentials = credentials();
    let check = VoucherCheck {
        voucher: "V-123".into(),
        note: Some("not signed".into()),
    };
    // The rule's order (voucher, then user_id), not the sorted one, and the key appended.
    assert_eq!(
        check.canonical_message(&credentials).unwrap(),
        "V-123U000334333***"
    );
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"111222333").unwrap();
    mac.update(b"V-123U000334333111222333");
    let expected = hex::encode(mac.finalize().into_bytes());
    assert_eq!(check.sign(&credentials).unwrap(), expected);
    let r = check.to_request(&credentials).unwrap();
    let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["note"], "not signed");
    assert_eq!(body["voucher"], "V-123");
    assert_eq!(body["user_id"], "U000334333");
    assert_eq!(body["signature"], expected.as_str());
}

#[test]
fn typed_json_for_integers_and_booleans() {
    let invoice = InvoiceOrder::builder()
        .amount("1.5")
        .period_time(30u32)
        .qrcode(true)
        .build();
    let r = invoice.to_request(&credentials()).unwrap();
    let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["amount"], "1.5");
    assert_eq!(body["period_time"], 30);
    assert_eq!(body["qrcode"], true);
    assert!(
        invoice
            .canonical_message(&credentials())
            .unwrap()
            .contains("&period_time=30&qrcode=true&")
    );
}

#[test]
fn bad_values_are_errors_naming_the_field_not_panics() {
    let credentials = credentials();
    let mut order = HostedOrder::builder()
        .amount("12.345")
        .payment_method("paypal")
        .return_url("https://m.example/r")
        .callback_url("https://m.example/c")
        .merchant_reference("r1")
        .ip("122.122.122.1")
        .product_name("wine")
        .build();
    let Error::InvalidRequest(e) = order.sign(&credentials).unwrap_err() else {
        panic!()
    };
    assert_eq!(e.field, "amount");
    assert_eq!(
        e.to_string(),
        "invalid `transaction` request: field `amount`: an amount has at most two decimal places (cents), like 120.00"
    );
    order.amount = "12.5".into();
    let e = order.sign(&credentials).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid `transaction` request: field `payment_method`: expected one of: wechat, alipay, moneymore, polipay, payid, upi_upop, coin_payments"
    );
    order.payment_method = "wechat".into();
    order.merchant_reference.clear();
    let Error::InvalidRequest(e) = order.to_request(&credentials).unwrap_err() else {
        panic!()
    };
    assert_eq!(
        (e.field, e.problem),
        ("merchant_reference", Problem::Missing)
    );
    order.merchant_reference = "r1".into();
    // "12.5" is sent and signed as "12.50".
    assert!(
        order
            .canonical_message(&credentials)
            .unwrap()
            .starts_with("amount=12.50&")
    );
    assert!(
        order
            .to_request(&credentials)
            .unwrap()
            .body
            .unwrap()
            .contains("\"amount\":\"12.50\"")
    );
}

/// Every way of signing refuses the request with the same error: the signature, the debug
/// message, the HTTP request, and the rules alone (what the builder's `build()` calls).
fn refused<R: LatipaySigned>(request: &R, credentials: &Credentials) -> InvalidRequest {
    let errors = [
        request.signature(credentials).map(drop).unwrap_err(),
        request
            .canonical_message(credentials)
            .map(drop)
            .unwrap_err(),
        request.to_request(credentials).map(drop).unwrap_err(),
        latipay_runtime::__private::check_rules(request).unwrap_err(),
    ];
    let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(texts.iter().all(|t| *t == texts[0]), "{texts:?}");
    match errors.into_iter().next() {
        Some(Error::InvalidRequest(e)) => e,
        other => panic!("{other:?}"),
    }
}

/// Latipay refuses a payment or refund of zero (207): it is refused before it is signed, naming
/// the field, whatever type carries the amount.
#[test]
fn a_zero_amount_is_refused_before_signing_naming_the_field() {
    let credentials = credentials();
    let zero = Refund {
        order_id: "O1".into(),
        refund_amount: Amount::ZERO,
        reference: None,
    };
    let e = refused(&zero, &credentials);
    assert_eq!(
        (e.endpoint, e.field, &e.problem),
        (
            "refund",
            "refund_amount",
            &Problem::Invalid(ValueError::Zero)
        )
    );
    assert_eq!(
        e.to_string(),
        "invalid `refund` request: field `refund_amount`: must be more than zero: Latipay refuses a payment or refund of 0.00"
    );
    let mut mini = doc_mini_order();
    mini.amount = Amount::ZERO;
    assert_eq!(refused(&mini, &credentials).field, "amount");
    // Text amounts, however zero is written; `decimal` (the invoice's) too.
    let mut hosted = HostedOrder {
        amount: "0".into(),
        payment_method: "alipay".into(),
        return_url: "https://m.example/back".into(),
        callback_url: "https://m.example/cb".into(),
        back_page_url: None,
        merchant_reference: "r1".into(),
        ip: "1.2.3.4".into(),
        product_name: "p".into(),
        present_qr: None,
    };
    for text in ["0", "0.00", "00.0"] {
        hosted.amount = text.into();
        assert_eq!(refused(&hosted, &credentials).field, "amount", "{text}");
    }
    let invoice = InvoiceOrder {
        amount: "0".into(),
        product_name: None,
        notify_url: None,
        period_time: None,
        qrcode: None,
        wallet_id: None,
    };
    assert_eq!(refused(&invoice, &credentials).field, "amount");
    // The smallest amount is sent.
    let cent = Refund {
        refund_amount: Amount::from_cents(1),
        ..zero
    };
    assert!(
        cent.canonical_message(&credentials)
            .unwrap()
            .contains("refund_amount=0.01&")
    );
    latipay_runtime::__private::check_rules(&cent).unwrap();
}

/// An invoice is looked up by `invoice_id` or `customer_order_id`: the derive makes sure the
/// struct has one of them, and signing refuses a request where neither has a value.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "invoice_get")]
struct InvoiceLookup {
    invoice_id: Option<String>,
    customer_order_id: Option<String>,
}

/// A group of a `DELETE`, whose fields go in the query string.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "invoice_delete")]
struct InvoiceDelete {
    customer_order_id: String,
}

#[test]
fn a_one_of_group_with_no_value_is_refused_before_signing() {
    let credentials = credentials();
    for neither in [
        InvoiceLookup {
            invoice_id: None,
            customer_order_id: None,
        },
        InvoiceLookup {
            invoice_id: Some(String::new()),
            customer_order_id: None,
        },
    ] {
        let e = refused(&neither, &credentials);
        assert_eq!(
            (e.endpoint, e.field, &e.problem),
            (
                "invoice_get",
                "invoice_id",
                &Problem::NoneOf(&["invoice_id", "customer_order_id"])
            )
        );
        assert_eq!(
            e.to_string(),
            "invalid `invoice_get` request: missing `invoice_id` or `customer_order_id`: give at least one of them"
        );
    }
    let by_order = InvoiceLookup {
        invoice_id: None,
        customer_order_id: Some("C1".into()),
    };
    latipay_runtime::__private::check_rules(&by_order).unwrap();
    assert_eq!(
        by_order.canonical_message(&credentials).unwrap(),
        "customer_order_id=C1&user_id=U000334333***"
    );
    let r = by_order.to_request(&credentials).unwrap();
    assert_eq!((r.method, r.path.as_str()), (Method::Get, "/v2/invoice"));
    assert!(
        r.query
            .starts_with("customer_order_id=C1&user_id=U000334333&signature=")
    );

    // A non-`Option` field of the group can still be empty.
    let empty = InvoiceDelete {
        customer_order_id: String::new(),
    };
    assert_eq!(
        refused(&empty, &credentials).problem,
        Problem::NoneOf(&["invoice_id", "customer_order_id"])
    );
    let r = InvoiceDelete {
        customer_order_id: "C2".into(),
    }
    .to_request(&credentials)
    .unwrap();
    assert_eq!(r.method, Method::Delete);
}

/// A marketplace's struct that provides `user_id` and `wallet_id`: its values are signed and sent,
/// not the credentials'; unset, the credentials' are.
#[derive(Debug, Clone, LatipaySigned)]
#[latipay(endpoint = "refund")]
struct MarketplaceRefund {
    #[latipay(provides_credentials)]
    user_id: String,
    order_id: String,
    refund_amount: Amount,
}

#[test]
fn a_struct_that_provides_credentials_signs_and_sends_its_own() {
    let credentials = credentials();
    let refund = MarketplaceRefund {
        user_id: "U_SELLER".into(),
        order_id: "O1".into(),
        refund_amount: Amount::from_cents(120),
    };
    assert_eq!(
        refund.canonical_message(&credentials).unwrap(),
        "order_id=O1&refund_amount=1.20&user_id=U_SELLER***"
    );
    let body: serde_json::Value = serde_json::from_str(
        refund
            .to_request(&credentials)
            .unwrap()
            .body
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["user_id"], "U_SELLER");
    assert_eq!(body["signature"], refund.sign(&credentials).unwrap());

    let mut invoice = InvoiceOrder {
        amount: "1".into(),
        product_name: None,
        notify_url: None,
        period_time: None,
        qrcode: None,
        wallet_id: Some("W_SELLER".into()),
    };
    assert_eq!(
        invoice.canonical_message(&credentials).unwrap(),
        "amount=1&user_id=U000334333&wallet_id=W_SELLER***"
    );
    invoice.wallet_id = None;
    assert_eq!(
        invoice.canonical_message(&credentials).unwrap(),
        "amount=1&user_id=U000334333&wallet_id=W00000001***"
    );
}
