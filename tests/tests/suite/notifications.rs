//! Notification and redirect verification from raw bytes.

use std::borrow::Cow;

use latipay_runtime::response::PaymentStatus;
use latipay_runtime::{
    Amount, Credentials, Error, Notification, NotificationRef, OrderMismatch, Redirect,
    SignatureError,
};
use latipay_spec::inbound::InboundError;
use latipay_spec::{ApiKey, SigningKey};

const RULE_B: &str =
    "concatenation: merchant_reference + payment_method + status + currency + amount";

/// The kind of a signature error of `what` (the notification or the redirect).
fn kind(what: &str, e: Error) -> InboundError {
    match e {
        Error::Signature(SignatureError { what: w, kind }) if w == what => kind,
        other => panic!("not a signature error of the {what}: {other:?}"),
    }
}

fn mismatch(expected_message: &str) -> InboundError {
    InboundError::Mismatch {
        rule: RULE_B.to_owned(),
        expected_message: expected_message.to_owned(),
    }
}

fn missing(names: &[&str]) -> InboundError {
    InboundError::Missing(names.iter().map(|n| (*n).to_owned()).collect())
}

fn credentials() -> Credentials {
    Credentials::new("U000334333", "W00000001", "111222333")
}

const VALID: &str = "merchant_reference=dsi39ej430sks03&payment_method=alipay&status=paid&currency=NZD&amount=120.00&order_id=2017232323345678&pay_time=2017-07-07+10%3A53%3A40&amount_cny=551.20&rate=4.5933&signature=840151e0dc39496e22b410b83058b4ddd633b786936c505ae978fae029a1e0f1";

#[test]
fn a_valid_notification_keeps_unknown_fields_and_marks_unsigned_ones() {
    let n = Notification::verify(VALID.as_bytes(), &credentials()).unwrap();
    assert_eq!(n.merchant_reference, "dsi39ej430sks03");
    assert_eq!(n.status, PaymentStatus::Paid);
    assert_eq!(n.amount, "120.00");
    assert_eq!(n.order_id.unverified().as_deref(), Some("2017232323345678"));
    assert_eq!(
        n.pay_time.unverified().as_deref(),
        Some("2017-07-07 10:53:40")
    );
    assert_eq!(
        n.extra,
        [
            ("amount_cny".to_owned(), "551.20".to_owned()),
            ("rate".to_owned(), "4.5933".to_owned())
        ]
    );
    n.check_order(Amount::from_cents(12000), "NZD").unwrap();
    assert!(matches!(
        n.check_order(Amount::from_cents(100), "NZD"),
        Err(OrderMismatch::Amount { .. })
    ));
    assert!(matches!(
        n.check_order(Amount::from_cents(12000), "AUD"),
        Err(OrderMismatch::Currency { .. })
    ));
    assert_eq!(Notification::ack(), (200, "sent"));
}

