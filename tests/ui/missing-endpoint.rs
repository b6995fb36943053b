use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
}

fn main() {}
