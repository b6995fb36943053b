use latipay_runtime::{Amount, LatipaySigned};

// `user_id` and `wallet_id` come from the client's credentials: a struct that carries one would
// sign and send its own value instead, so it must say so with `#[latipay(provides_credentials)]`.
#[derive(LatipaySigned)]
#[latipay(endpoint = "minialipay")]
struct MiniOrder {
    amount: Amount,
    callback_url: String,
    merchant_reference: String,
    ip: String,
    product_name: String,
    wallet_id: Option<String>,
}

#[derive(LatipaySigned)]
#[latipay(endpoint = "refund")]
struct Refund {
    #[latipay(rename = "user_id")]
    merchant: String,
    order_id: String,
    refund_amount: Amount,
}

fn main() {}
