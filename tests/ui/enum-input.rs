use latipay_runtime::LatipaySigned;

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
enum Refund {
    Full { order_id: String },
}

fn main() {}
