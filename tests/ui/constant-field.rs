use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "minialipay")]
struct MiniOrder {
    amount: Amount,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
    version: String,
}

fn main() {}