#[test]
fn the_borrowed_notification_reads_the_same_without_copying() {
    let r = NotificationRef::verify(VALID.as_bytes(), &credentials()).unwrap();
    assert!(matches!(
        r.merchant_reference(),
        Cow::Borrowed("dsi39ej430sks03")
    ));
    assert!(matches!(r.amount_text(), Cow::Borrowed("120.00")));
    assert_eq!(r.status(), PaymentStatus::Paid);
    assert!(matches!(r.pay_time().unverified(), Some(Cow::Owned(t)) if t == "2017-07-07 10:53:40"));
    assert!(matches!(
        r.order_id().unverified(),
        Some(Cow::Borrowed("2017232323345678"))
    ));
    r.check_order(Amount::from_cents(12000), "nzd").unwrap();
    assert_eq!(r.amount(), Ok(Amount::from_cents(12000)));
    let extra: Vec<_> = r.extra().collect();
    assert_eq!(
        extra,
        [
            ("amount_cny".into(), "551.20".into()),
            ("rate".into(), "4.5933".into())
        ]
    );
    let owned = Notification::verify(VALID.as_bytes(), &credentials()).unwrap();
    assert_eq!(Notification::from(r), owned);
    // A repeated unsigned field: the first is read as such, the rest are extras.
    let repeated = format!("{VALID}&order_id=2&pay_time=x");
    let r = NotificationRef::verify(repeated.as_bytes(), &credentials()).unwrap();
    assert_eq!(
        r.order_id().unverified().as_deref(),
        Some("2017232323345678")
    );
    assert_eq!(r.extra().count(), 4);
    // The same refusals as the owned form.
    let refused = |body: &str| {
        kind(
            "notification",
            NotificationRef::verify(body.as_bytes(), &credentials()).unwrap_err(),
        )
    };
    let tampered = VALID.replace("amount=120.00", "amount=12.00");
    assert_eq!(
        refused(&tampered),
        mismatch("dsi39ej430sks03alipaypaidNZD12.00")
    );
    let doubled = format!("{VALID}&status=failed");
    assert_eq!(
        refused(&doubled),
        InboundError::Duplicate(vec!["status".into()])
    );
    let bad_escape = format!("{VALID}&note=%FF");
    assert!(matches!(refused(&bad_escape), InboundError::NotForm(_)));
}

#[test]
fn tampering_with_any_signed_field_fails() {
    for (from, to) in [
        (
            "merchant_reference=dsi39ej430sks03",
            "merchant_reference=dsi39ej430sks04",
        ),
        ("payment_method=alipay", "payment_method=wechat"),
        ("status=paid", "status=failed"),
        ("currency=NZD", "currency=AUD"),
        ("amount=120.00", "amount=120"),
        ("amount=120.00", "amount=1200.0"),
        ("signature=8401", "signature=9401"),
    ] {
        let tampered = VALID.replace(from, to);
        let e = Notification::verify(tampered.as_bytes(), &credentials()).unwrap_err();
        // What should have been signed: the values received, the tampered one included.
        let value = |pair: &str| pair.split_once('=').map(|(_, v)| v.to_owned()).unwrap();
        let expected = if from.starts_with("signature") {
            "dsi39ej430sks03alipaypaidNZD120.00".to_owned()
        } else {
            "dsi39ej430sks03alipaypaidNZD120.00".replacen(&value(from), &value(to), 1)
        };
        assert_eq!(kind("notification", e), mismatch(&expected), "{from}");
    }
    // Unsigned fields can change without breaking the signature: that is why they are Unsigned.
    let moved = VALID.replace("order_id=2017232323345678", "order_id=other");
    assert!(Notification::verify(moved.as_bytes(), &credentials()).is_ok());
}

#[test]
fn missing_fields_and_other_encodings_are_errors_not_panics() {
    let refused = |body: &[u8], c: &Credentials| {
        kind("notification", Notification::verify(body, c).unwrap_err())
    };
    let without_currency = VALID.replace("currency=NZD&", "");
    assert_eq!(
        refused(without_currency.as_bytes(), &credentials()),
        missing(&["currency"])
    );
    let no_signature = VALID.split("&signature=").next().unwrap();
    assert_eq!(
        refused(no_signature.as_bytes(), &credentials()),
        missing(&["signature"])
    );
    let everything = [
        "merchant_reference",
        "payment_method",
        "status",
        "currency",
        "amount",
        "signature",
    ];
    for body in [&b""[..], b"amount", b"%zz=1"] {
        assert_eq!(
            refused(body, &credentials()),
            missing(&everything),
            "{body:?}"
        );
    }
    for body in [
        &br#"{"merchant_reference":"dsi39ej430sks03"}"#[..],
        b"\xff\xfe=\x00",
    ] {
        assert!(
            matches!(refused(body, &credentials()), InboundError::NotForm(_)),
            "{body:?}"
        );
    }
    let wrong_key = Credentials::new("U", "W", "another key");
    assert_eq!(
        refused(VALID.as_bytes(), &wrong_key),
        mismatch("dsi39ej430sks03alipaypaidNZD120.00")
    );
}

