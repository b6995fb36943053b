use latipay_runtime::{Amount, LatipayEnum, LatipaySigned};

// An enum checked against `payment_method` cannot be used for `present_qr`, which takes only "1".
#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method")]
enum Method {
    Wechat,
    Alipay,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction")]
struct Order {
    payment_method: Method,
    present_qr: Option<Method>,
    amount: Amount,
    return_url: String,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
}

fn main() {}
