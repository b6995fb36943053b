use latipay_runtime::{Amount, LatipaySigned};

// A required field is set once: a second call of its setter is a compile error, in words.
#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
    reference: Option<String>,
}

fn main() {
    let amount = Amount::parse("10.50").unwrap();
    let _ = Refund::builder()
        .order_id("202105250000000012")
        .refund_amount(amount)
        .order_id("202105250000000013")
        .build();
    // Optional fields may be set again: the last value wins.
    let _ = Refund::builder()
        .reference("first")
        .reference("second")
        .order_id("202105250000000012")
        .refund_amount(amount)
        .build();
}
