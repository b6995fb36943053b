use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", sign_with = "md5")]
struct Refund {
    #[latipay(renamed = "order_id")]
    order: String,
    #[latipay(skip, default)]
    note: String,
    order_id: String,
    refund_amount: Amount,
}

fn main() {}
