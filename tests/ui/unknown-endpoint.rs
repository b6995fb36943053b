use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "minialipy")]
struct Order {
    amount: Amount,
}

fn main() {}
