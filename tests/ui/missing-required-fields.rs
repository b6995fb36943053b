use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "minialipay")]
struct MiniOrder {
    amount: Amount,
    product_name: String,
}

fn main() {}
