use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund {
    order_id: String,
    refund_amount: Amount,
    refrence: Option<String>,
    internal_note: String,
}

fn main() {}
