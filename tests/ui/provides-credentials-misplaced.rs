use latipay_runtime::{Amount, LatipaySigned};

// `provides_credentials` is for a field the spec fills from the credentials, on that field.
#[derive(LatipaySigned)]
#[latipay(endpoint = "refund", provides_credentials)]
struct Refund {
    #[latipay(provides_credentials)]
    order_id: String,
    refund_amount: Amount,
    #[latipay(skip, provides_credentials)]
    user_id: String,
}

fn main() {}
