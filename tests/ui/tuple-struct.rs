use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund(String, Amount);

fn main() {}
