use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund {
    order_id: Option<String>,
    refund_amount: Amount,
}

fn main() {}
