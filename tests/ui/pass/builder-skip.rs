use latipay_runtime::{Amount, LatipaySigned};

// A skipped field is never a required field of the builder: unset, it is its type's default.
#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
    #[latipay(skip)]
    internal_note: String,
    #[latipay(skip)]
    attempt: Option<u32>,
}

fn main() {
    let amount = Amount::parse("10.50").unwrap();
    let r = Refund::builder()
        .order_id("202105250000000012")
        .refund_amount(amount)
        .build();
    assert_eq!(r.internal_note, "");
    assert_eq!(r.attempt, None);
    let r = Refund::builder()
        .internal_note("second try")
        .attempt(2u32)
        .order_id("202105250000000012")
        .refund_amount(amount)
        .build();
    assert_eq!(r.internal_note, "second try");
    assert_eq!(r.attempt, Some(2));
    assert_eq!(<Refund as LatipaySigned>::ENDPOINT.name, "refund");
}
