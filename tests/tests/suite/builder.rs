//! The typed builder: optional setters, `maybe_` setters, and the same result as a literal.

use latipay_runtime::{Amount, Credentials, LatipaySigned};
use latipay_tests::*;

#[test]
fn optional_setters_and_maybe_setters() {
    let credentials = Credentials::new("U1", "W1", "k");
    let a = Refund::builder()
        .order_id("o1")
        .reference("why")
        .refund_amount(Amount::from_cents(1))
        .build();
    let b = Refund::builder()
        .maybe_reference(Some("why".to_owned()))
        .refund_amount(Amount::from_cents(1))
        .order_id("o1")
        .build();
    assert_eq!(a.sign(&credentials).unwrap(), b.sign(&credentials).unwrap());
    let c = Refund::builder()
        .order_id("o1")
        .refund_amount(Amount::from_cents(1))
        .maybe_reference(None)
        .build();
    assert_eq!(c.reference, None);
    assert_ne!(a.sign(&credentials).unwrap(), c.sign(&credentials).unwrap());
}

#[test]
fn skipped_fields_are_set_but_never_sent() {
    let credentials = Credentials::new("U1", "W1", "k");
    let order = GiftCardRedeem::builder()
        .card_number("c")
        .amount(Amount::from_cents(100))
        .requested_by("till 4")
        .build();
    assert_eq!(order.requested_by, "till 4");
    let r = order.to_request(&credentials).unwrap();
    assert!(!r.body.unwrap().contains("till 4"));
}

/// A generic struct: type parameters, bounds in a where clause, and a lifetime.
#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct GenericRefund<'a, R, A = Amount>
where
    R: latipay_runtime::types::StringField,
    A: latipay_runtime::types::AmountField,
{
    order_id: R,
    refund_amount: A,
    reference: Option<&'a str>,
}

#[test]
fn generic_structs_derive_and_build() {
    let credentials = Credentials::new("U000334333", "W1", "111222333");
    let refund: GenericRefund<'_, String> = GenericRefund::builder()
        .order_id("23479798sdf7987234".to_owned())
        .refund_amount(Amount::from_cents(12000))
        .reference("notes about this refund")
        .build();
    assert_eq!(
        refund.sign(&credentials).unwrap(),
        "3052b51072570b743bf9a12a20a45b0adf280aee84907ef0e54d1079fb3f961c"
    );
    let text: GenericRefund<'_, &str, &str> = GenericRefund {
        order_id: "23479798sdf7987234",
        refund_amount: "120",
        reference: Some("notes about this refund"),
    };
    assert_eq!(
        text.sign(&credentials).unwrap(),
        refund.sign(&credentials).unwrap()
    );
}

/// More fields than `Default` makes a tuple of (12): the builder writes each `None` itself, and
/// slots past the ninth (`0.10`, ...) are set and moved like the others.
#[derive(Debug, LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct WideRefund {
    order_id: String,
    refund_amount: Amount,
    reference: Option<String>,
    #[latipay(skip)]
    a: u8,
    #[latipay(skip)]
    b: u8,
    #[latipay(skip)]
    c: u8,
    #[latipay(skip)]
    d: u8,
    #[latipay(skip)]
    e: u8,
    #[latipay(skip)]
    f: u8,
    #[latipay(skip)]
    g: u8,
    #[latipay(skip)]
    h: Option<u8>,
    #[latipay(skip)]
    i: String,
    #[latipay(skip)]
    j: Vec<u8>,
}

#[test]
fn structs_wider_than_twelve_fields_build() {
    let w = WideRefund::builder()
        .j(vec![1, 2])
        .order_id("o1")
        .i("eleventh")
        .refund_amount(Amount::from_cents(5))
        .h(8)
        .a(1)
        .build();
    assert_eq!(
        (w.a, w.b, w.c, w.d, w.e, w.f, w.g, w.h),
        (1, 0, 0, 0, 0, 0, 0, Some(8))
    );
    assert_eq!((w.i.as_str(), w.j.as_slice()), ("eleventh", &[1, 2][..]));
    assert_eq!(w.reference, None);
    let narrow = Refund::builder()
        .order_id("o1")
        .refund_amount(Amount::from_cents(5))
        .build();
    let credentials = Credentials::new("U1", "W1", "k");
    assert_eq!(
        w.sign(&credentials).unwrap(),
        narrow.sign(&credentials).unwrap()
    );
}

#[test]
fn optional_fields_set_again_keep_the_last_value() {
    let r = Refund::builder()
        .reference("first")
        .order_id("o1")
        .maybe_reference(None)
        .reference("second")
        .refund_amount(Amount::from_cents(1))
        .build();
    assert_eq!(r.reference.as_deref(), Some("second"));
}
