use latipay_runtime::{Amount, LatipaySigned};

// A plain enum cannot be an `enum` field's type: nothing checked its values against the spec,
// and it has no wire text.
#[allow(dead_code)]
enum Method {
    WeChat,
    Alipay,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "transaction")]
struct Order {
    payment_method: Method,
    amount: Amount,
    return_url: String,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
}

fn main() {}
