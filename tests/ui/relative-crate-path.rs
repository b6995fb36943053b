use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", crate = "latipay_runtime")]
struct Refund {
    order_id: String,
    refund_amount: Amount,
}

fn main() {}
