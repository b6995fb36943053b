use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", builder)]
struct Refund {
    order_id: String,
    refund_amount: Amount,
    reference: Option<String>,
}

fn main() {
    let _ = Refund::builder().reference("partial").build();
}
