use latipay_runtime::{Amount, LatipaySigned};

// Money is never a float, in the builder too: a float literal gets the derive's message, not a
// bare `From<{float}>`.
#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
    reference: Option<String>,
}

fn main() {
    let _ = Refund::builder()
        .order_id("202105250000000012")
        .refund_amount(10.5)
        .build();
}