#[test]
fn redirects_are_verified_from_the_query_string() {
    let key = SigningKey::new(ApiKey::new("111222333"));
    let sig = key.sign_message(b"r1wechatcancel_or_failAUD9.90").to_hex();
    let q = format!(
        "merchant_reference=r1&payment_method=wechat&status=cancel_or_fail&currency=AUD&amount=9.90&signature={sig}"
    );
    let r = Redirect::verify(&q, &credentials()).unwrap();
    assert_eq!(r.status, PaymentStatus::CancelOrFail);
    let e = Redirect::verify(&q.replace("9.90", "9.9"), &credentials()).unwrap_err();
    assert_eq!(
        kind("redirect", e),
        mismatch("r1wechatcancel_or_failAUD9.9")
    );
}

/// A notification signed with the test key, from name=value pairs (form-encoded here).
fn signed_body(pairs: &[(&str, &str)]) -> String {
    let key = SigningKey::new(ApiKey::new("111222333"));
    let value = |name: &str| pairs.iter().find(|(n, _)| *n == name).map_or("", |p| p.1);
    let message: String = [
        "merchant_reference",
        "payment_method",
        "status",
        "currency",
        "amount",
    ]
    .iter()
    .map(|n| value(n))
    .collect();
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (n, v) in pairs {
        body.append_pair(n, v);
    }
    body.append_pair("signature", &key.sign_message(message.as_bytes()).to_hex());
    body.finish()
}

/// The borrowed reader checks the order as the owned one does: the right amount and currency
/// pass (the currency in any case, the amount in any notation of the same cents), and a wrong
/// amount or currency is refused with what was expected and received, never `Ok`.
#[test]
fn the_borrowed_notification_refuses_another_amount_or_currency() {
    let body = signed_body(&[
        ("merchant_reference", "ord-9"),
        ("payment_method", "wechat"),
        ("status", "paid"),
        ("currency", "AUD"),
        ("amount", "9.90"),
    ]);
    let r = NotificationRef::verify(body.as_bytes(), &credentials()).unwrap();
    let owned = Notification::verify(body.as_bytes(), &credentials()).unwrap();
    let right = Amount::from_cents(990);
    for currency in ["AUD", "aud"] {
        assert_eq!(r.check_order(right, currency), Ok(()));
        assert_eq!(owned.check_order(right, currency), Ok(()));
    }
    for (amount, currency, expected) in [
        (
            Amount::from_cents(99),
            "AUD",
            OrderMismatch::Amount {
                expected: Amount::from_cents(99),
                received: "9.90".into(),
            },
        ),
        (
            Amount::from_cents(991),
            "AUD",
            OrderMismatch::Amount {
                expected: Amount::from_cents(991),
                received: "9.90".into(),
            },
        ),
        (
            Amount::ZERO,
            "AUD",
            OrderMismatch::Amount {
                expected: Amount::ZERO,
                received: "9.90".into(),
            },
        ),
        (
            right,
            "NZD",
            OrderMismatch::Currency {
                expected: "NZD".into(),
                received: "AUD".into(),
            },
        ),
        (
            right,
            "AU",
            OrderMismatch::Currency {
                expected: "AU".into(),
                received: "AUD".into(),
            },
        ),
        (
            right,
            "",
            OrderMismatch::Currency {
                expected: "".into(),
                received: "AUD".into(),
            },
        ),
    ] {
        assert_eq!(
            r.check_order(amount, currency),
            Err(expected.clone()),
            "{amount} {currency}"
        );
        assert_eq!(owned.check_order(amount, currency), Err(expected.clone()));
        // `transition` checks first: a mismatch is the error, whatever the stored status.
        assert_eq!(
            r.transition(&PaymentStatus::Pending, amount, currency),
            Err(expected.clone())
        );
        assert_eq!(
            owned.transition(&PaymentStatus::Pending, amount, currency),
            Err(expected)
        );
    }
    assert_eq!(
        r.transition(&PaymentStatus::Pending, right, "AUD"),
        Ok(latipay_runtime::Transition::Apply(PaymentStatus::Paid))
    );
    assert_eq!(
        OrderMismatch::Amount {
            expected: Amount::from_cents(99),
            received: "9.90".into()
        }
        .to_string(),
        "the notification is for 9.90, the order is for 0.99"
    );
    assert_eq!(
        OrderMismatch::Currency {
            expected: "NZD".into(),
            received: "AUD".into()
        }
        .to_string(),
        "the notification is in AUD, the order is in NZD"
    );

    // A signed amount that is not money matches no order, and `amount()` says why.
    let body = signed_body(&[
        ("merchant_reference", "ord-9"),
        ("payment_method", "wechat"),
        ("status", "paid"),
        ("currency", "AUD"),
        ("amount", "9.9.0"),
    ]);
    let r = NotificationRef::verify(body.as_bytes(), &credentials()).unwrap();
    let owned = Notification::verify(body.as_bytes(), &credentials()).unwrap();
    assert_eq!(r.amount(), Err(latipay_runtime::AmountError::NotANumber));
    assert_eq!(
        owned.amount(),
        Err(latipay_runtime::AmountError::NotANumber)
    );
    assert!(matches!(
        r.check_order(Amount::from_cents(990), "AUD"),
        Err(OrderMismatch::Amount { .. })
    ));
}

