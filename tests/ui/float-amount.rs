use latipay_runtime::LatipaySigned;

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund {
    order_id: String,
    refund_amount: f64,
}

fn main() {}
