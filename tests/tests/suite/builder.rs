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