/// Each borrowed accessor returns its own signed value (all five differ here, and one has
/// escapes, so it is decoded), the same as the owned reading's field.
#[test]
fn each_borrowed_accessor_returns_its_own_signed_value() {
    let body = signed_body(&[
        ("merchant_reference", "ref 1&2"),
        ("payment_method", "upi_upop"),
        ("status", "failed"),
        ("currency", "CNY"),
        ("amount", "0.07"),
        ("order_id", "O-7"),
        ("pay_time", "2026-01-02 03:04:05"),
        ("rate", "4.63733"),
    ]);
    let r = NotificationRef::verify(body.as_bytes(), &credentials()).unwrap();
    assert_eq!(r.merchant_reference(), "ref 1&2");
    assert!(matches!(r.merchant_reference(), Cow::Owned(_)));
    assert_eq!(r.payment_method(), "upi_upop");
    assert!(matches!(r.payment_method(), Cow::Borrowed("upi_upop")));
    assert_eq!(r.status(), PaymentStatus::Failed);
    assert_eq!(r.currency(), "CNY");
    assert!(matches!(r.currency(), Cow::Borrowed("CNY")));
    assert_eq!(r.amount_text(), "0.07");
    assert_eq!(r.amount(), Ok(Amount::from_cents(7)));
    assert_eq!(r.order_id().unverified().as_deref(), Some("O-7"));
    assert_eq!(
        r.pay_time().unverified().as_deref(),
        Some("2026-01-02 03:04:05")
    );
    assert_eq!(
        r.extra().collect::<Vec<_>>(),
        [("rate".into(), "4.63733".into())]
    );
    let n = Notification::from(r.clone());
    assert_eq!(
        (
            n.merchant_reference.as_str(),
            n.payment_method.as_str(),
            &n.status,
            n.currency.as_str(),
            n.amount.as_str()
        ),
        ("ref 1&2", "upi_upop", &PaymentStatus::Failed, "CNY", "0.07")
    );
    assert_eq!(n.amount(), Ok(Amount::from_cents(7)));
    assert_eq!(n.order_id.unverified().as_deref(), Some("O-7"));
    assert_eq!(
        n,
        Notification::verify(body.as_bytes(), &credentials()).unwrap()
    );
    // The redirect reads the same five fields from the same kind of text.
    let redirect = Redirect::verify(&body, &credentials()).unwrap();
    assert_eq!(
        (
            redirect.merchant_reference.as_str(),
            redirect.payment_method.as_str(),
            redirect.status,
            redirect.currency.as_str(),
            redirect.amount.as_str()
        ),
        ("ref 1&2", "upi_upop", PaymentStatus::Failed, "CNY", "0.07")
    );
}
