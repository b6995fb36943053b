use latipay_runtime::{Amount, LatipayEnum, LatipaySigned};

// Each variant is one of the field's values: named like it (`Wechat` is "wechat"), or given it
// with `rename`, and given to one variant only. Each mistake is reported on its variant.
#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method")]
enum Method {
    WeChat,
    Alipay,
    #[latipay(rename = "paypal")]
    PayPal,
    #[latipay(rename = "upi_upop")]
    UnionPay,
    #[latipay(rename = "alipay")]
    AlipayAgain,
}

// The enum's mistakes are its own: a struct using it adds none.
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
