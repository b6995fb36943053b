use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
#[latipay(endpoint = "cancel")]
struct Refund {
    #[latipay(rename = "order_id", rename = "order")]
    id: String,
    refund_amount: Amount,
}

fn main() {}
