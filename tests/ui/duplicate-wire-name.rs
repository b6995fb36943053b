use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund {
    order_id: String,
    #[latipay(rename = "order_id")]
    latipay_order: String,
    refund_amount: Amount,
}

fn main() {}
