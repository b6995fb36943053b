use latipay_runtime::{Amount, LatipaySigned};

#[derive(LatipaySigned)]
#[latipay(endpoint = "invoice_create")]
struct Invoice {
    amount: Amount,
    period_time: Option<String>,
    qrcode: Option<u8>,
    product_name: Vec<u8>,
}

fn main() {}
