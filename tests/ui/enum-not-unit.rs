use latipay_runtime::LatipayEnum;

// Only the values the spec lists can be sent, so a variant carries no data: no catch-all.
#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method")]
enum Method {
    Wechat,
    Alipay,
    Other(String),
    Card { number: String },
}

#[derive(LatipayEnum)]
#[latipay(endpoint = "transaction", field = "payment_method")]
struct NotAnEnum {
    method: String,
}

fn main() {}
